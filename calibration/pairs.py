"""Fit from pairwise preferences: Bradley–Terry over the judge's features, nested-CV'd.

P(a beats b) = σ(w · (z_a − z_b)); z are the robust-standardised features (norms fitted on the
training pairs' items only). The baseline is the judge's raw score difference (no parameter).
As for ratings, the penalty is chosen in an inner loop, a model replaces the baseline only when
its held-out pairwise accuracy beats it beyond noise (paired bootstrap over pairs), and the
penalty grid is cut so the effective parameters stay ≤ max(2, pairs/10). The human–human
ceiling is the chance that two votes on the same pair agree.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Mapping

import numpy as np

from calibration.folds import kfold, repeated
from calibration.select import CLIP, MIN_MODEL_ITEMS, budget, medians
from judge.schema import CalibrationFile, FittedModel, Interval, LabelSet, RubricRef, Verdict

C_GRID = np.logspace(-3, 1, 9)


def _norms(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    fill = medians(X)
    Xf = np.where(np.isnan(X), fill[None, :], X)
    centre = np.median(Xf, axis=0)
    q75, q25 = np.percentile(Xf, [75, 25], axis=0)
    scale = (q75 - q25) / 1.349
    sd = Xf.std(axis=0)
    return fill, centre, np.where(scale > 1e-9, scale, np.where(sd > 1e-9, sd, 1.0))


def _z(X: np.ndarray, fill, centre, scale) -> np.ndarray:
    Xf = np.where(np.isnan(X), fill[None, :], X)
    return np.clip((Xf - centre) / scale, -CLIP, CLIP)


def _fit_bt(D: np.ndarray, out: np.ndarray, C: float) -> np.ndarray:
    """Logistic regression without intercept on feature differences; ties = half a win each."""
    from sklearn.linear_model import LogisticRegression

    Xd = np.concatenate([D, -D])
    yd = np.concatenate([out >= 0.5, out <= 0.5]).astype(int)
    wd = np.concatenate([np.where(out == 0.5, 0.5, 1.0)] * 2)
    lr = LogisticRegression(C=C, fit_intercept=False, max_iter=500)
    return lr.fit(Xd, yd, sample_weight=wd).coef_[0]


def _accuracy(util_a: np.ndarray, util_b: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Per-pair credit: 1 agree, 0 disagree, ½ when either side is tied."""
    d = np.sign(util_a - util_b)
    want = np.sign(out - 0.5)
    return np.where((d == 0) | (want == 0), 0.5, (d == want).astype(float))


def _df(D: np.ndarray, C: float) -> float:
    """Effective parameters of an L2 logistic fit, approximated by ridge's tr(H) at α = 1/(4C)."""
    sv = np.linalg.svd(D, compute_uv=False)
    alpha = 1.0 / (4 * C)
    return float((sv**2 / (sv**2 + alpha * len(D))).sum()) if len(sv) else 0.0


class _PairData:
    def __init__(self, X, idx_a, idx_b, out, s):
        self.X, self.a, self.b, self.out, self.s = X, idx_a, idx_b, out, s

    def fit(self, sel: np.ndarray, C: float):
        items = np.unique(np.concatenate([self.a[sel], self.b[sel]]))
        norms = _norms(self.X[items])
        Z = _z(self.X, *norms)
        w = _fit_bt(Z[self.a[sel]] - Z[self.b[sel]], self.out[sel], C)
        return norms, w

    def utility(self, model) -> np.ndarray:
        norms, w = model
        return _z(self.X, *norms) @ w

    def choose_c(self, sel: np.ndarray, folds: int, seed: int) -> tuple[float | None, float]:
        """Inner CV over C (None = keep the score baseline), and the chosen config's accuracy."""
        n = len(sel)
        Cs = [C for C in C_GRID if self._df_ok(sel, C)]
        if n < MIN_MODEL_ITEMS or not Cs:
            return None, float("nan")
        credit = {C: np.empty(n) for C in Cs}
        base = _accuracy(self.s[self.a[sel]], self.s[self.b[sel]], self.out[sel])
        for tr, te in kfold(np.arange(n), folds, seed):
            for C in Cs:
                u = self.utility(self.fit(sel[tr], C))
                credit[C][te] = _accuracy(u[self.a[sel[te]]], u[self.b[sel[te]]], self.out[sel[te]])
        best = max(Cs, key=lambda C: credit[C].mean())
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, n, size=(500, n))
        diff = credit[best][idx].mean(axis=1) - base[idx].mean(axis=1)
        return (best if np.quantile(diff, 0.025) > 0 else None), float(credit[best].mean())

    def _df_ok(self, sel: np.ndarray, C: float) -> bool:
        Z = _z(self.X, *_norms(self.X))
        return _df(Z[self.a[sel]] - Z[self.b[sel]], C) <= budget(len(sel))


def vote_agreement(labels: LabelSet) -> Interval | None:
    """Human–human ceiling: chance that two votes on the same (unordered) pair agree."""
    votes: dict[frozenset[str], list[tuple[str, str]]] = defaultdict(list)
    for p in labels.pairs:
        w = p.a if p.winner == "a" else p.b if p.winner == "b" else "tie"
        votes[frozenset((p.a, p.b))].append((w, p.rater or ""))
    agree = total = 0.0
    for vs in votes.values():
        for i in range(len(vs)):
            for j in range(i + 1, len(vs)):
                total += 1
                agree += (
                    1.0 if vs[i][0] == vs[j][0] else 0.5 if "tie" in (vs[i][0], vs[j][0]) else 0
                )
    return Interval(value=agree / total, n=int(total)) if total else None


def fit_pairs(
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
    progress=None,
) -> CalibrationFile:
    """Nested-CV'd feature Bradley–Terry; refused when it does not beat chance held out."""
    from threadpoolctl import threadpool_limits

    from calibration.fit import DERIVED, CalibrationError, CalibrationRefused, design

    say = progress or (lambda _m: None)
    ok = {i for i, v in verdicts.items() if v.status != "infra_error" and v.score is not None}
    pairs = [p for p in labels.pairs if p.a in ok and p.b in ok]
    if len(pairs) < max(10, 2 * folds):
        raise CalibrationError(f"only {len(pairs)} usable preference labels; need at least 10")
    items = sorted({x for p in pairs for x in (p.a, p.b)})
    X, names = design(verdicts, items)
    s = X[:, names.index("score")]
    keep = [n not in DERIVED and np.isfinite(X[:, j]).mean() >= 0.5 for j, n in enumerate(names)]
    X, names = X[:, keep], [n for n, k in zip(names, keep, strict=True) if k]
    pos = {x: i for i, x in enumerate(items)}
    a = np.array([pos[p.a] for p in pairs])
    b = np.array([pos[p.b] for p in pairs])
    out = np.array([1.0 if p.winner == "a" else 0.0 if p.winner == "b" else 0.5 for p in pairs])
    data = _PairData(X, a, b, out, s)
    n = len(pairs)
    say(f"nested CV over {n} preferences on {len(items)} items, {len(names)} features")
    with threadpool_limits(1):
        credit = np.empty((repeats, n))
        base = _accuracy(s[a], s[b], out)
        groups = np.arange(n)
        for r, part in enumerate(repeated(groups, folds, repeats, seed)):
            for f, (tr, te) in enumerate(part):
                C, _ = data.choose_c(tr, folds, seed + 7919 * (r + 1) + f)
                if C is None:
                    credit[r, te] = _accuracy(s[a[te]], s[b[te]], out[te])
                else:
                    u = data.utility(data.fit(tr, C))
                    credit[r, te] = _accuracy(u[a[te]], u[b[te]], out[te])
        C, flat = data.choose_c(np.arange(n), folds, seed)
    acc = _interval(credit, resamples, seed)
    base_acc = _interval(base[None, :], resamples, seed)
    if C is None:
        model = FittedModel(kind="monotone", features=["score"], fill=[0.5])
        train_u = s
    else:
        (fill, centre, scale), w = data.fit(np.arange(n), C)
        model = FittedModel(
            kind="bradley_terry",
            features=names,
            fill=fill.tolist(),
            params={
                "mean": centre.tolist(),
                "scale": scale.tolist(),
                "coef": w.tolist(),
                "clip": CLIP,
            },
        )
        train_u = data.utility(((fill, centre, scale), w))
    train = _interval(_accuracy(train_u[a], train_u[b], out)[None, :], resamples, seed)
    problems = []
    if acc.value is None or acc.value <= 0.5:
        problems.append("its held-out (nested-CV) pairwise accuracy is not above chance (0.5)")
    if np.ptp(train_u) == 0:
        problems.append("its utilities are constant")
    if problems and not force:
        raise CalibrationRefused(
            "refusing to write this calibration: "
            + "; ".join(problems)
            + f" (nested pairwise accuracy {acc}; raw score {base_acc}). "
            "Collect more preferences, or pass --force"
        )
    ceiling = vote_agreement(labels)
    cv = {"pairwise_accuracy": acc, "baseline_pairwise_accuracy": base_acc}
    if ceiling is not None:
        cv["human_pairwise_agreement"] = ceiling
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
        cv=cv,
        train={"pairwise_accuracy": train},
        selection={
            "chosen": "bradley_terry" if C is not None else "score",
            "C": C,
            "flat_cv_accuracy": flat,
            "parameter_budget": budget(n),
            "pairs": n,
            "repeats": repeats,
            "refused_but_forced": problems,
        },
        created=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    )


def _interval(credit: np.ndarray, resamples: int, seed: int) -> Interval:
    """Mean credit over repeats with a bootstrap-over-pairs 95% interval."""
    n = credit.shape[1]
    value = float(credit.mean())
    rng = np.random.default_rng(seed)
    boots = credit[:, rng.integers(0, n, size=(resamples, n))].mean(axis=(0, 2))
    lo, hi = np.quantile(boots, [0.025, 0.975])
    return Interval(value=value, low=float(lo), high=float(hi), n=n)
