"""The OpenRLHF remote reward endpoint, posted to as OpenRLHF's client does, and fjudge's own
client (judge.adapters.openrlhf) which honours Retry-After.

OpenRLHF 0.9–0.11 (remote_rm_utils.request_api_wrapper, SingleTurnRolloutExecutor): POST
{"query": [prompt+response], "prompts": [...], "labels": [...]}, reads "rewards", "scores"
(default: rewards) and "extra_logs" ({name: one value per query}); 180 s per request, five
tries one second apart, Retry-After ignored.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from judge.adapters.openrlhf import RewardClient
from judge.adapters.runtime import RewardUnavailable
from tests.service.service_harness import ServiceProcess

PROMPT = "<|user|>Write a landing page for a bakery.<|assistant|>"
GOOD = "```html\n<!doctype html><title>B</title><h1>Bakery</h1><p>Warm bread daily.</p>\n```"


def test_get_reward_as_openrlhf_posts_it(client: httpx.Client) -> None:
    body = {
        "query": [PROMPT + GOOD, PROMPT + "no code, sorry", "```html\n<p>only html</p>\n```"],
        "prompts": [PROMPT, PROMPT, ""],
        "labels": ['{"task_type": "frontend"}', "", None],
        "future_field": 1,  # newer OpenRLHF versions may add keys: ignored, not refused
    }
    r = client.post("/get_reward", json=body)
    assert r.status_code == 200, r.text
    got = r.json()
    rewards, scores, logs = got["rewards"], got["scores"], got["extra_logs"]
    assert len(rewards) == 3 and all(isinstance(x, float) for x in rewards)
    assert rewards[0] > 0 and rewards[1] == -1.0  # no files → rejected → gate
    assert len(scores) == 3 and 0 < scores[0] <= 1 and scores[1] == 0.0
    # default policy: judge only → the judge component is the score; the gated sample has none
    assert logs["fjudge/score"] == scores and logs["fjudge/gated"] == [0.0, 1.0, 0.0]
    assert logs["fjudge/judge"][0] == pytest.approx(scores[0])
    assert logs["fjudge/judge"][1] == 0.0 and logs["fjudge/judge_n"] == [1.0, 0.0, 1.0]
    assert all(len(v) == 3 for v in logs.values()) and "fjudge/preference" not in logs
    bad = client.post("/get_reward", json={"prompts": []})
    assert bad.status_code == 422 and "query" in bad.text


def test_slow_batch_answers_503_and_a_repost_attaches(tmp_path: Path) -> None:
    # The server holds a request at most --openrlhf-wait seconds (OpenRLHF's client gives up
    # after 180 s). fjudge's client waits Retry-After and re-posts; the re-post attaches to the
    # jobs already queued, so however many posts it takes, each sample is judged once.
    svc = ServiceProcess(tmp_path / "slow.db", "--openrlhf-wait", "0.01", "--workers", "1").start()
    try:
        client = RewardClient(svc.url, timeout=240)
        pages = [GOOD.replace("Bakery", f"Bakery {i}") for i in range(3)]
        got = client.get_rewards([PROMPT + p for p in pages] + [PROMPT + pages[0]], [PROMPT] * 4)
        assert len(got["rewards"]) == 4 and got["rewards"][0] == got["rewards"][3]
        counts = httpx.get(svc.url + "/healthz").json()
        assert counts["done"] == 3 and counts["queued"] == counts["running"] == 0  # no duplicates
        assert client.waits  # it had to wait at least once (1 s floor vs. a real judgment)
    finally:
        svc.stop()


def test_client_honours_retry_after_then_gives_up(tmp_path: Path) -> None:
    # A batch bigger than the whole queue never fits: 429 + Retry-After every time. The client
    # sleeps exactly what the server says (not its own backoff) until its deadline.
    svc = ServiceProcess(tmp_path / "full.db", "--queue-max", "1").start()
    try:
        client = RewardClient(svc.url, timeout=2.5, backoff=50.0)
        with pytest.raises(RewardUnavailable, match="429"):
            client.get_rewards([GOOD, GOOD.replace("B", "C")])
        assert client.waits and client.waits[0] == 1.0  # Retry-After: 1 (empty queue)
        assert all(w <= 1.0 for w in client.waits)  # never the 25–50 s jittered backoff
    finally:
        svc.stop()


def test_environment_fault_is_503_never_a_reward(tmp_path: Path) -> None:
    svc = ServiceProcess(
        tmp_path / "broken.db", env={"FJUDGE_CHROMIUM": "/nonexistent/chromium"}
    ).start()
    try:
        with httpx.Client(base_url=svc.url, timeout=120) as c:
            r = c.post("/get_reward", json={"query": [GOOD]})
            assert r.status_code == 503 and "Retry-After" in r.headers
            assert "environment fault" in r.text
            job = c.post("/v1/score", json={"html": "<h1>x</h1>", "policy": {}}).json()
            assert job["status"] == "failed" and job["verdict"]["status"] == "infra_error"
            assert job["verdict"]["score"] is None and job["reward"]["value"] is None
            assert job["reward"]["skipped"] is True
            assert job["attempts"] == 1  # retried inside the job, not re-queued
        with pytest.raises(RewardUnavailable):
            RewardClient(svc.url, timeout=15).get_rewards([GOOD])
    finally:
        svc.stop()


def test_prompt_becomes_the_task_prompt_and_task_type_is_kept(monkeypatch) -> None:
    from judge.service.openrlhf import RewardQuery, to_requests

    monkeypatch.setenv("FJUDGE_TASK_TYPE", "backend")
    body = RewardQuery(
        query=[PROMPT + GOOD, PROMPT + GOOD, GOOD],
        prompts=[PROMPT, PROMPT, ""],
        labels=[None, '{"task_type": "tool_use", "step": 7}', None],
    )
    a, b, c = to_requests(body, None)
    # The prompt goes with the job (the worker sets it as the task's prompt: `with_prompt`).
    assert a.completion == GOOD and a.prompt == PROMPT
    assert a.task_type == "backend"  # the Task's default type does not override the setting
    assert b.task_type == "tool_use" and b.step == 7 and a.group == b.group
    assert c.task is None and c.prompt is None and c.completion == GOOD
