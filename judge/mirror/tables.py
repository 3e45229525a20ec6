"""Which CDN names map to which npm packages, and where the CDN's files sit in the package.

cdnjs, Google's Hosted Libraries and the Bootstrap CDNs publish the same files npm packages
carry, under their own library names and without the package's `dist/`-style prefix. Each row
says which npm package and which base folders to try, in order. A library not listed is tried
as the npm package of the same (lowercased) name, at the root and under `dist/`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

JSDELIVR_HOSTS = frozenset(
    {
        "cdn.jsdelivr.net",
        "fastly.jsdelivr.net",
        "gcore.jsdelivr.net",
        "testingcf.jsdelivr.net",
        "originfastly.jsdelivr.net",
    }
)
STACKPATH = frozenset(
    {"stackpath.bootstrapcdn.com", "maxcdn.bootstrapcdn.com", "netdna.bootstrapcdn.com"}
)
ESM_HOSTS = frozenset({"esm.sh", "cdn.esm.sh", "cdn.skypack.dev", "jspm.dev", "ga.jspm.io"})
KNOWN_HOSTS = frozenset(
    {
        "unpkg.com",
        "cdnjs.cloudflare.com",
        "code.jquery.com",
        "ajax.googleapis.com",
        "use.fontawesome.com",
        "cdn.tailwindcss.com",
        "fonts.googleapis.com",
        "fonts.bunny.net",
        "cdn.plot.ly",
        "cdn.simplecss.org",
        "d3js.org",
        "code.highcharts.com",
        "cdn.datatables.net",
    }
    | JSDELIVR_HOSTS
    | STACKPATH
    | ESM_HOSTS
)


@dataclass(frozen=True)
class CdnjsMap:
    """A cdnjs library as an npm package: its name and the folders its files sit under."""

    npm: str
    bases: tuple[str, ...]
    version: str | None = None  # the npm version, when cdnjs spells it differently


def _three(version: str) -> str:
    """three.js is versioned r128 on cdnjs and Google, 0.128.0 on npm."""
    m = re.match(r"^r(\d+)$", version)
    return f"0.{m.group(1)}.0" if m else version


def _major(version: str) -> int:
    m = re.match(r"^(\d+)", version)
    return int(m.group(1)) if m else 0


# cdnjs library → (npm package, base folders). Lookups are case-insensitive.
CDNJS: dict[str, tuple[str, tuple[str, ...]]] = {
    "jquery": ("jquery", ("dist/",)),
    "jqueryui": ("jquery-ui", ("dist/", "")),
    "jquery-ui": ("jquery-ui", ("dist/", "")),
    "bootstrap": ("bootstrap", ("dist/",)),
    "bootstrap-icons": ("bootstrap-icons", ("",)),
    "chart.js": ("chart.js", ("dist/",)),
    "d3": ("d3", ("dist/",)),
    "three.js": ("three", ("build/", "")),
    "lodash.js": ("lodash", ("",)),
    "axios": ("axios", ("dist/", "")),
    "vue": ("vue", ("dist/",)),
    "react": ("react", ("",)),
    "react-dom": ("react-dom", ("",)),
    "animate.css": ("animate.css", ("",)),
    "gsap": ("gsap", ("dist/",)),
    "marked": ("marked", ("", "lib/")),
    "tailwindcss": ("tailwindcss", ("dist/", "")),
    "moment.js": ("moment", ("min/", "")),
    "anime.js": ("animejs", ("lib/", "")),
    "animejs": ("animejs", ("lib/", "")),
    "matter-js": ("matter-js", ("build/",)),
    "tone": ("tone", ("build/",)),
    "canvas-confetti": ("canvas-confetti", ("dist/",)),
    "filesaver.js": ("file-saver", ("dist/",)),
    "swiper": ("swiper", ("",)),
    "highlight.js": ("@highlightjs/cdn-assets", ("",)),
    "popper.js": ("@popperjs/core", ("dist/",)),
    "p5.js": ("p5", ("lib/",)),
    "sortable": ("sortablejs", ("",)),
    "aos": ("aos", ("dist/",)),
    "typed.js": ("typed.js", ("dist/", "lib/")),
    "leaflet": ("leaflet", ("dist/",)),
    "sweetalert2": ("sweetalert2", ("dist/",)),
    "toastr.js": ("toastr", ("build/",)),
    "underscore.js": ("underscore", ("",)),
    "bodymovin": ("lottie-web", ("build/player/",)),
    "htmx": ("htmx.org", ("dist/",)),
    "alpinejs": ("alpinejs", ("dist/",)),
    "mermaid": ("mermaid", ("dist/",)),
    "prism": ("prismjs", ("",)),
    "normalize": ("normalize.css", ("",)),
    "hammer.js": ("hammerjs", ("",)),
    "particles.js": ("particles.js", ("",)),
    "babel-standalone": ("@babel/standalone", ("",)),
    "babel-core": ("babel-standalone", ("",)),
    "material-design-icons": ("material-design-icons", ("",)),
    "simple-icons": ("simple-icons", ("",)),
    "lucide": ("lucide", ("dist/umd/", "")),
    "feather-icons": ("feather-icons", ("dist/",)),
    "bulma": ("bulma", ("css/", "")),
    "materialize": ("materialize-css", ("dist/",)),
    "pure": ("purecss", ("build/",)),
    "skeleton": ("skeleton-css", ("css/",)),
    "font-awesome": ("@fortawesome/fontawesome-free", ("",)),
}


def cdnjs_map(lib: str, version: str) -> CdnjsMap | None:
    """The npm package behind a cdnjs library at a version (None: try the same name)."""
    key = lib.lower()
    if key == "font-awesome" and _major(version) < 5:
        return CdnjsMap("font-awesome", ("",))
    if key == "popper.js" and _major(version) < 2:
        return CdnjsMap("popper.js", ("dist/",))
    if key == "three.js":
        return CdnjsMap("three", ("build/", ""), _three(version))
    row = CDNJS.get(key)
    return CdnjsMap(row[0], row[1]) if row else None


# Google Hosted Libraries: name → (npm package, base folders, version translation).
GOOGLE_AJAX: dict[str, tuple[str, tuple[str, ...], Callable[[str], str] | None]] = {
    "jquery": ("jquery", ("dist/",), None),
    "jqueryui": ("jquery-ui", ("dist/", "", "dist/themes/"), None),
    "angularjs": ("angular", ("",), None),
    "d3js": ("d3", ("dist/",), None),
    "threejs": ("three", ("build/",), _three),
    "webfont": ("webfontloader", ("",), None),
    "hammerjs": ("hammerjs", ("",), None),
    "model-viewer": ("@google/model-viewer", ("dist/",), None),
}
