"""Task files: the prompt given to the generator, a checklist with probes, an explicit design.

Probe steps find elements the way a user does — by role and accessible name, label,
placeholder, visible text or test id (Playwright's `get_by_*` locators) — so one task file
works on every implementation of the same prompt; CSS selectors remain allowed.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from judge.schema.base import Model
from judge.schema.spec import DesignSpec

# WAI-ARIA roles Playwright's get_by_role accepts: a misspelt role fails when the task is read.
ARIA_ROLES = frozenset(
    [
        "alert",
        "alertdialog",
        "application",
        "article",
        "banner",
        "blockquote",
        "button",
        "caption",
        "cell",
        "checkbox",
        "code",
        "columnheader",
        "combobox",
        "complementary",
        "contentinfo",
        "definition",
        "deletion",
        "dialog",
        "directory",
        "document",
        "emphasis",
        "feed",
        "figure",
        "form",
        "generic",
        "grid",
        "gridcell",
        "group",
        "heading",
        "img",
        "insertion",
        "link",
        "list",
        "listbox",
        "listitem",
        "log",
        "main",
        "marquee",
        "math",
        "meter",
        "menu",
        "menubar",
        "menuitem",
        "menuitemcheckbox",
        "menuitemradio",
        "navigation",
        "none",
        "note",
        "option",
        "paragraph",
        "presentation",
        "progressbar",
        "radio",
        "radiogroup",
        "region",
        "row",
        "rowgroup",
        "rowheader",
        "scrollbar",
        "search",
        "searchbox",
        "separator",
        "slider",
        "spinbutton",
        "status",
        "strong",
        "subscript",
        "superscript",
        "switch",
        "tab",
        "table",
        "tablist",
        "tabpanel",
        "term",
        "textbox",
        "time",
        "timer",
        "toolbar",
        "tooltip",
        "tree",
        "treegrid",
        "treeitem",
    ]
)
_REGEX = re.compile(r"^/(.+)/([imsx]*)$", re.S)


def text_pattern(value: str) -> str | re.Pattern[str]:
    """'/todo/i' → a compiled regex (flags i, m, s, x); anything else stays a plain string."""
    m = _REGEX.match(value)
    if not m:
        return value
    flags = 0
    for f in m.group(2):
        flags |= {"i": re.I, "m": re.M, "s": re.S, "x": re.X}[f]
    return re.compile(m.group(1), flags)


class LocatorSpec(Model):
    """Which element a step acts on, in user terms (or a CSS selector).

    Exactly one base: `selector`, `role` (+ `name`), `label`, `placeholder`, `test_id`, or
    `text` alone. `text` given with another base narrows it to elements containing that text
    (except in `expect_text`, where `text` is what is expected). Strings written `/…/i` are
    regular expressions. Acting steps use the first match unless `nth` says otherwise.
    """

    selector: str | None = Field(None, description="CSS selector.")
    role: str | None = Field(None, description="ARIA role, e.g. textbox, button, listitem.")
    name: str | None = Field(None, description="Accessible name (with role): text or /regex/i.")
    label: str | None = Field(None, description="Label text of a form control.")
    placeholder: str | None = None
    text: str | None = Field(
        None,
        description="Visible text: locates (alone) or narrows (with another base); for "
        "expect_text, the substring expected.",
    )
    test_id: str | None = Field(None, description="data-testid value.")
    exact: bool = Field(False, description="Match name/label/text exactly (default: substring).")
    nth: int | None = Field(None, description="Which match to act on (0 first, -1 last).")
    within: LocatorSpec | None = Field(
        None, description="Look only inside (the first match of) this: the 'Buy milk' row."
    )

    @field_validator("role")
    @classmethod
    def _known_role(cls, v: str | None) -> str | None:
        if v is not None and v not in ARIA_ROLES:
            raise ValueError(f"unknown ARIA role {v!r}")
        return v

    @field_validator("name", "label", "placeholder", "text", "test_id")
    @classmethod
    def _valid_regex(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                text_pattern(v)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {v!r}: {exc}") from exc
        return v

    def bases(self) -> list[str]:
        """The base locators given (text counts only when alone)."""
        named = [
            k for k in ("selector", "role", "label", "placeholder", "test_id") if getattr(self, k)
        ]
        return named or (["text"] if self.text is not None else [])

    def describe(self, *, text_is_locator: bool = True) -> str:
        """Short human form for messages: role=button name=/add/i."""
        parts = []
        for k in ("selector", "role", "name", "label", "placeholder", "test_id"):
            v = getattr(self, k)
            if v is not None:
                parts.append(f"{k}={v}" if k != "selector" else v)
        if self.text is not None and text_is_locator:
            parts.append(f"text={self.text!r}")
        if self.nth is not None:
            parts.append(f"nth={self.nth}")
        if self.within is not None:
            parts.append(f"within ({self.within.describe()})")
        return " ".join(parts)


class ProbeStepSpec(LocatorSpec):
    """One step of an executable checklist probe: an action or an expectation."""

    action: Literal[
        "goto",
        "click",
        "dblclick",
        "fill",
        "press",
        "check",
        "uncheck",
        "select",
        "hover",
        "drag",
        "expect_visible",
        "expect_hidden",
        "expect_text",
        "expect_count",
        "expect_url",
        "set_viewport",
        "wait_for",
    ]
    value: str | None = Field(
        None, description="Text to fill, key to press, option to select, URL path for goto."
    )
    count: int | None = Field(None, ge=0, description="expect_count: number of matches expected.")
    url: str | None = Field(
        None, description="expect_url: substring (or /regex/) of the URL path+query+hash."
    )
    to: LocatorSpec | None = Field(None, description="drag: where to drop.")
    width: int | None = None
    height: int | None = None
    timeout_ms: int = Field(2000, gt=0, le=30000)

    @model_validator(mode="after")
    def _coherent(self) -> ProbeStepSpec:
        bases = [b for b in self.bases() if b != "text"]
        if len(bases) > 1:
            raise ValueError(f"{self.action}: give one locator, not {', '.join(bases)}")
        if self.name is not None and self.role is None:
            raise ValueError(f"{self.action}: 'name' needs 'role'")
        if self.action == "drag" and self.to is None:
            raise ValueError("drag needs 'to' (where to drop)")
        if self.action == "expect_url" and self.url is None:
            raise ValueError("expect_url needs 'url'")
        return self


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
    design: DesignSpec | None = Field(
        None,
        description="The design spec stated explicitly: each section given here replaces the "
        "one derived from the prompt (an empty list clears it).",
    )
    checklist: list[ChecklistItem] = Field(default_factory=list)


def with_prompt(task: Task | None, prompt: str | None) -> Task | None:
    """The task with its prompt set (a new Task when there is none); `None` leaves it as is."""
    if prompt is None:
        return task
    base = task.model_dump() if task is not None else {}
    return Task.model_validate({**base, "prompt": prompt})
