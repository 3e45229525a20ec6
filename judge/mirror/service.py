"""The mirror as the preview sees it: a CDN URL in, the CDN's bytes (or a recorded miss) out.

Every answered request is recorded on the asking site as `mirrored` with the exact package and
file; a CDN URL with no local answer is recorded as `blocked` with the reason (offline, not
found, too large, …) and gets the 404 a CDN would give. Responses carry what the CDNs send:
content type, `Access-Control-Allow-Origin: *` (fonts and SRI need CORS), long immutable
caching for exact versions.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web

from judge.mirror import fonts
from judge.mirror.lock import Lock
from judge.mirror.packages import Located, Miss, Packages
from judge.mirror.registry import Registry
from judge.mirror.store import Store
from judge.mirror.tables import KNOWN_HOSTS
from judge.mirror.urls import Want, parse
from judge.schema import BlockedRequest

if TYPE_CHECKING:
    from judge.preview import Site

_PLAY_PLUGINS = ("forms", "typography", "aspect-ratio", "container-queries", "line-clamp")
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Cross-Origin-Resource-Policy": "cross-origin",
    "Timing-Allow-Origin": "*",
    "X-Content-Type-Options": "nosniff",
}
_EXACT = re.compile(r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$")


class MirrorService:
    """Answers CDN URLs from the package store (fetching on a miss unless offline)."""

    def __init__(self, root: Path, *, offline: bool = False, registry: Registry | None = None):
        self.root = Path(root)
        self.store = Store(self.root)
        self.lock = Lock(self.root / "lock.json")
        self.registry = registry or Registry()
        self.packages = Packages(self.store, self.registry, self.lock, offline=offline)
        self._esm = None

    @property
    def offline(self) -> bool:
        return self.packages.offline

    def knows_host(self, host: str) -> bool:
        return host.lower() in KNOWN_HOSTS

    async def close(self) -> None:
        await self.registry.close()

    async def answer(
        self, request: web.Request, url: str, site: Site, channel: str
    ) -> web.StreamResponse | None:
        """The CDN's answer for `url` (recorded on `site`), or None if it is no CDN URL."""
        want = parse(url)
        if want is None:
            return None
        if request.method == "OPTIONS":
            headers = dict(_CORS, **{"Access-Control-Allow-Methods": "GET, HEAD, OPTIONS"})
            headers["Access-Control-Allow-Headers"] = request.headers.get(
                "Access-Control-Request-Headers", "*"
            )
            return web.Response(status=204, headers=headers)
        if request.method not in ("GET", "HEAD"):
            site.block(url, channel, reason="external_api")
            return web.Response(status=405, headers=_CORS)
        try:
            return await self._respond(want, url, site, channel)
        except Miss as miss:
            site.block(url, channel, reason=miss.reason, detail=str(miss)[:300])
            return web.Response(status=404, text=f"fjudge mirror: {miss}", headers=_CORS)

    async def warm(self, url: str) -> BlockedRequest:
        """Fetch and pin what `url` needs, as a page's request would; what would be recorded."""
        from judge.mirror.scan import Recorder

        want = parse(url)
        rec = Recorder()
        if want is None:
            return BlockedRequest(url=url[:500], channel="prefill", reason="unsupported")
        try:
            await self._respond(want, url, rec, "prefill")  # type: ignore[arg-type]
        except Miss as miss:
            rec.block(url, "prefill", reason=miss.reason, detail=str(miss)[:300])
        return rec.blocked[-1]

    async def _respond(self, want: Want, url: str, site: Site, channel: str) -> web.StreamResponse:
        if want.kind == "fonts_css":
            css, used = await fonts.google_css(self.packages, want.file, want.query)
            site.block(url, channel, "mirrored", package=",".join(used)[:300], file="(css)")
            return _text(css, "text/css; charset=utf-8", exact=False)
        if want.kind == "tailwind_play":
            got = await self._tailwind_play(want)
            site.block(url, channel, "mirrored", package=got.package, file=got.rel)
            return _file(got, exact=False)
        if want.kind == "combine":
            return await self._combine(want, url, site, channel)
        if want.module:
            from judge.mirror.esm import module_response

            # A subpath of an ES-module CDN is an export name (`preact/hooks`), not a file:
            # esbuild resolves it with the package's `exports`, as the CDN does.
            version = await self.packages.resolve(want.name, want.spec)
            await self.packages.ensure(want.name, version)
            pkg_dir = self.store.pkg_dir(want.name, version)
            got = Located(want.name, version, want.file, pkg_dir)
            return await module_response(self, want, got, url, site, channel)
        got = await self.packages.get(
            want.name, want.spec, want.file, cdn=want.cdn, alternates=want.alternates
        )
        exact = want.spec == got.version
        if want.cdn == "unpkg" and (not exact or got.rel != want.file):
            # unpkg redirects ranges and default entries to the exact file, so relative
            # imports inside it resolve against the real path; the browser follows.
            target = f"https://unpkg.com/{got.name}@{got.version}/{got.rel}"
            site.block(url, channel, "mirrored", package=got.package, file=got.rel)
            return web.Response(status=302, headers=dict(_CORS, Location=target))
        site.block(url, channel, "mirrored", package=got.package, file=got.rel)
        return _file(got, exact=exact and bool(_EXACT.match(got.version)))

    async def _tailwind_play(self, want: Want) -> Located:
        """cdn.tailwindcss.com: the v3 Play CDN script, as re-published on npm byte for byte
        (`tailwindcss-cdn`, one file per plugin set, fetched from the Play CDN itself)."""
        plugins = sorted(
            {p for v in want.query.get("plugins", []) for p in v.split(",") if p in _PLAY_PLUGINS}
        )
        stem = "tailwindcss"
        if len(plugins) == 1:
            stem += f"-with-{plugins[0]}"
        elif plugins:
            stem += "-with-all-plugins"  # every official plugin: a superset of the request
        rel = f"{stem}.js"
        alternates = (rel,) if want.spec else ()
        first = f"{want.spec}/{rel}" if want.spec else rel
        return await self.packages.get("tailwindcss-cdn", "", first, alternates=alternates)

    async def _combine(self, want: Want, url: str, site: Site, channel: str) -> web.Response:
        chunks, used = [], []
        for part in want.parts:
            got = await self.packages.get(part.name, part.spec, part.file, cdn="jsdelivr")
            chunks.append(got.path.read_bytes())
            used.append(f"{got.package}/{got.rel}")
        site.block(url, channel, "mirrored", package=",".join(used)[:300], file="(combined)")
        ctype = "text/css" if want.parts[0].file.endswith(".css") else "text/javascript"
        return _text(b"\n".join(chunks), f"{ctype}; charset=utf-8", exact=False)


def _file(got: Located, *, exact: bool) -> web.StreamResponse:
    from judge.preview import content_type

    ctype = content_type(got.path)
    if ctype.startswith("text/") or ctype == "application/json":
        ctype += "; charset=utf-8"
    headers = dict(_CORS, **{"Content-Type": ctype, "Cache-Control": _cache(exact)})
    # The stored bytes as they are (FileResponse would prefer a `.gz` sibling if one exists,
    # and that need not decode to the same bytes: SRI hashes the published file).
    return web.Response(body=got.path.read_bytes(), headers=headers)


def _text(body: str | bytes, ctype: str, *, exact: bool) -> web.Response:
    data = body.encode() if isinstance(body, str) else body
    headers = dict(_CORS, **{"Content-Type": ctype, "Cache-Control": _cache(exact)})
    return web.Response(body=data, headers=headers)


def _cache(exact: bool) -> str:
    return "public, max-age=31536000, immutable" if exact else "public, max-age=600"
