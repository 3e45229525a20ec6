"""After the Verdict, one path for every entry point: calibration, then the reward.

`Judge` applies the configured calibration to every verdict it returns (CLI, service, Ray
actors and trainer adapters all get verdicts from a `Judge`), and every caller that wants a
reward composes it with `reward_for` — so a policy's `prefer_calibrated` means the same
thing wherever a reward is computed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from judge.schema import JudgeOptions, Reward, RewardPolicy, Task, Verdict
from rubrics import Rubric, load_rubric

if TYPE_CHECKING:
    from judge.schema import CalibrationFile

log = logging.getLogger("fjudge")
DEFAULT_TASK_TYPE = "frontend"


@dataclass(frozen=True)
class Finisher:
    """Applies a calibration file to verdicts of the rubric it was fitted for."""

    calibration: CalibrationFile | None = None

    @classmethod
    def from_options(cls, options: JudgeOptions, rubric: Rubric) -> Finisher:
        """Load `options.calibration`; refuse one fitted for neither this rubric nor, for
        image inputs, the screenshot rubric (raises `calibration.CalibrationMismatch`)."""
        if options.calibration is None:
            return cls()
        import calibration

        cal = calibration.load_calibration(options.calibration)
        image = rubric if rubric.kind == "image" else load_rubric("screenshot")
        fits = {(rubric.id, rubric.version), (image.id, image.version)}
        if (cal.rubric.id, cal.rubric.version) not in fits:
            calibration.check_rubric(cal, rubric.id, rubric.version)  # raises with the reason
        return cls(cal)

    def verdict(self, verdict: Verdict) -> Verdict:
        """The verdict with `calibration` added when the calibration belongs to its rubric."""
        cal = self.calibration
        if cal is None or verdict.score is None:
            return verdict
        if (cal.rubric.id, cal.rubric.version) != (verdict.rubric.id, verdict.rubric.version):
            return verdict  # e.g. a page calibration and an image input in the same batch
        import calibration

        try:
            return calibration.apply(verdict, cal)
        except calibration.CalibrationMismatch as exc:
            log.warning("calibration not applied to %s: %s", verdict.input.name, exc)
            return verdict


def task_type_of(task_type: str | None = None, task: Task | Mapping | None = None) -> str:
    """The reward task type: explicit, else the task file's, else FJUDGE_TASK_TYPE, else default."""
    if task_type:
        return task_type
    if isinstance(task, Task):
        return task.type
    if isinstance(task, Mapping) and task.get("type"):
        return str(task["type"])
    return os.environ.get("FJUDGE_TASK_TYPE") or DEFAULT_TASK_TYPE


def reward_for(
    verdict: Verdict,
    policy: RewardPolicy,
    *,
    task_type: str | None = None,
    task: Task | Mapping | None = None,
    signals: Mapping[str, float] | None = None,
    step: int = 0,
    group: str | None = None,
) -> Reward:
    """The reward of one (already calibrated) verdict; ValueError for an unusable policy/signal."""
    from judge.reward import compute_reward

    return compute_reward(
        verdict,
        policy,
        task_type=task_type_of(task_type, task),
        signals=signals or {},
        step=step,
        group=group,
    )
