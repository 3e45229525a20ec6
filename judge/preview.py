"""Loopback preview server: serves each submission on its own origin, to that submission only.

One server per Judge serves every submission by host (`fj-<token>.localhost:<port>`), so each
gets its own origin (storage, service workers) while sharing one listening socket.
`*.localhost` is a secure context in Chromium and never touches DNS.

The same server is the browser's HTTP proxy, and the only one: Chromium sends *every* request
of a page here as a proxy request — its own files, loopback, other sites, the internet — from
any context (page, iframes, dedicated/shared/service workers). Each browser context carries its
own proxy credentials (`Site.proxy`), registered with the one site they may read. So:

- a request for a site's files is served only with that site's credentials; the same request
  from another submission's context (even one that learnt the token) is refused and recorded as
  blocked in the asking site's list — isolation does not rest on the token being secret;
- a request for any other host is never forwarded: it is answered from the local CDN mirror if
  the mirror knows the URL (recorded as `mirrored`), else recorded and refused; images get a
  neutral placeholder so layouts stay as intended (a faint mid-grey checker, #707070/#7c7c7c:
  text drawn over it keeps about 4.5:1 whether it is white or black, so a missing photo is not
  scored as the page's contrast defect, and a page that is one big photo is not "blank");
- a request without credentials gets a 407 challenge (the browser retries with the context's
  credentials); wrong credentials get a 403 and are kept in `stray`.

Files: only regular files under the site root are served; paths are resolved and must stay inside
the root (so a symlink pointing out is refused), unknown extension-less paths fall back to
index.html (SPA routing).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import mimetypes
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from aiohttp import web

from judge.mirror.classify import reason_for
from judge.schema import BlockedRequest
from judge.tunnel import ConnectHead, Front

PLACEHOLDER_PNG = (Path(__file__).parent / "assets" / "placeholder.png").read_bytes()
HOST_SUFFIX = ".localhost"
REALM = 'Basic realm="fjudge-preview"'
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
# Sec-Fetch-Dest (sent by Chromium to https and localhost URLs) → the Verdict's channel names.
_DEST_CHANNEL = {
    "document": "navigation",
    "iframe": "navigation",
    "frame": "navigation",
    "object": "navigation",
    "embed": "navigation",
    "image": "image",
    "font": "font",
    "style": "stylesheet",
    "script": "script",
    "worker": "worker",
    "sharedworker": "sharedworker",
    "serviceworker": "serviceworker",
    "audio": "media",
    "video": "media",
    "track": "media",
    "manifest": "manifest",
    "report": "beacon",
    "empty": "fetch/xhr",
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
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(24), repr=False)

    @property
    def host(self) -> str:
        return f"fj-{self.token}{HOST_SUFFIX}"

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.origin}/{self.entry}"

    @property
    def proxy(self) -> dict[str, str]:
        """Playwright `proxy` settings of this site's browser context (its own credentials)."""
        return {
            "server": f"http://127.0.0.1:{self.port}",
            "username": self.token,
            "password": self.secret,
        }

    def record(self, entry: BlockedRequest) -> None:
        if len(self.blocked) < 500 and not any(b.url == entry.url for b in self.blocked):
            self.blocked.append(entry)

    def block(self, url: str, channel: str, action: str = "blocked", **extra: Any) -> None:
        if action != "mirrored" and "reason" not in extra:
            extra["reason"] = reason_for(url, channel)
        self.record(BlockedRequest(url=url[:500], channel=channel, action=action, **extra))


class Mirror(Protocol):
    """What the preview asks the CDN mirror (judge/mirror); None means 'no mirror'."""

    def knows_host(self, host: str) -> bool: ...

    async def answer(
        self, request: web.Request, url: str, site: Site, channel: str
    ) -> web.StreamResponse | None: ...


def channel_of(request: web.Request, url: str) -> str:
    """How the page asked: Sec-Fetch-Dest when sent, else a guess from Accept and extension."""
    if request.headers.get("Upgrade", "").lower() == "websocket":
        return "websocket"
    dest = request.headers.get("Sec-Fetch-Dest", "").lower()
    if dest in _DEST_CHANNEL:
        return _DEST_CHANNEL[dest]
    ext = Path(urlsplit(url).path).suffix.lower()
    accept = request.headers.get("Accept", "")
    if ext in _IMAGE_EXT or accept.startswith("image/"):
        return "image"
    if ext in _FONT_EXT:
        return "font"
    if "text/html" in accept:
        return "navigation"
    return "fetch/xhr"


class PreviewServer:
    """The preview server. `port` is what pages see; it may listen on TCP and/or a unix socket."""

    def __init__(self, mirror: Mirror | None | str = "env") -> None:
        """`mirror`: a CDN mirror, None for none, "env" (default) for the one the settings
        name (judge.mirror.from_env: FJUDGE_CACHE/mirror, FJUDGE_MIRROR, FJUDGE_MIRROR_OFFLINE)."""
        if mirror == "env":
            from judge.mirror import from_env

            mirror = from_env()
        self.sites: dict[str, Site] = {}
        self.stray: list[BlockedRequest] = []  # requests with wrong credentials
        self.port = 0
        self.mirror: Mirror | None = mirror  # type: ignore[assignment]
        self._by_token: dict[str, Site] = {}
        self._tunnels: dict[Any, tuple[Site, str]] = {}
        self._runner: web.AppRunner | None = None
        self._front: Front | None = None

    async def start(self, *, unix_path: Path | None = None, port: int | None = None) -> None:
        """Listen on a unix socket (netns relay mode, pages see `port`) or on 127.0.0.1."""
        app = web.Application(client_max_size=1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        self._front = Front(self._runner.server, self._decide_connect, self._tunnels)  # type: ignore[arg-type]
        if unix_path is not None:
            await self._front.listen_unix(unix_path)
            self.port = port or 8080
        else:
            self.port = await self._front.listen_tcp(port or 0)

    async def close(self) -> None:
        if self._front is not None:
            await self._front.close()
            self._front = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self._tunnels.clear()
        if self.mirror is not None and hasattr(self.mirror, "close"):
            await self.mirror.close()

    def register(self, root: Path, entry: str = "index.html") -> Site:
        site = Site(secrets.token_hex(6), root.resolve(), self.port, entry)
        self.sites[site.host] = site
        self._by_token[site.token] = site
        return site

    def unregister(self, site: Site) -> None:
        self.sites.pop(site.host, None)
        self._by_token.pop(site.token, None)
        for proto, (owner, _host) in list(self._tunnels.items()):
            if owner is site:
                self._tunnels.pop(proto, None)

    # -- who is asking --------------------------------------------------------------------------

    def _credentials(self, header: str | None) -> tuple[Site | None, int]:
        """(site, 0) for valid credentials, else (None, 407 missing | 403 wrong)."""
        if not header:
            return None, 407
        scheme, _, token = header.partition(" ")
        try:
            user, _, password = (
                base64.b64decode(token.strip(), validate=True).decode().partition(":")
            )
        except (binascii.Error, UnicodeDecodeError):
            return None, 403
        site = self._by_token.get(user) if scheme.lower() == "basic" else None
        # Compared in constant time; a wrong secret for a known token is as good as no site.
        if site is None or not hmac.compare_digest(password.encode(), site.secret.encode()):
            return None, 403
        return site, 0

    def _stray(self, url: str, channel: str) -> None:
        if len(self.stray) < 500:
            self.stray.append(BlockedRequest(url=url[:500], channel=channel))

    async def _decide_connect(self, head: ConnectHead) -> tuple[int, Any]:
        site, status = self._credentials(head.headers.get("proxy-authorization"))
        # CONNECT carries no path; port 443 means https, anything else may be a WebSocket.
        url = f"https://{head.host}" if head.port == 443 else f"connect://{head.host}:{head.port}"
        if site is None:
            if status == 403:
                self._stray(url, "connect")
            return status, None
        if head.host in self.sites:
            if self.sites[head.host] is not site:
                site.block(url, "connect", reason="cross_site")  # another submission
            return 403, None
        if self.mirror is not None and head.port == 443 and self.mirror.knows_host(head.host):
            return 200, (site, head.host)
        site.block(url, "connect")
        return 403, None

    # -- requests -------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        tunnel = self._tunnels.get(request.protocol)
        if tunnel is not None:
            site, host = tunnel
            return await self._outside(site, request, f"https://{host}{request.raw_path}")
        site, status = self._credentials(request.headers.get("Proxy-Authorization"))
        if site is None:
            if status == 407:
                return web.Response(status=407, headers={"Proxy-Authenticate": REALM})
            self._stray(str(request.url), channel_of(request, str(request.url)))
            return web.Response(status=403, text="fjudge preview: bad proxy credentials")
        url = request.url
        if (url.host or "").lower() == site.host and (url.port or 80) == site.port:
            site.hits += 1
            if request.method not in ("GET", "HEAD"):
                # A static preview has no server side; a POSTed form gets an honest 405.
                return web.Response(status=405, text="static preview: method not allowed")
            return self._serve_file(site, unquote(request.path))
        if (url.host or "").lower() in self.sites:  # another submission's origin
            return self._refuse(site, channel_of(request, str(url)), str(url), "cross_site")
        return await self._outside(site, request, str(url))

    def _refuse(self, site: Site, channel: str, url: str, reason: str) -> web.StreamResponse:
        site.block(url, channel, reason=reason)
        return web.Response(status=403, text="fjudge preview: not this submission's site")

    async def _outside(self, site: Site, request: web.Request, url: str) -> web.StreamResponse:
        """Anything but the site's own files: mirrored if the mirror can answer, else refused."""
        channel = channel_of(request, url)
        if request.method == "POST" and channel == "navigation":
            channel = "form"
        if self.mirror is not None and channel != "websocket":
            answered = await self.mirror.answer(request, url, site, channel)
            if answered is not None:
                return answered
        if channel == "image":
            site.block(url, channel, "placeholder")
            return web.Response(body=PLACEHOLDER_PNG, content_type="image/png")
        site.block(url, channel)
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
