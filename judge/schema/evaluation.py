"""Lines of a batch evaluation file (`fjudge eval RESULTS.jsonl`, `judge.evaluate`)."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field, field_validator, model_validator

from judge.schema.base import Model
from judge.schema.task import Task

INPUT_KEYS = ("completion", "files", "html", "path")


class EvalItem(Model):
    """One model output to judge: an id, the generation prompt, and exactly one input form.

    Other keys (model name, sampling settings, …) may ride along; they are not judged."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(description="Carried into the output line; unique within the file.")
    prompt: str | list[dict[str, Any]] | None = Field(
        None, description="The generation prompt (text or chat messages): becomes Task.prompt."
    )
    completion: str | None = Field(None, description="Model output with fenced code blocks.")
    files: dict[str, str] | None = Field(None, description="path → content of a static site.")
    html: str | None = Field(None, description="A single HTML page.")
    path: str | None = Field(
        None, description="A directory, .html, archive or image (relative to the JSONL file)."
    )
    task: Task | str | None = Field(
        None, description="A task (object) or a task file path; its checklist probes run."
    )

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, v: Any) -> Any:
        if isinstance(v, bool) or not isinstance(v, str | int):
            raise ValueError("id must be a string or an integer")
        return str(v)

    @model_validator(mode="after")
    def _one_input(self) -> EvalItem:
        given = [k for k in INPUT_KEYS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of 'completion', 'files', 'html' or 'path' "
                f"(got {', '.join(given) or 'none'})"
            )
        return self

    @property
    def kind(self) -> str:
        """Which input form the line carries."""
        return next(k for k in INPUT_KEYS if getattr(self, k) is not None)
