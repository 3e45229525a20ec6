"""visual.palette: pages painted in large fields of pure, screaming colour.

See judge/visual/palette.py for the measure. One result per viewport, weighed equally: a theme
that turns garish on phones only is as visible as one that is garish everywhere.
"""

from __future__ import annotations

import asyncio

from judge.checks.base import CheckContext, check, result
from judge.checks.pixels import decoded
from judge.schema import CheckResult, Evidence, ViewportCapture

DIM = "visual"
WORK_WIDTH = 160  # colour shares need no detail: a thumbnail is plenty and costs ~1 ms


def _share(cap: ViewportCapture) -> float:
    from judge.visual.features import to_array
    from judge.visual.palette import neon_share

    return neon_share(to_array(decoded(cap.screenshot), WORK_WIDTH))


@check("visual.palette", DIM, phase="capture", order=91)
async def palette(ctx: CheckContext) -> list[CheckResult]:
    """Share of the screen in pure, fully saturated colour, beyond what accents use."""
    from judge.visual.palette import FREE_SHARE, garishness

    caps = [c for c in ctx.captures.values() if c.screenshot]
    out = []
    for cap in caps:
        share = await asyncio.to_thread(_share, cap)
        bad = garishness(share)
        out.append(
            result(
                "visual.palette",
                DIM,
                1.0 - bad,
                f"{cap.name}: {share:.0%} of the screen is pure, fully saturated colour"
                + (
                    " — garish: keep loud colours for accents and use tuned hues for large areas"
                    if bad > 0
                    else f" (accents; up to {FREE_SHARE:.0%} is fine)"
                ),
                viewport=cap.name,
                weight=1.0 / len(caps),
                severity="info" if bad == 0 else ("major" if bad >= 0.5 else "minor"),
                evidence=[Evidence(viewport=cap.name, screenshot=f"{cap.name}.png")] if bad else [],
                data={"neon_share": round(share, 4)},
            )
        )
    return out
