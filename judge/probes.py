"""Task-file probes: run a checklist item's Playwright-style steps deterministically.

Every item starts from a clean load of the submission (storage cleared), so items do not
depend on each other or on what the interaction prober did. The first failing step ends
the item with its index and a message; items without a probe are `unscored`.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from judge.live import LivePage
from judge.schema import ChecklistItem, ProbeResult, ProbeStep, ProbeStepSpec

if TYPE_CHECKING:
    from playwright.async_api import Page


ACT_VIRTUAL_MS = 1500  # virtual time after each acting step (toasts, debounces, transitions)


class StepFailed(Exception):
    """A probe step did not hold."""


def _need(step: ProbeStepSpec, *fields: str) -> None:
    missing = [f for f in fields if getattr(step, f) is None]
    if missing:
        raise StepFailed(f"{step.action} needs {', '.join(missing)}")


async def run_step(live: LivePage, step: ProbeStepSpec, timeout_ms: float) -> str:
    """Execute one step; returns a short description, raises StepFailed when it does not hold."""
    from playwright.async_api import expect

    page: Page = live.page
    t = max(100.0, min(float(step.timeout_ms), timeout_ms))
    a = step.action
    loc = page.locator(step.selector).first if step.selector else None
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
        if a == "press" and loc is None:
            _need(step, "value")
            await page.keyboard.press(step.value or "")
            return f"pressed {step.value}"
        if loc is None:
            raise StepFailed(f"{a} needs a selector")
        sel = step.selector
        if a == "click":
            await loc.click(timeout=t)
            return f"clicked {sel}"
        if a == "fill":
            await loc.fill(step.value or "", timeout=t)
            return f"filled {sel}"
        if a == "press":
            _need(step, "value")
            await loc.press(step.value or "", timeout=t)
            return f"pressed {step.value} in {sel}"
        if a == "check":
            await loc.check(timeout=t)
            return f"checked {sel}"
        if a == "select":
            await loc.select_option(step.value or "", timeout=t)
            return f"selected {step.value} in {sel}"
        if a == "hover":
            await loc.hover(timeout=t)
            return f"hovered {sel}"
        if a in ("expect_visible", "wait_for"):
            await expect(loc).to_be_visible(timeout=t)
            return f"{sel} is visible"
        if a == "expect_hidden":
            await expect(loc).to_be_hidden(timeout=t)
            return f"{sel} is hidden"
        if a == "expect_text":
            _need(step, "text")
            await expect(loc).to_contain_text(step.text or "", timeout=t)
            return f"{sel} contains {step.text!r}"
        if a == "expect_count":
            _need(step, "count")
            await expect(page.locator(sel)).to_have_count(step.count or 0, timeout=t)
            return f"{step.count} x {sel}"
    except StepFailed:
        raise
    except AssertionError as exc:
        raise StepFailed(_first_line(exc)) from None
    except Exception as exc:
        raise StepFailed(f"{type(exc).__name__}: {_first_line(exc)}") from None
    raise StepFailed(f"unknown action {a}")


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
            where = f" {step.selector}" if step.selector else ""
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
