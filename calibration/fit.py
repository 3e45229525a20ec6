"""Fit calibrators to human labels with k-fold cross-validation; report held-out figures only."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping

import numpy as np

from calibration import models
from calibration.labels import mean_ratings
from calibration.metrics import agreement, pearson, preference_accuracy, rmse, spearman
from judge.schema import (
    CalibrationFile,
    FittedModel,
    Interval,
    IsotonicMap,
    LabelSet,
    RubricRef,
    Verdict,
)

Fitter = Callable[[np.ndarray, np.ndarray, list[str]], FittedModel]


class CalibrationError(ValueError):
    """Labels and verdicts that cannot be fitted (too few items, nothing in common, …)."""


DERIVED = frozenset({"score", "dim.visual"})


def feature_row(verdict: Verdict) -> dict[str, float]:
    """The numbers a calibrator may use: visual features, dimension scores and the score."""
    row = dict(verdict.features)
    row.update({f"dim.{k}": v for k, v in verdict.dimensions.items()})
    if verdict.score is not None:
        row["score"] = verdict.score
    return row


def design(
    verdicts: Mapping[str, Verdict], items: list[str], names: list[str] | None = None
) -> tuple[np.ndarray, list[str]]:
    """Feature matrix (NaN where a verdict lacks a feature) for `items`, and the column names."""
    rows = [feature_row(verdicts[i]) for i in items]
    if names is None:
        names = sorted({k for r in rows for k in r})
    X = np.array([[r.get(n, np.nan) for n in names] for r in rows], dtype=float)
    return X, names


def _folds(n: int, k: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import KFold

    return list(KFold(n_splits=k, shuffle=True, random_state=seed).split(np.arange(n)))


def candidates(y: np.ndarray) -> dict[str, Fitter]:
    """Weight models to compare; the ordinal one only for integer ratings on a short scale."""
    out: dict[str, Fitter] = {
        "linear": models.fit_linear,
        "gbm": models.fit_gbm,
        "blend": lambda X, y, n: models.blend(
            [models.fit_linear(X, y, n), models.fit_gbm(X, y, n)]
        ),
    }
    levels = np.unique(y)
    if np.allclose(y, np.rint(y)) and 3 <= len(levels) <= 11:
        out["ordinal"] = models.fit_ordinal
    return out


def cross_validate(
    fitter: Fitter, X: np.ndarray, y: np.ndarray, names: list[str], k: int, seed: int
) -> np.ndarray:
    """Out-of-fold predictions: every transform is fitted inside the training folds."""
    pred = np.empty(len(y))
    for train, test in _folds(len(y), k, seed):
        model = fitter(X[train], y[train], names)
        pred[test] = models.predict(model, X[test])
    return pred


def fit_isotonic(x: np.ndarray, y: np.ndarray) -> IsotonicMap:
    """Isotonic map x → y with the 95% band of its residuals (x are held-out predictions)."""
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(out_of_bounds="clip").fit(x, y)
    resid = y - iso.predict(x)
    lo, hi = np.quantile(resid, [0.025, 0.975])
    return IsotonicMap(
        x=iso.X_thresholds_.tolist(),
        y=iso.y_thresholds_.tolist(),
        resid_low=float(lo),
        resid_high=float(hi),
    )


def apply_map(mapping: IsotonicMap, x: np.ndarray) -> np.ndarray:
    """Evaluate an isotonic map (linear between its thresholds, clipped at the ends)."""
    return np.interp(x, mapping.x, mapping.y)


def fit_ratings(
    labels: LabelSet,
    verdicts: Mapping[str, Verdict],
    *,
    rubric: RubricRef,
    judge_version: str,
    feature_version: str = "",
    folds: int = 5,
    seed: int = 0,
    resamples: int = 1000,
    progress: Callable[[str], None] | None = None,
) -> CalibrationFile:
    """Compare weight models by k-fold CV, keep the best, fit it on all items, add a mapping."""
    from threadpoolctl import threadpool_limits

    # Small data: OpenMP/BLAS threads only add contention (badly so on a loaded machine).
    with threadpool_limits(1):
        return _fit_ratings(
            labels,
            verdicts,
            rubric=rubric,
            judge_version=judge_version,
            feature_version=feature_version,
            folds=folds,
            seed=seed,
            resamples=resamples,
            say=progress or (lambda _m: None),
        )


def _fit_ratings(
    labels: LabelSet,
    verdicts: Mapping[str, Verdict],
    *,
    rubric: RubricRef,
    judge_version: str,
    feature_version: str,
    folds: int,
    seed: int,
    resamples: int,
    say: Callable[[str], None],
) -> CalibrationFile:
    human = mean_ratings(labels)
    items = [i for i in human if i in verdicts and verdicts[i].status != "infra_error"]
    if len(items) < max(10, 2 * folds):
        raise CalibrationError(
            f"only {len(items)} rated items have a verdict; need at least {max(10, 2 * folds)}"
        )
    scale = labels.scale or (min(human.values()), max(human.values()))
    y = np.array([human[i] for i in items])
    X, names = design(verdicts, items)
    # Drop features that are missing for most items or constant: they only add noise.
    present = np.mean(~np.isnan(X), axis=0) >= 0.5
    varying = np.nanstd(np.where(np.isnan(X), np.nanmedian(X, axis=0), X), axis=0) > 1e-12
    keep = present & varying
    X, names = X[:, keep], [n for n, k in zip(names, keep, strict=True) if k]
    if not names:
        raise CalibrationError("the verdicts carry no usable features or scores")
    # The score-only baseline keeps the raw score; the weight models do not see the score or the
    # visual dimension: both are the rubric's fixed combination of features already in X, and
    # those default weights may have been fitted on these very labels (the screenshot rubric's
    # were fitted on the Reinecke set), which would leak held-out items into every fold.
    score_col = X[:, names.index("score")] if "score" in names else None
    derived = [n in DERIVED for n in names]
    X, names = (
        X[:, [not d for d in derived]],
        [n for n, d in zip(names, derived, strict=True) if not d],
    )
    table: dict[str, dict[str, float]] = {}
    oof: dict[str, np.ndarray] = {}
    for name, fitter in candidates(y).items():
        say(f"cross-validating {name} ({folds} folds, {len(items)} items, {len(names)} features)")
        oof[name] = cross_validate(fitter, X, y, names, folds, seed)
        table[name] = {
            "pearson": pearson(oof[name], y),
            "spearman": spearman(oof[name], y),
            "rmse": rmse(oof[name], y),
        }
    if score_col is not None:
        # Scale-only baseline: the judge's raw score, monotonically mapped (CV'd too).
        col = score_col
        base = np.empty(len(y))
        for train, test in _folds(len(y), folds, seed):
            base[test] = apply_map(fit_isotonic(col[train], y[train]), col[test])
        table["mapping_only"] = {
            "pearson": pearson(base, y),
            "spearman": spearman(base, y),
            "rmse": rmse(base, y),
        }
    best = max(oof, key=lambda k: np.nan_to_num(table[k]["pearson"], nan=-1.0))
    say(f"best by CV Pearson: {best}; fitting on all {len(items)} items")
    model = candidates(y)[best](X, y, names)
    mapping = fit_isotonic(oof[best], y)
    cv = agreement(oof[best], y, scale, resamples=resamples, seed=seed)
    return CalibrationFile(
        rubric=rubric,
        judge_version=judge_version,
        feature_version=feature_version,
        label_sha256=labels.sha256,
        label_file=labels.path,
        n_items=len(items),
        scale=(float(scale[0]), float(scale[1])),
        folds=folds,
        model=model,
        mapping=mapping,
        cv=cv,
        candidates=table,
        created=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    )


def fit_pairs(
    labels: LabelSet,
    verdicts: Mapping[str, Verdict],
    *,
    rubric: RubricRef,
    judge_version: str,
    feature_version: str = "",
    folds: int = 5,
    seed: int = 0,
) -> CalibrationFile:
    """Feature-based Bradley–Terry on preference labels, CV'd by pairs (pairwise accuracy)."""
    ok = {i for i, v in verdicts.items() if v.status != "infra_error"}
    pairs = [p for p in labels.pairs if p.a in ok and p.b in ok]
    if len(pairs) < max(10, 2 * folds):
        raise CalibrationError(f"only {len(pairs)} usable preference labels; need at least 10")
    items = sorted({x for p in pairs for x in (p.a, p.b)})
    X, names = design(verdicts, items)
    fill = np.nanmedian(X, axis=0)
    X = models.fill_gaps(X, np.nan_to_num(fill))
    idx = {x: i for i, x in enumerate(items)}
    out = np.array([1.0 if p.winner == "a" else 0.0 if p.winner == "b" else 0.5 for p in pairs])

    def fit(sel: np.ndarray) -> FittedModel:
        mean, scale = X.mean(axis=0), X.std(axis=0)
        scale = np.where(scale > 1e-12, scale, 1.0)
        Z = (X - mean) / scale
        diffs = np.array([Z[idx[pairs[j].a]] - Z[idx[pairs[j].b]] for j in sel])
        return models.fit_bradley_terry(diffs, out[sel], names, mean, scale)

    accs = []
    for train, test in _folds(len(pairs), folds, seed):
        m = fit(train)
        util = dict(zip(items, models.predict(m, X), strict=True))
        accs.append(preference_accuracy(util, [pairs[j] for j in test]))
    model = fit(np.arange(len(pairs)))
    acc = float(np.nanmean(accs))
    return CalibrationFile(
        rubric=rubric,
        judge_version=judge_version,
        feature_version=feature_version,
        label_sha256=labels.sha256,
        label_file=labels.path,
        n_items=len(items),
        scale=(0.0, 1.0),
        folds=folds,
        model=model,
        cv={"pairwise_accuracy": Interval(value=acc, low=min(accs), high=max(accs), n=len(pairs))},
        created=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    )
