"""What a probe step did: the Outcome record, and how an effect is read from the page's state
before and after (DOM changes, URL, scroll, focus, dialogs, media, form state, pixels).

Split from judge.prober (which drives the page): these are pure functions of what it observed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image

if TYPE_CHECKING:
    from judge.interact import Control, Step

PIXEL_DELTA = 10  # per-channel difference counted as a changed pixel


@dataclass
class Outcome:
    """What one step did."""

    control: Control
    action: str
    effects: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    before: str | None = None
    after: str | None = None
    note: str = ""
    visible_result: str | None = None  # flows/typing: where the typed text showed up
    enter_effects: list[str] | None = None  # text fields: effects of Enter alone
    setup: str | None = None  # "<action> <selector>" of the step whose state this one used
    revealed: int = 0  # controls this step's state revealed
    live_data: bool = False  # asked an outside API for data (blocked while judging)
    chose: int = 0  # options picked before the button was pressed again (a quiz's answer)
    base: dict[str, Any] | None = None  # the state its effects are measured from, if not s0
    wrote: list[str] = field(default_factory=list)  # elements whose text the step changed
    # Text fields: the field's form would not be sent yet when Enter was pressed (another field
    # `required` and still empty): the browser's validation, not the page, held Enter back.
    unsendable: bool = False
    # A text area that took Enter as a new line: the browser's own behaviour, not prevented.
    newline: bool = False
    # A field whose Enter should submit its form (implicit submission), and whether the form
    # was then sent or checked (a submit or invalid event): None when it was not measured.
    implicit: bool = False
    enter_sent: bool | None = None
    # A click on the choice already made (the active tab, the current slide's dot): nothing
    # to change, so doing nothing is not dead.
    current: bool = False

    @property
    def responded(self) -> bool:
        return bool(self.effects)


def creates_state(o: Outcome) -> bool:
    """The step left the page in a new state worth exploring (an item added, a menu open)."""
    if o.errors or "navigation" in o.effects:
        return False
    if o.action in ("flow", "type"):
        return bool(o.visible_result) or bool(o.enter_effects and "dom" in o.enter_effects)
    return o.action == "click" and "dom" in o.effects


def describe(step: Step | None) -> str | None:
    return None if step is None else f"{step.action} {step.control.selector}"


def diff(s0: dict[str, Any] | None, s1: dict[str, Any] | None, selector: str) -> list[str]:
    if not s0 or not s1:
        return []
    eff = []
    # Nodes that change on their own count only for what changed before time moved on.
    if s1["mutations"] > s0["mutations"] or s1.get("noisy_sync", 0) > s0.get("noisy", 0):
        eff.append("dom")
    if s1["url"] != s0["url"]:
        same_doc = s1["url"].split("#")[0] == s0["url"].split("#")[0]
        eff.append("hash" if same_doc else "url")
    if s1["scroll"] != s0["scroll"]:
        eff.append("scroll")
    if s1["focus"] and s1["focus"] not in (s0["focus"], selector):
        eff.append("focus")
    if s1["dialogs"] > s0["dialogs"]:
        eff.append("dialog")
    if s1["popups"] > s0["popups"]:
        eff.append("popup")
    if s1.get("media", 0) > s0.get("media", 0):
        eff.append("media")
    if s1.get("canvas", 0) > s0.get("canvas", 0) or s1.get("look", "") != s0.get("look", ""):
        eff.append("canvas")
    if s1.get("form") != s0.get("form") and "state" not in eff:
        eff.append("state")
    return eff


def pixels_changed(
    before: bytes, after: bytes, clip: dict[str, float], view: dict[str, float] | None
) -> bool:
    """Changed pixels outside the control's own box (its focus/active styling does not count)."""
    a = np.asarray(Image.open(io.BytesIO(before)).convert("RGB"), dtype=np.int16)
    b = np.asarray(Image.open(io.BytesIO(after)).convert("RGB"), dtype=np.int16)
    if a.shape != b.shape:
        return True
    changed = np.abs(a - b).max(axis=2) > PIXEL_DELTA
    if view is None:
        return int(changed.sum()) >= 30
    x0 = int(max(0, view["x"] - clip["x"] - 6))
    y0 = int(max(0, view["y"] - clip["y"] - 6))
    x1 = int(max(0, view["x"] + view["width"] - clip["x"] + 6))
    y1 = int(max(0, view["y"] + view["height"] - clip["y"] + 6))
    changed[y0:y1, x0:x1] = False
    return int(changed.sum()) >= 30
