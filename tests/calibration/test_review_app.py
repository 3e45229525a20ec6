"""The review app in real Chromium: a reviewer rates three items and compares one pair."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import httpx
import pytest
from PIL import Image

from calibration import read_labels
from calibration.review import ReviewStore, create_app
from judge.reviewing import discover

pytestmark = pytest.mark.browser


@pytest.fixture
def served(tmp_path):
    import uvicorn

    for k, colour in enumerate(["red", "green", "blue"]):
        Image.new("RGB", (320, 200), colour).save(tmp_path / f"site{k}.png")
    store = ReviewStore(tmp_path / "review.sqlite")
    root, items = discover(tmp_path)
    app = create_app(items, store, dimensions=["visual"], scale=(1, 5), seed=1, root=root)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("review server did not start")
        threading.Event().wait(0.02)
    yield f"http://127.0.0.1:{port}", tmp_path, store
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


async def test_reviewer_rates_three_items_and_one_pair(served):
    from playwright.async_api import async_playwright

    from judge.browser import find_chromium

    url, root, _ = served
    expected_ratings: set[tuple[str, str, float]] = set()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_chromium(), args=["--no-sandbox"])
        page = await browser.new_page()
        await page.goto(url)
        await page.fill("#name", "alice")
        await page.click("#start-rate")
        for n in range(3):
            await page.wait_for_selector("#rate:not(.hidden)")
            await page.wait_for_function(
                f"document.getElementById('progress').textContent.startsWith('{n} /')"
            )
            item = await page.text_content("#rate-item")
            assert await page.locator("#rate-shots img").count() == 1
            if n == 0:
                # Keyboard: digit rates the highlighted row and moves down; Enter submits.
                await page.locator("body").click(position={"x": 5, "y": 5})
                await page.keyboard.press("4")
                await page.keyboard.press("2")
                await page.keyboard.press("Enter")
                expected_ratings |= {(item, "visual", 4.0), (item, "overall", 2.0)}
            else:
                await page.click(".dim[data-dim=visual] button[data-value='5']")
                await page.click(f".dim[data-dim=overall] button[data-value='{n}']")
                await page.click("#submit-rate")
                expected_ratings |= {(item, "visual", 5.0), (item, "overall", float(n))}
        await page.wait_for_selector("#finished:not(.hidden)")
        await page.goto(url)
        await page.fill("#name", "alice")
        await page.click("#start-pair")
        await page.wait_for_selector("#pair:not(.hidden)")
        left = await page.get_attribute("#left-shots", "data-item")
        right = await page.get_attribute("#right-shots", "data-item")
        assert left != right
        await page.locator("body").click(position={"x": 5, "y": 5})
        await page.keyboard.press("ArrowRight")
        await page.wait_for_function(
            "document.getElementById('progress').textContent.startsWith('1 /')"
        )
        await browser.close()
    async with httpx.AsyncClient() as client:
        resp = await client.get(f"{url}/api/export.jsonl")
    assert resp.headers["content-disposition"].endswith('.jsonl"')
    out = root / "elsewhere" / "export.jsonl"
    out.parent.mkdir()
    out.write_text(resp.text)
    labels = read_labels(out, require_files=True)
    # Downloads name items by absolute path (the file may be saved anywhere), with their hash.
    got = {(Path(r.item).name, r.dimension or "overall", r.rating) for r in labels.ratings}
    assert got == expected_ratings
    assert all(Path(r.item).is_absolute() and len(r.sha256) == 64 for r in labels.ratings)
    assert {r.rater for r in labels.ratings} == {"alice"}
    assert [(Path(p.a).name, Path(p.b).name, p.winner, p.rater) for p in labels.pairs] == [
        (left, right, "b", "alice")
    ]


def test_pairs_sides_are_randomised_and_inputs_validated(served):
    url, _, _ = served
    lefts = set()
    for k in range(12):
        r = httpx.get(f"{url}/api/pair", params={"rater": f"r{k}"}).json()
        lefts.add((r["left"]["item"], r["right"]["item"]))
    # Three items, 12 reviewers: both orders of some pair must show up.
    assert any((b, a) in lefts for a, b in lefts)
    bad = httpx.post(
        f"{url}/api/rate", json={"rater": "x", "item": "site0.png", "ratings": {"overall": 9}}
    )
    assert bad.status_code == 422
    bad = httpx.post(
        f"{url}/api/rate", json={"rater": "x", "item": "../etc/passwd", "ratings": {"overall": 3}}
    )
    assert bad.status_code == 422
    assert httpx.get(f"{url}/img/99/0").status_code == 404
    assert json.loads(httpx.get(f"{url}/api/config").text)["dimensions"] == ["visual", "overall"]
