"""A form whose reload commits late is still a navigation.

The preview answers from the judge's own event loop, so another page's work can hold up the
reply to a submitted form past controls.js's 2 s wait. Whether the step then read as "a
navigation" or as "nothing happened" depended on the machine's load: the ten-run determinism
test saw the sign-in page's checks differ between runs. Here a real HTTP server answers the
submitted form after 3.5 s — later than that wait — and the prober's read must still be a
navigation, while a form whose script keeps the page answers at once.
"""

from __future__ import annotations

import asyncio
import time

import pytest

PAGE = """<!doctype html><html><body>
<form id="plain"><input name="email" value="a@b.c"><button id="go">Sign in</button></form>
<form id="kept" onsubmit="event.preventDefault(); document.title = 'kept'">
  <button id="stay">Send</button></form>
</body></html>"""
LATE_S = 3.5


@pytest.fixture
async def slow_server():
    from aiohttp import web

    async def handle(request: web.Request) -> web.Response:
        if request.query.get("email"):
            await asyncio.sleep(LATE_S)  # a preview held up by other work
            return web.Response(text="<p id=thanks>Thanks</p>", content_type="text/html")
        return web.Response(text=PAGE, content_type="text/html")

    app = web.Application()
    app.router.add_get("/", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/"
    await runner.cleanup()


@pytest.mark.browser
async def test_late_reload_reads_as_navigation_and_a_kept_page_does_not_wait(slow_server):
    from playwright.async_api import async_playwright

    from judge.browser import find_chromium
    from judge.interact import CONTROLS_JS
    from judge.pagereads import wait_change

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_chromium(), args=["--no-sandbox"])
        try:
            page = await browser.new_page()
            await page.goto(slow_server)
            await page.evaluate(CONTROLS_JS)

            t0 = time.monotonic()
            await _press(page, "#stay")
            kept = await wait_change(page, 600)
            assert kept is not None and not kept.get("leaving"), kept
            assert time.monotonic() - t0 < LATE_S  # nothing to wait for: no navigation pending

            await _press(page, "#go")
            assert await wait_change(page, 600) is None  # the reload came after 2 s: still one
            assert await page.locator("#thanks").count() == 1
        finally:
            await browser.close()


async def _press(page, selector: str) -> None:
    """A click as the prober makes it: the mouse, which (unlike Locator.click) does not wait
    for a navigation it starts."""
    box = await page.locator(selector).bounding_box()
    assert box
    await page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
