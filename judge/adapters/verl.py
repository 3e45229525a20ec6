"""verl custom reward function.

    custom_reward_function.path=judge/adapters/verl.py
    custom_reward_function.name=compute_score          # NaiveRewardManager, one sample a call
    # or name=compute_score_batch with reward_model.reward_manager=batch (judged concurrently)

Task type: `extra_info["task_type"]`, else `data_source` when the policy has weights for it,
else FJUDGE_TASK_TYPE/"frontend". Signals: `extra_info["signals"]` and a mapping `ground_truth`
(e.g. {"tests_passed": 0.75}). Step: `extra_info["step"]` or `["global_step"]`.
Policy: `policy=` in reward_kwargs, else FJUDGE_POLICY.

Returns a dict (verl logs every key): `score` plus the component values. A skipped sample
(infra_error after a retry) raises `RewardUnavailable`: verl stores the value in a tensor and has
no notion of a missing reward, and any number would be a made-up reward.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from judge.adapters.runtime import RewardRuntime, RewardUnavailable, get_runtime
from judge.schema import Reward

__all__ = ["compute_score", "compute_score_batch"]


def _as_mapping(x: Any) -> Mapping[str, Any]:
    if isinstance(x, Mapping):
        return x
    if isinstance(x, str) and x.strip().startswith("{"):
        try:
            got = json.loads(x)
            return got if isinstance(got, dict) else {}
        except json.JSONDecodeError:
            return {}
    return {}


def _signals(ground_truth: Any, extra: Mapping[str, Any]) -> dict[str, float]:
    out = {k: float(v) for k, v in _as_mapping(ground_truth).items() if isinstance(v, int | float)}
    out.update({k: float(v) for k, v in _as_mapping(extra.get("signals")).items()})
    return out


def _task_type(data_source: str, extra: Mapping[str, Any], known: set[str]) -> str | None:
    return extra.get("task_type") or (data_source if data_source in known else None)


def _result(r: Reward) -> dict[str, Any]:
    if r.value is None:
        raise RewardUnavailable(f"no reward for this sample: {r.reason}")
    comps = {
        f"fjudge/{c}": (v.value if v.value is not None else math.nan)
        for c, v in r.components.items()
    }
    for c in ("verifiable", "judge", "preference"):
        comps.setdefault(f"fjudge/{c}", math.nan)
    return {"score": r.value, "fjudge/raw": r.raw if r.raw is not None else math.nan, **comps}


def compute_score_batch(
    data_sources: Sequence[str],
    solution_strs: Sequence[str],
    ground_truths: Sequence[Any],
    extra_infos: Sequence[Mapping[str, Any] | None],
    policy: str | None = None,
    runtime: RewardRuntime | None = None,
    **kwargs: Any,
) -> list[dict[str, Any]]:
    """verl batch reward manager entry: all samples judged concurrently, results in order."""
    rt = runtime or get_runtime(policy)
    known = set(rt.policy.weights)
    extras = [dict(e or {}) for e in extra_infos]
    step = next((int(e.get("step", e.get("global_step", 0))) for e in extras), 0)
    rewards = rt.score_completions(
        list(solution_strs),
        task_types=[_task_type(d, e, known) for d, e in zip(data_sources, extras, strict=True)],
        signals=[_signals(g, e) for g, e in zip(ground_truths, extras, strict=True)],
        step=step,
    )
    return [_result(r) for r in rewards]


def compute_score(
    data_source: str,
    solution_str: str,
    ground_truth: Any,
    extra_info: Mapping[str, Any] | None = None,
    policy: str | None = None,
    runtime: RewardRuntime | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """verl per-sample entry (NaiveRewardManager): a dict with `score` and its components."""
    batch = compute_score_batch(
        [data_source], [solution_str], [ground_truth], [extra_info], policy, runtime
    )
    return batch[0]
