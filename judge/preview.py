"""Loopback preview server: serves each submission on its own origin, and nothing else.

One aiohttp server per Judge serves every submission by Host header
(`fj-<token>.localhost:<port>`), so each gets its own origin (storage, service workers) while
sharing one listening socket. `*.localhost` is a secure context in Chromium and never touches DNS.

The same server doubles as the browser's HTTP proxy: a request for any other host arrives here
(absolute-form), is never forwarded, and is recorded as blocked; image requests get a neutral
placeholder so layouts stay as intended.

Files: only regular files under the site root are served; paths are resolved and must stay inside
the root (so a symlink pointing out is refused), unknown extension-less paths fall back to
index.html (SPA routing).
"""

from __future__ import annotations

import mimetypes
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from aiohttp import web

from judge.schema import BlockedRequest

PLACEHOLDER_PNG = (Path(__file__).parent / "assets" / "placeholder.png").read_bytes()
HOST_SUFFIX = ".localhost"
_IMAGE_EXT = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".ico", ".bmp"}
_FONT_EXT = {".woff", ".woff2", ".ttf", ".otf"}
_EXTRA_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".cjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".map": "application/json",
    ".wasm": "application/wasm",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".webmanifest": "application/manifest+json",
    ".txt": "text/plain",
    ".html": "text/html",
    ".htm": "text/html",
}


def content_type(path: Path) -> str:
    ext = path.suffix.lower()
    if ext in _EXTRA_TYPES:
        return _EXTRA_TYPES[ext]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


@dataclass
class Site:
    """One submission registered on the preview server."""

    token: str
    root: Path
    port: int
    entry: str = "index.html"
    blocked: list[BlockedRequest] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    hits: int = 0

    @property
    def host(self) -> str:
        return f"fj-{self.token}{HOST_SUFFIX}"

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.origin}/{self.entry}"

    def block(self, url: str, channel: str, action: str = "blocked") -> None:
        if len(self.blocked) < 500 and not any(b.url == url for b in self.blocked):
            self.blocked.append(BlockedRequest(url=url[:500], channel=channel, action=action))


def _channel_for(url: str, accept: str, method: str) -> str:
    ext = Path(urlsplit(url).path).suffix.lower()
    if method == "CONNECT":
        return "connect"
    if ext in _IMAGE_EXT or accept.startswith("image/"):
        return "image"
    if ext in _FONT_EXT:
        return "font"
    if "text/html" in accept:
        return "navigation"
    return "fetch/xhr"


class PreviewServer:
    """The preview server. `port` is what pages see; it may listen on TCP and/or a unix socket."""

    def __init__(self) -> None:
        self.sites: dict[str, Site] = {}
        self.stray: list[BlockedRequest] = []  # outside requests no site could be blamed for
        self.port = 0
        self._runner: web.AppRunner | None = None

    async def start(self, *, unix_path: Path | None = None, port: int | None = None) -> None:
        """Listen on a unix socket (netns relay mode, pages see `port`) or on 127.0.0.1."""
        app = web.Application(client_max_size=1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        if unix_path is not None:
            await web.UnixSite(self._runner, str(unix_path)).start()
            self.port = port or 8080
        else:
            site = web.TCPSite(self._runner, "127.0.0.1", port or 0, reuse_address=True)
            await site.start()
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def register(self, root: Path, entry: str = "index.html") -> Site:
        site = Site(secrets.token_hex(6), root.resolve(), self.port, entry)
        self.sites[site.host] = site
        return site

    def unregister(self, site: Site) -> None:
        self.sites.pop(site.host, None)

    def _blame(self, request: web.Request) -> Site | None:
        for header in ("Referer", "Origin"):
            value = request.headers.get(header, "")
            host = urlsplit(value).hostname if value else None
            if host and host in self.sites:
                return self.sites[host]
        return None

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        host = (request.host or "").split(":")[0].lower()
        site = self.sites.get(host)
        if site is None:
            return self._outside(request)
        site.hits += 1
        if request.method not in ("GET", "HEAD"):
            # A static preview has no server side; a POSTed form gets an honest 405.
            return web.Response(status=405, text="static preview: method not allowed")
        return self._serve_file(site, unquote(request.path))

    def _outside(self, request: web.Request) -> web.StreamResponse:
        url = str(request.url) if request.method != "CONNECT" else f"connect://{request.path}"
        accept = request.headers.get("Accept", "")
        channel = _channel_for(url, accept, request.method)
        if request.headers.get("Upgrade", "").lower() == "websocket":
            channel = "websocket"
        action = "placeholder" if channel == "image" else "blocked"
        site = self._blame(request)
        if site is not None:
            site.block(url, channel, action)
        elif len(self.stray) < 500:
            self.stray.append(BlockedRequest(url=url[:500], channel=channel, action=action))
        if action == "placeholder":
            return web.Response(body=PLACEHOLDER_PNG, content_type="image/png")
        return web.Response(status=403, text="fjudge preview: outside requests are blocked")

    def _serve_file(self, site: Site, path: str) -> web.StreamResponse:
        rel = path.lstrip("/")
        if "\0" in rel or any(part == ".." for part in rel.split("/")):
            return web.Response(status=400, text="bad path")
        target = (site.root / rel).resolve() if rel else site.root / site.entry
        if target.is_dir():
            target = target / "index.html"
        inside = target.resolve().is_relative_to(site.root)
        if inside and target.is_file():
            return self._file_response(target)
        if not inside:
            return web.Response(status=403, text="outside the submission")
        # SPA fallback: extension-less routes get the app shell; missing assets are real 404s.
        if not Path(rel).suffix and (site.root / "index.html").is_file():
            return self._file_response(site.root / "index.html")
        site.missing.append("/" + rel)
        return web.Response(status=404, text="not found")

    @staticmethod
    def _file_response(path: Path) -> web.StreamResponse:
        ctype = content_type(path)
        headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
        if ctype.startswith("text/") or ctype in ("application/json",):
            ctype += "; charset=utf-8"
        headers["Content-Type"] = ctype
        return web.FileResponse(path, headers=headers)
