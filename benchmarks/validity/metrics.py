"""The workbench's measurements, as pure functions over records and pairs (unit-tested on
synthetic verdicts in tests/validity/test_metrics.py)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from benchmarks.validity.models import CheckStats, Dist, Group, OpStats, Pair, Record
from benchmarks.validity.observe import geometry_diff, look_diff, pixel_diff

TIE = 1e-9
BAND = 0.03  # fjudge compare's deterministic tie band


def win(drop: float, band: float = 0.0) -> float:
    """1 if the original scored above the mutant (beyond `band`), 0.5 for a tie, 0 below."""
    if abs(drop) <= max(band, TIE):
        return 0.5
    return 1.0 if drop > 0 else 0.0


def accuracy(drops: Iterable[float], band: float = 0.0) -> float | None:
    """Share of pairs the original wins; ties count half. None without pairs."""
    wins = [win(d, band) for d in drops]
    return sum(wins) / len(wins) if wins else None


def distribution(values: Iterable[float]) -> Dist:
    """min / quartiles / median / max / mean (inclusive quartiles)."""
    v = sorted(values)
    if not v:
        return Dist(n=0)
    if len(v) == 1:
        q1 = med = q3 = v[0]
    else:
        q1, med, q3 = statistics.quantiles(v, n=4, method="inclusive")
    return Dist(
        n=len(v),
        min=round(v[0], 4),
        q1=round(q1, 4),
        median=round(med, 4),
        q3=round(q3, 4),
        max=round(v[-1], 4),
        mean=round(statistics.fmean(v), 4),
    )


# -- naive baseline judge -----------------------------------------------------------------------


def exceptions(verdict: dict[str, Any]) -> int:
    """Uncaught exceptions during load, read from the runtime check's data."""
    for c in verdict.get("checks", []):
        if c.get("id") == "runtime.exceptions":
            return int((c.get("data") or {}).get("count", 0) or 0)
    return 0


def naive_score(rec: Record) -> float:
    """A one-hour naive judge: painted share minus uncaught exceptions and horizontal overflow.

    painted: per viewport, min(1, non-background pixel share / 0.15), averaged;
    minus 0.3 if any uncaught exception; minus 0.2 x share of viewports wider than the screen.
    A verdict that is not `ok` (nothing rendered, build failed) scores 0.
    """
    if rec.status != "ok" or not rec.views:
        return 0.0
    vs = list(rec.views.values())
    painted = statistics.fmean(min(1.0, (1 - v.uniformity) / 0.15) for v in vs)
    overflow = sum(v.doc_width > v.width + 1 for v in vs) / len(vs)
    s = painted - (0.3 if exceptions(rec.verdict) else 0.0) - 0.2 * overflow
    return round(min(1.0, max(0.0, s)), 4)


# -- pairs --------------------------------------------------------------------------------------


def check_minima(verdict: dict[str, Any]) -> dict[str, float]:
    """Per check id, the lowest score over its results (per-viewport results grouped by id)."""
    out: dict[str, float] = {}
    for c in verdict.get("checks", []):
        s = c.get("score")
        if s is None:
            continue
        out[c["id"]] = min(s, out.get(c["id"], 1.0))
    return out


def _behaviour(verdict: dict[str, Any]) -> tuple:
    checks = sorted((c["id"], c.get("viewport") or "", c.get("score")) for c in verdict["checks"])
    acts = [
        (i["action"], i["selector"], tuple(i.get("effect", [])))
        for i in verdict.get("interactions", [])
    ]
    return tuple(checks), tuple(acts)


def make_pair(orig: Record, mut: Record) -> Pair | None:
    """The pair of an original and its mutant, or None when either could not be scored."""
    if orig.score is None or mut.score is None:
        return None
    common = [v for v in orig.views if v in mut.views]

    def worst(fn) -> float:
        return round(max((fn(orig.views[v], mut.views[v]) for v in common), default=1.0), 5)

    return Pair(
        app=orig.app,
        operator=mut.operator,
        original=orig.score,
        mutant=mut.score,
        naive_original=naive_score(orig),
        naive_mutant=naive_score(mut),
        pixel_diff=worst(pixel_diff),
        look_diff=worst(look_diff),
        geometry_diff=worst(geometry_diff),
        verdict_diff=_behaviour(orig.verdict) != _behaviour(mut.verdict),
    )


def check_drops(pairs_recs: list[tuple[Record, Record]]) -> list[tuple[str, float]]:
    """Mean drop of each check (original minimum minus mutant minimum) over the pairs, largest
    first."""
    drops: dict[str, list[float]] = defaultdict(list)
    for orig, mut in pairs_recs:
        a, b = check_minima(orig.verdict), check_minima(mut.verdict)
        for cid in set(a) | set(b):
            drops[cid].append(a.get(cid, 1.0) - b.get(cid, 1.0))
    # Averaged over all pairs (a check absent from a pair moved by 0 there), so a check that
    # exists on one app only (task probes) does not look like it catches the operator.
    n = max(1, len(pairs_recs))
    means = [(cid, round(sum(d) / n, 4)) for cid, d in drops.items()]
    return sorted((m for m in means if m[1] > 0.005), key=lambda m: -m[1])


def operator_stats(name: str, pairs: list[Pair], **meta: Any) -> OpStats:
    """Accuracy (ties half), accuracy with the 0.03 band, mean drop, naive accuracy, misses."""
    drops = [p.drop for p in pairs]
    missed = sorted((p for p in pairs if p.drop <= TIE), key=lambda p: (p.drop, p.app))
    return OpStats(
        operator=name,
        n=len(pairs),
        accuracy=_r(accuracy(drops)),
        accuracy_band=_r(accuracy(drops, BAND)),
        mean_drop=_r(statistics.fmean(drops)) if drops else None,
        naive_accuracy=_r(accuracy(p.naive_original - p.naive_mutant for p in pairs)),
        missed=[f"{p.app} ({p.drop:+.3f})" for p in missed],
        **meta,
    )


def check_stats(originals: dict[str, Record]) -> list[CheckStats]:
    """Per check id: share of working originals scoring < 1 / < 0.9 / < 0.5, and the mean."""
    per: dict[str, dict[str, float]] = defaultdict(dict)
    for app, rec in originals.items():
        if rec.status != "ok":
            continue
        for cid, s in check_minima(rec.verdict).items():
            per[cid][app] = s
    out = []
    for cid, by_app in per.items():
        v = list(by_app.values())
        n = len(v)
        out.append(
            CheckStats(
                check=cid,
                n=n,
                fp_below_1=round(sum(s < 1 - TIE for s in v) / n, 4),
                fp_below_09=round(sum(s < 0.9 for s in v) / n, 4),
                fp_below_05=round(sum(s < 0.5 for s in v) / n, 4),
                mean=round(statistics.fmean(v), 4),
                apps_below_05=sorted(a for a, s in by_app.items() if s < 0.5),
            )
        )
    return sorted(out, key=lambda c: (-c.fp_below_1, c.check))


def group(name: str, stats: list[OpStats], pairs: list[Pair], apps: int) -> Group:
    """Mean accuracy over operators, pair-level accuracy and the worst operator, with naive."""
    scored = [s for s in stats if s.accuracy is not None]
    worst = min(scored, key=lambda s: (s.accuracy, s.operator), default=None)
    naive = [s for s in scored if s.naive_accuracy is not None]
    nworst = min(naive, key=lambda s: (s.naive_accuracy, s.operator), default=None)
    return Group(
        name=name,
        apps=apps,
        operators=len(scored),
        pairs=len(pairs),
        mean_accuracy=_r(statistics.fmean(s.accuracy for s in scored)) if scored else None,
        pair_accuracy=_r(accuracy(p.drop for p in pairs)),
        worst_operator=worst.operator if worst else None,
        worst_accuracy=worst.accuracy if worst else None,
        naive_mean_accuracy=_r(statistics.fmean(s.naive_accuracy for s in naive))
        if naive
        else None,
        naive_worst_operator=nworst.operator if nworst else None,
        naive_worst_accuracy=nworst.naive_accuracy if nworst else None,
    )


EPS = 0.001


def rendered_identically(pair: Pair, noise: Pair | None) -> bool:
    """The mutant rendered like its original: pixels, element looks and element boxes all
    within what the app's null-control copy (same app, harmless edit) moved by itself."""
    n = noise or pair.model_copy(update={"pixel_diff": 0.0, "look_diff": 0.0, "geometry_diff": 0.0})
    return (
        pair.pixel_diff <= n.pixel_diff + EPS
        and pair.look_diff <= n.look_diff + EPS
        and pair.geometry_diff <= n.geometry_diff + EPS
    )


def unstable(noise: Pair) -> bool:
    """The app renders differently from run to run (its null control moved)."""
    return noise.pixel_diff > EPS or noise.look_diff > EPS or noise.geometry_diff > EPS


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)
