"""The OpenRLHF remote reward endpoint, posted to as OpenRLHF's remote_rm_fn does."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.service.service_harness import ServiceProcess

PROMPT = "<|user|>Write a landing page for a bakery.<|assistant|>"
GOOD = "```html\n<!doctype html><title>B</title><h1>Bakery</h1><p>Warm bread daily.</p>\n```"


def test_get_reward_as_openrlhf_posts_it(client: httpx.Client) -> None:
    # OpenRLHF: requests.post(url, json={"query": q, "prompts": p, "labels": l}) → ["rewards"]
    body = {
        "query": [PROMPT + GOOD, PROMPT + "no code, sorry", "```html\n<p>only html</p>\n```"],
        "prompts": [PROMPT, PROMPT, ""],
        "labels": ['{"task_type": "frontend"}', "", None],
        "future_field": 1,  # newer OpenRLHF versions may add keys: ignored, not refused
    }
    r = client.post("/get_reward", json=body)
    assert r.status_code == 200, r.text
    rewards = r.json()["rewards"]
    assert len(rewards) == 3 and all(isinstance(x, float) for x in rewards)
    assert rewards[0] > 0 and rewards[1] == -1.0  # no files → rejected → gate
    bad = client.post("/get_reward", json={"prompts": []})
    assert bad.status_code == 422 and "query" in bad.text


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
    finally:
        svc.stop()
