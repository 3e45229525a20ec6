"""Same input → same verdict, for every check, under concurrency and repetition.

Five realistic pages with scripts (a to-do app with storage and filters, a landing page with
transitions, a form and an accordion, a canvas dashboard driven by Math.random and a clock, a
carousel with autoplay, a modal and an infinite spinner, a sign-in form that reloads the page
on submit — the navigation is a task of its own, seen however busy the machine), judged by one Judge with two
workers, ten times over. Everything but `timings` must be identical on every run: the load-time
events are frozen before checks read them, animations are settled before measuring, and every
interaction probe starts from a fresh page.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REALISTIC = Path(__file__).resolve().parent.parent / "fixtures" / "realistic"
PAGES = ["todo", "landing", "dashboard", "gallery", "login"]
RUNS = int(os.environ.get("FJUDGE_DETERMINISM_RUNS", "10"))


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(1800)
async def test_every_check_identical_over_ten_runs_with_two_workers():
    from judge.pipeline import Judge
    from judge.schema import JudgeOptions

    paths = [REALISTIC / p for p in PAGES] * RUNS
    seen: dict[str, list[str]] = {p: [] for p in PAGES}
    async with Judge(JudgeOptions(workers=2, judge="deterministic")) as judge:
        async for i, judgment in judge.judge_many(paths):
            v = judgment.verdict
            assert v.status == "ok", (PAGES[i % len(PAGES)], v.reason)
            seen[PAGES[i % len(PAGES)]].append(json.dumps(v.stable_dict(), sort_keys=True))
    for page, runs in seen.items():
        first = json.loads(runs[0])
        for n, other in enumerate(runs[1:], 2):
            if other != runs[0]:
                diff = _first_difference(first, json.loads(other))
                pytest.fail(f"{page}: run {n} differs from run 1 at {diff}")
        assert len(runs) == RUNS


def _first_difference(a, b, path="") -> str:
    if type(a) is not type(b):
        return f"{path}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                return _first_difference(a.get(k), b.get(k), f"{path}.{k}")
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_difference(x, y, f"{path}[{i}]")
    return f"{path}: {str(a)[:300]} != {str(b)[:300]}"


@pytest.mark.browser
async def test_css_animation_chain_is_captured_at_its_end(judge_session):
    """A chain of real-time CSS animations (each animationend starts the next, 2.3 s in all) is
    seen to its end before capture, as a person looking for a few seconds sees it — not at
    whatever step the machine's speed reached (the real-app workbench's null control moved on
    such a countdown)."""
    for _ in range(2):
        j = await judge_session.judge_full(REALISTIC / "countdown")
        assert j.verdict.status == "ok", j.verdict.reason
        for name, cap in j.captures.items():
            shown = {e.text.strip() for e in cap.elements if e.visible and e.text.strip()}
            assert "Lift-off" in shown, (name, shown)
            assert not shown & {"3", "2", "1"}, (name, shown)


@pytest.mark.browser
async def test_form_that_reloads_the_page_is_seen_reloading_every_time(judge_session):
    """A sign-in form with no action reloads the page on submit. The navigation starts in a task
    of its own after the click; the prober waits for it whenever a submit or link click was not
    prevented, instead of reading "nothing happened" when the machine is slower than the reload
    (the real-app workbench's null control moved on such a form)."""
    flows = []
    for _ in range(3):
        v = (await judge_session.judge_full(REALISTIC / "login")).verdict
        assert v.status == "ok", v.reason
        flow = [c for c in v.checks if c.id == "interaction.flow"]
        assert flow and "reloads the page" in flow[0].message, flow
        flows.append((flow[0].score, flow[0].message))
    assert len(set(flows)) == 1, flows
