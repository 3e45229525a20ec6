"""Agreement metrics against SciPy/scikit-learn and textbook values."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import cohen_kappa_score, mean_absolute_error, mean_squared_error

from calibration import metrics as M
from judge.schema import PairLabel

rng = np.random.default_rng(7)
H = rng.uniform(1, 9, 60)
P = H + rng.normal(0, 1.5, 60)


def test_correlations_match_scipy():
    assert M.pearson(P, H) == pytest.approx(stats.pearsonr(P, H).statistic)
    assert M.spearman(P, H) == pytest.approx(stats.spearmanr(P, H).statistic)
    assert M.kendall(P, H) == pytest.approx(stats.kendalltau(P, H).statistic)


def test_kendall_tau_b_with_ties_textbook():
    # Tau-b corrects for ties in both rankings (scipy's default variant is 'b').
    x = np.array([1, 2, 2, 3, 4])
    y = np.array([1, 3, 2, 2, 4])
    assert M.kendall(x, y) == pytest.approx(stats.kendalltau(x, y, variant="b").statistic)


def test_pairwise_accuracy_by_hand_and_vs_kendall():
    assert M.pairwise_accuracy(np.array([1.0, 2, 3]), np.array([1.0, 3, 2])) == pytest.approx(2 / 3)
    # Judge ties get half credit; human ties are not counted.
    assert M.pairwise_accuracy(np.array([1.0, 1.0]), np.array([1.0, 2.0])) == 0.5
    assert np.isnan(M.pairwise_accuracy(np.array([1.0, 2.0]), np.array([3.0, 3.0])))
    # Without ties, pairwise accuracy = (tau + 1) / 2.
    assert M.pairwise_accuracy(P, H) == pytest.approx((stats.kendalltau(P, H).statistic + 1) / 2)


def test_preference_accuracy():
    util = {"a": 1.0, "b": 0.0, "c": 0.0}
    pairs = [
        PairLabel(a="a", b="b", winner="a"),  # right
        PairLabel(a="a", b="b", winner="b"),  # wrong
        PairLabel(a="b", b="c", winner="tie"),  # judge tie on a human tie: right
        PairLabel(a="a", b="c", winner="tie"),  # human tie, judge prefers: half
    ]
    assert M.preference_accuracy(util, pairs) == pytest.approx((1 + 0 + 1 + 0.5) / 4)


def test_quadratic_kappa_matches_sklearn():
    a = np.array([1, 2, 3, 4, 5, 3, 2, 4, 5, 1])
    b = np.array([1, 3, 3, 5, 4, 2, 2, 4, 5, 2])
    ref = cohen_kappa_score(a, b, weights="quadratic", labels=[1, 2, 3, 4, 5])
    assert M.quadratic_kappa(a + 0.2, b, (1, 5)) == pytest.approx(ref)
    assert M.quadratic_kappa(a, a, (1, 5)) == 1.0


def test_errors_match_sklearn():
    assert M.mae(P, H) == pytest.approx(mean_absolute_error(H, P))
    assert M.rmse(P, H) == pytest.approx(np.sqrt(mean_squared_error(H, P)))


def test_krippendorff_textbook_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 3 coders, 15 units.
    rows = [
        [None, None, None, None, None, 3, 4, 1, 2, 1, 1, 3, 3, None, 3],
        [1, None, 2, 1, 3, 3, 4, 3, None, None, None, None, None, None, None],
        [None, None, 2, 1, 3, 4, 4, None, 2, 1, 1, 3, 3, None, 4],
    ]
    by_rater = {
        f"r{k}": {f"u{i}": v for i, v in enumerate(r) if v is not None} for k, r in enumerate(rows)
    }
    assert M.krippendorff_alpha(by_rater, "nominal") == pytest.approx(0.691, abs=1e-3)
    assert M.krippendorff_alpha(by_rater, "interval") == pytest.approx(0.811, abs=1e-3)


def test_bootstrap_interval_deterministic_and_brackets_value():
    a = M.bootstrap(M.pearson, P, H, resamples=300)
    b = M.bootstrap(M.pearson, P, H, resamples=300)
    assert a == b
    assert a.low < a.value < a.high
    wider = M.bootstrap(M.pearson, P[:15], H[:15], resamples=300)
    assert wider.high - wider.low > a.high - a.low


def test_agreement_keys():
    out = M.agreement(P, H, (1, 9), resamples=100)
    assert set(out) == {
        "pearson",
        "spearman",
        "kendall_tau_b",
        "pairwise_accuracy",
        "mae",
        "rmse",
        "qwk",
    }
    assert set(M.agreement(P, H, None, resamples=100)) == {
        "pearson",
        "spearman",
        "kendall_tau_b",
        "pairwise_accuracy",
    }


def test_human_ceiling_leave_one_rater_out():
    truth = rng.uniform(1, 9, 40)
    raters = {
        f"r{k}": {f"i{j}": t + rng.normal(0, 1) for j, t in enumerate(truth)} for k in range(4)
    }
    c = M.human_ceiling(raters)
    assert set(c) == {"pearson", "spearman", "pairwise_accuracy", "mae", "krippendorff_alpha"}
    assert c["pearson"].low <= c["pearson"].value <= c["pearson"].high
    assert c["pearson"].n == 4
    # Rater 0 vs the mean of raters 1..3, computed directly:
    others = np.mean([[raters[f"r{k}"][f"i{j}"] for j in range(40)] for k in (1, 2, 3)], axis=0)
    r0 = stats.pearsonr([raters["r0"][f"i{j}"] for j in range(40)], others).statistic
    assert c["pearson"].low <= r0 <= c["pearson"].high
    assert M.human_ceiling({"only": raters["r0"]}) == {}
