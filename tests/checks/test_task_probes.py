"""Task probes: the to-do example passes, the broken variant fails with the failing step named."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TODO = ROOT / "examples" / "todo"
BROKEN = ROOT / "tests" / "fixtures" / "todo_broken"


@pytest.fixture(scope="module")
async def todo_verdicts(judge_session):
    out = {}
    async for i, j in judge_session.judge_many([TODO, BROKEN, TODO]):
        out[i] = j.verdict
    return out


@pytest.mark.browser
async def test_todo_probes_pass(todo_verdicts):
    v = todo_verdicts[0]
    status = {p.id: p.status for p in v.probes}
    assert status == {
        "add": "passed",
        "add-enter": "passed",
        "complete": "passed",
        "filter": "passed",
        "pleasant": "unscored",
    }
    assert v.dimensions["task"] == 1.0
    # The unscored item is reported, never counted as passed.
    pleasant = next(c for c in v.checks if c.id == "task.pleasant")
    assert pleasant.score is None


@pytest.mark.browser
async def test_broken_todo_fails_with_step_named(todo_verdicts):
    good, bad = todo_verdicts[0], todo_verdicts[1]
    probes = {p.id: p for p in bad.probes}
    assert probes["add"].status == "passed"
    assert probes["complete"].status == "failed" and probes["complete"].failed_step == 1
    assert "#list li.done" in probes["complete"].message
    assert probes["filter"].status == "failed" and probes["filter"].failed_step == 4
    assert "expect_count" in probes["filter"].message
    scored = [p for p in bad.probes if p.status != "unscored"]
    assert sum(p.status == "passed" for p in scored) / len(scored) == 0.5
    # Failed items weigh more than passed ones in the rubric (defect emphasis).
    assert bad.dimensions["task"] <= 0.5
    assert bad.score < good.score - 0.05


@pytest.mark.browser
async def test_judging_is_deterministic_with_probing(todo_verdicts):
    first, again = todo_verdicts[0], todo_verdicts[2]
    assert first.interactions, "the prober exercised nothing"
    assert first.stable_dict() == again.stable_dict()
