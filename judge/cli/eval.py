"""`fjudge eval RESULTS.jsonl`: judge a file of model outputs, one Verdict line per input line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_cmd)


def eval_cmd(
    results: Annotated[
        Path,
        typer.Argument(
            help="JSONL: {id, prompt?, completion | files | html | path, task?} per line."
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Verdicts JSONL (default: RESULTS.verdicts.jsonl)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write screenshots, report.html, index.html.")
    ] = None,
    restart: Annotated[
        bool, typer.Option("--restart", help="Judge every line again (default: resume).")
    ] = False,
    workers: Annotated[int | None, typer.Option(help="Judge N at once (default: cores).")] = None,
    rubric: Annotated[str, typer.Option(help="Rubric name or file.")] = "frontend",
    task: Annotated[Path | None, typer.Option(help="Task file for lines without one.")] = None,
    judge: Annotated[
        str, typer.Option("--judge", help="auto | deterministic | agent | hybrid")
    ] = "auto",
    model: Annotated[str | None, typer.Option(help="Vision model (else FJUDGE_MODEL).")] = None,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible endpoint.")] = None,
    calibration: Annotated[Path | None, typer.Option(help="Apply a calibration file.")] = None,
    wall_seconds: Annotated[float | None, typer.Option(help="Per-submission budget (s).")] = None,
    unsafe_no_sandbox: Annotated[
        bool, typer.Option("--unsafe-no-sandbox", help="Build npm projects without bwrap.")
    ] = False,
) -> None:
    """Judge every line of RESULTS.jsonl; resumable (ids already in the output are skipped)."""
    from pydantic import ValidationError

    from judge.cli.score import _check_static_options, _usage, run_until_signal
    from judge.schema import JudgeOptions

    if not results.is_file():
        _usage(f"no such file: {results}")
    if judge not in ("auto", "deterministic", "agent", "hybrid"):
        _usage(f"--judge must be auto, deterministic, agent or hybrid, not {judge!r}")
    try:
        opts = JudgeOptions(
            rubric=rubric,
            task=task,
            wall_seconds=wall_seconds,
            unsafe_no_sandbox=unsafe_no_sandbox,
            judge=judge,  # type: ignore[arg-type]
            model=model,
            base_url=base_url,
            calibration=calibration,
            **({"workers": workers} if workers else {}),
        )
    except ValidationError as exc:
        _usage(str(exc))
    _check_static_options(opts)
    raise typer.Exit(run_until_signal(_eval(results, output, out, opts, not restart)))


async def _eval(results: Path, output: Path | None, out: Path | None, opts, resume: bool) -> int:
    from judge.api import aevaluate, default_out
    from judge.browser import BrowserUnavailable, find_chromium
    from judge.cli.output import progress, summary_table
    from judge.evaluation import EvalFileError, done_ids, read_lines

    try:
        lines = read_lines(results)
    except EvalFileError as exc:
        typer.echo(f"fjudge: {exc}", err=True)
        return 2
    try:
        find_chromium()
    except BrowserUnavailable as exc:
        typer.echo(f"fjudge: {exc}", err=True)
        return 3
    dest = output or default_out(results)
    left = len(lines) - (len(done_ids(dest) & {ln.id for ln in lines}) if resume else 0)
    with progress(left, label="eval") as bar:
        summary = await aevaluate(
            results,
            dest,
            resume=resume,
            report_dir=out,
            options=opts,
            on_result=lambda line, judgment: bar.tick(),
        )
    typer.echo(summary_table(summary))
    if out is not None:
        typer.echo(f"report: {out / 'index.html'}")
    return 0
