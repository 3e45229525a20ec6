"""A navigation the page starts on its own does not spoil the judge's clean reload.

A page navigates itself a moment after an action (a form submitted, a reply that sets
`location`), and the judge's reload between probes can start while that navigation is on its
way: the goto was aborted (net::ERR_ABORTED), "interrupted by another navigation", or waited
its whole timeout while the page ended on the submitted address, and the probe after it ran on
the wrong page or not at all. When exactly a form submitted just before the reload lands is
the machine's business and cannot be staged; here the server stages the same contest every
time: the page's long poll is answered when the reload's own request arrives, the page then
submits its form, and the reload's document is held until that submission has reached the
server (the reload's goto is aborted: it raised every time before). The reload must wait for
the page's document (which writes to storage as it loads), then load afresh.
"""

from __future__ import annotations

import asyncio
import contextlib

import pytest

PAGE = """<!doctype html><html><body>
<form><input name="email" value="a@b.c"><button>Sign in</button></form>
<script>
  fetch("/wait").then((r) => r.text()).then((t) => { if (t === "go") document.forms[0].submit(); });
</script></body></html>"""
THANKS = """<!doctype html><p id="thanks">Thanks</p>
<script>localStorage.setItem("signed", "in");</script>"""


@pytest.fixture
async def racing_server():
    from aiohttp import web

    polls: list[asyncio.Future[str]] = []
    state = {"polling": asyncio.Event(), "submitted": 0, "held": None}

    async def page(request: web.Request) -> web.Response:
        if request.query.get("email"):
            state["submitted"] += 1
            held = state["held"]
            if held is not None and not held.done():
                held.set_result(None)
            return web.Response(text=THANKS, content_type="text/html")
        if polls:  # a new document asked for while the page waits: the page navigates now
            state["held"] = held = asyncio.get_running_loop().create_future()
            for f in polls:
                f.set_result("go")
            polls.clear()
            state["polling"].clear()
            # Answer only once the page's own navigation has reached us (or after 2 s).
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(held, 2)
        return web.Response(text=PAGE, content_type="text/html")

    async def wait(request: web.Request) -> web.Response:
        f = asyncio.get_running_loop().create_future()
        polls.append(f)
        state["polling"].set()
        try:
            return web.Response(text=await asyncio.wait_for(f, 30))
        except TimeoutError:
            return web.Response(text="stay")

    app = web.Application()
    app.router.add_get("/", page)
    app.router.add_get("/wait", wait)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/", state
    for f in polls:
        if not f.done():
            f.set_result("stay")
    await runner.cleanup()


@pytest.mark.browser
async def test_reload_outlasts_a_navigation_the_page_starts_meanwhile(racing_server):
    from playwright.async_api import async_playwright

    from judge.browser import find_chromium
    from judge.capture import INIT_JS
    from judge.live import LivePage

    url, state = racing_server
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_chromium(), args=["--no-sandbox"])
        try:
            context = await browser.new_context()
            await context.add_init_script(INIT_JS)  # the judge's pages have it (settle needs it)
            page = await context.new_page()
            await page.goto(url)
            live = LivePage(page, url)
            for i in range(3):
                await asyncio.wait_for(state["polling"].wait(), 5)  # the page waits for its cue
                await live.reload(5.0)
                assert state["submitted"] == i + 1  # the page did navigate during the reload
                assert page.url == url
                assert await page.locator("form").count() == 1
                assert await page.evaluate("() => localStorage.getItem('signed')") is None
            live.detach()
        finally:
            await browser.close()
