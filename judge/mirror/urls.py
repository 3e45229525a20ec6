"""CDN URLs → what they ask for: (package, version range, file), a fonts query, or nothing.

Pure parsing, no I/O: every form a page may use to load a library, font or icon set from a
public CDN becomes a `Want`. A URL that is not understood is `None` (the preview blocks it).
Names, ranges and paths are validated here, so nothing downstream sees `..`, an absolute path,
a NUL, a backslash or an npm name npm itself would refuse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from judge.mirror.tables import (
    CDNJS,
    GOOGLE_AJAX,
    JSDELIVR_HOSTS,
    STACKPATH,
    CdnjsMap,
    cdnjs_map,
)

Kind = Literal["npm", "fonts_css", "tailwind_play", "combine"]
Cdn = Literal["unpkg", "jsdelivr", "cdnjs", "jquery", "google", "stackpath", "esm", "fa", "other"]

_NAME = re.compile(r"^(?:@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$")
_SPEC = re.compile(r"^[0-9A-Za-z.^~<>=*|+ -]{0,64}$")


@dataclass(frozen=True)
class Want:
    """What one CDN URL asks for."""

    kind: Kind
    cdn: Cdn = "other"
    name: str = ""
    spec: str = ""  # version range or dist-tag; "" = latest
    file: str = ""  # path inside the package; "" = the package's default entry
    module: bool = False  # ES-module form: bare imports must be rewritten
    alternates: tuple[str, ...] = ()  # other paths to try, in order (cdnjs layouts)
    query: dict[str, list[str]] = field(default_factory=dict)
    parts: tuple[Want, ...] = ()  # jsDelivr /combine/

    @property
    def pin_key(self) -> str:
        return f"{self.name}@{self.spec or 'latest'}"


def valid_name(name: str) -> bool:
    """An npm package name npm would accept (lowercase, ≤ 214 chars, no path tricks)."""
    return len(name) <= 214 and bool(_NAME.match(name)) and ".." not in name


def clean_path(path: str) -> str | None:
    """A relative path inside a package, or None if it could leave it."""
    if any(c in path for c in ("\0", "\\")) or len(path) > 400:
        return None
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if any(p == ".." or p.startswith("~") for p in parts):
        return None
    return "/".join(parts)


def _split_pkg(path: str) -> tuple[str, str, str] | None:
    """'@scope/name@range/file/x.js' → (name, range, file)."""
    segs = path.lstrip("/").split("/")
    if not segs or not segs[0]:
        return None
    n = 2 if segs[0].startswith("@") else 1
    if len(segs) < n:
        return None
    head = "/".join(segs[:n])
    at = head.rfind("@")
    if at > 0:
        name, spec = head[:at], head[at + 1 :]
    else:
        name, spec = head, ""
    file = clean_path("/".join(segs[n:]))
    if not valid_name(name) or not _SPEC.match(spec) or file is None:
        return None
    return name, spec.strip(), file


def _npm(
    path: str, cdn: Cdn, module: bool = False, query: dict[str, list[str]] | None = None
) -> Want | None:
    got = _split_pkg(path)
    if got is None:
        return None
    name, spec, file = got
    return Want("npm", cdn, name, spec, file, module, query=query or {})


def parse(url: str) -> Want | None:
    """The Want behind a CDN URL, or None when the URL is not a CDN form the mirror answers."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    # Decode once: CDNs do, and validation below sees the decoded path (so %2e%2e is caught).
    path = unquote(parts.path)
    query = parse_qs(parts.query, keep_blank_values=True)
    if host == "unpkg.com":
        return _npm(path, "unpkg", module="module" in query, query=query)
    if host in JSDELIVR_HOSTS:
        return _jsdelivr(path)
    if host == "cdnjs.cloudflare.com":
        return _cdnjs(path)
    if host == "code.jquery.com":
        return _jquery(path)
    if host == "ajax.googleapis.com":
        return _google_ajax(path)
    if host in STACKPATH:
        return _stackpath(path)
    if host == "use.fontawesome.com":
        m = re.match(r"^/releases/v([0-9.]+)/(.+)$", path)
        file = clean_path(m.group(2)) if m else None
        if m and file is not None:
            return Want("npm", "fa", "@fortawesome/fontawesome-free", m.group(1), file)
        return None
    if host == "cdn.tailwindcss.com":
        version = clean_path(path) or ""
        if version and not re.match(r"^[0-9][0-9.]*$", version):
            return None
        return Want("tailwind_play", "other", spec=version, query=query)
    if host == "fonts.googleapis.com" and path in ("/css", "/css2", "/icon"):
        return Want("fonts_css", "google", file=path.lstrip("/"), query=query)
    if host == "fonts.bunny.net" and path in ("/css", "/css2"):
        # Bunny Fonts speaks Google's API with slugs for names (`open-sans:400,700`).
        families = [_bunny_family(v) for v in query.get("family", [])]
        return Want(
            "fonts_css", "google", file=path.lstrip("/"), query={**query, "family": families}
        )
    if host == "cdn.plot.ly":
        m = re.match(r"^/plotly-(\d+\.\d+\.\d+|latest)(\.min)?\.js$", path)
        if m is None:
            return None
        # plotly-latest stopped at 1.58.5 when v2 came out.
        version = "1.58.5" if m.group(1) == "latest" else m.group(1)
        return Want("npm", "other", "plotly.js-dist-min", version, "plotly.min.js")
    if host in PROJECT_CDNS:
        return PROJECT_CDNS[host](path)
    if host == "cdn.simplecss.org" and path in ("/simple.css", "/simple.min.css"):
        return Want("npm", "other", "simpledotcss", "", path.lstrip("/"))
    if host in ("esm.sh", "cdn.skypack.dev", "jspm.dev", "ga.jspm.io", "cdn.esm.sh"):
        return _esm(host, path, query)
    return None


def _jsdelivr(path: str) -> Want | None:
    if path.startswith("/combine/"):
        items = [_jsdelivr("/" + p.strip()) for p in path[len("/combine/") :].split(",")]
        if not items or len(items) > 20 or any(i is None or i.kind != "npm" for i in items):
            return None
        return Want("combine", "jsdelivr", parts=tuple(i for i in items if i is not None))
    if path.startswith("/gh/alpinejs/alpine@"):
        # Alpine v2's documented address: the GitHub tag is the npm release (`v2.x.x`).
        m = re.match(r"^/gh/alpinejs/alpine@v?([0-9x.]+)/(.+)$", path)
        file = clean_path(m.group(2)) if m else None
        return Want("npm", "jsdelivr", "alpinejs", m.group(1), file) if m and file else None
    if path.startswith("/gh/"):
        return _lit_bundle(path)
    if not path.startswith("/npm/"):
        return None  # /wp/: not registry packages
    rest = path[len("/npm/") :]
    module = rest.endswith("/+esm")
    if module:
        rest = rest[: -len("/+esm")]
    return _npm(rest, "jsdelivr", module=module)


def _d3js(path: str) -> Want | None:
    """d3js.org/d3.v7.min.js (and its modules, topojson): the npm package at that major."""
    m = re.match(r"^/([a-z][a-z0-9-]*)\.v(\d+)((?:\.min)?\.js)$", path)
    if m is None or not valid_name(m.group(1)):
        return None
    name, ext = m.group(1), m.group(3)
    files = (f"dist/{name}{ext}", f"{name}{ext}", f"build/{name}{ext}")
    return Want("npm", "other", name, m.group(2), files[0], alternates=files[1:])


def _highcharts(path: str) -> Want | None:
    """code.highcharts.com/[stock/|maps/|gantt/][VERSION/]FILE: the `highcharts` package,
    whose files sit at its root (highstock.js, modules/exporting.js, css/highcharts.css)."""
    m = re.match(r"^/(?:(?:stock|maps|gantt)/)?(?:(\d+(?:\.\d+){0,2})/)?(.+)$", path)
    file = clean_path(m.group(2)) if m else None
    if m is None or file is None:
        return None
    return Want("npm", "other", "highcharts", m.group(1) or "", file)


def _datatables(path: str) -> Want | None:
    """cdn.datatables.net/VERSION/{js,css,images}/FILE: `datatables.net` (script) and its
    default styling package `datatables.net-dt` (stylesheet, sort icons)."""
    m = re.match(r"^/(\d+\.\d+\.\d+)/((js|css|images)/.+)$", path)
    file = clean_path(m.group(2)) if m else None
    if m is None or file is None:
        return None
    name = "datatables.net" if m.group(3) == "js" else "datatables.net-dt"
    return Want("npm", "other", name, m.group(1), file)


# Projects' own CDNs that publish exactly their npm package's files.
PROJECT_CDNS = {
    "d3js.org": _d3js,
    "code.highcharts.com": _highcharts,
    "cdn.datatables.net": _datatables,
}


def _lit_bundle(path: str) -> Want | None:
    """Lit's documented single-file build (`/gh/lit/dist@3/core/lit-core.min.js`) is the `lit`
    package's main module bundled: answered as that module. Other GitHub files (and the
    `all/` build, which adds every directive) are not registry packages: None."""
    m = re.match(r"^/gh/lit/dist@(\d+(?:\.\d+){0,2})/core/lit-core(?:\.min)?\.js$", path)
    if m is None:
        return None
    return Want("npm", "jsdelivr", "lit", m.group(1), "", module=True)


def _cdnjs(path: str) -> Want | None:
    m = re.match(r"^/ajax/libs/([^/]+)/([^/]+)/(.+)$", path)
    if not m:
        return None
    lib, version, file = m.group(1), m.group(2), clean_path(m.group(3))
    if file is None or not _SPEC.match(version):
        return None
    mapped: CdnjsMap | None = cdnjs_map(lib, version)
    if mapped is None:
        name = lib.lower()
        if not valid_name(name):
            return None
        mapped = CdnjsMap(name, ("", "dist/"))
    paths = tuple(clean_path(base + file) or file for base in mapped.bases)
    spec = mapped.version or version
    return Want("npm", "cdnjs", mapped.npm, spec, paths[0], alternates=paths[1:])


def _jquery(path: str) -> Want | None:
    m = re.match(r"^/jquery-(\d[\w.-]*?)((?:\.slim)?(?:\.min)?\.(?:js|map))$", path)
    if m:
        return Want("npm", "jquery", "jquery", m.group(1), f"dist/jquery{m.group(2)}")
    m = re.match(r"^/jquery-migrate-(\d[\w.-]*?)((?:\.min)?\.js)$", path)
    if m:
        return Want(
            "npm", "jquery", "jquery-migrate", m.group(1), f"dist/jquery-migrate{m.group(2)}"
        )
    m = re.match(r"^/ui/(\d[\w.]*)/(.+)$", path)
    file = clean_path(m.group(2)) if m else None
    if m and file is not None:
        # code.jquery.com/ui/V/jquery-ui.min.js ≙ jquery-ui@V/dist/jquery-ui.min.js;
        # themes/base/* ≙ dist/themes/base/*.
        return Want("npm", "jquery", "jquery-ui", m.group(1), f"dist/{file}", alternates=(file,))
    return None


def _google_ajax(path: str) -> Want | None:
    m = re.match(r"^/ajax/libs/([^/]+)/([^/]+)/(.+)$", path)
    if not m or m.group(1) not in GOOGLE_AJAX:
        return None
    npm, bases, version_map = GOOGLE_AJAX[m.group(1)]
    version = version_map(m.group(2)) if version_map else m.group(2)
    file = clean_path(m.group(3))
    if file is None or not _SPEC.match(version):
        return None
    paths = tuple(clean_path(b + file) or file for b in bases)
    return Want("npm", "google", npm, version, paths[0], alternates=paths[1:])


def _stackpath(path: str) -> Want | None:
    m = re.match(r"^/([^/]+)/([^/]+)/(.+)$", path)
    if not m or m.group(1) not in STACKPATH_LIBS:
        return None
    npm, bases = STACKPATH_LIBS[m.group(1)]
    file = clean_path(m.group(3))
    if file is None or not _SPEC.match(m.group(2)):
        return None
    paths = tuple(clean_path(b + file) or file for b in bases)
    return Want("npm", "stackpath", npm, m.group(2), paths[0], alternates=paths[1:])


STACKPATH_LIBS: dict[str, tuple[str, tuple[str, ...]]] = {
    "bootstrap": ("bootstrap", ("dist/", "")),
    "font-awesome": ("font-awesome", ("",)),
    "bootswatch": ("bootswatch", ("dist/", "")),
}


def _esm(host: str, path: str, query: dict[str, list[str]]) -> Want | None:
    """esm.sh, Skypack, jspm: a package's ES module, with bare imports made CDN URLs."""
    if host == "ga.jspm.io":
        if not path.startswith("/npm:"):
            return None
        return _npm(path[len("/npm:") :], "esm", module=True, query=query)
    # esm.sh build prefixes (/v135/, /stable/) and Skypack's pinned form (/-/name@v-hash/...).
    path = re.sub(r"^/(?:v\d+|stable)/", "/", path)
    if host in ("esm.sh", "cdn.esm.sh") and path.startswith("/*"):
        # `esm.sh/*name`: every import of another package stays bare, for the page's import map.
        path, query = "/" + path[2:], {**query, "external": ["*"]}
    if host == "cdn.skypack.dev" and path.startswith("/-/"):
        m = re.match(r"^/-/((?:@[^/]+/)?[^@/]+)@v?([^-/]+)-[^/]+/(.*)$", path)
        if not m:
            return None
        path = f"/{m.group(1)}@{m.group(2)}"
    return _npm(path, "esm", module=True, query=query)


def _bunny_family(value: str) -> str:
    """`open-sans:400,700|inter` → `Open Sans:400,700|Inter` (the family names CSS uses)."""
    out = []
    for entry in value.split("|"):
        name, sep, spec = entry.partition(":")
        out.append(" ".join(w.capitalize() for w in re.split(r"[-+ ]", name) if w) + sep + spec)
    return "|".join(out)


def esm_args(query: dict[str, list[str]]) -> tuple[dict[str, str], tuple[str, ...]]:
    """esm.sh's build arguments, validated: `?deps=react@18.2.0,…` pins the versions of the
    module's dependencies, `?external=react,…` (`*`: all) leaves their imports bare."""
    deps: dict[str, str] = {}
    for item in ",".join(query.get("deps", [])).split(","):
        item = item.strip()
        at = item.rfind("@")
        name, spec = (item[:at], item[at + 1 :]) if at > 0 else (item, "")
        if item and valid_name(name) and _SPEC.match(spec):
            deps[name] = spec.strip()
    external = {
        e.strip()
        for e in ",".join(query.get("external", [])).split(",")
        if e.strip() == "*" or valid_name(e.strip())
    }
    return deps, tuple(sorted(external))


def esm_query(deps: dict[str, str], external: tuple[str, ...] | list[str]) -> str:
    """The query string `esm_args` reads back ('' when there is nothing to say)."""
    parts = []
    if deps:
        parts.append("deps=" + ",".join(f"{n}@{v}" if v else n for n, v in sorted(deps.items())))
    if external:
        parts.append("external=" + ",".join(sorted(external)))
    return "?" + "&".join(parts) if parts else ""


__all__ = ["CDNJS", "Want", "clean_path", "esm_args", "esm_query", "parse", "valid_name"]
