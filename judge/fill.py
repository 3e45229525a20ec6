"""Fields and forms, filled the way a tester fills them: what to type into a field (by its
type and range), typing with real key events and then Enter, a form filled and sent, and
whether what that produced shows on the page (judge.prober drives the steps).
"""

from __future__ import annotations

import contextlib
import zlib
from typing import TYPE_CHECKING, Any

from judge.effects import Outcome, diff
from judge.pagereads import state_of, wait_change

if TYPE_CHECKING:
    from playwright.async_api import Page

    from judge.interact import Control

_FILL = {
    "email": "probe@example.com",
    "number": "42",
    "url": "https://example.com/",
    "tel": "5550100",
    "password": "Probe-123!",
}
# Dates and times a booking form asks for (its `min` — often today — or `max` if it sets one):
# left empty, a `required` one holds the whole form back.
_WHEN = {
    "date": "2025-02-14",
    "time": "19:30",
    "datetime-local": "2025-02-14T19:30",
    "month": "2025-02",
    "week": "2025-W07",
}


# Real-time cap on waiting for a submit's first DOM change (the usual one: pagereads.WAIT_MS).
# Only a page with a request in flight waits that long (controls.js waitChange); its timers run
# on virtual time.
SUBMIT_WAIT_MS = 600  # a submitted form may do a little more work first
# Playwright waits (fill, select): generous, because they only end early when the page works;
# a short one turns a busy machine into a "broken" control.
ACTION_TIMEOUT_MS = 5000


# Before Enter, in one round trip: would the browser refuse to send the field's form now (a
# field it validates is invalid; read through `validity`, which fires no `invalid` event, as
# checkValidity would)? Does Enter submit the form (HTML's implicit submission: a submit
# button, or this is the form's only field that blocks it)? How many form events so far?
_BEFORE_ENTER_JS = """(e) => {
  const f = e.form;
  const events = window.__fjp ? window.__fjp.formEvents() : 0;
  if (!f) return [false, false, events];
  const unsendable = Array.from(f.elements).some((x) => x.willValidate && !x.validity.valid);
  const blocking = /^(text|search|url|tel|email|password|date|month|week|time|datetime-local|number)$/;
  const implicit = e.tagName === 'INPUT' && (
    !!f.querySelector('button:not([type]), button[type=submit], input[type=submit], input[type=image]')
    || Array.from(f.elements).filter((x) => x.tagName === 'INPUT' && blocking.test(x.type)).length === 1);
  return [unsendable, implicit, events];
}"""
_FORM_EVENTS_JS = "() => window.__fjp ? window.__fjp.formEvents() : 0"


# A field as filling needs it, in one round trip: tag, type, min, max.
_FIELD_JS = "(e) => [e.tagName, (e.getAttribute('type') || '').toLowerCase(), e.min, e.max]"


def _number(bounds: list[str]) -> str:
    """A number the field accepts: 42, else the middle of its min..max (a height field that
    starts at 50 refused 42, and the form was never sent)."""
    try:
        lo = float(bounds[0]) if bounds[0] else None
        hi = float(bounds[1]) if bounds[1] else None
    except (ValueError, IndexError):
        return _FILL["number"]
    if (lo is None or lo <= 42) and (hi is None or hi >= 42):
        return _FILL["number"]
    if lo is not None and hi is not None:
        return str(round((lo + hi) / 2))
    return str(round(lo if lo is not None else hi or 0))


async def type_and_enter(page: Page, c: Control, out: Outcome) -> dict[str, Any] | None:
    """Type into the field, then press Enter: what did typing do, what did Enter do, and
    does the typed text show up on the page?"""
    pre = await state_of(page)
    value = value_for(c)
    field = page.locator(c.selector).first
    await field.fill("", timeout=ACTION_TIMEOUT_MS)
    # Real key events (not a value assignment), as a person types: a field whose key
    # handler swallows the keys keeps its old value.
    await field.press_sequentially(value, timeout=ACTION_TIMEOUT_MS)
    mid = await wait_change(page, 40)
    if mid is None:
        return None
    with contextlib.suppress(Exception):
        got = await field.input_value(timeout=ACTION_TIMEOUT_MS)
        # A field keeps what was typed, or part of it: a one-character code box that
        # clears itself per key, or hands the next key to its neighbour, still took input;
        # so does one the page formats as it goes (a card number's spaces, a converter's
        # 42 -> 42.1). A field whose handler swallows the keys is left empty (or as it was).
        if not got or not set(got.lower()) & set(value.lower()):
            out.note = "typing does not reach the field"
    if pre and mid["mutations"] > pre["mutations"]:
        out.effects.append("dom-on-typing")
    fresh = value if c.type in ("", "text", "search") else None
    sent = None
    with contextlib.suppress(Exception):
        out.unsendable, out.implicit, sent = await field.evaluate(_BEFORE_ENTER_JS)
    await page.keyboard.press("Enter")
    end = await wait_change(page, SUBMIT_WAIT_MS)
    out.enter_effects = ["navigation"] if end is None else diff(mid, end, c.selector)
    if end is not None and out.implicit and sent is not None:
        with contextlib.suppress(Exception):
            out.enter_sent = await page.evaluate(_FORM_EVENTS_JS) > sent
    if end is not None and c.tag == "textarea":
        with contextlib.suppress(Exception):
            out.newline = "\n" in await field.input_value(timeout=ACTION_TIMEOUT_MS)
    if end is not None and fresh:
        out.visible_result = await shown(page, fresh)
    return end


def value_for(c: Control) -> str:
    """What to type into a field: by its type, else a marker unique to the field (so a
    replay rebuilds the same state and the marker can be found on the page)."""
    return _FILL.get(c.type, f"Probe item {zlib.crc32(c.selector.encode()) % 997}")


async def send_form(
    page: Page, button: Control, out: Outcome, marker: str
) -> dict[str, Any] | None:
    """Fill every text field of the button's form/group (free text: `marker`), press the
    button, look for a result."""
    loc = page.locator(f"{button.group} input, {button.group} textarea")
    typed: list[str] = []
    kinds: set[str] = set()
    for i in range(await loc.count()):
        el = loc.nth(i)
        with contextlib.suppress(Exception):
            if await el.is_visible() and await el.is_editable():
                tag, t, lo, hi = await el.evaluate(_FIELD_JS)
                if t in ("", "text", "email", "search", "number", "url", "tel", "password"):
                    value = _number([lo, hi]) if t == "number" else _FILL.get(t, marker)
                    await el.fill(value, timeout=ACTION_TIMEOUT_MS)
                    typed.append(value)
                    kinds.add("textarea" if tag == "TEXTAREA" else t)
                elif t in _WHEN:
                    await el.fill(lo or hi or _WHEN[t], timeout=ACTION_TIMEOUT_MS)
    # A form that sends (a message, a sign-up: email, phone, password or a text area) or
    # computes (numbers, a URL to shorten) answers with new words, not with what was typed;
    # a to-do's add form (free text only) must show its item.
    sends = bool(kinds & {"email", "tel", "password", "textarea"}) or (
        bool(kinds) and not kinds & {"", "text", "search"}
    )
    # Only values not already on the page can prove the form produced a result
    # (a number-only form echoes "42", not the text marker).
    fresh = [v for v in dict.fromkeys(typed) if not await shown(page, v)]
    view = await page.evaluate("(s) => window.__fjp.locate(s)", button.selector)
    if not view or view["reach"] != "ok":
        out.note = "submit control unreachable after filling the form"
        return await state_of(page)
    v = view["view"]
    if sends:
        with contextlib.suppress(Exception):
            await page.evaluate("() => window.__fjp.markText()")
    await page.mouse.click(v["x"] + v["width"] / 2, v["y"] + v["height"] / 2)
    s1 = await wait_change(page, SUBMIT_WAIT_MS)
    if s1 is not None:
        for value in fresh:
            out.visible_result = await shown(page, value)
            if out.visible_result:
                break
        if sends and not out.visible_result:
            # What such a form shows is an acknowledgement or an answer ("Thanks, we'll be
            # in touch", "BMI 23.4"), not what was typed.
            with contextlib.suppress(Exception):
                out.visible_result = await page.evaluate(
                    "(s) => window.__fjp.newText(s)", button.selector
                )
    return s1


async def shown(page: Page, text: str) -> str | None:
    """Selector of visible page text (outside form fields) containing `text`, if any."""
    with contextlib.suppress(Exception):
        return await page.evaluate("(t) => window.__fjp.visibleText(t)", text)
    return None
