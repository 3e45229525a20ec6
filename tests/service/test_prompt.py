"""The prompt through the service: JSON jobs, /v1/rewards items and multipart uploads."""

from __future__ import annotations

import hashlib

import httpx

from tests.service.service_harness import wait_all

PROMPT = (
    "A landing page on a #fafafa background with #111111 text. No rounded corners. "
    'Headline "Bread, daily".'
)
FOLLOWS = (
    "<!doctype html><title>B</title><body style='margin:0;background:#fafafa;color:#111111'>"
    "<h1>Bread, daily</h1><p>Warm loaves from six in the morning, every day of the week.</p>"
)
IGNORES = (
    "<!doctype html><title>B</title><body style='margin:0;background:#ffe4e1;color:#4b0082'>"
    "<h1 style='border-radius:12px;background:#fff;padding:12px'>Fresh bakes</h1>"
    "<p>Warm loaves from six in the morning, every day of the week.</p>"
)
SHA = hashlib.sha256(PROMPT.encode()).hexdigest()


def test_json_job_prompt_is_judged_and_recorded(client: httpx.Client) -> None:
    ids = [
        client.post("/v1/jobs", json={"html": page, "prompt": PROMPT}).json()["id"]
        for page in (FOLLOWS, IGNORES)
    ]
    follows, ignores = (v["verdict"] for v in wait_all(client, ids))
    assert follows["prompt"]["sha256"] == SHA and follows["prompt"]["source"] == "prompt"
    assert follows["prompt"]["spec"]["texts"][0]["text"] == "Bread, daily"
    assert "spec" in follows["dimensions"]
    assert follows["dimensions"]["spec"] > ignores["dimensions"]["spec"]
    bad = {c["id"] for c in ignores["checks"] if c["dimension"] == "spec" and c["score"] < 0.5}
    assert {"spec.colour.background", "spec.rounded_corners"} <= bad
    # The prompt overrides a task's own prompt; without either there is no spec at all.
    task = {"prompt": "Background #000000."}
    r = client.post("/v1/jobs", json={"html": FOLLOWS, "task": task, "prompt": PROMPT})
    [view] = wait_all(client, [r.json()["id"]])
    assert view["verdict"]["prompt"]["sha256"] == SHA
    r = client.post("/v1/jobs", json={"html": FOLLOWS})
    [plain] = wait_all(client, [r.json()["id"]])
    assert plain["verdict"]["prompt"] is None and "spec" not in plain["verdict"]["dimensions"]


def test_rewards_items_and_multipart_carry_the_prompt(client: httpx.Client) -> None:
    body = {
        "policy": {"weights": {"frontend": {"judge": 1.0}}},
        "items": [{"html": FOLLOWS, "prompt": PROMPT}, {"html": IGNORES, "prompt": PROMPT}],
    }
    r = client.post("/v1/rewards", json=body)
    assert r.status_code == 200, r.text
    got = r.json()
    assert [j["verdict"]["prompt"]["sha256"] for j in got["jobs"]] == [SHA, SHA]
    assert got["rewards"][0] > got["rewards"][1]
    files = {"file": ("page.html", FOLLOWS.encode(), "text/html")}
    r = client.post("/v1/jobs", files=files, data={"prompt": PROMPT})
    assert r.status_code == 202, r.text
    [view] = wait_all(client, [r.json()["id"]])
    assert view["verdict"]["prompt"]["sha256"] == SHA
