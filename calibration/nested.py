"""Nested cross-validation: the whole fitting procedure is re-run inside every outer fold.

Outer loop: `repeats` grouped k-fold partitions. In each outer training part the inner loop
(`select.choose`) compares every candidate by its own grouped k-fold CV, keeps the baseline
unless a model beats it beyond noise, and the chosen config is refitted on that training part
with its monotone map; only then are the held-out items predicted. The held-out predictions
of each repeat are scored; figures are means over repeats, with percentile-bootstrap
intervals over items (the same resampled items in every repeat).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from calibration.folds import repeated
from calibration.metrics import (
    Metric,
    kendall,
    mae,
    pairwise_accuracy,
    pearson,
    quadratic_kappa,
    rmse,
    spearman,
)
from calibration.select import Choice, Fitted, MonotoneMap, choose, fit_config, fit_monotone
from judge.schema import Interval


@dataclass
class Procedure:
    """A fitted calibrator: chosen model plus the monotone map to the human scale."""

    choice: Choice
    model: Fitted
    mapping: MonotoneMap | None  # None for the monotone baseline (its map is the model)

    def predict(self, X: np.ndarray, s: np.ndarray) -> np.ndarray:
        raw = self.model.raw(X, s)
        return self.mapping(raw) if self.mapping is not None else raw


def fit_procedure(
    X: np.ndarray,
    s: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    monotone: list[int],
    *,
    folds: int,
    seed: int,
    gbm: bool = False,
) -> Procedure:
    """Choose (inner CV), fit the choice on all given items, map its output monotonically."""
    ch = choose(X, s, y, groups, monotone, folds=folds, seed=seed, gbm=gbm)
    model = fit_config(ch.config, X, s, y, monotone)
    mapping = None if ch.config.family == "monotone" else fit_monotone(ch.oof, y)
    return Procedure(ch, model, mapping)


@dataclass
class NestedResult:
    """Held-out predictions per repeat (repeats × items), and what each outer fold chose."""

    pred: np.ndarray
    baseline: np.ndarray
    chosen: Counter[str]


def nested_cv(
    X: np.ndarray,
    s: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    monotone: list[int],
    *,
    folds: int,
    repeats: int,
    seed: int,
    gbm: bool = False,
    say: Callable[[str], None] = lambda _m: None,
) -> NestedResult:
    """Outer repeated grouped k-fold around `fit_procedure` (see the module docstring)."""
    n = len(y)
    pred = np.empty((repeats, n))
    base = np.empty((repeats, n))
    chosen: Counter[str] = Counter()
    for r, partition in enumerate(repeated(groups, folds, repeats, seed)):
        for f, (train, test) in enumerate(partition):
            say(f"  outer repeat {r + 1}/{repeats}, fold {f + 1}/{len(partition)}")
            proc = fit_procedure(
                X[train],
                s[train],
                y[train],
                groups[train],
                monotone,
                folds=folds,
                seed=seed + 7919 * (r + 1) + f,
                gbm=gbm,
            )
            chosen[proc.choice.config.name] += 1
            pred[r, test] = proc.predict(X[test], s[test])
            base[r, test] = fit_monotone(s[train], y[train])(s[test])
    return NestedResult(pred, base, chosen)


def rating_metrics(scale: tuple[float, float] | None) -> dict[str, Metric]:
    """The agreement metrics for predictions on the human scale."""
    out: dict[str, Metric] = {
        "pearson": pearson,
        "spearman": spearman,
        "kendall_tau_b": kendall,
        "pairwise_accuracy": pairwise_accuracy,
    }
    if scale is not None:
        out["mae"] = mae
        out["rmse"] = rmse
        if scale[1] - scale[0] <= 20:
            out["qwk"] = lambda p, h: quadratic_kappa(p, h, scale)
    return out


def _ranks(a: np.ndarray) -> np.ndarray:
    """Average ranks along the last axis (ties share their mean rank), vectorised."""
    from scipy.stats import rankdata

    return rankdata(a, axis=-1)


def _vpearson(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pearson r along the last axis (NaN where either side is constant)."""
    a = a - a.mean(axis=-1, keepdims=True)
    b = b - b.mean(axis=-1, keepdims=True)
    den = np.sqrt((a**2).sum(axis=-1) * (b**2).sum(axis=-1))
    with np.errstate(all="ignore"):
        return np.where(den > 0, (a * b).sum(axis=-1) / den, np.nan)


def repeated_agreement(
    pred: np.ndarray,
    y: np.ndarray,
    scale: tuple[float, float] | None,
    *,
    resamples: int = 1000,
    seed: int = 0,
) -> dict[str, Interval]:
    """Each metric as the mean over repeats (rows of `pred`), with an item-bootstrap 95% CI.

    Pearson, Spearman, MAE and RMSE are bootstrapped vectorised with `resamples` draws; the
    O(n log n)–O(n²) rank metrics with a tenth of them (their intervals are for orientation).
    """
    pred = np.atleast_2d(pred)
    n = len(y)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(resamples, n))
    P, Y = pred[:, idx], y[idx]  # repeats × resamples × n, resamples × n
    fast = {
        "pearson": lambda: _vpearson(P, Y[None]),
        "spearman": lambda: _vpearson(_ranks(P), _ranks(Y)[None]),
        "mae": lambda: np.abs(P - Y[None]).mean(axis=-1),
        "rmse": lambda: np.sqrt(((P - Y[None]) ** 2).mean(axis=-1)),
    }
    out = {}
    for name, metric in rating_metrics(scale).items():
        value = float(np.mean([metric(p, y) for p in pred]))
        if not np.isfinite(value) or n < 3:
            out[name] = Interval(value=value if np.isfinite(value) else None, n=n)
            continue
        if name in fast:
            with np.errstate(all="ignore"):
                boots = np.nanmean(fast[name](), axis=0)
        else:
            boots = np.array(
                [np.nanmean([metric(p[i], y[i]) for p in pred]) for i in idx[: resamples // 10]]
            )
        boots = boots[np.isfinite(boots)]
        lo, hi = np.quantile(boots, [0.025, 0.975]) if len(boots) else (np.nan, np.nan)
        out[name] = Interval(
            value=value,
            low=float(lo) if np.isfinite(lo) else None,
            high=float(hi) if np.isfinite(hi) else None,
            n=n,
        )
    return out
