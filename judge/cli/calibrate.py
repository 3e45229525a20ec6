"""`fjudge calibrate fit|report`: fit the judge to human labels and measure agreement."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from judge.schema import LabelSet

calibrate_app = typer.Typer(help="Fit the judge to human labels; report agreement.")


def register(app: typer.Typer) -> None:
    app.add_typer(calibrate_app, name="calibrate")


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _parse_scale(scale: str | None) -> tuple[float, float] | None:
    if not scale:
        return None
    try:
        lo, hi = (float(x) for x in scale.split(","))
    except ValueError:
        raise typer.BadParameter("--scale must be MIN,MAX, e.g. 1,9") from None
    return lo, hi


def _read(labels: Path, scale: str | None) -> LabelSet:
    from calibration import LabelError, read_labels

    try:
        return read_labels(labels, scale=_parse_scale(scale), require_files=True)
    except LabelError as exc:
        _say(f"error: {exc}")
        raise typer.Exit(2) from None


def _verdicts(ls: LabelSet, rubric: str | None, workers: int | None):
    """Judge (or reuse) every label item; a missing item is a usage error (exit 2)."""
    from judge.labelled import judge_items, pick_rubric

    try:
        return asyncio.run(judge_items(ls, pick_rubric(rubric, ls), workers))
    except FileNotFoundError as exc:
        _say(f"error: {exc}")
        raise typer.Exit(2) from None


def _fmt(iv) -> str:  # type: ignore[no-untyped-def]
    return str(iv) if iv is not None else "n/a"


def _print_fit(cal) -> None:  # type: ignore[no-untyped-def]
    sel = cal.selection
    if "baseline_nested" not in sel:  # fitted from preferences
        print(
            f"expected agreement on new pairs (nested CV, {sel.get('repeats')}× {cal.folds} folds):"
        )
        for k, v in cal.cv.items():
            print(f"  {k:28s} {_fmt(v)}")
        print(f"  {'in-sample (train)':28s} {_fmt(cal.train.get('pairwise_accuracy'))}")
        print(f"chosen: {sel.get('chosen')} (parameter budget {sel.get('parameter_budget'):.0f})")
        return
    print(
        f"expected agreement on new items: nested CV ({sel.get('repeats')}× {cal.folds} folds) on "
        f"{cal.n_items} items — model choice, tuning, feature selection and norms refitted "
        "in every outer fold"
    )
    base = sel.get("baseline_nested", {})
    print(f"  {'metric':18s} {'nested CV [95% CI]':28s} {'train (in-sample)':20s} score-only map")
    for k, v in cal.cv.items():
        t = cal.train.get(k)
        b = base.get(k, {}).get("value")
        tv = f"{t.value:.3f}" if t is not None and t.value is not None else "n/a"
        bv = f"{b:.3f}" if b is not None else "n/a"
        print(f"  {k:18s} {_fmt(v):28s} {tv:20s} {bv}")
    print(
        f"chosen: {sel.get('chosen')} ({sel.get('effective_parameters')} effective parameters, "
        f"budget {sel.get('parameter_budget'):.0f}); outer folds chose {sel.get('outer_choices')}"
    )
    if cal.candidates:
        print("flat (non-nested) inner CV Pearson of each configuration on all items:")
        for k, m in cal.candidates.items():
            print(f"  {k:22s} {m['pearson']:.3f}")
    ceiling = sel.get("human_ceiling") or {}
    if ceiling:
        print("human ceiling (each rater vs the others' mean; mean [min, max] over raters):")
        for k, v in ceiling.items():
            lo, hi = v.get("low"), v.get("high")
            rng = f" [{lo:.3f}, {hi:.3f}]" if lo is not None and hi is not None else ""
            print(f"  {k:18s} {v['value']:.3f}{rng}")
    if sel.get("refused_but_forced"):
        print("WARNING (--force): " + "; ".join(sel["refused_but_forced"]))


@calibrate_app.command("fit")
def fit(
    labels: Annotated[Path, typer.Argument(help="Label file (CSV or JSONL).")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Calibration file to write.")] = Path(
        "calibration.json"
    ),
    rubric: Annotated[str | None, typer.Option(help="Rubric (default: by item kind).")] = None,
    folds: Annotated[int, typer.Option(help="Cross-validation folds (outer and inner).")] = 5,
    repeats: Annotated[int, typer.Option(help="Repetitions of the outer folds.")] = 3,
    scale: Annotated[str | None, typer.Option(help="Rating scale MIN,MAX if not in file.")] = None,
    workers: Annotated[int | None, typer.Option(help="Items judged at once.")] = None,
    seed: Annotated[int, typer.Option(help="Fold shuffling seed.")] = 0,
    trees: Annotated[
        bool, typer.Option("--trees", help="Also try boosted trees (slow; ≥ 200 items).")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Write even a calibration that would be refused.")
    ] = False,
) -> None:
    """Judge every labelled item (cached), estimate agreement by nested CV, write the fit."""
    from calibration import (
        CalibrationError,
        CalibrationRefused,
        fit_pairs,
        fit_ratings,
        save_calibration,
    )
    from judge import __version__
    from judge.schema import RubricRef
    from judge.visual import FEATURE_VERSION

    ls = _read(labels, scale)
    verdicts, rid, rver = _verdicts(ls, rubric, workers)
    bad = [i for i, v in verdicts.items() if v.status == "infra_error"]
    if bad:
        _say(f"error: {len(bad)} items hit an infrastructure error (first: {bad[0]}); not fitting")
        raise typer.Exit(3)
    kw = {
        "rubric": RubricRef(id=rid, version=rver),
        "judge_version": __version__,
        "feature_version": FEATURE_VERSION,
        "folds": folds,
        "repeats": repeats,
        "seed": seed,
        "force": force,
        "progress": _say,
    }
    try:
        if ls.ratings:
            cal = fit_ratings(ls, verdicts, gbm=trees, **kw)  # type: ignore[arg-type]
        else:
            cal = fit_pairs(ls, verdicts, **kw)  # type: ignore[arg-type]
    except CalibrationRefused as exc:
        _say(f"error: {exc}")
        _say(f"nothing written to {out}")
        raise typer.Exit(4) from None
    except CalibrationError as exc:
        _say(f"error: {exc}")
        raise typer.Exit(2) from None
    sha = save_calibration(cal, out)
    _print_fit(cal)
    print(f"wrote {out} (sha256 {sha[:12]}…, rubric {rid} {rver})")


@calibrate_app.command("report")
def report(
    labels: Annotated[Path, typer.Argument(help="Label file (CSV or JSONL).")],
    calibration: Annotated[Path | None, typer.Option(help="Apply this calibration.")] = None,
    out: Annotated[Path, typer.Option("-o", "--out", help="Report directory.")] = Path(
        "calibration-report"
    ),
    rubric: Annotated[str | None, typer.Option(help="Rubric (default: by item kind).")] = None,
    scale: Annotated[str | None, typer.Option(help="Rating scale MIN,MAX if not in file.")] = None,
    workers: Annotated[int | None, typer.Option(help="Items judged at once.")] = None,
) -> None:
    """Agreement of the current judge with the labels (intervals, human ceiling), report.html."""
    from calibration import CalibrationMismatch, apply, load_calibration
    from calibration.report import agreement_report, write_report

    ls = _read(labels, scale)
    cal = None
    if calibration is not None:
        try:
            cal = load_calibration(calibration)
        except (OSError, CalibrationMismatch) as exc:
            _say(f"error: {exc}")
            raise typer.Exit(2) from None
        rubric = rubric or cal.rubric.id
    verdicts, _, _ = _verdicts(ls, rubric, workers)
    if cal is not None:
        try:
            verdicts = {i: apply(v, cal) for i, v in verdicts.items()}
        except CalibrationMismatch as exc:
            _say(f"error: {exc}")
            raise typer.Exit(2) from None
    rep, table = agreement_report(ls, verdicts)
    print(f"agreement on {rep.n_items} items ({'calibrated' if cal else 'raw score'}):")
    for k, v in rep.metrics.items():
        print(f"  {k:18s} {v}")
    if rep.human_ceiling:
        print(f"human ceiling (leave-one-rater-out, {rep.raters} raters; mean [min, max]):")
        for k, v in rep.human_ceiling.items():
            print(f"  {k:18s} {v}")
    for dim, ms in rep.per_dimension.items():
        print(f"  dimension {dim}: " + ", ".join(f"{k} {v}" for k, v in ms.items()))
    if cal is not None:
        from calibration.report import fit_table

        print("the calibration's own estimate (nested CV [95% CI] | train, in-sample):")
        for k, n, t in fit_table(cal):
            print(f"  {k:18s} {n:28s} {t}")
    path = write_report(out, ls, rep, table, cal)
    print(f"wrote {path}")
