"""Rubric data model: dimensions and weights, viewports, budgets and gates (validated TOML/YAML)."""

from __future__ import annotations

import fnmatch

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Viewport(_M):
    width: int = Field(gt=0, le=7680)
    height: int = Field(gt=0, le=4320)


class Dimension(_M):
    weight: float = Field(ge=0, description="Relative weight of this dimension in the score.")
    description: str = ""


class Budgets(_M):
    wall_seconds: float = Field(60, gt=0, description="Whole judgment of one submission.")
    load_seconds: float = Field(15, gt=0, description="Waiting for the page to settle.")
    actions: int = Field(20, ge=0, description="Interaction-probe actions.")
    probe_seconds: float = Field(10, gt=0, description="Interaction-probe time.")
    task_probe_seconds: float = Field(20, gt=0, description="All task-file probes together.")
    agent_steps: int = Field(12, ge=1)
    agent_seconds: float = Field(120, gt=0)
    agent_tokens: int = Field(60000, ge=1000)


class Gates(_M):
    """Caps applied after aggregation: a gate names the condition and the maximum score.

    A gate caps the total *and* every dimension (also per viewport), so a reward built from
    dimensions cannot pay for what the gate refuses. Checks declare the gates they may raise
    (`@check(..., gates=(...))`), validated against these field names when they register.
    """

    manipulation_cap: float = Field(0.2, ge=0, le=1, description="Page addresses the judge.")
    runtime_crash_cap: float = Field(0.6, ge=0, le=1, description="Uncaught exception during load.")
    mostly_blank_cap: float = Field(0.3, ge=0, le=1, description="Blank at some viewports.")
    unreadable_text_cap: float = Field(
        0.6, ge=0, le=1, description="Nearly all text 8 px or smaller at every viewport."
    )

    @classmethod
    def names(cls) -> frozenset[str]:
        """The gate names a check may raise."""
        return frozenset(cls.model_fields)


class Hybrid(_M):
    """How the agent judge's dimension scores blend with the deterministic ones (hybrid mode)."""

    agent_weight: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Per dimension both judges scored: (1 - w) * deterministic + w * agent.",
    )


class Rubric(_M):
    """A versioned rubric. Changing weights or checks means bumping `version`."""

    id: str
    version: str
    description: str = ""
    kind: str = Field("page", description="'page' (live pages) or 'image' (screenshots only).")
    viewports: dict[str, Viewport] = Field(
        default_factory=lambda: {
            "mobile": Viewport(width=375, height=812),
            "tablet": Viewport(width=768, height=1024),
            "desktop": Viewport(width=1440, height=900),
        }
    )
    dimensions: dict[str, Dimension]
    check_weights: dict[str, float] = Field(
        default_factory=dict, description="Per-check weight overrides; keys may use * globs."
    )
    disabled_checks: list[str] = Field(default_factory=list, description="Globs of check ids.")
    visual_features: dict[str, float] = Field(
        default_factory=dict, description="Weights of visual features in the visual dimension."
    )
    visual_gain: float = Field(
        1.5,
        gt=0,
        description="Steepness of the visual score: sigmoid(gain * weighted mean z of the "
        "features). More features agree more, so a larger map needs a smaller gain for the same "
        "spread of visual.quality.",
    )
    defect_emphasis: tuple[float, float] = Field(
        (1.0, 1.0),
        description="(checks, dimensions): order p of the emphasised mean "
        "1 - (sum w*(1 - s)^p / sum w)^(1/p), so one clear defect is not averaged away by "
        "many passing results while raising any result never lowers the mean; 1 = plain mean.",
    )
    budgets: Budgets = Field(default_factory=Budgets)
    gates: Gates = Field(default_factory=Gates)
    hybrid: Hybrid = Field(default_factory=Hybrid)

    @model_validator(mode="after")
    def _has_weight(self) -> Rubric:
        if not self.dimensions or sum(d.weight for d in self.dimensions.values()) <= 0:
            raise ValueError("a rubric needs at least one dimension with a positive weight")
        return self

    def check_weight(self, check_id: str, default: float = 1.0) -> float:
        """The weight for a check id: the most specific matching override, else `default`."""
        if check_id in self.check_weights:
            return self.check_weights[check_id]
        matches = [p for p in self.check_weights if fnmatch.fnmatchcase(check_id, p)]
        if not matches:
            return default
        return self.check_weights[max(matches, key=len)]

    def check_enabled(self, check_id: str) -> bool:
        """Whether a result id (e.g. 'interaction.broken') survives `disabled_checks`."""
        return not any(fnmatch.fnmatchcase(check_id, p) for p in self.disabled_checks)

    def spec_enabled(self, spec_id: str) -> bool:
        """Whether a registered check runs at all: its id, `id.*` or `id*` is disabled.

        A pattern naming one of its results (`interaction.broken`) only drops that result.
        """
        return not any(
            fnmatch.fnmatchcase(spec_id, p) or p in (f"{spec_id}.*", f"{spec_id}*")
            for p in self.disabled_checks
        )
