"""Models of the multimodal agent judge: sub-tasks, the model's structured answers, pairwise results.

Field descriptions double as the instructions the model sees (they go into the JSON schemas of
the tools and of `response_format`), so they are written for the model.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from judge.schema.base import Frozen

SCORE_SCALE = 10  # the stated scale: integers 0..10, normalised to 0..1 in the Verdict


class SubTask(Frozen):
    """One thing the agent scores on its own: a rubric dimension, a task checklist item, or an
    item of the checklist derived from the prompt."""

    id: str = Field(description="'dim:<dimension>', 'item:<checklist id>' or 'prompt:<id>'.")
    kind: Literal["dimension", "checklist", "prompt"]
    title: str
    description: str = ""
    dimension: str = Field(description="Rubric dimension the score feeds.")
    weight: float = Field(1.0, ge=0)


class ItemAnswer(Frozen):
    """The model's answer for one sub-task."""

    id: str = Field(description="The sub-task id exactly as listed, e.g. 'dim:layout'.")
    verdict: Literal["scored", "cannot_judge"] = Field(
        description="'cannot_judge' when the evidence gathered does not allow a fair score."
    )
    score: int | None = Field(
        None,
        ge=0,
        le=SCORE_SCALE,
        description="0 (fails completely) .. 10 (excellent). Required when verdict is 'scored'.",
    )
    rationale: str = Field("", max_length=600, description="One or two sentences: why.")
    evidence: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="Screenshot ids (e.g. 's2') and step numbers (e.g. 'step 3') relied on.",
    )

    @model_validator(mode="after")
    def _score_when_scored(self) -> ItemAnswer:
        if self.verdict == "scored" and self.score is None:
            raise ValueError(f"{self.id}: verdict 'scored' needs an integer score 0..10")
        return self


class DraftItem(Frozen):
    """One requirement of the prompt, checkable on the page."""

    id: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$",
        description="Short slug, e.g. 'palette' or 'filters'.",
    )
    text: str = Field(
        min_length=3, max_length=300, description="The requirement, in the prompt's own terms."
    )
    verify: str = Field(
        min_length=3,
        max_length=300,
        description="How a reviewer verifies it on the live page (what to look at or do).",
    )
    kind: Literal["design", "layout", "content", "interaction"] = Field(
        description="design: colours, type, treatments; layout: grid, widths, responsiveness; "
        "content: sections, components, texts; interaction: behaviour when used."
    )


class ChecklistDraft(Frozen):
    """The checklist of a generation prompt: 8 to 12 independent, checkable requirements."""

    items: list[DraftItem] = Field(
        min_length=3,
        max_length=12,
        description="8-12 requirements, most important first; each judged on its own.",
    )


class ScoreSheet(Frozen):
    """Scores for the listed sub-tasks (one entry per sub-task id)."""

    items: list[ItemAnswer] = Field(description="One entry per sub-task id listed in the brief.")


class FinishArgs(Frozen):
    """End the exploration; scoring follows."""

    notes: str = Field("", max_length=2000, description="What you observed, briefly.")


class PairItem(Frozen):
    """The model's preference on one checklist item."""

    id: str = Field(description="The checklist item id exactly as listed.")
    preference: Literal["first", "second", "tie", "both_bad"]


class PairwiseAnswer(Frozen):
    """The model's preference between two submissions shown as FIRST and SECOND."""

    preference: Literal["first", "second", "tie", "both_bad"] = Field(
        description="Which better fulfils the task and rubric; 'both_bad' if neither is usable."
    )
    margin: float = Field(
        ge=0, le=1, description="Strength of the preference: 0 none .. 1 overwhelming."
    )
    rationale: str = Field("", max_length=600)
    items: list[PairItem] = Field(
        default_factory=list,
        description="When a checklist is given: one entry per checklist item id.",
    )


class PairOrder(Frozen):
    """One order of a pairwise comparison, mapped back to A/B."""

    order: Literal["AB", "BA"]
    preference: Literal["A", "B", "tie", "both_bad"] | None = Field(
        None, description="None when the answer was invalid twice."
    )
    margin: float = 0.0
    rationale: str = ""


class CompareResult(Frozen):
    """Outcome of `fjudge compare A B`."""

    a: str
    b: str
    preference: Literal["A", "B", "tie", "both_bad", "error"]
    margin: float = Field(description="Signed strength in [-1, 1]: positive favours A.")
    method: Literal["agent", "deterministic"]
    score_a: float | None = None
    score_b: float | None = None
    status_a: str = "ok"
    status_b: str = "ok"
    tie_band: float = 0.0
    orders: list[PairOrder] = Field(default_factory=list)
    note: str | None = None
    prompt_sha256: str = Field("", description="The prompt both were judged against, if any.")
    items: dict[str, Literal["A", "B", "tie", "both_bad"]] = Field(
        default_factory=dict,
        description="Per checklist item (agent) or spec rule (deterministic): who did better.",
    )


# -- tool arguments (their JSON schemas are the function specs the model sees) ------------------


class ScreenshotArgs(Frozen):
    """Screenshot of the current viewport, or of one element when `selector` is given."""

    selector: str | None = Field(None, max_length=300, description="CSS selector to crop to.")


class PointArgs(Frozen):
    """Target an element by CSS selector, or a point by viewport coordinates (CSS px)."""

    selector: str | None = Field(None, max_length=300)
    x: float | None = Field(None, ge=0, le=8000)
    y: float | None = Field(None, ge=0, le=8000)

    @model_validator(mode="after")
    def _target(self) -> PointArgs:
        if self.selector is None and (self.x is None or self.y is None):
            raise ValueError("give a selector, or both x and y")
        return self


class TypeArgs(Frozen):
    """Type text into a field (replacing its content)."""

    selector: str = Field(max_length=300)
    text: str = Field(max_length=500)
    submit: bool = Field(False, description="Press Enter afterwards.")


class PressArgs(Frozen):
    """Press a key (e.g. 'Enter', 'Tab', 'Escape', 'ArrowDown'), optionally on an element."""

    key: str = Field(max_length=40)
    selector: str | None = Field(None, max_length=300)


class ScrollArgs(Frozen):
    """Scroll the page by `dy` pixels, or bring `selector` into view."""

    dy: int = Field(600, ge=-20000, le=20000)
    selector: str | None = Field(None, max_length=300)


class ViewportArgs(Frozen):
    """Resize the viewport: a named rubric viewport, or width/height in CSS px."""

    name: str | None = Field(None, max_length=40)
    width: int | None = Field(None, ge=200, le=3840)
    height: int | None = Field(None, ge=200, le=2160)


class ReadPageArgs(Frozen):
    """Compact outline of the page (landmarks, headings, controls, text) with CSS selectors."""

    max_items: int = Field(120, ge=10, le=300)
