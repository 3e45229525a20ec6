"""OpenRLHF: fjudge as a remote reward model.

    .venv/bin/fjudge serve --port 8000 --policy examples/policies/judge-only.toml
    # then train with: --remote_rm_url http://127.0.0.1:8000/get_reward
    .venv/bin/python examples/trainers/openrlhf_remote_rm.py http://127.0.0.1:8000

This script posts one batch exactly as OpenRLHF's remote_rm_fn does and prints the rewards.
"""

import sys

import httpx

PROMPT = "<|user|>Write a bakery landing page.<|assistant|>"
ANSWER = "```html\n<!doctype html><title>B</title><h1>Bakery</h1><p>Open daily.</p>\n```"

if __name__ == "__main__":
    url = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000") + "/get_reward"
    body = {"query": [PROMPT + ANSWER, PROMPT + "no code"], "prompts": [PROMPT, PROMPT]}
    r = httpx.post(url, json=body, timeout=600)
    r.raise_for_status()
    print(r.json())
