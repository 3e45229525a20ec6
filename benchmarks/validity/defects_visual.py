"""Defect operators that change what the page looks like (registered on import).

Each function edits a copied app through `Site`; its docstring says how, the registration says
what a person would see. Operators that must find the main UI, its call to action or its input
field at run time inject `assets/locate.js` (`V.main()`, `V.cta()`, `V.field()` ...).
"""

from __future__ import annotations

import re

from benchmarks.validity.htmledit import Site, break_image_urls, break_img_tags
from benchmarks.validity.operators import NotApplicable, operator, runtime

MARK_MAIN = "V.ready(() => V.parts().forEach((p) => p.setAttribute('data-vd-main', '')));"
_FLEX_GRID = re.compile(r"(display\s*:\s*)(inline-)?(flex|grid)\b", re.I)
_JS_FLEX_GRID = re.compile(r"""(\.display\s*=\s*['"`])(inline-)?(flex|grid)\b""", re.I)


@operator("blank_main", "blank main UI", "the main UI area is empty: no content, no error")
def blank_main(site: Site) -> None:
    """After load, the main UI's children are removed (an app that rendered nothing)."""
    runtime(
        site,
        "V.ready(() => V.parts().forEach(V.empty));",
    )


@operator(
    "stylesheet_missing",
    "missing stylesheet",
    "the page shows in browser defaults: its own CSS is not loaded (mistyped href)",
)
def stylesheet_missing(site: Site) -> None:
    """Own `<link rel=stylesheet>` hrefs point to a missing folder; inline `<style>` removed."""
    f = site.facts
    if not f.own_css and not f.inline_css:
        raise NotApplicable("no own stylesheet")
    for href in f.own_css:
        site.html = re.sub(
            rf"""(href\s*=\s*)(["']?){re.escape(href)}\2""", rf'\1"styles/{href}"', site.html
        )
    site.html = re.sub(r"<style\b[^>]*>.*?</style\s*>", "", site.html, flags=re.S | re.I)


@operator(
    "images_broken",
    "broken images",
    "images show as broken-image icons or empty boxes (their files are missing)",
)
def images_broken(site: Site) -> None:
    """Image URLs in HTML `<img>`, CSS `url()` and script strings point to missing own files."""
    site.html, n = break_img_tags(site.html)
    site.html, k = break_image_urls(site.html, css=True)
    n += k
    for rel in site.facts.own_css:
        text, k = break_image_urls(site.read(rel), css=True)
        site.write(rel, text)
        n += k
    for rel in site.facts.own_js:
        text, k = break_image_urls(site.read(rel), css=False)
        site.write(rel, text)
        n += k
    if not n:
        raise NotApplicable("no images")


@operator(
    "phone_overflow",
    "overflow at phone width",
    "on a phone the main content is wider than the screen: it scrolls sideways or is cut off",
)
def phone_overflow(site: Site) -> None:
    """A phone-width media query gives the main UI a fixed 560px minimum width."""
    runtime(site, MARK_MAIN)
    site.add_style("@media (max-width: 600px) { [data-vd-main] { min-width: 560px !important; } }")


@operator(
    "mobile_squeeze",
    "mobile-only breakage",
    "on a phone the main content is squeezed into a narrow column (fine on tablet and desktop)",
)
def mobile_squeeze(site: Site) -> None:
    """A sidebar width rule leaks into the phone media query: the main UI gets 34% width."""
    runtime(site, MARK_MAIN)
    site.add_style(
        "@media (max-width: 600px) { [data-vd-main] { width: 34% !important; "
        "max-width: 34% !important; min-width: 0 !important; flex: none !important; } }"
    )


@operator(
    "footer_over_input",
    "overlap / covering",
    "a dark footer bar sits on top of the main input field (position: absolute)",
)
def footer_over_input(site: Site) -> None:
    """The page footer (or a new one) is absolutely positioned over the main field or control."""
    if not site.facts.fields and not site.facts.controls:
        raise NotApplicable("no input field or control to cover")
    runtime(
        site,
        """V.ready(() => {
  const target = V.field() || V.cta();
  if (!target) return;
  let f = document.querySelector('footer');
  if (!f || f.contains(target) || !V.visible(f)) {
    f = document.createElement('footer');
    f.innerHTML = '© 2025 · Made with care · <a href="#privacy">Privacy</a> · <a href="#terms">Terms</a>';
    document.body.appendChild(f);
  }
  V.important(f, { position: 'absolute', margin: '0', 'z-index': '20', background: '#1f2329',
    color: '#e8e8e8', padding: '12px 18px', font: '14px/1.4 system-ui, sans-serif',
    'box-sizing': 'border-box', 'text-align': 'center', display: 'block' });
  const place = () => {
    const b = V.docBox(target);
    const cb = f.offsetParent;
    const o = cb && getComputedStyle(cb).position !== 'static' ? V.docBox(cb) : { x: 0, y: 0 };
    V.important(f, { left: Math.max(0, b.x - 12 - o.x) + 'px', top: (b.y + b.h / 2 - 22 - o.y) + 'px',
      width: Math.max(b.w + 24, 240) + 'px', height: 'auto' });
  };
  place();
  window.addEventListener('resize', place);
});""",
    )


@operator(
    "cta_covered",
    "z-index covering the call to action",
    "a decorative badge with a high z-index sits over the main button, which cannot be clicked",
)
def cta_covered(site: Site) -> None:
    """An absolutely positioned decoration (z-index 999) covers most of the primary control."""
    if not site.facts.buttons:
        raise NotApplicable("no button or link")
    runtime(
        site,
        """V.ready(() => {
  const t = V.cta();
  if (!t) return;
  const d = document.createElement('div');
  d.className = 'promo-badge';
  d.setAttribute('aria-hidden', 'true');
  document.body.appendChild(d);
  V.important(d, { position: 'absolute', 'z-index': '999', margin: '0', 'border-radius': '14px',
    background: 'linear-gradient(135deg, rgba(255,196,0,.94), rgba(255,94,58,.94))',
    'box-shadow': '0 6px 18px rgba(0,0,0,.25)', display: 'block' });
  const place = () => {
    const b = V.docBox(t);
    const cb = d.offsetParent;
    const o = cb && getComputedStyle(cb).position !== 'static' ? V.docBox(cb) : { x: 0, y: 0 };
    V.important(d, { left: (b.x + 0.25 * b.w - o.x) + 'px', top: (b.y - 6 - o.y) + 'px',
      width: Math.max(0.9 * b.w, 40) + 'px', height: (b.h + 12) + 'px' });
  };
  place();
  window.addEventListener('resize', place);
});""",
    )


@operator(
    "text_clipped",
    "clipped text",
    "headings, paragraphs, labels and buttons are cut off: each text box is a third too narrow",
)
def text_clipped(site: Site) -> None:
    """Each visible text element gets a fixed max-width of 65% of its rendered width, with
    `white-space: nowrap; overflow: hidden` (widths sized for shorter copy)."""
    runtime(
        site,
        """V.ready(() => {
  const sel = 'h1,h2,h3,h4,h5,h6,p,li,label,button,a,span,small,blockquote,figcaption,td,th,dd,dt';
  const own = (e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim().length > 2);
  const plan = [...document.querySelectorAll(sel)].filter((e) => V.visible(e) && own(e))
    .map((e) => [e, e.getBoundingClientRect().width, getComputedStyle(e).display]);
  for (const [e, w, display] of plan) {
    if (w < 24) continue;
    V.important(e, { 'max-width': Math.round(0.65 * w) + 'px', overflow: 'hidden',
      'white-space': 'nowrap', 'text-overflow': 'clip' });
    if (display === 'inline') V.important(e, { display: 'inline-block', 'vertical-align': 'bottom' });
  }
});""",
    )


@operator("tiny_text", "tiny text", "all text is 7px: hard to read anywhere")
def tiny_text(site: Site) -> None:
    """Every element's font size forced to 7px."""
    site.add_style("html, body, body * { font-size: 7px !important; }")


@operator(
    "low_contrast",
    "low contrast",
    "text is washed out: its colour is three quarters of the way to its background",
)
def low_contrast(site: Site) -> None:
    """Each text element's colour is mixed 75% towards its effective background colour."""
    runtime(
        site,
        """V.ready(() => {
  const rgb = (c) => { const m = String(c).match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[\\s,/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const bgOf = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.backgroundImage !== 'none') { const m = cs.backgroundImage.match(/rgba?\\([^)]+\\)/); return m ? rgb(m[0]) : [128, 128, 128, 1]; }
      const c = rgb(cs.backgroundColor); if (c && c[3] > 0.5) return c;
    }
    return [255, 255, 255, 1];
  };
  const ownText = (e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  const els = [...document.querySelectorAll('body *')].filter((e) => ownText(e) || e.matches('input,button,textarea,select'));
  const plan = els.map((e) => [e, rgb(getComputedStyle(e).color), bgOf(e)]);
  for (const [e, fg, bg] of plan) {
    if (!fg) continue;
    const mix = [0, 1, 2].map((i) => Math.round(fg[i] + (bg[i] - fg[i]) * 0.75));
    V.important(e, { color: `rgb(${mix.join(',')})` });
  }
});""",
    )


@operator(
    "palette_clash",
    "colour / palette destruction",
    "every background turns a clashing neon colour (magenta, lime, yellow, cyan ...)",
)
def palette_clash(site: Site) -> None:
    """Each painted background (colour or gradient) is replaced from a clashing neon palette."""
    runtime(
        site,
        """V.ready(() => {
  const P = ['#ff00c8', '#39ff14', '#ffe600', '#00e5ff', '#ff3d00', '#a100ff'];
  const els = [document.documentElement, document.body, ...document.querySelectorAll('body *')];
  // The page background always counts (a default white page turns neon too).
  const painted = els.filter((e, i) => { const cs = getComputedStyle(e);
    return i < 2 || cs.backgroundImage.includes('gradient') || !/^(transparent|rgba\\(0, 0, 0, 0\\))$/.test(cs.backgroundColor); });
  painted.forEach((e, i) => {
    const bgi = getComputedStyle(e).backgroundImage;
    V.important(e, { 'background-color': P[i % P.length] });
    if (!bgi.includes('url(')) V.important(e, { 'background-image': 'none' });
  });
});""",
    )


@operator(
    "grid_collapse",
    "layout collapse",
    "rows and grids stack into a single column at every width; centred layouts fall to the left",
)
def grid_collapse(site: Site) -> None:
    """`display: flex|grid` in own CSS (and in scripts) becomes `block` (`inline-` kept)."""
    n = 0

    def fix(text: str, pattern: re.Pattern[str]) -> str:
        nonlocal n
        text, k = pattern.subn(
            lambda m: m.group(1) + ("inline-block" if m.group(2) else "block"), text
        )
        n += k
        return text

    site.html = fix(site.html, _FLEX_GRID)
    site.html = fix(site.html, _JS_FLEX_GRID)
    for rel in site.facts.own_css:
        site.write(rel, fix(site.read(rel), _FLEX_GRID))
    for rel in site.facts.own_js:
        site.write(rel, fix(site.read(rel), _JS_FLEX_GRID))
    if not n:
        raise NotApplicable("no flex or grid layout")


@operator(
    "absolute_chaos",
    "layout collapse",
    "the main UI's blocks are all absolutely positioned near its top-left corner, piled up",
)
def absolute_chaos(site: Site) -> None:
    """The main container's children get `position: absolute` with small staggered offsets."""
    runtime(
        site,
        """V.ready(() => {
  let host = V.main();
  const kidsOf = (h) => h === document.body ? V.parts() : [...h.children].filter(V.visible);
  let items = kidsOf(host);
  while (items.length < 2 && host !== document.body) { host = host.parentElement; items = kidsOf(host); }
  if (items.length < 2) return;
  if (getComputedStyle(host).position === 'static') host.style.position = 'relative';
  const plan = items.map((e, i) => [e, (i * 23) % 60, (i * 37) % 90]);
  for (const [e, top, left] of plan) V.important(e, { position: 'absolute', top: top + 'px', left: left + 'px', margin: '0' });
});""",
    )


@operator(
    "jitter_misalign",
    "misaligned layout",
    "blocks are nudged by up to 14px in random directions: edges no longer line up",
)
def jitter_misalign(site: Site) -> None:
    """Visible block-level elements of the main UI get a deterministic ±14px/±8px `translate`."""
    runtime(
        site,
        """V.ready(() => {
  const els = [...V.main().querySelectorAll('*')].filter((e) => V.visible(e)
    && getComputedStyle(e).display !== 'inline' && e.getBoundingClientRect().width > 24).slice(0, 300);
  els.forEach((e, i) => {
    const dx = (((i * 37) % 5) - 2) * 7, dy = (((i * 53) % 5) - 2) * 4;
    e.style.setProperty('translate', `${dx}px ${dy}px`, 'important');
  });
});""",
    )


@operator("nav_removed", "removed navigation", "the navigation bar / menu is gone")
def nav_removed(site: Site) -> None:
    """`nav` and `[role=navigation]` are hidden (a stylesheet rule meant for print)."""
    if not site.facts.nav:
        raise NotApplicable("no navigation")
    site.add_style("nav, [role=navigation] { display: none !important; }")


@operator(
    "spinner_forever",
    "infinite spinner / never ready",
    "a 'Loading…' overlay with a spinner covers the page and never goes away",
)
def spinner_forever(site: Site) -> None:
    """A full-viewport loading overlay is added on DOMContentLoaded and never removed."""
    site.add_style(
        "#app-loading{position:fixed;inset:0;z-index:2147483000;background:rgba(255,255,255,.96);"
        "display:flex;flex-direction:column;align-items:center;justify-content:center;gap:12px;"
        "font:16px system-ui,sans-serif;color:#555}"
        ".vd-spin{width:48px;height:48px;border:5px solid #ddd;border-top-color:#3b82f6;"
        "border-radius:50%;animation:vdspin 1s linear infinite}"
        "@keyframes vdspin{to{transform:rotate(360deg)}}"
    )
    site.add_script(
        "document.addEventListener('DOMContentLoaded', () => {"
        " const o = document.createElement('div'); o.id = 'app-loading';"
        " o.innerHTML = '<div class=\"vd-spin\"></div><p>Loading…</p>';"
        " document.body.appendChild(o); });",
        early=True,
    )
