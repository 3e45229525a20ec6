"""The Verdict seam: one aggregation for every mode, typed gates, probes scored like the reward."""

from __future__ import annotations

import pytest

from judge.assemble import assemble
from judge.checks.base import check
from judge.reward import compute_reward
from judge.schema import (
    AgentReport,
    CheckResult,
    InputInfo,
    JudgeInfo,
    ProbeResult,
    RewardPolicy,
    VerdictParts,
)
from judge.scoring import aggregate
from rubrics import load_rubric

RUBRIC = load_rubric("frontend")


def _r(id: str, dim: str, score: float | None, **kw) -> CheckResult:
    return CheckResult(id=id, dimension=dim, score=score, **kw)


def _parts(results, **kw) -> VerdictParts:
    return VerdictParts(
        input=InputInfo(kind="html", sha256="x"),
        judge=JudgeInfo(mode=kw.pop("mode", "deterministic")),
        results=results,
        viewports=["mobile", "desktop"],
        **kw,
    )


def test_a_fatal_result_zeroes_every_dimension_not_only_the_total():
    results = [
        _r("render.fatal", "render", 0.0, fatal=True, message="paints nothing"),
        _r("layout.overflow", "layout", 1.0, viewport="mobile"),
        _r("a11y.axe", "accessibility", 1.0),
        _r("visual.quality", "visual", 0.94, viewport="desktop"),
    ]
    v = assemble(_parts(results), RUBRIC)
    assert v.status == "render_failed" and v.score == 0.0 and v.reason == "paints nothing"
    assert v.dimensions and set(v.dimensions.values()) == {0.0}
    assert all(set(d.values()) == {0.0} for d in v.viewports.values())


def test_a_gate_caps_dimensions_too_so_a_dimension_reward_cannot_pay_for_it():
    results = [
        _r("runtime.exceptions", "runtime", 0.6, gate="runtime_crash_cap"),
        _r("layout.overflow", "layout", 1.0),
        _r("visual.quality", "visual", 0.9),
    ]
    v = assemble(_parts(results), RUBRIC)
    cap = RUBRIC.gates.runtime_crash_cap
    assert v.score == pytest.approx(min(v.score, cap)) and v.score <= cap
    assert max(v.dimensions.values()) <= cap
    assert v.gates == ["runtime_crash_cap"] and "runtime_crash_cap" in (v.reason or "")


def test_task_dimension_is_the_pass_fraction_the_reward_uses():
    probes = [
        ProbeResult(id=f"p{i}", text="x", status="passed" if i < 3 else "failed") for i in range(4)
    ]
    results = [_r(f"task.p{i}", "task", 1.0 if i < 3 else 0.0) for i in range(4)]
    v = assemble(_parts(results, probes=probes), RUBRIC)
    assert v.dimensions["task"] == 0.75
    reward = compute_reward(v, RewardPolicy())
    assert reward.components["verifiable"].parts["probes"] == 0.75


def test_hybrid_weight_comes_from_the_rubric():
    custom = RUBRIC.model_copy(
        update={"hybrid": RUBRIC.hybrid.model_copy(update={"agent_weight": 0.25})}
    )
    results = [_r("layout.overflow", "layout", 1.0)]
    agg = aggregate(results, custom, [], agent={"layout": 0.0}, mode="hybrid")
    assert agg.dimensions["layout"] == 0.75


def test_agent_unscored_leaves_the_deterministic_verdict_standing():
    results = [_r("layout.overflow", "layout", 1.0), _r("render.blank", "render", 1.0)]
    det = assemble(_parts(results), RUBRIC)
    report = AgentReport(model="m", endpoint_host="h", runs=0, unscored_reason="endpoint down",
                         dimensions={"layout": 0.0})  # fmt: skip
    hyb = assemble(_parts(results, mode="hybrid", agent=report), RUBRIC)
    assert hyb.score == det.score and hyb.dimensions == det.dimensions
    assert hyb.agent is not None and hyb.agent.unscored_reason == "endpoint down"


def test_a_misspelt_gate_fails_at_registration_not_silently():
    with pytest.raises(ValueError, match="unknown gate"):
        check("test.misspelt", "layout", gates=("runtime_crash_capp",))


def test_a_result_raising_an_undeclared_gate_is_reported_unscored():
    from judge.checks.base import REGISTRY, CheckSpec

    async def fn(ctx):
        return [_r("zz.x", "layout", 0.0, gate="manipulation_cap")]

    spec = CheckSpec("zz", "layout", "capture", ("page",), fn)
    with pytest.raises(ValueError, match="undeclared gate"):
        spec.validate(_r("zz.x", "layout", 0.0, gate="manipulation_cap"))
    with pytest.raises(ValueError, match="fatal"):
        spec.validate(_r("zz", "layout", 0.0, fatal=True))
    with pytest.raises(ValueError, match="returned a result with id"):
        spec.validate(_r("layout.x", "layout", 0.0))
    assert "zz" not in REGISTRY


def test_disabled_check_globs_drop_results_and_whole_checks():
    r = RUBRIC.model_copy(update={"disabled_checks": ["interaction.*", "layout.overlap"]})
    assert not r.spec_enabled("interaction") and not r.check_enabled("interaction.broken")
    assert r.spec_enabled("layout.overflow") and not r.check_enabled("layout.overlap")


def test_raising_any_result_never_lowers_the_score():
    """The emphasised mean is monotone. The rule before rubric 1.7 (a result scoring s weighs
    w·(1 + 8·(1 − s))) was not: beside a 0 and a 1, a third result rising from 0.85 to 1.0
    lowered the mean of the three from 0.235 to 0.182."""
    base = [_r("layout.overflow", "layout", 0.0), _r("layout.overlap", "layout", 1.0)]
    worse = aggregate([*base, _r("layout.clipped", "layout", 0.85)], RUBRIC, ["desktop"])
    better = aggregate([*base, _r("layout.clipped", "layout", 1.0)], RUBRIC, ["desktop"])
    assert better.dimensions["layout"] > worse.dimensions["layout"]
    assert better.score > worse.score
    grid = [i / 10 for i in range(11)]
    for a in grid:
        for b in grid:
            for c in grid[:-1]:
                rs = [_r("x.a", "layout", a), _r("x.b", "layout", b)]
                lo = aggregate([*rs, _r("x.c", "layout", c)], RUBRIC, ["desktop"])
                hi = aggregate([*rs, _r("x.c", "layout", c + 0.1)], RUBRIC, ["desktop"])
                assert hi.dimensions["layout"] >= lo.dimensions["layout"], (a, b, c)


def test_one_clear_defect_is_not_averaged_away_and_equal_scores_average_to_themselves():
    passing = [_r(f"layout.c{i}", "layout", 1.0) for i in range(9)]
    one_zero = aggregate([*passing, _r("layout.bad", "layout", 0.0)], RUBRIC, ["desktop"])
    assert one_zero.dimensions["layout"] == pytest.approx(0.54, abs=0.01)
    two_zeros = [*passing[:8], _r("layout.bad", "layout", 0.0), _r("layout.bad2", "layout", 0.0)]
    assert aggregate(two_zeros, RUBRIC, ["desktop"]).dimensions["layout"] < 0.45
    even = aggregate([_r(f"layout.c{i}", "layout", 0.7) for i in range(5)], RUBRIC, ["desktop"])
    assert even.dimensions["layout"] == pytest.approx(0.7)
