"""Reading measure: running text wrapped into lines too short to read.

Typography's rule of thumb puts a comfortable line at 45–75 characters; below about 20 the eye
jumps back at every few words and a paragraph turns into a ribbon. A layout rule that leaks
into the wrong breakpoint (a sidebar's width applied to the main column on phones), or a
container squeezed by its neighbours, produces exactly that, while every element is still
"visible" and nothing overflows — so no other check sees it.

Per viewport, each paragraph-like text (its own text ≥ 40 characters, wrapped over ≥ 3 lines)
gets an estimated characters-per-line from the width its text runs take (average glyph ≈ half
the font size); text under CPL_MIN counts against the page by its length.
"""

from __future__ import annotations

from judge.checks.base import CheckContext, check, result
from judge.checks.geometry import evidence, ink, is_screen_reader_only, seen
from judge.schema import CheckResult, ElementInfo

DIM = "responsive"
CPL_MIN = 20  # characters per line below which running text is cramped ...
CPL_RIBBON = 10  # ... and at which it is a ribbon of a word or two per line
MIN_CHARS = 40
MIN_LINES = 3
GLYPH_EM = 0.5  # average Latin glyph width in ems
LINE_EM = 1.6  # generous line height: fewer counted lines, fewer texts judged


def chars_per_line(e: ElementInfo) -> float | None:
    """Estimated characters per line of a wrapped text element; None if it is not running
    text over several lines (a label, a heading on one line)."""
    fs = e.font_size or 16
    # The lines as laid out, not the part in view: a card half scrolled out of a carousel row
    # has lines as long as its neighbours'.
    box = e.text_box or ink(e)
    if len(e.text) < MIN_CHARS or box.height < MIN_LINES * LINE_EM * fs * 0.9:
        return None
    return box.width / (GLYPH_EM * fs)


def narrowness(cpl: float) -> float:
    """0 at CPL_MIN characters per line or more, 1 at CPL_RIBBON or fewer."""
    return min(1.0, max(0.0, (CPL_MIN - cpl) / (CPL_MIN - CPL_RIBBON)))


@check("responsive.cramped", DIM, order=45)
async def cramped(ctx: CheckContext) -> list[CheckResult]:
    """Running text squeezed into lines of a few words, weighed by how much text it is."""
    out = []
    weight = 1.0 / max(1, len(ctx.captures))
    for cap in ctx.captures.values():
        judged: list[tuple[ElementInfo, float]] = []
        for e in cap.elements:
            if not seen(e) or is_screen_reader_only(e) or e.tag in ("input", "textarea"):
                continue
            cpl = chars_per_line(e)
            if cpl is not None:
                judged.append((e, cpl))
        if not judged:
            continue
        total = sum(len(e.text) for e, _ in judged)
        bad = sorted((m for m in judged if m[1] < CPL_MIN), key=lambda m: m[1])
        # How cramped, not only whether: a card's 19-character lines at a breakpoint are a
        # near miss a reader barely minds, a column of single words is unreadable.
        share = sum(len(e.text) * narrowness(c) for e, c in bad) / total
        score = 1.0 - min(1.0, share / 0.5)
        e0, c0 = bad[0] if bad else (None, 0.0)
        msg = (
            f"{cap.name}: {len(bad)} of {len(judged)} paragraph(s) wrapped into lines of about "
            f"{c0:.0f} characters, e.g. {e0.selector} ({e0.bbox.width:.0f}px wide) — give the "
            "text column more width at this size"
            if e0 is not None
            else f"{cap.name}: running text has room ({len(judged)} paragraph(s) measured)"
        )
        out.append(
            result(
                "responsive.cramped",
                DIM,
                score,
                msg,
                viewport=cap.name,
                weight=weight,
                severity="info" if not bad else ("major" if score < 0.5 else "minor"),
                evidence=[
                    evidence(cap, e, f"about {c:.0f} characters per line") for e, c in bad[:5]
                ],
                data={"paragraphs": len(judged), "cramped": len(bad), "share": round(share, 3)},
            )
        )
    return out
