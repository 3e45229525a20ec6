"""What the browser saw: per-viewport captures and page events (inputs to the checks)."""

from __future__ import annotations

from pydantic import Field

from judge.schema.base import Model
from judge.schema.verdict import BBox, BlockedRequest


class ElementInfo(Model):
    """One rendered element, as measured by judge/assets/snapshot.js."""

    selector: str
    tag: str
    role: str | None = None
    text: str = Field("", description="Own (direct) text, trimmed to 200 chars.")
    bbox: BBox
    visible: bool = True
    in_viewport: bool = True
    clickable: bool = Field(False, description="Control: button, link, input, [role=button], …")
    disabled: bool = False
    font_size: float | None = None
    font_family: str | None = None
    font_weight: str | None = None
    color: str | None = None
    background: str | None = Field(None, description="First non-transparent ancestor bg.")
    opacity: float = 1.0
    effective_opacity: float = Field(1.0, description="Own opacity times every ancestor's.")
    shown: BBox | None = Field(
        None, description="The part of the box not clipped away by ancestors (page coords)."
    )
    text_box: BBox | None = Field(None, description="Where its own text runs are drawn.")
    text_lines: list[BBox] | None = Field(
        None, description="Own text wrapped over several lines: one box per line (max 12)."
    )
    field_box: BBox | None = Field(
        None, description="Fields: the box their typed text runs in (inside padding and border)."
    )
    position: str | None = None
    shift: dict[str, float] | None = Field(
        None, description="How far its own CSS transform/translate moves it: {x, y} px."
    )
    z_index: str | None = None
    overflow_x: str | None = None
    overflow_y: str | None = None
    scroll_width: float | None = None
    client_width: float | None = None
    scroll_height: float | None = None
    client_height: float | None = None
    text_overflow: str | None = None
    line_clamp: int | None = Field(None, description="-webkit-line-clamp: lines shown.")
    white_space: str | None = None
    natural_width: float | None = Field(None, description="Images: intrinsic size.")
    natural_height: float | None = None
    object_fit: str | None = None
    depth: int = 0
    parent: int | None = Field(None, description="Index of the nearest captured ancestor.")
    topmost_at_center: bool = Field(True, description="elementFromPoint(center) is it/inside it.")
    covered_by: str | None = Field(None, description="Selector of what covers its centre.")
    attrs: dict[str, str] = Field(default_factory=dict, description="id, type, href, alt, …")
    # Painted box and text treatment (design-spec checks).
    own_background: str | None = Field(None, description="Own background-color, if painted.")
    background_image: str | None = Field(None, description="background-image unless none.")
    border_radius: float = Field(0.0, description="Largest corner radius in px.")
    border_width: float = Field(0.0, description="Widest painted border side in px.")
    border_color: str | None = None
    box_shadow: str | None = None
    text_shadow: str | None = None
    backdrop_filter: str | None = None
    text_transform: str | None = None
    text_align: str | None = None
    display: str | None = None
    grid_columns: int | None = Field(None, description="Tracks of a CSS grid container.")


class ViewportCapture(Model):
    """Everything measured at one viewport after the page settled."""

    name: str
    width: int
    height: int
    screenshot: bytes = Field(repr=False, description="PNG of the viewport (above the fold).")
    full_page: bytes | None = Field(None, repr=False, description="PNG of the whole page.")
    doc_width: float = 0
    scrolls_x: bool | None = Field(
        None, description="A reader can scroll the page sideways (root overflow not hidden)."
    )
    doc_height: float = 0
    body_text_length: int = 0
    page_background: str | None = Field(None, description="body's (else html's) background.")
    elements: list[ElementInfo] = Field(default_factory=list)


class ClosedDialog(Model):
    """A dialog that blocked the page on load, and the control that closed it (judge.dialogs)."""

    dialog: str = Field(description="CSS path of the dialog (its outermost fixed box).")
    text: str = Field(description="The start of its text.")
    control: str = Field(description="The label of the control clicked to close it.")
    closed: bool = Field(description="Whether the click closed it (false: it stayed).")


class PageEvents(Model):
    """What happened while the page loaded and was exercised."""

    console_errors: list[str] = Field(default_factory=list)
    page_errors: list[str] = Field(default_factory=list, description="Uncaught exceptions.")
    unhandled_rejections: list[str] = Field(default_factory=list)
    failed_own_requests: list[str] = Field(default_factory=list, description="404s etc.")
    blocked: list[BlockedRequest] = Field(default_factory=list)
    dialogs: list[str] = Field(default_factory=list)
    blocking_dialog: ClosedDialog | None = Field(
        None, description="A dialog over the page on load that the judge closed (or tried to)."
    )
    crashed: bool = False
    load_timed_out: bool = False
