"""Design-spec layout rules: columns of the main grid per breakpoint, maximum content width,
flush-left text. Measured on the element boxes of every viewport.

`spec.columns.<viewport>`: the page's main repeated grid (the largest set of similar sibling
boxes, the same container at every width) shows the asked number of items per row.
`spec.max_width`: the share of text ink inside a band of the asked width (centred, or from the
content's left edge). `spec.align`: the share of text ink set flush-left (not centred or right).
"""

from __future__ import annotations

from judge.checks.base import CheckContext, check, result
from judge.checks.spec_measure import (
    Group,
    breakpoint_of,
    evidence,
    in_landmark,
    main_group,
    shown,
    text_weight,
)
from judge.schema import CheckResult, ViewportCapture

DIM = "spec"
EXEMPT_ALIGN = {"button", "input", "select", "textarea", "option", "td", "th", "img"}


def _grid(ctx: CheckContext) -> dict[str, Group | None]:
    """The main grid at every viewport: found at the widest, followed by its container."""
    caps = sorted(ctx.captures.values(), key=lambda c: -c.width)
    widest = main_group(caps[0])
    prefer = caps[0].elements[widest.parent].selector if widest else None
    return {c.name: main_group(c, prefer) for c in caps}


@check("spec.layout", DIM, order=93)
async def spec_layout(ctx: CheckContext) -> list[CheckResult]:
    """Columns per breakpoint, maximum width and flush-left alignment, as the prompt asks."""
    spec = ctx.spec
    if spec is None or not ctx.captures:
        return []
    lay = spec.layout
    out: list[CheckResult] = []
    if lay.columns:
        out += _columns(ctx, {c.breakpoint: c.columns for c in lay.columns})
    if lay.max_width is not None:
        out += _max_width(ctx, lay.max_width)
    if lay.align == "left":
        out += _align(ctx)
    return out


def _columns(ctx: CheckContext, asked: dict[str, int]) -> list[CheckResult]:
    grids = _grid(ctx)
    out = []
    for name, cap in ctx.captures.items():
        want = asked.get(breakpoint_of(name, cap.width))
        if want is None:
            continue
        rid = f"spec.columns.{name}"
        g = grids.get(name)
        if g is None:
            out.append(
                result(
                    rid,
                    DIM,
                    0.0,
                    f"no repeated grid found; {want} column(s) asked",
                    viewport=name,
                    weight=1.5,
                    severity="major",
                )  # fmt: skip
            )
            continue
        got = g.columns(cap)
        parent = cap.elements[g.parent]
        if len(g.items) < want and got == len(g.items):
            got = parent.grid_columns or got  # fewer items than columns: the template says
        score = 1.0 if got == want else 0.0
        out.append(
            result(
                rid,
                DIM,
                score,
                f"{got} column(s) at {name}; the prompt asks for {want}",
                viewport=name,
                weight=1.5,
                severity="info" if score == 1 else "major",
                evidence=[evidence(cap, parent, f"{len(g.items)} items, {got} per row")],
                data={"columns": got, "asked": want, "items": len(g.items)},
            )
        )
    return out


def _text_elements(cap: ViewportCapture, *, content_only: bool = False) -> list:
    return [
        e
        for i, e in enumerate(cap.elements)
        if shown(e)
        and len(e.text) >= 3
        and e.tag not in ("option", "script")
        and not (content_only and in_landmark(cap, i))
    ]


def _max_width(ctx: CheckContext, max_w: float) -> list[CheckResult]:
    out = []
    for name, cap in ctx.captures.items():
        if cap.width <= max_w + 32:
            continue  # the viewport itself is narrower than the limit
        # The content column: navigation, sidebars, header and footer may run full width.
        els = _text_elements(cap, content_only=True)
        total = sum(text_weight(e) for e in els)
        if total <= 0:
            continue
        left = min((e.bbox.x for e in els), default=0.0)
        bands = [
            ((cap.width - max_w) / 2 - 8, (cap.width + max_w) / 2 + 8),
            (left - 8, left + max_w + 8),
        ]
        best, worst_ev = 0.0, []
        for lo, hi in bands:
            inside = [e for e in els if e.bbox.x >= lo and e.bbox.x + e.bbox.width <= hi]
            s = sum(text_weight(e) for e in inside) / total
            if s > best:
                best = s
                outside = [e for e in els if e not in inside]
                outside.sort(key=lambda e: (-e.bbox.width, e.selector))
                worst_ev = [evidence(cap, e, f"{e.bbox.width:.0f}px wide") for e in outside[:3]]
        # How wide the content actually runs (text-weighted 2nd..98th percentile of its edges):
        # a limit is a limit, so running past it by a tenth of it scores nothing.
        extent = _quantile(els, lambda e: e.bbox.x + e.bbox.width, 0.98) - _quantile(
            els, lambda e: e.bbox.x, 0.02
        )
        over = max(0.0, extent - max_w - 16)
        score = best * max(0.0, 1 - over / (0.1 * max_w))
        out.append(
            result(
                "spec.max_width",
                DIM,
                score,
                f"the content runs {extent:.0f}px wide at {name} ({best:.0%} of the text within "
                f"the {max_w:.0f}px max width)",
                viewport=name,
                weight=1.0,
                severity="info" if score >= 0.9 else "major" if score < 0.5 else "minor",
                evidence=worst_ev if score < 1 else [],
                data={"share": round(best, 4), "extent": round(extent, 1), "max_width": max_w},
            )
        )
    return out


def _quantile(els: list, edge, q: float) -> float:
    """Text-weighted quantile of an edge coordinate."""
    pairs = sorted((edge(e), text_weight(e)) for e in els)
    total = sum(w for _, w in pairs)
    acc = 0.0
    for x, w in pairs:
        acc += w
        if acc >= q * total:
            return x
    return pairs[-1][0]


def _centred(e) -> bool:
    # Computed text-align only: boxes centred by flex or margins are not measured (fewer
    # findings rather than a padded card read as "centred").
    return e.text_align in ("center", "-webkit-center", "right", "end", "-webkit-right")


def _align(ctx: CheckContext) -> list[CheckResult]:
    good = total = 0.0
    ev = []
    for cap in ctx.captures.values():
        for e in _text_elements(cap):
            if e.tag in EXEMPT_ALIGN or e.clickable and e.tag != "a":
                continue
            w = text_weight(e)
            total += w
            if not _centred(e):
                good += w
            elif len(ev) < 4:
                ev.append(evidence(cap, e, f"text-align {e.text_align}: {e.text[:50]!r}"))
    if total <= 0:
        return []
    s = good / total
    return [
        result(
            "spec.align",
            DIM,
            s,
            f"{s:.0%} of the text is set flush-left, as asked",
            weight=1.0,
            severity="info" if s >= 0.9 else "major" if s < 0.5 else "minor",
            evidence=ev,
            data={"share": round(s, 4)},
        )
    ]
