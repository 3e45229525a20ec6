"""Request/response models of the scoring service (`fjudge serve`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from judge.schema.base import Frozen, Model
from judge.schema.reward import Reward, RewardPolicy
from judge.schema.task import Task
from judge.schema.verdict import Verdict

JobStatus = Literal["queued", "running", "done", "failed"]
# Bundled rubric names only: a request may never name a file on the server.
RUBRIC_NAME = r"^[a-z][a-z0-9_-]{0,40}$"


class JobOptions(Model):
    """Per-job settings shared by every submission form."""

    task: Task | None = Field(None, description="Task (instruction, checklist, probes, type).")
    prompt: str | None = Field(
        None,
        max_length=200_000,
        description="The generation prompt (plain text or Markdown): sets task.prompt, creating "
        "a task if none is given; drives the design-spec checks and the agent's checklist.",
    )
    task_type: str | None = Field(None, description="Reward task type (default: task.type).")
    rubric: str | None = Field(None, pattern=RUBRIC_NAME, description="Bundled rubric name.")
    policy: RewardPolicy | None = Field(None, description="Reward policy (else server default).")
    signals: dict[str, Annotated[float, Field(ge=0, le=1)]] = Field(
        default_factory=dict, description="External signals, each 0..1."
    )
    step: int = Field(0, ge=0, description="Training step, for the policy's weight schedule.")
    group: str | None = Field(None, max_length=200, description="Prompt group (GRPO).")


class JobRequest(JobOptions):
    """A submission as JSON: exactly one of `html`, `files`, `completion`."""

    html: str | None = Field(None, description="A single HTML page.")
    files: dict[str, str] | None = Field(None, description="path → content of a static site.")
    completion: str | None = Field(None, description="Model completion with fenced code blocks.")

    @model_validator(mode="after")
    def _one_input(self) -> JobRequest:
        given = [k for k in ("html", "files", "completion") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of 'html', 'files' or 'completion' "
                f"(got {', '.join(given) or 'none'})"
            )
        return self

    @property
    def kind(self) -> str:
        """Which input form this request carries."""
        return next(k for k in ("html", "files", "completion") if getattr(self, k) is not None)


class RewardsRequest(Model):
    """A batch of submissions to reward together (group-normalised when `normalise`)."""

    items: list[JobRequest] = Field(min_length=1, max_length=1024)
    policy: RewardPolicy | None = Field(None, description="Policy for every item lacking one.")
    step: int | None = Field(None, ge=0, description="Training step for every item.")
    normalise: bool = Field(True, description="Add GRPO group-relative values.")
    wait: float = Field(300.0, gt=0, le=3600, description="Seconds to wait for the results.")


class JobAccepted(Frozen):
    id: str
    status: JobStatus = "queued"


class JobView(Frozen):
    """A job's state; `verdict` (and `reward` when a policy applies) once it is finished."""

    id: str
    status: JobStatus
    input_kind: str
    input_name: str = ""
    attempts: int = 0
    created_at: float
    started_at: float | None = None
    finished_at: float | None = None
    error: str | None = None
    verdict: Verdict | None = None
    reward: Reward | None = None


class RewardsResponse(Frozen):
    """Batch rewards in input order (null = skipped or not finished within `wait`)."""

    rewards: list[float | None]
    normalised: list[float | None] | None = None
    jobs: list[JobView]
    pending: list[int] = Field(default_factory=list, description="Items still unfinished.")
