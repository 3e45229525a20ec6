"""Helpers for live checks that drive the submission's page: clean reloads and crops.

Live checks get only the Playwright page; `LivePage` adds what they share: a loopback
request tracker (so a reload can re-wait with `judge.capture.settle`), the uncaught errors
thrown while the check drove the page (its own events: the load-time ones are frozen), a
clean reload (storage cleared, so every probe starts from the same state) and PNG crops.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from judge.capture import settle

if TYPE_CHECKING:
    from playwright.async_api import Page, Request

_CLEAR_STORAGE = """() => { try { localStorage.clear(); sessionStorage.clear(); } catch (e) {} }"""


LIVE_DATA = frozenset({"fetch", "xhr", "eventsource", "websocket"})


@dataclass
class LivePage:
    """A submission page plus request tracking, duck-typed to what `settle` needs."""

    page: Page
    url: str
    inflight: int = 0
    idle: asyncio.Event = field(default_factory=asyncio.Event)
    blocked: list[str] = field(default_factory=list)  # "<resource type>: <url>", for people
    live_data: int = 0  # blocked fetch/XHR/event streams/sockets: data the page asked outside for
    errors: list[str] = field(default_factory=list)  # uncaught, while this check drove the page

    def __post_init__(self) -> None:
        self.idle.set()
        self.page.on("request", self._on_request)
        self.page.on("requestfinished", self._on_done)
        self.page.on("requestfailed", self._on_failed)
        self.page.on("pageerror", self._on_error)

    def detach(self) -> None:
        """Stop tracking (the page outlives the check)."""
        for name, fn in (
            ("request", self._on_request),
            ("requestfinished", self._on_done),
            ("requestfailed", self._on_failed),
            ("pageerror", self._on_error),
        ):
            with contextlib.suppress(Exception):
                self.page.remove_listener(name, fn)

    def _own(self, req: Request) -> bool:
        return req.url.startswith("/".join(self.url.split("/", 3)[:3]))

    def _on_request(self, req: Request) -> None:
        if self._own(req):
            self.inflight += 1
            self.idle.clear()

    def _on_done(self, req: Request) -> None:
        if self._own(req):
            self.inflight = max(0, self.inflight - 1)
            if self.inflight == 0:
                self.idle.set()

    def _on_error(self, err: object) -> None:
        if len(self.errors) < 200:
            self.errors.append(str(err)[:500])

    def _on_failed(self, req: Request) -> None:
        self._on_done(req)
        if "BLOCKED" in (req.failure or "").upper() and len(self.blocked) < 50:
            self.blocked.append(f"{req.resource_type}: {req.url[:200]}")
            self.live_data += req.resource_type in LIVE_DATA

    async def reload(self, timeout: float, *, clear_storage: bool = True) -> None:
        """Fresh load of the submission's URL (storage cleared first), then settle."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        if clear_storage:
            with contextlib.suppress(Exception):
                await self.page.evaluate(_CLEAR_STORAGE)
        for attempt in range(2):
            try:
                await self.page.goto(
                    self.url, wait_until="load", timeout=max(500, (end - loop.time()) * 1000)
                )
            except Exception as exc:
                text = str(exc).lower()
                if attempt == 0 and "interrupted by another navigation" in text:
                    # The page was still leaving on its own (a form submitted a moment ago
                    # commits after our goto began): let that load finish, then go again.
                    with contextlib.suppress(Exception):
                        await self.page.wait_for_load_state(
                            "load", timeout=max(500, (end - loop.time()) * 1000)
                        )
                    continue
                if "timeout" not in text:
                    raise
            break
        await settle(self, max(0.3, end - loop.time()))  # type: ignore[arg-type]

    async def advance(self, ms: int) -> None:
        """Move the page's virtual time on by `ms` (its timers fire), then two real frames."""
        from judge.capture import ADVANCE_JS, FRAME_JS

        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.page.evaluate(ADVANCE_JS, ms), timeout=10)
            await asyncio.wait_for(self.page.evaluate(FRAME_JS), timeout=5)

    async def wait_until(
        self, js: str, arg: object = None, *, virtual_ms: int = 800, step_ms: int = 100
    ) -> bool:
        """Whether `js(arg)` becomes true within `virtual_ms` of the page's time, checked after
        every `step_ms` it is moved on. Playwright's own polling cannot do this: its `raf` and
        interval polling run on the page's (virtual) timers, which only move when advanced."""
        spent = 0
        while True:
            with contextlib.suppress(Exception):
                if await asyncio.wait_for(self.page.evaluate(js, arg), timeout=5):
                    return True
            if spent >= virtual_ms:
                return False
            await self.advance(step_ms)
            spent += step_ms

    async def crop(self, view_box: dict[str, float], margin: tuple[int, int] = (150, 100)) -> bytes:
        """PNG of the viewport region around a box given in viewport coordinates."""
        vp = self.page.viewport_size or {"width": 1280, "height": 800}
        x0 = max(0.0, view_box["x"] - margin[0])
        y0 = max(0.0, view_box["y"] - margin[1])
        x1 = min(float(vp["width"]), view_box["x"] + view_box["width"] + margin[0])
        y1 = min(float(vp["height"]), view_box["y"] + view_box["height"] + margin[1])
        if x1 - x0 < 2 or y1 - y0 < 2:
            x0, y0, x1, y1 = 0.0, 0.0, float(vp["width"]), float(vp["height"])
        clip = {"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0}
        return await self.page.screenshot(
            clip=clip, type="png", animations="disabled", caret="hide", timeout=5000
        )
