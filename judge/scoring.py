"""Aggregation: check results (+ probes, + the agent's dimensions) → dimensions → one score.

The rules, in order (README "Scoring"):
1. Per dimension, the emphasised mean of its scored results (`emphasised`: 1 − the power mean
   of order `rubric.defect_emphasis[0]` of the deficits): one clear defect is not averaged away
   by many passing results, and raising any result never lowers the mean. (The rule before
   rubric 1.7 weighed a result scoring s by w·(1 + k·(1 − s)); that is not monotone — a result
   rising from 0.85 to 1 could lower a dimension that already held a 0 — so a milder defect
   could score above a cleaner page.)
2. The `task` dimension is the pass fraction of the decided task probes, the same number the
   reward policy uses (`probe_fraction`).
3. Hybrid mode: per dimension both judges scored, (1 - w)·deterministic + w·agent with
   w = `rubric.hybrid.agent_weight`; a dimension only one judge scored takes that score.
   Agent mode: the agent's dimensions only.
4. The total is the rubric-weighted emphasised mean of the dimensions (`defect_emphasis[1]`).
5. Gates raised by results cap the total and every dimension, per viewport too; a fatal
   result sets all of them to 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from judge.schema import CheckResult, ProbeResult
from rubrics import Rubric

Mode = str  # deterministic | agent | hybrid | image


@dataclass(frozen=True)
class Aggregate:
    """What aggregation decides: the score, the dimensions and the gates that capped them."""

    score: float
    dimensions: dict[str, float]
    viewports: dict[str, dict[str, float]]
    gates: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fatal: CheckResult | None = None


def emphasised(pairs: list[tuple[float, float]], p: float) -> float | None:
    """1 − the weighted power mean (order `p`) of the deficits 1 − s; None without weight.

    A clear defect is not averaged away (one 0 among nine passing results gives 0.54 at p = 3,
    not 0.9), a second defect still costs more (it is not a minimum), the mean is monotone in
    every score — raising any result never lowers it — and equal scores average to themselves.
    p <= 1 is the plain weighted mean.
    """
    total = sum(w for _, w in pairs)
    if total <= 0:
        return None
    if p <= 1:
        return sum(s * w for s, w in pairs) / total
    deficit = (sum(w * (1 - s) ** p for s, w in pairs) / total) ** (1 / p)
    return min(1.0, max(0.0, 1 - deficit))


def dimension_scores(
    results: Iterable[CheckResult], rubric: Rubric, *, viewport: str | None = None
) -> dict[str, float]:
    """Weighted mean of scored results per dimension (optionally only one viewport's)."""
    buckets: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for r in results:
        if r.score is None or r.dimension not in rubric.dimensions:
            continue
        if viewport is not None and r.viewport != viewport:
            continue
        buckets[r.dimension].append((r.score, rubric.check_weight(r.id, r.weight)))
    out = {}
    for dim in rubric.dimensions:
        value = emphasised(buckets.get(dim, []), rubric.defect_emphasis[0])
        if value is not None:
            out[dim] = round(value, 4)
    return out


def probe_fraction(probes: Iterable[ProbeResult]) -> float | None:
    """Share of decided probes that passed; 'unscored'/'error' probes could not say."""
    decided = [p for p in probes if p.status in ("passed", "failed")]
    if not decided:
        return None
    return sum(p.status == "passed" for p in decided) / len(decided)


def blend(
    det: dict[str, float], agent: dict[str, float], rubric: Rubric, mode: Mode
) -> dict[str, float]:
    """The dimensions of a mode: deterministic, agent-only, or the hybrid blend."""
    if mode == "agent" and agent:
        return dict(agent)
    if mode != "hybrid" or not agent:
        return dict(det)
    w = rubric.hybrid.agent_weight
    out = {}
    for d in rubric.dimensions:
        if d in det and d in agent:
            out[d] = round((1 - w) * det[d] + w * agent[d], 4)
        elif d in det or d in agent:
            out[d] = det.get(d, agent.get(d, 0.0))
    return out


def overall(dimensions: dict[str, float], rubric: Rubric) -> float:
    """Rubric-weighted mean of the dimensions that could be scored."""
    pairs = [
        (s, rubric.dimensions[d].weight) for d, s in dimensions.items() if d in rubric.dimensions
    ]
    value = emphasised(pairs, rubric.defect_emphasis[1])
    return 0.0 if value is None else value


def raised_gates(results: Iterable[CheckResult], rubric: Rubric) -> list[tuple[str, float, str]]:
    """(gate, cap, check id) for every gate a result raised, tightest first."""
    seen: dict[str, tuple[str, float, str]] = {}
    for r in results:
        if r.gate and r.gate not in seen:
            seen[r.gate] = (r.gate, float(getattr(rubric.gates, r.gate)), r.id)
    return sorted(seen.values(), key=lambda g: (g[1], g[0]))


def _capped(values: dict[str, float], cap: float) -> dict[str, float]:
    return {k: round(min(v, cap), 4) for k, v in values.items()}


def aggregate(
    results: list[CheckResult],
    rubric: Rubric,
    viewports: list[str],
    *,
    probes: Iterable[ProbeResult] = (),
    agent: dict[str, float] | None = None,
    mode: Mode = "deterministic",
) -> Aggregate:
    """Score, dimensions, per-viewport dimensions and the gates applied (see module doc)."""
    det = dimension_scores(results, rubric)
    fraction = probe_fraction(probes)
    if fraction is not None and "task" in rubric.dimensions:
        det["task"] = round(fraction, 4)
    dims = blend(det, agent or {}, rubric, mode)
    per_vp = {v: d for v in viewports if (d := dimension_scores(results, rubric, viewport=v))}
    fatal = next((r for r in results if r.fatal), None)
    if fatal is not None:
        zero = {k: 0.0 for k in dims}
        return Aggregate(
            0.0, zero, {v: {k: 0.0 for k in d} for v, d in per_vp.items()}, [], [], fatal
        )
    score = overall(dims, rubric)
    notes = []
    for gate, cap, check_id in raised_gates(results, rubric):
        notes.append(f"{gate} ({check_id}) caps the score and dimensions at {cap:g}")
        score = min(score, cap)
        dims = _capped(dims, cap)
        per_vp = {v: _capped(d, cap) for v, d in per_vp.items()}
    gates = [g for g, _, _ in raised_gates(results, rubric)]
    return Aggregate(round(min(1.0, max(0.0, score)), 4), dims, per_vp, gates, notes)
