"""Task files: the instruction given to the generator and a checklist, optionally with probes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from judge.schema.base import Model


class ProbeStepSpec(Model):
    """One Playwright-style step of an executable checklist probe."""

    action: Literal[
        "goto",
        "click",
        "fill",
        "press",
        "check",
        "select",
        "hover",
        "expect_visible",
        "expect_hidden",
        "expect_text",
        "expect_count",
        "set_viewport",
        "wait_for",
    ]
    selector: str | None = None
    value: str | None = Field(None, description="Text to fill/press/select, URL path for goto.")
    text: str | None = Field(None, description="expect_text: substring expected.")
    count: int | None = Field(None, description="expect_count: number of matches expected.")
    width: int | None = None
    height: int | None = None
    timeout_ms: int = Field(2000, gt=0, le=30000)


class ChecklistItem(Model):
    id: str
    text: str = Field(description="What the page should do, in the task's words.")
    weight: float = Field(1.0, ge=0)
    probe: list[ProbeStepSpec] | None = Field(None, description="Executable probe, if any.")


class Task(Model):
    """A task file (`task.yaml` in the submission or `--task FILE`)."""

    id: str = "task"
    type: str = Field("frontend", description="Task type, used by reward policies.")
    instruction: str = ""
    prompt: str = Field(
        "",
        description="The generation prompt as given to the model (plain text or Markdown); "
        "`fjudge score --prompt`, service jobs and trainer adapters fill it in.",
    )
    checklist: list[ChecklistItem] = Field(default_factory=list)
