"""Fit a calibration to human ratings; its printed agreement is the nested-CV estimate.

Order of work (see `calibration.select` for the candidates and the parameter rule):
1. nested CV of the whole procedure → `cv`, the expected agreement on new items;
2. the same procedure on all items → the model written to the file (`train` is its in-sample
   agreement, shown beside `cv` so the optimism gap is visible; `candidates` holds the flat
   inner-CV figure of every configuration);
3. refusal: a calibration whose nested Pearson is ≤ 0 (or undefined) or whose outputs are
   (near-)constant is refused with `CalibrationRefused` unless `force`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from calibration import models
from calibration.labels import mean_ratings, ratings_by_rater
from calibration.metrics import human_ceiling
from calibration.nested import Procedure, fit_procedure, nested_cv, repeated_agreement
from calibration.select import (
    CLIP,
    MIN_GBM_ITEMS,
    MIN_MODEL_ITEMS,
    MonotoneMap,
    budget,
    configs,
)
from judge.schema import CalibrationFile, FittedModel, IsotonicMap, LabelSet, RubricRef, Verdict


class CalibrationError(ValueError):
    """Labels and verdicts that cannot be fitted (too few items, nothing in common, …)."""


class CalibrationRefused(CalibrationError):
    """A fit that would be useless or harmful (constant, or no held-out agreement)."""


DERIVED = frozenset({"score", "dim.visual"})
# Outputs whose spread is below this share of the rating scale count as constant.
CONSTANT_SPREAD = 0.01


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


def apply_map(mapping: IsotonicMap, x: np.ndarray) -> np.ndarray:
    """Evaluate a monotone map (linear between its knots, clipped at the ends)."""
    return np.interp(x, mapping.x, mapping.y)


def monotone_constraints(names: list[str]) -> list[int]:
    """+1 for the judge's own dimension scores: a better judge score never lowers the fit."""
    return [1 if n.startswith("dim.") else 0 for n in names]


def item_groups(labels: LabelSet, items: list[str], verdicts: Mapping[str, Verdict]) -> np.ndarray:
    """Fold groups: the label file's group/source column, else identical content, else the item."""
    declared = {r.item: r.group for r in labels.ratings if r.group}
    out = []
    for i in items:
        sha = verdicts[i].input.sha256
        out.append(declared.get(i) or (f"sha:{sha}" if sha else f"item:{i}"))
    return np.unique(np.array(out), return_inverse=True)[1]


@dataclass
class Design:
    """What the fit works on: items, human means, features, score column, fold groups."""

    items: list[str]
    y: np.ndarray
    X: np.ndarray
    names: list[str]
    s: np.ndarray
    groups: np.ndarray
    scale: tuple[float, float]


def build_design(labels: LabelSet, verdicts: Mapping[str, Verdict], folds: int) -> Design:
    """Items with a usable verdict and a rating; features minus the rubric's derived columns."""
    human = mean_ratings(labels)
    items = [
        i
        for i in human
        if i in verdicts and verdicts[i].status != "infra_error" and verdicts[i].score is not None
    ]
    need = max(10, 2 * folds)
    if len(items) < need:
        raise CalibrationError(
            f"only {len(items)} rated items have a verdict; need at least {need}"
        )
    scale = labels.scale or (min(human.values()), max(human.values()))
    y = np.array([human[i] for i in items])
    if np.ptp(y) == 0:
        raise CalibrationError("every item has the same rating: there is nothing to calibrate")
    X, names = design(verdicts, items)
    s = X[:, names.index("score")]
    # The weight models never see the score or the visual dimension: both are the rubric's
    # fixed combination of features already in X, and those default weights may have been
    # fitted on these very labels (the screenshot rubric's were fitted on the Reinecke set),
    # which would leak held-out items into every fold. The score only enters the baseline.
    present = np.mean(~np.isnan(X), axis=0) >= 0.5
    varying = np.array([np.nanstd(c) > 1e-12 if np.isfinite(c).any() else False for c in X.T])
    keep = present & varying & np.array([n not in DERIVED for n in names])
    groups = item_groups(labels, items, verdicts)
    if len(np.unique(groups)) < need:
        raise CalibrationError(
            f"the {len(items)} items come from only {len(np.unique(groups))} distinct groups "
            f"(group/source column, or identical content); need at least {need}"
        )
    return Design(
        items=items,
        y=y,
        X=X[:, keep],
        names=[n for n, k in zip(names, keep, strict=True) if k],
        s=s,
        groups=groups,
        scale=(float(scale[0]), float(scale[1])),
    )


def export(proc: Procedure, names: list[str], resid: np.ndarray) -> tuple[FittedModel, IsotonicMap]:
    """The fitted procedure as plain JSON: model + monotone map with held-out residual band."""
    cfg, parts = proc.model.config, proc.model.parts
    lo, hi = (float(q) for q in np.quantile(resid, [0.025, 0.975]))

    def iso(m: MonotoneMap) -> IsotonicMap:
        return IsotonicMap(x=m.x.tolist(), y=m.y.tolist(), resid_low=lo, resid_high=hi)

    if cfg.family == "monotone":
        model = FittedModel(kind="monotone", features=["score"], fill=[0.5])
        return model, iso(parts["map"])

    def linear(full: bool) -> FittedModel:
        r = parts["ridge"]
        keep = np.arange(len(names)) if full else r["keep"]
        coef = np.zeros(len(names))
        coef[r["keep"]] = r["coef"]
        return FittedModel(
            kind="linear",
            features=[names[j] for j in keep],
            fill=r["fill"][keep].tolist(),
            params={
                "mean": r["centre"][keep].tolist(),
                "scale": r["scale"][keep].tolist(),
                "coef": coef[keep].tolist(),
                "intercept": r["intercept"],
                "alpha": r["alpha"],
                "clip": CLIP,
            },
        )

    if cfg.family == "ridge":
        model = linear(full=False)
    elif cfg.family == "gbm":
        model = models.gbm_to_json(parts["gbm"], names, parts["fill"])
    else:
        model = models.blend(
            [linear(full=True), models.gbm_to_json(parts["gbm"], names, parts["fill"])]
        )
    assert proc.mapping is not None
    return model, iso(proc.mapping)


def fit_ratings(
    labels: LabelSet,
    verdicts: Mapping[str, Verdict],
    *,
    rubric: RubricRef,
    judge_version: str,
    feature_version: str = "",
    folds: int = 5,
    repeats: int = 3,
    seed: int = 0,
    resamples: int = 1000,
    force: bool = False,
    gbm: bool = False,
    progress: Callable[[str], None] | None = None,
) -> CalibrationFile:
    """Nested-CV estimate, then the same procedure on all items; refuses degenerate fits."""
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
            repeats=repeats,
            seed=seed,
            resamples=resamples,
            force=force,
            gbm=gbm,
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
    repeats: int,
    seed: int,
    resamples: int,
    force: bool,
    gbm: bool,
    say: Callable[[str], None],
) -> CalibrationFile:
    d = build_design(labels, verdicts, folds)
    n = len(d.y)
    mono = monotone_constraints(d.names)
    cands = configs(n, d.X.shape[1], gbm)
    say(
        f"nested CV: {repeats}×{folds} outer folds, {len(cands)} configurations in each inner "
        f"loop, {n} items, {len(d.names)} features, ≤ {budget(n):.0f} effective parameters"
    )
    nested = nested_cv(
        d.X, d.s, d.y, d.groups, mono, folds=folds, repeats=repeats, seed=seed, gbm=gbm, say=say
    )
    cv = repeated_agreement(nested.pred, d.y, d.scale, resamples=resamples, seed=seed)
    base_cv = repeated_agreement(nested.baseline, d.y, d.scale, resamples=resamples, seed=seed)
    say(f"fitting the chosen procedure on all {n} items")
    proc = fit_procedure(d.X, d.s, d.y, d.groups, mono, folds=folds, seed=seed, gbm=gbm)
    fitted = proc.predict(d.X, d.s)
    train = repeated_agreement(fitted, d.y, d.scale, resamples=resamples, seed=seed)
    model, mapping = export(proc, d.names, (d.y[None, :] - nested.pred).ravel())
    problems = refusal_reasons(cv["pearson"].value, fitted, d.scale)
    if problems and not force:
        raise CalibrationRefused(
            "refusing to write this calibration: "
            + "; ".join(problems)
            + f" (nested-CV Pearson {cv['pearson']}, {n} items; the score-only monotone map "
            f"reaches {base_cv['pearson']}). Label more items, or pass --force to write it anyway"
        )
    ch = proc.choice
    selection = {
        "rule": (
            f"inner {folds}-fold CV picks the best configuration; a model replaces the score's "
            "monotone map only when the paired-bootstrap 95% interval of its Pearson gain "
            "excludes 0"
        ),
        "parameter_budget": budget(n),
        "parameter_rule": (
            f"effective degrees of freedom ≤ max(2, n/10); only the score's monotone map below "
            f"{MIN_MODEL_ITEMS} items; boosted trees (opt-in) from {MIN_GBM_ITEMS} items"
        ),
        "chosen": ch.config.name,
        "effective_parameters": round(proc.model.df, 2),
        "gain_over_baseline": list(ch.margin) if ch.margin else None,
        "configurations": [c.name for c in cands],
        "outer_choices": dict(nested.chosen),
        "repeats": repeats,
        "baseline_nested": {k: v.model_dump() for k, v in base_cv.items()},
        "refused_but_forced": problems,
        "human_ceiling": {
            k: v.model_dump() for k, v in human_ceiling(ratings_by_rater(labels)).items()
        },
    }
    return CalibrationFile(
        rubric=rubric,
        judge_version=judge_version,
        feature_version=feature_version,
        label_sha256=labels.sha256,
        label_file=labels.path,
        n_items=n,
        scale=d.scale,
        folds=folds,
        model=model,
        mapping=mapping,
        cv=cv,
        train=train,
        selection=selection,
        candidates={
            name: {"pearson": round(r, 4)} for name, r in ch.table.items() if np.isfinite(r)
        },
        created=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    )


def refusal_reasons(
    nested_r: float | None, fitted: np.ndarray, scale: tuple[float, float]
) -> list[str]:
    """Why a calibration must not be written (empty when it is fine)."""
    out = []
    if nested_r is None or not np.isfinite(nested_r) or nested_r <= 0:
        out.append("its held-out (nested-CV) correlation with the humans is not positive")
    spread = float(np.ptp(fitted)) if len(fitted) else 0.0
    if spread < CONSTANT_SPREAD * (scale[1] - scale[0]) or len(np.unique(fitted)) < 2:
        out.append(f"its outputs are (near-)constant (spread {spread:.4g} on the human scale)")
    return out
