"""The patterns of issue 11 ("Why"), each on small pages of our own (tests/fixtures/validity/).

Each failed with the scoring before the issue-11 rebuild (they were marked xfail(strict) until
the rebuild made them pass).
"""

from __future__ import annotations

import pytest

# The first test to ask for `validity_judgments` judges every page under
# tests/fixtures/validity (over a hundred, two at a time): its set-up alone takes minutes.
pytestmark = pytest.mark.timeout(900)


def _v(judgments, key):
    v = judgments[key].verdict
    assert v.status == "ok", (key, v.status, v.reason)
    return v


def _inter(v):
    """The interaction checks' results (for assertion messages)."""
    return [(c.id, c.score, c.message) for c in v.checks if c.dimension == "interaction"]


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
    # Nobody can read it at any width: capped like a crash, which 11 px small print is not.
    assert "unreadable_text_cap" in seven.gates and not normal.gates, (seven.gates, normal.gates)


@pytest.mark.browser
@pytest.mark.parametrize("page", ["article", "textapp"])
async def test_one_line_of_footer_small_print_costs_little(validity_judgments, page):
    normal = _v(validity_judgments, f"{page}/normal")
    footnote = _v(validity_judgments, f"{page}/footnote")
    assert "unreadable_text_cap" not in footnote.gates, footnote.gates
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


def _check(v, check_id):
    return [c for c in v.checks if c.id == check_id and c.score is not None]


def _passes(v, check_id):
    """The check ran and found nothing."""
    assert _check(v, check_id) and not _failing(v, check_id), [
        c.message for c in _check(v, check_id)
    ]


def _flags(v, check_id, needle):
    """The check found something, naming `needle` in its message."""
    assert any(needle in c.message for c in _failing(v, check_id)), [
        c.message for c in _check(v, check_id)
    ]


@pytest.mark.browser
async def test_emptied_app_is_an_empty_shell_and_scores_far_below(validity_judgments):
    """The panel renders nothing (an inverted guard; no error): a heading and an empty card
    are left. Pixels alone call that 'content painted'; it must not pass as content."""
    working = _v(validity_judgments, "shell/working")
    emptied = _v(validity_judgments, "shell/emptied")
    assert not [c for c in _check(working, "render.blank") if c.score < 1]
    shell = [c for c in _check(emptied, "render.blank") if "nothing to read" in c.message]
    assert len(shell) == 3, [c.message for c in emptied.checks if c.id.startswith("render")]
    assert emptied.score <= 0.3 < working.score, (working.score, emptied.score)


@pytest.mark.browser
async def test_text_squeezed_into_a_ribbon_on_phones_is_caught(validity_judgments):
    """A sidebar's 34% width leaks into the phone layout: paragraphs wrap every few words."""
    normal = _v(validity_judgments, "squeeze/normal")
    squeezed = _v(validity_judgments, "squeeze/squeezed")
    assert all(c.score == 1 for c in _check(normal, "responsive.cramped"))
    phone = [c for c in _check(squeezed, "responsive.cramped") if c.viewport == "mobile"]
    assert phone and phone[0].score < 0.5, [c.message for c in phone]
    wide = [c for c in _check(squeezed, "responsive.cramped") if c.viewport != "mobile"]
    assert wide and all(c.score == 1 for c in wide)
    assert squeezed.score < normal.score - 0.02, (normal.score, squeezed.score)


@pytest.mark.browser
async def test_garish_theme_scores_below_and_an_accent_costs_nothing(validity_judgments):
    """Pure named colours (lime, magenta, yellow, red) on every panel vs a tuned warm palette
    with one saturated orange button."""
    normal = _v(validity_judgments, "neon/normal")
    garish = _v(validity_judgments, "neon/garish")
    assert all(c.score == 1 for c in _check(normal, "visual.palette"))
    assert all(c.score == 0 for c in _check(garish, "visual.palette"))
    assert garish.dimensions["visual"] < normal.dimensions["visual"] - 0.3
    assert garish.score < normal.score - 0.05, (normal.score, garish.score)


@pytest.mark.browser
async def test_main_field_taken_away_scores_below_the_working_page(validity_judgments):
    """A stray display:none hides the directory's search field: nothing is left that could fail,
    which must not make the page look better than the working one."""
    working = _v(validity_judgments, "hiddenfield/working")
    hidden = _v(validity_judgments, "hiddenfield/hidden")
    assert any(i.selector == "#q" for i in working.interactions)
    gone = _check(hidden, "interaction.disabled")
    assert gone and gone[0].score < 0.5 and "'Search'" in gone[0].message, gone
    assert any(e.selector == "#q" for e in gone[0].evidence), gone[0].evidence
    assert hidden.score < working.score - 0.05, (working.score, hidden.score)


@pytest.mark.browser
async def test_live_api_failing_in_the_sandbox_is_not_the_pages_fault(validity_judgments):
    """The lookup calls an outside weather API (blocked while judging) and does not catch the
    failure: with its API it would work, so neither the exception nor the silent form costs."""
    v = _v(validity_judgments, "fp/offline_api")
    assert [i for i in v.interactions if i.blocked], v.interactions
    for cid in ("runtime.exceptions", "interaction.errors", "interaction.flow"):
        assert not [c for c in _check(v, cid) if c.score < 1], [c.message for c in v.checks]


@pytest.mark.browser
async def test_radio_group_spaced_links_and_mockup_links_are_not_findings(validity_judgments):
    """Four radios are one Tab stop (no 'focus trap'); 14px nav links far apart pass WCAG
    2.5.8's spacing exception; href="#" links of a mock-up are not broken controls."""
    v = _v(validity_judgments, "fp/quiz_mockup")
    for cid in ("a11y.keyboard", "responsive.tap_targets", "interaction.broken"):
        bad = [c for c in _check(v, cid) if c.score < 1]
        assert not bad, [(c.id, c.message) for c in bad]
    assert [c for c in _check(v, "interaction.responsive") if c.score == 1]


# A page with hardly any text (a timer): one grey line of small print is a blemish, while the
# same page with its heading and time faded is hard to read however little text it has.
@pytest.mark.browser
async def test_grey_footnote_on_a_sparse_page_costs_little(validity_judgments):
    clean = _v(validity_judgments, "sparse/clean")
    grey = _v(validity_judgments, "sparse/greynote")
    assert _failing(grey, "a11y.contrast"), "the grey footnote is still noted"
    assert grey.score >= clean.score - 0.03, (clean.score, grey.score)


@pytest.mark.browser
async def test_faded_main_text_on_a_sparse_page_is_caught(validity_judgments):
    clean = _v(validity_judgments, "sparse/clean")
    faded = _v(validity_judgments, "sparse/faded")
    scores = [c.score for c in faded.checks if c.id == "a11y.contrast"]
    assert scores and max(scores) < 0.5, scores
    assert faded.score <= clean.score - 0.05, (clean.score, faded.score)


@pytest.mark.browser
async def test_blocks_nudged_off_their_shared_edges_are_caught(validity_judgments):
    """The same settings page, tidy and with five stray nudges of 5-8px (a stat tile, a card, a
    heading, a label, a button). The tidy page's centred hero, indented quote and flex/grid rows
    are not findings; the nudged page loses a little, and says which block is off."""
    tidy = _v(validity_judgments, "align/tidy")
    nudged = _v(validity_judgments, "align/nudged")
    assert _check(tidy, "layout.alignment") and all(
        c.score == 1 for c in _check(tidy, "layout.alignment")
    )
    off = _failing(nudged, "layout.alignment")
    assert {c.viewport for c in off} == {"mobile", "tablet", "desktop"}
    desktop = next(c for c in off if c.viewport == "desktop")
    assert desktop.data["near_misses"] >= 4 and "px off" in desktop.message
    assert nudged.score < tidy.score - 0.01, (tidy.score, nudged.score)
    # cosmetic: it must not cost what a broken page costs
    assert nudged.score > tidy.score - 0.15, (tidy.score, nudged.score)


@pytest.mark.browser
async def test_hand_timed_double_click_to_like_is_seen_working(validity_judgments):
    """A photo that likes on two clicks less than 0.8 s apart (timed with Date): the tester's
    retry is a quick double click, so the like shows and the photo is not a dead control."""
    v = _v(validity_judgments, "fp/double_tap")
    responsive = _check(v, "interaction.responsive")
    assert responsive and all(c.score == 1 for c in responsive), [c.message for c in responsive]
    assert not _failing(v, "interaction.broken"), [c.message for c in v.checks]


@pytest.mark.browser
async def test_app_that_renders_nothing_on_a_gradient_is_an_empty_shell(validity_judgments):
    """No element at all on a gradient background: the pixels vary (a gradient is not one
    colour), yet there is nothing to read, use or look at. It scored 0.99 as "content painted"
    (three real apps' emptied variants beat their originals that way)."""
    bare = _v(validity_judgments, "shell/bare")
    working = _v(validity_judgments, "shell/working")
    shell = [c for c in _check(bare, "render.blank") if "nothing to read" in c.message]
    assert len(shell) == 3, [c.message for c in bare.checks if c.id.startswith("render")]
    assert bare.score <= 0.3 < working.score, (working.score, bare.score)


@pytest.mark.browser
async def test_slide_in_cards_and_menus_are_not_off_screen_but_a_pushed_paragraph_is(
    validity_judgments,
):
    """An off-canvas menu and cards that slide in when scrolled to are moved out of sight by a
    transform on purpose (a real app lost 0.3 that way); a paragraph a stray negative margin
    pushed past the left edge is gone for good."""
    reveal = _v(validity_judgments, "offscreen/reveal")
    pushed = _v(validity_judgments, "offscreen/pushed")
    assert not _failing(reveal, "layout.offscreen"), [c.message for c in reveal.checks]
    # two cards wait past the right edge of a section a few px wider than a phone: moved
    # there by their transform, not cut off by a layout too wide for the screen
    assert not _failing(reveal, "responsive.fixed_width"), [c.message for c in reveal.checks]
    off = _failing(pushed, "layout.offscreen")
    assert len(off) == 3 and all("#story > p" in c.message for c in off), off
    assert pushed.score < reveal.score, (reveal.score, pushed.score)


@pytest.mark.browser
async def test_content_squeezed_into_a_strip_on_phones_is_caught_and_columns_are_not(
    validity_judgments,
):
    """A shop whose phone layout shows two cards per row and a three-column table: narrower
    than on desktop by design, each sharing its row. The same page with a sidebar width leaking
    into the phone layout (main at 36%): cards and table in a strip, the rest of the row empty."""
    columns = _v(validity_judgments, "squeeze/columns")
    strip = _v(validity_judgments, "squeeze/strip")
    assert _check(columns, "responsive.squeezed") and not _failing(columns, "responsive.squeezed")
    bad = _failing(strip, "responsive.squeezed")
    assert [c.viewport for c in bad] == ["mobile"], [(c.viewport, c.message) for c in bad]
    assert bad[0].score < 0.7 and "squeezed into a strip" in bad[0].message
    # A cost in the total, not a tie: its size depends on the other dimensions' weight (0.019
    # with the refitted visual model, which rates this demo shop about average).
    assert strip.score < columns.score - 0.01, (columns.score, strip.score)
    # the ribbon page of the test above is this check's finding too
    ribbon = _failing(_v(validity_judgments, "squeeze/squeezed"), "responsive.squeezed")
    assert [c.viewport for c in ribbon] == ["mobile"]


@pytest.mark.browser
async def test_a_board_with_an_empty_column_is_columns_not_a_squeezed_strip(validity_judgments):
    """A kanban board keeps its three columns on a tablet; its Done column is empty. The empty
    column is drawn (a panel) and is a column of the layout: the cards beside it are not
    squeezed into a strip with empty space beside them (it read so at the tablet width, the
    responsive dimension 0.83)."""
    v = _v(validity_judgments, "squeeze/kanban")
    got = _check(v, "responsive.squeezed")
    assert got and not _failing(v, "responsive.squeezed"), [(c.viewport, c.message) for c in got]


@pytest.mark.browser
async def test_a_board_of_tiles_squeezed_on_phones_is_caught_and_a_folded_menu_is_not(
    validity_judgments,
):
    """A game board of text-less tiles (at most 420px wide) is content as a whole; a sidebar
    width leaking into the phone layout leaves it a 119px strip. The header's menu folding
    behind a button on phones is a different design for phones, not a squeezed one."""
    board = _v(validity_judgments, "squeeze/board")
    strip = _v(validity_judgments, "squeeze/board_strip")
    assert _check(board, "responsive.squeezed") and not _failing(board, "responsive.squeezed")
    bad = _failing(strip, "responsive.squeezed")
    assert [c.viewport for c in bad] == ["mobile"], [(c.viewport, c.message) for c in bad]
    assert "#board" in bad[0].message and bad[0].score < 0.7, bad[0].message
    assert strip.score < board.score - 0.02, (board.score, strip.score)


@pytest.mark.browser
async def test_a_board_of_tiles_cut_off_at_a_phones_edge_is_caught(validity_judgments):
    """The board given a 560px minimum width on phones while the page clips what sticks out:
    its text-less hover tiles are cut off at the screen's edge, which no scrolling reaches."""
    board = _v(validity_judgments, "squeeze/board")
    wide = _v(validity_judgments, "squeeze/board_wide")
    assert not _failing(board, "responsive.fixed_width")
    bad = _failing(wide, "responsive.fixed_width")
    assert [c.viewport for c in bad] == ["mobile"], [(c.viewport, c.message) for c in bad]
    assert "#board" in bad[0].message, bad[0].message
    assert wide.score < board.score - 0.02, (board.score, wide.score)


@pytest.mark.browser
async def test_a_demo_forms_unread_field_is_not_a_dead_control(validity_judgments):
    """A strength-meter demo: the password field drives the meter, the e-mail box beside it has
    nothing listening (no form, no handler). Enter in it doing nothing is the browser's normal
    behaviour on a page that wired what it meant to: not 'does nothing', not a failed flow."""
    v = _v(validity_judgments, "fp/demo_form")
    typed = {i.selector: i.effect for i in v.interactions if i.action == "type"}
    assert {"#email", "#password"} <= set(typed), typed
    assert "enter:nothing" in typed["#email"], typed
    for cid in ("interaction.flow", "interaction.responsive", "interaction.broken"):
        assert _check(v, cid) and not _failing(v, cid), _inter(v)


@pytest.mark.browser
async def test_a_readout_the_buttons_write_into_is_not_a_dead_control(validity_judgments):
    """A text-size bar: − and + rewrite the size shown between them, which one stylesheet rule
    dresses like the buttons (pointer cursor included). Clicking the number does nothing, as
    it should: it is the buttons' display, not a main control that does nothing."""
    v = _v(validity_judgments, "fp/readout")
    clicked = {i.selector: i.effect for i in v.interactions if i.action == "click"}
    assert {"#smaller", "#larger"} <= set(clicked) and "dom" in clicked["#larger"], clicked
    for cid in ("interaction.responsive", "interaction.broken"):
        assert _check(v, cid) and not _failing(v, cid), _inter(v)


@pytest.mark.browser
async def test_a_button_that_clears_a_canvas_elsewhere_responds(validity_judgments):
    """A sketch pad's Clear sits well away from the pad: what it does (wipe the drawing)
    changes no DOM node and nothing near the button, so it read as "does nothing". Its draw
    calls are its response; the same page whose Clear looks up the wrong canvas draws nothing
    and is still caught."""
    v = _v(validity_judgments, "canvas/clear")
    dead = _v(validity_judgments, "canvas/clear_dead")
    clear = [i.effect for i in v.interactions if i.selector == "#clear"]
    assert clear and "canvas" in clear[0], [(i.selector, i.effect) for i in v.interactions]
    drew = [i.effect for i in v.interactions if i.action == "draw"]
    assert drew and "canvas" in drew[0], [(i.selector, i.effect) for i in v.interactions]
    for cid in ("interaction.responsive", "interaction.broken"):
        assert _check(v, cid) and not _failing(v, cid), _inter(v)
    assert _failing(dead, "interaction.responsive"), _inter(dead)
    assert dead.score < v.score, (v.score, dead.score)


@pytest.mark.browser
async def test_a_field_waiting_under_its_icon_is_used_once_the_icon_opens_it(validity_judgments):
    """A search box collapsed under its icon until the icon is clicked: covered on the page as
    loaded, usable in the state the click creates — the prober follows the click and types into
    it, and neither reachability nor responsiveness counts it as covered or dead."""
    v = _v(validity_judgments, "fp/search_icon")
    steps = [(i.action, i.selector, i.setup) for i in v.interactions]
    typed = [s for s in steps if s[0] == "type"]
    assert typed and typed[0][2] and typed[0][2].startswith("click"), steps
    for cid in ("interaction.reachable", "interaction.responsive"):
        assert _check(v, cid) and not _failing(v, cid), _inter(v)


@pytest.mark.browser
async def test_a_vote_button_waiting_for_an_answer_is_tried_with_one(validity_judgments):
    """A poll's Vote does nothing until an option is chosen (as a quiz's Submit): the tester
    picks the first option and presses it again, and sees the results — not a dead button."""
    v = _v(validity_judgments, "fp/poll")
    vote = [i for i in v.interactions if i.selector == "#vote"]
    assert vote and "dom" in vote[0].effect and "after-choosing:1" in vote[0].effect, [
        (i.action, i.selector, i.effect) for i in v.interactions
    ]
    for cid in ("interaction.responsive", "interaction.broken"):
        assert _check(v, cid) and not _failing(v, cid), _inter(v)


@pytest.mark.browser
async def test_a_grid_of_empty_card_frames_is_an_empty_shell(validity_judgments):
    """A catalogue whose data never arrived (a misnamed field in the reply) shows its heading
    and six empty card frames: drawn boxes with nothing in them are not content, whereas the
    tiles of a game board are (squeeze/board stays a page with content)."""
    _empty_shell_beside_the_catalogue(validity_judgments, "shell/frames")
    board = _v(validity_judgments, "squeeze/board")
    assert not _failing(board, "render.blank"), [c.message for c in _check(board, "render.blank")]


@pytest.mark.browser
async def test_a_page_stuck_loading_is_an_empty_shell(validity_judgments):
    """The catalogue's data request fails quietly and its "Loading teas…" line and spinner stay
    for ever: a waiting state is not content (it counted as text, so the page "painted
    content"), while the working catalogue, whose heading and cards are the same, is not
    touched."""
    _empty_shell_beside_the_catalogue(validity_judgments, "shell/stuck")


def _empty_shell_beside_the_catalogue(judgments, name: str) -> None:
    """`name` is an empty shell at every viewport and capped; the working catalogue (same
    heading and cards) is untouched by the rule and well above the cap — how far depends on the
    visual model, which rates this plain demo page about average (0.87 in all)."""
    shell_page = _v(judgments, name)
    working = _v(judgments, "shell/catalogue")
    shell = [c for c in _check(shell_page, "render.blank") if "nothing to read" in c.message]
    assert len(shell) == 3, [c.message for c in shell_page.checks if c.id.startswith("render")]
    assert not _failing(working, "render.blank")
    assert shell_page.score <= 0.3 < 0.8 < working.score, (working.score, shell_page.score)


@pytest.mark.browser
async def test_a_play_interrupted_by_pause_is_not_an_error(validity_judgments):
    """An audio "unlock" loads, plays and at once pauses each clip: every play() rejects with an
    AbortError nobody sees (on a sound board, whether it does depends on how fast the file
    arrives — the real-app workbench's null control moved on one). It was reported as an
    error thrown by the click."""
    v = _v(validity_judgments, "fp/media_abort")
    start = [i for i in v.interactions if i.selector == "#start"]
    assert start and "media" in start[0].effect and start[0].errors == [], start
    assert not [c for c in _failing(v, "interaction.errors")], v.checks


# Contrast as people see it (APCA), not WCAG 2's ratio: white labels on mid-tone green and
# orange buttons (2.1-2.4:1) read fine, while mid-grey text on near-black (2.5:1, which WCAG 2
# ranks above them) barely shows.
@pytest.mark.browser
async def test_white_labels_on_colour_are_readable_and_grey_on_black_is_not(validity_judgments):
    colour = _v(validity_judgments, "labels/colour")
    dim = _v(validity_judgments, "labels/dim")
    ok = _check(colour, "a11y.contrast")
    assert ok and min(c.score for c in ok) >= 0.9, [c.message for c in ok]
    bad = _check(dim, "a11y.contrast")
    assert bad and max(c.score for c in bad) < 0.5, [c.message for c in bad]
    assert dim.score < colour.score - 0.05, (colour.score, dim.score)


@pytest.mark.browser
async def test_a_chart_that_redraws_on_the_next_frame_responds_and_one_that_never_does_not(
    validity_judgments,
):
    """A chart (as Chart.js draws one) shows its hover tooltip and a new data set on the next
    animation frame, not in the handler: those draws are the select's and the canvas's
    response. The same chart whose handlers change the data but never ask for a frame shows
    nothing, and its canvas is still caught doing nothing."""
    v = _v(validity_judgments, "canvas/chart")
    dead = _v(validity_judgments, "canvas/chart_dead")
    steps = {i.selector: i.effect for i in v.interactions}
    assert "canvas" in steps.get("#year", []), steps
    assert not _failing(v, "interaction.responsive"), steps
    dead_steps = {i.selector: i.effect for i in dead.interactions}
    assert "canvas" not in dead_steps.get("#year", []), dead_steps
    assert _failing(dead, "interaction.responsive"), dead_steps
    assert dead.score < v.score, (v.score, dead.score)


@pytest.mark.browser
async def test_enter_in_a_plain_text_area_is_a_new_line_not_a_dead_field(validity_judgments):
    """A contact form's message box: Enter in a text area starts a new line and never submits
    the form, so "typing and pressing Enter does nothing" there is the browser working, not a
    broken field (it cost a contact page 0.77 -> 0.89). A chat box that takes Enter (it listens
    for the key and swallows it) but never posts the message is still caught."""
    v = _v(validity_judgments, "textarea/contact")
    dead = _v(validity_judgments, "textarea/chat_dead")
    typed = [i for i in v.interactions if i.action == "type" and i.selector == "#message"]
    assert typed, [(i.action, i.selector) for i in v.interactions]
    for cid in ("interaction.flow", "interaction.responsive"):
        assert _check(v, cid) and not _failing(v, cid), _inter(v)
    for cid in ("interaction.flow", "interaction.responsive"):
        assert _failing(dead, cid), _inter(dead)


@pytest.mark.browser
async def test_a_timers_pause_before_start_is_not_a_dead_control(validity_judgments):
    """A pomodoro timer's Pause, pressed on the page as loaded, has nothing to pause: doing
    nothing then is the app working (it read as "'Pause' does nothing", the page 0.89). The
    same timer whose Start never starts is still caught, by Start."""
    v = _v(validity_judgments, "timer/working")
    dead = _v(validity_judgments, "timer/start_dead")
    assert [i for i in v.interactions if i.selector == "#pause"], v.interactions
    for cid in ("interaction.responsive", "interaction.broken"):
        assert _check(v, cid) and not _failing(v, cid), _inter(v)
    resp = _failing(dead, "interaction.responsive")
    assert resp and "'Start' does nothing" in resp[0].message, resp
    assert dead.score < v.score, (v.score, dead.score)


@pytest.mark.browser
async def test_a_contact_form_that_acknowledges_the_message_works(validity_judgments):
    """A contact form replaced by "Message sent" shows a result, though not what was typed: a
    message goes away, unlike a to-do's item (it read as "changes the page but the input does
    not show up", 0.7). The twin whose submit empties the form and says nothing is caught."""
    ok = _v(validity_judgments, "textarea/acknowledged")
    silent = _v(validity_judgments, "textarea/silent")
    _passes(ok, "interaction.flow")
    assert _failing(silent, "interaction.flow"), _inter(silent)
    assert silent.score < ok.score, (ok.score, silent.score)


@pytest.mark.browser
async def test_controls_waiting_for_a_scroll_reveal_are_not_tiny_tap_targets(validity_judgments):
    """A form below the fold inside a scroll-reveal (AOS's flip-up: turned away until scrolled
    to) is drawn squashed in the captured state; a person sees it full size once they scroll
    there. Its controls' size is not judged from the squashed box (it was "3 of 5 tap targets
    under 24x24px", the check at 0), and the prober, having scrolled to them, waits for the
    reveal before clicking (they were "covered by" the section behind, the page 0.67)."""
    v = _v(validity_judgments, "reveal/flip")
    mobile = validity_judgments["reveal/flip"].captures["mobile"]
    button = [e for e in mobile.elements if e.tag == "button"]
    assert button and button[0].bbox.height < 24, "the fixture's form is not squashed"
    for cid in ("responsive.tap_targets", "interaction.reachable", "interaction.flow"):
        assert not _failing(v, cid), [(c.id, c.score, c.message) for c in v.checks if c.id == cid]
    flow = [i for i in v.interactions if i.action == "flow"]
    assert flow and any(e.startswith("result:") for i in flow for e in i.effect), flow


@pytest.mark.browser
async def test_a_cell_that_does_nothing_once_the_game_is_won_is_not_dead(validity_judgments):
    """Tried cell after cell, X wins on the diagonal and the last two cells (rightly) ignore
    clicks; tried on a fresh board they play (they read as "shows no visible response", the
    page 0.90). The board whose cells are never wired is still caught."""
    v = _v(validity_judgments, "games/ttt")
    dead = _v(validity_judgments, "games/ttt_dead")
    for cid in ("interaction.broken", "interaction.responsive"):
        assert _check(v, cid) and not _failing(v, cid), _inter(v)
    assert _failing(dead, "interaction.responsive"), _inter(dead)
    assert dead.score < v.score - 0.1, (v.score, dead.score)


@pytest.mark.browser
async def test_face_down_cards_in_transparent_ink_are_not_unreadable_text(validity_judgments):
    """A memory game hides each card's letter in transparent ink until it is turned: hidden on
    purpose, not text at 1:1 contrast (a11y.contrast was 0 at every viewport, the page 0.73)."""
    v = _v(validity_judgments, "games/memory")
    cap = validity_judgments["games/memory"].captures["desktop"]
    assert any(e.color.endswith(", 0)") and e.text for e in cap.elements), "no transparent text"
    assert not _failing(v, "a11y.contrast"), [
        (c.id, c.score, c.message) for c in v.checks if c.id == "a11y.contrast"
    ]


@pytest.mark.browser
async def test_a_calculator_form_answers_with_its_result(validity_judgments):
    """A BMI form: its fields take 50..250 and 10..300 (42 cm was refused and the form never
    sent), it answers with a number, not what was typed, and Enter in the first field alone
    meets the second's `required` (it read as "#h does nothing", the page 0.91). The twin that
    computes and shows nothing is caught."""
    v = _v(validity_judgments, "tools/bmi")
    silent = _v(validity_judgments, "tools/bmi_silent")
    for cid in ("interaction.flow", "interaction.responsive"):
        assert _check(v, cid) and not _failing(v, cid), _inter(v)
    assert _failing(silent, "interaction.flow"), _inter(silent)
    assert silent.score < v.score, (v.score, silent.score)


@pytest.mark.browser
async def test_a_value_written_into_a_read_only_field_is_a_response(validity_judgments):
    """Generate writes a new password into a read-only field far above it: a value set by
    script changes no DOM node ('Generate' read as doing nothing, and the output field was
    typed into as if it were an input). The twin whose Generate does nothing is caught."""
    v = _v(validity_judgments, "tools/passgen")
    dead = _v(validity_judgments, "tools/passgen_dead")
    assert not [i for i in v.interactions if i.selector == "#out"], v.interactions
    gen = [i for i in v.interactions if i.selector == "#gen"]
    assert gen and "state" in gen[0].effect, gen
    for cid in ("interaction.broken", "interaction.responsive"):
        assert not _failing(v, cid), [(c.id, c.score, c.message) for c in v.checks if c.id == cid]
    assert _failing(dead, "interaction.responsive") or _failing(dead, "interaction.broken"), _inter(
        dead
    )


@pytest.mark.browser
async def test_enter_held_back_by_the_browser_is_not_a_dead_field_but_swallowed_enter_is(
    validity_judgments,
):
    """Enter in the BMI form's first field alone cannot send it (the second field is required
    and empty): the browser's validation, not a dead field. Enter in an order form's only field
    sends it; the twin whose field swallows Enter is caught (a first version excused every
    field of a form whose button works, and missed this defect on a real app)."""
    bmi = _v(validity_judgments, "tools/bmi")
    ok = _v(validity_judgments, "tools/qty")
    dead = _v(validity_judgments, "tools/qty_enter_ignored")
    assert not _failing(bmi, "interaction.responsive")
    assert not _failing(ok, "interaction.responsive"), _inter(ok)
    typed = [i for i in dead.interactions if i.selector == "#qty" and i.action == "type"]
    assert typed and "enter:nothing" in typed[0].effect, dead.interactions
    assert _failing(dead, "interaction.responsive"), _inter(dead)
    assert dead.score < ok.score, (ok.score, dead.score)


@pytest.mark.browser
async def test_the_one_slider_disabled_or_taken_away_scores_below_the_working_page(
    validity_judgments,
):
    """A one-slider app (type size preview) whose slider is disabled, or hidden by a stray
    rule, offers nothing to do: it must not score like the working page because nothing is
    left to fail (text fields were covered, sliders were not: the judge saw 'no controls')."""
    working = _v(validity_judgments, "slider/working")
    for cid in ("interaction.responsive", "interaction.disabled"):
        assert _check(working, cid) and not _failing(working, cid), _inter(working)
    for variant in ("disabled", "hidden"):
        broken = _v(validity_judgments, f"slider/{variant}")
        assert _failing(broken, "interaction.disabled"), (variant, _inter(broken))
        assert broken.score < working.score - 0.05, (variant, working.score, broken.score)


@pytest.mark.browser
async def test_a_newsletter_pop_up_is_closed_and_the_shop_behind_it_judged(validity_judgments):
    """A pop-up over the page on load is closed the way a visitor closes it (its ×) and the
    shop behind it is judged — it hid every control and scored like a broken page (0.63 on a
    working shop). It is still noted. A pop-up whose × does nothing stays, and is caught."""
    shop = _v(validity_judgments, "dialog/newsletter")
    stuck = _v(validity_judgments, "dialog/stuck")
    noted = [c for c in _check(shop, "render.overlay") if c.score < 1]
    assert len(noted) == 1 and "closed with 'Close'" in noted[0].message, noted
    assert noted[0].score >= 0.8 and noted[0].severity == "minor"
    for cid in ("interaction.reachable", "interaction.responsive", "layout.overlap"):
        assert _check(shop, cid) and not _failing(shop, cid), (cid, _inter(shop))
    basket = [i for i in shop.interactions if i.selector.startswith("#grid")]
    assert basket and basket[0].effect, [(i.selector, i.effect) for i in shop.interactions]
    hidden = [c for c in _check(stuck, "render.overlay") if c.score <= 0.2]
    assert hidden and "does not close it" in hidden[0].message, _check(stuck, "render.overlay")
    assert stuck.score < shop.score - 0.15, (shop.score, stuck.score)


@pytest.mark.browser
async def test_an_error_thrown_after_a_form_visibly_worked_is_counted_once(validity_judgments):
    """A guest book adds the entry, then an analytics call that was never included throws: the
    entry shows, so the form works and the error is interaction.errors' finding — not also a
    dead control and a failed flow (one console error cost three results: a code-entry app that
    throws at its last box scored 0.13 below its twin whose handlers were all dead). The twin
    whose form does nothing is still caught, and scores below."""
    throws = _v(validity_judgments, "errors/throws")
    dead = _v(validity_judgments, "errors/dead")
    assert _failing(throws, "interaction.errors"), _inter(throws)
    assert not _failing(throws, "interaction.responsive"), _inter(throws)
    flow = _check(throws, "interaction.flow")
    assert flow and flow[0].score >= 0.7 and "throws an error" in flow[0].message, _inter(throws)
    assert _failing(dead, "interaction.responsive"), _inter(dead)
    assert dead.score < throws.score, (throws.score, dead.score)


@pytest.mark.browser
async def test_closed_faq_answers_chart_bars_and_a_row_of_stats_are_not_findings(
    validity_judgments,
):
    """Generated pages' usual parts, judged as a person sees them: the answers of a closed
    <details> FAQ are not drawn (they kept a box in layout and read as text overlapping the
    questions: layout 0.0), an SVG chart's bars that show a tooltip on hover are data, not
    tap targets (12 of 13 'under 24 px': responsive 0.56), and three numbers in a padded card's
    row share the card's width (read as squeezed into strips on a phone)."""
    v = _v(validity_judgments, "widgets/faq_chart")
    for cid in ("layout.overlap", "responsive.tap_targets", "responsive.squeezed"):
        assert _check(v, cid) and not _failing(v, cid), [
            (c.id, c.viewport, c.score, c.message) for c in _failing(v, cid)
        ]


@pytest.mark.browser
async def test_a_pianos_black_keys_over_the_white_ones_are_a_widget_not_a_collision(
    validity_judgments,
):
    """Black keys are drawn over the white ones on purpose, every key still playable at its
    centre (34 'overlaps', layout 0.0 at every viewport); the keyboard plays it too."""
    v = _v(validity_judgments, "widgets/piano")
    assert _check(v, "layout.overlap") and not _failing(v, "layout.overlap"), [
        c.message for c in _failing(v, "layout.overlap")
    ]
    keys = [i for i in v.interactions if i.action == "key"]
    assert keys and "dom" in keys[0].effect, [(i.action, i.effect) for i in v.interactions]


@pytest.mark.browser
async def test_a_disabled_send_button_and_an_empty_list_listening_for_clicks_are_not_findings(
    validity_judgments,
):
    """A chat's Send is greyed out until there is text (WCAG exempts inactive controls from
    contrast), and its message list listens for clicks on the remove buttons it will hold
    (event delegation): clicked while empty it does nothing, as it should — neither is a
    finding. The chat itself works (typing and Enter posts the message)."""
    v = _v(validity_judgments, "widgets/chat")
    for cid in ("interaction.broken", "interaction.responsive", "interaction.flow"):
        assert _check(v, cid) and not _failing(v, cid), _inter(v)
    contrast = [c for c in _failing(v, "a11y.contrast") if "#send" in c.message]
    assert not contrast, [c.message for c in contrast]


@pytest.mark.browser
async def test_enter_in_a_forms_text_area_is_a_new_line_whatever_listens_on_the_page(
    validity_judgments,
):
    """A booking form's 'special requests' box takes Enter as a new line; a page-wide key
    listener (here for Escape, as UI libraries add for their dialogs) does not make that a
    field whose Enter "does nothing" (a Bootstrap restaurant page: interaction 0.59)."""
    v = _v(validity_judgments, "widgets/booking")
    for cid in ("interaction.flow", "interaction.responsive"):
        assert _check(v, cid) and not _failing(v, cid), _inter(v)


@pytest.mark.browser
async def test_a_game_played_with_the_arrow_keys_is_seen_responding_to_them(validity_judgments):
    """The page listens for keys; a tester tries the keys such a page wants — arrows first —
    not only a letter ('A' does nothing in an arrow-key game: 'page keyboard does nothing')."""
    v = _v(validity_judgments, "games/arrows")
    keys = [i for i in v.interactions if i.action == "key"]
    assert keys and "dom" in keys[0].effect, [(i.action, i.effect) for i in v.interactions]
    assert not _failing(v, "interaction.responsive"), _inter(v)


@pytest.mark.browser
async def test_enter_swallowed_in_a_login_form_is_caught_and_a_working_form_is_not(
    validity_judgments,
):
    """Enter in a login form's field must submit it (HTML's implicit submission: the form
    has a submit button): sent, or stopped by the browser at an empty required field. A
    guard that swallows Enter leaves a form only the mouse can send — typing still shows, so
    nothing else noticed (the workbench's enter_ignored on a login form was a tie)."""
    ok = _v(validity_judgments, "forms/login")
    bad = _v(validity_judgments, "forms/login_enter")
    assert not [c for c in _failing(ok, "interaction.broken") if "Enter in" in c.message], _inter(
        ok
    )
    swallowed = [c for c in _failing(bad, "interaction.broken") if "Enter in" in c.message]
    assert swallowed, _inter(bad)
    assert bad.score < ok.score, (ok.score, bad.score)


@pytest.mark.browser
async def test_a_charts_labels_are_judged_at_the_size_they_are_drawn(validity_judgments):
    """A chart's SVG labels at 10 px (D3's and Highcharts' defaults) are read at a glance, not
    as body text: they cost nothing where they are drawn at that size (the check had them at
    0.65 on every D3 page, 0.57 on Highcharts'). Drawn smaller — 6 px labels, or the same
    10 px labels scaled down to a phone's width by the chart's viewBox — they are a finding."""
    ok = _v(validity_judgments, "chart_labels/d3")
    tiny = _v(validity_judgments, "chart_labels/tiny")

    def by_vp(v):
        return {c.viewport: c for c in v.checks if c.id == "responsive.text_size"}

    ok_vp, tiny_vp = by_vp(ok), by_vp(tiny)
    assert ok_vp["desktop"].score == ok_vp["tablet"].score == 1.0, ok_vp["desktop"].message
    assert ok_vp["mobile"].score < 1.0 and "svg > text" in ok_vp["mobile"].message
    for vp in ("mobile", "tablet", "desktop"):
        assert tiny_vp[vp].score < 1.0, (vp, tiny_vp[vp].message)
    # Labels are a small part of the reading: no cap, a mild finding.
    assert all(c.gate is None and c.score > 0.8 for c in tiny_vp.values())


@pytest.mark.browser
async def test_a_field_the_page_formats_as_it_is_typed_took_the_typing(validity_judgments):
    """A phone field that shows 5550100 as 555-0100 kept what was typed, formatted: it read as
    "typing does not reach the field" (a '-' nobody typed), a dead field (interaction.broken
    0.0). Its twin whose phone field swallows every key is still caught."""
    v = _v(validity_judgments, "forms/formatted")
    tel = [i for i in v.interactions if i.selector == "#tel"]
    assert tel and tel[0].action == "type", [(i.action, i.selector) for i in v.interactions]
    assert "typing does not reach the field" not in tel[0].effect, tel[0].effect
    for cid in ("interaction.broken", "interaction.flow"):
        assert _check(v, cid) and not _failing(v, cid), _inter(v)
    bad = _v(validity_judgments, "forms/swallowed")
    tel = [i for i in bad.interactions if i.selector == "#tel"]
    assert tel and "typing does not reach the field" in tel[0].effect, tel
    assert _failing(bad, "interaction.broken"), _inter(bad)
    assert bad.score < v.score - 0.05, (v.score, bad.score)


@pytest.mark.browser
async def test_a_form_that_feeds_a_canvas_chart_shows_its_result(validity_judgments):
    """A form whose entry is drawn as a new bar on a canvas chart shows its result, though the
    typed text is drawn, not written (it read as "changes the page but the input does not show
    up": interaction.flow 0.8). The twin whose handler stops before adding the entry is caught."""
    ok = _v(validity_judgments, "canvas_form/working")
    dead = _v(validity_judgments, "canvas_form/dead")
    flow = [i for i in ok.interactions if i.action == "flow"]
    assert flow and "canvas" in flow[0].effect, [(i.action, i.effect) for i in ok.interactions]
    _passes(ok, "interaction.flow")
    assert _failing(dead, "interaction.flow"), _inter(dead)
    assert dead.score < ok.score - 0.05, (ok.score, dead.score)


@pytest.mark.browser
async def test_a_canvas_behind_the_page_is_its_backdrop_and_one_over_it_covers_it(
    validity_judgments,
):
    """A starfield canvas spread behind a portfolio's hero (as particles.js draws one) listens
    for the pointer, but the content drawn over it is where a person clicks: it read as a
    control "covered" by the hero that "does nothing" (interaction.reachable and responsive
    about 0.5). The twin that draws the canvas over the page covers the call to action."""
    ok = _v(validity_judgments, "backdrop/behind")
    over = _v(validity_judgments, "backdrop/over")
    for cid in ("interaction.reachable", "interaction.responsive"):
        assert _check(ok, cid) and not _failing(ok, cid), _inter(ok)
    assert any("See my work" in c.message for c in _failing(over, "interaction.reachable"))
    assert over.score < ok.score - 0.1, (ok.score, over.score)


@pytest.mark.browser
async def test_a_carousels_dots_beside_its_arrows_are_not_undersized_targets(
    validity_judgments,
):
    """A carousel's 10 px pagination dots beside its full-size previous/next buttons fall
    under WCAG 2.5.8's "equivalent" exception (Swiper's, Bootstrap's, Slick's carousels:
    responsive.tap_targets 0.0 on phones on every such page). The same carousel moved by
    its dots alone still fails the criterion."""
    ok = _v(validity_judgments, "carousel/arrows")
    dots = _v(validity_judgments, "carousel/dots_only")
    assert _check(ok, "responsive.tap_targets") and not _failing(ok, "responsive.tap_targets")
    assert _failing(dots, "responsive.tap_targets"), [c.message for c in dots.checks]


@pytest.mark.browser
async def test_a_button_that_recolours_a_webgl_scene_drawn_every_frame_responds(
    validity_judgments,
):
    """A WebGL scene redrawn every frame (a three.js render loop) draws whether or not a
    control did anything, so its draw count says nothing; a button that recolours it read as
    dead ('Change colour' does nothing: interaction.responsive 0.0). What the scene is drawn
    with (its colour uniforms) shows the change; the twin whose handler never hands the
    colour to the scene is still dead."""
    ok = _v(validity_judgments, "webgl/working")
    dead = _v(validity_judgments, "webgl/dead")
    step = [i for i in ok.interactions if i.selector == "#colour"]
    assert step and "canvas" in step[0].effect, [(i.selector, i.effect) for i in ok.interactions]
    assert _check(ok, "interaction.responsive") and not _failing(ok, "interaction.responsive")
    assert _failing(dead, "interaction.responsive"), _inter(dead)
    assert dead.score < ok.score - 0.05, (ok.score, dead.score)


@pytest.mark.browser
async def test_sliders_two_pixels_in_by_the_browsers_margin_are_not_misaligned(
    validity_judgments,
):
    """Sliders keep the browser's default 2 px margin, so each sits 2 px in from the text above
    it: that read as blocks "a few pixels off a shared edge" (layout.alignment 0.6 at every
    viewport on a music player). Blocks nudged by the page itself are still caught
    (test_blocks_nudged_off_their_shared_edges_are_caught)."""
    v = _v(validity_judgments, "align/ua_margins")
    assert _check(v, "layout.alignment") and not _failing(v, "layout.alignment"), [
        c.message for c in _failing(v, "layout.alignment")
    ]


@pytest.mark.browser
async def test_cards_at_a_breakpoints_edge_are_a_near_miss_not_a_ribbon(validity_judgments):
    """Three cards side by side from 700 px wrap their text into lines of about 18 characters
    at a tablet's width: a near miss of the 20 a comfortable line needs, which a reader barely
    minds — it was as bad as a column of single words (responsive.cramped 0.0 on every
    three-column Tailwind landing page at 768 px). How cramped now counts, not only whether:
    the ribbon of the test above stays under 0.5."""
    v = _v(validity_judgments, "squeeze/cards")
    tablet = [c for c in _check(v, "responsive.cramped") if c.viewport == "tablet"]
    assert tablet and 0.5 < tablet[0].score < 1.0, [c.message for c in tablet]


@pytest.mark.browser
async def test_a_currency_sign_inside_its_field_is_an_adornment_unless_it_sits_on_the_amount(
    validity_judgments,
):
    """A "$" drawn inside a bill field, in the padding left for it (an input group's prefix),
    read as text drawn over a control (layout.overlap 0.93 on a tip calculator). Where the
    field lost that padding, the sign sits on the amount: still an overlap."""
    ok = _v(validity_judgments, "adornment/clear")
    bad = _v(validity_judgments, "adornment/collides")
    _passes(ok, "layout.overlap")
    _flags(bad, "layout.overlap", "#bill")


@pytest.mark.browser
async def test_links_and_code_wrapped_over_two_lines_are_neither_covered_nor_overlapping(
    validity_judgments,
):
    """A link or a code chip that wraps is drawn in two pieces, the end of one line and the start
    of the next, and its box spans both lines whole: the box's centre fell on the paragraph's
    text (the link "covered by" its own paragraph, interaction.reachable 0.0 on a page of plain
    prose) and the box sat on every word beside it (layout.overlap 0.61). Each piece is now
    tried and weighed on its own. A promotion laid over the terms still covers their links, and
    a chip pulled back over a link still overlaps it and partly covers it."""
    ok = _v(validity_judgments, "inline/wrapped")
    bad = _v(validity_judgments, "inline/covered")
    for check_id in ("interaction.reachable", "layout.overlap"):
        _passes(ok, check_id)
    clicked = {i.selector for i in ok.interactions if i.action == "click" and "hash" in i.effect}
    assert len(clicked) == 5, [(i.selector, i.effect, i.note) for i in ok.interactions]
    covered = _failing(bad, "interaction.reachable")
    assert covered and "p:nth-of-type(2) > span" in covered[0].message, _inter(bad)
    drawn_over = {e.selector for c in _failing(bad, "layout.overlap") for e in c.evidence}
    assert "body > p:nth-of-type(3) > code" in drawn_over, drawn_over
    # The link under the chip can still be clicked at its edge: partly covered, not covered.
    partly = [p for c in covered for p in c.data.get("partly", [])]
    assert [s for s, _ in partly] == ["body > p:nth-of-type(3) > a"], covered[0].data


@pytest.mark.browser
async def test_teasers_cut_by_line_clamp_in_a_sideways_row_are_neither_clipped_nor_cramped(
    validity_judgments,
):
    """Cards in a row that scrolls sideways, their teasers cut after three lines by
    -webkit-line-clamp: the cut is made on purpose and marked with an ellipsis (layout.clipped
    read it as 40 % of the text lost), and a card half scrolled out of the row has lines as long
    as its neighbours' (responsive.cramped measured only the part in view: 19 characters a
    line). Teasers cut mid-line by a fixed height, on cards squeezed to a sliver, are both."""
    ok = _v(validity_judgments, "teasers/working")
    bad = _v(validity_judgments, "teasers/cut")
    for check_id in ("layout.clipped", "responsive.cramped"):
        _passes(ok, check_id)
        assert any(
            c.score < 0.5 and "div:nth-of-type(2) > div" in c.message
            for c in _failing(bad, check_id)
        ), [c.message for c in _check(bad, check_id)]


@pytest.mark.browser
async def test_a_form_is_sent_by_its_submit_button_not_the_password_toggle_beside_it(
    validity_judgments,
):
    """A sign-up form's password field holds a show/hide toggle (type="button"). The flow sent
    the form with the button nearest the most prominent field, the toggle, and read the
    working form as "changes the page but the input does not show up" (0.81). A form is sent by
    its submit button; where the submit handler does nothing, the flow still fails."""
    ok = _v(validity_judgments, "signup/working")
    bad = _v(validity_judgments, "signup/dead")
    flows = [i for i in ok.interactions if i.action == "flow"]
    assert [i.selector for i in flows] == ["#f > button"], [(i.selector, i.effect) for i in flows]
    _passes(ok, "interaction.flow")
    failed = {e.selector for c in _failing(bad, "interaction.flow") for e in c.evidence}
    assert "#f > button" in failed, _inter(bad)


@pytest.mark.browser
async def test_a_thank_you_line_revealed_when_the_form_is_sent_is_its_result(validity_judgments):
    """A newsletter form that hides itself and shows a thank-you line that was in the page all
    along (display: none until sent) writes nothing, so only written text counted as its answer:
    "changes the page but the input does not show up" (0.7). A line shown near the form since
    it was sent is its result; a form whose handler does nothing still fails."""
    ok = _v(validity_judgments, "newsletter/working")
    bad = _v(validity_judgments, "newsletter/dead")
    flows = [i for i in ok.interactions if i.action == "flow"]
    assert flows and "result:#thanks" in flows[0].effect, [(i.selector, i.effect) for i in flows]
    _passes(ok, "interaction.flow")
    failed = {e.selector for c in _failing(bad, "interaction.flow") for e in c.evidence}
    assert "#news > button" in failed, _inter(bad)


@pytest.mark.browser
async def test_a_quiz_answer_is_tried_on_a_fresh_question_not_after_another_was_picked(
    validity_judgments,
):
    """Picking a quiz answer disables all four. The next answer was tried on the page as the
    last one left it (same set-up: the quiz started), disabled, so three of four answers "did
    nothing" (interaction.broken 0.0 on a working quiz). A control the last step disabled gets
    a fresh page; answers that were never wired still do nothing."""
    ok = _v(validity_judgments, "quiz/working")
    bad = _v(validity_judgments, "quiz/dead")
    answers = [i for i in ok.interactions if i.selector.startswith("#opts")]
    assert len(answers) == 4 and all(i.effect for i in answers), [
        (i.selector, i.effect) for i in answers
    ]
    assert not _failing(ok, "interaction.broken"), _inter(ok)
    _flags(bad, "interaction.broken", "#opts")


@pytest.mark.browser
async def test_tab_through_a_date_fields_parts_is_not_a_focus_trap(validity_judgments):
    """A date field takes a Tab for each of its parts (month, day, year): with one press per
    control, the check saw the focus stay on the date field and the list after it, and called
    a booking form a focus trap (a11y.keyboard 0.2). Presses are counted per part now; a date
    field that swallows Tab is still a trap."""
    ok = _v(validity_judgments, "keyboard/dates")
    bad = _v(validity_judgments, "keyboard/dates_trap")
    _passes(ok, "a11y.keyboard")
    _flags(bad, "a11y.keyboard", "trap")


@pytest.mark.browser
async def test_a_floating_notice_over_text_that_scrolls_from_under_it_is_no_collision(
    validity_judgments,
):
    """A cookie notice and a sticky price bar float at the bottom of the screen; the capture,
    taken at the top of the page, has them over the text there (layout.overlap 0.35 on a
    phone), which a reader scrolls up from under them. Text the page cannot scroll out from
    under such a bar (a one-screen page whose bar sits on its last lines) is still covered."""
    ok = _v(validity_judgments, "floating/notice")
    bad = _v(validity_judgments, "floating/stuck")
    _passes(ok, "layout.overlap")
    drawn_over = {e.selector for c in _failing(bad, "layout.overlap") for e in c.evidence}
    assert "body > section > p" in drawn_over, drawn_over


@pytest.mark.browser
async def test_clicking_the_tab_already_chosen_is_not_a_dead_control(validity_judgments):
    """The chosen tab (aria-selected, class "active") was the prober's first click, and changed
    nothing — by design: "'Solo' does nothing" (interaction.responsive 0.6). A click on the
    choice already made that changes nothing is not dead; tabs never wired still are."""
    ok = _v(validity_judgments, "tabs/working")
    bad = _v(validity_judgments, "tabs/dead")
    solo = [i for i in ok.interactions if i.selector.endswith("button:nth-of-type(1)")]
    assert solo and not solo[0].effect, [(i.selector, i.effect) for i in ok.interactions]
    _passes(ok, "interaction.responsive")
    _passes(ok, "interaction.broken")
    _flags(bad, "interaction.broken", "Company")
