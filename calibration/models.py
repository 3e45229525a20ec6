"""Candidate calibrators, each fitted with scikit-learn/SciPy and stored as plain JSON.

A calibration file must be data, not code: no pickles. Linear models keep their scaler and
coefficients; gradient-boosted trees keep their node tables (and are evaluated here exactly
as scikit-learn evaluates them); the ordinal model keeps its cut points.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from judge.schema import FittedModel

ALPHAS = np.logspace(-2, 4, 25)


def fill_gaps(X: np.ndarray, fill: np.ndarray) -> np.ndarray:
    """Replace NaNs (features a verdict lacks) by the training medians."""
    return np.where(np.isnan(X), fill[None, :], X)


def _standardise(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    return mean, np.where(scale > 1e-12, scale, 1.0)


def fit_linear(X: np.ndarray, y: np.ndarray, names: list[str]) -> FittedModel:
    """Ridge regression on standardised features; alpha chosen by efficient leave-one-out."""
    from sklearn.linear_model import RidgeCV

    fill = np.nanmedian(X, axis=0)
    X = fill_gaps(X, fill)
    mean, scale = _standardise(X)
    ridge = RidgeCV(alphas=ALPHAS).fit((X - mean) / scale, y)
    return FittedModel(
        kind="linear",
        features=names,
        fill=fill.tolist(),
        params={
            "mean": mean.tolist(),
            "scale": scale.tolist(),
            "coef": np.asarray(ridge.coef_).tolist(),
            "intercept": float(ridge.intercept_),
            "alpha": float(ridge.alpha_),
        },
    )


def monotone_constraints(names: list[str]) -> list[int]:
    """+1 for the judge's own scores (score, dim.*): a better judge score never lowers the fit."""
    return [1 if n == "score" or n.startswith("dim.") else 0 for n in names]


def fit_gbm(X: np.ndarray, y: np.ndarray, names: list[str], seed: int = 0) -> FittedModel:
    """Monotone gradient-boosted trees (HistGradientBoostingRegressor with monotonic_cst)."""
    from sklearn.ensemble import HistGradientBoostingRegressor

    fill = np.nanmedian(X, axis=0)
    X = fill_gaps(X, fill)
    model = HistGradientBoostingRegressor(
        max_iter=200,
        learning_rate=0.05,
        max_depth=3,
        min_samples_leaf=10,
        l2_regularization=1.0,
        monotonic_cst=monotone_constraints(names),
        random_state=seed,
    ).fit(X, y)
    return gbm_to_json(model, names, fill)


def gbm_to_json(model: Any, names: list[str], fill: np.ndarray) -> FittedModel:
    """A fitted HistGradientBoostingRegressor as node tables (evaluated like scikit-learn)."""
    trees = []
    for (pred,) in model._predictors:  # one predictor per iteration for regression
        nodes = pred.nodes
        trees.append(
            {
                "value": nodes["value"].tolist(),
                "feature": nodes["feature_idx"].astype(int).tolist(),
                "threshold": nodes["num_threshold"].tolist(),
                "left": nodes["left"].astype(int).tolist(),
                "right": nodes["right"].astype(int).tolist(),
                "leaf": nodes["is_leaf"].astype(bool).tolist(),
            }
        )
    baseline = float(np.ravel(model._baseline_prediction)[0])
    return FittedModel(
        kind="gbm",
        features=names,
        fill=fill.tolist(),
        params={"baseline": baseline, "trees": trees},
    )


def _gbm_predict(params: dict[str, Any], X: np.ndarray) -> np.ndarray:
    out = np.full(len(X), params["baseline"], dtype=float)
    for t in params["trees"]:
        feat, thr, left, right, leaf, value = (
            t["feature"],
            t["threshold"],
            t["left"],
            t["right"],
            t["leaf"],
            t["value"],
        )
        for i, row in enumerate(X):
            node = 0
            while not leaf[node]:
                node = left[node] if row[feat[node]] <= thr[node] else right[node]
            out[i] += value[node]
    return out


def fit_ordinal(X: np.ndarray, y: np.ndarray, names: list[str], l2: float = 1.0) -> FittedModel:
    """Cumulative-logit (proportional odds) regression with an L2 penalty, fitted with SciPy."""
    from scipy.optimize import minimize
    from scipy.special import expit

    fill = np.nanmedian(X, axis=0)
    X = fill_gaps(X, fill)
    mean, scale = _standardise(X)
    Z = (X - mean) / scale
    levels = np.unique(np.rint(y))
    k = np.searchsorted(levels, np.rint(y))
    m = len(levels) - 1
    d = Z.shape[1]

    def unpack(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # Cut points as first + cumulative softplus steps keep them ordered.
        cuts = theta[0] + np.concatenate([[0.0], np.cumsum(np.logaddexp(0, theta[1:m]))])
        return cuts, theta[m:]

    def nll(theta: np.ndarray) -> float:
        cuts, w = unpack(theta)
        eta = Z @ w
        cdf = expit(np.concatenate([cuts, [np.inf]])[None, :] - eta[:, None])
        cdf = np.concatenate([np.zeros((len(Z), 1)), cdf], axis=1)
        p = cdf[np.arange(len(Z)), k + 1] - cdf[np.arange(len(Z)), k]
        return float(-np.log(np.clip(p, 1e-12, None)).sum() + l2 * (w**2).sum())

    theta0 = np.concatenate([[-m / 2], np.zeros(m - 1), np.zeros(d)])
    res = minimize(nll, theta0, method="L-BFGS-B", options={"maxiter": 500})
    cuts, w = unpack(res.x)
    return FittedModel(
        kind="ordinal",
        features=names,
        fill=fill.tolist(),
        params={
            "mean": mean.tolist(),
            "scale": scale.tolist(),
            "coef": w.tolist(),
            "cuts": cuts.tolist(),
            "levels": levels.tolist(),
        },
    )


def blend(members: list[FittedModel]) -> FittedModel:
    """Average of several fitted models' predictions."""
    names = members[0].features
    return FittedModel(
        kind="blend",
        features=names,
        fill=members[0].fill,
        params={"members": [m.model_dump(mode="json") for m in members]},
    )


def predict(model: FittedModel, X: np.ndarray) -> np.ndarray:
    """Predictions on the human scale (utilities for Bradley–Terry) for rows of X."""
    X = fill_gaps(np.asarray(X, dtype=float), np.asarray(model.fill, dtype=float))
    p = model.params
    if model.kind in ("linear", "bradley_terry"):
        Z = (X - np.asarray(p["mean"])) / np.asarray(p["scale"])
        if p.get("clip"):
            Z = np.clip(Z, -p["clip"], p["clip"])
        return Z @ np.asarray(p["coef"]) + p.get("intercept", 0.0)
    if model.kind == "monotone":
        return X[:, 0]  # the judge's score; the calibration's mapping does the rest
    if model.kind == "gbm":
        return _gbm_predict(p, X)
    if model.kind == "ordinal":
        from scipy.special import expit

        Z = (X - np.asarray(p["mean"])) / np.asarray(p["scale"])
        cdf = expit(np.asarray(p["cuts"])[None, :] - (Z @ np.asarray(p["coef"]))[:, None])
        cdf = np.concatenate([np.zeros((len(X), 1)), cdf, np.ones((len(X), 1))], axis=1)
        return np.diff(cdf, axis=1) @ np.asarray(p["levels"])
    if model.kind == "blend":
        # Members share the blend's feature columns (see calibration.fit.export).
        members = [FittedModel.model_validate(m) for m in p["members"]]
        return np.mean([predict(m, X) for m in members], axis=0)
    if model.kind == "identity":
        lo, hi = p["scale"]
        return lo + (hi - lo) * X[:, 0]
    raise ValueError(f"unknown model kind {model.kind!r}")


def fit_bradley_terry(
    diffs: np.ndarray, outcomes: np.ndarray, names: list[str], mean: np.ndarray, scale: np.ndarray
) -> FittedModel:
    """Feature-based Bradley–Terry: P(a beats b) = σ(w·(z_a − z_b)), ties counted as half wins."""
    from sklearn.linear_model import LogisticRegression

    # A tie is one half-weighted win each way, the usual Bradley–Terry treatment.
    Xd = np.concatenate([diffs, -diffs])
    yd = np.concatenate([outcomes >= 0.5, outcomes <= 0.5]).astype(int)
    wd = np.concatenate([np.where(outcomes == 0.5, 0.5, 1.0)] * 2)
    lr = LogisticRegression(C=1.0, fit_intercept=False, max_iter=1000)
    lr.fit(Xd, yd, sample_weight=wd)
    return FittedModel(
        kind="bradley_terry",
        features=names,
        fill=[0.0] * len(names),
        params={"mean": mean.tolist(), "scale": scale.tolist(), "coef": lr.coef_[0].tolist()},
    )


def bradley_terry_strengths(
    pairs: list[tuple[str, str, float]], iters: int = 200, prior: float = 0.1
) -> dict[str, float]:
    """Item strengths (log scale, mean 0) by Hunter's MM algorithm; outcome 1 = a won, ½ = tie."""
    items = sorted({x for a, b, _ in pairs for x in (a, b)})
    idx = {x: i for i, x in enumerate(items)}
    n = len(items)
    wins = np.full(n, prior)  # a small virtual win/loss against a mean opponent keeps it finite
    games = np.zeros((n, n))
    for a, b, o in pairs:
        wins[idx[a]] += o
        wins[idx[b]] += 1 - o
        games[idx[a], idx[b]] += 1
        games[idx[b], idx[a]] += 1
    p = np.ones(n)
    for _ in range(iters):
        denom = (games / (p[:, None] + p[None, :])).sum(axis=1) + 2 * prior / (p + 1)
        p = wins / denom
        p = p / np.exp(np.log(p).mean())
    return {x: float(np.log(p[idx[x]])) for x in items}
