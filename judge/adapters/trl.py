"""TRL GRPOTrainer reward function.

    from judge.adapters.trl import fjudge_reward
    trainer = GRPOTrainer(model=..., reward_funcs=[fjudge_reward], ...)
    # or make_reward_func(policy="examples/policies/frontend-rl.toml")

Completions may be strings or chat message lists (the last assistant message is judged). Dataset
columns arrive as keyword arguments: `task_type` selects the policy weights, and any column named
like a policy signal (e.g. `tests_passed`, `win_rate`) is passed as that signal. The training step
comes from `trainer_state.global_step` (recent TRL) for the policy's schedule. Values are raw:
TRL computes the group-relative advantage itself.

A skipped sample (infra_error after a retry) is `None`: TRL's documented "not applicable" value.
Note that when every reward function returns None for a row TRL warns and its nansum counts the
row as 0, so pair fjudge with another reward function or watch the warning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from judge.adapters.runtime import RewardRuntime, get_runtime

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


def make_reward_func(
    policy: str | Path | None = None,
    rubric: str | None = None,
    runtime: RewardRuntime | None = None,
) -> Callable[..., list[float | None]]:
    """A TRL reward function bound to a policy (or a runtime); named for TRL's logs."""

    def fjudge_reward(
        prompts: Sequence[Any], completions: Sequence[Any], **kwargs: Any
    ) -> list[float | None]:
        rt = runtime or get_runtime(policy, rubric)
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
        step = int(getattr(state, "global_step", 0) or 0)
        rewards = rt.score_completions(
            [completion_text(c) for c in completions],
            task_types=list(types) if isinstance(types, Sequence) and len(types) == n else None,
            signals=signals,
            step=step,
        )
        return [r.value for r in rewards]

    return fjudge_reward


fjudge_reward = make_reward_func()
