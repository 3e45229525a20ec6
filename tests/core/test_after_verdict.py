"""After the Verdict, one path: every entry point calibrates, and rewards prefer calibration.

The calibration here is a hand-written file (identity on the score, then a monotone map to a
1–9 human scale that bends the middle), so the calibrated score differs from the raw one.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from judge.schema import (
    CalibrationFile,
    FittedModel,
    IsotonicMap,
    JudgeOptions,
    RubricRef,
)
from rubrics import load_rubric
from tests.service.service_harness import ServiceProcess

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "tests" / "fixtures" / "sites" / "good"
STANDALONE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Tea notes</title>
<style>body{font:18px/1.5 Georgia,serif;max-width:40rem;margin:2rem auto;padding:0 1rem;
color:#222;background:#fdfbf7}h1{color:#7a3e1d}button{font:inherit;padding:.6rem 1.2rem}</style>
</head><body><h1>Tea notes</h1><p>Steep green tea at 80 degrees for two minutes.</p>
<button id="b" type="button">Count cups</button><p id="n">No cups yet</p>
<script>let n=0;document.getElementById("b").addEventListener("click",()=>{
document.getElementById("n").textContent=++n+" cups";});</script></body></html>"""
pytestmark = pytest.mark.browser


def _calibration(tmp: Path, rubric: str = "frontend", version: str | None = None) -> Path:
    import calibration

    r = load_rubric(rubric)
    cal = CalibrationFile(
        rubric=RubricRef(id=r.id, version=version or r.version),
        judge_version="test",
        label_sha256="0" * 64,
        n_items=40,
        scale=(1.0, 9.0),
        folds=5,
        model=FittedModel(
            kind="identity", features=["score"], fill=[0.5], params={"scale": [1.0, 9.0]}
        ),
        mapping=IsotonicMap(x=[1.0, 5.0, 9.0], y=[1.0, 2.0, 9.0]),
    )
    path = tmp / "cal.json"
    calibration.save_calibration(cal, path)
    return path


def _expected(raw: float) -> float:
    human = 1 + 8 * raw  # identity onto 1..9
    mapped = 1 + (human - 1) / 4 if human <= 5 else 2 + (human - 5) / 4 * 7
    return (mapped - 1) / 8


async def test_judge_applies_the_calibration_itself(tmp_path):
    from judge.pipeline import Judge

    opts = JudgeOptions(workers=1, judge="deterministic", calibration=_calibration(tmp_path))
    async with Judge(opts) as judge:
        v = await judge.judge(GOOD)
    assert v.status == "ok" and v.calibration is not None
    assert v.calibration.raw_score == v.score
    assert v.calibration.calibrated_score == pytest.approx(_expected(v.score), abs=1e-6)
    assert v.calibration.calibrated_score != pytest.approx(v.score, abs=0.01)


def test_a_calibration_for_another_rubric_version_is_refused_up_front(tmp_path):
    import calibration
    from judge.pipeline import Judge

    cal = _calibration(tmp_path, version="0.0.1")
    with pytest.raises(calibration.CalibrationMismatch, match="version"):
        Judge(JudgeOptions(calibration=cal))


def test_trainer_runtime_rewards_use_the_calibrated_score(tmp_path):
    from judge.adapters.runtime import RewardRuntime

    cal = _calibration(tmp_path)
    opts = JudgeOptions(workers=1, judge="deterministic", calibration=cal)
    policy = {"weights": {"default": {"verifiable": 0.0, "judge": 1.0, "preference": 0.0}}}
    rt = RewardRuntime(policy, opts)
    try:
        # One self-contained page (GOOD's CSS and script are separate files a completion lacks).
        completion = f"```html\n{STANDALONE}\n```"
        [v] = rt.verdicts([completion])
        [r] = rt.score_completions([completion])
    finally:
        rt.close()
    assert v.calibration is not None
    assert r.components["judge"].parts["score"] == pytest.approx(v.calibration.calibrated_score)


def test_service_jobs_are_calibrated(tmp_path):
    cal = _calibration(tmp_path)
    svc = ServiceProcess(
        tmp_path / "jobs.db", "--workers", "1", env={"FJUDGE_CALIBRATION": str(cal)}
    )
    svc.start()
    try:
        html = (GOOD / "index.html").read_text()
        r = httpx.post(
            svc.url + "/v1/score", json={"html": html}, params={"wait": 120}, timeout=150
        )
        assert r.status_code == 200, r.text
        verdict = r.json()["verdict"]
    finally:
        svc.stop()
    assert verdict["calibration"] is not None
    assert verdict["calibration"]["calibrated_score"] == pytest.approx(
        _expected(verdict["score"]), abs=1e-6
    )
