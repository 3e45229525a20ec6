"""Runs → per-item mean/std/95% CI with instability flags; items → the agent's dimensions.

How the agent's dimensions blend with the deterministic ones (hybrid mode, the rubric's
`[hybrid] agent_weight`) and how gates cap them is decided in one place: `judge.scoring`.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict

from judge.agent.subtasks import normalised
from judge.schema import ItemAnswer, ItemScore, SubTask
from judge.scoring import overall
from rubrics import Rubric

UNSTABLE_STD = 0.15  # one and a half points on the 0..10 scale
UNSTABLE_SPLIT = True  # some runs scored the item and others could not judge it


def _t95(n: int) -> float:
    from scipy.stats import t

    return float(t.ppf(0.975, n - 1))


def item_scores(
    subtasks: list[SubTask], runs: list[dict[str, ItemAnswer | None]]
) -> list[ItemScore]:
    """Aggregate each sub-task over runs; unscored runs are left out of the mean, not zeroed."""
    out = []
    for s in subtasks:
        answers = [r.get(s.id) for r in runs]
        values = [normalised(a) for a in answers]
        got = [v for v in values if v is not None]
        mean = std = None
        ci = None
        if got:
            mean = statistics.fmean(got)
            if len(got) > 1:
                std = statistics.stdev(got)
                half = _t95(len(got)) * std / math.sqrt(len(got))
                ci = (round(max(0.0, mean - half), 4), round(min(1.0, mean + half), 4))
            else:
                std = 0.0
        unstable = bool(std is not None and std > UNSTABLE_STD) or (
            UNSTABLE_SPLIT and bool(got) and len(got) < len(values)
        )
        scored = [a for a in answers if a is not None and a.verdict == "scored"]
        rationale = _median_answer(scored).rationale if scored else _first_rationale(answers)
        evidence = list(dict.fromkeys(e for a in scored for e in a.evidence))[:10]
        out.append(
            ItemScore(
                id=s.id,
                mean=None if mean is None else round(mean, 4),
                std=None if std is None else round(std, 4),
                ci95=ci,
                runs=[None if v is None else round(v, 4) for v in values],
                unstable=unstable,
                rationale=rationale,
                evidence=evidence,
            )
        )
    return out


def _median_answer(scored: list[ItemAnswer]) -> ItemAnswer:
    ranked = sorted(scored, key=lambda a: (a.score or 0, a.rationale))
    return ranked[(len(ranked) - 1) // 2]


def _first_rationale(answers: list[ItemAnswer | None]) -> str:
    for a in answers:
        if a is not None and a.rationale:
            return a.rationale
    return "not scored (cannot judge, or no valid answer)"


def agent_dimensions(
    subtasks: list[SubTask], items: list[ItemScore], rubric: Rubric
) -> dict[str, float]:
    """Per dimension: weighted mean of its scored items (checklist items by their weight)."""
    by_id = {i.id: i for i in items}
    buckets: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for s in subtasks:
        item = by_id.get(s.id)
        if item is None or item.mean is None:
            continue
        buckets[s.dimension].append((item.mean, s.weight if s.kind == "checklist" else 1.0))
    out = {}
    for dim in rubric.dimensions:
        pairs = buckets.get(dim)
        total = sum(w for _, w in pairs or [])
        if pairs and total > 0:
            out[dim] = round(sum(v * w for v, w in pairs) / total, 4)
    return out


def agent_score(dims: dict[str, float], rubric: Rubric) -> float | None:
    """Rubric-weighted mean of the agent's dimension scores; None if it scored nothing."""
    return round(overall(dims, rubric), 4) if dims else None
