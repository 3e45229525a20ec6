"""Keyboard: can someone without a mouse move through the page's controls with Tab?

Presses Tab from the top of the page as loaded and follows the focus. A page whose focus
stays on one or two controls while it has more that can take focus traps keyboard users (a
leftover focus trap, a Tab handler that swallows the key); a page where Tab reaches nothing at
all although it has controls cannot be used without a mouse.
"""

from __future__ import annotations

import contextlib

from judge.checks.base import CheckContext, check, result
from judge.live import LivePage
from judge.schema import CheckResult, Evidence

DIM = "accessibility"
MAX_TABS = 12
_TABBABLE_JS = """() => {
  const SEGMENTS = { date: 3, time: 3, 'datetime-local': 6, month: 2, week: 2 };
  const sel = 'a[href],button,input,select,textarea,summary,[tabindex]:not([tabindex="-1"]),[contenteditable=""],[contenteditable=true]';
  const stops = new Set();
  for (const el of document.querySelectorAll(sel)) {
    if (el.disabled || el.tabIndex < 0 || !el.checkVisibility
        || !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })
        || el.getBoundingClientRect().width <= 0) continue;
    // A radio group is one Tab stop (arrow keys move within it).
    stops.add(el.type === 'radio' && el.name ? 'radio:' + el.name : el);
  }
  // A date or time field takes a Tab per part (month, day, year): presses, not controls.
  let presses = 0;
  for (const s of stops) presses += (typeof s !== 'string' && SEGMENTS[s.type]) || 1;
  // What the Tab presses change is watched (see keyboard()'s reload).
  if (stops.size >= 2) {
    window.__fjTabbed = { changes: 0, scrolled: false };
    window.__fjTabObs = new MutationObserver((l) => { window.__fjTabbed.changes += l.length; });
    window.__fjTabObs.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  }
  return [stops.size, presses];
}"""
_FOCUS_JS = """() => { const a = document.activeElement;
  const t = window.__fjTabbed;
  if (t && (scrollX || scrollY)) t.scrolled = true;
  // Focus may scroll a box inside the page instead (read now: scroll events wait for a frame).
  for (let n = a && a.parentElement; t && n && !t.scrolled; n = n.parentElement) {
    if (n.scrollTop || n.scrollLeft) t.scrolled = true;
  }
  if (!a || a === document.body || a === document.documentElement) return null;
  const path = [];
  for (let n = a; n && n !== document.body; n = n.parentElement) {
    path.unshift(n.tagName.toLowerCase() + ':' + Array.prototype.indexOf.call(n.parentElement ? n.parentElement.children : [], n));
  }
  return path.join('>'); }"""


_BLUR_JS = """() => { if (window.__fjNative && window.__fjNative.blur) window.__fjNative.blur();
  window.scrollTo(0, 0);
  const t = window.__fjTabbed, o = window.__fjTabObs;
  if (!t || !o) return false;
  t.changes += o.takeRecords().length;
  o.disconnect();
  return t.changes > 0 || t.scrolled; }"""
RELOAD_S = 5.0


@check("a11y.keyboard", DIM, phase="live", order=55)
async def keyboard(ctx: CheckContext) -> list[CheckResult]:
    """Tab moves focus through the page's controls (no trap, not unreachable by keyboard)."""
    page = ctx.page
    if page is None or ctx.url is None:
        return []
    # Runs before the interaction prober, on the page as loaded (nothing has touched it but
    # the captures), so no reload is needed first; one follows only if the Tabs changed it.
    n, presses = (int(x) for x in await page.evaluate(_TABBABLE_JS))
    if n < 2:
        return [result("a11y.keyboard", DIM, None, "fewer than two controls to tab between")]
    seen: list[str | None] = []
    try:
        for _ in range(min(MAX_TABS, presses + 1)):
            await page.keyboard.press("Tab")
            seen.append(await page.evaluate(_FOCUS_JS))
    finally:
        # Leave the page as found for the prober: no focus ring, no focus-opened menu.
        changed = bool(await page.evaluate(_BLUR_JS))
    if changed:
        # The Tabs changed the page (a focus handler wrote to it) or scrolled it, and a scroll
        # may have set off a scroll-reveal, or not, depending on whether a frame was drawn
        # between two presses: what the prober then finds would depend on the machine's speed.
        # A clean reload gives it the page as loaded (rare: most pages keep focus in view).
        live = LivePage(page, ctx.url)
        try:
            with contextlib.suppress(Exception):  # the page is left as the Tabs left it
                await live.reload(RELOAD_S)
        finally:
            live.detach()
    distinct = {s for s in seen if s}
    want = min(n, MAX_TABS)
    if not distinct:
        score, why = 0.3, "Tab never moves the focus to any control"
    elif len(distinct) <= 2 and want >= 4 and None not in seen:
        # Focus that leaves the document (the end of the Tab order) is no trap: a trap sends
        # it back to the same controls at every press.
        score, why = 0.2, f"Tab keeps the focus on {len(distinct)} control(s): a focus trap"
    else:
        return [
            result(
                "a11y.keyboard",
                DIM,
                1.0,
                f"Tab moves through {len(distinct)} of {n} focusable control(s)",
            )
        ]
    return [
        result(
            "a11y.keyboard",
            DIM,
            score,
            f"{why}, although {n} controls can take focus — keyboard users are stuck",
            severity="major",
            evidence=[
                Evidence(detail=f"focus after each Tab: {', '.join(s or '-' for s in seen)}"[:300])
            ],
            data={"focusable": n, "reached": len(distinct)},
        )
    ]
