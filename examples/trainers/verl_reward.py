"""verl: fjudge as a custom reward function. Run: .venv/bin/python examples/trainers/verl_reward.py

In a verl PPO/GRPO config (verl 0.9):
    custom_reward_function:
      path: judge/adapters/verl.py
      name: compute_score_async      # the reward loop awaits it; compute_score for older verl
      reward_kwargs: {policy: examples/policies/frontend-rl.toml}
    reward:                          # the training step for the policy's schedule (reward loop)
      reward_manager: {source: importlib, name: FjudgeRewardManager,
                       module: {path: "pkg://judge.adapters.verl"}}
      num_workers: 1                 # each reward worker process starts one shared browser
Dataset rows: data_source = task type, reward_model.ground_truth = {"tests_passed": ...},
extra_info = {"prompt": ..., "signals": {...}}.

This script calls the functions exactly as verl's reward managers do, without verl, with the
step as FjudgeRewardManager fills it in from `meta_info["global_steps"]`.
"""

import asyncio
from pathlib import Path

from judge.adapters.verl import compute_score, compute_score_async, step_and_prompt

POLICY = str(Path(__file__).resolve().parents[1] / "policies" / "frontend-rl.toml")
PROMPT = [{"role": "user", "content": "Write a landing page for a bakery."}]
COMPLETION = """Here is the landing page:

```html
<!doctype html><title>Bakery</title>
<h1>Sunrise Bakery</h1><p>Sourdough, croissants and coffee from 7 am.</p>
```
"""

if __name__ == "__main__":
    for step in (0, 250, 1000):
        extra: dict = {}
        step_and_prompt(extra, {"global_steps": step}, {"raw_prompt": PROMPT})
        out = compute_score(
            data_source="frontend",
            solution_str=COMPLETION,
            ground_truth={"tests_passed": 0.5},
            extra_info=extra,
            policy=POLICY,
        )
        print(f"step {step:>4}: " + ", ".join(f"{k}={v:.3f}" for k, v in out.items()))
    out = asyncio.run(
        compute_score_async("frontend", COMPLETION, None, {"step": 1000}, policy=POLICY)
    )
    print(f"async, step 1000: score={out['score']:.3f}")
