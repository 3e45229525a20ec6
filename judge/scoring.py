"""Aggregation: check results → dimension scores → one score, with rubric weights and gates."""

from __future__ import annotations

from collections import defaultdict

from judge.schema import CheckResult
from rubrics import Rubric


def _weighted(pairs: list[tuple[float, float]]) -> float | None:
    total = sum(w for _, w in pairs)
    if total <= 0:
        return None
    return sum(s * w for s, w in pairs) / total


def dimension_scores(
    results: list[CheckResult], rubric: Rubric, *, viewport: str | None = None
) -> dict[str, float]:
    """Weighted mean of scored results per dimension (optionally only one viewport's)."""
    buckets: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for r in results:
        if r.score is None or r.dimension not in rubric.dimensions:
            continue
        if viewport is not None and r.viewport != viewport:
            continue
        w = rubric.check_weight(r.id, r.weight) * (1 + rubric.defect_emphasis[0] * (1 - r.score))
        buckets[r.dimension].append((r.score, w))
    out = {}
    for dim in rubric.dimensions:
        value = _weighted(buckets.get(dim, []))
        if value is not None:
            out[dim] = round(value, 4)
    return out


def overall(dimensions: dict[str, float], rubric: Rubric) -> float:
    """Rubric-weighted mean of the dimensions that could be scored."""
    k = rubric.defect_emphasis[1]
    pairs = [(s, rubric.dimensions[d].weight * (1 + k * (1 - s))) for d, s in dimensions.items()]
    value = _weighted(pairs)
    return 0.0 if value is None else value


def apply_gates(
    score: float, results: list[CheckResult], rubric: Rubric
) -> tuple[float, list[str]]:
    """Cap the score for every gate a result raised (data['gate'] names a Gates field)."""
    applied = []
    for r in results:
        gate = r.data.get("gate")
        if not gate:
            continue
        cap = getattr(rubric.gates, gate, None)
        if cap is not None and score > cap:
            score = cap
            applied.append(f"{gate} ({r.id}) caps the score at {cap}")
    return score, applied


def aggregate(
    results: list[CheckResult], rubric: Rubric, viewports: list[str]
) -> tuple[float, dict[str, float], dict[str, dict[str, float]], list[str]]:
    """Score, dimensions, per-viewport dimensions, gate notes."""
    dims = dimension_scores(results, rubric)
    per_vp = {v: d for v in viewports if (d := dimension_scores(results, rubric, viewport=v))}
    score, gates = apply_gates(overall(dims, rubric), results, rubric)
    return round(min(1.0, max(0.0, score)), 4), dims, per_vp, gates
