"""Runtime errors are seen wherever they are thrown, and the judge's own clock is fixed."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "runtime"
pytestmark = pytest.mark.browser


async def test_exception_thrown_in_a_timer_after_load_is_an_uncaught_exception(judge_session):
    # Regression: Playwright's fake clock wrapped timers and turned this into a console message,
    # so the page never counted as crashing and kept its full score.
    v = await judge_session.judge(FIXTURES / "timer_crash")
    exc = next(c for c in v.checks if c.id == "runtime.exceptions")
    assert exc.score is not None and exc.score < 1 and "map" in exc.message
    assert "runtime_crash_cap" in v.gates and v.score <= 0.6
    console = next(c for c in v.checks if c.id == "runtime.console")
    assert console.score == 1.0  # counted once, as what it is


async def test_the_page_sees_a_fixed_clock(judge_session, tmp_path):
    page = tmp_path / "clock.html"
    page.write_text(
        "<h1 id=t></h1><script>document.getElementById('t').textContent ="
        " new Date().toISOString() + ' ' + Date.now() + ' ' + (new Date() instanceof Date);"
        "</script>"
    )
    from judge.capture import FIXED_TIME

    got = await _heading(judge_session, page)
    assert got.startswith(FIXED_TIME.strftime("%Y-%m-%dT%H:%M")) and got.endswith(" true")
    assert str(int(FIXED_TIME.timestamp() * 1000)) in got


async def _heading(judge, page: Path) -> str:
    judgment = await judge.judge_full(page)
    cap = judgment.captures["desktop"]
    return next(e.text for e in cap.elements if e.tag == "h1")
