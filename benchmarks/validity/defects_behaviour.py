"""Defect operators that change what the page does: crashes, dead controls, broken input,
console noise, keyboard traps (registered on import)."""

from __future__ import annotations

import re

from benchmarks.validity.htmledit import USER_EVENTS, Site, strip_inline_handlers
from benchmarks.validity.operators import NotApplicable, operator, runtime

_INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*type\s*=\s*['\"]?application/(?:ld\+)?json)[^>]*>", re.I
)
_FIELD_TAG = re.compile(r"<(input|textarea|select)\b(?![^>]*\btype\s*=\s*['\"]?hidden)", re.I)


def _prepend_to_app_script(site: Site, statement: str) -> None:
    """Insert `statement` at the top of the app's main script (its largest own script)."""
    f = site.facts
    if f.own_js:
        rel = max(f.own_js, key=lambda p: len(site.read(p)))
        site.write(rel, statement + "\n" + site.read(rel))
        return
    blocks = [
        (m, site.html[m.end() : site.html.find("</script", m.end())])
        for m in _INLINE_SCRIPT.finditer(site.html)
    ]
    blocks = [(m, body) for m, body in blocks if body.strip()]
    if not blocks:
        raise NotApplicable("no own script")
    m, _ = max(blocks, key=lambda mb: len(mb[1]))
    site.html = site.html[: m.end()] + "\n" + statement + site.html[m.end() :]


@operator(
    "crash_wipe",
    "runtime exception after load",
    "right after load an uncaught TypeError unmounts the app: only its heading is left",
)
def crash_wipe(site: Site) -> None:
    """After load, the main UI is emptied except its first heading, then a TypeError is thrown."""
    runtime(
        site,
        """V.ready(() => {
  const keep = [...document.querySelectorAll('h1,h2,h3')].find(V.visible) || null;
  for (const p of V.parts()) {
    if (p === keep) continue;
    if (keep && p.contains(keep)) { p.replaceChildren(keep); continue; }
    V.empty(p);
  }
  throw new TypeError("Cannot read properties of undefined (reading 'map')");
});""",
    )


@operator(
    "script_throws_early",
    "runtime exception after load",
    "the app's script dies on its first line: anything it builds never appears, nothing responds",
    "behaviour",
)
def script_throws_early(site: Site) -> None:
    """The app's main script starts with a statement that throws (a missing root element)."""
    _prepend_to_app_script(
        site, 'document.querySelector("#app-root").classList.add("ready"); // boot'
    )


@operator(
    "script_missing",
    "dead handlers",
    "the app's script is not loaded (mistyped src, 404): the page looks built but does nothing",
    "behaviour",
)
def script_missing(site: Site) -> None:
    """Own `<script src>` references point to a missing folder."""
    if not site.facts.own_js:
        raise NotApplicable("no own script file")
    for src in site.facts.own_js:
        site.html = re.sub(
            rf"""(src\s*=\s*)(["']?){re.escape(src)}\2""", rf'\1"js/{src}"', site.html
        )


@operator(
    "dead_handlers",
    "dead handlers",
    "clicking, typing or dragging does nothing: no event listener is ever attached",
    "behaviour",
)
def dead_handlers(site: Site) -> None:
    """`addEventListener` and `on<event>` setters silently drop user-input events."""
    if not site.facts.user_listeners:
        raise NotApplicable("no user-input listeners")
    site.html, _ = strip_inline_handlers(site.html)
    site.add_script(
        f"""(() => {{
  const DEAD = new Set('{USER_EVENTS}'.split('|'));
  const add = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, fn, opts) {{
    if (DEAD.has(String(type).toLowerCase())) return;
    return add.call(this, type, fn, opts);
  }};
  for (const target of [HTMLElement.prototype, SVGElement.prototype, Document.prototype, window])
    for (const t of DEAD) {{
      try {{ Object.defineProperty(target, 'on' + t, {{ set() {{}}, get() {{ return null; }}, configurable: true }}); }} catch (e) {{}}
    }}
}})();""",
        early=True,
    )


@operator(
    "input_disabled",
    "broken input",
    "the form fields are greyed out and cannot be used (a leftover `disabled` attribute)",
)
def input_disabled(site: Site) -> None:
    """Every `<input>` (not hidden), `<textarea>` and `<select>` in the HTML gets `disabled`."""
    site.html, n = _FIELD_TAG.subn(lambda m: m.group(0) + " disabled", site.html)
    if not n:
        raise NotApplicable("no form field in the HTML")


@operator(
    "input_swallows_keys",
    "broken input",
    "typing into the text field does nothing: a key handler swallows every character",
    "behaviour",
)
def input_swallows_keys(site: Site) -> None:
    """A capture-phase handler cancels printable keydowns and text insertion in fields."""
    if not site.facts.text_fields:
        raise NotApplicable("no text field")
    site.add_script(
        """(() => {
  const field = (t) => t && t.matches && t.matches('input,textarea,[contenteditable],[contenteditable] *');
  document.addEventListener('keydown', (e) => { if (field(e.target) && e.key.length === 1) e.preventDefault(); }, true);
  document.addEventListener('beforeinput', (e) => { if (field(e.target) && String(e.inputType).startsWith('insert')) e.preventDefault(); }, true);
})();""",
        early=True,
    )


@operator(
    "enter_ignored",
    "broken input",
    "pressing Enter in the text field does nothing (the add/search/submit never happens)",
    "behaviour",
)
def enter_ignored(site: Site) -> None:
    """A capture-phase handler stops Enter in text fields before the app (or the form) sees it."""
    f = site.facts
    uses_enter = re.search(r"Enter|keyCode\s*===?\s*13|which\s*===?\s*13|submit", f.script_text)
    if not f.text_fields or not (uses_enter or "<form" in site.html.lower()):
        raise NotApplicable("no text field that reacts to Enter")
    site.add_script(
        """(() => {
  const stop = (e) => { if (e.key === 'Enter' && e.target && e.target.matches && e.target.matches('input,textarea'))
    { e.preventDefault(); e.stopImmediatePropagation(); } };
  for (const t of ['keydown', 'keypress', 'keyup']) window.addEventListener(t, stop, true);
})();""",
        early=True,
    )


@operator(
    "input_hidden",
    "broken input",
    "the main input field is missing from the page (hidden by a stray display: none)",
)
def input_hidden(site: Site) -> None:
    """After load, the main input field (largest text field, else any field) gets display: none."""
    if not site.facts.fields:
        raise NotApplicable("no input field")
    runtime(
        site, "V.ready(() => { const f = V.field(); if (f) V.important(f, { display: 'none' }); });"
    )


@operator(
    "console_spam",
    "console error spam",
    "nothing on screen; the console fills with errors and the app requests missing API files",
    "console",
)
def console_spam(site: Site) -> None:
    """After load: 12 `console.error` lines and 3 fetches of missing own files (404)."""
    site.add_script(
        """window.addEventListener('load', () => {
  for (let i = 0; i < 12; i++) console.error(`[app] request failed: GET /api/items?page=${i} (404)`);
  for (const p of ['api/items.json', 'api/config.json', 'api/user.json']) fetch(p).catch(() => {});
});""",
        early=True,
    )


@operator(
    "focus_trap",
    "focus trap",
    "keyboard users are stuck: Tab always jumps back to the first control",
    "behaviour",
)
def focus_trap(site: Site) -> None:
    """Tab is cancelled and focus sent back to the first focusable element (a leftover trap)."""
    if site.facts.focusables < 2:
        raise NotApplicable("fewer than two focusable elements")
    site.add_script(
        """document.addEventListener('keydown', (e) => {
  if (e.key !== 'Tab') return;
  const first = [...document.querySelectorAll('a[href],button,input,select,textarea,[tabindex]')]
    .find((el) => el.offsetParent !== null && !el.disabled);
  if (first) { e.preventDefault(); first.focus(); }
}, true);""",
        early=True,
    )
