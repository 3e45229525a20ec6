"""Calibrators: recover a known monotone relation, refuse another rubric, JSON models exact."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest
from scipy import stats

from calibration import (
    CalibrationMismatch,
    CalibrationRefused,
    apply,
    fit_pairs,
    fit_ratings,
    load_calibration,
    save_calibration,
)
from calibration.models import bradley_terry_strengths, fit_gbm, fit_ordinal, predict
from judge.schema import InputInfo, LabelSet, PairLabel, RatingLabel, RubricRef, Verdict

RUBRIC = RubricRef(id="screenshot", version="1.0.0")


def verdict(features: dict[str, float], rubric: RubricRef = RUBRIC, score: float = 0.5) -> Verdict:
    # Distinct content per item: identical hashes would be grouped into one fold.
    sha = hashlib.sha256(json.dumps(features, sort_keys=True).encode()).hexdigest()
    return Verdict(
        status="ok",
        score=score,
        dimensions={"visual": score},
        features=features,
        rubric=rubric,
        input=InputInfo(kind="image", sha256=sha),
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
    assert "monotone(score)" in fitted.candidates  # the baseline is always a candidate
    assert fitted.selection["chosen"].startswith("ridge")
    assert fitted.model.kind == "linear"
    # Train (in-sample) and nested figures are both recorded; the nested one is the printed one.
    assert fitted.train["pearson"].value >= fitted.cv["pearson"].value - 0.02
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
        # A second, noisier vote on every third pair gives a human–human agreement figure.
        if len(pairs) % 3 == 0:
            w = "a" if truth[a] + rng.normal(0, 1) > truth[b] else "b"
            pairs.append(PairLabel(a=a, b=b, winner=w, rater="r2"))
    ls = LabelSet(path="p.jsonl", sha256="e" * 64, pairs=pairs)
    cal = fit_pairs(ls, verdicts, rubric=RUBRIC, judge_version="t", resamples=200)
    assert cal.model.kind == "bradley_terry"
    assert cal.cv["pairwise_accuracy"].value > 0.8
    # The raw score is constant here: the baseline is at chance, the model well above it.
    assert cal.cv["baseline_pairwise_accuracy"].value == pytest.approx(0.5)
    ceiling = cal.cv["human_pairwise_agreement"]
    assert 0.5 < ceiling.value < 1 and ceiling.n > 10
    got = apply(next(iter(verdicts.values())), cal).calibration
    assert 0 < got.calibrated_score < 1 and got.human_value is None


def scored(n: int, seed: int, signal: float) -> tuple[dict[str, Verdict], dict[str, float]]:
    """Items whose judge score relates to the rating with strength `signal` (<0: inverted);
    the features are pure noise."""
    rng = np.random.default_rng(seed)
    verdicts, truth = {}, {}
    for i in range(n):
        rating = float(rng.uniform(1, 9))
        score = float(np.clip(0.5 + signal * (rating - 5) / 8 + rng.normal(0, 0.05), 0, 1))
        f = {f"noise{k}": float(rng.normal()) for k in range(40)}
        verdicts[f"i{seed}-{i}"] = verdict(f, score=score)
        truth[f"i{seed}-{i}"] = rating
    return verdicts, truth


def test_ten_labels_fit_only_a_monotone_map_and_never_a_constant():
    verdicts, truth = scored(10, 3, signal=0.8)
    cal = fit_ratings(labels_for(truth), verdicts, rubric=RUBRIC, judge_version="t", resamples=100)
    # Fewer than 30 items: no weights over 40 features, only the score's monotone map.
    assert cal.model.kind == "monotone" and cal.model.features == ["score"]
    assert cal.selection["configurations"] == ["monotone(score)"]
    assert cal.selection["effective_parameters"] <= 2
    outs = {apply(v, cal).calibration.human_value for v in verdicts.values()}
    assert len(outs) > 1  # never one value for every input
    lo = apply(verdict({}, score=0.05), cal).calibration.human_value
    hi = apply(verdict({"x": 1.0}, score=0.95), cal).calibration.human_value
    assert hi > lo


def test_ten_labels_without_signal_are_refused():
    verdicts, truth = scored(10, 4, signal=0.0)
    with pytest.raises(CalibrationRefused, match="held-out|constant"):
        fit_ratings(labels_for(truth), verdicts, rubric=RUBRIC, judge_version="t", resamples=100)


def test_calibration_with_nonpositive_nested_r_is_refused_unless_forced():
    # 60 items, 40 noise features, the score inverted: flat CV can still pick a config that
    # looks good by chance, but its nested estimate is not above zero.
    verdicts, truth = scored(60, 5, signal=-0.8)
    labels = labels_for(truth)
    with pytest.raises(CalibrationRefused, match="not positive") as err:
        fit_ratings(labels, verdicts, rubric=RUBRIC, judge_version="t", resamples=100)
    assert "--force" in str(err.value)
    cal = fit_ratings(labels, verdicts, rubric=RUBRIC, judge_version="t", resamples=100, force=True)
    assert cal.cv["pearson"].value is None or cal.cv["pearson"].value <= 0
    assert cal.selection["refused_but_forced"]


def test_grouped_folds_keep_a_source_together():
    from calibration.folds import kfold

    groups = np.repeat(np.arange(12), [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4])
    for train, test in kfold(groups, 5, 0):
        assert not set(groups[train]) & set(groups[test])
    sizes = [len(t) for _, t in kfold(groups, 5, 0)]
    assert max(sizes) - min(sizes) <= 2  # dealt largest group first: balanced folds
