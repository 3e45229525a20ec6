"""Pure helpers of the inspection checks (no browser)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from judge.checks.a11y import axe_source, penalty
from judge.checks.contrast import parse_colour, ratio
from judge.interact import Control, plan
from judge.schema import BBox

ROOT = Path(__file__).resolve().parents[2]


def test_contrast_ratio_matches_wcag():
    assert round(ratio(np.array([0, 0, 0]), np.array([255, 255, 255])), 1) == 21.0
    assert round(ratio(np.array([118, 118, 118]), np.array([255, 255, 255])), 2) == 4.54
    assert parse_colour("rgba(10, 20, 30, 0.5)")[1] == 0.5


def test_axe_comes_from_the_dependency_not_the_repo():
    assert "axe.run" in axe_source() or "axe" in axe_source()[:2000]
    assert not list(ROOT.glob("judge/**/axe*.js"))


def test_axe_penalty_grows_with_impact_and_nodes():
    one = [{"impact": "minor", "count": 1}]
    assert penalty(one) < penalty([{"impact": "critical", "count": 1}])
    assert penalty(one) < penalty([{"impact": "minor", "count": 8}])


def test_plan_puts_the_form_flow_and_the_field_first_and_respects_budget():
    box = BBox(x=0, y=0, width=50, height=30)
    ctrls = [
        Control("#q", "text", "input", group="#f", bbox=box),
        Control("#go", "button", "button", type="submit", group="#f", bbox=box),
        *[Control(f"#b{i}", "button", "button", group="body", bbox=box) for i in range(30)],
        Control("#hid", "button", "button", reach="covered", covered_by="#modal", bbox=box),
        Control("#later", "button", "button", reach="hidden", hidden_why="display:none"),
    ]
    p = plan(ctrls, 20)
    # The form is filled and submitted with its nearest button, then the field is typed into
    # and confirmed with Enter on its own; the submit button is not clicked again bare.
    assert [(s.action, s.control.selector) for s in p.steps[:2]] == [
        ("flow", "#go"),
        ("type", "#q"),
    ]
    assert len(p.steps) == 20
    assert [c.selector for c in p.covered] == ["#hid"]
    assert [c.selector for c in p.hidden] == ["#later"]  # hidden by design: not unreachable
    assert all(s.control.selector != "#go" for s in p.steps[2:])
