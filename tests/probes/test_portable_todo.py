"""Portable probes: one task file (roles, labels, text) judges three different to-do apps.

The three correct implementations share no markup: a form with a labelled input and links
(vanilla), TodoMVC's keydown handler with an aria-labelled input and filter links in list items
(todomvc), and ARIA widgets on divs — role=list/listitem, button role=checkbox, role=tab
filters (aria). Every probe passes on all three. Each broken variant (a one-line patch of a
correct one) fails exactly one item, at the step that shows the fault, with the step named.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from judge.tasks import read_task

IMPLS = Path(__file__).resolve().parents[1] / "fixtures" / "todo_impls"
CORRECT = ("vanilla", "todomvc", "aria")

# name: (implementation, old text, new text, failing item, failing step index, words in message,
#        items that fail as a consequence — a broken Enter key breaks every item that adds tasks)
BROKEN = {
    "enter_does_nothing": (
        "vanilla",
        '<form id="form">',
        '<form id="form" onsubmit="event.stopImmediatePropagation(); return false">',
        "add", 2, ("expect_count", "role=listitem", "Buy milk"), {"complete", "filter", "clear"},
    ),
    "count_not_updated": (
        "todomvc",
        "t.completed = e.target.checked;\n    view();",
        "t.completed = e.target.checked;\n    const keep = $(\".todo-count\").innerHTML;\n    view();\n"
        "    $(\".todo-count\").innerHTML = keep;",
        "complete", 6, ("expect_visible", "1 item left"), set(),
    ),
    "active_shows_all": (
        "aria",
        'if ((route === "active" && t.done) ||',
        "if (",
        "filter", 8, ("expect_count", "Buy milk"), set(),
    ),
    "no_address_change": (
        "vanilla",
        '<nav aria-label="Filters"><a href="#/">All</a><a href="#/active">Active</a><a href="#/completed">Completed</a></nav>',
        '<nav aria-label="Filters"><a href="#/" onclick="return false">All</a><a href="#/active" onclick="return false">Active</a>'
        '<a href="#/completed" onclick="return false">Completed</a></nav>',
        "filter", 6, ("expect_url", "#/active"), set(),
    ),
    "clear_removes_all": (
        "todomvc",
        "app.todos = app.todos.filter((t) => !t.completed); view();",
        "app.todos = []; view();",
        "clear", 7, ("expect_count", "Walk the dog"), set(),
    ),
    "adds_blank_tasks": (
        "aria",
        'if (e.key === "Enter" && e.target.value.trim())',
        'if (e.key === "Enter")',
        "empty", 3, ("expect_hidden", "role=checkbox"), set(),
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def todo_sites(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("todo")
    out = {name: IMPLS / name for name in CORRECT}
    for name, (impl, old, new, *_rest) in BROKEN.items():
        html = (IMPLS / impl / "index.html").read_text(encoding="utf-8")
        assert html.count(old) == 1, (name, "the patch must apply exactly once")
        dest = root / name
        dest.mkdir()
        (dest / "index.html").write_text(html.replace(old, new), encoding="utf-8")
        out[name] = dest
    return out


@pytest.fixture(scope="module")
async def todo_verdicts(patient_judge, todo_sites):
    task = read_task(IMPLS / "task.yaml")
    names = list(todo_sites)
    out = {}
    async for i, j in patient_judge.judge_many([todo_sites[n] for n in names], task=task):
        out[names[i]] = j.verdict
    return out


@pytest.mark.browser
@pytest.mark.timeout(1200)
@pytest.mark.parametrize("impl", CORRECT)
async def test_portable_task_passes_on_every_correct_implementation(todo_verdicts, impl):
    v = todo_verdicts[impl]
    assert v.status == "ok", v.reason
    status = {p.id: (p.status, p.message) for p in v.probes}
    assert all(s == "passed" for s, _ in status.values()), status
    assert v.dimensions["task"] == 1.0


@pytest.mark.browser
@pytest.mark.timeout(1200)
@pytest.mark.parametrize("name", sorted(BROKEN))
async def test_broken_variant_fails_with_the_step_named(todo_verdicts, name):
    impl, _old, _new, item, step, words, knock_on = BROKEN[name]
    v = todo_verdicts[name]
    probes = {p.id: p for p in v.probes}
    failed = {p.id for p in v.probes if p.status != "passed"}
    assert failed == {item} | knock_on, [
        (p.id, p.message) for p in v.probes if p.status != "passed"
    ]
    p = probes[item]
    assert p.status == "failed" and p.failed_step == step, p.message
    for w in words:
        assert w in p.message, p.message
    check = next(c for c in v.checks if c.id == f"task.{item}")
    assert check.score == 0.0 and check.evidence
    ev = check.evidence[0]
    assert f"step {step} ({p.steps[-1].action}" in (ev.detail or "")
    assert ev.selector is None if p.steps[-1].action == "expect_url" else ev.selector
    assert v.dimensions["task"] < todo_verdicts[impl].dimensions["task"]


def test_readme_example_is_the_tested_task():
    """The README's to-do example is a verbatim subset of the task file judged above."""
    import re

    import yaml

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(id: todo\n.*?)```", readme, re.S)
    assert block, "README lost its to-do example"
    shown = yaml.safe_load(block.group(1))
    tested = yaml.safe_load((IMPLS / "task.yaml").read_text(encoding="utf-8"))
    assert shown["prompt"] == tested["prompt"]
    by_id = {i["id"]: i for i in tested["checklist"]}
    probed = [i for i in shown["checklist"] if "probe" in i]
    assert len(probed) == 3 and all(i == by_id[i["id"]] for i in probed)
    assert read_task(IMPLS / "task.yaml").checklist  # and the file validates
