"""Waiting out a navigation the page started on its own before the judge navigates it.

A form submitted, a link followed or `location` set replaces the page's main document a moment
later, in steps the judge sees at different times: the page queues the navigation, the browser
sends its request, the old document's context goes (an evaluation running in it fails at once)
and only then does Playwright get the commit. A `goto` started anywhere in between loses: the
page's navigation aborts it (net::ERR_ABORTED), it is "interrupted by another navigation", or it
waits its whole timeout while the page ends on the submitted address. So whoever navigates
waits first until a document other than the one it watched answers (Playwright has its commit
by then) and has loaded; commits and the page's navigation requests only wake the wait.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.async_api import Page, Request

LOAD_S = 3.0  # cap on waiting for the new document's load event

# Marks the document (the token tells it from any later one) and watches two native task turns
# for a navigation the page has queued and not started yet (a form's submission runs in a task
# of its own after the submit): the Navigation API's `navigate` event announces it before its
# request exists. Not the page's timers, which run on virtual time (assets/init.js).
MARK_JS = """async ([token, clear]) => {
  window.__fjDoc = token;
  const nav = window.navigation;
  let leaving = false;
  const seen = (e) => {
    if (!e.destination.sameDocument && !e.downloadRequest) leaving = e;
  };
  // The browser's own addEventListener (init.js keeps it): a page may have patched it.
  const listen = (window.__fjNative && window.__fjNative.listen) || EventTarget.prototype.addEventListener;
  if (nav) listen.call(nav, "navigate", seen);
  const turn = () => new Promise((r) => {
    const c = new MessageChannel();
    c.port1.onmessage = () => r();
    c.port2.postMessage(0);
  });
  await turn();
  await turn();
  if (nav) nav.removeEventListener("navigate", seen);
  leaving = !!leaving && !leaving.defaultPrevented;
  if (clear && !leaving) {
    try { localStorage.clear(); sessionStorage.clear(); } catch (e) {}
  }
  return leaving;
}"""
IS_MARKED_JS = "(token) => window.__fjDoc === token"


async def ask(page: Page, js: str, arg: Any, seconds: float) -> bool | None:
    """`js(arg)` in the page's main document, as a bool; None when no document answers within
    `seconds` (one is going, the next not yet there)."""
    try:
        return bool(await asyncio.wait_for(page.evaluate(js, arg), max(0.05, seconds)))
    except Exception:
        return None


async def await_new_document(
    page: Page,
    wake: asyncio.Event,
    is_old: Callable[[float], Awaitable[bool | None]],
    seconds: float,
    *,
    settled: Callable[[], bool] | None = None,
    load_s: float = LOAD_S,
) -> bool:
    """Whether a new main document (not a same-document move: a hash, pushState) is the page's
    within `seconds`; if so, waits (at most `load_s`) for it to load.

    `is_old(seconds)` says whether the watched document answers (True), another one does (False)
    or none does (None: one is going, the next not there yet). `wake` is set by whatever may
    end the wait: a main-frame commit, a navigation request, the page closing. `settled()`,
    asked while the watched document still answers, ends the wait when nothing is on its way.
    A closed page ends it at once.
    """
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while (left := end - loop.time()) > 0 and not page.is_closed():
        wake.clear()
        old = await is_old(left)
        if old is False:
            # Another document answered: its commit reached this client before the answer did
            # (Playwright reports a commit before the new context).
            with contextlib.suppress(Exception):
                left = max(0.05, min(load_s, end - loop.time()))
                await page.wait_for_load_state("load", timeout=left * 1000)
            return True
        if old and settled is not None and settled():
            return False
        # Still the old document: wait to be woken. No answer (the old context is going, the
        # new one not there yet): look again a moment later, or when woken.
        wait = end - loop.time() if old else min(0.05, end - loop.time())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), max(0.0, wait))
    return False


class OwnNavigations:
    """The main frame's navigation requests and commits, as Playwright reports them.

    `inflight` has the main frame's navigation requests that have neither committed nor ended
    (finished without a document: a 204, a download; failed: blocked, aborted), so a
    navigation the page started is known before its document comes. `log` has the requests
    and their documents' commits in the order they came, (False, request) and (True, request).
    `wake` is set on each of these events and when the page closes.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.wake = asyncio.Event()
        self.inflight: list[Request] = []
        self.requests = 0  # main-frame navigation requests seen
        self.log: list[tuple[bool, Request]] = []
        self._on = (
            ("request", self._request),
            ("requestfinished", self._ended),
            ("requestfailed", self._ended),
            ("framenavigated", self._committed),
            ("close", self._closed),
        )
        for name, fn in self._on:
            page.on(name, fn)

    @property
    def open(self) -> Request | None:
        """The latest navigation request still on its way, if any."""
        return self.inflight[-1] if self.inflight else None

    def detach(self) -> None:
        for name, fn in self._on:
            with contextlib.suppress(Exception):
                self.page.remove_listener(name, fn)
        self.inflight.clear()  # nothing reports their end any more

    def _request(self, req: Request) -> None:
        try:
            mine = req.is_navigation_request() and req.frame == self.page.main_frame
        except Exception:  # a service worker's request has no frame
            return
        if mine:
            self.inflight.append(req)
            self.requests += 1
            self.log.append((False, req))
            self.wake.set()

    def _ended(self, req: Request) -> None:
        if req in self.inflight:
            self.inflight.remove(req)
            self.wake.set()

    def _committed(self, frame: Any) -> None:
        if frame != self.page.main_frame:
            return
        # The document of the latest request for its address. A same-document move (a hash,
        # pushState) has none and ends nothing: a request still in flight ends when its own
        # document comes, or when the request ends.
        url = frame.url.split("#")[0]
        req = next((r for r in reversed(self.inflight) if r.url.split("#")[0] == url), None)
        if req is not None:
            self.inflight.remove(req)
            self.log.append((True, req))
        self.wake.set()

    def _closed(self, _page: object) -> None:
        self.wake.set()

    async def ended(self, req: Request, seconds: float) -> None:
        """Until `req` is no longer in flight (committed or ended), at most `seconds`."""
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds
        while req in self.inflight and (left := end - loop.time()) > 0:
            if self.page.is_closed():
                return
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), left)
