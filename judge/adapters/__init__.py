"""Trainer adapters: verl `compute_score` (sync, async, batch; `FjudgeRewardManager` for the
training step), TRL GRPOTrainer reward functions (sync and async), and the OpenRLHF client
(`judge.adapters.openrlhf`; the `/get_reward` endpoint itself is `judge.service.openrlhf`).

Every adapter judges on the process's one shared warm browser (`judge.pool`, FJUDGE_WORKERS
pages at a time, default 2), passes each sample's prompt in as `Task(prompt=...)`, and composes
rewards with `judge.finish.reward_for`, as the service does.

What each returns for a skipped (infra_error) sample, after one retry:
- verl: raises `RewardUnavailable` (verl writes the value into a tensor and has no "missing";
  any number would be a made-up reward), so a persistent environment fault stops the step loudly.
- TRL: `None`, TRL's documented "not applicable" value for a reward function.
- OpenRLHF: HTTP 503 with Retry-After for the batch; `judge.adapters.openrlhf.RewardClient`
  waits and re-posts, and raises `RewardUnavailable` once its deadline passes.
"""

from judge.adapters.runtime import RewardRuntime, RewardUnavailable, get_runtime

__all__ = ["RewardRuntime", "RewardUnavailable", "get_runtime"]
