"""Hostile pages get a clear verdict within the budget, and the batch goes on."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, SITES

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HOSTILE = FIXTURES / "hostile"


@pytest.fixture(scope="module")
async def verdicts():
    from judge.pipeline import Judge
    from judge.schema import JudgeOptions

    names = ["loop", "loop_later", "membomb", "alerts", "busy_network"]
    paths = [HOSTILE / n for n in names] + [SITES / "good"]
    out = {}
    # 15 s: the never-idle page needs ~6 s on an idle machine, while the endless-loop page
    # holds one of two cores until its budget kills it.
    async with Judge(JudgeOptions(workers=2, wall_seconds=15, judge="deterministic")) as judge:
        async for i, jm in judge.judge_many(paths):
            out[(names + ["good"])[i]] = jm.verdict
        restarts = judge.browser_restarts
    return out, restarts


@pytest.mark.parametrize("name", ["loop", "loop_later"])
def test_endless_script_is_render_failed(verdicts, name):
    v = verdicts[0][name]
    assert v.status == "render_failed", (v.status, v.reason)
    assert v.score == 0.0 and v.reason


def test_memory_bomb_is_render_failed(verdicts):
    v = verdicts[0]["membomb"]
    assert v.status == "render_failed", (v.status, v.reason)
    assert "crash" in v.reason or "did not finish" in v.reason


def test_alert_storm_does_not_block(verdicts):
    v = verdicts[0]["alerts"]
    assert v.status == "ok", v.reason
    assert v.score is not None


def test_page_that_never_goes_idle_is_judged(verdicts):
    v = verdicts[0]["busy_network"]
    assert v.status == "ok", v.reason


def test_batch_goes_on_after_hostile_pages(verdicts):
    out, _ = verdicts
    assert out["good"].status == "ok"
    assert out["good"].score > 0.7
