"""Trainer adapters: verl `compute_score`, TRL GRPOTrainer reward function (the OpenRLHF
endpoint `/get_reward` is part of the service: `judge.service.openrlhf`).

What each returns for a skipped (infra_error) sample, after one retry:
- verl: raises `RewardUnavailable` (verl writes the value into a tensor and has no "missing";
  any number would be a made-up reward), so a persistent environment fault stops the step loudly.
- TRL: `None`, TRL's documented "not applicable" value for a reward function.
- OpenRLHF: HTTP 503 with Retry-After for the batch; its client retries the request.
"""

from judge.adapters.runtime import RewardRuntime, RewardUnavailable, get_runtime

__all__ = ["RewardRuntime", "RewardUnavailable", "get_runtime"]
