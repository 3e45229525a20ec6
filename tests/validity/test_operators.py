"""Defect operators as file transforms (no browser): registry coverage, not-applicable instead
of identical copies, and the edits each one makes on a small fixture app."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.validity.corpus import App
from benchmarks.validity.operators import NULL, NotApplicable, apply, registry

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "validity"
TODO = App("todo", FIX / "todo" / "working", "test")
ARTICLE = App("article", FIX / "article" / "normal", "test")

FAMILIES = {
    "blank main UI",
    "runtime exception after load",
    "dead handlers",
    "broken input",
    "missing stylesheet",
    "broken images",
    "overflow at phone width",
    "overlap / covering",
    "clipped text",
    "tiny text",
    "low contrast",
    "colour / palette destruction",
    "layout collapse",
    "misaligned layout",
    "removed navigation",
    "infinite spinner / never ready",
    "console error spam",
    "mobile-only breakage",
    "focus trap",
    "z-index covering the call to action",
}


def test_registry_covers_the_defect_families():
    ops = registry()
    defects = [o for o in ops.values() if not o.control]
    assert len(defects) >= 20
    assert {o.category for o in defects} >= FAMILIES
    assert all(o.seen and o.fn.__doc__ for o in ops.values())
    assert next(iter(ops)) == NULL


@pytest.mark.parametrize("name", [n for n in registry()])
def test_every_operator_changes_files_or_says_not_applicable(name, tmp_path):
    op = registry()[name]
    for app in (TODO, ARTICLE):
        dest = tmp_path / app.name
        try:
            m = apply(op, app, dest)
        except NotApplicable as exc:
            assert str(exc)
            continue
        assert (m.path / "index.html").read_text() != (app.path / "index.html").read_text()
    # The original is never touched.
    assert "validity" not in (TODO.path / "index.html").read_text()


def test_not_applicable_where_there_is_nothing_to_break(tmp_path):
    ops = registry()
    # The article has no form field, no text field, no images and no own script file.
    for name in (
        "input_disabled",
        "input_hidden",
        "input_swallows_keys",
        "enter_ignored",
        "images_broken",
        "script_missing",
    ):
        with pytest.raises(NotApplicable):
            apply(ops[name], ARTICLE, tmp_path / name)
    # The to-do app has no <nav>.
    with pytest.raises(NotApplicable):
        apply(ops["nav_removed"], TODO, tmp_path / "nav")


def test_text_edits_are_the_documented_ones(tmp_path):
    ops = registry()
    html = lambda p: (p / "index.html").read_text()  # noqa: E731
    m = apply(ops["input_disabled"], TODO, tmp_path / "a")
    assert '<input disabled class="new-todo"' in html(m.path)
    m = apply(ops["stylesheet_missing"], TODO, tmp_path / "b")
    assert "<style" not in html(m.path)
    m = apply(ops["grid_collapse"], TODO, tmp_path / "c")
    assert "display:flex" not in html(m.path) and "display:block" in html(m.path)
    m = apply(ops["script_throws_early"], TODO, tmp_path / "d")
    assert '#app-root").classList' in html(m.path)
    m = apply(ops["tiny_text"], ARTICLE, tmp_path / "e")
    assert "font-size: 7px !important" in html(m.path)
    m = apply(ops["nav_removed"], ARTICLE, tmp_path / "f")
    assert "nav, [role=navigation] { display: none" in html(m.path)
