"""TRL: fjudge as a GRPOTrainer reward function. Run: .venv/bin/python examples/trainers/trl_reward.py

With TRL installed:
    from trl import GRPOConfig, GRPOTrainer
    from judge.adapters.trl import make_reward_func
    trainer = GRPOTrainer(model="Qwen/...", reward_funcs=[make_reward_func(policy=POLICY)],
                          args=GRPOConfig(...), train_dataset=dataset)
    # or make_reward_func(policy=POLICY, asynchronous=True): TRL awaits it on its own loop
Dataset columns `task_type` and any policy signal (`tests_passed`, `win_rate`) reach the policy;
the prompt reaches the judgment. This script calls the function exactly as GRPOTrainer does
(TRL 1.9), without TRL.
"""

from pathlib import Path
from types import SimpleNamespace

from judge.adapters.trl import make_reward_func

POLICY = str(Path(__file__).resolve().parents[1] / "policies" / "frontend-rl.toml")
PAGE = "```html\n<!doctype html><title>T</title><h1>Todo</h1><ul><li>Milk</li></ul>\n```"

if __name__ == "__main__":
    reward = make_reward_func(policy=POLICY)
    prompts = [[{"role": "user", "content": "Build a todo page"}]] * 3
    completions = [
        [{"role": "assistant", "content": PAGE}],
        [{"role": "assistant", "content": "Sorry, no page."}],
        [{"role": "assistant", "content": PAGE}],
    ]
    logged: dict[str, float] = {}
    values = reward(
        prompts=prompts,
        completions=completions,
        completion_ids=[[1], [2], [3]],
        task_type=["frontend", "frontend", "backend"],
        tests_passed=[0.8, 0.0, 0.5],
        trainer_state=SimpleNamespace(global_step=600),
        log_metric=logged.__setitem__,
    )
    print("rewards:", values)
    print("logged:", logged)
