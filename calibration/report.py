"""Agreement report: metrics with intervals, human ceiling, and a self-contained report.html."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from calibration.labels import mean_ratings, ratings_by_rater
from calibration.metrics import agreement, human_ceiling, preference_accuracy
from judge.schema import AgreementReport, CalibrationFile, Interval, LabelSet, Verdict

Row = tuple[str, float, float]  # item, judge value, human mean


def judge_value(v: Verdict) -> float | None:
    """The calibrated human-scale value when a calibration was applied, else the raw score."""
    if v.calibration is not None and v.calibration.human_value is not None:
        return v.calibration.human_value
    return v.score


def agreement_report(
    labels: LabelSet, verdicts: Mapping[str, Verdict], *, resamples: int = 1000
) -> tuple[AgreementReport, list[Row]]:
    """Judge-vs-human agreement (overall, per dimension, pairwise) and the human ceiling."""
    human = mean_ratings(labels)
    rows: list[Row] = []
    for item, h in human.items():
        v = verdicts.get(item)
        jv = judge_value(v) if v is not None and v.status != "infra_error" else None
        if jv is not None:
            rows.append((item, float(jv), h))
    calibrated = any(v.calibration is not None for v in verdicts.values())
    metrics: dict[str, Interval] = {}
    if len(rows) >= 3:
        pred = np.array([r[1] for r in rows])
        hum = np.array([r[2] for r in rows])
        metrics = agreement(pred, hum, labels.scale if calibrated else None, resamples=resamples)
    if labels.pairs:
        util = {i: judge_value(v) for i, v in verdicts.items() if judge_value(v) is not None}
        acc = preference_accuracy(util, labels.pairs)  # type: ignore[arg-type]
        metrics["preference_accuracy"] = Interval(value=acc, n=len(labels.pairs))
    per_dim: dict[str, dict[str, Interval]] = {}
    for dim in sorted({r.dimension for r in labels.ratings if r.dimension}):
        hd = mean_ratings(labels, dim)
        pairs = [
            (verdicts[i].dimensions[dim], h)
            for i, h in hd.items()
            if i in verdicts and dim in verdicts[i].dimensions
        ]
        if len(pairs) >= 3:
            a = np.array(pairs)
            m = agreement(a[:, 0], a[:, 1], None, resamples=resamples)
            per_dim[dim] = {k: m[k] for k in ("pearson", "spearman")}
    by_rater = ratings_by_rater(labels)
    ceiling = human_ceiling(by_rater)
    note = "calibrated human-scale values" if calibrated else "raw judge score (0..1)"
    rep = AgreementReport(
        n_items=len(rows),
        metrics=metrics,
        human_ceiling=ceiling,
        per_dimension=per_dim,
        raters=len([r for r in by_rater if r]),
        note=note,
    )
    return rep, rows


def _png(fig) -> str:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode()


def figures(rows: list[Row], rep: AgreementReport, out: Path) -> dict[str, str]:
    """Scatter with fit, reliability curve, per-dimension bars: PNG files + base64 for inlining."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    figs: dict[str, str] = {}
    x = np.array([r[1] for r in rows])
    y = np.array([r[2] for r in rows])
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.scatter(x, y, s=10, alpha=0.6)
    if len(rows) >= 2 and np.ptp(x) > 0:
        k, b = np.polyfit(x, y, 1)
        xs = np.linspace(x.min(), x.max(), 50)
        ax.plot(
            xs, k * xs + b, color="C3", label=f"least squares (r={np.corrcoef(x, y)[0, 1]:.2f})"
        )
        ax.legend(loc="lower right")
    ax.set_xlabel("judge")
    ax.set_ylabel("human mean rating")
    ax.set_title("Judge vs human")
    figs["scatter"] = _png(fig)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(5, 4))
    if len(rows) >= 5:
        bins = np.quantile(x, np.linspace(0, 1, 6))
        which = np.clip(np.searchsorted(bins, x, side="right") - 1, 0, 4)
        mx = [x[which == b].mean() for b in range(5) if (which == b).any()]
        my = [y[which == b].mean() for b in range(5) if (which == b).any()]
        ax.plot(mx, my, "o-", label="mean human rating per judge quintile")
        lo, hi = min(mx + my), max(mx + my)
        if rep.note.startswith("calibrated"):
            ax.plot([lo, hi], [lo, hi], "--", color="grey", label="perfect calibration")
        ax.legend(loc="upper left")
    ax.set_xlabel("judge (binned)")
    ax.set_ylabel("human mean rating")
    ax.set_title("Reliability")
    figs["reliability"] = _png(fig)
    plt.close(fig)
    if rep.per_dimension:
        fig, ax = plt.subplots(figsize=(5, 3))
        dims = list(rep.per_dimension)
        vals = [rep.per_dimension[d]["spearman"].value or 0 for d in dims]
        ax.barh(dims, vals)
        ax.set_xlabel("Spearman with human ratings")
        figs["dimensions"] = _png(fig)
        plt.close(fig)
    for name, data in figs.items():
        (out / f"{name}.png").write_bytes(base64.b64decode(data))
    return figs


def _thumb(path: Path) -> str | None:
    if path.suffix.lower() not in (".png", ".jpg", ".jpeg", ".webp") or not path.is_file():
        return None
    from PIL import Image

    with Image.open(path) as im:
        im = im.convert("RGB")
        im.thumbnail((320, 240))
        buf = io.BytesIO()
        im.save(buf, format="JPEG", quality=80)
    return base64.b64encode(buf.getvalue()).decode()


def fit_table(cal: CalibrationFile) -> list[tuple[str, str, str]]:
    """(metric, nested CV, train) rows of a calibration file: the honest and the in-sample view."""
    return [(k, str(v), str(cal.train[k]) if k in cal.train else "n/a") for k, v in cal.cv.items()]


def write_report(
    out: Path,
    labels: LabelSet,
    rep: AgreementReport,
    rows: list[Row],
    calibration: CalibrationFile | None = None,
) -> Path:
    """Write report.html (self-contained) and its PNG figures into `out`."""
    figs = figures(rows, rep, out)
    e = html.escape
    parts = [
        "<!doctype html><meta charset=utf-8><title>fjudge calibration report</title>",
        "<style>body{font:14px system-ui;margin:2em;max-width:1100px}td,th{padding:2px 8px;"
        "text-align:left}img{max-width:100%}.pair{display:flex;gap:1em;margin:1em 0}</style>",
        f"<h1>Agreement with human labels</h1><p>{e(labels.path)} · {rep.n_items} items · "
        f"{e(rep.note)} · 95% bootstrap intervals</p><table><tr><th>metric<th>value [95% CI]",
    ]
    parts += [f"<tr><td>{e(k)}<td>{e(str(v))}" for k, v in rep.metrics.items()]
    parts.append("</table>")
    if calibration is not None:
        parts.append(
            "<h2>The calibration's own estimate</h2><p>Nested cross-validation (what to expect "
            "on new items) beside the in-sample fit on its training labels; figures above on "
            "the calibration's own training items are in-sample too.</p>"
            "<table><tr><th>metric<th>nested CV [95% CI]<th>train (in-sample)"
        )
        parts += [f"<tr><td>{e(k)}<td>{e(n)}<td>{e(t)}" for k, n, t in fit_table(calibration)]
        parts.append("</table>")
    if rep.human_ceiling:
        parts.append(
            f"<h2>Human ceiling</h2><p>Each of {rep.raters} raters vs the mean of the others "
            "(mean [min, max] over raters).</p><table>"
        )
        parts += [f"<tr><td>{e(k)}<td>{e(str(v))}" for k, v in rep.human_ceiling.items()]
        parts.append("</table>")
    parts += [
        f"<h2>{e(k.title())}</h2><img src='data:image/png;base64,{v}'>" for k, v in figs.items()
    ]
    if len(rows) >= 4:
        x = np.array([r[1] for r in rows])
        y = np.array([r[2] for r in rows])
        # Compare ranks: the disagreements are where the judge's ordering is furthest off.
        gap = np.abs(np.argsort(np.argsort(x)) - np.argsort(np.argsort(y))) / len(rows)
        worst = np.argsort(-gap)[:6]
        parts.append("<h2>Worst disagreements (by rank)</h2>")
        base = Path(labels.path).parent
        for w in worst:
            item, jv, hv = rows[w]
            th = _thumb(base / item)
            img = f"<img src='data:image/jpeg;base64,{th}'>" if th else ""
            parts.append(
                f"<div class=pair>{img}<div><b>{e(item)}</b><br>judge {jv:.3f} · human {hv:.2f}"
                f"<br>rank gap {gap[w]:.0%}</div></div>"
            )
    path = out / "report.html"
    out.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
