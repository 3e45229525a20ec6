"""The npm registry, from the host side: packuments and tarballs, nothing else.

The registry is the one npm is configured with (`npm config`, scoped registries included), so
a private mirror works the same way. Only two kinds of URL are ever fetched: a packument
`<registry>/<validated name>` and the tarball that packument names, which must live under the
same registry prefix and match the packument's integrity hash. Sizes are capped while
streaming; redirects are not followed. A page can make the host fetch nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from judge.mirror.urls import valid_name

MAX_PACKUMENT = 48 * 1024 * 1024
MAX_TARBALL = 64 * 1024 * 1024
TIMEOUT = httpx.Timeout(60.0, connect=15.0)


class RegistryError(Exception):
    """The registry could not answer (down, refused, not found, or an answer we refuse)."""

    def __init__(self, message: str, *, not_found: bool = False) -> None:
        super().__init__(message)
        self.not_found = not_found


class TooLarge(RegistryError):
    """A packument or tarball over the cap: refused, never unpacked."""


async def registry_for(name: str) -> str:
    """The registry URL (with trailing slash) npm would use for `name`."""
    from builders.lockfile import registry_config

    config = await registry_config()
    url = config.registry
    if name.startswith("@"):
        scope = name.split("/", 1)[0]
        url = dict(config.scoped).get(scope, url)
    return url if url.endswith("/") else url + "/"


class Registry:
    """Fetches packuments and tarballs from the configured registry (one shared client)."""

    def __init__(self, base: str | None = None, max_tarball: int = MAX_TARBALL) -> None:
        self._base = base  # tests may pin it; else per name from npm config
        self.max_tarball = max_tarball
        self._client: httpx.AsyncClient | None = None

    async def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False)
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def base_for(self, name: str) -> str:
        if self._base is not None:
            return self._base if self._base.endswith("/") else self._base + "/"
        return await registry_for(name)

    async def packument(self, name: str) -> dict[str, Any]:
        """The abbreviated packument: versions, dist-tags, tarball URLs and integrity."""
        if not valid_name(name):
            raise RegistryError(f"invalid package name {name!r}", not_found=True)
        base = await self.base_for(name)
        url = base + quote(name, safe="@")
        accept = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8"
        body = await self._get(url, MAX_PACKUMENT, accept)
        try:
            data = json.loads(body)
        except json.JSONDecodeError as exc:
            raise RegistryError(f"{name}: unreadable packument") from exc
        if not isinstance(data, dict) or not isinstance(data.get("versions"), dict):
            raise RegistryError(f"{name}: packument without versions", not_found=True)
        return data

    async def tarball(self, name: str, meta: dict[str, Any]) -> bytes:
        """A version's tarball, checked against the packument's integrity (sha512 or sha1)."""
        dist = meta.get("dist") or {}
        url = dist.get("tarball")
        base = await self.base_for(name)
        if not isinstance(url, str) or not _under(url, base):
            raise RegistryError(f"{name}: tarball {url!r} is not on the registry {base}")
        body = await self._get(url, self.max_tarball, "application/octet-stream")
        integrity, shasum = dist.get("integrity"), dist.get("shasum")
        if isinstance(integrity, str) and integrity.startswith("sha512-"):
            digest = base64.b64encode(hashlib.sha512(body).digest()).decode()
            if integrity.split()[0] != f"sha512-{digest}":
                raise RegistryError(f"{name}: tarball integrity mismatch")
        elif isinstance(shasum, str):
            if hashlib.sha1(body).hexdigest() != shasum.lower():
                raise RegistryError(f"{name}: tarball shasum mismatch")
        else:
            raise RegistryError(f"{name}: the registry gives no integrity for the tarball")
        return body

    async def _get(self, url: str, cap: int, accept: str) -> bytes:
        client = await self._http()
        try:
            async with client.stream("GET", url, headers={"Accept": accept}) as resp:
                if resp.status_code == 404:
                    raise RegistryError(f"not on the registry: {url}", not_found=True)
                if resp.status_code != 200:
                    raise RegistryError(f"registry answered {resp.status_code} for {url}")
                declared = int(resp.headers.get("content-length") or 0)
                if declared > cap:
                    raise TooLarge(f"{url}: {declared} bytes is over the {cap}-byte cap")
                chunks, total = [], 0
                async for chunk in resp.aiter_bytes():
                    total += len(chunk)
                    if total > cap:
                        raise TooLarge(f"{url}: over the {cap}-byte cap")
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.HTTPError as exc:
            raise RegistryError(f"registry unreachable ({type(exc).__name__}): {url}") from exc


def _under(url: str, base: str) -> bool:
    """Whether `url` is under the registry prefix `base` (scheme, host, port and path)."""
    u, b = urlsplit(url), urlsplit(base)
    if u.scheme != b.scheme or u.netloc.lower() != b.netloc.lower() or u.query or u.fragment:
        return False
    return u.path.startswith(b.path) and "/../" not in u.path and "/./" not in u.path
