"""`fjudge calibrate fit|report`: fit the judge to human labels and measure agreement."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from judge.schema import LabelSet, Verdict

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


_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"}


def _pick_rubric(rubric: str | None, items: list[Path]) -> str:
    """The screenshot rubric when every item is an image, else the frontend rubric."""
    if rubric:
        return rubric
    return "screenshot" if all(p.suffix.lower() in _IMAGE_SUFFIXES for p in items) else "frontend"


async def judge_items(
    labels: LabelSet, rubric_name: str, workers: int | None
) -> tuple[dict[str, Verdict], str, str]:
    """Verdict per label item (cached by content hash + versions); also rubric id and version."""
    from calibration.cache import VerdictCache, file_key
    from judge import __version__
    from judge.pipeline import Judge
    from judge.schema import JudgeOptions
    from judge.visual import FEATURE_VERSION

    base = Path(labels.path).parent
    items = labels.items()
    opts = JudgeOptions(
        rubric=rubric_name, judge="deterministic", **({"workers": workers} if workers else {})
    )
    cache = VerdictCache(opts.cache_dir / "calibration-verdicts.sqlite")
    verdicts: dict[str, Verdict] = {}
    todo: list[tuple[str, str]] = []
    import hashlib

    import judge.checks.all  # noqa: F401  (the registered checks are part of the cache key)
    from judge.checks import REGISTRY

    checks = hashlib.sha256(" ".join(sorted(REGISTRY)).encode()).hexdigest()[:12]
    async with Judge(opts) as judge:
        rubric = judge.rubric
        version = (
            f"{rubric.id}@{rubric.version}|judge {__version__}|features {FEATURE_VERSION}"
            f"|checks {checks}"
        )
        keys = {i: await asyncio.to_thread(file_key, base / i) for i in items}
        for i in items:
            hit = cache.get(keys[i], version)
            if hit is not None:
                verdicts[i] = hit
            else:
                todo.append((i, keys[i]))
        _say(f"{len(items) - len(todo)} cached verdicts, judging {len(todo)} items")
        done = 0
        async for n, judgment in judge.judge_many([base / i for i, _ in todo]):
            item, key = todo[n]
            verdicts[item] = judgment.verdict
            if judgment.verdict.status != "infra_error":
                cache.put(key, version, judgment.verdict)
            done += 1
            if done % 25 == 0 or done == len(todo):
                _say(f"  judged {done}/{len(todo)}")
    cache.close()
    return verdicts, rubric.id, rubric.version


def _print_cv(cal) -> None:  # type: ignore[no-untyped-def]
    print(f"{cal.folds}-fold cross-validated agreement on {cal.n_items} items ({cal.model.kind}):")
    for k, v in cal.cv.items():
        print(f"  {k:18s} {v}")
    if cal.candidates:
        print("models compared (held-out Pearson / Spearman / RMSE):")
        for k, m in cal.candidates.items():
            print(f"  {k:14s} {m['pearson']:.3f} / {m['spearman']:.3f} / {m['rmse']:.3f}")


@calibrate_app.command("fit")
def fit(
    labels: Annotated[Path, typer.Argument(help="Label file (CSV or JSONL).")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Calibration file to write.")],
    rubric: Annotated[str | None, typer.Option(help="Rubric (default: by item kind).")] = None,
    folds: Annotated[int, typer.Option(help="Cross-validation folds.")] = 5,
    scale: Annotated[str | None, typer.Option(help="Rating scale MIN,MAX if not in file.")] = None,
    workers: Annotated[int | None, typer.Option(help="Items judged at once.")] = None,
    seed: Annotated[int, typer.Option(help="Fold shuffling seed.")] = 0,
) -> None:
    """Judge every labelled item (cached), fit calibrators by k-fold CV, write the best."""
    from calibration import CalibrationError, fit_pairs, fit_ratings, save_calibration
    from judge import __version__
    from judge.schema import RubricRef
    from judge.visual import FEATURE_VERSION

    ls = _read(labels, scale)
    paths = [Path(ls.path).parent / i for i in ls.items()]
    verdicts, rid, rver = asyncio.run(judge_items(ls, _pick_rubric(rubric, paths), workers))
    bad = [i for i, v in verdicts.items() if v.status == "infra_error"]
    if bad:
        _say(f"error: {len(bad)} items hit an infrastructure error (first: {bad[0]}); not fitting")
        raise typer.Exit(3)
    kw = {
        "rubric": RubricRef(id=rid, version=rver),
        "judge_version": __version__,
        "feature_version": FEATURE_VERSION,
        "folds": folds,
        "seed": seed,
    }
    try:
        if ls.ratings:
            cal = fit_ratings(ls, verdicts, progress=_say, **kw)  # type: ignore[arg-type]
        else:
            cal = fit_pairs(ls, verdicts, **kw)  # type: ignore[arg-type]
    except CalibrationError as exc:
        _say(f"error: {exc}")
        raise typer.Exit(2) from None
    sha = save_calibration(cal, out)
    _print_cv(cal)
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
    paths = [Path(ls.path).parent / i for i in ls.items()]
    verdicts, _, _ = asyncio.run(judge_items(ls, _pick_rubric(rubric, paths), workers))
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
    path = write_report(out, ls, rep, table)
    print(f"wrote {path}")
