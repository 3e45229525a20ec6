"""The design spec: what a generation prompt (or a task file's `design:` block) asks of a page.

Derived deterministically from the prompt by `judge.spec` (no model), recorded in the Verdict
(`prompt.spec`) so a person can read and correct it, and checked on the rendered page by the
`spec.*` checks. Every derived item keeps `quote`, the words of the prompt it came from.

A task file states the same model under `design:`; short forms are accepted there (a colour as
`"#0b0b0c background"`, a font as `"IBM Plex Mono"`, a treatment as `"rounded corners"`,
columns as `{desktop: 4, mobile: 1}`), so a hand-written block stays short.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, field_validator

from judge.schema.base import Frozen

ColourRole = Literal["background", "surface", "text", "accent", "border", "any"]
FontRole = Literal["any", "body", "headings"]
Treatment = Literal["rounded_corners", "shadows", "gradients", "glassmorphism"]
CaseTarget = Literal["headings", "labels", "buttons", "navigation", "table_headers"]
Breakpoint = Literal["mobile", "tablet", "desktop"]
ComponentKind = Literal[
    "navigation",
    "header",
    "hero",
    "footer",
    "filters",
    "search",
    "cards",
    "pagination",
    "form",
    "table",
    "modal",
    "sidebar",
    "tabs",
    "section",
]
InteractionKind = Literal["hover", "focus", "filter", "modal", "search", "pagination", "sort"]

TREATMENT_ALIASES = {
    "rounded corners": "rounded_corners",
    "rounded": "rounded_corners",
    "border radius": "rounded_corners",
    "shadow": "shadows",
    "drop shadows": "shadows",
    "box shadows": "shadows",
    "gradient": "gradients",
    "glass": "glassmorphism",
    "blur": "glassmorphism",
}


class SpecColour(Frozen):
    """A colour the prompt names, normalised to #rrggbb, with its role where stated."""

    value: str = Field(description="#rrggbb (alpha dropped).")
    role: ColourRole = "any"
    name: str = Field("", description="As written in the prompt: '#E4572E', 'tomato', 'rgb(…)'.")
    sparingly: bool = Field(
        False, description="The prompt asks for this colour to be used sparingly."
    )
    quote: str = ""

    @field_validator("value", mode="before")
    @classmethod
    def _normalise(cls, v: Any) -> Any:
        if isinstance(v, str):
            from judge.spec.colours import parse_colour

            rgb = parse_colour(v)
            if rgb is None:
                raise ValueError(f"not a colour: {v!r} (hex, rgb(), hsl() or a CSS name)")
            return "#{:02x}{:02x}{:02x}".format(*rgb)
        return v


class SpecFont(Frozen):
    """A font family the prompt asks for ('IBM Plex Mono', or a generic: 'monospace')."""

    family: str = Field(min_length=1, max_length=80)
    role: FontRole = "any"
    quote: str = ""


class SpecForbidden(Frozen):
    """A treatment the prompt forbids."""

    treatment: Treatment
    quote: str = ""


class SpecCase(Frozen):
    """Text case the prompt asks for on a kind of text."""

    target: CaseTarget
    case: Literal["upper", "lower"] = "upper"
    quote: str = ""


class SpecColumns(Frozen):
    """Columns of the main repeated grid (or of the page layout) at a breakpoint."""

    breakpoint: Breakpoint
    columns: int = Field(ge=1, le=12)
    target: str = Field("grid", description="What is laid out: grid, cards, products, layout …")
    quote: str = ""


class SpecLayout(Frozen):
    """Layout rules: columns per breakpoint, maximum content width, alignment."""

    columns: list[SpecColumns] = Field(default_factory=list)
    max_width: float | None = Field(None, gt=0, le=10000, description="CSS px.")
    align: Literal["left"] | None = Field(None, description="'left': flush-left text.")
    quote: str = ""

    @field_validator("columns", mode="before")
    @classmethod
    def _columns_map(cls, v: Any) -> Any:
        if isinstance(v, dict):  # {desktop: 4, mobile: 1}
            return [{"breakpoint": k, "columns": n} for k, n in v.items()]
        return v


class SpecComponent(Frozen):
    """A section or component the page must show (located by role, name or text)."""

    kind: ComponentKind
    name: str = Field("", max_length=80, description="Section title or form name, if stated.")
    fields: list[str] = Field(default_factory=list, description="Form fields, if stated.")
    labels: list[str] = Field(
        default_factory=list,
        description="Names of its controls as quoted in the prompt (filters 'All', 'Active' …).",
    )
    within: Literal["", "modal"] = Field(
        "", description="'modal': it lives in a dialog, so it is checked once the dialog opens."
    )
    quote: str = ""


class SpecText(Frozen):
    """A text the page must show (quoted in the prompt)."""

    text: str = Field(min_length=1, max_length=120)
    quote: str = ""


class SpecInteraction(Frozen):
    """Behaviour the prompt asks for: hover/focus states, a working filter, a modal …"""

    kind: InteractionKind
    target: str = Field("", description="What it applies to (cards, buttons, links), if stated.")
    quote: str = ""


def _shorthand(v: Any, key: str) -> Any:
    """'x' → {key: 'x'} for list items given as plain strings."""
    if isinstance(v, list):
        return [{key: x} if isinstance(x, str) else x for x in v]
    return v


class DesignSpec(Frozen):
    """Everything checkable the prompt asks for. Empty lists: the prompt said nothing on it."""

    colours: list[SpecColour] = Field(default_factory=list)
    palette: Literal["open", "closed"] = Field(
        "open", description="'closed': the prompt restricts the page to these colours."
    )
    fonts: list[SpecFont] = Field(default_factory=list)
    forbidden: list[SpecForbidden] = Field(default_factory=list)
    case: list[SpecCase] = Field(default_factory=list)
    layout: SpecLayout = Field(default_factory=SpecLayout)
    components: list[SpecComponent] = Field(default_factory=list)
    texts: list[SpecText] = Field(default_factory=list)
    interactions: list[SpecInteraction] = Field(default_factory=list)

    @field_validator("colours", mode="before")
    @classmethod
    def _colours(cls, v: Any) -> Any:
        if not isinstance(v, list):
            return v
        out = []
        for x in v:
            if isinstance(x, str):  # "#0b0b0c background" or "tomato accent sparingly"
                words = x.split()
                roles = [w for w in words[1:] if w in ColourRole.__args__]  # type: ignore[attr-defined]
                out.append(
                    {
                        "value": words[0] if words else x,
                        "role": roles[0] if roles else "any",
                        "name": words[0] if words else x,
                        "sparingly": "sparingly" in words[1:],
                    }
                )
            else:
                out.append(x)
        return out

    @field_validator("fonts", mode="before")
    @classmethod
    def _fonts(cls, v: Any) -> Any:
        return _shorthand(v, "family")

    @field_validator("forbidden", mode="before")
    @classmethod
    def _forbidden(cls, v: Any) -> Any:
        if not isinstance(v, list):
            return v
        out = []
        for x in v:
            if isinstance(x, str):
                key = re.sub(r"[\s-]+", " ", x.strip().lower())
                x = {"treatment": TREATMENT_ALIASES.get(key, key.replace(" ", "_"))}
            out.append(x)
        return out

    @field_validator("components", mode="before")
    @classmethod
    def _components(cls, v: Any) -> Any:
        return _shorthand(v, "kind")

    @field_validator("texts", mode="before")
    @classmethod
    def _texts(cls, v: Any) -> Any:
        return _shorthand(v, "text")

    @field_validator("interactions", mode="before")
    @classmethod
    def _interactions(cls, v: Any) -> Any:
        return _shorthand(v, "kind")

    def rule_count(self) -> int:
        """How many checkable rules the spec holds (0: nothing to check)."""
        lay = self.layout
        return (
            len(self.colours)
            + len(self.fonts)
            + len(self.forbidden)
            + len(self.case)
            + len(lay.columns)
            + (lay.max_width is not None)
            + (lay.align is not None)
            + len(self.components)
            + len(self.texts)
            + len(self.interactions)
        )

    def is_empty(self) -> bool:
        return self.rule_count() == 0


class PromptInfo(Frozen):
    """The prompt a verdict was judged against: its hash and the spec derived from it."""

    sha256: str = Field(description="sha256 of the prompt text (UTF-8); '' when none was given.")
    chars: int = 0
    source: Literal["prompt", "task", "task+prompt", "none"] = Field(
        "prompt",
        description="Where the spec came from: derived from the prompt, the task file's "
        "`design:` block, or both (the block's sections override the derived ones).",
    )
    spec: DesignSpec = Field(default_factory=DesignSpec)
    rules: int = Field(0, description="Checkable rules in the spec.")
