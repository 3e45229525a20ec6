"""Calibrators: recover a known monotone relation, refuse another rubric, JSON models exact."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats

from calibration import (
    CalibrationMismatch,
    apply,
    fit_pairs,
    fit_ratings,
    load_calibration,
    save_calibration,
)
from calibration.models import bradley_terry_strengths, fit_gbm, fit_ordinal, predict
from judge.schema import InputInfo, LabelSet, PairLabel, RatingLabel, RubricRef, Verdict

RUBRIC = RubricRef(id="screenshot", version="1.0.0")


def verdict(features: dict[str, float], rubric: RubricRef = RUBRIC) -> Verdict:
    return Verdict(
        status="ok",
        score=0.5,
        dimensions={"visual": 0.5},
        features=features,
        rubric=rubric,
        input=InputInfo(kind="image", sha256="0" * 64),
    )


def synthetic(n: int, seed: int) -> tuple[dict[str, Verdict], dict[str, float]]:
    """Items whose human rating is a known monotone function of two features (plus noise cols)."""
    rng = np.random.default_rng(seed)
    verdicts, truth = {}, {}
    for i in range(n):
        f = {"edge_density": rng.uniform(0, 1), "contrast_rms": rng.uniform(0, 1)}
        f.update({f"noise{k}": rng.normal() for k in range(5)})
        verdicts[f"item{seed}-{i}"] = verdict(f)
        # Monotone: increasing in contrast, decreasing in edge density, non-linear.
        truth[f"item{seed}-{i}"] = 1 + 8 / (
            1 + np.exp(-(4 * f["contrast_rms"] - 3 * f["edge_density"] ** 2))
        )
    return verdicts, truth


def labels_for(truth: dict[str, float]) -> LabelSet:
    return LabelSet(
        path="synthetic.csv",
        sha256="f" * 64,
        ratings=[RatingLabel(item=k, rating=v, scale_min=1, scale_max=9) for k, v in truth.items()],
        scale=(1.0, 9.0),
    )


@pytest.fixture(scope="module")
def fitted():
    verdicts, truth = synthetic(80, 0)
    cal = fit_ratings(labels_for(truth), verdicts, rubric=RUBRIC, judge_version="t", resamples=200)
    return cal


def test_fit_recovers_the_ordering_of_a_monotone_function(fitted):
    assert fitted.cv["spearman"].value > 0.9
    assert set(fitted.candidates) >= {"linear", "gbm", "blend"}
    # Fresh items, never seen in fitting: the calibrated values order them like the truth.
    verdicts, truth = synthetic(40, 1)
    out = {k: apply(v, fitted).calibration for k, v in verdicts.items()}
    human = [out[k].human_value for k in truth]
    assert stats.spearmanr(human, list(truth.values())).statistic > 0.9
    some = next(iter(out.values()))
    assert some.raw_score == 0.5 and 0 <= some.calibrated_score <= 1
    assert some.human_interval[0] <= some.human_value <= some.human_interval[1]
    assert some.human_scale == (1.0, 9.0)


def test_calibration_refused_for_another_rubric_version(fitted, tmp_path):
    path = tmp_path / "cal.json"
    sha = save_calibration(fitted, path)
    cal = load_calibration(path)
    assert cal.source_sha256 == sha
    v = next(iter(synthetic(1, 9)[0].values()))
    assert apply(v, cal).calibration.file_sha256 == sha
    other = v.model_copy(update={"rubric": RubricRef(id="screenshot", version="2.0.0")})
    with pytest.raises(
        CalibrationMismatch, match=r"fitted for rubric 'screenshot' version 1.0.0.*version 2.0.0"
    ):
        apply(other, cal)


def test_unknown_format_refused(tmp_path):
    p = tmp_path / "x.json"
    p.write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(CalibrationMismatch, match="unsupported calibration format"):
        load_calibration(p)


def test_gbm_json_predicts_exactly_like_sklearn():
    from sklearn.ensemble import HistGradientBoostingRegressor

    rng = np.random.default_rng(3)
    X = rng.normal(size=(120, 4))
    y = X[:, 0] - X[:, 1] ** 2 + rng.normal(0, 0.1, 120)
    names = ["a", "b", "c", "score"]
    model = fit_gbm(X, y, names)
    ref = HistGradientBoostingRegressor(
        max_iter=200,
        learning_rate=0.05,
        max_depth=3,
        min_samples_leaf=10,
        l2_regularization=1.0,
        monotonic_cst=[0, 0, 0, 1],
        random_state=0,
    ).fit(X, y)
    Xt = rng.normal(size=(30, 4))
    assert np.allclose(predict(model, Xt), ref.predict(Xt))
    # The judge's own score is constrained monotone increasing.
    lo, hi = Xt.copy(), Xt.copy()
    lo[:, 3], hi[:, 3] = -2, 2
    assert (predict(model, hi) >= predict(model, lo) - 1e-12).all()


def test_ordinal_model_orders_levels():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(200, 1))
    y = np.clip(np.rint(3 + 1.2 * x[:, 0] + rng.normal(0, 0.5, 200)), 1, 5)
    m = fit_ordinal(x, y, ["f"])
    p = predict(m, np.array([[-2.0], [0.0], [2.0]]))
    assert p[0] < p[1] < p[2]
    assert p.min() >= 1 and p.max() <= 5


def test_bradley_terry_strengths_recover_order():
    rng = np.random.default_rng(2)
    true = {f"i{k}": k / 2 for k in range(6)}
    pairs = []
    for _ in range(400):
        a, b = rng.choice(list(true), 2, replace=False)
        p = 1 / (1 + np.exp(true[b] - true[a]))
        pairs.append((a, b, float(rng.random() < p)))
    s = bradley_terry_strengths(pairs)
    assert stats.spearmanr([s[k] for k in true], list(true.values())).statistic > 0.9


def test_fit_pairs_on_features():
    verdicts, truth = synthetic(40, 4)
    keys = list(truth)
    rng = np.random.default_rng(0)
    pairs = []
    for _ in range(150):
        a, b = rng.choice(keys, 2, replace=False)
        pairs.append(PairLabel(a=a, b=b, winner="a" if truth[a] > truth[b] else "b"))
    ls = LabelSet(path="p.jsonl", sha256="e" * 64, pairs=pairs)
    cal = fit_pairs(ls, verdicts, rubric=RUBRIC, judge_version="t")
    assert cal.model.kind == "bradley_terry"
    assert cal.cv["pairwise_accuracy"].value > 0.8
    got = apply(next(iter(verdicts.values())), cal).calibration
    assert 0 < got.calibrated_score < 1 and got.human_value is None
