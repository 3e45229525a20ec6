"""verl custom reward functions (checked against verl 0.9's reward managers).

    # any verl version (NaiveRewardManager: one sample a call)
    custom_reward_function.path=judge/adapters/verl.py custom_reward_function.name=compute_score
    # verl's newer reward loop awaits coroutine functions (inspect.iscoroutinefunction)
    custom_reward_function.name=compute_score_async
    # the batch manager (reward_model.reward_manager=batch): every sample judged concurrently
    custom_reward_function.name=compute_score_batch        # or compute_score_batch_async
    # the training step (for the policy's weight schedule), reward loop (verl >= 0.7):
    reward.reward_manager.source=importlib reward.reward_manager.name=FjudgeRewardManager
    reward.reward_manager.module.path=pkg://judge.adapters.verl

Call shapes (verl 0.9.1, verl/experimental/reward_loop/reward_manager/{naive,batch}.py and
verl/workers/reward_manager/{naive,batch}.py): `compute_score(data_source=, solution_str=,
ground_truth=, extra_info=, **reward_kwargs)` and `compute_score(data_sources=, solution_strs=,
ground_truths=, extra_infos=, **reward_kwargs)`; a dict result must carry `score`, and every
key is logged (so every sample returns the same keys).

The step: stock verl puts it in `DataProto.meta_info["global_steps"]`, which no reward function
sees. `FjudgeRewardManager` (verl's batch manager of the reward loop, plus the step) copies it
into each sample's `extra_info["step"]`; without it, `extra_info["step"]`/`["global_step"]` or
a `step=` reward kwarg are read, else step 0 with one warning if the policy has a schedule.

The prompt: `extra_info["prompt"]` (text or chat messages), else `extra_info["question"]`, else
a `prompt` key of a mapping `ground_truth`; `FjudgeRewardManager` also fills it from the row's
`raw_prompt`. It reaches the judgment as `Task(prompt=...)`.

Task type: `extra_info["task_type"]`, else `data_source` when the policy has weights for it,
else FJUDGE_TASK_TYPE/"frontend". Signals: `extra_info["signals"]` and numbers of a mapping
`ground_truth` (e.g. {"tests_passed": 0.75}). Policy: `policy=` in reward_kwargs, else
FJUDGE_POLICY.

A skipped sample (infra_error after a retry) raises `RewardUnavailable`: verl writes the value
into a tensor and has no notion of a missing reward, and any number would be a made-up reward.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from judge.adapters.runtime import RewardRuntime, RewardUnavailable, get_runtime
from judge.schema import Reward
from judge.tasks import prompt_text

__all__ = [
    "FjudgeRewardManager",  # noqa: F822  (built lazily by __getattr__)
    "compute_score",
    "compute_score_async",
    "compute_score_batch",
    "compute_score_batch_async",
]


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
    gt = _as_mapping(ground_truth)
    out = {k: float(v) for k, v in gt.items() if isinstance(v, int | float)}
    out.update({k: float(v) for k, v in _as_mapping(extra.get("signals")).items()})
    return out


def _task_type(data_source: str, extra: Mapping[str, Any], known: set[str]) -> str | None:
    return extra.get("task_type") or (data_source if data_source in known else None)


def _prompt(ground_truth: Any, extra: Mapping[str, Any]) -> str:
    for value in (
        extra.get("prompt"),
        extra.get("question"),
        _as_mapping(ground_truth).get("prompt"),
    ):
        if text := prompt_text(value):
            return text
    return ""


def _step(extras: Sequence[Mapping[str, Any]], step: Any) -> int | None:
    if step is not None:
        return int(step)
    for e in extras:
        for key in ("step", "global_step", "global_steps"):
            if e.get(key) is not None:
                return int(e[key])
    return None


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


def _inputs(
    rt: RewardRuntime,
    data_sources: Sequence[str],
    solution_strs: Sequence[str],
    ground_truths: Sequence[Any],
    extra_infos: Sequence[Mapping[str, Any] | None],
    step: Any,
) -> dict[str, Any]:
    known = set(rt.policy.weights)
    extras = [dict(e or {}) for e in extra_infos]
    gts = list(ground_truths)
    return {
        "completions": list(solution_strs),
        "prompts": [_prompt(g, e) for g, e in zip(gts, extras, strict=True)],
        "task_types": [_task_type(d, e, known) for d, e in zip(data_sources, extras, strict=True)],
        "signals": [_signals(g, e) for g, e in zip(gts, extras, strict=True)],
        "step": _step(extras, step),
    }


def compute_score_batch(
    data_sources: Sequence[str],
    solution_strs: Sequence[str],
    ground_truths: Sequence[Any],
    extra_infos: Sequence[Mapping[str, Any] | None],
    policy: str | None = None,
    runtime: RewardRuntime | None = None,
    step: int | None = None,
    **kwargs: Any,
) -> list[dict[str, Any]]:
    """verl batch manager entry: all samples judged concurrently, results in order."""
    rt = runtime or get_runtime(policy)
    args = _inputs(rt, data_sources, solution_strs, ground_truths, extra_infos, step)
    return [_result(r) for r in rt.score_completions(**args)]


async def compute_score_batch_async(
    data_sources: Sequence[str],
    solution_strs: Sequence[str],
    ground_truths: Sequence[Any],
    extra_infos: Sequence[Mapping[str, Any] | None],
    policy: str | None = None,
    runtime: RewardRuntime | None = None,
    step: int | None = None,
    **kwargs: Any,
) -> list[dict[str, Any]]:
    """`compute_score_batch` as a coroutine function (verl's reward loop awaits it)."""
    rt = runtime or get_runtime(policy)
    args = _inputs(rt, data_sources, solution_strs, ground_truths, extra_infos, step)
    return [_result(r) for r in await rt.ascore_completions(**args)]


def compute_score(
    data_source: str,
    solution_str: str,
    ground_truth: Any,
    extra_info: Mapping[str, Any] | None = None,
    policy: str | None = None,
    runtime: RewardRuntime | None = None,
    step: int | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """verl per-sample entry (NaiveRewardManager): a dict with `score` and its components."""
    batch = compute_score_batch(
        [data_source], [solution_str], [ground_truth], [extra_info], policy, runtime, step
    )
    return batch[0]


async def compute_score_async(
    data_source: str,
    solution_str: str,
    ground_truth: Any,
    extra_info: Mapping[str, Any] | None = None,
    policy: str | None = None,
    runtime: RewardRuntime | None = None,
    step: int | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """`compute_score` as a coroutine function: verl's reward loop awaits it on its own loop
    while the judging runs on the shared host's loop, so neither blocks the other."""
    batch = await compute_score_batch_async(
        [data_source], [solution_str], [ground_truth], [extra_info], policy, runtime, step
    )
    return batch[0]


def step_and_prompt(extra_info: dict[str, Any], meta_info: Mapping[str, Any], row: Any) -> None:
    """What `FjudgeRewardManager` adds to a sample's extra_info: the training step from
    verl's `meta_info["global_steps"]` and the prompt from the row's `raw_prompt`."""
    if "step" not in extra_info and meta_info.get("global_steps") is not None:
        extra_info["step"] = int(meta_info["global_steps"])
    if not _prompt(None, extra_info):
        raw = row.get("raw_prompt") if isinstance(row, Mapping) else None
        if raw is not None:
            extra_info["prompt"] = prompt_text(list(raw))


def _manager_class() -> type:
    """verl's reward-loop BatchRewardManager with the step and prompt filled in (verl >= 0.7)."""
    try:
        from verl.experimental.reward_loop.reward_manager.batch import BatchRewardManager
    except ImportError as exc:
        raise ImportError(
            "FjudgeRewardManager needs verl's reward loop (verl >= 0.7, "
            "verl.experimental.reward_loop); with older verl pass the step in "
            "extra_info['step'] or as a `step` reward kwarg"
        ) from exc

    class FjudgeRewardManager(BatchRewardManager):  # type: ignore[misc, valid-type]
        """verl's batch reward manager; each sample's extra_info gains `step` and `prompt`."""

        def _extract_sample(self, data_item: Any):  # type: ignore[override]
            ids, source, truth, extra = super()._extract_sample(data_item)
            step_and_prompt(extra, data_item.meta_info, data_item.non_tensor_batch)
            return ids, source, truth, extra

    return FjudgeRewardManager


def __getattr__(name: str) -> Any:
    # Built on first access so that importing this module never imports verl.
    if name == "FjudgeRewardManager":
        cls = _manager_class()
        globals()[name] = cls
        return cls
    raise AttributeError(name)
