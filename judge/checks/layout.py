"""Layout checks per viewport: horizontal overflow, clipped text, overlapping text/controls,
content placed off-screen."""

from __future__ import annotations

from judge.checks.base import CheckContext, check, result
from judge.checks.geometry import (
    ancestors,
    area,
    evidence,
    intersection,
    is_screen_reader_only,
    text_like,
)
from judge.schema import CheckResult, ElementInfo, ViewportCapture

DIM = "layout"
MAX_PAIRS = 400  # elements considered for overlap (quadratic)


def _severity(score: float) -> str:
    return "info" if score >= 1 else ("minor" if score >= 0.7 else "major")


@check("layout.overflow", DIM, order=30)
async def overflow(ctx: CheckContext) -> list[CheckResult]:
    """The page is wider than the viewport (horizontal scrolling)."""
    out = []
    for cap in ctx.captures.values():
        extra = cap.doc_width - cap.width
        if extra <= 1:
            out.append(
                result(
                    "layout.overflow", DIM, 1.0, f"{cap.name}: fits the width", viewport=cap.name
                )
            )
            continue
        culprits = _overflowing(cap)
        score = max(0.0, 0.6 - 0.6 * extra / (0.5 * cap.width))
        out.append(
            result(
                "layout.overflow",
                DIM,
                score,
                f"{cap.name}: page is {extra:.0f}px wider than the {cap.width}px viewport"
                + (f" ({culprits[0].selector})" if culprits else ""),
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
    """Text cut off by its container (overflow hidden without an ellipsis)."""
    out = []
    for cap in ctx.captures.values():
        bad = [e for e in cap.elements if _is_clipped(e)]
        score = max(0.0, 1.0 - 0.25 * len(bad))
        msg = (
            f"{cap.name}: {len(bad)} element(s) with text cut off, e.g. {bad[0].selector}"
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
                evidence=[evidence(cap, e, "text clipped") for e in bad[:5]],
            )
        )
    return out


def _is_clipped(e: ElementInfo) -> bool:
    if not e.visible or not e.text or is_screen_reader_only(e):
        return False
    hidden = {"hidden", "clip"}
    wide = (
        e.overflow_x in hidden
        and (e.scroll_width or 0) > (e.client_width or 0) + 2
        and e.text_overflow != "ellipsis"
    )
    tall = e.overflow_y in hidden and (e.scroll_height or 0) > (e.client_height or 0) + 2
    return wide or tall


@check("layout.overlap", DIM, order=32)
async def overlap(ctx: CheckContext) -> list[CheckResult]:
    """Visible text or controls drawn on top of each other."""
    out = []
    for cap in ctx.captures.values():
        pairs = _overlaps(cap)
        score = max(0.0, 1.0 - 0.2 * len(pairs))
        msg = (
            f"{cap.name}: {len(pairs)} overlapping text/control pair(s), e.g. "
            f"{pairs[0][0].selector} and {pairs[0][1].selector}"
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


def _overlaps(cap: ViewportCapture) -> list[tuple[ElementInfo, ElementInfo]]:
    els = cap.elements
    idx = [i for i, e in enumerate(els) if text_like(e) and area(e.bbox) > 4][:MAX_PAIRS]
    anc = {i: ancestors(els, i) for i in idx}
    pairs = []
    for n, i in enumerate(idx):
        a = els[i]
        for j in idx[n + 1 :]:
            if i in anc[j] or j in anc[i]:
                continue
            b = els[j]
            inter = intersection(a.bbox, b.bbox)
            if inter <= 0:
                continue
            if inter >= 0.25 * min(area(a.bbox), area(b.bbox)) and inter >= 16:
                pairs.append((a, b))
    return pairs


@check("layout.offscreen", DIM, order=33)
async def offscreen(ctx: CheckContext) -> list[CheckResult]:
    """Text or controls placed where nobody can scroll to them (left of or above the page)."""
    out = []
    for cap in ctx.captures.values():
        bad = [
            e
            for e in cap.elements
            if text_like(e) and (e.bbox.x + e.bbox.width <= 0 or e.bbox.y + e.bbox.height <= 0)
        ]
        score = max(0.0, 1.0 - 0.2 * len(bad))
        msg = (
            f"{cap.name}: {len(bad)} element(s) off-screen, e.g. {bad[0].selector}"
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
