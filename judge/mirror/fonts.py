"""Google Fonts CSS API (v1 `/css`, v2 `/css2`, `/icon`) answered from npm font packages.

A family becomes the `@fontsource/<id>` package (static weights) or, for a weight range
(`wght@100..900`), `@fontsource-variable/<id>`; Material Icons come from `material-icons`,
Material Symbols from `material-symbols`. The CSS is shaped like Google's — one `@font-face`
per subset with its `unicode-range`, latin last, `font-display` from `display=` — and points at
the font files through jsDelivr URLs, which the mirror answers byte-for-byte from the store.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from judge.mirror.packages import Located, Miss, Packages

FILES_URL = "https://cdn.jsdelivr.net/npm/{package}/{rel}"
_SUBSET_ORDER = ["cyrillic-ext", "cyrillic", "greek-ext", "greek", "vietnamese", "latin-ext"]
# Google family → fontsource id, where the slug differs (renamed families).
_ALIASES = {"muli": "mulish"}
_ICON_FAMILIES = {
    "material icons": ("material-icons", "material-icons"),
    "material icons outlined": ("material-icons", "material-icons-outlined"),
    "material icons round": ("material-icons", "material-icons-round"),
    "material icons sharp": ("material-icons", "material-icons-sharp"),
    "material icons two tone": ("material-icons", "material-icons-two-tone"),
    "material symbols outlined": ("material-symbols", "material-symbols-outlined"),
    "material symbols rounded": ("material-symbols", "material-symbols-rounded"),
    "material symbols sharp": ("material-symbols", "material-symbols-sharp"),
}
_ICON_CLASS = """.{cls} {{
  font-family: '{family}';
  font-weight: normal;
  font-style: normal;
  font-size: 24px;
  line-height: 1;
  letter-spacing: normal;
  text-transform: none;
  display: inline-block;
  white-space: nowrap;
  word-wrap: normal;
  direction: ltr;
  -webkit-font-feature-settings: 'liga';
  font-feature-settings: 'liga';
  -webkit-font-smoothing: antialiased;
}}
"""


@dataclass(frozen=True)
class FamilyRequest:
    """One `family=` entry: name, (weight, italic) pairs, or a weight range."""

    name: str
    faces: tuple[tuple[int, bool], ...]
    wght_range: tuple[int, int] | None = None


def parse_families(api: str, query: dict[str, list[str]]) -> list[FamilyRequest]:
    """`family=` values of a css (v1, `|`-separated) or css2 (repeated) query."""
    out: list[FamilyRequest] = []
    for value in query.get("family", [])[:20]:
        entries = value.split("|") if api in ("css", "icon") else [value]
        for entry in entries:
            name, _, spec = entry.partition(":")
            name = " ".join(name.replace("+", " ").split())
            if not name or len(name) > 80:
                continue
            out.append(_v1(name, spec) if api in ("css", "icon") else _v2(name, spec))
    return out


def _v1(name: str, spec: str) -> FamilyRequest:
    faces = []
    for variant in filter(None, spec.split(",")):
        v = variant.strip().lower()
        italic = v.endswith(("italic", "i")) and v not in ("", "regular")
        digits = re.match(r"^(\d{3})", v)
        weight = int(digits.group(1)) if digits else (700 if v.startswith("b") else 400)
        faces.append((weight, italic))
    return FamilyRequest(name, tuple(dict.fromkeys(faces or [(400, False)])))


def _v2(name: str, spec: str) -> FamilyRequest:
    axes_s, _, tuples_s = spec.partition("@")
    axes = [a.strip().lower() for a in axes_s.split(",") if a.strip()]
    if not axes or not tuples_s:
        return FamilyRequest(name, ((400, False),))
    faces, wrange = [], None
    for tup in tuples_s.split(";"):
        values = tup.split(",")
        if len(values) != len(axes):
            continue
        row = dict(zip(axes, values, strict=True))
        italic = row.get("ital", "0").strip() == "1"
        w = row.get("wght", "400").strip()
        if ".." in w:
            lo, _, hi = w.partition("..")
            if lo.isdigit() and hi.isdigit():
                wrange = (int(lo), int(hi))
                faces.append((int(lo), italic))
            continue
        faces.append((int(float(w)) if re.match(r"^\d+(\.\d+)?$", w) else 400, italic))
    return FamilyRequest(name, tuple(dict.fromkeys(faces or [(400, False)])), wrange)


async def google_css(
    packages: Packages, api: str, query: dict[str, list[str]]
) -> tuple[str, list[str]]:
    """(CSS text, packages used) for a Google Fonts CSS URL; Miss if no family is known."""
    display = (query.get("display") or [""])[0]
    css, used = [], []
    for fam in parse_families(api, query):
        icon = _ICON_FAMILIES.get(fam.name.lower())
        try:
            if icon is not None:
                text, pkg = await _icon_css(packages, fam.name, *icon)
            else:
                text, pkg = await _family_css(packages, fam, display)
        except Miss:
            continue  # Google answers the families it has; so do we
        css.append(text)
        used.append(pkg)
    if not css:
        raise Miss("not_found", "no requested font family is available as an npm package")
    return "".join(css), used


async def _family_css(packages: Packages, fam: FamilyRequest, display: str) -> tuple[str, str]:
    slug = re.sub(r"[^a-z0-9]+", "-", fam.name.lower()).strip("-")
    variable = fam.wght_range is not None
    meta: Located | None = None
    tried = []
    for fid in dict.fromkeys([slug, _ALIASES.get(slug, slug)]):
        for scope in ("@fontsource-variable", "@fontsource") if variable else ("@fontsource",):
            tried.append(f"{scope}/{fid}")
            try:
                meta = await packages.get(f"{scope}/{fid}", "", "package.json")
                break
            except Miss as exc:
                if exc.reason in ("offline", "registry_error"):
                    raise
        if meta is not None:
            break
    if meta is None:
        raise Miss("not_found", f"no font package among {tried}")
    info = _metadata(packages, meta, slug)
    unicode_path = packages.store.file(meta.name, meta.version, "unicode.json")
    ranges = json.loads(unicode_path.read_text(encoding="utf-8")) if unicode_path else {}
    subsets = sorted(info.get("subsets", []), key=_subset_key)
    # The family name as requested, as Google echoes it (a renamed family keeps the old name).
    fid, family = info.get("id", slug), fam.name
    is_var = meta.name.startswith("@fontsource-variable/")
    blocks = []
    for weight, italic in fam.faces:
        style = "italic" if italic else "normal"
        if not is_var and weight not in info.get("weights", []):
            continue
        for subset in subsets:
            if is_var:
                rel = f"files/{fid}-{subset}-wght-{style}.woff2"
                lo, hi = fam.wght_range or (weight, weight)
                weight_css = f"{lo} {hi}"
            else:
                rel = f"files/{fid}-{subset}-{weight}-{style}.woff2"
                weight_css = str(weight)
            if packages.store.file(meta.name, meta.version, rel) is None:
                continue
            url = FILES_URL.format(package=meta.package, rel=rel)
            lines = [
                f"/* {subset} */",
                "@font-face {",
                f"  font-family: '{family}';",
                f"  font-style: {style};",
                f"  font-weight: {weight_css};",
            ]
            if display in ("auto", "block", "swap", "fallback", "optional"):
                lines.append(f"  font-display: {display};")
            lines.append(f"  src: url({url}) format('woff2');")
            if subset in ranges:
                lines.append(f"  unicode-range: {ranges[subset]};")
            blocks.append("\n".join(lines) + "\n}\n")
    if not blocks:
        raise Miss("not_found", f"{meta.package} has none of the requested weights")
    return "".join(blocks), meta.package


def _metadata(packages: Packages, pkg: Located, slug: str) -> dict:
    """fontsource's metadata.json (v5), or the same facts read off the file names (v4)."""
    path = packages.store.file(pkg.name, pkg.version, "metadata.json")
    if path is not None:
        data = json.loads(path.read_text(encoding="utf-8"))
        # v4 spells it fontId and weights as strings.
        data["id"] = data.get("id") or data.get("fontId") or slug
        data["weights"] = [int(w) for w in data.get("weights", []) if str(w).isdigit()]
        return data
    files = packages.store.pkg_dir(pkg.name, pkg.version) / "files"
    info: dict = {"id": slug, "subsets": set(), "weights": set()}
    pattern = re.compile(rf"^{re.escape(slug)}-(.+)-(\d{{3}})-(normal|italic)\.woff2$")
    for f in sorted(files.glob("*.woff2")) if files.is_dir() else []:
        m = pattern.match(f.name)
        if m:
            info["subsets"].add(m.group(1))
            info["weights"].add(int(m.group(2)))
    info["subsets"], info["weights"] = sorted(info["subsets"]), sorted(info["weights"])
    return info


async def _icon_css(packages: Packages, family: str, npm: str, stem: str) -> tuple[str, str]:
    font = await packages.get(npm, "", f"{stem}.woff2", alternates=(f"iconfont/{stem}.woff2",))
    url = FILES_URL.format(package=font.package, rel=font.rel)
    weight = "100 700" if npm == "material-symbols" else "400"
    face = (
        "@font-face {\n"
        f"  font-family: '{family}';\n"
        "  font-style: normal;\n"
        f"  font-weight: {weight};\n"
        f"  src: url({url}) format('woff2');\n"
        "}\n"
    )
    return face + _ICON_CLASS.format(cls=stem, family=family), font.package


def _subset_key(subset: str) -> tuple[int, str]:
    if subset == "latin":
        return (len(_SUBSET_ORDER) + 1, subset)
    return (_SUBSET_ORDER.index(subset) if subset in _SUBSET_ORDER else -1, subset)
