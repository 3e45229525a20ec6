"""Geometry helpers shared by layout-style checks (boxes, ancestry, evidence)."""

from __future__ import annotations

from judge.schema import BBox, ElementInfo, Evidence, ViewportCapture


def area(b: BBox) -> float:
    return max(0.0, b.width) * max(0.0, b.height)


def intersection(a: BBox, b: BBox) -> float:
    w = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
    h = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
    return max(0.0, w) * max(0.0, h)


def ancestors(elements: list[ElementInfo], i: int) -> set[int]:
    out: set[int] = set()
    p = elements[i].parent
    while p is not None and p not in out:
        out.add(p)
        p = elements[p].parent
    return out


def is_screen_reader_only(e: ElementInfo) -> bool:
    """The usual visually-hidden pattern (1×1 px, clipped) is intentional, not a defect."""
    return e.bbox.width <= 2 and e.bbox.height <= 2


def evidence(cap: ViewportCapture, e: ElementInfo, detail: str | None = None) -> Evidence:
    return Evidence(
        viewport=cap.name,
        selector=e.selector,
        bbox=e.bbox,
        screenshot=f"{cap.name}.png",
        detail=detail,
    )


def text_like(e: ElementInfo) -> bool:
    return seen(e) and (bool(e.text) or e.clickable) and not is_screen_reader_only(e)


def shown(e: ElementInfo) -> BBox:
    """The part of the element's box its ancestors let through (its whole box if unknown)."""
    return e.shown if e.shown is not None else e.bbox


def seen(e: ElementInfo, min_share: float = 0.25) -> bool:
    """A reader can see it: rendered, not (nearly) transparent through its ancestors, and not
    clipped away by them (at least `min_share` of its box shows)."""
    if not e.visible or e.effective_opacity < 0.1:
        return False
    whole = area(e.bbox)
    return whole > 0 and area(shown(e)) >= min_share * whole


def within(els: list[ElementInfo], i: int, tags: set[str]) -> bool:
    """The element or one of its captured ancestors has one of these tags."""
    return els[i].tag in tags or any(els[a].tag in tags for a in ancestors(els, i))


def _within(t: BBox, box: BBox) -> BBox:
    x0, y0 = max(box.x, t.x), max(box.y, t.y)
    x1 = min(box.x + box.width, t.x + t.width)
    y1 = min(box.y + box.height, t.y + t.height)
    return BBox(x=x0, y=y0, width=max(0.0, x1 - x0), height=max(0.0, y1 - y0))


def ink(e: ElementInfo) -> BBox:
    """What of the element a reader sees as content: its own text runs if it has text (clipped
    like the element), else its visible box."""
    return shown(e) if e.text_box is None else _within(e.text_box, shown(e))


def ink_lines(e: ElementInfo) -> list[BBox]:
    """`ink`, line by line for text wrapped over several lines: a phrase running from the end
    of one line to the start of the next is drawn in two pieces, not over the whole of both."""
    if not e.text_lines:
        return [ink(e)]
    box = shown(e)
    return [b for b in (_within(t, box) for t in e.text_lines) if area(b) > 0] or [ink(e)]


def drawn_overlap(a: ElementInfo, b: ElementInfo) -> tuple[float, float, float]:
    """(area where a's and b's ink meet, a's ink area, b's ink area), line by line."""
    la, lb = ink_lines(a), ink_lines(b)
    inter = sum(intersection(x, y) for x in la for y in lb)
    return inter, sum(map(area, la)), sum(map(area, lb))


# Positions that take a box out of the page flow: drawn over others, not beside them.
OUT_OF_FLOW = frozenset({"absolute", "fixed"})
SMALL_PRINT_WEIGHT = 0.3  # footers and <small>: read by few, at the end


def shift(els: list[ElementInfo], i: int) -> tuple[float, float]:
    """How far transforms (the element's own and its captured ancestors') moved it, (dx, dy)."""
    chain = (i, *ancestors(els, i))
    return (
        sum(els[k].shift["x"] for k in chain if els[k].shift),
        sum(els[k].shift["y"] for k in chain if els[k].shift),
    )


def painted(e: ElementInfo) -> bool:
    """A box drawn as a shape of its own in the page flow (a tile, a swatch, a step marker),
    text or not."""
    return (
        seen(e)
        and e.position not in OUT_OF_FLOW
        and bool(e.own_background or e.background_image or e.box_shadow or e.border_width >= 1)
    )


def small_print(els: list[ElementInfo], i: int, doc_height: float) -> bool:
    """Footers, <small>, captions and the last tenth of the page: read by few, at the end."""
    e = els[i]
    if e.tag in ("small", "footer", "figcaption", "sup", "sub"):
        return True
    if any(els[a].tag in ("footer", "small") for a in ancestors(els, i)):
        return True
    return doc_height > 0 and e.bbox.y >= 0.9 * doc_height
