"""Pure helpers of the inspection checks (no browser)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from judge.checks.a11y import axe_source, penalty
from judge.checks.contrast import apca_lc, parse_colour, ratio, readability_deficit
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


def _el(sel, x, y, w, h, **kw):
    from judge.schema import ElementInfo

    return ElementInfo(
        selector=sel, tag=kw.pop("tag", "a"), bbox=BBox(x=x, y=y, width=w, height=h), **kw
    )


def test_small_tap_targets_pass_with_room_around_them_as_wcag_2_5_8_allows():
    from judge.checks.tap_targets import _undersized

    spaced = [_el(f"#n{i}", 20 + 80 * i, 10, 40, 16) for i in range(3)]
    assert _undersized(spaced) == []
    stacked = [_el(f"#s{i}", 20, 100 + 16 * i, 60, 16) for i in range(3)]
    assert [e.selector for e in _undersized(stacked)] == ["#s0", "#s1", "#s2"]
    # A small target right next to a big one: the big one is inside its 24 px circle.
    pair = [_el("#big", 0, 0, 100, 44, tag="button"), _el("#x", 102, 14, 16, 16)]
    assert [e.selector for e in _undersized(pair)] == ["#x"]


def test_chars_per_line_only_for_running_text_over_several_lines():
    from judge.checks.reading import chars_per_line

    para = "word " * 40
    ribbon = _el("p", 0, 0, 120, 26 * 8, tag="p", text=para, font_size=16)
    column = _el("p", 0, 0, 640, 26 * 3, tag="p", text=para, font_size=16)
    label = _el("span", 0, 0, 80, 20, tag="span", text="Save", font_size=16)
    assert chars_per_line(ribbon) == 15.0
    assert chars_per_line(column) == 80.0
    assert chars_per_line(label) is None


def test_pure_colour_fields_are_garish_and_accents_are_free():
    from judge.visual.palette import garishness, neon_share

    img = np.full((40, 100, 3), [1.0, 0.97, 0.94], dtype=np.float32)  # warm off-white
    img[:, :5] = [0.85, 0.28, 0.06]  # a saturated orange accent bar (not pure)
    assert neon_share(img) == 0.0
    img[:20, :] = [0.0, 1.0, 0.0]  # half the screen in CSS lime
    assert neon_share(img) == 0.5 and garishness(neon_share(img)) == 1.0
    assert garishness(0.05) == 0.0 and 0 < garishness(0.3) < 1


def test_tuned_brand_purples_are_not_pure_colour_but_css_primaries_are():
    """Tailwind's purple-600 and violet-600 reach CIELAB chroma 102 inside the gamut (a login
    page on an indigo-to-purple gradient read as 60% garish); CSS's named primaries and the
    workbench's neon palette sit on the gamut's edge."""
    from judge.visual.palette import neon_share

    def share(hexes: list[str]) -> float:
        rows = [[int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)] for h in hexes]
        return neon_share(np.array([rows], dtype=np.float32))

    brand = ["9333ea", "7c3aed", "4f46e5", "c026d3", "a855f7", "6366f1", "dc2626", "f97316"]
    assert share(brand) == 0.0
    pure = ["ff0000", "00ff00", "0000ff", "ff00ff", "ffff00", "ff00c8", "39ff14", "a100ff"]
    assert share(pure) == 1.0


def test_an_empty_shell_is_headings_and_a_panel_but_a_tile_board_is_content():
    from judge.checks.render import _shell

    panel = _el("#root", 0, 80, 500, 300, tag="div", own_background="rgb(255, 255, 255)")
    title = _el("h1", 0, 0, 300, 40, tag="h1", text="Habit tracker")
    assert _shell([title, panel])
    assert not _shell([title, panel, _el("p", 0, 400, 300, 20, tag="p", text="3 habits")])
    tiles = [
        _el(f"#t{i}", 20 * i, 0, 16, 16, tag="div", own_background="rgb(1, 2, 3)") for i in range(9)
    ]
    assert not _shell(tiles)
    assert not _shell([title, _el("my-app", 0, 50, 400, 400, tag="my-app")])

    # A loading line is the waiting state, not content; a sentence that starts alike is text.
    for waiting in ("Loading…", "Loading teas...", "Please wait", "LOADING", "Fetching data"):
        assert _shell([title, panel, _el("p", 0, 400, 300, 20, tag="p", text=waiting)]), waiting
    for text in ("Loading docks open at 9. Ring the bell.", "Loaded 3 habits"):
        assert not _shell([title, panel, _el("p", 0, 400, 300, 20, tag="p", text=text)]), text


def test_mockup_links_are_placeholders():
    from judge.checks.interaction import _placeholder

    assert _placeholder("#") and _placeholder("") and _placeholder("javascript:void(0)")
    assert not _placeholder("#about") and not _placeholder("/pricing")


def test_apca_lightness_contrast_matches_the_reference_values():
    """apca-w3's published examples: #888 on white Lc 63.1; black on white 106.0; white on
    black -107.9; identical colours 0."""
    white, black = np.array([255, 255, 255]), np.array([0, 0, 0])
    assert round(apca_lc(np.array([136, 136, 136]), white), 1) == 63.1
    assert round(apca_lc(black, white), 1) == 106.0
    assert round(apca_lc(white, black), 1) == -107.9
    assert apca_lc(white, white) == 0.0
    # readable from Lc 40, gone at Lc 15, whichever the polarity
    assert readability_deficit(-45.0) == 0.0 and readability_deficit(15.0) == 1.0
