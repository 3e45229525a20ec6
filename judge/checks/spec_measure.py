"""Measuring a rendered page against a design spec: painted area by colour, text weight,
repeated grids, breakpoints. Shared by the `spec.*` checks; pure functions of a capture.

Area is what a person sees: each element's own background is painted over a coarse raster of
the page (8 px cells, document order, translucent colours composited), so a card covering the
page background hides it; images are masked out (their pixels are not design colours). Text
weighs by its ink (characters × font size²), not by its box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from judge.schema import ElementInfo, Evidence, ViewportCapture
from judge.spec.colours import RGB, blend, css_rgba, distance

if TYPE_CHECKING:
    from judge.checks.base import CheckContext

CELL = 8
MAX_DOC_HEIGHT = 8000  # px measured per viewport (a very long page is judged on its top part)
MEDIA = {"img", "svg", "video", "canvas", "picture", "iframe", "object", "embed"}
TOLERANCE = 2.3  # ΔE76 just-noticeable difference: #f1f5f9 panels are not white
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
TABLE_PARTS = {"tr", "td", "th", "thead", "tbody", "tfoot", "caption", "option", "optgroup"}
LANDMARK_TAGS = {"nav", "aside", "header", "footer"}
LANDMARK_ROLES = {"navigation", "complementary", "banner", "contentinfo"}


def in_landmark(cap: ViewportCapture, i: int) -> bool:
    """Inside navigation, a sidebar, the page header or footer (not the content column)."""
    return in_kind(cap, i, lambda e: e.tag in LANDMARK_TAGS or e.role in LANDMARK_ROLES)


@dataclass
class Paint:
    """Painted area per colour (px²), text ink and border area per colour, for one viewport."""

    areas: dict[RGB, float]
    text: dict[RGB, float]
    media_area: float
    borders: dict[RGB, float]

    def total_area(self) -> float:
        return sum(self.areas.values())

    def total_text(self) -> float:
        return sum(self.text.values())


def rgb(value: str | None) -> tuple[int, int, int, float] | None:
    return css_rgba(value)


def text_weight(e: ElementInfo) -> float:
    """Ink of an element's own text: characters × font size² (× a glyph-coverage factor)."""
    return len(e.text) * (e.font_size or 16.0) ** 2 * 0.15


def shown(e: ElementInfo) -> bool:
    """Visible with a real box (not the 1×1 screen-reader pattern)."""
    return e.visible and e.bbox.width > 2 and e.bbox.height > 2 and e.opacity > 0.05


def paint(cap: ViewportCapture) -> Paint:
    """Rasterise the page's backgrounds and weigh its text colours (see module doc)."""
    height = int(min(max(cap.doc_height, cap.height), MAX_DOC_HEIGHT))
    width = int(max(cap.doc_width, cap.width))
    gh, gw = max(1, height // CELL + 1), max(1, width // CELL + 1)
    base = rgb(cap.page_background) or (255, 255, 255, 1.0)
    under = np.empty((gh, gw, 3), dtype=np.float32)
    under[:] = blend(base, (255, 255, 255))
    media = np.zeros((gh, gw), dtype=bool)
    for e in paint_order(cap):
        if not shown(e):
            continue
        y0, x0 = max(0, int(e.bbox.y // CELL)), max(0, int(e.bbox.x // CELL))
        y1 = min(gh, int((e.bbox.y + e.bbox.height) // CELL) + 1)
        x1 = min(gw, int((e.bbox.x + e.bbox.width) // CELL) + 1)
        if y1 <= y0 or x1 <= x0:
            continue
        if e.tag in MEDIA or (e.background_image and "url(" in e.background_image):
            media[y0:y1, x0:x1] = True
            continue
        col = rgb(e.own_background)
        if col is None:
            continue
        r, g, b, a = col
        a *= e.opacity
        if a >= 0.999:
            under[y0:y1, x0:x1] = (r, g, b)
        elif a > 0.02:
            under[y0:y1, x0:x1] = under[y0:y1, x0:x1] * (1 - a) + np.array((r, g, b)) * a
        media[y0:y1, x0:x1] = False
    keep = ~media
    cells = np.rint(under[keep]).astype(np.int32)
    areas: dict[RGB, float] = {}
    if len(cells):
        packed = cells[:, 0] * 65536 + cells[:, 1] * 256 + cells[:, 2]
        values, counts = np.unique(packed, return_counts=True)
        for v, n in zip(values.tolist(), counts.tolist(), strict=True):
            areas[(v >> 16, (v >> 8) & 255, v & 255)] = float(n * CELL * CELL)
    text: dict[RGB, float] = {}
    for e in cap.elements:
        if not shown(e) or not e.text or e.tag in ("input", "textarea", "select"):
            continue
        col = rgb(e.color)
        if col is None or col[3] * e.opacity < 0.05:
            continue
        bg = rgb(e.background) or base
        on = blend(bg, (255, 255, 255)) if bg[3] < 1 else bg[:3]
        c = blend((col[0], col[1], col[2], col[3] * e.opacity), on)  # type: ignore[arg-type]
        text[c] = text.get(c, 0.0) + text_weight(e)
    borders: dict[RGB, float] = {}
    for e in cap.elements:
        col = rgb(e.border_color) if e.border_width > 0 and shown(e) else None
        if col is not None and col[3] > 0.05:
            c = blend(col, (255, 255, 255)) if col[3] < 1 else col[:3]
            px = 2 * (e.bbox.width + e.bbox.height) * e.border_width
            borders[c] = borders.get(c, 0.0) + px  # type: ignore[index]
    return Paint(areas, text, float(media.sum() * CELL * CELL), borders)


def paint_order(cap: ViewportCapture) -> list[ElementInfo]:
    """Document order, with positioned subtrees above the flow and z-index ≥ 1 above those
    (a positioned element's descendants paint with it, as CSS stacking does)."""
    tiers: list[int] = []
    for e in cap.elements:
        try:
            z = int(e.z_index or 0)
        except ValueError:
            z = 0
        own = 0
        if e.position in ("absolute", "fixed", "sticky", "relative"):
            own = 2 if z > 0 else 1
        parent = tiers[e.parent] if e.parent is not None and e.parent < len(tiers) else 0
        tiers.append(max(own, parent))
    order = sorted(range(len(cap.elements)), key=lambda i: tiers[i])
    return [cap.elements[i] for i in order]


def matches(c: RGB, targets: list[RGB], tol: float = TOLERANCE) -> bool:
    return any(distance(c, t) <= tol for t in targets)


def share(amounts: dict[RGB, float], targets: list[RGB], tol: float = TOLERANCE) -> float:
    """Fraction of `amounts` in colours within `tol` of any target."""
    total = sum(amounts.values())
    if total <= 0:
        return 0.0
    return sum(v for c, v in amounts.items() if matches(c, targets, tol)) / total


def hex_rgb(value: str) -> RGB:
    v = value.lstrip("#")
    return int(v[0:2], 16), int(v[2:4], 16), int(v[4:6], 16)


def breakpoint_of(name: str, width: int) -> str:
    """Which spec breakpoint a rubric viewport stands for (by name, else by width)."""
    if name in ("mobile", "tablet", "desktop"):
        return name
    return "mobile" if width <= 600 else "tablet" if width <= 1100 else "desktop"


def evidence(cap: ViewportCapture, e: ElementInfo, detail: str) -> Evidence:
    return Evidence(
        viewport=cap.name,
        selector=e.selector,
        bbox=e.bbox,
        screenshot=f"{cap.name}.png",
        detail=detail[:200],
    )


def ancestors(cap: ViewportCapture, i: int):
    """Indexes of the captured ancestors of element i, nearest first."""
    seen = set()
    p = cap.elements[i].parent
    while p is not None and p not in seen:
        seen.add(p)
        yield p
        p = cap.elements[p].parent


def is_heading(e: ElementInfo) -> bool:
    return e.tag in HEADING_TAGS or e.role == "heading"


def in_kind(cap: ViewportCapture, i: int, pred) -> bool:
    """Element i or one of its captured ancestors satisfies `pred`."""
    if pred(cap.elements[i]):
        return True
    return any(pred(cap.elements[j]) for j in ancestors(cap, i))


@dataclass
class Group:
    """Repeated items (cards, products, tiles) under one parent."""

    parent: int
    items: list[int]

    def columns(self, cap: ViewportCapture) -> int:
        """Most items sharing one row."""
        rows: dict[int, int] = {}
        for i in self.items:
            key = round(cap.elements[i].bbox.y / 6)
            rows[key] = rows.get(key, 0) + 1
        return max(rows.values()) if rows else 0


def groups(
    cap: ViewportCapture, min_items: int = 2, min_area: float = 3000, *, rows: bool = False
) -> list[Group]:
    """Sets of similar sibling boxes, largest total area first (the page's main grid first).

    Table rows count only with `rows` (a list a filter acts on, never a grid of columns)."""
    by_parent: dict[int, list[int]] = {}
    for i, e in enumerate(cap.elements):
        if e.parent is None or not shown(e) or e.display in ("inline", "contents"):
            continue
        if e.tag in TABLE_PARTS and not (rows and e.tag == "tr"):
            continue
        if e.bbox.width * e.bbox.height < min_area:
            continue
        by_parent.setdefault(e.parent, []).append(i)
    out = []
    for parent, kids in by_parent.items():
        if len(kids) < min_items:
            continue
        widths = sorted(cap.elements[i].bbox.width for i in kids)
        med = widths[len(widths) // 2]
        similar = [
            i
            for i in kids
            if abs(cap.elements[i].bbox.width - med) <= 0.2 * med
            and cap.elements[i].tag == cap.elements[kids[0]].tag
        ]
        # Items of a grid are not the full width of their parent (those are stacked sections),
        # except on a phone where a one-column grid is exactly that.
        if len(similar) >= min_items:
            out.append(Group(parent, similar))
    out.sort(
        key=lambda g: (
            -sum(cap.elements[i].bbox.width * cap.elements[i].bbox.height for i in g.items),
            g.parent,
        )
    )
    return out


def main_group(cap: ViewportCapture, prefer: str | None = None) -> Group | None:
    """The page's main repeated grid; the one under `prefer` (a parent selector) if present."""
    found = [g for g in groups(cap) if len(g.items) >= 3] or groups(cap)
    if prefer is not None:
        for g in found:
            if cap.elements[g.parent].selector == prefer:
                return g
    for g in found:  # a grid of items, not a stack of full-width sections
        parent = cap.elements[g.parent]
        grid_like = g.columns(cap) > 1 or parent.grid_columns or len(g.items) >= 3
        if grid_like and not _stack_of_sections(cap, g):
            return g
    return None


def _stack_of_sections(cap: ViewportCapture, g: Group) -> bool:
    tags = {cap.elements[i].tag for i in g.items}
    return bool(tags & {"section", "header", "footer", "main", "nav"})


def slug(text: str, limit: int = 32) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:limit] or "item"


def live_capture(ctx: CheckContext) -> ViewportCapture:
    """The capture at the live page's current size (else the widest): its selectors and
    boxes describe what the live checks see."""
    size = ctx.page.viewport_size if ctx.page is not None else None
    caps = sorted(ctx.captures.values(), key=lambda c: -c.width)
    if size:
        for c in caps:
            if c.width == size["width"]:
                return c
    return caps[0]
