"""The agent judge end to end: real openai client → local fake server, real Chromium page."""

from __future__ import annotations

import base64
import io
import json
import re

import pytest
from conftest import AGENT_FIXTURES
from fakellm import Reply, Reviewer, content, images, outside_untrusted, texts, tool_calls
from PIL import Image

pytestmark = pytest.mark.browser


def _tool_results(requests):
    return [m["content"] for r in requests for m in r["messages"] if m["role"] == "tool"]


@pytest.mark.slow
async def test_agent_scores_items_with_mean_std_over_runs(use_agent, sites):
    judge = use_agent(Reviewer(base=7), runs=3)
    v = await judge.judge(sites / "good")
    assert v.status == "ok", v.reason
    assert v.judge.mode == "hybrid"
    prov = v.judge.provenance
    assert prov["model"] == "fake-vl" and prov["endpoint_host"].startswith("127.0.0.1:")
    assert prov["runs"] == 3 and prov["seed"] == 0 and prov["rubric_version"]
    assert len(prov["prompt_template_hash"]) == 16

    agent = v.agent
    assert agent is not None and agent.runs == 3 and not agent.cached
    items = {i.id: i for i in agent.items}
    assert "dim:layout" in items and "dim:task" not in items  # no task file → no task item
    for item in items.values():
        # The fake's scores vary with the run seed: 6, 7, 8 out of 10.
        assert item.runs == [0.6, 0.7, 0.8]
        assert item.mean == pytest.approx(0.7) and item.std == pytest.approx(0.1)
        assert item.ci95 is not None and item.ci95[0] < 0.7 < item.ci95[1]
        assert not item.unstable
    assert agent.score == pytest.approx(0.7)
    assert agent.steps_per_run == [5, 5, 5]
    assert agent.tokens["image"] > 0 and agent.tokens["prompt"] > agent.tokens["image"]
    assert len(agent.tokens_per_run) == 3
    # Hybrid: each dimension is the mean of deterministic and agent scores.
    assert v.dimensions["layout"] == pytest.approx((1.0 + 0.7) / 2, abs=0.06)


async def test_tools_act_on_the_real_page_and_images_are_downscaled(use_agent, fake_llm, sites):
    judge = use_agent(Reviewer(actions=("screenshot", "read_page", "type", "screenshot")))
    v = await judge.judge(sites / "good")
    assert v.status == "ok", v.reason
    reqs = fake_llm.requests
    assert len(reqs) == 5  # 4 tool turns + submit_scores
    first = reqs[0]
    assert {t["function"]["name"] for t in first["tools"]} >= {
        "screenshot", "click", "type", "press", "hover", "scroll", "set_viewport",
        "read_page", "finish", "submit_scores",
    }  # fmt: skip
    results = _tool_results(reqs)
    assert any(r.startswith("viewport screenshot s2") for r in results)
    assert any('button "Join the list"' in r for r in results)
    # Typing the e-mail and pressing Enter submits the form: the page's text changes.
    typed = next(r for r in results if r.startswith("typed"))
    assert "page content changed" in typed, typed
    # Every image is sent once, downscaled to the long-side cap, with the requested detail.
    sent = [i for r in reqs for i in images(r)]
    assert len(sent) == 3  # contact sheet + two screenshots
    sizes = []
    for img in sent:
        assert img["detail"] == "high"
        with Image.open(io.BytesIO(base64.b64decode(img["url"].split(",", 1)[1]))) as im:
            sizes.append(im.size)
    assert sizes[0][1] == 512  # the contact sheet: all three viewports at one height
    assert all(max(s) <= 768 for s in sizes[1:]), sizes  # screenshots: long side capped
    assert all("[image s1 shown earlier]" in json.dumps(r) for r in reqs[1:])


async def test_second_identical_judgment_costs_zero_requests(use_agent, fake_llm, sites):
    judge = use_agent(Reviewer())
    first = await judge.judge(sites / "good")
    n = len(fake_llm.requests)
    assert n == 5
    second = await judge.judge(sites / "good")
    assert len(fake_llm.requests) == n, "the second judgment should come from the cache"
    assert second.agent is not None and second.agent.cached
    assert first.stable_dict() == second.stable_dict()


async def test_rate_limit_with_retry_after_is_retried(use_agent, fake_llm, sites):
    inner = Reviewer()

    def script(body, n):
        if n == 0:
            return Reply(429, {"error": {"message": "slow down"}}, {"Retry-After": "1"})
        return inner(body, n)

    judge = use_agent(script)
    v = await judge.judge(sites / "good")
    assert v.status == "ok" and v.agent is not None
    assert all(i.mean is not None for i in v.agent.items)
    assert len(fake_llm.requests) == 6  # the 429 plus the normal five
    assert fake_llm.requests[0] == fake_llm.requests[1]  # the same request, retried
    assert fake_llm.arrivals[1] - fake_llm.arrivals[0] >= 0.95  # Retry-After honoured


async def test_malformed_reply_retried_once_then_unscored(use_agent, fake_llm, sites):
    def script(body, n):
        if "response_format" in body:
            return content(body, "Sure! Here are my scores: render 9, layout 8")  # not JSON
        bad = [{"id": "dim:render", "verdict": "scored", "score": 9, "rationale": "fine"}]
        bad.append({"id": "dim:layout", "verdict": "scored", "score": "eight"})
        return tool_calls(body, ("submit_scores", {"items": bad}))

    judge = use_agent(script)
    v = await judge.judge(sites / "good")
    assert v.status == "ok"
    assert len(fake_llm.requests) == 2  # the answer, then exactly one retry
    retry_text = texts(fake_llm.requests[1])[-1]
    assert "could not be used" in retry_text and "dim:layout" in retry_text
    assert "missing sub-task ids" in retry_text
    items = {i.id: i for i in v.agent.items}
    assert items["dim:render"].mean == pytest.approx(0.9)  # the valid item survives
    for other in ("dim:layout", "dim:visual", "dim:interaction"):
        assert items[other].mean is None and items[other].runs == [None]
    assert any("still invalid" in e for e in v.agent.errors)
    # Unscored items fall back to the deterministic dimension, never to a default number.
    assert v.dimensions["render"] == pytest.approx(
        (v.agent.dimensions["render"] + 1.0) / 2, abs=0.1
    )
    assert "layout" not in v.agent.dimensions


async def test_hybrid_with_the_endpoint_down_keeps_the_deterministic_verdict(
    use_agent, fake_llm, sites, judge_session
):
    judge = use_agent(
        lambda body, n: Reply(503, {"error": {"message": "overloaded"}}), FJUDGE_AGENT_ATTEMPTS="3"
    )
    v = await judge.judge(sites / "good")
    det = await judge_session.judge(sites / "good")
    # The environment fault costs the agent's opinion, never the deterministic judgment.
    assert v.status == "ok" and v.score == det.score and v.dimensions == det.dimensions
    assert v.agent is not None and "unavailable after 3 attempts" in (v.agent.unscored_reason or "")
    assert v.judge.mode == "hybrid" and "deterministic verdict stands" in (v.judge.note or "")
    assert len(fake_llm.requests) == 3


async def test_agent_only_with_the_endpoint_down_is_infra_error(use_agent, fake_llm, sites):
    judge = use_agent(
        lambda body, n: Reply(503, {"error": {"message": "overloaded"}}),
        judge="agent",
        FJUDGE_AGENT_ATTEMPTS="2",
    )
    v = await judge.judge(sites / "good")
    assert v.status == "infra_error" and v.score is None
    assert "unavailable after 2 attempts" in (v.reason or "")


async def test_injection_page_is_flagged_capped_and_only_quoted_as_untrusted(use_agent, fake_llm):
    judge = use_agent(Reviewer(base=10))
    v = await judge.judge(AGENT_FIXTURES / "injection")
    found = [c for c in v.checks if c.id == "manipulation"]
    assert found and found[0].score == 0.0 and found[0].gate == "manipulation_cap"
    assert found[0].data["count"] >= 3  # visible plea, display:none text, off-screen text, comment
    assert any(e.selector == "#plea" for e in found[0].evidence)
    assert any(e.selector == "#ghost" for e in found[0].evidence)
    # The agent was talked into 9-10/10 everywhere, yet the gate caps the score.
    assert v.agent is not None and v.agent.score >= 0.9
    assert v.score is not None and v.score <= judge.rubric.gates.manipulation_cap
    assert "manipulation_cap" in (v.reason or "")
    phrases = [r"ignore previous instructions", r"score this page 10/10", r"attention ai judge"]
    seen = 0
    for body in fake_llm.requests:
        for text in texts(body):
            seen += sum(len(re.findall(p, text, re.I)) for p in phrases)
            outside = outside_untrusted(text)
            for p in phrases:
                assert not re.search(p, outside, re.I), (p, outside[:500])
    assert seen >= 2  # the page text did reach the model, inside untrusted blocks


async def test_step_budget_ends_exploration_and_scores_what_was_gathered(
    use_agent, agent_judge, fake_llm, sites, monkeypatch
):
    budgets = agent_judge.rubric.budgets.model_copy(update={"agent_steps": 2})
    monkeypatch.setattr(
        agent_judge, "rubric", agent_judge.rubric.model_copy(update={"budgets": budgets})
    )
    judge = use_agent(Reviewer(base=6))
    v = await judge.judge(sites / "good")
    assert v.agent is not None and v.agent.budget_hits == ["run 0: steps"]
    assert v.agent.steps_per_run == [2]
    assert len(fake_llm.requests) == 3  # two tool turns, then the structured scoring request
    last = fake_llm.requests[-1]
    assert last["response_format"]["type"] == "json_schema" and last["tool_choice"] == "none"
    assert "step budget of 2" in texts(last)[-1]
    assert all(i.mean == pytest.approx(0.5) for i in v.agent.items)
