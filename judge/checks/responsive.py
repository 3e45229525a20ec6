"""Responsiveness per viewport: distorted images, tiny tap targets and text on phones,
fixed-width containers wider than the viewport, collapsed layouts.

(Overflow, overlap, clipped and off-screen content are in layout.py; these results carry
`viewport=` so "fine on desktop, broken on mobile" shows in the per-viewport dimensions.)
"""

from __future__ import annotations

from judge.checks.base import CheckContext, check, result
from judge.checks.geometry import (
    SMALL_PRINT_WEIGHT,
    ancestors,
    evidence,
    is_screen_reader_only,
    painted,
    seen,
    shift,
    small_print,
)
from judge.schema import BBox, CheckResult, ElementInfo, ViewportCapture

DIM = "responsive"
MOBILE_MAX_WIDTH = 600  # viewports at most this wide get the phone-only checks
TAP_MIN = 24  # WCAG 2.2 SC 2.5.8 target size (minimum), CSS px
TEXT_MIN = 12


def _sev(score: float) -> str:
    return "info" if score >= 1 else ("minor" if score >= 0.7 else "major")


def viewport_result(
    check_id: str, cap: ViewportCapture, score: float, msg: str, bad: list, why: str, **data: object
) -> CheckResult:
    return result(
        check_id,
        DIM,
        score,
        f"{cap.name}: {msg}",
        viewport=cap.name,
        severity=_sev(score),
        evidence=[evidence(cap, e, why) for e in bad[:6]],
        data=dict(data),
    )


def _outside_image(e: ElementInfo, cap: ViewportCapture) -> bool:
    src = e.attrs.get("src", "")
    return src.startswith(("http:", "https:", "//")) and "localhost" not in src


@check("responsive.image_aspect", DIM, order=40)
async def image_aspect(ctx: CheckContext) -> list[CheckResult]:
    """Images drawn with a different aspect ratio than their pixels (stretched/squashed)."""
    out = []
    for cap in ctx.captures.values():
        imgs = [
            e
            for e in cap.elements
            if e.tag == "img"
            and e.visible
            and e.natural_width
            and e.natural_height
            and e.natural_width > 2
            and e.natural_height > 2
            and e.bbox.width >= 8
            and e.bbox.height >= 8
            and not _outside_image(e, cap)
        ]
        bad = []
        for e in imgs:
            if (e.object_fit or "fill") in ("cover", "contain", "scale-down", "none"):
                continue
            natural = e.natural_width / e.natural_height  # type: ignore[operator]
            shown = e.bbox.width / e.bbox.height
            if abs(shown / natural - 1) > 0.08:
                bad.append((e, shown / natural))
        if not imgs:
            continue
        score = max(0.0, 1.0 - 0.3 * len(bad))
        msg = (
            f"{len(bad)} distorted image(s), e.g. {bad[0][0].selector} stretched {bad[0][1]:.2f}x"
            if bad
            else f"{len(imgs)} image(s) keep their aspect ratio"
        )
        out.append(
            viewport_result(
                "responsive.image_aspect",
                cap,
                score,
                msg,
                [e for e, _ in bad],
                "aspect ratio distorted",
            )
        )
    return out


def mobile_captures(ctx: CheckContext) -> list[ViewportCapture]:
    return [c for c in ctx.captures.values() if c.width <= MOBILE_MAX_WIDTH]


UNREADABLE = 0.8  # deficit share: the reading text at 8 px on average, or smaller


# A chart's labels (SVG text: axis ticks, legends, data labels) are read at a glance, and the
# charting libraries set them at 10-11 px (D3 10, Highcharts 11, ApexCharts 11): a reader does
# not mark a chart down for them. They fall short only below 9 px as drawn: a chart scaled
# to a phone's width by its viewBox draws 10 px labels at 6.
CHART_TEXT_MIN = 9.0
SVG_TEXT = frozenset({"text", "tspan", "textpath"})
GLYPH_BOX = 1.15  # a line of SVG text's box, in ems of the size it is drawn at


def drawn_px(e: ElementInfo) -> float:
    """The size text is drawn at: its font size, or for SVG text what its box shows (the
    computed size ignores the viewBox's scaling)."""
    px = e.font_size or 16
    if e.tag in SVG_TEXT and e.bbox.height > 0:
        return e.bbox.height / GLYPH_BOX
    return px


def size_deficit(px: float, minimum: float = TEXT_MIN) -> float:
    """How far text of this size falls short of comfortable reading: 0 at ≥ `minimum` px (12
    for reading text), 1 at ≤ 7 px."""
    return min(1.0, max(0.0, (minimum - px) / (minimum - 7.0)))


@check("responsive.text_size", DIM, order=42, gates=("unreadable_text_cap",))
async def text_size(ctx: CheckContext) -> list[CheckResult]:
    """Text too small to read, weighed by how much of what a reader reads it is and how small.

    Each text element counts by its characters, times how far its size falls short of 12 px
    (11 px a little, 7 px fully); small print (footers, <small>, the last tenth of the page)
    counts at a third. The deficit share saturates: a third of the reading text unreadable is
    as bad as it gets, a footnote costs next to nothing. Where nearly all of it is 8 px or
    smaller at every viewport (a deficit share of at least UNREADABLE), nobody can read the
    page: `unreadable_text_cap`.
    """
    out = []
    shares = []
    for cap in ctx.captures.values():
        els = cap.elements
        texts = [
            i
            for i, e in enumerate(els)
            if e.visible and e.text.strip() and e.font_size and not is_screen_reader_only(e)
        ]
        if not texts:
            continue
        total = deficit = 0.0
        bad: list[ElementInfo] = []
        for i in texts:
            e = els[i]
            w = len(e.text) * (SMALL_PRINT_WEIGHT if small_print(els, i, cap.doc_height) else 1.0)
            d = size_deficit(drawn_px(e), CHART_TEXT_MIN if e.tag in SVG_TEXT else TEXT_MIN)
            total += w
            deficit += w * d
            if d > 0:
                bad.append(e)
        share = deficit / max(1.0, total)
        shares.append(share)
        score = max(0.0, 1.0 - share / 0.35)
        bad.sort(key=lambda e: (e.font_size or 16, -len(e.text)))
        msg = (
            f"text too small to read comfortably ({share:.0%} of the reading weight), e.g. "
            f"{bad[0].selector} at {bad[0].font_size:g}px — use at least {TEXT_MIN}px"
            if bad
            else f"all text at least {TEXT_MIN}px"
        )
        out.append(
            viewport_result(
                "responsive.text_size",
                cap,
                score,
                msg,
                bad,
                "text too small",
                deficit_share=round(share, 3),
            )
        )
    if shares and len(shares) == len(ctx.captures) and min(shares) >= UNREADABLE:
        out = [r.model_copy(update={"gate": "unreadable_text_cap"}) for r in out]
    return out


def _needed(e: ElementInfo) -> BBox:
    """What a reader needs of it: the text runs of a text (a heading centred in a box that
    overhangs the screen by a few px is not cut off), else the box."""
    return e.text_box if e.text and not e.clickable and e.text_box is not None else e.bbox


def _cut_off(e: ElementInfo, width: float, dx: float = 0.0) -> bool:
    """Past the screen's right edge, or its left one (a centred box wider than the screen
    overhangs both, and nothing scrolls to the left of a page), `dx` px further right."""
    b = _needed(e)
    return b.x - dx < -2 or b.x + b.width - dx > width + 2


def _slid_out(els: list[ElementInfo], i: int, width: float) -> bool:
    """Past an edge only because a transform (its own or a container's) moved it there: a
    card waiting to slide in when it is scrolled to, an off-canvas panel."""
    dx, _ = shift(els, i)
    return dx != 0 and not _cut_off(els[i], width, dx)


@check("responsive.fixed_width", DIM, order=43)
async def fixed_width(ctx: CheckContext) -> list[CheckResult]:
    """Containers wider than the screen whose text, controls or drawn tiles (a game board's
    squares) are cut off at its right or left edge.

    When the page scrolls sideways instead, layout.overflow reports it; a decorative layer
    wider than the screen (a blurred background) cuts off nothing a reader needs.
    """
    out = []
    for cap in ctx.captures.values():
        if cap.scrolls_x:
            continue  # reported (once) as overflow
        els = cap.elements
        scrollers = {
            i
            for i, e in enumerate(els)
            if e.overflow_x in ("auto", "scroll") and e.bbox.width <= cap.width + 1
        }
        cut = {
            i
            for i, e in enumerate(els)
            # A drawn tile or card counts, not a drawn container that merely overhangs the edge.
            if (e.text or e.clickable or (painted(e) and e.bbox.width <= cap.width))
            and seen(e)
            and _cut_off(e, cap.width)
            and not _slid_out(els, i, cap.width)
            and not (ancestors(els, i) & scrollers)
        }
        wide = {
            i
            for i, e in enumerate(els)
            if e.visible
            and e.bbox.width > cap.width + 2
            and e.tag not in ("html", "body")
            and not (ancestors(els, i) & scrollers)
            and any(i in ancestors(els, j) or i == j for j in cut)
        }
        outer = [els[i] for i in sorted(wide) if not (ancestors(els, i) & wide)]
        score = max(0.0, 1.0 - 0.4 * len(outer))
        msg = (
            f"{len(outer)} container(s) wider than the {cap.width}px screen cut off their text "
            f"or controls, e.g. {outer[0].selector} ({outer[0].bbox.width:.0f}px) — let it shrink"
            if outer
            else "nothing cut off at the screen's edge"
        )
        out.append(
            viewport_result(
                "responsive.fixed_width", cap, score, msg, outer, "wider than the viewport"
            )
        )
    return out


@check("responsive.collapsed", DIM, order=44)
async def collapsed(ctx: CheckContext) -> list[CheckResult]:
    """Layout collapsed into slivers: text squeezed into columns a few px wide."""
    out = []
    for cap in ctx.captures.values():
        texts = [
            e
            for e in cap.elements
            if e.visible and len(e.text) >= 20 and not is_screen_reader_only(e)
        ]
        if not texts:
            continue
        narrow = [
            e
            for e in texts
            if e.bbox.width < min(60.0, 0.1 * cap.width) and e.bbox.height > 3 * (e.font_size or 16)
        ]
        share = len(narrow) / len(texts)
        score = 1.0 if not narrow else max(0.0, 1.0 - 2.0 * share - 0.1)
        msg = (
            f"{len(narrow)} of {len(texts)} text block(s) squeezed under 60px wide, e.g. "
            f"{narrow[0].selector} ({narrow[0].bbox.width:.0f}px)"
            if narrow
            else "no collapsed text columns"
        )
        out.append(
            viewport_result("responsive.collapsed", cap, score, msg, narrow, "collapsed column")
        )
    return out
