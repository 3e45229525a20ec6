"""What the pipeline's stages hand to the one function that assembles a Verdict."""

from __future__ import annotations

from pydantic import Field

from judge.schema.base import Frozen
from judge.schema.spec import PromptInfo
from judge.schema.verdict import (
    AgentReport,
    BlockedRequest,
    BuildInfo,
    CheckResult,
    InputInfo,
    Interaction,
    JudgeInfo,
    ProbeResult,
    Status,
)


class VerdictParts(Frozen):
    """Everything a judgment produced, before scoring; `judge.assemble.assemble` scores it."""

    input: InputInfo
    judge: JudgeInfo
    status: Status = Field(
        "ok", description="A stage's own decision (rejected, build_failed, …); 'ok' to score."
    )
    reason: str | None = None
    results: list[CheckResult] = Field(default_factory=list)
    viewports: list[str] = Field(default_factory=list, description="Captured viewport names.")
    probes: list[ProbeResult] = Field(default_factory=list)
    interactions: list[Interaction] = Field(default_factory=list)
    features: dict[str, float] = Field(default_factory=dict)
    agent: AgentReport | None = None
    build: BuildInfo | None = None
    blocked: list[BlockedRequest] = Field(default_factory=list)
    isolation: str | None = None
    timings: dict[str, float] = Field(default_factory=dict)
    prompt: PromptInfo | None = Field(None, description="Prompt hash and the derived spec.")
