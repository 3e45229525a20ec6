"""Task-file probes: run a checklist item's Playwright-style steps deterministically.

Steps find elements as a user does — by role and accessible name, label, placeholder, visible
text or test id (Playwright's `get_by_*`) — or by CSS selector, so one task file runs on every
implementation of a prompt. Every item starts from a clean load of the submission (storage
cleared), so items do not depend on each other or on what the interaction prober did. The
first failing step ends the item with its index, its locator and a message; items without a
probe are `unscored`.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from judge.live import LivePage
from judge.schema import ChecklistItem, LocatorSpec, ProbeResult, ProbeStep, ProbeStepSpec
from judge.schema.task import text_pattern

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page


ACT_VIRTUAL_MS = 1500  # virtual time after each acting step (toasts, debounces, transitions)


class StepFailed(Exception):
    """A probe step did not hold."""


def _need(step: ProbeStepSpec, *fields: str) -> None:
    missing = [f for f in fields if getattr(step, f) is None]
    if missing:
        raise StepFailed(f"{step.action} needs {', '.join(missing)}")


def _pattern(value: str, exact: bool) -> tuple[str | re.Pattern[str], bool | None]:
    """(string or regex, the `exact` flag Playwright accepts for it: None for a regex)."""
    p = text_pattern(value)
    return (p, None) if isinstance(p, re.Pattern) else (p, exact)


def locate(
    page: Page | Locator, spec: LocatorSpec, *, text_expected: bool = False
) -> Locator | None:
    """All matches of a step's locator (role/label/placeholder/text/test id/selector).

    `text` narrows another base to elements containing it; alone it is the base (get_by_text,
    visible matches only: a user reads what is shown). With `text_expected` (expect_text) the
    text is the expectation, not part of the locator."""
    text = None if text_expected else spec.text
    if spec.within is not None:
        outer = locate(page, spec.within)
        if outer is None:
            return None
        page = _one(outer, spec.within)
    loc: Locator | None = None
    if spec.selector:
        loc = page.locator(spec.selector)
    elif spec.role:
        name, exact = _pattern(spec.name, spec.exact) if spec.name is not None else (None, None)
        loc = page.get_by_role(spec.role, name=name, exact=exact)  # type: ignore[arg-type]
    elif spec.label is not None:
        value, exact = _pattern(spec.label, spec.exact)
        loc = page.get_by_label(value, exact=exact)
    elif spec.placeholder is not None:
        value, exact = _pattern(spec.placeholder, spec.exact)
        loc = page.get_by_placeholder(value, exact=exact)
    elif spec.test_id is not None:
        loc = page.get_by_test_id(text_pattern(spec.test_id))
    elif text is not None:
        value, exact = _pattern(text, spec.exact)
        return page.get_by_text(value, exact=exact).filter(visible=True)
    if loc is not None and text is not None:
        loc = loc.filter(has_text=text_pattern(text))
    return loc


def _one(loc: Locator, spec: LocatorSpec) -> Locator:
    """The match an acting step uses: `nth` if given, else the first."""
    return loc.nth(spec.nth) if spec.nth is not None else loc.first


async def run_step(live: LivePage, step: ProbeStepSpec, timeout_ms: float) -> str:
    """Execute one step; returns a short description, raises StepFailed when it does not hold."""
    from playwright.async_api import expect

    page: Page = live.page
    t = max(100.0, min(float(step.timeout_ms), timeout_ms))
    a = step.action
    all_ = locate(page, step, text_expected=a == "expect_text")
    loc = _one(all_, step) if all_ is not None else None
    what = step.describe(text_is_locator=a != "expect_text")
    try:
        if a == "goto":
            target = urljoin(live.url, step.value or "")
            if urlsplit(target).netloc != urlsplit(live.url).netloc:
                raise StepFailed(f"goto outside the submission: {step.value}")
            await page.goto(target, wait_until="load", timeout=t)
            return f"opened {urlsplit(target).path or '/'}"
        if a == "set_viewport":
            _need(step, "width", "height")
            await page.set_viewport_size({"width": step.width, "height": step.height})
            return f"viewport {step.width}x{step.height}"
        if a == "expect_url":
            return await _expect_url(page, step, t)
        if a == "press" and loc is None:
            _need(step, "value")
            await page.keyboard.press(step.value or "")
            return f"pressed {step.value}"
        if a == "expect_text" and loc is None:
            _need(step, "text")
            loc = page.locator("body")
            what = "the page"
        if loc is None or all_ is None:
            raise StepFailed(
                f"{a} needs a locator (role, label, placeholder, text, test_id or selector)"
            )
        if a == "click":
            await loc.click(timeout=t)
            return f"clicked {what}"
        if a == "dblclick":
            await loc.dblclick(timeout=t)
            return f"double-clicked {what}"
        if a == "fill":
            await loc.fill(step.value or "", timeout=t)
            return f"filled {what}"
        if a == "press":
            _need(step, "value")
            await loc.press(step.value or "", timeout=t)
            return f"pressed {step.value} in {what}"
        if a in ("check", "uncheck"):
            await (loc.check if a == "check" else loc.uncheck)(timeout=t)
            return f"{a}ed {what}"
        if a == "select":
            await loc.select_option(step.value or "", timeout=t)
            return f"selected {step.value} in {what}"
        if a == "hover":
            await loc.hover(timeout=t)
            return f"hovered {what}"
        if a == "drag":
            assert step.to is not None
            target_all = locate(page, step.to)
            if target_all is None:
                raise StepFailed("drag needs a locator in 'to'")
            await loc.drag_to(_one(target_all, step.to), timeout=t)
            return f"dragged {what} to {step.to.describe()}"
        if a in ("expect_visible", "wait_for"):
            await expect(loc).to_be_visible(timeout=t)
            return f"{what} is visible"
        if a == "expect_hidden":
            await expect(all_.first).to_be_hidden(timeout=t)
            return f"{what} is hidden"
        if a == "expect_text":
            _need(step, "text")
            await expect(loc).to_contain_text(text_pattern(step.text or ""), timeout=t)
            return f"{what} contains {step.text!r}"
        if a == "expect_count":
            _need(step, "count")
            await expect(all_).to_have_count(step.count or 0, timeout=t)
            return f"{step.count} x {what}"
    except StepFailed:
        raise
    except AssertionError as exc:
        raise StepFailed(_first_line(exc)) from None
    except Exception as exc:
        raise StepFailed(f"{type(exc).__name__}: {_first_line(exc)}") from None
    raise StepFailed(f"unknown action {a}")


_URL_JS = """([want, isRe, flags]) => {
  const here = location.pathname + location.search + location.hash;
  return isRe ? new RegExp(want, flags).test(here) : here.includes(want);
}"""


async def _expect_url(page: Page, step: ProbeStepSpec, t: float) -> str:
    """The URL's path + query + hash contains `url` (or matches it, written /regex/)."""
    want = text_pattern(step.url or "")
    arg = (
        [want.pattern, True, "i" if want.flags & re.I else ""]
        if isinstance(want, re.Pattern)
        else [want, False, ""]
    )
    # Polled from here: Playwright's in-page polling runs on the page's virtual timers.
    loop = asyncio.get_running_loop()
    end = loop.time() + t / 1000
    while True:
        try:
            if await page.evaluate(_URL_JS, arg):
                break
        except Exception:  # mid-navigation: the next look decides
            pass
        if loop.time() >= end:
            parts = urlsplit(page.url)
            here = parts.path + (f"?{parts.query}" if parts.query else "")
            here += f"#{parts.fragment}" if parts.fragment else ""
            raise StepFailed(f"URL is {here}, expected {step.url}") from None
        await asyncio.sleep(0.05)
    return f"URL matches {step.url}"


def _first_line(exc: BaseException) -> str:
    lines = [x.strip() for x in str(exc).split("Call log:")[0].splitlines() if x.strip()]
    text = " ".join(lines[:3]) if lines else type(exc).__name__
    return text[:240]


async def run_item(
    live: LivePage, item: ChecklistItem, seconds: float, viewport: dict[str, int] | None
) -> ProbeResult:
    """Run one checklist item from a clean load, within `seconds`."""
    if not item.probe:
        return ProbeResult(
            id=item.id,
            text=item.text,
            status="unscored",
            message="no executable probe: left for the agent judge",
        )
    end = time.monotonic() + seconds
    steps: list[ProbeStep] = []
    try:
        if viewport:
            await live.page.set_viewport_size(viewport)
        await live.reload(min(5.0, seconds))
    except Exception as exc:
        return ProbeResult(
            id=item.id,
            text=item.text,
            status="error",
            message=f"could not load the page: {_first_line(exc)}",
        )
    for i, step in enumerate(item.probe):
        left_ms = (end - time.monotonic()) * 1000
        if left_ms <= 50:
            steps.append(ProbeStep(action=step.action, ok=False, message="out of time"))
            return ProbeResult(
                id=item.id,
                text=item.text,
                status="failed",
                failed_step=i,
                message=f"step {i} ({step.action}): out of time",
                steps=steps,
            )
        try:
            note = await run_step(live, step, left_ms)
        except StepFailed as exc:
            steps.append(ProbeStep(action=step.action, ok=False, message=str(exc)))
            desc = step.describe(text_is_locator=step.action != "expect_text")
            where = f" {desc}" if desc else ""
            return ProbeResult(
                id=item.id,
                text=item.text,
                status="failed",
                failed_step=i,
                message=f"step {i} ({step.action}{where}) failed: {exc}",
                steps=steps,
            )
        steps.append(ProbeStep(action=step.action, ok=True, message=note))
        if not step.action.startswith(("expect", "wait")):
            await live.advance(ACT_VIRTUAL_MS)  # what the action set in motion, on the page's clock
    return ProbeResult(
        id=item.id,
        text=item.text,
        status="passed",
        message=f"all {len(steps)} step(s) passed",
        steps=steps,
    )
