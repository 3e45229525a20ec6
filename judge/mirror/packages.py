"""Resolve `name@range` to an exact version as the CDNs do, fetch it once, find files in it.

Resolution follows unpkg and jsDelivr: a dist-tag (`latest`, `next`, none = latest), else an
exact published version, else node-semver's max satisfying version. The first resolution of a
`name@spec` is pinned in the lock; every later one — on any machine importing the lock —
returns the pin. With `offline`, nothing is fetched: a pin whose package is stored is answered,
anything else is a miss.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nodesemver

from judge.mirror.lock import Lock
from judge.mirror.registry import Registry, RegistryError, TooLarge
from judge.mirror.store import Store, UnsafePackage


class Miss(Exception):
    """No local answer; `reason` goes to the Verdict (offline, not_found, registry_error, …)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason


@dataclass(frozen=True)
class Located:
    """A file found in a stored package."""

    name: str
    version: str
    rel: str
    path: Path

    @property
    def package(self) -> str:
        return f"{self.name}@{self.version}"


# Which package.json fields name the default file, per CDN (unpkg's and jsDelivr's orders).
_ENTRY_FIELDS = {
    "unpkg": ("unpkg", "browser", "main"),
    "jsdelivr": ("jsdelivr", "cdn", "browser", "main"),
}


class Packages:
    """Store + registry + lock, with one in-flight fetch per package version."""

    def __init__(self, store: Store, registry: Registry, lock: Lock, *, offline: bool) -> None:
        self.store, self.registry, self.lock, self.offline = store, registry, lock, offline
        self._inflight: dict[str, asyncio.Future[Any]] = {}

    async def resolve(self, name: str, spec: str) -> str:
        key = f"{name}@{spec or 'latest'}"
        pinned = self.lock.get(key)
        if pinned is not None:
            return pinned
        packument = self.store.load_packument(name)
        if packument is None or not _pick(packument, spec):
            if self.offline:
                raise Miss("offline", f"{key} is not in the local store (--offline)")
            packument = await self._once(f"packument:{name}", self._fetch_packument(name))
        version = _pick(packument, spec)
        if version is None:
            raise Miss("not_found", f"no version of {name} matches {spec!r}")
        self.lock.pin(key, version)
        return version

    async def ensure(self, name: str, version: str) -> None:
        if self.store.has(name, version):
            return
        if self.offline:
            raise Miss("offline", f"{name}@{version} is not in the local store (--offline)")
        await self._once(f"tarball:{name}@{version}", self._fetch_tarball(name, version))

    async def _once(self, key: str, coro: Any) -> Any:
        """Run `coro` unless the same fetch is already in flight (then share its result)."""
        fut = self._inflight.get(key)
        if fut is not None:
            coro.close()
            return await asyncio.shield(fut)
        fut = asyncio.ensure_future(coro)
        self._inflight[key] = fut
        fut.add_done_callback(lambda _f: self._inflight.pop(key, None))
        # Shielded: a page that gives up (closed, timed out) does not abort the download, so
        # the package still lands in the store for the next page.
        return await asyncio.shield(fut)

    async def _fetch_packument(self, name: str) -> dict[str, Any]:
        try:
            data = await self.registry.packument(name)
        except RegistryError as exc:
            raise Miss("not_found" if exc.not_found else "registry_error", str(exc)) from exc
        await asyncio.to_thread(self.store.save_packument, name, data)
        return self.store.load_packument(name) or data

    async def _fetch_tarball(self, name: str, version: str) -> None:
        packument = self.store.load_packument(name) or await self._fetch_packument(name)
        meta = packument["versions"].get(version)
        if meta is None:
            packument = await self._fetch_packument(name)
            meta = packument["versions"].get(version)
        if meta is None:
            raise Miss("not_found", f"{name}@{version} is not published")
        try:
            body = await self.registry.tarball(name, meta)
            await asyncio.to_thread(self.store.install, name, version, body)
        except TooLarge as exc:
            raise Miss("too_large", str(exc)) from exc
        except UnsafePackage as exc:
            raise Miss("unsafe_package", f"{name}@{version}: {exc}") from exc
        except RegistryError as exc:
            raise Miss("not_found" if exc.not_found else "registry_error", str(exc)) from exc

    async def get(
        self,
        name: str,
        spec: str,
        file: str,
        *,
        cdn: str = "unpkg",
        alternates: tuple[str, ...] = (),
    ) -> Located:
        """Resolve, fetch if needed, and find the file (the default entry when `file` is '')."""
        version = await self.resolve(name, spec)
        await self.ensure(name, version)
        for candidate in (file, *alternates) if file else ("",):
            rel = self.locate(name, version, candidate, cdn)
            if rel is not None:
                path = self.store.file(name, version, rel)
                if path is not None:
                    return Located(name, version, rel, path)
        raise Miss("not_found", f"{name}@{version} has no file {file or '(default entry)'}")

    def locate(self, name: str, version: str, file: str, cdn: str) -> str | None:
        """The path unpkg/jsDelivr would serve for `file` (entry fields, extension probing)."""
        if not file:
            manifest = self.store.manifest(name, version)
            for field in _ENTRY_FIELDS.get(cdn, _ENTRY_FIELDS["unpkg"]):
                value = manifest.get(field)
                if isinstance(value, str) and value:
                    found = self.locate(name, version, value.lstrip("./"), cdn)
                    if found:
                        return found
            return self.locate(name, version, "index.js", cdn)
        if self.store.file(name, version, file) is not None:
            return file
        base = file.rstrip("/")
        for probe in (f"{base}.js", f"{base}.json", f"{base}/index.js"):
            if self.store.file(name, version, probe) is not None:
                return probe
        if cdn in ("jsdelivr", "cdnjs"):
            # jsDelivr minifies any .js/.css on request and cdnjs ships minified copies of
            # the package's files: `x.min.js` is `x.js`, minified (unpkg answers 404).
            full = re.sub(r"\.min\.(js|css)$", r".\1", base)
            if full != base and self.store.file(name, version, full) is not None:
                return full
        return None


def _pick(packument: dict[str, Any], spec: str) -> str | None:
    versions = list(packument.get("versions", {}))
    tags = packument.get("dist-tags", {}) or {}
    spec = spec.strip()
    if not spec:
        spec = "latest"
    if spec in tags and tags[spec] in versions:
        return tags[spec]
    if spec in versions:
        return spec
    try:
        return nodesemver.max_satisfying(versions, spec, loose=True)
    except (ValueError, TypeError):
        return None
