"""Every outside channel a page has is tried against listeners on other loopback addresses.

The listeners must record zero connections, in both isolation modes: the network namespace
(the default) and proxy+routing alone (what remains on a machine without bwrap/unshare).
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

pytestmark = pytest.mark.browser


class Listener:
    """Counts every TCP connection (HTTP, WebSocket, anything) on one address."""

    def __init__(self, host: str) -> None:
        self.host, self.hits, self.port = host, 0, 0

    async def start(self) -> None:
        async def on_conn(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.hits += 1
            writer.close()

        self.server = await asyncio.start_server(on_conn, self.host, 0)
        self.port = self.server.sockets[0].getsockname()[1]

    def close(self) -> None:
        self.server.close()


def _site(tmp: Path, listener: Listener, local: Listener, page: str) -> Path:
    site = tmp / page.removesuffix(".html")
    site.mkdir()
    subs = {
        "{{T}}": f"http://{listener.host}:{listener.port}",
        "{{L}}": f"http://localhost:{local.port}",
        "{{H}}": f"http://egress-probe.example:{listener.port}",
    }
    for src in (FIXTURES / "egress").iterdir():
        text = src.read_text()
        for k, v in subs.items():
            text = text.replace(k, v)
        name = "index.html" if src.name == page else src.name
        if src.suffix != ".html" or src.name == page:
            (site / name).write_text(text)
    return site


@pytest.fixture
async def listeners():
    outside, local = Listener("127.0.0.2"), Listener("127.0.0.1")
    await outside.start()
    await local.start()
    yield outside, local
    outside.close()
    local.close()


async def _judge_pages(judge, tmp_path, listeners):
    outside, local = listeners
    sites = [_site(tmp_path, outside, local, p) for p in ("channels.html", "navigate.html")]
    return [await judge.judge(s) for s in sites]


def _assert_no_escape(verdicts, listeners):
    outside, local = listeners
    for v in verdicts:
        print(v.isolation, [(b.channel, b.url) for b in v.blocked_requests])
    assert outside.hits == 0, "a request reached the outside listener"
    assert local.hits == 0, "a request reached a host loopback service"
    channels, navigate = verdicts
    blocked = {b.url.split("/")[-1]: b for b in channels.blocked_requests}
    for name in ("fetch", "xhr", "img.png", "beacon", "iframe", "script.js", "style.css"):
        assert name in blocked, (name, sorted(blocked))
    assert blocked["img.png"].action == "placeholder"
    assert any("popup" in b.url for b in channels.blocked_requests)
    nav = {b.url.split("/")[-1] for b in navigate.blocked_requests}
    assert "form" in nav or "navigate" in nav, nav


async def test_no_channel_escapes_with_network_namespace(judge_session, tmp_path, listeners):
    assert judge_session.browser is None or "netns" in judge_session.browser.isolation
    verdicts = await _judge_pages(judge_session, tmp_path, listeners)
    assert all(v.status in ("ok", "render_failed") for v in verdicts), [v.reason for v in verdicts]
    assert "netns" in (verdicts[0].isolation or "")
    _assert_no_escape(verdicts, listeners)


async def test_no_channel_escapes_without_network_namespace(tmp_path, listeners, monkeypatch):
    from judge.pipeline import Judge
    from judge.schema import JudgeOptions

    monkeypatch.setenv("FJUDGE_NO_NETNS", "1")
    async with Judge(JudgeOptions(workers=1, judge="deterministic")) as judge:
        verdicts = await _judge_pages(judge, tmp_path, listeners)
    assert "no network namespace" in (verdicts[0].isolation or "")
    _assert_no_escape(verdicts, listeners)


def test_bwrap_present_for_default_isolation():
    # CI installs bubblewrap (make setup); without it isolation silently weakens.
    assert shutil.which("bwrap") or shutil.which("unshare")


async def test_listener_counts_real_connections(listeners):
    # Control: the listeners above would have seen a connection had one got through.
    outside, _ = listeners
    _, writer = await asyncio.open_connection(outside.host, outside.port)
    writer.close()
    for _ in range(100):
        if outside.hits:
            break
        await asyncio.sleep(0.01)
    assert outside.hits == 1
