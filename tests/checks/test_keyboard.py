"""The keyboard check hands the page on as loaded: whatever its Tab presses set off (a focus
handler's class, a scroll-reveal the focus scrolled to) is gone before the prober looks, so
what the prober finds never depends on whether a frame was drawn between two presses."""

from __future__ import annotations

from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parent.parent / "fixtures" / "validity" / "keyboard" / "reveal"
_STATE_JS = """() => ({
  body: document.body.className,
  revealed: document.getElementById('contact').classList.contains('visible'),
  scroll: scrollY,
  focus: document.activeElement === document.body,
})"""


@pytest.mark.browser
async def test_tabbing_into_a_revealed_form_leaves_the_page_as_loaded(judge_session):
    from judge.capture import load, open_session
    from judge.checks.base import CheckContext
    from judge.checks.keyboard import keyboard

    site = judge_session.preview.register(PAGE)
    handle = await judge_session.browser_handle()
    session = await open_session(handle.browser, site, (1280, 800))
    try:
        await load(session, 20)
        loaded = await session.page.evaluate(_STATE_JS)
        assert loaded == {"body": "", "revealed": False, "scroll": 0, "focus": True}
        ctx = CheckContext(
            rubric=judge_session.rubric,
            captures={},
            events=session.events,
            page=session.page,
            url=site.url,
        )
        [got] = await keyboard(ctx)
        # The fourth press reached the form below the fold (it is not drawn yet, so it is not
        # among the three controls counted), which scrolled and marked the page ...
        assert got.score == 1.0 and "through 4 of 3" in got.message, got.message
        # ... and the page the prober gets is the page as loaded.
        assert await session.page.evaluate(_STATE_JS) == loaded
    finally:
        await session.close()
        judge_session.preview.unregister(site)
