"""TRL GRPOTrainer reward functions (checked against TRL 1.9's `GRPOTrainer._calculate_rewards`).

    from judge.adapters.trl import make_reward_func
    trainer = GRPOTrainer(model=..., reward_funcs=[make_reward_func(policy="policy.toml")], ...)
    # async: TRL runs coroutine reward functions concurrently on its own daemon loop
    trainer = GRPOTrainer(..., reward_funcs=[make_reward_func(policy=..., asynchronous=True)])

Call shape (TRL 1.9): `reward_func(prompts=prompts, completions=completions,
completion_ids=completion_ids_list, **reward_kwargs)` where reward_kwargs holds every other
dataset column (one value per completion), `trainer_state` (its `global_step` drives the
policy's schedule) and, in TRL >= 1.x, `log_metric(name, value)` (used to log the mean of each
reward component as `fjudge/<component>`). The result is a list with one float per completion,
or None where the reward does not apply (TRL turns None into NaN and leaves it out).

Completions may be strings or chat message lists (the last assistant message is judged);
prompts likewise (system and user messages), and each reaches the judgment as
`Task(prompt=...)`. A `task_type` column selects the policy weights; any column named like a
policy signal (e.g. `tests_passed`, `win_rate`) is passed as that signal. Values are raw: TRL
computes the group-relative advantage itself.

A skipped sample (infra_error after a retry) is None. When every reward function returns None
for a row TRL warns and its nansum counts the row as 0, so pair fjudge with another reward
function or watch that warning.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from judge.adapters.runtime import RewardRuntime, get_runtime
from judge.schema import Reward

__all__ = ["completion_text", "fjudge_reward", "make_reward_func"]


def completion_text(completion: Any) -> str:
    """The text of a completion: a string, or the assistant content of a message list."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, Sequence):
        msgs = [m for m in completion if isinstance(m, dict)]
        chosen = [m for m in msgs if m.get("role") == "assistant"] or msgs
        if chosen:
            content = chosen[-1].get("content", "")
            if isinstance(content, list):  # multimodal parts
                return "".join(p.get("text", "") for p in content if isinstance(p, dict))
            return str(content)
    raise TypeError(f"unsupported completion type {type(completion).__name__}")


def _arguments(
    rt: RewardRuntime, prompts: Sequence[Any], completions: Sequence[Any], kwargs: dict[str, Any]
) -> dict[str, Any]:
    """TRL's call → RewardRuntime.score_completions arguments."""
    n = len(completions)
    names = {
        rt.policy.components.verifiable.tests_signal,
        *rt.policy.components.preference.signals,
    }
    signals: list[dict[str, float]] = [{} for _ in range(n)]
    for name in names:
        col = kwargs.get(name)
        if isinstance(col, Sequence) and len(col) == n:
            for i, v in enumerate(col):
                if isinstance(v, int | float):
                    signals[i][name] = float(v)
    types = kwargs.get("task_type")
    state = kwargs.get("trainer_state")
    step = getattr(state, "global_step", None)
    return {
        "completions": [completion_text(c) for c in completions],
        "prompts": list(prompts) if prompts is not None and len(prompts) == n else None,
        "task_types": list(types) if isinstance(types, Sequence) and len(types) == n else None,
        "signals": signals,
        "step": int(step) if step is not None else None,
    }


def _log(rewards: list[Reward], log_metric: Any) -> None:
    """Mean of each reward component over the samples that have it (TRL's `log_metric`)."""
    if not callable(log_metric):
        return
    values: dict[str, list[float]] = {}
    for r in rewards:
        for name, c in r.components.items():
            if c.value is not None and not math.isnan(c.value):
                values.setdefault(name, []).append(c.value)
    for name, vs in sorted(values.items()):
        log_metric(f"fjudge/{name}", sum(vs) / len(vs))


def make_reward_func(
    policy: str | Path | None = None,
    rubric: str | None = None,
    runtime: RewardRuntime | None = None,
    *,
    asynchronous: bool = False,
) -> Callable[..., Any]:
    """A TRL reward function bound to a policy (or a runtime), named `fjudge_reward` for TRL's
    logs; `asynchronous=True` returns a coroutine function (TRL awaits those concurrently)."""

    def fjudge_reward(
        prompts: Sequence[Any], completions: Sequence[Any], **kwargs: Any
    ) -> list[float | None]:
        rt = runtime or get_runtime(policy, rubric)
        rewards = rt.score_completions(**_arguments(rt, prompts, completions, kwargs))
        _log(rewards, kwargs.get("log_metric"))
        return [r.value for r in rewards]

    async def fjudge_reward_async(
        prompts: Sequence[Any], completions: Sequence[Any], **kwargs: Any
    ) -> list[float | None]:
        rt = runtime or get_runtime(policy, rubric)
        rewards = await rt.ascore_completions(**_arguments(rt, prompts, completions, kwargs))
        _log(rewards, kwargs.get("log_metric"))
        return [r.value for r in rewards]

    if asynchronous:
        fjudge_reward_async.__name__ = fjudge_reward_async.__qualname__ = "fjudge_reward"
        return fjudge_reward_async
    return fjudge_reward


fjudge_reward = make_reward_func()
