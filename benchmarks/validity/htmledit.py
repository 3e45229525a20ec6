"""Text-level editing of a copied app: its entry HTML, own stylesheets and own scripts.

Defect operators work on the files as a person would edit them (a changed `href`, an extra
`<style>` block, a statement added at the top of a script), so a mutant is an ordinary site the
pipeline judges like any other. `Facts` is a static reading of the files, used to say "not
applicable" before a mutant is made (no text field, no images, no navigation ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

TEXT_TYPES = {"", "text", "search", "email", "password", "number", "tel", "url"}
USER_EVENTS = (
    "click|dblclick|mousedown|mouseup|pointerdown|pointerup|touchstart|touchend|keydown|keyup|"
    "keypress|input|change|submit|dragstart|dragend|dragover|dragenter|dragleave|drop|"
    "contextmenu|wheel|mousemove|mouseover|mouseenter|mouseleave|mouseout"
)
_LISTENER = re.compile(
    rf"""addEventListener\(\s*['"`]({USER_EVENTS})['"`]|\.on({USER_EVENTS})\s*=""", re.I
)
_INLINE_HANDLER = re.compile(rf"""\son({USER_EVENTS})\s*=\s*("[^"]*"|'[^']*')""", re.I)
_IMAGE_URL = re.compile(
    r"""(?:https?:)?//[^\s'"`)]+?(?:\.(?:png|jpe?g|gif|webp|svg|avif)(?:\?[^\s'"`)]*)?|"""
    r"""unsplash\.com/[^\s'"`)]*|randomuser\.me/api/portraits/[^\s'"`)]*|picsum\.photos/[^\s'"`)]*)""",
    re.I,
)
_LOCAL_IMAGE = re.compile(r"""^[\w./-]+\.(?:png|jpe?g|gif|webp|svg|avif)$""", re.I)


def is_local(url: str) -> bool:
    """A reference to the app's own files (not another host, not a data: URL)."""
    return bool(url) and not re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", url, re.I)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.inline_scripts: list[str] = []
        self.inline_styles: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        self.tags.append((tag.lower(), a))
        if tag in ("script", "style"):
            self._in = tag
            (self.inline_scripts if tag == "script" else self.inline_styles).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.inline_scripts[-1] += data
        elif self._in == "style":
            self.inline_styles[-1] += data


@dataclass
class Facts:
    """What the app's files contain, read statically."""

    text_fields: int = 0
    fields: int = 0
    controls: int = 0
    buttons: int = 0
    focusables: int = 0
    nav: bool = False
    images: int = 0
    own_css: list[str] = field(default_factory=list)
    own_js: list[str] = field(default_factory=list)
    inline_css: int = 0
    inline_js: int = 0
    user_listeners: int = 0
    script_text: str = ""
    css_text: str = ""


class Site:
    """A copied app being edited: the entry HTML plus its own CSS/JS files."""

    def __init__(self, root: Path, entry: str = "index.html") -> None:
        self.root = root
        self.entry = root / entry
        self.html = self.entry.read_text(encoding="utf-8", errors="replace")
        self._facts: Facts | None = None

    def save(self) -> None:
        self.entry.write_text(self.html, encoding="utf-8")

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8", errors="replace")

    def write(self, rel: str, text: str) -> None:
        (self.root / rel).write_text(text, encoding="utf-8")

    def own(self, rel: str) -> bool:
        """A local reference that resolves to a file inside the app."""
        rel = rel.split("?")[0].split("#")[0].lstrip("/")
        return is_local(rel) and (self.root / rel).is_file()

    # -- injections ---------------------------------------------------------------------------

    def head_start(self, snippet: str) -> None:
        """Insert before everything the page loads (runs before the app's own scripts)."""
        m = re.search(r"<head\b[^>]*>", self.html, re.I) or re.search(
            r"<html\b[^>]*>", self.html, re.I
        )
        at = m.end() if m else 0
        self.html = self.html[:at] + "\n" + snippet + "\n" + self.html[at:]

    def head_end(self, snippet: str) -> None:
        """Insert after the app's own stylesheets (so equal-specificity rules win)."""
        m = re.search(r"</head\s*>", self.html, re.I) or re.search(r"<body\b", self.html, re.I)
        at = m.start() if m else len(self.html)
        self.html = self.html[:at] + snippet + "\n" + self.html[at:]

    def add_script(self, js: str, *, early: bool = False) -> None:
        tag = f"<script>\n{js}\n</script>"
        self.head_start(tag) if early else self.head_end(tag)

    def add_style(self, css: str) -> None:
        self.head_end(f"<style>\n{css}\n</style>")

    # -- reading ------------------------------------------------------------------------------

    @property
    def facts(self) -> Facts:
        if self._facts is None:
            self._facts = self._read_facts()
        return self._facts

    def _read_facts(self) -> Facts:
        r = _Reader()
        r.feed(self.html)
        f = Facts()
        for tag, a in r.tags:
            typ = a.get("type", "").lower()
            if tag == "input" and typ != "hidden":
                f.fields += 1
                f.text_fields += typ in TEXT_TYPES
            elif tag in ("textarea", "select"):
                f.fields += 1
                f.text_fields += tag == "textarea"
            if "contenteditable" in a:
                f.text_fields += 1
            clickable = (
                tag in ("button", "input", "select", "textarea")
                or (tag == "a" and "href" in a)
                or a.get("role") == "button"
                or any(k.startswith("on") for k in a)
            )
            f.controls += clickable
            f.buttons += (
                tag == "button"
                or (tag == "input" and typ in ("submit", "button", "reset", "image"))
                or (tag == "a" and "href" in a)
                or a.get("role") == "button"
            )
            f.focusables += clickable or "tabindex" in a
            f.nav = f.nav or tag == "nav" or a.get("role") == "navigation"
            if tag == "img":
                f.images += 1
            if tag == "link" and "stylesheet" in a.get("rel", "").lower() and self.own(a["href"]):
                f.own_css.append(a["href"])
            if tag == "script" and a.get("src") and self.own(a["src"]):
                f.own_js.append(a["src"])
        f.inline_css = sum(1 for s in r.inline_styles if s.strip())
        f.inline_js = sum(1 for s in r.inline_scripts if s.strip())
        f.script_text = "\n".join(
            [self.read(p) for p in f.own_js] + [s for s in r.inline_scripts if s.strip()]
        )
        f.css_text = "\n".join([self.read(p) for p in f.own_css] + r.inline_styles)
        js_creates = re.findall(r"""createElement\(\s*['"`](\w+)""", f.script_text)
        f.controls += sum(t in ("button", "a", "input", "select", "textarea") for t in js_creates)
        f.buttons += sum(t in ("button", "a") for t in js_creates)
        f.text_fields += sum(t in ("input", "textarea") for t in js_creates)
        f.fields += sum(t in ("input", "textarea", "select") for t in js_creates)
        css_urls = re.findall(r"""url\(\s*['"]?([^'")]+)""", f.css_text)
        f.images += sum(bool(_IMAGE_URL.match(u) or _LOCAL_IMAGE.match(u)) for u in css_urls)
        f.images += len(_IMAGE_URL.findall(f.script_text))
        f.images += sum(t == "img" for t in js_creates) + f.script_text.count("new Image(")
        f.user_listeners = len(_LISTENER.findall(f.script_text)) + len(
            _INLINE_HANDLER.findall(self.html)
        )
        return f


def strip_inline_handlers(html: str) -> tuple[str, int]:
    """Remove `onclick="..."`-style attributes for user events."""
    return _INLINE_HANDLER.subn("", html)


def break_image_urls(text: str, *, css: bool) -> tuple[str, int]:
    """Point image URLs at files that do not exist (own-origin 404s, like a renamed folder)."""
    count = 0

    def bad(url: str) -> str:
        nonlocal count
        count += 1
        return f"missing-images/img{count}.jpg"

    text = _IMAGE_URL.sub(lambda m: bad(m.group(0)), text)
    if css:
        # url(local.png) in stylesheets; fonts (woff, ttf ...) are left alone.
        def local(m: re.Match[str]) -> str:
            url = m.group(2)
            if url.startswith("missing-images/"):
                return m.group(0)
            return (
                f"url({m.group(1)}{bad(url)}{m.group(1)})"
                if _LOCAL_IMAGE.match(url)
                else m.group(0)
            )

        text = re.sub(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""", local, text)
    return text, count


def break_img_tags(html: str) -> tuple[str, int]:
    """`<img src=...>` → a missing own file."""
    count = 0

    def sub(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f'{m.group(1)}"missing-images/photo{count}.jpg"'

    return re.sub(
        r"""(<img\b[^>]*?\ssrc\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)""", sub, html, flags=re.I
    ), count
