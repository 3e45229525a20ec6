"""Two submissions on one Judge: site A knows site B's origin and tries to read B's files.

Every channel a page has is tried (fetch, XHR, iframe, img, script, module import, CSS
@import, stylesheet, link prefetch, EventSource, WebSocket, a dedicated Worker's importScripts
and fetch, a SharedWorker's importScripts, fetch and WebSocket — SharedWorker requests are not
seen by Playwright's routing — and a service worker). Zero bytes of B may be served, and every
attempt must be listed in A's blocked requests, in both isolation modes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

pytestmark = pytest.mark.browser

SECRET = "B-SECRET-7f3a"
SRC = FIXTURES / "crosssite"
# The URL tail of each attempt → must appear in A's blocked list.
EXPECTED = [
    "/fetch.txt",
    "/nocors.txt",
    "/xhr.txt",
    "/sse",
    "/ws",
    "/module.js",
    "/prefetch.txt",
    "/style.css",
    "/import.css",
    "/script.js",
    "/img.png",
    "/iframe.html",
    "/worker-import.js",
    "/worker-fetch.txt",
    "/shared-import.js",
    "/shared-fetch.txt",
]


def _site_a(tmp: Path, b_origin: str) -> Path:
    dest = tmp / "a"
    shutil.copytree(SRC / "a", dest)
    for f in dest.iterdir():
        f.write_text(f.read_text().replace("{{B}}", b_origin))
    return dest


def _site_b(tmp: Path) -> Path:
    dest = tmp / "b"
    shutil.copytree(SRC / "b", dest)
    return dest


async def _attack(judge, tmp_path: Path) -> None:
    from judge.capture import collect_page_records, load, open_session

    b = judge.preview.register(_site_b(tmp_path))  # B is live on the same preview server
    a = judge.preview.register(_site_a(tmp_path, b.origin))
    handle = await judge._browser()
    session = await open_session(handle.browser, a, (1024, 768))
    try:
        await load(session, 20)
        await session.page.wait_for_function("window.__done === true", timeout=30_000)
        attempts = await session.page.evaluate("window.__attempts")
        html = await session.page.content()
        frames = [await f.content() for f in session.page.frames if f != session.page.main_frame]
        await collect_page_records(session)
    finally:
        await session.close()
        judge.preview.unregister(a)
        judge.preview.unregister(b)
    print(attempts)
    print([(x.channel, x.url) for x in session.events.blocked])

    # Zero bytes of B: the preview served B nothing, and nothing of B reached A's page.
    assert b.hits == 0
    for name, result in attempts.items():
        assert SECRET not in result, (name, result)
    assert SECRET not in html and not any(SECRET in f for f in frames)
    assert attempts["img"] != "7x3"  # B's image size (the placeholder is something else)
    assert attempts["css"] == "10px/10px"  # neither B's stylesheet nor B's @import applied
    assert attempts["service-worker"].startswith(("refused", "registrations:0")), attempts
    assert "import err" in attempts["shared"] and "import err" in attempts["dedicated"]

    # Every attempt is listed in A's blocked requests (and never as served).
    blocked = {x.url: x for x in session.events.blocked}
    for tail in EXPECTED:
        hits = [u for u in blocked if u.startswith(b.origin.replace("http", "ws") + tail)]
        hits += [u for u in blocked if u == b.origin + tail]
        assert hits, (tail, sorted(blocked))
        assert all(blocked[u].action in ("blocked", "placeholder") for u in hits)
    # The SharedWorker's WebSocket goes to the proxy as a CONNECT to B's host: refused, listed.
    assert (
        f"connect://{b.host}:{b.port}" in blocked
        or b.origin.replace("http", "ws") + "/shared-ws" in blocked
    )


async def test_shared_worker_cannot_read_another_site_with_network_namespace(
    judge_session, tmp_path
):
    await _attack(judge_session, tmp_path)
    assert "netns" in judge_session.browser.isolation


async def test_shared_worker_cannot_read_another_site_without_network_namespace(
    tmp_path, monkeypatch
):
    from judge.pipeline import Judge
    from judge.schema import JudgeOptions

    monkeypatch.setenv("FJUDGE_NO_NETNS", "1")
    async with Judge(JudgeOptions(workers=1, judge="deterministic")) as judge:
        await _attack(judge, tmp_path)
        assert "no network namespace" in judge.browser.isolation


async def test_verdict_of_a_site_probing_another_lists_the_shared_worker(judge_session, tmp_path):
    # Judged end to end while B is live: A gets a normal verdict, B serves nothing.
    b = judge_session.preview.register(_site_b(tmp_path))
    try:
        verdict = await judge_session.judge(_site_a(tmp_path, b.origin))
    finally:
        judge_session.preview.unregister(b)
    assert verdict.status == "ok", verdict.reason
    assert b.hits == 0
    urls = [x.url for x in verdict.blocked_requests]
    assert f"{b.origin}/script.js" in urls and f"{b.origin}/img.png" in urls
