"""Reward policy maths against hand-computed values (no browser needed)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from pydantic import ValidationError

from judge.reward import compute_reward, load_policy, normalise_groups
from judge.schema import (
    CalibrationApplied,
    InputInfo,
    ProbeResult,
    RewardPolicy,
    RubricRef,
    Verdict,
)

ROOT = Path(__file__).resolve().parents[2]


def verdict(status: str = "ok", score: float | None = 0.8, **kw) -> Verdict:
    return Verdict(
        status=status,
        score=score,
        rubric=RubricRef(id="frontend", version="1"),
        input=InputInfo(kind="html", sha256="x"),
        **kw,
    )


def probes(passed: int, failed: int, other: int = 0) -> list[ProbeResult]:
    out = [ProbeResult(id=f"p{i}", text="", status="passed") for i in range(passed)]
    out += [ProbeResult(id=f"f{i}", text="", status="failed") for i in range(failed)]
    out += [ProbeResult(id=f"u{i}", text="", status="unscored") for i in range(other)]
    return out


POLICY = RewardPolicy.model_validate(
    {
        "components": {
            "verifiable": {"tests": 1.0, "probes": 1.0},
            "judge": {"score": 1.0, "dimensions": {"layout": 1.0}},
            "preference": {"signals": {"win_rate": 1.0}},
        },
        "weights": {
            "frontend": {"verifiable": 0.5, "judge": 0.3, "preference": 0.2},
            "backend": {"verifiable": 1.0},
        },
        "gates": {"build_failed": -1.0, "render_failed": -0.4, "rejected": -0.9},
        "clip": [-1.0, 1.0],
    }
)


def test_infra_error_is_skipped_never_zero() -> None:
    r = compute_reward(verdict("infra_error", None, reason="browser died"), POLICY)
    assert r.value is None and r.skipped and "browser died" in (r.reason or "")


@pytest.mark.parametrize(
    ("status", "expected"), [("build_failed", -1.0), ("render_failed", -0.4), ("rejected", -0.9)]
)
def test_gates(status: str, expected: float) -> None:
    r = compute_reward(verdict(status, 0.0), POLICY, signals={"tests_passed": 1.0})
    assert r.value == expected and r.gate == status and not r.skipped


def test_frontend_weights_hand_computed() -> None:
    v = verdict(score=0.8, dimensions={"layout": 0.6}, probes=probes(3, 1, other=2))
    r = compute_reward(v, POLICY, signals={"tests_passed": 0.5, "win_rate": 0.25})
    # verifiable = mean(0.5 tests, 0.75 probes) = 0.625; judge = mean(0.8, 0.6) = 0.7
    # reward = (0.5*0.625 + 0.3*0.7 + 0.2*0.25) / 1.0 = 0.5725
    assert r.components["verifiable"].value == pytest.approx(0.625)
    assert r.components["judge"].value == pytest.approx(0.7)
    assert r.value == pytest.approx(0.5725)


def test_backend_ignores_the_judge() -> None:
    v = verdict(score=0.1, probes=probes(1, 1))
    r = compute_reward(v, POLICY, task_type="backend", signals={"tests_passed": 0.9})
    # verifiable = mean(0.9, 0.5) = 0.7; judge weight 0 for backend
    assert r.value == pytest.approx(0.7)
    assert r.components["judge"].weight == 0


def test_missing_component_is_left_out_and_reported() -> None:
    r = compute_reward(verdict(score=0.8, dimensions={"layout": 0.6}), POLICY)
    # no tests, no probes, no win_rate: only judge (0.7) is available
    assert r.value == pytest.approx(0.7)
    assert r.components["verifiable"].value is None
    assert r.components["preference"].value is None


def test_no_data_at_all_is_skipped() -> None:
    r = compute_reward(verdict(score=0.8), POLICY, task_type="backend")
    assert r.skipped and r.value is None and "verifiable" in (r.reason or "")


def test_calibrated_score_preferred() -> None:
    cal = CalibrationApplied(file_sha256="c", raw_score=0.8, calibrated_score=0.3)
    policy = RewardPolicy()
    assert compute_reward(verdict(score=0.8, calibration=cal), policy).value == pytest.approx(0.3)
    raw = policy.model_copy(deep=True)
    raw.components.judge.prefer_calibrated = False
    assert compute_reward(verdict(score=0.8, calibration=cal), raw).value == pytest.approx(0.8)


def test_schedule_linear_warmup() -> None:
    policy = POLICY.model_copy(deep=True)
    policy.schedule = [
        load_policy(
            {"schedule": [{"target": "judge", "start_step": 100, "end_step": 300}]}
        ).schedule[0]
    ]
    v = verdict(score=1.0, dimensions={"layout": 1.0})
    sig = {"tests_passed": 0.0, "win_rate": 0.0}
    # verifiable = mean(0.0 tests, no probes) = 0; preference 0; judge 1 with weight 0.3*m
    for step, m in [(0, 0.0), (100, 0.0), (200, 0.5), (300, 1.0), (900, 1.0)]:
        r = compute_reward(v, policy, signals=sig, step=step)
        expected = 0.3 * m / (0.5 + 0.3 * m + 0.2)
        assert r.value == pytest.approx(expected), step
        assert r.components["judge"].weight == pytest.approx(0.3 * m)


def test_schedule_on_a_dimension() -> None:
    policy = POLICY.model_copy(deep=True)
    policy.schedule = load_policy(
        {"schedule": [{"target": "judge.layout", "start_step": 0, "end_step": 10}]}
    ).schedule
    v = verdict(score=0.8, dimensions={"layout": 0.2})
    at0 = compute_reward(v, policy, step=0)
    at5 = compute_reward(v, policy, step=5)
    assert at0.value == pytest.approx(0.8)  # layout weight 0 → judge = score
    assert at5.value == pytest.approx((0.8 * 1 + 0.2 * 0.5) / 1.5)


def test_clipping() -> None:
    policy = RewardPolicy(clip=(0.0, 0.5))
    r = compute_reward(verdict(score=0.9), policy)
    assert r.value == 0.5 and r.raw == pytest.approx(0.9)
    assert compute_reward(verdict("build_failed", 0.0), policy).value == 0.0


def test_group_normalisation_hand_computed() -> None:
    policy = RewardPolicy()
    scores = [0.2, 0.4, 0.9, None, 0.5, 0.5]
    groups = ["a", "a", "a", "a", "b", "c"]
    rs = [
        compute_reward(verdict("infra_error", None) if s is None else verdict(score=s), policy)
        for s in scores
    ]
    out = normalise_groups(rs, groups, policy)
    # group a: values 0.2, 0.4, 0.9 (skipped excluded); mean 0.5; unbiased std = sqrt(0.13)
    std = math.sqrt(((0.3**2) + (0.1**2) + (0.4**2)) / 2)
    assert out[0].normalised == pytest.approx(-0.3 / (std + 1e-6))
    assert out[1].normalised == pytest.approx(-0.1 / (std + 1e-6))
    assert out[2].normalised == pytest.approx(0.4 / (std + 1e-6))
    assert out[3].normalised is None and out[3].skipped
    assert out[4].normalised == 0.0 and out[5].normalised == 0.0  # singleton groups
    assert out[0].group == "a"


def test_group_normalisation_identical_rewards_give_zero() -> None:
    rs = [compute_reward(verdict(score=0.5)) for _ in range(4)]
    assert [r.normalised for r in normalise_groups(rs, [0] * 4)] == [0.0] * 4


def test_example_policies_load_and_differ_by_task_type() -> None:
    for f in (ROOT / "examples" / "policies").iterdir():
        load_policy(f)
    p = load_policy(ROOT / "examples/policies/frontend-rl.toml")
    v = verdict(score=0.9, dimensions={"layout": 1.0, "render": 1.0})
    fe = compute_reward(v, p, task_type="frontend", step=1000, signals={"tests_passed": 0.2})
    be = compute_reward(v, p, task_type="backend", step=1000, signals={"tests_passed": 0.2})
    assert be.value == pytest.approx(0.2)
    assert fe.value > be.value


def test_bad_policy_and_signals_are_refused() -> None:
    with pytest.raises(ValidationError):
        RewardPolicy.model_validate({"weights": {"default": {"visual": 1.0}}})
    with pytest.raises(ValidationError):
        RewardPolicy.model_validate({"schedule": [{"target": "vibes", "end_step": 1}]})
    with pytest.raises(ValueError, match="0..1"):
        compute_reward(verdict(), signals={"win_rate": 3.0})
