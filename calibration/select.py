"""The model families a calibration may use, and the inner-loop rule that picks one.

Everything fitted from data lives inside `fit_config`: feature medians, robust norms,
univariate feature selection, the ridge penalty, the trees and the monotone map. A caller
that runs `choose` + `fit_config` on the training part of a fold therefore sees nothing of
the test part, which is what makes the nested estimate in `calibration.nested` honest.

Parameter rule: a fitted model may spend at most `budget(n) = max(2, n/10)` effective degrees
of freedom on n training items. Ridge's are exact (tr of its hat matrix: Σ s²/(s² + α)) and
the penalty grid is cut to respect it; the monotone map has at most n/10 steps; boosted trees
(whose degrees of freedom have no closed form, and which cost ~50× a ridge fit) are opt-in
(`gbm=True`) and only from 200 items on, with leaves of at least n/20 items. Below MIN_MODEL_ITEMS (30) only the monotone map of the score is fitted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from calibration.folds import kfold
from calibration.metrics import pearson

MIN_MODEL_ITEMS = 30
MIN_GBM_ITEMS = 200
CLIP = 4.0
ALPHAS = np.logspace(-2, 6, 33)
K_GRID = (8, 24, 64, 0)  # features kept by univariate screening; 0 = all


def budget(n: int) -> float:
    """Effective degrees of freedom a model may use on n items (the n/10 rule)."""
    return max(2.0, n / 10)


@dataclass(frozen=True)
class Config:
    """One candidate: a family and its hyper-parameters."""

    family: str  # monotone | ridge | gbm | blend
    k: int = 0
    depth: int = 0

    @property
    def name(self) -> str:
        if self.family == "monotone":
            return "monotone(score)"
        if self.family == "ridge":
            return f"ridge(k={self.k or 'all'})"
        if self.family == "gbm":
            return f"gbm(depth={self.depth})"
        return f"blend(ridge k={self.k or 'all'}, gbm depth={self.depth})"


def configs(n: int, p: int, gbm: bool = False) -> list[Config]:
    """Candidates allowed on n items with p features (the baseline is always first)."""
    out = [Config("monotone")]
    if n < MIN_MODEL_ITEMS or p == 0:
        return out
    ks = sorted({min(k, p) if k else 0 for k in K_GRID if (k == 0 or k < p)})
    out += [Config("ridge", k=k) for k in ks]
    if gbm and n >= MIN_GBM_ITEMS:
        out += [Config("gbm", depth=d) for d in (2, 3)]
        out += [Config("blend", k=k, depth=2) for k in ks]
    return out


# -- monotone map -------------------------------------------------------------------------


@dataclass(frozen=True)
class MonotoneMap:
    """Increasing piecewise-linear map through isotonic bin means (≤ n/10 steps)."""

    x: np.ndarray
    y: np.ndarray

    def __call__(self, v: np.ndarray) -> np.ndarray:
        return np.interp(v, self.x, self.y)


def fit_monotone(x: np.ndarray, y: np.ndarray) -> MonotoneMap:
    """Isotonic regression on quantile-bin means: at most budget(n) bins, so ≤ n/10 steps."""
    from sklearn.isotonic import IsotonicRegression

    order = np.argsort(x, kind="stable")
    bins = np.array_split(order, int(min(len(x), max(2, budget(len(x))))))
    bins = [b for b in bins if len(b)]
    bx = np.array([x[b].mean() for b in bins])
    by = np.array([y[b].mean() for b in bins])
    w = np.array([len(b) for b in bins], dtype=float)
    iso = IsotonicRegression(out_of_bounds="clip").fit(bx, by, sample_weight=w)
    fy = iso.predict(bx)
    # Equal x (ties across bins) would make np.interp ill-defined: merge them.
    ux, inv = np.unique(bx, return_inverse=True)
    uy = np.bincount(inv, weights=fy * w) / np.bincount(inv, weights=w)
    return MonotoneMap(ux, uy)


# -- fitted models --------------------------------------------------------------------------


@dataclass
class Fitted:
    """A fitted candidate: raw model output for feature rows (and the score column)."""

    config: Config
    parts: dict[str, Any] = field(default_factory=dict)
    df: float = 0.0

    def raw(self, X: np.ndarray, s: np.ndarray) -> np.ndarray:
        fam = self.config.family
        if fam == "monotone":
            return self.parts["map"](s)
        if fam == "ridge":
            return _ridge_predict(self.parts["ridge"], X)
        if fam == "gbm":
            return self.parts["gbm"].predict(_fill(X, self.parts["fill"]))
        return 0.5 * (
            _ridge_predict(self.parts["ridge"], X)
            + self.parts["gbm"].predict(_fill(X, self.parts["fill"]))
        )


def _fill(X: np.ndarray, fill: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(X), fill[None, :], X)


def medians(X: np.ndarray) -> np.ndarray:
    """Column medians ignoring NaN (0 for a column that is all NaN)."""
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            m = np.nanmedian(X, axis=0)
    return np.nan_to_num(m)


def standardise(X: np.ndarray, y: np.ndarray, k: int) -> dict[str, Any]:
    """Medians for gaps, robust norms (median, IQR/1.349), clipping, top-k |r| screening."""
    fill = medians(X)
    Xf = _fill(X, fill)
    centre = np.median(Xf, axis=0)
    q75, q25 = np.percentile(Xf, [75, 25], axis=0)
    scale = (q75 - q25) / 1.349
    sd = Xf.std(axis=0)
    scale = np.where(scale > 1e-9, scale, np.where(sd > 1e-9, sd, 1.0))
    Z = np.clip((Xf - centre) / scale, -CLIP, CLIP)
    zc = Z - Z.mean(axis=0)
    yc = y - y.mean()
    denom = np.sqrt((zc**2).sum(axis=0) * (yc**2).sum())
    r = np.abs(np.divide(zc.T @ yc, denom, out=np.zeros(Z.shape[1]), where=denom > 0))
    keep = np.sort(np.argsort(-r, kind="stable")[:k]) if k else np.arange(Z.shape[1])
    return {"fill": fill, "centre": centre, "scale": scale, "keep": keep, "Z": Z[:, keep]}


def fit_ridge(X: np.ndarray, y: np.ndarray, k: int) -> dict[str, Any]:
    """Screened ridge on robust-standardised features; α by leave-one-out within the df budget.

    One SVD of the centred design gives every α's leave-one-out error and degrees of freedom.
    """
    st = standardise(X, y, k)
    Z = st.pop("Z")
    zmean = Z.mean(axis=0)
    zc = Z - zmean
    ymean = float(y.mean())
    yc = y - ymean
    U, sv, Vt = np.linalg.svd(zc, full_matrices=False)
    uty = U.T @ yc
    n = len(y)
    best: tuple[float, float, float] | None = None  # (loo error, alpha, df)
    for a in ALPHAS:
        shrink = sv**2 / (sv**2 + a)
        df = float(shrink.sum())
        if df > budget(n) and a != ALPHAS[-1]:
            continue
        fitted = U @ (shrink * uty)
        h = (U**2) @ shrink + 1.0 / n  # + the intercept's leverage
        loo = float(np.mean(((yc - fitted) / np.maximum(1 - h, 1e-6)) ** 2))
        if best is None or loo < best[0]:
            best = (loo, float(a), df)
    assert best is not None
    _, alpha, df = best
    coef = Vt.T @ (sv / (sv**2 + alpha) * uty)
    return {
        **st,
        "coef": coef,
        "intercept": ymean - float(zmean @ coef),
        "alpha": alpha,
        "df": df,
    }


def _ridge_predict(m: dict[str, Any], X: np.ndarray) -> np.ndarray:
    Z = np.clip((_fill(X, m["fill"]) - m["centre"]) / m["scale"], -CLIP, CLIP)
    return Z[:, m["keep"]] @ m["coef"] + m["intercept"]


def fit_gbm(X: np.ndarray, y: np.ndarray, depth: int, monotone: list[int], seed: int = 0):
    """Monotone gradient-boosted trees, small: depth 2–3, leaves of ≥ n/20 items."""
    from sklearn.ensemble import HistGradientBoostingRegressor

    return HistGradientBoostingRegressor(
        max_iter=150,
        learning_rate=0.05,
        max_depth=depth,
        min_samples_leaf=max(10, len(y) // 20),
        l2_regularization=1.0,
        monotonic_cst=monotone,
        random_state=seed,
    ).fit(X, y)


def fit_config(
    cfg: Config, X: np.ndarray, s: np.ndarray, y: np.ndarray, monotone: list[int]
) -> Fitted:
    """Fit one candidate on (X, score s, y); every data-derived number is fitted here."""
    if cfg.family == "monotone":
        mp = fit_monotone(s, y)
        return Fitted(cfg, {"map": mp}, df=float(len(mp.x)))
    parts: dict[str, Any] = {}
    df = 0.0
    if cfg.family in ("ridge", "blend"):
        parts["ridge"] = fit_ridge(X, y, cfg.k)
        df += parts["ridge"]["df"]
    if cfg.family in ("gbm", "blend"):
        parts["fill"] = medians(X)
        parts["gbm"] = fit_gbm(_fill(X, parts["fill"]), y, cfg.depth, monotone)
    return Fitted(cfg, parts, df=df)


# -- the inner-loop choice ----------------------------------------------------------------


@dataclass
class Choice:
    """What the inner loop chose, with the out-of-fold evidence it chose on."""

    config: Config
    oof: np.ndarray  # out-of-fold raw outputs of the chosen config
    table: dict[str, float]  # config name → out-of-fold Pearson
    margin: tuple[float, float, float] | None = None  # (diff, low, high) vs the baseline


def beats(model: np.ndarray, base: np.ndarray, y: np.ndarray, seed: int, resamples: int = 500):
    """Paired bootstrap over items of r(model) − r(base): (difference, 2.5%, 97.5%)."""
    rng = np.random.default_rng(seed)
    n = len(y)
    idx = rng.integers(0, n, size=(resamples, n))
    diffs = _boot_pearson(model, y, idx) - _boot_pearson(base, y, idx)
    diffs = diffs[np.isfinite(diffs)]
    d = pearson(model, y) - pearson(base, y)
    if not len(diffs) or not np.isfinite(d):
        return float("nan"), float("nan"), float("nan")
    lo, hi = np.quantile(diffs, [0.025, 0.975])
    return float(d), float(lo), float(hi)


def _boot_pearson(p: np.ndarray, y: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Pearson r for each row of resampling indices (vectorised)."""
    a, b = p[idx], y[idx]
    a = a - a.mean(axis=1, keepdims=True)
    b = b - b.mean(axis=1, keepdims=True)
    den = np.sqrt((a**2).sum(axis=1) * (b**2).sum(axis=1))
    with np.errstate(all="ignore"):
        return np.where(den > 0, (a * b).sum(axis=1) / den, np.nan)


def out_of_fold(
    cfgs: list[Config],
    X: np.ndarray,
    s: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    monotone: list[int],
    *,
    folds: int,
    seed: int,
) -> dict[Config, np.ndarray]:
    """Out-of-fold raw outputs of every config over one grouped k-fold partition."""
    out = {c: np.empty(len(y)) for c in cfgs}
    for train, test in kfold(groups, folds, seed):
        ridges: dict[int, Fitted] = {}
        gbms: dict[int, Fitted] = {}
        for c in cfgs:
            if c.family == "blend":
                continue  # averaged from its members below: no extra fit
            f = fit_config(c, X[train], s[train], y[train], monotone)
            out[c][test] = f.raw(X[test], s[test])
            if c.family == "ridge":
                ridges[c.k] = f
            elif c.family == "gbm":
                gbms[c.depth] = f
        for c in cfgs:
            if c.family == "blend":
                out[c][test] = 0.5 * (
                    ridges[c.k].raw(X[test], s[test]) + gbms[c.depth].raw(X[test], s[test])
                )
    return out


def choose(
    X: np.ndarray,
    s: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    monotone: list[int],
    *,
    folds: int,
    seed: int,
    gbm: bool = False,
) -> Choice:
    """Pick a config by inner CV; a model must beat the score's monotone map beyond noise."""
    cfgs = configs(len(y), X.shape[1], gbm)
    oof = out_of_fold(cfgs, X, s, y, groups, monotone, folds=folds, seed=seed)
    table = {c.name: pearson(oof[c], y) for c in cfgs}
    base = cfgs[0]
    models = [c for c in cfgs[1:] if np.isfinite(table[c.name])]
    if not models:
        return Choice(base, oof[base], table)
    best = max(models, key=lambda c: table[c.name])
    margin = beats(oof[best], oof[base], y, seed)
    # Beyond noise: the lower end of the paired 95% interval of the difference is above 0.
    if not np.isfinite(table[base.name]) or margin[1] > 0:
        return Choice(best, oof[best], table, margin)
    return Choice(base, oof[base], table, margin)
