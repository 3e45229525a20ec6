"""Layout checks per viewport: horizontal overflow, clipped text, overlapping text/controls,
content placed off-screen.

Every check looks at what a reader can actually see (`geometry.seen`: rendered, not faded out
by its ancestors, not clipped away by them) and weighs a finding by how much of the reading
it spoils, so a heading cut in half costs more than a clipped footnote and an off-canvas menu
waiting to slide in is not "off-screen".
"""

from __future__ import annotations

from judge.checks.base import CheckContext, check, result
from judge.checks.geometry import (
    OUT_OF_FLOW,
    ancestors,
    area,
    drawn_overlap,
    evidence,
    ink,
    intersection,
    is_screen_reader_only,
    seen,
    shift,
    text_like,
)
from judge.schema import CheckResult, ElementInfo, ViewportCapture

DIM = "layout"
MAX_PAIRS = 400  # elements considered for overlap (quadratic)


def _severity(score: float) -> str:
    return "info" if score >= 1 else ("minor" if score >= 0.7 else "major")


def prominence(e: ElementInfo) -> float:
    """How much of the reading an element carries: ~1 for a paragraph, more for headings and
    buttons, less for a few words of small print."""
    size = e.font_size or 16
    chars = len(e.text) or (12 if e.clickable else 0)
    return min(2.0, (size / 16) ** 1.5 * min(1.0, 0.25 + chars / 60) + (0.5 if e.clickable else 0))


@check("layout.overflow", DIM, order=30)
async def overflow(ctx: CheckContext) -> list[CheckResult]:
    """The page is wider than the viewport and a reader has to scroll sideways."""
    out = []
    for cap in ctx.captures.values():
        extra = cap.doc_width - cap.width
        if extra <= 1 or cap.scrolls_x is False:
            msg = f"{cap.name}: fits the width" + (
                " (wider content is clipped by the page itself)" if extra > 1 else ""
            )
            out.append(result("layout.overflow", DIM, 1.0, msg, viewport=cap.name))
            continue
        culprits = _overflowing(cap)
        score = max(0.0, 0.6 - 0.6 * extra / (0.5 * cap.width))
        out.append(
            result(
                "layout.overflow",
                DIM,
                score,
                f"{cap.name}: the page is {extra:.0f}px wider than the {cap.width}px screen, so "
                "it scrolls sideways"
                + (f"; {culprits[0].selector} sticks out" if culprits else "")
                + " — let it shrink (max-width: 100%, flexible widths)",
                viewport=cap.name,
                severity="major",
                evidence=[
                    evidence(cap, e, f"right edge {e.bbox.x + e.bbox.width:.0f}px")
                    for e in culprits[:5]
                ],
                data={"overflow_px": round(extra, 1)},
            )
        )
    return out


def _overflowing(cap: ViewportCapture) -> list[ElementInfo]:
    """Outermost elements sticking out past the right edge (the ones to blame)."""
    els = cap.elements
    over = {i for i, e in enumerate(els) if e.visible and e.bbox.x + e.bbox.width > cap.width + 1}
    outer = [els[i] for i in over if not (ancestors(els, i) & over)]
    return sorted(outer, key=lambda e: -(e.bbox.x + e.bbox.width))


@check("layout.clipped", DIM, order=31)
async def clipped(ctx: CheckContext) -> list[CheckResult]:
    """Text cut off by its container (overflow hidden without an ellipsis), by how much of the
    reading is lost."""
    out = []
    for cap in ctx.captures.values():
        bad = [(e, lost) for e in cap.elements if (lost := _lost_share(e)) > 0]
        penalty = sum(min(1.0, 2 * lost) * 0.35 * prominence(e) for e, lost in bad)
        score = max(0.0, 1.0 - penalty)
        bad.sort(key=lambda t: -t[1] * prominence(t[0]))
        msg = (
            f"{cap.name}: {len(bad)} text element(s) cut off by their container, e.g. "
            f"{bad[0][0].selector} ({bad[0][1]:.0%} hidden) — let the box grow or wrap the text"
            if bad
            else f"{cap.name}: no clipped text"
        )
        out.append(
            result(
                "layout.clipped",
                DIM,
                score,
                msg,
                viewport=cap.name,
                severity=_severity(score),
                evidence=[
                    evidence(cap, e, f"{lost:.0%} of the text hidden") for e, lost in bad[:5]
                ],
            )
        )
    return out


def _lost_share(e: ElementInfo) -> float:
    """Share of the element's text box hidden by its own overflow clipping (0 if none)."""
    if not seen(e) or not e.text or is_screen_reader_only(e):
        return 0.0
    hidden = {"hidden", "clip"}
    lost = 0.0
    sw, cw = e.scroll_width or 0, e.client_width or 0
    sh, ch = e.scroll_height or 0, e.client_height or 0
    if e.overflow_x in hidden and sw > cw + 2 and e.text_overflow != "ellipsis":
        lost = max(lost, 1 - cw / sw)
    # -webkit-line-clamp: cut after n lines on purpose, and the cut is marked with an ellipsis
    # (a card's teaser), as text-overflow: ellipsis marks a cut line.
    if e.overflow_y in hidden and sh > ch + 2 and not e.line_clamp:
        lost = max(lost, 1 - ch / sh)
    return lost


@check("layout.overlap", DIM, order=32)
async def overlap(ctx: CheckContext) -> list[CheckResult]:
    """Visible text or controls drawn on top of each other."""
    out = []
    for cap in ctx.captures.values():
        pairs = _overlaps(cap)
        penalty = sum(0.25 * min(prominence(a), prominence(b)) for a, b in pairs)
        score = max(0.0, 1.0 - penalty)
        msg = (
            f"{cap.name}: {len(pairs)} place(s) where text or controls are drawn over each "
            f"other, e.g. {pairs[0][0].selector} and {pairs[0][1].selector} — give them their "
            "own space (check absolute positions and negative margins)"
            if pairs
            else f"{cap.name}: no overlapping text or controls"
        )
        ev = []
        for a, b in pairs[:4]:
            ev += [evidence(cap, a, f"overlaps {b.selector}"), evidence(cap, b, "overlapped")]
        out.append(
            result(
                "layout.overlap",
                DIM,
                score,
                msg,
                viewport=cap.name,
                severity=_severity(score),
                evidence=ev,
                data={"pairs": len(pairs)},
            )
        )
    return out


def _labels_each_other(els: list[ElementInfo], i: int, j: int) -> bool:
    """A label drawn over a field (floating labels, placeholders) is a design, not a collision;
    so is a field's adornment — a unit or currency sign inside its box ("$", "kg", "%") clear
    of where the field's own text runs."""
    for x, y in ((i, j), (j, i)):
        if els[y].tag not in ("input", "textarea", "select"):
            continue
        if els[x].tag == "label" or any(els[k].tag == "label" for k in ancestors(els, x)):
            return True
        if _adornment(els[x], els[y]):
            return True
    return False


def _adornment(a: ElementInfo, field: ElementInfo) -> bool:
    box, f = ink(a), field.bbox
    inside = (
        box.x >= f.x - 2
        and box.y >= f.y - 2
        and box.x + box.width <= f.x + f.width + 2
        and box.y + box.height <= f.y + f.height + 2
    )
    clear = field.field_box is None or intersection(box, field.field_box) == 0
    return 0 < len(a.text.strip()) <= 3 and inside and clear


def _control(els: list[ElementInfo], i: int) -> ElementInfo | None:
    """The control an element is or is part of (a key's label is part of the key)."""
    k: int | None = i
    for _ in range(4):
        if k is None or not 0 <= k < len(els):
            return None
        if els[k].clickable:
            return els[k]
        k = els[k].parent
    return None


def _layered(els: list[ElementInfo], i: int, j: int) -> bool:
    """Controls of one kind (or their labels), side by side in one container, each still
    clickable at its centre: a widget layered on purpose (a piano's black keys over the white
    ones, a stack of overlapping avatars or tabs), not one control lost under another."""
    a, b = _control(els, i), _control(els, j)
    return (
        a is not None
        and b is not None
        and a is not b
        and a.tag == b.tag
        and a.parent == b.parent
        and a.topmost_at_center
        and b.topmost_at_center
    )


def _overlaps(cap: ViewportCapture) -> list[tuple[ElementInfo, ElementInfo]]:
    els = cap.elements
    idx = [i for i, e in enumerate(els) if text_like(e) and area(ink(e)) > 4][:MAX_PAIRS]
    anc = {i: ancestors(els, i) for i in idx}
    pairs = []
    for n, i in enumerate(idx):
        a = els[i]
        for j in idx[n + 1 :]:
            if i in anc[j] or j in anc[i]:
                continue
            b = els[j]
            if intersection(ink(a), ink(b)) < 16:
                continue  # their unions do not meet: nor do their lines
            inter, aa, ab = drawn_overlap(a, b)
            if inter < 16 or inter < 0.25 * min(aa, ab):
                continue
            if _labels_each_other(els, i, j) or _layered(els, i, j):
                continue
            if _scrolls_free(cap, i, j) or _scrolls_free(cap, j, i):
                continue
            pairs.append((a, b))
    return pairs


def _floating(els: list[ElementInfo], i: int, vh: float) -> ElementInfo | None:
    """The fixed box in the lower half of the screen that `i` belongs to, if any: a cookie
    notice, a chat bubble, a sticky "Book now" bar."""
    outer: ElementInfo | None = None
    k: int | None = i
    while k is not None:  # the outermost fixed box: where the notice sits on the screen
        if els[k].position == "fixed":
            outer = els[k]
        k = els[k].parent
    return outer if outer is not None and outer.bbox.y >= 0.5 * vh else None


def _scrolls_free(cap: ViewportCapture, i: int, j: int) -> bool:
    """`i` floats in a fixed box near the bottom of the screen and `j` is page content the
    reader can scroll up from under it: drawn over it in the capture (taken at the top of the
    page), over something else once scrolled — a floating notice, not a layout collision.
    Content at the very end of a page that cannot scroll that far stays under it for good."""
    els = cap.elements
    box = _floating(els, i, cap.height)
    if box is None or _floating(els, j, cap.height) is not None or not cap.doc_height:
        return False
    b = els[j].bbox
    return b.y + b.height <= cap.doc_height - cap.height + box.bbox.y


@check("layout.offscreen", DIM, order=33)
async def offscreen(ctx: CheckContext) -> list[CheckResult]:
    """Text or controls placed where nobody can scroll to them (left of or above the page),
    by a layout mistake — not panels positioned off-canvas on purpose (menus, slides)."""
    out = []
    for cap in ctx.captures.values():
        els = cap.elements
        bad = [
            e
            for i, e in enumerate(els)
            if text_like(e)
            and (e.bbox.x + e.bbox.width <= 0 or e.bbox.y + e.bbox.height <= 0)
            and not _positioned(els, i)
        ]
        penalty = sum(0.3 * prominence(e) for e in bad)
        score = max(0.0, 1.0 - penalty)
        msg = (
            f"{cap.name}: {len(bad)} element(s) pushed off the page where nobody can scroll to "
            f"them, e.g. {bad[0].selector}"
            if bad
            else f"{cap.name}: nothing off-screen"
        )
        out.append(
            result(
                "layout.offscreen",
                DIM,
                score,
                msg,
                viewport=cap.name,
                severity=_severity(score),
                evidence=[evidence(cap, e, "off-screen") for e in bad[:5]],
            )
        )
    return out


def _positioned(els: list[ElementInfo], i: int) -> bool:
    """Placed by absolute/fixed positioning, or moved out of sight by a transform (itself or a
    container; without it the box would show): an off-canvas menu, a card waiting to slide in
    when it is scrolled to. A few pixels of translate on a box already off the page do not
    excuse it."""
    if any(els[k].position in OUT_OF_FLOW for k in (i, *ancestors(els, i))):
        return True
    dx, dy = shift(els, i)
    b = els[i].bbox
    return b.x + b.width - dx > 0 and b.y + b.height - dy > 0
