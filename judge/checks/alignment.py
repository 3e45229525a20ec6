"""Near-miss alignment: neighbouring boxes in one column or row that almost line up.

A designer lines blocks up exactly (same left edge, same centre or same right edge) or sets
them apart on purpose; boxes a few pixels off a shared edge read as sloppy — the "near
alignment" every design review points out. Only pairs a layout engine placed side by side are
compared: consecutive siblings stacked in normal flow (compared on x), and items of one flex or
grid row (compared on y). Inline runs and absolutely positioned boxes are left out: baselines
and overlays are not misalignment. Boxes are measured as drawn (transforms included) after
capture settled the page: finite animations finished, endless ones cancelled.
"""

from __future__ import annotations

from judge.checks.base import CheckContext, check, result
from judge.checks.geometry import evidence, seen
from judge.schema import CheckResult, ElementInfo, ViewportCapture

DIM = "layout"

ALIGNED_PX = 1.5  # sub-pixel layout and odd widths centred: still one line
# Browsers give sliders, checkboxes and radios a default margin of 2-4 px: a slider under a
# paragraph sits 2 px in by the browser's doing, not the author's, and nobody sees it.
UA_MARGIN_PX = 4.0
_UA_MARGINED = {"input", "meter", "progress"}
NEAR_PX = 20.0  # beyond this an offset reads as intended (indent, separate group)
MIN_SIDE = 12.0
MAX_ELEMENTS = 600
MAX_COST = 0.5
_FLOWS = {"static", "relative", "sticky", None}
_ROW_PARENTS = {"flex", "inline-flex", "grid", "inline-grid"}


def _placed(e: ElementInfo) -> bool:
    return (
        seen(e, 0.9)
        and e.in_viewport
        and e.position in _FLOWS
        and e.display not in ("inline", "contents", "none", "table-cell", "table-row")
        and e.bbox.width >= MIN_SIDE
        and e.bbox.height >= MIN_SIDE
    )


def _offset(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Smallest offset between two spans' starts, centres or ends."""
    (a0, a1), (b0, b1) = a, b
    return min(abs(a0 - b0), abs((a0 + a1) - (b0 + b1)) / 2, abs(a1 - b1))


def pairs(cap: ViewportCapture) -> list[tuple[ElementInfo, ElementInfo, float]]:
    """(a, b, offset in px) for every compared neighbour pair."""
    els = cap.elements[:MAX_ELEMENTS]
    groups: dict[int, list[int]] = {}
    for i, e in enumerate(els):
        if e.parent is not None and _placed(e):
            groups.setdefault(e.parent, []).append(i)
    out = []
    for parent, kids in groups.items():
        if len(kids) < 2:
            continue
        row = els[parent].display in _ROW_PARENTS
        for i, j in zip(kids, kids[1:], strict=False):
            a, b = els[i].bbox, els[j].bbox
            xa, xb = (a.x, a.x + a.width), (b.x, b.x + b.width)
            ya, yb = (a.y, a.y + a.height), (b.y, b.y + b.height)
            stacked = ya[1] <= yb[0] + 1 or yb[1] <= ya[0] + 1
            side = xa[1] <= xb[0] + 1 or xb[1] <= xa[0] + 1
            if stacked and min(xa[1], xb[1]) - max(xa[0], xb[0]) > 0:
                out.append((els[i], els[j], _offset(xa, xb)))
            elif row and side and min(ya[1], yb[1]) - max(ya[0], yb[0]) > 0:
                out.append((els[i], els[j], _offset(ya, yb)))
    return out


def _ua_margin(a: ElementInfo, b: ElementInfo, d: float) -> bool:
    return d <= UA_MARGIN_PX and bool({a.tag, b.tag} & _UA_MARGINED)


def alignment_score(near: int, total: int) -> float:
    """1 when everything lines up; down to 0.5 as near misses become several and most of the
    compared pairs — misalignment makes a page look careless, it does not break it."""
    if not near:
        return 1.0
    return 1.0 - MAX_COST * min(1.0, near / 3) * (near / max(1, total))


@check("layout.alignment", DIM, order=34)
async def alignment(ctx: CheckContext) -> list[CheckResult]:
    """Neighbouring blocks a few pixels off a shared edge (per viewport)."""
    out = []
    for cap in ctx.captures.values():
        found = [(a, b, d) for a, b, d in pairs(cap) if d <= NEAR_PX]
        if not found:
            continue  # nothing laid out side by side to compare: no evidence either way
        off = sorted(
            ((a, b, d) for a, b, d in found if d > ALIGNED_PX and not _ua_margin(a, b, d)),
            key=lambda t: -t[2],
        )
        score = alignment_score(len(off), len(found))
        if off:
            a, b, d = off[0]
            msg = (
                f"{cap.name}: {len(off)} of {len(found)} neighbouring blocks sit a few pixels off "
                f"a shared edge, e.g. {b.selector} is {d:.0f}px off {a.selector} — line them up "
                "(check stray margins, translates and fixed widths)"
            )
        else:
            msg = f"{cap.name}: all {len(found)} neighbouring blocks line up"
        ev = []
        for a, b, d in off[:4]:
            ev += [evidence(cap, b, f"{d:.0f}px off {a.selector}"), evidence(cap, a, "edge")]
        out.append(
            result(
                "layout.alignment",
                DIM,
                score,
                msg,
                viewport=cap.name,
                severity="info" if not off else ("minor" if score >= 0.7 else "major"),
                evidence=ev,
                data={"pairs": len(found), "near_misses": len(off)},
            )
        )
    return out
