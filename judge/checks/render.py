"""Render checks: is anything meaningful painted at each viewport?"""

from __future__ import annotations

import re

import numpy as np
from PIL import Image

from judge.checks.base import CheckContext, check, result
from judge.checks.geometry import OUT_OF_FLOW, area
from judge.checks.pixels import decoded
from judge.schema import CheckResult, ElementInfo, Evidence

DIM = "render"
_MEDIA = {"img", "svg", "canvas", "video", "picture", "iframe"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
PANEL = 120 * 120  # px²: a drawn box this big with nothing in it is an empty panel, not a tile
# A short "Loading…" / "Please wait" line: the waiting state of content that has not come, not
# content (an app whose data never arrives shows it for ever).
_WAITING = re.compile(
    r"^\W*(loading|please wait|fetching|one moment|just a moment|initiali[sz]ing|connecting)"
    r"\b[^.!?\n]{0,40}[.!…]*\W*$",
    re.IGNORECASE,
)


def uniformity(png: bytes) -> float:
    """Share of pixels equal (within a small tolerance) to the most common colour."""
    img = decoded(png).resize((96, 96), Image.Resampling.BOX)
    px = (np.asarray(img, dtype=np.int32) // 8).reshape(-1, 3)
    # One integer per 5-bit colour: counting those is a bincount, not a row-wise sort.
    counts = np.bincount((px[:, 0] << 10) | (px[:, 1] << 5) | px[:, 2])
    return float(counts.max() / len(px))


@check(
    "render.blank",
    DIM,
    kinds=("page", "image"),
    order=10,
    gates=("mostly_blank_cap",),
    may_be_fatal=True,
)
async def blank(ctx: CheckContext) -> list[CheckResult]:
    """Blank or near-uniform viewport (nothing painted above the fold)."""
    out, blank_count, empty_count = [], 0, 0
    for cap in ctx.captures.values():
        u = uniformity(cap.screenshot)
        # Pixels alone misjudge a sparse page (a line of text on white): visible text or media
        # in the viewport means something was painted.
        painted = any(
            e.visible and e.in_viewport and (e.text or e.tag in _MEDIA) for e in cap.elements
        )
        is_blank = u >= 0.995 and not painted
        blank_count += is_blank
        # A live page that measured no element and shows no text has nothing on it; an image
        # input has no elements to measure at all.
        bare = ctx.page is not None and cap.body_text_length == 0
        shell = not is_blank and _shell(cap.elements, none_is_empty=bare)
        empty_count += shell
        if is_blank:
            msg = f"{cap.name}: nothing painted above the fold ({u:.1%} one colour)"
            score = 0.0
        elif shell:
            msg = (
                f"{cap.name}: nothing to read, use or look at — no text but headings, no "
                "controls, no images anywhere on the page (only background decoration and "
                "empty panels)"
            )
            score = 0.1
        elif u >= 0.985 and not painted:
            msg, score = f"{cap.name}: almost empty above the fold ({u:.1%} one colour)", 0.7
        else:
            msg, score = f"{cap.name}: content painted", 1.0
        ev = [Evidence(viewport=cap.name, screenshot=f"{cap.name}.png", detail=f"{u:.3f}")]
        out.append(
            result(
                "render.blank",
                DIM,
                score,
                msg,
                viewport=cap.name,
                severity="critical" if is_blank else ("minor" if score < 1 else "info"),
                evidence=ev if score < 1 else [],
                data={"uniformity": round(u, 4)},
            )
        )
    if ctx.captures and blank_count == len(ctx.captures):
        out.append(
            result(
                "render.fatal",
                DIM,
                0.0,
                "the page paints nothing at any viewport",
                severity="critical",
                fatal=True,
            )
        )
    elif ctx.captures and blank_count + empty_count == len(ctx.captures):
        out.append(
            result(
                "render.partial",
                DIM,
                0.1,
                "the page shows no content at any viewport: its main UI is empty",
                severity="critical",
                gate="mostly_blank_cap",
            )
        )
    elif blank_count:
        out.append(
            result(
                "render.partial",
                DIM,
                0.3,
                f"blank at {blank_count} of {len(ctx.captures)} viewports",
                severity="major",
                gate="mostly_blank_cap",
            )
        )
    return out


def _shell(elements: list[ElementInfo], *, none_is_empty: bool = False) -> bool:
    """An empty shell: no text but headings or a loading message, no control, no image or
    canvas, and fewer than three drawn tiles (a board of coloured tiles is content; background
    panels and cards with nothing in them — a grid of empty card frames whose data never came —
    are not), and fewer than three headings.
    What a page whose app rendered nothing — or was emptied — leaves on screen. A live page
    with no element at all and no text is one too, however rich its background gradient
    (pixels alone called such a page "painted"); an image input has no elements to measure,
    so there pixels decide."""
    if not elements:
        return none_is_empty
    shapes = headings = 0
    for e in elements:
        if not e.visible:
            continue
        if e.clickable or e.tag in _MEDIA or "url(" in (e.background_image or ""):
            return False
        if "-" in e.tag and e.bbox.width * e.bbox.height >= 100:
            return False  # a custom element: its shadow DOM is not measured, assume content
        text = e.text.strip()
        if _WAITING.match(text):
            continue  # a loading message (and the box it sits in) shows nothing yet
        if text and e.tag not in _HEADINGS and e.tag not in ("input", "textarea", "option"):
            return False
        headings += bool(text and e.tag in _HEADINGS)
        drawn = e.own_background or e.border_width > 0 or e.background_image
        shapes += bool(not text and drawn and 100 <= e.bbox.width * e.bbox.height < PANEL)
    # A title and a subtitle are what an emptied app keeps; many headings are a page's
    # structure (cards or sections titled "Content" in a layout demo).
    return shapes < 3 and headings < 3


def _overlay_roots(elements: list[ElementInfo]) -> dict[str, str]:
    """Selector -> the fixed or absolute box it sits in (the nearest): text hidden behind an
    overlay's spinner and behind the overlay itself is hidden by one overlay, not two."""
    out: dict[str, str] = {}
    for e in elements:
        i, hops = e.parent, 0
        while (
            e.position not in OUT_OF_FLOW and i is not None and 0 <= i < len(elements) and hops < 40
        ):
            if elements[i].position in OUT_OF_FLOW:
                out[e.selector] = elements[i].selector
                break
            i, hops = elements[i].parent, hops + 1
    return out


@check("render.overlay", DIM, order=12)
async def overlay(ctx: CheckContext) -> list[CheckResult]:
    """Content hidden behind an overlay: one element covers most of the viewport and the text.

    A dialog over the page on load that the judge closed (judge.dialogs) is not hiding the
    page — the captures show what is behind it — but it is what a visitor met first: noted."""
    out = []
    d = ctx.events.blocking_dialog
    if d is not None and d.closed:
        out.append(
            result(
                "render.overlay",
                DIM,
                0.8,
                f"a dialog covered the page on load ('{d.text[:60]}'); closed with "
                f"'{d.control}', the page behind it is judged",
                severity="minor",
                evidence=[Evidence(selector=d.dialog, detail=f"closed with '{d.control}'")],
            )
        )
    for cap in ctx.captures.values():
        vp_area = cap.width * cap.height
        covered = [e for e in cap.elements if e.covered_by and (e.text or e.clickable)]
        root = _overlay_roots(cap.elements)
        blockers: dict[str, int] = {}
        for e in covered:
            sel = root.get(e.covered_by or "", e.covered_by or "")
            blockers[sel] = blockers.get(sel, 0) + 1
        texts = [e for e in cap.elements if e.in_viewport and (e.text or e.clickable) and e.visible]
        worst = max(blockers.items(), key=lambda kv: kv[1], default=None)
        if worst and texts and worst[1] >= max(3, 0.5 * len(texts)):
            sel = worst[0]
            box = next((e.bbox for e in cap.elements if e.selector == sel), None)
            if box is None or area(box) >= 0.4 * vp_area:
                out.append(
                    result(
                        "render.overlay",
                        DIM,
                        0.2,
                        f"{cap.name}: {worst[1]} of {len(texts)} text/controls hidden behind {sel}"
                        + (
                            f" (its '{d.control}' does not close it)"
                            if d is not None and not d.closed
                            else ""
                        ),
                        viewport=cap.name,
                        severity="major",
                        evidence=[
                            Evidence(
                                viewport=cap.name,
                                selector=sel,
                                bbox=box,
                                screenshot=f"{cap.name}.png",
                            )
                        ],
                    )
                )
                continue
        out.append(
            result(
                "render.overlay", DIM, 1.0, f"{cap.name}: no covering overlay", viewport=cap.name
            )
        )
    return out
