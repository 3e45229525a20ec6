"""The whole loop in real Chromium: `score --out` → review (clicks, keys, a live page) →
export (browser download) → `calibrate fit` on the file as downloaded → `score --calibration`.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading

import pytest
from PIL import Image
from typer.testing import CliRunner

from judge.cli import app as cli

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(1500)]

CLICKY = """<!doctype html><html><head><style>
body { margin: 0; font: 18px sans-serif; }
#go { position: absolute; left: 0; top: 0; width: 400px; height: 200px; border: 0;
      background: rgb(200, 0, 0); color: #fff; font-size: 28px; }
#go.done { background: rgb(0, 160, 0); }
</style></head><body><button id="go" onclick="this.classList.add('done');
this.textContent='clicked'">Click me</button><main style="margin-top:220px;padding:1em">
<h1>Clicky</h1><p>A page with one button.</p></main></body></html>"""


def page(k: int) -> str:
    """Pages of decreasing care: styled → unstyled, then overflowing, then a script error."""
    style = (
        "<style>body{font:18px/1.5 Georgia,serif;max-width:40em;margin:2em auto;color:#222}"
        "h1{color:#1a4d8f}nav a{margin-right:1em}</style>"
        if k < 6
        else ""
    )
    wide = "<div style='width:2400px;background:#f0f'>wide</div>" if k >= 8 else ""
    crash = "<script>undefinedFunction()</script>" if k % 3 == 2 else ""
    body = "".join(
        f"<p>Paragraph {i} about item {k}, with some ordinary text.</p>" for i in range(4)
    )
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Page {k}</title>{style}"
        f"</head><body><nav><a href='#a'>Home</a><a href='#b'>About</a></nav><h1>Page {k}</h1>"
        f"{body}{wide}{crash}</body></html>"
    )


@pytest.fixture
def scored(tmp_path, monkeypatch):
    monkeypatch.setenv("FJUDGE_CACHE", str(tmp_path / "cache"))
    subs = tmp_path / "subs"
    subs.mkdir()
    for k in range(11):
        (subs / f"p{k:02d}.html").write_text(page(k))
    (subs / "clicky").mkdir()
    (subs / "clicky" / "index.html").write_text(CLICKY)
    res = CliRunner().invoke(
        cli, ["score", *map(str, sorted(subs.iterdir())), "--out", str(tmp_path / "out")]
    )
    assert res.exit_code == 0, res.output
    return tmp_path


def serve(app):
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("review server did not start")
        threading.Event().wait(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


async def test_score_review_export_fit_score(scored):
    from playwright.async_api import async_playwright

    from judge.browser import find_chromium
    from judge.cli.review import build_app

    tmp = scored
    out = tmp / "out"
    app, store, items, root = build_app(out, scale=(1, 5))
    # The batch index.html is not an item; every item shows its three viewports and names the
    # submission it came from (found beside the output folder by name and hash).
    assert root == out and len(items) == 12
    assert all(len(it.images) == 3 and it.source is not None for it in items)
    assert {it.path.parent for it in items} <= {tmp / "subs", tmp / "subs" / "clicky"}
    verdicts = {it.id: json.loads(it.verdict_file.read_text()) for it in items if it.verdict_file}
    # The "human" agrees with the judge's ordering (quintiles of its score): a loop test.
    order = sorted(verdicts, key=lambda i: (verdicts[i]["score"], i))
    want = {i: 1 + (4 * r) // (len(order) - 1) for r, i in enumerate(order)}
    server, thread, url = serve(app)
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=find_chromium(), args=["--no-sandbox"]
            )
            page = await browser.new_page(
                viewport={"width": 1280, "height": 720}, accept_downloads=True
            )
            await page.goto(url)
            await page.fill("#name", "alice")
            await page.click("#start-rate")
            dims = (await page.evaluate("fetch('/api/config').then((r) => r.json())"))["dimensions"]
            for n in range(len(items)):
                await page.wait_for_function(
                    f"document.getElementById('progress').textContent.startsWith('{n} /')"
                )
                item = await page.text_content("#rate-item")
                shots = page.locator("#rate-shots img")
                assert await shots.count() == 3
                await page.wait_for_function(
                    "[...document.querySelectorAll('#rate-shots img')].every(i => i.naturalWidth > 0)"
                )
                # The rating controls are on screen without scrolling.
                box = await page.locator("#submit-rate").bounding_box()
                assert box is not None and box["y"] + box["height"] <= 720
                if item == "011-clicky":
                    await check_live_page(page)
                if n % 2 == 0:
                    # Keyboard: a digit rates the highlighted row and moves down; Enter submits.
                    await page.locator("#rate-item").click()
                    for _ in range(len(dims)):
                        await page.keyboard.press(str(want[item]))
                    await page.keyboard.press("Enter")
                else:
                    await page.click(f".dim[data-dim=overall] button[data-value='{want[item]}']")
                    await page.click("#submit-rate")
            await page.wait_for_selector("#finished:not(.hidden)")
            # One preference in pairwise mode, by keyboard.
            await page.goto(url)
            await page.fill("#name", "bob")
            await page.click("#start-pair")
            await page.wait_for_selector("#pair:not(.hidden)")
            await page.locator("#left-name").click()
            await page.keyboard.press("ArrowLeft")
            await page.wait_for_function(
                "document.getElementById('progress').textContent.startsWith('1 /')"
            )
            async with page.expect_download() as dl_info:
                await page.click("#export-csv")
            download = await dl_info.value
            assert re.fullmatch(r"review-out-\d{8}-\d{6}\.csv", download.suggested_filename)
            dest = tmp / "downloads" / download.suggested_filename
            await download.save_as(dest)
            await browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        store.close()
    text = dest.read_text()
    assert text.splitlines()[0].startswith("item,rating,rater,dimension,scale_min,scale_max,sha256")
    runner = CliRunner()
    cal = tmp / "cal.json"
    fit = await asyncio.to_thread(
        runner.invoke, cli, ["calibrate", "fit", str(dest), "-o", str(cal)]
    )
    assert fit.exit_code == 0, fit.output
    # Verdicts come from the scored output: nothing is judged a second time.
    assert "12 cached verdicts, judging 0 items" in fit.output
    assert "nested CV" in fit.output
    model = json.loads(cal.read_text())
    assert model["model"]["kind"] == "monotone"  # 12 items: only the score's monotone map
    res = await asyncio.to_thread(
        runner.invoke,
        cli,
        [
            "score",
            str(tmp / "subs" / "p00.html"),
            str(tmp / "subs" / "p10.html"),
            "--json",
            "--calibration",
            str(cal),
        ],
    )
    assert res.exit_code == 0, res.output
    good, bad = (json.loads(line) for line in res.output.strip().splitlines())
    for v in (good, bad):
        assert 1 <= v["calibration"]["human_value"] <= 5
    assert good["calibration"]["human_value"] >= bad["calibration"]["human_value"]


async def check_live_page(page) -> None:
    """Open the live page, click its button, see the page change in the next frame."""
    await page.click("#rate-live .live-open")
    frame = page.locator("#rate-live img.live-frame")
    await frame.wait_for()
    await page.wait_for_function(
        "(() => { const i = document.querySelector('#rate-live img.live-frame');"
        " return i && i.complete && i.naturalWidth > 0; })()"
    )
    red = await pixel(page)
    assert red[0] > 150 and red[1] < 60  # the button, not yet clicked
    src = await frame.get_attribute("src")
    await frame.click(position={"x": 20, "y": 20})  # top-left: on the button at any scale
    await page.wait_for_function(
        f"(() => {{ const i = document.querySelector('#rate-live img.live-frame');"
        f" return i.getAttribute('src') !== {json.dumps(src)} && i.complete && i.naturalWidth > 0; }})()"
    )
    green = await pixel(page)
    assert green[1] > 120 and green[0] < 60, green


async def pixel(page) -> list[int]:
    """RGB of the live frame's pixel at (10, 10) (same origin: the canvas is readable)."""
    return await page.evaluate(
        """() => { const i = document.querySelector('#rate-live img.live-frame');
        const c = document.createElement('canvas'); c.width = i.naturalWidth; c.height = i.naturalHeight;
        const g = c.getContext('2d'); g.drawImage(i, 0, 0);
        return Array.from(g.getImageData(10, 10, 1, 1).data.slice(0, 3)); }"""
    )


def test_discovery_lists_submissions_not_reports(tmp_path):
    from judge.reviewing import discover

    (tmp_path / "a.html").write_text("<h1>a</h1>")
    Image.new("RGB", (64, 48), "red").save(tmp_path / "b.png")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<h1>site</h1>")
    (tmp_path / "calibration-report").mkdir()
    (tmp_path / "calibration-report" / "report.html").write_text("report")
    Image.new("RGB", (64, 48), "blue").save(tmp_path / "calibration-report" / "scatter.png")
    (tmp_path / "notes.txt").write_text("not a submission")
    root, items = discover(tmp_path)
    assert root == tmp_path
    assert [(it.id, it.kind) for it in items] == [
        ("a.html", "html"),
        ("b.png", "image"),
        ("site", "directory"),
    ]
    image = items[1]
    assert image.images == [("image", tmp_path / "b.png")]  # images are shown as themselves
    assert all(len(it.sha256) == 64 for it in items)
