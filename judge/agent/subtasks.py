"""Sub-task decomposition (rubric dimensions + task checklist) and per-item answer validation.

Each item is validated on its own, so one malformed entry cannot sink the others: valid items
are kept, invalid or missing ones are reported (and retried once by the episode, then unscored).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from judge.schema import ItemAnswer, PromptCheckItem, SubTask, Task
from judge.schema.agent import SCORE_SCALE
from rubrics import Rubric

# What the agent looks for per known dimension; the rubric's own descriptions are written for
# the deterministic checks, so unknown dimensions fall back to them.
GUIDE = {
    "render": "Is meaningful content painted at every viewport (nothing blank, hidden or broken)?",
    "runtime": "Does the page work without visible errors, broken parts or missing assets?",
    "layout": "Is the layout clean: no overflow, overlap, clipped or off-screen content?",
    "responsive": "Does it work and look right at phone and tablet widths (tap targets, text)?",
    "interaction": "Do controls respond as a user expects; do the flows you try work?",
    "accessibility": "Readable contrast, labelled controls, sensible headings and focus order?",
    "visual": "Visual quality: hierarchy, spacing, alignment, typography, colour, polish.",
    "task": "Does the page do what the task instruction asks?",
    "spec": "Does the page follow the design the prompt asks for (palette, type, layout, parts)?",
}
_SAFE_ID = re.compile(r"[^A-Za-z0-9_.-]+")


def build_subtasks(
    rubric: Rubric,
    task: Task | None,
    prompt_items: list[PromptCheckItem] | None = None,
    *,
    has_spec: bool = False,
) -> list[SubTask]:
    """Rubric dimensions (and task checklist items, under 'task') as independent sub-tasks.

    With a checklist derived from the prompt, its items are sub-tasks (`prompt:<id>`) feeding
    their dimension, and they replace the generic `task` and `spec` dimensions they cover;
    `spec` is judged only when the judgment has a design spec at all.
    """
    out: list[SubTask] = []
    checklist = task.checklist if task is not None else []
    covered = {i.dimension for i in prompt_items or []} & {"task", "spec"}
    for item in prompt_items or []:
        out.append(
            SubTask(
                id=f"prompt:{item.id}",
                kind="prompt",
                title=item.id,
                description=item.text,
                dimension=item.dimension if item.dimension in rubric.dimensions else "task",
                weight=1.0,
            )
        )
    for name, dim in rubric.dimensions.items():
        if dim.weight <= 0 or name in covered:
            continue
        if name == "spec" and not has_spec:
            continue  # no prompt spec: nothing to conform to
        if name == "task":
            if checklist:
                for item in checklist:
                    cid = _SAFE_ID.sub("_", item.id)[:40] or "item"
                    out.append(
                        SubTask(
                            id=f"item:{cid}",
                            kind="checklist",
                            title=cid,
                            dimension="task",
                            weight=item.weight,
                        )
                    )
                continue
            if task is None or not (task.instruction or task.prompt):
                continue  # nothing to judge the task against
        out.append(
            SubTask(
                id=f"dim:{name}",
                kind="dimension",
                title=name,
                description=GUIDE.get(name, dim.description),
                dimension=name,
                weight=dim.weight,
            )
        )
    return out


@dataclass
class ParsedSheet:
    """Valid answers by sub-task id, plus what was wrong with the rest."""

    answers: dict[str, ItemAnswer] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def missing(self, subtasks: list[SubTask]) -> list[str]:
        return [s.id for s in subtasks if s.id not in self.answers]


def parse_sheet(raw: str | dict[str, Any] | None, subtasks: list[SubTask]) -> ParsedSheet:
    """Validate a score sheet item by item against the sub-task ids."""
    out = ParsedSheet()
    data: Any = raw
    if isinstance(raw, str):
        try:
            data = json.loads(strip_fence(raw))
        except json.JSONDecodeError as exc:
            out.errors.append(f"not valid JSON ({exc.msg} at char {exc.pos})")
            return out
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        out.errors.append('expected an object {"items": [...]} with one entry per sub-task id')
        return out
    known = {s.id for s in subtasks}
    for i, item in enumerate(items):
        try:
            ans = ItemAnswer.model_validate(item)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ())) or "item"
            ident = item.get("id") if isinstance(item, dict) else None
            out.errors.append(f"items[{i}] ({ident}): {where}: {first.get('msg')}")
            continue
        if ans.id not in known:
            out.errors.append(f"items[{i}]: unknown sub-task id {ans.id!r}")
        elif ans.id not in out.answers:
            out.answers[ans.id] = ans
    if missing := out.missing(subtasks):
        out.errors.append("missing sub-task ids: " + ", ".join(missing))
    return out


def merge(first: ParsedSheet, second: ParsedSheet) -> ParsedSheet:
    """Keep what was valid the first time; fill the rest from the retry."""
    return ParsedSheet({**second.answers, **first.answers}, second.errors)


def normalised(ans: ItemAnswer | None) -> float | None:
    """0..1 score of an answer, None for cannot-judge / missing."""
    if ans is None or ans.verdict != "scored" or ans.score is None:
        return None
    return ans.score / SCORE_SCALE


def strip_fence(text: str) -> str:
    # Some OpenAI-compatible servers wrap JSON in a markdown fence even with response_format.
    t = text.strip()
    if t.startswith("```"):
        t = t.split("\n", 1)[1] if "\n" in t else ""
        t = t.rsplit("```", 1)[0]
    return t
