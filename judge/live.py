"""Helpers for live checks that drive the submission's page: clean reloads and crops.

Live checks get only the Playwright page; `LivePage` adds what they share: a loopback
request tracker (so a reload can re-wait with `judge.capture.settle`), the uncaught errors
thrown while the check drove the page (its own events: the load-time ones are frozen), a
clean reload (storage cleared, so every probe starts from the same state) and PNG crops.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from judge.capture import awaited, settle
from judge.dialogs import close_blocking_dialog
from judge.docwatch import IS_MARKED_JS, MARK_JS, OwnNavigations, ask, await_new_document

if TYPE_CHECKING:
    from playwright.async_api import Page, Request, Response

# The document a goto is about to leave: marked (judge.docwatch), its storage cleared.
_FRESH_JS = """([token, clear]) => {
  window.__fjDoc = token;
  if (clear) { try { localStorage.clear(); sessionStorage.clear(); } catch (e) {} }
}"""
_TOKENS = itertools.count(1)


def _doc(url: str) -> str:
    return url.split("#")[0]


# A goto that lost to a navigation of the page's own; it waits for that one and goes again.
_LOST = ("interrupted by another navigation", "net::err_aborted")


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
    navs: OwnNavigations = field(init=False)

    def __post_init__(self) -> None:
        self.idle.set()
        self.navs = OwnNavigations(self.page)
        self.page.on("request", self._on_request)
        self.page.on("requestfinished", self._on_done)
        self.page.on("requestfailed", self._on_failed)
        self.page.on("pageerror", self._on_error)

    def detach(self) -> None:
        """Stop tracking (the page outlives the check)."""
        self.navs.detach()
        for name, fn in (
            ("request", self._on_request),
            ("requestfinished", self._on_done),
            ("requestfailed", self._on_failed),
            ("pageerror", self._on_error),
        ):
            with contextlib.suppress(Exception):
                self.page.remove_listener(name, fn)

    def _own(self, req: Request) -> bool:
        return awaited(req.url, "/".join(self.url.split("/", 3)[:3]))

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
        """Fresh load of the submission's URL (storage cleared first), then settle.

        A navigation the page started on its own (the last step submitted a form) is waited
        for first, to its commit and load: a goto started while it is on its way loses to it
        (judge.docwatch). Storage is cleared in the document the goto leaves, after that wait:
        the page's own next document may write to it as it loads."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        token, since = next(_TOKENS), self.navs.requests
        leaving = await self._mark(MARK_JS, token, clear_storage, end)
        for attempt in range(3):
            last = attempt == 2
            # Up to half the time left for the page's navigation; the goto has the rest.
            came = await self._own_navigation(token, since, leaving, (end - loop.time()) / 2)
            if came or attempt:  # not the document MARK_JS cleared: its scripts may have written
                token = next(_TOKENS)
                await self._mark(_FRESH_JS, token, clear_storage, end)
            since, leaving, start = self.navs.requests, False, len(self.navs.log)
            try:
                response = await self.page.goto(
                    self.url, wait_until="load", timeout=max(500, (end - loop.time()) * 1000)
                )
            except Exception as exc:
                text = str(exc).lower()
                if not last and any(k in text for k in _LOST):
                    # The page's navigation won (it started after ours, or committed as ours
                    # began): wait for its document to load, not the old one's, then go again.
                    leaving = True
                    continue
                if "timeout" not in text:
                    raise
                response = None
            try:
                await settle(self, max(0.3, end - loop.time()))  # type: ignore[arg-type]
            except Exception:
                if last or not await self._overtaken(response, start, end):
                    raise
                continue
            if last or not await self._overtaken(response, start, end):
                await close_blocking_dialog(self.page)  # as it was closed after the first load
                return

    async def _overtaken(self, response: Response | None, start: int, end: float) -> bool:
        """Whether a navigation the old document started before ours committed (a reply to its
        fetch that sets `location`) came after ours; if so, waits for it to load. `start`: the
        length of the navigation log when our goto began. Navigations requested after our
        commit are the new document's own (a redirect by script) and left to it, as before."""
        loop = asyncio.get_running_loop()
        ours: set[Request] = set()
        req = response.request if response is not None else None
        while req is not None:
            ours.add(req)
            req = req.redirected_from
        log = self.navs.log[start:]
        mine = next((i for i, (done, r) in enumerate(log) if done and r in ours), None)
        if mine is None:
            # Our commit not told from another's (no response: a document replaced ours as
            # it loaded; the same address asked for twice): where the page is decides.
            rival = _doc(self.page.url) != _doc(response.url if response else self.url)
        else:
            rivals = [r for done, r in log[:mine] if not done and r not in ours]
            if not rivals:
                return False
            await self.navs.ended(rivals[-1], (end - loop.time()) / 2)
            rival = (True, rivals[-1]) in self.navs.log[start + mine :]
        if rival:
            with contextlib.suppress(Exception):
                left = max(0.05, (end - loop.time()) / 2)
                await self.page.wait_for_load_state("load", timeout=left * 1000)
        return rival

    async def _mark(self, js: str, token: int, clear: bool, end: float) -> bool:
        """Run MARK_JS or _FRESH_JS in the page's document; True if no document answered (the
        one there is going: its context destroyed) or MARK_JS saw a navigation announced."""
        left = end - asyncio.get_running_loop().time()
        try:
            js_call = self.page.evaluate(js, [token, clear])
            return bool(await asyncio.wait_for(js_call, max(0.25, left / 4)))
        except Exception:
            return True

    async def _own_navigation(self, token: int, since: int, leaving: bool, seconds: float) -> bool:
        """Whether a document other than the one marked `token` came within `seconds` (then
        loaded). Waits only while a navigation is on its way: the marked document is going or
        announced one (`leaving`), or a navigation request of the main frame is open."""
        if not leaving and self.navs.open is None:
            return False

        async def is_old(left: float) -> bool | None:
            return await ask(self.page, IS_MARKED_JS, token, left)

        def settled() -> bool:
            # The marked document still answers: nothing comes once no request is open, and an
            # announced navigation has shown its request (it may have ended without a document:
            # blocked, a 204).
            return self.navs.open is None and not (leaving and self.navs.requests == since)

        return await await_new_document(
            self.page, self.navs.wake, is_old, max(0.0, seconds), settled=settled
        )

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
