"""A small npm registry on loopback (packuments + tarballs), for tests that need packages the
public registry cannot have: hostile tarballs, controlled version lists. Speaks the registry's
real wire format; `hits` counts every request so tests can assert what was (not) fetched."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
from typing import Any

from aiohttp import web


def tarball(files: dict[str, bytes], *, extra: list[tarfile.TarInfo] | None = None) -> bytes:
    """A gzip tarball with `package/<path>` members (plus raw members for hostile cases)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for path, data in files.items():
            info = tarfile.TarInfo(path if path.startswith(("/", "..")) else f"package/{path}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for info in extra or []:
            tar.addfile(info, io.BytesIO(b"x" * info.size) if info.isreg() else None)
    return buf.getvalue()


class FakeRegistry:
    def __init__(self) -> None:
        self.packages: dict[str, dict[str, Any]] = {}
        self.tarballs: dict[str, bytes] = {}
        self.hits: list[str] = []
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def publish(
        self,
        name: str,
        version: str,
        files: dict[str, bytes] | bytes,
        *,
        tags: dict | None = None,
        tarball_url: str | None = None,
        integrity: str | None = None,
    ) -> None:
        body = files if isinstance(files, bytes) else tarball(files)
        key = f"{name.replace('/', '__')}-{version}.tgz"
        self.tarballs[key] = body
        digest = "sha512-" + base64.b64encode(hashlib.sha512(body).digest()).decode()
        pkg = self.packages.setdefault(name, {"name": name, "versions": {}, "dist-tags": {}})
        pkg["versions"][version] = {
            "name": name,
            "version": version,
            "dist": {
                "tarball": tarball_url or f"{self.url}-/{key}",
                "integrity": integrity or digest,
            },
        }
        pkg["dist-tags"].setdefault("latest", version)
        pkg["dist-tags"].update(tags or {})

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/-/{key}", self._tarball)
        app.router.add_get("/{name:.+}", self._packument)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        await self._runner.cleanup()

    async def _packument(self, request: web.Request) -> web.Response:
        name = request.match_info["name"].replace("%2f", "/").replace("%2F", "/")
        self.hits.append(f"packument {name}")
        if name not in self.packages:
            return web.Response(status=404)
        return web.Response(text=json.dumps(self.packages[name]), content_type="application/json")

    async def _tarball(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        self.hits.append(f"tarball {key}")
        if key not in self.tarballs:
            return web.Response(status=404)
        return web.Response(body=self.tarballs[key], content_type="application/octet-stream")
