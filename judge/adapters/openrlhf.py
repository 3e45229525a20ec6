"""OpenRLHF client side: a `/get_reward` client that honours Retry-After and time-outs.

OpenRLHF's own client (`--remote_rm_url http://host:port/get_reward`; OpenRLHF 0.9–0.11,
`remote_rm_utils.request_api_wrapper` and the rollout executors) gives up on a request after
180 s, retries 5 times one second apart and ignores Retry-After, so a busy judge looks like a
dead one. Point OpenRLHF at this file instead and it calls `reward_func(queries, prompts,
labels)` in-process (its `.py` mode), which posts to the fjudge service with this client:

    fjudge serve --port 8000 --policy examples/policies/judge-only.toml
    FJUDGE_REWARD_URL=http://127.0.0.1:8000 \\
      python -m openrlhf.cli.train_ppo_ray ... --remote_rm_url judge/adapters/openrlhf.py

`RewardClient` waits what the server asks (Retry-After on 429/503, which `/get_reward` sends
when the queue is full or a batch is still being judged — a re-post attaches to the queued jobs),
bounds each attempt (`attempt_timeout`) and the whole call (`timeout`), and raises
`RewardUnavailable` when the deadline passes: never a made-up reward. Settings from the
environment: FJUDGE_REWARD_URL, FJUDGE_API_KEY, FJUDGE_REWARD_TIMEOUT (s, default 1800).
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Sequence
from typing import Any

import httpx

from judge.adapters.runtime import RewardUnavailable

__all__ = ["RewardClient", "reward_func"]

RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}


def _retry_after(headers: httpx.Headers) -> float | None:
    from judge.agent.provider import retry_after

    try:
        return retry_after(headers)
    except (TypeError, ValueError):
        return None


class RewardClient:
    """POST /get_reward with Retry-After, per-attempt and overall time-outs."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 1800.0,
        attempt_timeout: float = 200.0,
        api_key: str | None = None,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
    ) -> None:
        self.url = url.rstrip("/")
        if not self.url.endswith("/get_reward"):
            self.url += "/get_reward"
        self.timeout, self.attempt_timeout = timeout, attempt_timeout
        self.backoff, self.max_backoff = backoff, max_backoff
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.http = httpx.Client(headers=headers)
        self.waits: list[float] = []  # what the client slept, for logs and tests

    @classmethod
    def from_env(cls) -> RewardClient:
        """From FJUDGE_REWARD_URL, FJUDGE_API_KEY and FJUDGE_REWARD_TIMEOUT."""
        url = os.environ.get("FJUDGE_REWARD_URL")
        if not url:
            raise RuntimeError(
                "set FJUDGE_REWARD_URL to the fjudge service, e.g. http://127.0.0.1:8000"
            )
        return cls(
            url,
            timeout=float(os.environ.get("FJUDGE_REWARD_TIMEOUT", "1800")),
            api_key=os.environ.get("FJUDGE_API_KEY"),
        )

    def get_rewards(
        self,
        queries: Sequence[str],
        prompts: Sequence[str] | None = None,
        labels: Sequence[Any] | None = None,
    ) -> dict[str, Any]:
        """The service's answer: `rewards`, `scores`, `extra_logs` (RewardUnavailable when none
        came before the deadline, or the service refused the request)."""
        body: dict[str, Any] = {"query": list(queries)}
        if prompts is not None:
            body["prompts"] = list(prompts)
        if labels is not None:
            body["labels"] = list(labels)
        deadline = time.monotonic() + self.timeout
        attempt, last = 0, ""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RewardUnavailable(
                    f"no reward from {self.url} within {self.timeout:.0f}s: {last}"
                )
            wait: float | None = None
            try:
                r = self.http.post(self.url, json=body, timeout=min(self.attempt_timeout, left))
            except httpx.TimeoutException:
                last = f"no answer within {min(self.attempt_timeout, left):.0f}s"
            except httpx.TransportError as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                if r.status_code == 200:
                    return r.json()
                last = f"HTTP {r.status_code}: {r.text[:300]}"
                if r.status_code not in RETRY_STATUS:
                    raise RewardUnavailable(f"{self.url} refused the batch: {last}")
                wait = _retry_after(r.headers)
            if wait is None:  # no advice from the server: exponential backoff with jitter
                ceiling = min(self.max_backoff, self.backoff * 2**attempt)
                wait = ceiling / 2 + random.uniform(0, ceiling / 2)
            wait = max(0.0, min(wait, deadline - time.monotonic()))
            self.waits.append(wait)
            time.sleep(wait)
            attempt += 1

    def close(self) -> None:
        self.http.close()


_CLIENT: RewardClient | None = None


def reward_func(queries: Sequence[str], prompts: Sequence[str], labels: Sequence[Any]) -> dict:
    """OpenRLHF's `.py` remote reward hook: rewards, scores and extra_logs as tensors (lists
    when torch is not installed)."""
    global _CLIENT
    if _CLIENT is None:
        _CLIENT = RewardClient.from_env()
    got = _CLIENT.get_rewards(queries, prompts, labels)
    try:
        import torch
    except ImportError:
        return got

    def t(x: Any) -> Any:
        return torch.tensor(x, dtype=torch.float32)

    return {
        "rewards": t(got["rewards"]),
        "scores": t(got.get("scores", got["rewards"])),
        "extra_logs": {k: t(v) for k, v in got.get("extra_logs", {}).items()},
    }
