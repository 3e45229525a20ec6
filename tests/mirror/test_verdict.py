"""The Verdict says what the page really ran (mirrored package@version and file) and which
external dependencies had no local answer — and --offline never fetches."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.npm]
MIXED = FIXTURES / "mirror_mixed"


async def test_verdict_lists_mirrored_and_unanswerable_requests(judge_session, prefilled):
    from judge.mirror import from_env

    service = from_env()
    try:  # the fixture page's own CDN URLs, once (the page above is not in the prefill set)
        for url in ("https://fonts.googleapis.com/css2?family=Roboto:wght@400;700&display=swap",):
            assert (await service.warm(url)).action == "mirrored"
    finally:
        await service.close()
    v = await judge_session.judge(MIXED)
    assert v.status == "ok", v.reason
    by_url = {b.url: b for b in v.blocked_requests}
    fa = by_url["https://cdnjs.cloudflare.com/ajax/libs/font-awesome/5.14.0/css/all.min.css"]
    assert (fa.action, fa.package, fa.file) == (
        "mirrored",
        "@fortawesome/fontawesome-free@5.14.0",
        "css/all.min.css",
    )
    fonts = [b for b in v.blocked_requests if b.file and b.file.endswith(".woff2")]
    assert fonts and all(b.action == "mirrored" for b in fonts)
    api = by_url["https://randomuser.me/api/?results=3"]
    assert api.action == "blocked" and api.reason == "external_api" and api.unanswerable
    img = by_url["https://images.unsplash.com/photo-1?w=400"]
    assert img.action == "placeholder" and img.reason == "remote_media"
    ext = next(c for c in v.checks if c.id == "runtime.external")
    assert ext.score is None and "external" in ext.message
    assert ext.data["reasons"] == {"external_api": 1, "remote_media": 1}
    assert ext.data["mirrored"] >= 3


async def test_offline_with_a_cold_store_blocks_and_says_why(tmp_path, monkeypatch):
    from judge.pipeline import Judge
    from judge.schema import JudgeOptions

    monkeypatch.setenv("FJUDGE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("FJUDGE_MIRROR_OFFLINE", "1")
    async with Judge(JudgeOptions(workers=1, judge="deterministic")) as judge:
        v = await judge.judge(MIXED)
    assert v.status == "ok", v.reason
    fa = next(b for b in v.blocked_requests if "font-awesome" in b.url)
    assert fa.action == "blocked" and fa.reason == "offline"
    assert not (tmp_path / "cache" / "mirror" / "packages").exists()  # nothing was fetched


async def test_what_a_page_fetches_from_a_cdn_is_waited_for_on_a_cold_store(tmp_path, monkeypatch):
    """A request to a CDN the mirror answers is part of the page settling, like the page's own
    requests: on a cold store the first fetch of a file goes to the registry, and the page was
    captured before it arrived ('loading'), while a warm store had it in time — the same page
    judged differently depending on what the store held."""
    from judge.capture import load, open_session
    from judge.pipeline import Judge
    from judge.schema import JudgeOptions

    monkeypatch.setenv("FJUDGE_CACHE", str(tmp_path / "cache"))
    async with Judge(JudgeOptions(workers=1, judge="deterministic")) as judge:
        site = judge.preview.register(FIXTURES / "mirror_late" / "fetch")
        handle = await judge.browser_handle()
        session = await open_session(handle.browser, site, (1024, 768))
        try:
            await load(session, 30)
            text = await session.page.evaluate("document.getElementById('data').textContent")
        finally:
            await session.close()
            judge.preview.unregister(site)
    assert text == "loaded canvas-confetti", text
