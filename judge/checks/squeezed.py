"""Content squeezed on phones and tablets: narrower than the screen forces, with nothing beside it.

On a phone a paragraph, a field or a card is expected to take the width the screen allows (or
its desktop width, if that is smaller). A rule meant for a sidebar or a wide screen that leaks
into the phone layout (`width: 30%`, a fixed column count) leaves the main content in a strip a
third of the screen wide while the rest of the row stays empty — readable only by squinting,
and obviously broken to anyone holding the phone. Elements that share their row with others (a
table's cells, a two-column grid of cards) are narrower by design and are not findings.
"""

from __future__ import annotations

from judge.checks.base import CheckContext, check, result
from judge.checks.geometry import OUT_OF_FLOW, evidence, is_screen_reader_only, painted, seen
from judge.schema import CheckResult, ElementInfo, ViewportCapture

DIM = "responsive"
SQUEEZED = 0.5  # narrower than half of what the screen would give it
MIN_EXPECTED = 100.0  # px: only content meant to be wide (a button stays as small as it is)
USABLE = 0.9  # share of the screen's width a full-width block gets after page margins
ROW_SHARED = 0.6  # content beside it covering this much of the row: a layout of columns
GROUP_MIN = 3  # pieces of content that make a box around them content too
KEPT = 0.6  # share of a group's content still shown at the narrower width
_MEDIA = {"img", "svg", "canvas", "video", "picture", "input", "textarea", "select", "button"}


def _content(e: ElementInfo) -> bool:
    return (
        seen(e)
        and not is_screen_reader_only(e)
        and e.position not in OUT_OF_FLOW
        and (bool(e.text.strip()) or e.clickable or e.tag in _MEDIA)
    )


def _row(cap: ViewportCapture, e: ElementInfo, expected: float) -> tuple[float, float]:
    """The span e's row can use: its nearest ancestor at least as wide as e should be (three
    numbers in a padded card's row of stats share the card's width, not the screen's), else
    the viewport."""
    els, i, hops = cap.elements, e.parent, 0
    while i is not None and 0 <= i < len(els) and hops < 40:
        b = els[i].bbox
        if b.width >= expected:
            return max(0.0, b.x), min(float(cap.width), b.x + b.width)
        i, hops = els[i].parent, hops + 1
    return 0.0, float(cap.width)


def _row_cover(e: ElementInfo, others: list[ElementInfo], row: tuple[float, float]) -> float:
    """Width of the row (`row`: its left and right edge) at e's height covered by content (e
    included), in px."""
    width = row[1] - row[0]
    b = e.bbox
    spans = [(b.x, b.x + b.width)]
    for o in others:
        ob = o.bbox
        if o is e or ob.width >= USABLE * width:
            continue
        overlap = min(b.y + b.height, ob.y + ob.height) - max(b.y, ob.y)
        if overlap <= 0.5 * min(b.height, ob.height):
            continue
        if ob.x <= b.x and ob.x + ob.width >= b.x + b.width:
            continue  # a container around it, not a neighbour
        spans.append((ob.x, ob.x + ob.width))
    covered, end = 0.0, row[0]
    for a, z in sorted((max(row[0], a), min(row[1], z)) for a, z in spans):
        if z <= end:
            continue
        covered += z - max(a, end)
        end = z
    return covered


def _groups(cap: ViewportCapture) -> dict[str, tuple[ElementInfo, set[str]]]:
    """In-flow boxes holding content (or painted tiles), by selector, with what they hold: a
    board of tiles or a row of steps is content as a whole even where no piece of it is wide."""
    els = cap.elements
    inside: dict[int, set[str]] = {}
    for e in els:
        if not (_content(e) or painted(e)):
            continue
        i, hops = e.parent, 0
        while i is not None and 0 <= i < len(els) and hops < 40:
            inside.setdefault(i, set()).add(e.selector)
            i, hops = els[i].parent, hops + 1
    return {
        els[i].selector: (els[i], sel)
        for i, sel in inside.items()
        if len(sel) >= GROUP_MIN and seen(els[i]) and els[i].position not in OUT_OF_FLOW
    }


def _measured(cap: ViewportCapture, wide: ViewportCapture) -> list[tuple[ElementInfo, ElementInfo]]:
    """(element here, the same element at the widest viewport) for content and for groups of
    content that kept what they hold (a menu folded behind a button is a new design, not a
    squeezed one)."""
    at_wide = {e.selector: e for e in wide.elements if _content(e)}
    pairs = [
        (e, at_wide[e.selector]) for e in cap.elements if e.selector in at_wide and _content(e)
    ]
    wide_groups = _groups(wide)
    for sel, (e, holds) in _groups(cap).items():
        w = wide_groups.get(sel)
        if w is not None and sel not in at_wide and len(holds & w[1]) >= KEPT * len(w[1]):
            pairs.append((e, w[0]))
    return pairs


def squeezed(
    cap: ViewportCapture, wide: ViewportCapture
) -> tuple[list[tuple[ElementInfo, float]], float]:
    """(squeezed elements with the width they should have had, total expected width) at `cap`,
    against the same elements at the widest viewport `wide`."""
    # Neighbours are content and drawn boxes: a board's empty Done column beside To do and
    # Doing is a column of the layout, not empty space beside a squeezed card.
    here = [e for e in cap.elements if _content(e) or painted(e)]
    found, total = [], 0.0
    for e, w in _measured(cap, wide):
        expected = min(w.bbox.width, USABLE * cap.width)
        if expected < MIN_EXPECTED:
            continue
        total += expected
        if e.bbox.width >= SQUEEZED * expected:
            continue
        row = _row(cap, e, expected)
        if _row_cover(e, here, row) >= ROW_SHARED * (row[1] - row[0]):
            continue
        found.append((e, expected))
    return found, total


@check("responsive.squeezed", DIM, order=45)
async def squeezed_content(ctx: CheckContext) -> list[CheckResult]:
    """Per narrower viewport: the share of content (by the width it should have) squeezed into
    a strip with empty space beside it, compared with the widest viewport."""
    caps = sorted(ctx.captures.values(), key=lambda c: c.width)
    if len(caps) < 2:
        return []
    wide, out = caps[-1], []
    for cap in caps[:-1]:
        found, total = squeezed(cap, wide)
        if not total:
            continue
        share = sum(x for _, x in found) / total
        score = max(0.0, 1.0 - 1.5 * share)
        if found:
            e, x = max(found, key=lambda t: t[1])
            msg = (
                f"{cap.name}: {len(found)} element(s) squeezed into a strip with empty space "
                f"beside them ({share:.0%} of the content by width), e.g. {e.selector} is "
                f"{e.bbox.width:.0f}px wide where the screen allows {x:.0f}px — a width meant "
                "for wide screens applies here (use max-width, or reset it in a media query)"
            )
        else:
            msg = f"{cap.name}: content uses the width the screen gives it"
        out.append(
            result(
                "responsive.squeezed",
                DIM,
                score,
                msg,
                viewport=cap.name,
                severity="info" if not found else ("minor" if score >= 0.7 else "major"),
                evidence=[
                    evidence(cap, e, f"{e.bbox.width:.0f}px of {x:.0f}px") for e, x in found[:5]
                ],
                data={"squeezed": len(found), "share": round(share, 3)},
            )
        )
    return out
