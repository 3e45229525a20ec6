"""What the prober reads from the page: its state, an action's first change, which elements
an action wrote into, and crops around a control (judge/assets/controls.js answers in the page).

Split from judge.prober, which decides what to do; these only read.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.async_api import Page

WAIT_MS = 300  # real-time cap on waiting for an action's first DOM change
# A form submitted or a link followed whose document has not gone after controls.js's own wait
# (2 s): the preview answers from the judge's event loop, which another page's work can hold
# up. Waiting for the navigation itself, not a fixed time, makes the step the same on a busy
# machine; a navigation that never comes (an address the sandbox blocks) costs this once.
LATE_NAV_S = 8.0


async def wait_change(page: Page, ms: int = WAIT_MS) -> dict[str, Any] | None:
    """Let the action show its first change; the state then, or None if it navigated."""
    try:
        # No __fjp: the action already replaced the document (a fast reload) — a navigation.
        state = await page.evaluate("(ms) => window.__fjp ? window.__fjp.waitChange(ms) : null", ms)
    except Exception as exc:
        text = str(exc).lower()
        if not any(k in text for k in ("destroyed", "navigat", "__fjp", "closed")):
            raise
        state = None  # the document went while we waited: a navigation
    if state is not None and state.get("leaving") and await _goes(page, LATE_NAV_S):
        state = None  # a navigation that came after the page's own wait: still a navigation
    if state is None:
        with contextlib.suppress(Exception):
            await page.wait_for_load_state("load", timeout=3000)
    return state


async def _goes(page: Page, seconds: float) -> bool:
    """Whether the main document is replaced within `seconds`."""
    main = page.main_frame
    came: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

    def seen(frame: Any) -> None:
        if frame == main and not came.done():
            came.set_result(True)

    page.on("framenavigated", seen)
    try:
        try:
            # Listening first, then looking: a document that went in between is seen either way.
            if not await page.evaluate("() => !!window.__fjp"):
                return True
        except Exception:
            return True
        try:
            await asyncio.wait_for(came, seconds)
        except TimeoutError:
            return False
        try:  # a new document, not a same-document move (history.pushState, a hash)
            return not await page.evaluate("() => !!window.__fjp")
        except Exception:
            return True
    finally:
        page.remove_listener("framenavigated", seen)


async def after_crop(
    page: Page, view: dict[str, float], clip: dict[str, float]
) -> tuple[bytes, dict[str, float]] | None:
    """The after-crop; None when the document went meanwhile: a form's reload that
    committed after the wait stopped waiting for it (a busy machine) leaves no frame to
    capture, and is a navigation like one that came sooner, not a failed step."""
    try:
        return await crop(page, view, clip)
    except Exception:
        with contextlib.suppress(Exception):
            await page.wait_for_load_state("load", timeout=3000)
        try:
            gone = not await page.evaluate("() => !!window.__fjp")
        except Exception:
            gone = True
        if gone:
            return None
        raise


async def wrote_since(page: Page, since: int) -> list[str]:
    """Elements whose text changed since mutation count `since` (their CSS paths)."""
    try:
        got = await page.evaluate("(n) => window.__fjp && window.__fjp.wroteSince(n)", since)
    except Exception:
        return []
    return [str(x) for x in got or []][:20]


async def state_of(page: Page) -> dict[str, Any] | None:
    """What an action may change (controls.js state()); None without the helpers."""
    try:
        return await page.evaluate("() => window.__fjp && window.__fjp.state()")
    except Exception:
        return None


async def crop(
    page: Page, view: dict[str, float], clip: dict[str, float] | None = None
) -> tuple[bytes, dict[str, float]]:
    """A screenshot around the control (150 px beside it, 100 above and below, inside the
    viewport; the whole viewport if that leaves nothing), and the clip used."""
    vp = page.viewport_size or {"width": 1280, "height": 800}
    if clip is None:
        x0, y0 = max(0.0, view["x"] - 150), max(0.0, view["y"] - 100)
        x1 = min(float(vp["width"]), view["x"] + view["width"] + 150)
        y1 = min(float(vp["height"]), view["y"] + view["height"] + 100)
        if x1 - x0 < 2 or y1 - y0 < 2:
            x0, y0, x1, y1 = 0.0, 0.0, float(vp["width"]), float(vp["height"])
        clip = {"x": int(x0), "y": int(y0), "width": int(x1 - x0), "height": int(y1 - y0)}
    png = await page.screenshot(
        clip=clip, type="png", animations="disabled", caret="hide", timeout=5000
    )
    return png, clip
