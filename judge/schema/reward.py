"""Reward policies (how a Verdict plus external signals becomes one RL reward) and rewards.

A policy is data (TOML/YAML, see `examples/policies/`); `judge.reward` does the maths.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from judge.schema.base import Frozen, Model

COMPONENTS = ("verifiable", "judge", "preference")
Component = Literal["verifiable", "judge", "preference"]


class VerifiableSpec(Model):
    """Verifiable component: external unit-test pass fraction and the task's probes."""

    tests: float = Field(1.0, ge=0, description="Weight of the external tests-passed fraction.")
    probes: float = Field(1.0, ge=0, description="Weight of the fraction of task probes passed.")
    tests_signal: str = Field("tests_passed", description="Name of the external signal (0..1).")


class JudgeSpec(Model):
    """Judge component: the verdict score (calibrated when present) and/or chosen dimensions."""

    score: float = Field(1.0, ge=0, description="Weight of the verdict's overall score.")
    prefer_calibrated: bool = Field(True, description="Use calibration.calibrated_score if set.")
    dimensions: dict[str, float] = Field(
        default_factory=dict, description="Extra weights for chosen verdict dimensions."
    )


class PreferenceSpec(Model):
    """Preference component: external signals in 0..1 (pairwise win rate, efficiency, …)."""

    signals: dict[str, float] = Field(
        default_factory=lambda: {"win_rate": 1.0}, description="Signal name → weight."
    )


class ComponentSpecs(Model):
    """How each component's value is computed from its sub-signals (weighted mean)."""

    verifiable: VerifiableSpec = Field(default_factory=VerifiableSpec)
    judge: JudgeSpec = Field(default_factory=JudgeSpec)
    preference: PreferenceSpec = Field(default_factory=PreferenceSpec)


class ComponentWeights(Model):
    """Weights of the three components for one task type (0 switches a component off)."""

    verifiable: float = Field(0.0, ge=0)
    judge: float = Field(0.0, ge=0)
    preference: float = Field(0.0, ge=0)


class Gates(Model):
    """Fixed rewards for non-ok verdicts. `infra_error` has no entry: it is always skipped."""

    build_failed: float = -1.0
    render_failed: float = -0.5
    rejected: float = -1.0


class ScheduleEntry(Model):
    """Linear ramp of a weight multiplier between two training steps (constant outside)."""

    target: str = Field(
        description="'judge', 'verifiable', 'preference' or a sub-signal such as "
        "'judge.visual', 'judge.score', 'verifiable.tests', 'preference.win_rate'."
    )
    task_type: str | None = Field(None, description="Only for this task type (default: all).")
    start_step: int = Field(0, ge=0)
    end_step: int = Field(ge=0)
    start: float = Field(0.0, ge=0, description="Multiplier at start_step and before.")
    end: float = Field(1.0, ge=0, description="Multiplier at end_step and after.")

    @model_validator(mode="after")
    def _order(self) -> ScheduleEntry:
        if self.end_step < self.start_step:
            raise ValueError("end_step must be >= start_step")
        return self

    @field_validator("target")
    @classmethod
    def _known(cls, v: str) -> str:
        if v.split(".", 1)[0] not in COMPONENTS:
            raise ValueError(f"schedule target {v!r} must start with one of {COMPONENTS}")
        return v


class Normalisation(Model):
    """GRPO-style group-relative normalisation: (r - mean) / (std + eps) per prompt group."""

    enabled: bool = True
    eps: float = Field(1e-6, gt=0)
    ddof: Literal[0, 1] = Field(1, description="1 = unbiased std, as TRL and verl compute it.")
    scale_by_std: bool = Field(True, description="False: subtract the mean only (Dr. GRPO).")


class RewardPolicy(Model):
    """Turns a Verdict plus optional external signals into a reward with its components."""

    id: str = "default"
    version: str = "1"
    components: ComponentSpecs = Field(default_factory=ComponentSpecs)
    weights: dict[str, ComponentWeights] = Field(
        default_factory=lambda: {"default": ComponentWeights(judge=1.0)},
        description="Task type → component weights; 'default' is used for unlisted types.",
    )
    gates: Gates = Field(default_factory=Gates)
    schedule: list[ScheduleEntry] = Field(default_factory=list)
    clip: tuple[float, float] | None = Field((-1.0, 1.0), description="Final reward bounds.")
    normalisation: Normalisation = Field(default_factory=Normalisation)

    @field_validator("clip")
    @classmethod
    def _clip_order(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None and v[0] > v[1]:
            raise ValueError("clip must be [low, high] with low <= high")
        return v


class RewardSignals(Model):
    """External signals for one sample (all optional, each in 0..1)."""

    values: dict[str, float] = Field(default_factory=dict)

    @field_validator("values")
    @classmethod
    def _unit(cls, v: dict[str, float]) -> dict[str, float]:
        for k, x in v.items():
            if not 0.0 <= x <= 1.0:
                raise ValueError(f"signal {k!r}={x} is outside 0..1")
        return v


class RewardComponent(Frozen):
    """One component's value, its effective weight, and the sub-signals it came from."""

    value: float | None = Field(description="Weighted mean of available parts; null if none.")
    weight: float = Field(description="Effective weight after task type and schedule.")
    parts: dict[str, float] = Field(default_factory=dict, description="Sub-signal values used.")
    part_weights: dict[str, float] = Field(default_factory=dict)


class Reward(Frozen):
    """A reward for one sample, with everything a training log needs to show why."""

    value: float | None = Field(description="Final reward; null when the sample is skipped.")
    skipped: bool = False
    reason: str | None = None
    status: str = Field(description="Verdict status the reward was computed from.")
    gate: str | None = Field(None, description="Gate applied (verdict status), if any.")
    raw: float | None = Field(None, description="Before clipping.")
    normalised: float | None = Field(None, description="Group-relative value, when computed.")
    group: str | None = None
    task_type: str = "frontend"
    step: int = 0
    policy: str = ""
    components: dict[str, RewardComponent] = Field(default_factory=dict)
