"""What the prober reads from the page: its state, an action's first change, which elements
an action wrote into, and crops around a control (judge/assets/controls.js answers in the page).

Split from judge.prober, which decides what to do; these only read.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from judge.docwatch import ask, await_new_document

if TYPE_CHECKING:
    from playwright.async_api import Page

WAIT_MS = 300  # real-time cap on waiting for an action's first DOM change
# A form submitted or a link followed whose document has not gone after controls.js's own wait
# (2 s): the preview answers from the judge's event loop, which another page's work can hold
# up. Waiting for the navigation itself, not a fixed time, makes the step the same on a busy
# machine; a navigation that never comes (an address the sandbox blocks) costs this once.
LATE_NAV_S = 8.0


class _Commits:
    """A watch on the page's main document while an action may replace it.

    The old document's context goes as a navigation takes over, and an evaluation running in
    it fails at once, but Playwright may not have the commit yet: a reload started then was
    "interrupted by another navigation" or never loaded (a 5 s stall per submitted form, and
    now and then a form step lost). So a step that saw its document go waits until a document
    without controls.js answers (Playwright has its commit by then) and has loaded; commits
    (framenavigated) only end a wait early (judge.docwatch).
    """

    def __init__(self, page: Page):
        self.page, self.main = page, page.main_frame
        self._event = asyncio.Event()

    def _seen(self, frame: Any) -> None:
        if frame == self.main:
            self._event.set()

    def _closed(self, _page: object) -> None:
        self._event.set()

    def __enter__(self) -> _Commits:
        self.page.on("framenavigated", self._seen)
        self.page.on("close", self._closed)
        return self

    def __exit__(self, *exc: object) -> None:
        self.page.remove_listener("framenavigated", self._seen)
        self.page.remove_listener("close", self._closed)

    async def new_document(self, seconds: float) -> bool:
        """Whether a new main document (not a same-document move: a hash, pushState) is the
        page's within `seconds`; if so, waits for it to load."""
        return await await_new_document(
            self.page, self._event, lambda left: _helpers(self.page, left), seconds
        )


async def _helpers(page: Page, seconds: float) -> bool | None:
    """Whether the page's document is the one controls.js was installed in; None when no
    document answers (one is going, the next not yet there)."""
    return await ask(page, "() => !!window.__fjp", None, seconds)


def _gone_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return any(k in text for k in ("destroyed", "navigat", "__fjp", "closed"))


async def wait_change(page: Page, ms: int = WAIT_MS) -> dict[str, Any] | None:
    """Let the action show its first change; the state then, or None if it navigated (the
    new document committed and loaded by the time this returns)."""
    with _Commits(page) as commits:
        try:
            # No __fjp: the action already replaced the document (a fast reload).
            state = await page.evaluate(
                "(ms) => window.__fjp ? window.__fjp.waitChange(ms) : null", ms
            )
        except Exception as exc:
            if not _gone_error(exc):
                raise
            state = None  # the document went while we waited: a navigation
        if state is None:
            await commits.new_document(LATE_NAV_S)
            return None
        if state.get("leaving") and await commits.new_document(LATE_NAV_S):
            return None  # a navigation that came after the page's own wait: still one
    return state


async def after_crop(
    page: Page, view: dict[str, float], clip: dict[str, float]
) -> tuple[bytes, dict[str, float]] | None:
    """The after-crop; None when the document went meanwhile: a form's reload that
    committed after the wait stopped waiting for it (a busy machine) leaves no frame to
    capture, and is a navigation like one that came sooner, not a failed step."""
    with _Commits(page) as commits:
        try:
            return await crop(page, view, clip)
        except Exception:
            if await _helpers(page, 1.0):
                raise
            await commits.new_document(LATE_NAV_S)
            return None


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
