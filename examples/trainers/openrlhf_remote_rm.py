"""OpenRLHF: fjudge as a remote reward model.

    .venv/bin/fjudge serve --port 8000 --policy examples/policies/judge-only.toml
    # train with OpenRLHF's own client:     --remote_rm_url http://127.0.0.1:8000/get_reward
    # or with fjudge's (honours Retry-After, waits past 180 s):
    #   FJUDGE_REWARD_URL=http://127.0.0.1:8000 ... --remote_rm_url judge/adapters/openrlhf.py
    .venv/bin/python examples/trainers/openrlhf_remote_rm.py http://127.0.0.1:8000

This script posts one batch as OpenRLHF does (query = prompt + response, prompts, labels) through
fjudge's client and prints rewards, scores and the per-component extra_logs.
"""

import sys

from judge.adapters.openrlhf import RewardClient

PROMPT = "<|user|>Write a bakery landing page.<|assistant|>"
ANSWER = "```html\n<!doctype html><title>B</title><h1>Bakery</h1><p>Open daily.</p>\n```"

if __name__ == "__main__":
    client = RewardClient(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
    got = client.get_rewards(
        [PROMPT + ANSWER, PROMPT + "no code"], [PROMPT, PROMPT], ['{"task_type": "frontend"}', ""]
    )
    print(got)
