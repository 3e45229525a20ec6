"""Pages built on a CDN library, judged whole (not only "did the library run"): what the
library does on screen must read as what it is. The libraries come from the test mirror, filled
from the same URLs as tests/fixtures/mirror (the `prefilled` fixture)."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.npm]

JUDGED = FIXTURES / "mirror_judged"


async def test_a_chartjs_chart_is_a_working_chart_not_a_dead_control(judge_session, prefilled):
    """Chart.js draws on the next animation frame: its hover tooltips and the redraw after the
    select swaps the data set. Counting only what a handler drew at once, the chart read as a
    canvas that "does nothing" (interaction 0.44, the page 0.76) and the select's redraw was
    not seen at all."""
    j = await judge_session.judge_full(JUDGED / "chartjs_dashboard")
    v = j.verdict
    assert v.status == "ok", v.reason
    assert not [b for b in v.blocked_requests if b.action == "blocked"], v.blocked_requests
    steps = {i.selector: i.effect for i in v.interactions}
    assert "canvas" in steps.get("#y", []), steps
    inter = {c.id: c for c in v.checks if c.dimension == "interaction"}
    for cid in ("interaction.responsive", "interaction.broken"):
        assert inter[cid].score == 1.0, (inter[cid].message, steps)


@pytest.mark.parametrize("page", ["chartjs_line", "chartjs_line_v2"])
async def test_a_chartjs_line_chart_is_not_dead_when_a_stroke_misses_its_points(
    judge_session, prefilled, page
):
    """Chart.js shows a line chart's tooltip only with the pointer on a point and redraws only
    when the active point changes: the prober's stroke across the chart met no point and drew
    nothing ("#c does nothing", the interaction checks at 0.72 and 0.85). That is the library's
    behaviour, not a page defect; the sidebar that switches views is judged as ever. Chart.js
    2 (pinned by many generated pages) has no `Chart.getChart`: its charts are found in
    `Chart.instances` (before, the same page read "'Revenue by month' does nothing", 0.88)."""
    j = await judge_session.judge_full(JUDGED / page)
    v = j.verdict
    assert v.status == "ok", v.reason
    stroke = [i for i in v.interactions if i.selector == "#c"]
    assert stroke and stroke[0].action == "draw" and not stroke[0].effect, stroke
    inter = {c.id: c for c in v.checks if c.dimension == "interaction"}
    for cid in ("interaction.responsive", "interaction.broken"):
        assert inter[cid].score == 1.0, (inter[cid].message, v.interactions)
