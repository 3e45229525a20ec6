"""Deriving the design spec from a prompt: snapshots of three realistic prompts, and the rules.

The snapshots are the reviewed spec of each prompt (quotes included, so a person can see where
each item came from). `FJUDGE_UPDATE_SNAPSHOTS=1` rewrites them; review the diff before
committing.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from judge.schema import DesignSpec, Task
from judge.spec import derive_spec, effective_spec, prompt_info
from judge.spec.colours import parse_colour

ROOT = Path(__file__).resolve().parents[2]
PROMPTS = ROOT / "tests" / "fixtures" / "prompted"
SNAPSHOTS = Path(__file__).parent / "snapshots"
CASES = {
    "coffee": "coffee/prompt.txt",  # one paragraph of plain text
    "ledger": "ledger/prompt.md",  # a long Markdown design document (tables, Don'ts, lists)
    "studio": "studio/prompt.txt",  # hard-wrapped plain text, CSS colour names, rem units
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_derived_spec_matches_snapshot(name):
    prompt = (PROMPTS / CASES[name]).read_text(encoding="utf-8")
    derive_spec.cache_clear()
    got = derive_spec(prompt).model_dump(mode="json")
    snap = SNAPSHOTS / f"{name}.json"
    if os.environ.get("FJUDGE_UPDATE_SNAPSHOTS") == "1":
        snap.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(snap.read_text(encoding="utf-8"))
    # Same prompt, same spec: derived again from scratch (no cache) it is identical.
    derive_spec.cache_clear()
    assert derive_spec(prompt).model_dump(mode="json") == got


def test_snapshots_hold_what_each_prompt_asks():
    """The reviewed essentials of each snapshot, so an update cannot drop them silently."""
    coffee = derive_spec((PROMPTS / CASES["coffee"]).read_text())
    assert [(c.value, c.role, c.sparingly) for c in coffee.colours] == [
        ("#f5f1e8", "background", False),
        ("#1b1b1b", "text", False),
        ("#e4572e", "accent", True),
    ]
    assert coffee.palette == "closed"
    assert [f.family for f in coffee.fonts] == ["IBM Plex Mono"]
    assert {f.treatment for f in coffee.forbidden} == {"rounded_corners", "shadows", "gradients"}
    cols = {c.breakpoint: c.columns for c in coffee.layout.columns}
    assert cols == {"desktop": 4, "tablet": 2, "mobile": 1}
    assert coffee.layout.max_width == 1200
    kinds = {c.kind for c in coffee.components}
    assert kinds == {"navigation", "hero", "filters", "cards", "pagination", "footer", "form"}
    form = next(c for c in coffee.components if c.kind == "form")
    assert form.name == "newsletter" and form.fields == ["name", "email"]
    assert "Slow coffee, fast mornings" in [t.text for t in coffee.texts]
    assert {i.kind for i in coffee.interactions} == {"hover", "filter"}

    ledger = derive_spec((PROMPTS / CASES["ledger"]).read_text())
    roles = {c.role: c.value for c in ledger.colours}
    assert roles == {
        "text": "#0f172a",
        "background": "#ffffff",
        "surface": "#f1f5f9",
        "border": "#cbd5e1",
        "accent": "#0f766e",
    }
    assert "#ff0000" not in roles.values()  # "do not introduce red"
    assert len(ledger.forbidden) == 4  # the Don'ts section
    assert {c.target for c in ledger.case} == {"headings", "table_headers"}  # "column labels"
    assert ledger.layout.align == "left" and ledger.layout.max_width == 1280
    assert {"modal", "search", "pagination", "focus", "hover"} <= {
        i.kind for i in ledger.interactions
    }
    assert "filters" not in {c.kind for c in ledger.components}  # "a search box that filters"

    studio = derive_spec((PROMPTS / CASES["studio"]).read_text())
    assert [(c.value, c.role) for c in studio.colours] == [
        ("#000000", "text"),
        ("#ffffff", "background"),
        ("#d62828", "accent"),  # "red accent (#D62828)": the exact value, not CSS 'red'
    ]
    assert studio.palette == "closed"  # "No other colours."
    assert studio.layout.max_width == 72 * 16
    sections = [c.name for c in studio.components if c.kind == "section"]
    assert sections == ["Work", "About", "Contact"]  # the list wraps over two lines
    assert [c.target for c in studio.case] == ["navigation"]


def spec_of(text: str) -> DesignSpec:
    derive_spec.cache_clear()
    return derive_spec(text)


def test_unknown_phrasing_yields_nothing_invented():
    s = spec_of("Make it pop: modern, clean and friendly, with generous white space.")
    assert s.is_empty(), s


def test_colour_names_only_where_the_prompt_talks_about_colour():
    assert spec_of("Leave plenty of white space around the orange juice photo.").colours == []
    s = spec_of("White text on a navy background.")
    assert [(c.value, c.role) for c in s.colours] == [
        ("#ffffff", "text"),
        ("#000080", "background"),
    ]


def test_colour_syntaxes():
    for text in (
        "#E4572E",
        "#e45",
        "rgb(228, 87, 46)",
        "rgb(228 87 46 / 50%)",
        "hsl(13, 77%, 54%)",
    ):
        assert parse_colour(text) is not None, text
    assert parse_colour("hsl(0, 100%, 50%)") == (255, 0, 0)
    assert parse_colour("not-a-colour") is None
    s = spec_of("Accent: hsl(174, 77%, 26%); background rgb(255,255,255).")
    assert [c.role for c in s.colours] == ["accent", "background"]


def test_negation_forbids_and_positive_mentions_do_not():
    s = spec_of("No rounded corners, shadows or gradients anywhere.")
    assert [f.treatment for f in s.forbidden] == ["rounded_corners", "shadows", "gradients"]
    assert spec_of("Cards have rounded corners and a soft shadow.").forbidden == []
    s = spec_of("Use sharp corners and keep it shadow-free.")
    assert [f.treatment for f in s.forbidden] == ["rounded_corners", "shadows"]
    assert spec_of("Do not use red anywhere.").colours == []


def test_columns_pair_with_their_breakpoints():
    s = spec_of("A 4-column grid on desktop that collapses to one column on phones.")
    assert [(c.breakpoint, c.columns) for c in s.layout.columns] == [("desktop", 4), ("mobile", 1)]
    s = spec_of("Show the products in a three-column grid.")
    assert [(c.breakpoint, c.columns) for c in s.layout.columns] == [("desktop", 3)]


def test_negated_components_are_not_required():
    s = spec_of("A hero and a navigation bar, but no footer.")
    assert {c.kind for c in s.components} == {"hero", "navigation"}


def test_fonts_need_their_capitalisation_or_a_declaration():
    assert spec_of("Make the interface interactive and inter-operable.").fonts == []
    s = spec_of("Headings in Playfair Display, body copy in Inter.")
    assert [(f.family, f.role) for f in s.fonts] == [
        ("Playfair Display", "headings"),
        ("Inter", "body"),
    ]
    s = spec_of("Use font-family: 'space grotesk', sans-serif for everything.")
    assert [f.family for f in s.fonts] == ["space grotesk"]


def test_task_design_block_overrides_derived_sections():
    task = Task(
        prompt="Background #111111, text #eeeeee. Set in Inter. No shadows.",
        design={"colours": ["#000000 background", "tomato accent sparingly"]},
    )
    spec, source = effective_spec(task)
    assert source == "task+prompt"
    assert [(c.value, c.role, c.sparingly) for c in spec.colours] == [
        ("#000000", "background", False),
        ("#ff6347", "accent", True),
    ]
    assert [f.family for f in spec.fonts] == ["Inter"]  # not stated in the block: derived
    assert [f.treatment for f in spec.forbidden] == ["shadows"]
    cleared = Task(prompt="No shadows.", design={"forbidden": []})
    assert effective_spec(cleared)[0].forbidden == []


def test_design_block_short_forms_validate():
    t = Task.model_validate(
        {
            "design": {
                "fonts": ["IBM Plex Mono"],
                "forbidden": ["rounded corners", "shadows"],
                "layout": {"columns": {"desktop": 4, "mobile": 1}, "max_width": 1200},
                "components": ["navigation", {"kind": "form", "fields": ["email"]}],
                "texts": ["Get started"],
                "interactions": ["hover"],
            }
        }
    )
    d = t.design
    assert d is not None and d.rule_count() == 10
    with pytest.raises(ValueError, match="not a colour"):
        Task.model_validate({"design": {"colours": ["#12345g"]}})
    with pytest.raises(ValueError):
        Task.model_validate({"design": {"forbidden": ["sparkles"]}})


def test_prompt_info_records_hash_and_spec():
    assert prompt_info(None) is None
    assert prompt_info(Task(instruction="no prompt here")) is None
    info = prompt_info(Task(prompt="Background #fafafa."))
    assert info is not None and info.source == "prompt" and info.rules == 1
    assert info.sha256 == hashlib.sha256(b"Background #fafafa.").hexdigest()
