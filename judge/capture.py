"""Open a submission in a fresh isolated context, let it settle, and capture every viewport.

Determinism: fixed clock and seeded Math.random (assets/init.js), reduced
motion, animations disabled and caret hidden in screenshots, device scale factor 1, UTC, en-US.
Settling waits for load, fonts, pending images and in-flight loopback requests, each bounded;
there is no fixed sleep anywhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field

from playwright.async_api import Browser, BrowserContext, Page, Request, Route, WebSocketRoute

from judge.dialogs import close_blocking_dialog
from judge.jsassets import evaluate_json, script
from judge.mirror.tables import KNOWN_HOSTS
from judge.preview import PLACEHOLDER_PNG, Site
from judge.schema import ElementInfo, PageEvents, ViewportCapture

# The fixed clock is ours (assets/init.js), not Playwright's `clock`: Playwright's fake clock
# wraps timers and turns an exception thrown in a setTimeout callback into a console message,
# so a page that crashes a tick after load would never count as crashing.
FIXED_TIME = dt.datetime(2025, 1, 15, 10, 30, tzinfo=dt.UTC)
INIT_JS = script("init").replace("__FJUDGE_FIXED_MS__", str(int(FIXED_TIME.timestamp() * 1000)))
SNAPSHOT_JS = script("snapshot")
MAX_ELEMENTS = 2500
# In-page waits use the native timers (window.__fjNative): the page's own timers run on
# virtual time (assets/init.js), which only the judge moves.
_SETTLE_JS = """async (ms) => {
  const n = window.__fjNative || { setTimeout, raf: requestAnimationFrame };
  const cap = new Promise((r) => n.setTimeout(r, ms));
  const imgs = Array.from(document.images).filter((i) => !i.complete)
    .map((i) => new Promise((r) => { i.addEventListener('load', r); i.addEventListener('error', r); }));
  await Promise.race([Promise.all([document.fonts ? document.fonts.ready : null, ...imgs]), cap]);
  // Finite CSS animations run on real time, and a chain of them (one's animationend starts the
  // next: a countdown, a staged intro) would be caught at a point that depends on how fast the
  // machine is. As a person looking for a few seconds would, see them to their end: finish the
  // running ones, let their end events run (next frame) and their handlers' timers fire, again.
  for (let round = 0; round < 12 && n.finishAnimations; round++) {
    if (!n.finishAnimations(true).finished) break;
    await new Promise((r) => n.raf(r));
    if (window.__fjClock) await window.__fjClock.advance(100);
  }
  await new Promise((r) => n.raf(() => n.raf(r)));
}"""
FRAME_JS = """() => new Promise((r) => {
  const raf = window.__fjNative ? window.__fjNative.raf : requestAnimationFrame;
  raf(() => raf(r));
})"""
ADVANCE_JS = "(ms) => window.__fjClock ? window.__fjClock.advance(ms) : null"
# The same with a cap on the real time it may take (`[virtual ms, real ms]`).
_ADVANCE_CAPPED_JS = (
    "([ms, real]) => window.__fjClock ? window.__fjClock.advance(ms, 4000, real) : null"
)
# Virtual time a page gets after loading before it is judged: what a person sees after looking
# at it for a few seconds (a loader gone, a skeleton filled in, a typewriter done), in steps so
# that what timers fetch can arrive in between.
SETTLE_VIRTUAL_MS = 3000
SETTLE_STEP_MS = 500
RESIZE_VIRTUAL_MS = 300  # debounced resize handlers
# Measure the page as the screenshot shows it (Playwright's animations="disabled"): finite
# animations and transitions (a resize starts many) jump to their end, infinite ones rest at
# their start until the screenshot is taken. Without this, computed colours and boxes are read
# mid-transition and a check's result depends on timing.
_STILL_JS = """() => {
  const N = window.__fjNative;
  if (!N || !N.finishAnimations) return;
  const { endless } = N.finishAnimations(false);
  for (const a of endless) { try { a.cancel(); } catch (e) { /* leave it */ } }
  window.__fjHeld = endless;
}"""
_RESUME_JS = """() => { for (const a of window.__fjHeld || []) { try { a.play(); } catch (e) {} }
  window.__fjHeld = []; }"""
_IGNORED_OWN = ("/favicon.ico",)


@dataclass
class PageSession:
    """A submission's context and page, with the events recorded so far."""

    context: BrowserContext
    page: Page
    site: Site
    events: PageEvents = field(default_factory=PageEvents)
    inflight: int = 0
    idle: asyncio.Event = field(default_factory=asyncio.Event)

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.context.close(), 10)


def _channel(resource_type: str) -> str:
    return {
        "document": "navigation",
        "image": "image",
        "font": "font",
        "stylesheet": "stylesheet",
        "script": "script",
        "xhr": "fetch/xhr",
        "fetch": "fetch/xhr",
        "eventsource": "eventsource",
        "websocket": "websocket",
        "ping": "beacon",
        "media": "media",
        "manifest": "manifest",
    }.get(resource_type, resource_type or "other")


async def open_session(
    browser: Browser, site: Site, viewport: tuple[int, int], *, reduced_motion: bool = True
) -> PageSession:
    """New isolated context + page for `site`, with egress routing and event recording."""
    context = await browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]},
        device_scale_factor=1,
        locale="en-US",
        timezone_id="UTC",
        color_scheme="light",
        reduced_motion="reduce" if reduced_motion else "no-preference",
        service_workers="block",
        accept_downloads=False,
        # Its own proxy credentials: the preview serves this site's files to this context only.
        proxy=site.proxy,
        java_script_enabled=True,
    )
    await context.add_init_script(INIT_JS)
    origin = site.origin

    async def route_outside(route: Route) -> None:
        req = route.request
        channel = _channel(req.resource_type)
        if req.resource_type == "image":
            site.block(req.url, channel, "placeholder")
            await route.fulfill(body=PLACEHOLDER_PNG, content_type="image/png")
        else:
            if req.method == "POST" and req.resource_type == "document":
                channel = "form"
            site.block(req.url, channel)
            await route.abort("blockedbyclient")

    # A regex (not a Python callable) so the driver matches it: own requests never make the
    # round trip to Python, which matters for pages that fire hundreds of requests. Known CDN
    # hosts go on to the preview (the proxy), which answers them from the mirror or blocks them.
    cdn = "|".join(re.escape(h) for h in sorted(KNOWN_HOSTS))
    outside = re.compile(
        rf"^(?!{re.escape(origin)}/|data:|blob:|about:|https?://(?:{cdn})(?::\d+)?/)"
    )

    async def route_ws(ws: WebSocketRoute) -> None:
        site.block(ws.url, "websocket")
        await ws.close(code=1008, reason="fjudge: outside connections are blocked")

    await context.route(outside, route_outside)
    await context.route_web_socket(outside, route_ws)
    page = await context.new_page()
    session = PageSession(context, page, site)
    session.idle.set()
    _record(session)
    return session


def awaited(url: str, origin: str) -> bool:
    """A request settling waits for: the page's own, or one to a CDN the mirror answers — a
    library, data file or font a first use fetches into the store can take seconds, and a
    page that fetches it (or imports it after load) would be judged before it arrived, on a
    cold store only."""
    if url.startswith(origin):
        return True
    host = url.split("/", 3)[2].split(":")[0].lower() if url.count("/") >= 2 else ""
    return url.startswith(("http://", "https://")) and host in KNOWN_HOSTS


def _record(s: PageSession) -> None:
    ev, origin = s.events, s.site.origin

    def on_request(req: Request) -> None:
        if awaited(req.url, origin):
            s.inflight += 1
            s.idle.clear()

    def on_done(req: Request) -> None:
        if awaited(req.url, origin):
            s.inflight = max(0, s.inflight - 1)
            if s.inflight == 0:
                s.idle.set()

    async def on_response(resp) -> None:
        path = resp.url[len(origin) :] if resp.url.startswith(origin) else None
        own_failure = path is not None and resp.status >= 400
        if (
            own_failure
            and path.split("?")[0] not in _IGNORED_OWN
            and len(ev.failed_own_requests) < 50
        ):
            ev.failed_own_requests.append(f"{resp.status} {path[:200]}")

    def on_console(msg) -> None:
        if msg.type == "error" and len(ev.console_errors) < 50:
            text = msg.text
            # Blocked outside requests are reported as blocked, not as the page's errors.
            if "ERR_BLOCKED_BY_CLIENT" in text or "blocked by CORS" in text:
                return
            if "Failed to load resource" in text and "404" not in text and "500" not in text:
                return
            if "favicon.ico" in (msg.location or {}).get("url", ""):
                return
            ev.console_errors.append(text[:500])

    def on_pageerror(err) -> None:
        if len(ev.page_errors) < 50:
            ev.page_errors.append(str(err)[:500])

    def on_crash(_page) -> None:
        ev.crashed = True

    async def on_popup(page: Page) -> None:
        # window.open is stubbed by init.js (and recorded there); anything else is just closed.
        with contextlib.suppress(Exception):
            await page.close()

    s.page.on("request", on_request)
    s.page.on("requestfinished", on_done)
    s.page.on("requestfailed", on_done)
    s.page.on("response", on_response)
    s.page.on("console", on_console)
    s.page.on("pageerror", on_pageerror)
    s.page.on("crash", on_crash)
    s.context.on("page", on_popup)


async def load(s: PageSession, timeout: float) -> None:
    """Navigate to the site and wait until it settles (bounded by `timeout` seconds)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    try:
        await s.page.goto(s.site.url, wait_until="load", timeout=timeout * 1000)
    except Exception as exc:
        if "Timeout" not in type(exc).__name__ and "timeout" not in str(exc).lower():
            raise
        s.events.load_timed_out = True
    await settle(s, max(0.5, deadline - loop.time()))
    s.events.blocking_dialog = await close_blocking_dialog(s.page)


async def settle(s: PageSession, timeout: float) -> None:
    """Loopback requests, fonts and images done; then virtual time moved on by
    SETTLE_VIRTUAL_MS in steps (its timers fire in order, and what they fetch may arrive in
    between); then two frames. All bounded by `timeout` (real seconds)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    # A page that polls forever is never idle: cap each wait well inside the budget.
    cap = min(timeout / 3, 3.0)
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(s.idle.wait(), timeout=cap)
    # A page that was not idle by now polls for ever: waiting for idle between steps only
    # burns the budget there, so it gets a glance instead of a wait.
    step_wait = 0.3 if s.idle.is_set() else 0.05
    for _ in range(SETTLE_VIRTUAL_MS // SETTLE_STEP_MS):
        left = end - loop.time()
        if left <= 0.2:
            break
        # A page whose every frame is costly (a software-GL scene) cannot be fast-forwarded
        # 3 s within the budget: it is judged as far as it got, not failed for taking time.
        real = int(max(100.0, (left - 0.5) * 1000 / 2))
        got = await asyncio.wait_for(
            s.page.evaluate(_ADVANCE_CAPPED_JS, [SETTLE_STEP_MS, real]), timeout=left + 1
        )
        if isinstance(got, dict) and got.get("truncated") and got.get("calls", 0) < 4000:
            break  # out of real time (a call-capped burst of timers goes on next step)
        with contextlib.suppress(asyncio.TimeoutError):
            wait = min(step_wait, max(0.05, end - loop.time()))
            await asyncio.wait_for(s.idle.wait(), timeout=wait)
    ms = int(min(cap, max(0.1, end - loop.time())) * 1000)
    await asyncio.wait_for(s.page.evaluate(_SETTLE_JS, ms), timeout=max(0.5, end - loop.time()) + 1)


async def capture_viewport(s: PageSession, name: str, width: int, height: int) -> ViewportCapture:
    """Resize, let the layout settle, measure elements and screenshot the viewport."""
    page = s.page
    await page.set_viewport_size({"width": width, "height": height})
    await page.evaluate("() => window.scrollTo(0, 0)")
    await page.evaluate(FRAME_JS)
    await page.evaluate(ADVANCE_JS, RESIZE_VIRTUAL_MS)
    await page.evaluate(FRAME_JS)
    await page.evaluate(_STILL_JS)
    snap = await evaluate_json(page, SNAPSHOT_JS, MAX_ELEMENTS)
    png = await page.screenshot(type="png", animations="disabled", caret="hide", timeout=15000)
    await page.evaluate(_RESUME_JS)
    return ViewportCapture(
        name=name,
        width=width,
        height=height,
        screenshot=png,
        doc_width=snap["doc_width"],
        scrolls_x=snap.get("scrolls_x"),
        doc_height=snap["doc_height"],
        body_text_length=snap["body_text_length"],
        page_background=snap.get("page_background"),
        elements=[ElementInfo.model_validate(e) for e in snap["elements"]],
    )


async def collect_page_records(s: PageSession) -> None:
    """Pull what init.js recorded (dialogs, popups, rejections) into the events."""
    with contextlib.suppress(Exception):
        rec = await asyncio.wait_for(s.page.evaluate("() => window.__fjudge || {}"), 5)
        s.events.dialogs.extend(rec.get("dialogs", [])[:100])
        s.events.unhandled_rejections.extend(rec.get("rejections", [])[:50])
        for url in rec.get("popups", [])[:50]:
            s.site.block(str(url), "popup")
    s.events.failed_own_requests.extend(
        f"404 {p}" for p in s.site.missing if p not in _IGNORED_OWN and len(p) < 300
    )
    s.events.failed_own_requests[:] = list(dict.fromkeys(s.events.failed_own_requests))[:50]
    s.events.blocked = list(s.site.blocked)
