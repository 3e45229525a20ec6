"""Agreement metrics between judge and humans, with percentile-bootstrap 95% intervals.

The statistics come from SciPy, scikit-learn and `krippendorff`; this module only adapts them
(ties, scales) and resamples items for the intervals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy import stats

from judge.schema import Interval, PairLabel

Metric = Callable[[np.ndarray, np.ndarray], float]


def pearson(pred: np.ndarray, human: np.ndarray) -> float:
    """Pearson correlation (NaN when either side is constant)."""
    if np.ptp(pred) == 0 or np.ptp(human) == 0:
        return float("nan")
    return float(stats.pearsonr(pred, human).statistic)


def spearman(pred: np.ndarray, human: np.ndarray) -> float:
    """Spearman rank correlation."""
    if np.ptp(pred) == 0 or np.ptp(human) == 0:
        return float("nan")
    return float(stats.spearmanr(pred, human).statistic)


def kendall(pred: np.ndarray, human: np.ndarray) -> float:
    """Kendall's tau-b (tie-corrected)."""
    return float(stats.kendalltau(pred, human, variant="b").statistic)


def pairwise_accuracy(pred: np.ndarray, human: np.ndarray) -> float:
    """Share of item pairs the judge orders like the humans (human ties skipped, judge ties = ½)."""
    dp = np.sign(pred[:, None] - pred[None, :])
    dh = np.sign(human[:, None] - human[None, :])
    upper = np.triu(np.ones_like(dh, dtype=bool), 1) & (dh != 0)
    if not upper.any():
        return float("nan")
    agree = np.where(dp[upper] == 0, 0.5, (dp[upper] == dh[upper]).astype(float))
    return float(agree.mean())


def preference_accuracy(utility: dict[str, float], pairs: Sequence[PairLabel]) -> float:
    """Share of preference labels the judge's utilities agree with (ties: ½ credit both ways)."""
    scores = []
    for p in pairs:
        if p.a not in utility or p.b not in utility:
            continue
        d = np.sign(utility[p.a] - utility[p.b])
        if p.winner == "tie":
            scores.append(1.0 if d == 0 else 0.5)
        else:
            want = 1 if p.winner == "a" else -1
            scores.append(0.5 if d == 0 else float(d == want))
    return float(np.mean(scores)) if scores else float("nan")


def to_ordinal(values: np.ndarray, scale: tuple[float, float]) -> np.ndarray:
    """Round onto the integer steps of the scale, clipped to it."""
    return np.clip(np.rint(values), scale[0], scale[1]).astype(int)


def quadratic_kappa(pred: np.ndarray, human: np.ndarray, scale: tuple[float, float]) -> float:
    """Quadratic-weighted Cohen's kappa after rounding both onto the ordinal scale."""
    from sklearn.metrics import cohen_kappa_score

    labels = list(range(int(np.floor(scale[0])), int(np.ceil(scale[1])) + 1))
    a, b = to_ordinal(pred, scale), to_ordinal(human, scale)
    if len(set(a.tolist()) | set(b.tolist())) < 2:
        return float("nan")
    return float(cohen_kappa_score(a, b, labels=labels, weights="quadratic"))


def mae(pred: np.ndarray, human: np.ndarray) -> float:
    """Mean absolute error on the human scale."""
    from sklearn.metrics import mean_absolute_error

    return float(mean_absolute_error(human, pred))


def rmse(pred: np.ndarray, human: np.ndarray) -> float:
    """Root mean squared error on the human scale."""
    from sklearn.metrics import mean_squared_error

    return float(np.sqrt(mean_squared_error(human, pred)))


def krippendorff_alpha(by_rater: dict[str, dict[str, float]], level: str = "interval") -> float:
    """Krippendorff's alpha over raters (rows) × items (columns), missing cells allowed."""
    import krippendorff

    items = sorted({i for r in by_rater.values() for i in r})
    data = np.array([[r.get(i, np.nan) for i in items] for r in by_rater.values()], dtype=float)
    if data.shape[0] < 2 or np.sum(~np.isnan(data).all(axis=0)) < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


def bootstrap(
    metric: Metric,
    pred: np.ndarray,
    human: np.ndarray,
    *,
    resamples: int = 1000,
    seed: int = 0,
) -> Interval:
    """Metric with a percentile-bootstrap 95% interval over items (paired resampling)."""
    pred, human = np.asarray(pred, float), np.asarray(human, float)
    value = metric(pred, human)
    n = len(pred)
    if n < 3 or not np.isfinite(value):
        return Interval(value=None if not np.isfinite(value) else value, n=n)
    res = stats.bootstrap(
        (pred, human),
        lambda p, h: metric(p, h),
        paired=True,
        vectorized=False,
        n_resamples=resamples,
        method="percentile",
        random_state=np.random.default_rng(seed),
    )
    lo, hi = res.confidence_interval
    lo = None if not np.isfinite(lo) else float(lo)
    hi = None if not np.isfinite(hi) else float(hi)
    return Interval(value=float(value), low=lo, high=hi, n=n)


def agreement(
    pred: np.ndarray,
    human: np.ndarray,
    scale: tuple[float, float] | None = None,
    *,
    resamples: int = 1000,
    seed: int = 0,
) -> dict[str, Interval]:
    """Every rating metric with its interval; MAE/RMSE/kappa need predictions on the human scale."""
    metrics: dict[str, Metric] = {
        "pearson": pearson,
        "spearman": spearman,
        "kendall_tau_b": kendall,
        "pairwise_accuracy": pairwise_accuracy,
    }
    if scale is not None:
        metrics["mae"] = mae
        metrics["rmse"] = rmse
        if scale[1] - scale[0] <= 20:
            metrics["qwk"] = lambda p, h: quadratic_kappa(p, h, scale)
    return {
        k: bootstrap(m, pred, human, resamples=resamples, seed=seed) for k, m in metrics.items()
    }


def human_ceiling(
    by_rater: dict[str, dict[str, float]], *, min_items: int = 3
) -> dict[str, Interval]:
    """Leave-one-rater-out agreement: each rater vs the mean of the other raters on shared items.

    Returned per metric as the mean over raters, with the min–max over raters as the range
    (so a judge's figure can be placed "within the range of a human reviewer").
    """
    raters = [r for r, items in by_rater.items() if len(items) >= min_items]
    if len(raters) < 2:
        return {}
    per: dict[str, list[float]] = {
        "pearson": [],
        "spearman": [],
        "pairwise_accuracy": [],
        "mae": [],
    }
    for r in raters:
        items = [i for i in by_rater[r] if any(i in by_rater[o] for o in raters if o != r)]
        if len(items) < min_items:
            continue
        mine = np.array([by_rater[r][i] for i in items])
        others = np.array(
            [
                np.mean([by_rater[o][i] for o in raters if o != r and i in by_rater[o]])
                for i in items
            ]
        )
        per["pearson"].append(pearson(mine, others))
        per["spearman"].append(spearman(mine, others))
        per["pairwise_accuracy"].append(pairwise_accuracy(mine, others))
        per["mae"].append(mae(mine, others))
    out = {}
    for k, v in per.items():
        vals = [x for x in v if np.isfinite(x)]
        if vals:
            out[k] = Interval(
                value=float(np.mean(vals)), low=min(vals), high=max(vals), n=len(vals)
            )
    alpha = krippendorff_alpha({r: by_rater[r] for r in raters})
    if np.isfinite(alpha):
        out["krippendorff_alpha"] = Interval(value=alpha, n=len(raters))
    return out
