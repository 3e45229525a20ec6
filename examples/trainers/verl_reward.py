"""verl: fjudge as a custom reward function. Run: .venv/bin/python examples/trainers/verl_reward.py

In a verl PPO/GRPO config:
    custom_reward_function:
      path: judge/adapters/verl.py
      name: compute_score            # or compute_score_batch with reward_model.reward_manager=batch
      reward_kwargs: {policy: examples/policies/frontend-rl.toml}
Dataset rows: data_source = task type, reward_model.ground_truth = {"tests_passed": ...},
extra_info = {"step": ..., "signals": {...}}.
"""

from pathlib import Path

from judge.adapters.verl import compute_score

POLICY = str(Path(__file__).resolve().parents[1] / "policies" / "frontend-rl.toml")
COMPLETION = """Here is the landing page:

```html
<!doctype html><title>Bakery</title>
<h1>Sunrise Bakery</h1><p>Sourdough, croissants and coffee from 7 am.</p>
```
"""

if __name__ == "__main__":
    for step in (0, 250, 1000):
        out = compute_score(
            data_source="frontend",
            solution_str=COMPLETION,
            ground_truth={"tests_passed": 0.5},
            extra_info={"step": step},
            policy=POLICY,
        )
        print(f"step {step:>4}: " + ", ".join(f"{k}={v:.3f}" for k, v in out.items()))
