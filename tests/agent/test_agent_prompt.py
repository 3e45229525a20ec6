"""The agent judges against the prompt: a checklist derived once per prompt (cached by its
hash), the deterministic spec results as evidence, every item scored on its own; compare uses
the same checklist. Only the LLM is faked (tests/agent/fakellm.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fakellm import Reviewer, content, format_name, outside_untrusted, texts

from judge.compare import compare_paths
from judge.schema import JudgeOptions, Task

pytestmark = pytest.mark.browser

PROMPT = (
    "A bakery page on a #fafafa background with #111111 text. No rounded corners. "
    'The headline reads "Bread, daily". End with a footer.'
)
PAGE = (
    "<!doctype html><html lang=en><title>Bakery</title>"
    "<body style='margin:0;background:#fafafa;color:#111111;font:18px sans-serif'>"
    "<main style='padding:24px'><h1>Bread, daily</h1><p>Warm loaves from six every morning.</p>"
    "<button style='border-radius:0'>Order</button></main><footer style='padding:24px'>"
    "12 Mill Lane</footer></body></html>"
)
OTHER = PAGE.replace("#fafafa", "#ffe4e1").replace("border-radius:0", "border-radius:14px")


def _site(tmp_path: Path, name: str, html: str) -> Path:
    d = tmp_path / name
    d.mkdir()
    (d / "index.html").write_text(html, encoding="utf-8")
    return d


def _checklist_requests(fake) -> list[dict]:
    return [r for r in fake.requests if format_name(r) == "prompt_checklist"]


async def test_checklist_from_the_prompt_is_scored_item_by_item(use_agent, fake_llm, tmp_path):
    judge = use_agent(Reviewer(base=8))
    v = await judge.judge(_site(tmp_path, "a", PAGE), task=Task(prompt=PROMPT))
    assert v.status == "ok", v.reason
    agent = v.agent
    assert agent is not None and agent.checklist and agent.checklist_key
    [req] = _checklist_requests(fake_llm)
    asked = "\n".join(texts(req))
    # The prompt and the derived spec reach the model only as untrusted data.
    assert "Bread, daily" in asked and "Bread, daily" not in outside_untrusted(asked)
    assert "forbidden: rounded corners" in asked
    ids = {i.id for i in agent.checklist}
    assert {"colours", "forbidden", "components", "texts"} <= ids and len(ids) == 8
    scored = {i.id: i for i in agent.items}
    for item in agent.checklist:  # the fake scores base 8, minus 1 on run 0's seed
        assert f"prompt:{item.id}" in scored and scored[f"prompt:{item.id}"].mean == 0.7
    # Design items feed the spec dimension, the rest the task; the checklist replaces the
    # generic task/spec sub-tasks it covers.
    dims = {i.id: i.dimension for i in agent.checklist}
    assert dims["forbidden"] == "spec" and "dim:spec" not in scored and "dim:task" not in scored
    # The brief lists every item with how to verify it, and the spec results as evidence.
    brief = "\n".join(texts(next(r for r in fake_llm.requests if "tools" in r)))
    assert "Checklist derived from the prompt" in brief and "verify:" in brief
    assert "Deterministic design-spec results" in brief and "spec.rounded_corners" in brief
    assert v.dimensions["spec"] > 0


async def test_same_prompt_same_checklist_without_asking_again(use_agent, fake_llm, tmp_path):
    judge = use_agent(Reviewer())
    task = Task(prompt=PROMPT)
    va = await judge.judge(_site(tmp_path, "a", PAGE), task=task)
    vb = await judge.judge(_site(tmp_path, "b", OTHER), task=task)
    assert va.agent.checklist == vb.agent.checklist and va.agent.checklist_key
    assert va.agent.checklist_key == vb.agent.checklist_key
    assert len(_checklist_requests(fake_llm)) == 1  # asked once for both samples
    cached = list((tmp_path / "cache" / "checklists").glob("*.json"))
    assert [p.stem for p in cached] == [va.agent.checklist_key]
    # Another prompt is another list.
    vc = await judge.judge(_site(tmp_path, "c", PAGE), task=Task(prompt=PROMPT + " Add a hero."))
    assert vc.agent.checklist_key != va.agent.checklist_key


async def test_invalid_checklist_twice_falls_back_to_dimensions(use_agent, fake_llm, tmp_path):
    base = Reviewer()

    def script(body, n):
        if format_name(body) == "prompt_checklist":
            return content(body, '{"items": [{"id": "Not A Slug", "text": "x"}]}')
        return base(body, n)

    judge = use_agent(script)
    v = await judge.judge(_site(tmp_path, "a", PAGE), task=Task(prompt=PROMPT + " v2"))
    assert v.status == "ok" and v.agent is not None
    assert v.agent.checklist == [] and len(_checklist_requests(fake_llm)) == 2
    assert any("checklist: invalid answer" in e for e in v.agent.errors)
    ids = {i.id for i in v.agent.items}
    assert {"dim:task", "dim:spec"} <= ids  # the prompt still has a spec and a task


async def test_no_prompt_no_checklist_no_spec_subtask(use_agent, fake_llm, tmp_path):
    judge = use_agent(Reviewer())
    v = await judge.judge(_site(tmp_path, "a", PAGE))
    assert v.agent is not None and v.agent.checklist == [] and v.prompt is None
    assert _checklist_requests(fake_llm) == []
    ids = {i.id for i in v.agent.items}
    assert "dim:spec" not in ids and "dim:task" not in ids and "spec" not in v.dimensions


async def test_compare_uses_the_same_checklist_item_by_item(
    judge_session, fake_llm, tmp_path, monkeypatch
):
    monkeypatch.setenv("FJUDGE_AGENT_BACKOFF", "0.01")

    def script(body, n):
        if format_name(body) == "prompt_checklist":
            return Reviewer()(body, n)
        text = "\n".join(texts(body))
        ids = []
        for t in texts(body):
            if "UNTRUSTED prompt checklist" in t:
                block = t.split("UNTRUSTED prompt checklist", 1)[1].split(">>>\n", 1)[1]
                ids = [line.split(":")[0] for line in block.split("\n<<<END")[0].splitlines()]
        first, second = (float(x) for x in re.findall(r"deterministic score ([0-9.]+)", text))
        pref = "first" if first > second else "second"
        items = [{"id": i, "preference": pref} for i in ids]
        return content(body, json.dumps({"preference": pref, "margin": 0.6, "items": items}))

    fake_llm.script = script
    fake_llm.requests.clear()
    a, b = _site(tmp_path, "a", PAGE), _site(tmp_path, "b", OTHER)
    opts = JudgeOptions(
        model="fake-vl", base_url=fake_llm.url, cache_dir=tmp_path / "c", prompt=PROMPT
    )
    res = await compare_paths(opts, a, b, judge=judge_session)
    assert res.method == "agent" and res.prompt_sha256
    pair = [r for r in fake_llm.requests if format_name(r) == "pairwise"]
    assert len(pair) == 2 and all("prompt checklist" in json.dumps(r) for r in pair)
    assert res.items and set(res.items.values()) == {"A"}, res.items
    # Deterministically, the same prompt gives per-rule preferences from the spec checks.
    det = await compare_paths(
        JudgeOptions(judge="deterministic", cache_dir=tmp_path / "d", prompt=PROMPT),
        a,
        b,
        judge=judge_session,
    )
    assert det.method == "deterministic" and det.preference == "A"
    assert det.items["spec.rounded_corners"] == "A" and det.items["spec.colour.background"] == "A"
