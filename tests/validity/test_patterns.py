"""The patterns of issue 11 ("Why"), each on small pages of our own (tests/fixtures/validity/).

Each failed with the scoring before the issue-11 rebuild (they were marked xfail(strict) until
the rebuild made them pass).
"""

from __future__ import annotations

import pytest


def _v(judgments, key):
    v = judgments[key].verdict
    assert v.status == "ok", (key, v.status, v.reason)
    return v


def _failing(v, check_id):
    return [c for c in v.checks if c.id == check_id and c.score is not None and c.score < 1]


@pytest.mark.browser
async def test_wiped_ui_really_is_wiped_and_raises(validity_judgments):
    """Sanity of the fixture: the crash leaves the header only and raises an uncaught TypeError."""
    v = _v(validity_judgments, "crash/wiped")
    exc = [c for c in v.checks if c.id == "runtime.exceptions"]
    assert exc and exc[0].score < 1 and "reading 'map'" in exc[0].message
    cap = validity_judgments["crash/wiped"].captures["desktop"]
    texts = " ".join(e.text for e in cap.elements if e.visible)
    assert "Reading list" in texts and "Middlemarch" not in texts


@pytest.mark.browser
async def test_ui_wiped_by_exception_scores_below_working_original(validity_judgments):
    working = _v(validity_judgments, "crash/working")
    wiped = _v(validity_judgments, "crash/wiped")
    assert wiped.score < working.score - 0.05, (working.score, wiped.score)


# Two pages: an article (much text, the footnote is a small share of it) and a small app (little
# text, so one line of small print is a large share of the characters). Counting characters
# instead of weighing what a reader sees failed one of the two tests on each page.
@pytest.mark.browser
@pytest.mark.parametrize("page", ["article", "textapp"])
async def test_seven_px_text_scores_well_below_normal_text(validity_judgments, page):
    normal = _v(validity_judgments, f"{page}/normal")
    seven = _v(validity_judgments, f"{page}/seven_px")
    assert seven.score <= normal.score - 0.1, (normal.score, seven.score)


@pytest.mark.browser
@pytest.mark.parametrize("page", ["article", "textapp"])
async def test_one_line_of_footer_small_print_costs_little(validity_judgments, page):
    normal = _v(validity_judgments, f"{page}/normal")
    footnote = _v(validity_judgments, f"{page}/footnote")
    assert footnote.score >= normal.score - 0.03, (normal.score, footnote.score)


@pytest.mark.browser
async def test_controls_hidden_until_there_is_data_are_not_unreachable(validity_judgments):
    """The to-do's filter links and 'Clear completed' are hidden until a todo exists."""
    v = _v(validity_judgments, "todo/working")
    hidden_by_design = (".filters", "#clear", "clear-completed", "#/active", "#/completed")
    for c in _failing(v, "interaction.reachable"):
        named = [e.selector or "" for e in c.evidence] + [c.message]
        assert not any(h in s for h in hidden_by_design for s in named), c.message


@pytest.mark.browser
async def test_text_field_enter_flow_is_exercised(validity_judgments):
    """The prober types into the to-do field, presses Enter and sees the todo appear."""
    v = _v(validity_judgments, "todo/working")
    typed = [
        i for i in v.interactions if i.selector == "#new-todo" and i.action in ("type", "flow")
    ]
    assert typed, [(i.action, i.selector, i.effect) for i in v.interactions]
    effects = [e for i in typed for e in i.effect]
    assert any(e.startswith("enter:") and e != "enter:nothing" for e in effects), effects
    assert any(e.startswith("result:") for e in effects), effects


@pytest.mark.browser
async def test_enter_that_does_nothing_is_caught_and_named(validity_judgments):
    working = _v(validity_judgments, "todo/working")
    broken = _v(validity_judgments, "todo/enter_broken")
    assert broken.score < working.score - 0.02, (working.score, broken.score)
    named = [
        (c.message, e.selector or "")
        for c in broken.checks
        if c.dimension == "interaction" and c.score is not None and c.score < 1
        for e in c.evidence
    ]
    assert any("#new-todo" in sel and "Enter" in msg for msg, sel in named), named


@pytest.mark.browser
async def test_footer_positioned_over_the_input_is_caught_by_overlap(validity_judgments):
    working = _v(validity_judgments, "todo/working")
    covered = _v(validity_judgments, "todo/footer_over_input")
    assert not _failing(working, "layout.overlap")
    hits = _failing(covered, "layout.overlap")
    assert hits, [(c.id, c.viewport, c.score) for c in covered.checks]
    selectors = {e.selector or "" for c in hits for e in c.evidence}
    assert any("new-todo" in s for s in selectors), selectors
    assert any("footer" in s for s in selectors), selectors
    assert covered.score < working.score, (working.score, covered.score)
