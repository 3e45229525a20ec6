"""Reward maths: Verdict + external signals + RewardPolicy → Reward (with components).

Rules, in order:
1. `infra_error` → skipped (value None). An environment fault is never a reward, not even 0.
2. Other non-ok statuses → the policy's fixed gate value (then clipped).
3. ok → Σ w_c·v_c / Σ w_c over components that have a value, where each component value is the
   weighted mean of its available sub-signals and every weight is multiplied by the schedule
   ramps active at `step`. Components with no data are left out (their weight is not counted),
   and the components dict says so. No data at all → skipped with a reason.
4. Clip to `policy.clip`.
Group-relative normalisation (`normalise_groups`) runs over a batch afterwards.
"""

from __future__ import annotations

import math
import tomllib
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path

import yaml

from judge.schema import Verdict
from judge.schema.reward import (
    COMPONENTS,
    Reward,
    RewardComponent,
    RewardPolicy,
    ScheduleEntry,
)
from judge.scoring import probe_fraction


def load_policy(source: str | Path | Mapping | RewardPolicy | None) -> RewardPolicy:
    """A policy from a TOML/YAML/JSON file, a mapping, or a policy (None → the default)."""
    if source is None:
        return RewardPolicy()
    if isinstance(source, RewardPolicy):
        return source
    if isinstance(source, Mapping):
        return RewardPolicy.model_validate(dict(source))
    path = Path(source)
    text = path.read_text(encoding="utf-8")
    # YAML is a superset of JSON, so .yaml/.yml/.json all take the YAML path.
    data = tomllib.loads(text) if path.suffix.lower() == ".toml" else yaml.safe_load(text) or {}
    return RewardPolicy.model_validate(data)


def ramp(entry: ScheduleEntry, step: int) -> float:
    """The multiplier of one schedule entry at `step` (linear, constant outside the ramp)."""
    if step <= entry.start_step:
        return entry.start
    if step >= entry.end_step:
        return entry.end
    frac = (step - entry.start_step) / (entry.end_step - entry.start_step)
    return entry.start + frac * (entry.end - entry.start)


def multiplier(policy: RewardPolicy, target: str, task_type: str, step: int) -> float:
    """Product of every schedule ramp aimed at `target` for this task type."""
    m = 1.0
    for e in policy.schedule:
        if e.target == target and (e.task_type is None or e.task_type == task_type):
            m *= ramp(e, step)
    return m


def _weighted_mean(parts: dict[str, float], weights: dict[str, float]) -> float | None:
    total = sum(weights[k] for k in parts)
    if total <= 0:
        return None
    return sum(parts[k] * weights[k] for k in parts) / total


def _candidates(
    verdict: Verdict, policy: RewardPolicy, signals: Mapping[str, float]
) -> dict[str, dict[str, tuple[float | None, float]]]:
    """component → {part: (value or None, base weight)}."""
    spec = policy.components
    judge_score = verdict.score
    if spec.judge.prefer_calibrated and verdict.calibration is not None:
        judge_score = verdict.calibration.calibrated_score
    judge: dict[str, tuple[float | None, float]] = {"score": (judge_score, spec.judge.score)}
    for dim, w in spec.judge.dimensions.items():
        judge[dim] = (verdict.dimensions.get(dim), w)
    return {
        "verifiable": {
            "tests": (signals.get(spec.verifiable.tests_signal), spec.verifiable.tests),
            "probes": (probe_fraction(verdict.probes), spec.verifiable.probes),
        },
        "judge": judge,
        "preference": {k: (signals.get(k), w) for k, w in spec.preference.signals.items()},
    }


def compute_reward(
    verdict: Verdict,
    policy: RewardPolicy | None = None,
    *,
    task_type: str = "frontend",
    signals: Mapping[str, float] | None = None,
    step: int = 0,
    group: str | None = None,
) -> Reward:
    """The reward for one verdict under `policy` at training step `step`."""
    policy = policy or RewardPolicy()
    signals = dict(signals or {})
    for k, x in signals.items():
        if not (isinstance(x, int | float) and 0.0 <= x <= 1.0):
            raise ValueError(f"signal {k!r}={x!r} must be a number in 0..1")
    base = {
        "status": verdict.status,
        "task_type": task_type,
        "step": step,
        "group": group,
        "policy": f"{policy.id}@{policy.version}",
    }
    if verdict.status == "infra_error" or verdict.score is None:
        reason = f"infra_error: {verdict.reason or 'environment fault'} (sample skipped)"
        return Reward(value=None, skipped=True, reason=reason, **base)
    if verdict.status != "ok":
        raw = float(getattr(policy.gates, verdict.status))
        return Reward(
            value=_clip(raw, policy), raw=raw, gate=verdict.status, reason=verdict.reason, **base
        )
    weights = policy.weights.get(task_type) or policy.weights.get("default")
    if weights is None:
        raise ValueError(f"policy {policy.id!r} has no weights for {task_type!r} nor 'default'")
    components: dict[str, RewardComponent] = {}
    for comp, parts in _candidates(verdict, policy, signals).items():
        w = getattr(weights, comp) * multiplier(policy, comp, task_type, step)
        pw = {
            k: bw * multiplier(policy, f"{comp}.{k}", task_type, step)
            for k, (_, bw) in parts.items()
        }
        have = {k: float(v) for k, (v, _) in parts.items() if v is not None and pw[k] > 0}
        components[comp] = RewardComponent(
            value=_weighted_mean(have, pw), weight=w, parts=have, part_weights=pw
        )
    used = {c: rc for c, rc in components.items() if rc.value is not None and rc.weight > 0}
    total = sum(rc.weight for rc in used.values())
    if total <= 0:
        wanted = [c for c in COMPONENTS if components[c].weight > 0]
        reason = f"no data for any weighted component ({', '.join(wanted) or 'none weighted'})"
        return Reward(value=None, skipped=True, reason=reason, components=components, **base)
    raw = sum(rc.value * rc.weight for rc in used.values()) / total  # type: ignore[operator]
    return Reward(value=_clip(raw, policy), raw=raw, components=components, **base)


def _clip(x: float, policy: RewardPolicy) -> float:
    if policy.clip is None:
        return x
    lo, hi = policy.clip
    return min(hi, max(lo, x))


def normalise_groups(
    rewards: Sequence[Reward],
    groups: Sequence[Hashable] | None = None,
    policy: RewardPolicy | None = None,
) -> list[Reward]:
    """GRPO-style: per group, (value - mean) / (std + eps); skipped samples stay out.

    `groups[i]` is sample i's prompt group (default: `reward.group`, else one group). A group
    with a single scored sample gets 0 (no relative signal).
    """
    policy = policy or RewardPolicy()
    norm = policy.normalisation
    keys = list(groups) if groups is not None else [r.group for r in rewards]
    if len(keys) != len(rewards):
        raise ValueError("groups and rewards differ in length")
    members: dict[Hashable, list[int]] = defaultdict(list)
    for i, (r, k) in enumerate(zip(rewards, keys, strict=True)):
        if r.value is not None:
            members[k].append(i)
    out = list(rewards)
    for k, idx in members.items():
        vals = [rewards[i].value for i in idx]
        mean = sum(vals) / len(vals)  # type: ignore[arg-type]
        n = len(vals) - norm.ddof
        std = math.sqrt(sum((v - mean) ** 2 for v in vals) / n) if n > 0 else 0.0  # type: ignore[operator]
        for i, v in zip(idx, vals, strict=True):
            if len(vals) == 1:
                z = 0.0
            elif norm.scale_by_std:
                z = (v - mean) / (std + norm.eps)  # type: ignore[operator]
            else:
                z = v - mean  # type: ignore[operator]
            group = None if k is None else str(k)
            out[i] = rewards[i].model_copy(update={"normalised": z, "group": group})
    return out
