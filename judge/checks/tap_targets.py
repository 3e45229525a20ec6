"""Tap targets on phones: controls smaller than 24×24 CSS px (WCAG 2.2 SC 2.5.8), with the
criterion's exceptions — a small target with room around it (spacing), a carousel's dots
beside its full-size previous/next controls (equivalent), links inside text (inline) — and
without what is not a target (a label's hidden box, a chart's SVG marks, a control whose
scroll-reveal has not played yet).
"""

from __future__ import annotations

import re

from judge.checks.base import CheckContext, check
from judge.checks.geometry import is_screen_reader_only
from judge.checks.responsive import DIM, TAP_MIN, mobile_captures, viewport_result
from judge.schema import CheckResult, ElementInfo


def _inline_link(e: ElementInfo, els: list[ElementInfo]) -> bool:
    """Links inside a sentence are exempt from the target-size rule (WCAG 2.5.8 'inline')."""
    return e.tag == "a" and e.parent is not None and bool(els[e.parent].text)


def _small(e: ElementInfo) -> bool:
    return e.bbox.width < TAP_MIN or e.bbox.height < TAP_MIN


def _undersized(ctrls: list[ElementInfo]) -> list[ElementInfo]:
    """Targets under 24×24 px that fail WCAG 2.5.8's spacing exception too: a small target is
    fine when a 24 px circle centred on it touches no other target (nor another small target's
    circle) — a lone slider track or a spaced-out nav link is easy to hit; a cluster is not."""
    small = [e for e in ctrls if _small(e)]
    small_ids = {id(e) for e in small}
    r = TAP_MIN / 2

    def centre(e: ElementInfo) -> tuple[float, float]:
        return e.bbox.x + e.bbox.width / 2, e.bbox.y + e.bbox.height / 2

    def crowded(e: ElementInfo) -> bool:
        cx, cy = centre(e)
        for t in ctrls:
            if t is e:
                continue
            if id(t) in small_ids:
                tx, ty = centre(t)
                if (cx - tx) ** 2 + (cy - ty) ** 2 < (2 * r) ** 2:
                    return True
            else:
                dx = max(t.bbox.x - cx, 0.0, cx - (t.bbox.x + t.bbox.width))
                dy = max(t.bbox.y - cy, 0.0, cy - (t.bbox.y + t.bbox.height))
                if dx * dx + dy * dy < r * r:
                    return True
        return False

    return [e for e in small if crowded(e)]


# Shapes inside an <svg>: a chart's bars, points and slices, which show a tooltip on hover
# (D3, Recharts) — data drawn to be read, not buttons; a chart's size is not a tap target's.
CHART_MARKS = {"rect", "circle", "ellipse", "path", "polygon", "polyline", "line", "g", "text"}


def _unrevealed(e: ElementInfo) -> bool:
    """A control not yet shown as it will be: inside something faded out, or drawn squashed
    by a transform to under half its laid-out size (a scroll-reveal's start state — AOS
    'flip-up', 'zoom-in' — that plays when a person scrolls to it). Its size is not judged."""
    if e.effective_opacity is not None and e.effective_opacity < 0.05:
        return True
    w, h = e.client_width or 0, e.client_height or 0
    return (h > 0 and e.bbox.height < 0.5 * h) or (w > 0 and e.bbox.width < 0.5 * w)


_STEPPER = re.compile(r"prev|next|arrow|chevron|‹|›|❮|❯|«|»|←|→|^\s*[<>]\s*$", re.I)


def _lineage(els: list[ElementInfo], i: int | None, n: int) -> list[int]:
    """`i` and its nearest ancestors, `n` in all (geometry.ancestors is the whole chain, without
    `i`: here the carousel is looked for close to the dots, not anywhere on the page)."""
    out: list[int] = []
    while i is not None and len(out) < n:
        out.append(i)
        i = els[i].parent
    return out


def _carousel_dots(ctrls: list[ElementInfo], els: list[ElementInfo]) -> set[int]:
    """A carousel's pagination dots (a row of three or more alike small targets without text)
    when the carousel also has previous/next controls: WCAG 2.5.8's "equivalent" exception —
    the same slides are reached through a control of full size. Returns the dots' ids."""
    rows: dict[int, list[ElementInfo]] = {}
    for e in ctrls:
        if _small(e) and len(e.text.strip()) <= 2 and e.parent is not None:
            rows.setdefault(e.parent, []).append(e)
    out: set[int] = set()
    for parent, dots in rows.items():
        w, h = dots[0].bbox.width, dots[0].bbox.height
        if len(dots) < 3 or any(
            abs(d.bbox.width - w) > 2 or abs(d.bbox.height - h) > 2 for d in dots
        ):
            continue
        scope = set(_lineage(els, parent, 4))
        for t in ctrls:
            if _small(t):  # the dots themselves among them
                continue
            said = " ".join([t.text, t.attrs.get("aria-label", ""), t.attrs.get("class", "")])
            if _STEPPER.search(said) and scope & set(_lineage(els, t.parent, 6)):
                out |= {id(d) for d in dots}
                break
    return out


@check("responsive.tap_targets", DIM, order=41)
async def tap_targets(ctx: CheckContext) -> list[CheckResult]:
    """Phone viewports: controls smaller than 24×24 CSS px."""
    out = []
    for cap in mobile_captures(ctx):
        els = cap.elements
        labelled = {e.attrs.get("for") for e in els if e.tag == "label"}
        ctrls = []
        for e in els:
            if not (e.clickable and e.visible) or is_screen_reader_only(e) or e.tag == "label":
                continue
            if e.attrs.get("type") in ("checkbox", "radio") and (
                e.attrs.get("id") in labelled
                or (e.parent is not None and els[e.parent].tag == "label")
            ):
                continue  # the label is the target
            if _inline_link(e, els) or _unrevealed(e) or e.tag in CHART_MARKS:
                continue
            ctrls.append(e)
        dots = _carousel_dots(ctrls, els)
        ctrls = [e for e in ctrls if id(e) not in dots]
        if not ctrls:
            continue
        bad = _undersized(ctrls)
        share = len(bad) / len(ctrls)
        score = max(0.0, 1.0 - 1.5 * share - 0.05 * min(len(bad), 4))
        msg = (
            f"{len(bad)} of {len(ctrls)} tap target(s) under {TAP_MIN}x{TAP_MIN}px, e.g. "
            f"{bad[0].selector} ({bad[0].bbox.width:.0f}x{bad[0].bbox.height:.0f})"
            if bad
            else f"all {len(ctrls)} tap targets at least {TAP_MIN}px"
        )
        out.append(
            viewport_result(
                "responsive.tap_targets",
                cap,
                score,
                msg,
                bad,
                "tap target too small",
                small=len(bad),
                total=len(ctrls),
            )
        )
    return out
