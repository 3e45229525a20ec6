"""`fjudge score` and `fjudge rubrics`."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from judge.cli.output import progress, table_header, table_row

EXIT_INFRA = 3


def register(app: typer.Typer) -> None:
    app.command("score")(score)
    app.command("rubrics")(rubrics_cmd)


def score(
    paths: Annotated[list[Path], typer.Argument(help="Directories, .html, archives or images.")],
    json_out: Annotated[bool, typer.Option("--json", help="One Verdict JSON per line.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Write screenshots + reports.")] = None,
    workers: Annotated[int | None, typer.Option(help="Judge N at once (default: cores).")] = None,
    rubric: Annotated[str, typer.Option(help="Rubric name or file.")] = "frontend",
    task: Annotated[Path | None, typer.Option(help="Task file for every input.")] = None,
    judge: Annotated[
        str, typer.Option("--judge", help="auto | deterministic | agent | hybrid")
    ] = "auto",
    model: Annotated[str | None, typer.Option(help="Vision model (else FJUDGE_MODEL).")] = None,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible endpoint.")] = None,
    runs: Annotated[int | None, typer.Option(help="Agent runs averaged (default 3).")] = None,
    temperature: Annotated[float | None, typer.Option(help="Agent temperature.")] = None,
    seed: Annotated[int | None, typer.Option(help="Agent seed.")] = None,
    image_detail: Annotated[str, typer.Option(help="low | high")] = "high",
    calibration: Annotated[Path | None, typer.Option(help="Apply a calibration file.")] = None,
    wall_seconds: Annotated[float | None, typer.Option(help="Per-submission budget (s).")] = None,
    unsafe_no_sandbox: Annotated[
        bool, typer.Option("--unsafe-no-sandbox", help="Build npm projects without bwrap.")
    ] = False,
    ray: Annotated[
        str | None,
        typer.Option("--ray", help="Fan out on Ray: local (start one), auto (join) or an address."),
    ] = None,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline", help="CDN mirror: answer only from the local store, fetch nothing."
        ),
    ] = False,
) -> None:
    """Judge each input and print one verdict per input, in input order."""
    from pydantic import ValidationError

    from judge.schema import JudgeOptions

    if judge not in ("auto", "deterministic", "agent", "hybrid"):
        _usage(f"--judge must be auto, deterministic, agent or hybrid, not {judge!r}")
    if image_detail not in ("low", "high"):
        _usage("--image-detail must be low or high")
    for p in paths:
        if not p.exists():
            # A missing path is a usage error, not a verdict about a submission.
            _usage(f"no such file or directory: {p}")
    try:
        opts = JudgeOptions(
            rubric=rubric,
            task=task,
            out_dir=out,
            wall_seconds=wall_seconds,
            unsafe_no_sandbox=unsafe_no_sandbox,
            judge=judge,  # type: ignore[arg-type]
            model=model,
            base_url=base_url,
            runs=runs,
            temperature=temperature,
            seed=seed,
            image_detail=image_detail,  # type: ignore[arg-type]
            calibration=calibration,
            mirror_offline=offline,
            **({"workers": workers} if workers else {}),
        )
    except ValidationError as exc:
        _usage(str(exc))
    if offline:
        # The preview reads the mirror settings from the environment (judge.mirror.from_env).
        os.environ["FJUDGE_MIRROR_OFFLINE"] = "1"
    _check_static_options(opts)
    mode: Literal["json", "table"] = "json" if json_out else "table"
    if ray is not None:
        code = _score_ray(paths, opts, ray, mode)
    else:
        code = run_until_signal(_score(paths, opts, mode))
    raise typer.Exit(code)


def run_until_signal(coro) -> int:
    """asyncio.run, with SIGTERM/SIGHUP cancelling the work so every `async with Judge` closes
    its browser and removes its temp dirs (exit 143, as a terminated process)."""
    import signal

    async def main() -> int:
        task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(sig, task.cancel)  # type: ignore[union-attr]
        try:
            return await coro
        except asyncio.CancelledError:
            typer.echo("fjudge: terminated", err=True)
            return 143

    return asyncio.run(main())


def _usage(message: str) -> None:
    typer.echo(f"fjudge: {message}", err=True)
    raise typer.Exit(2)


def _check_static_options(opts) -> None:
    """Fail fast (exit 2) on a bad rubric, task or calibration file, before any judging."""
    from judge.rubric_check import load_rubric
    from rubrics import RubricError

    try:
        load_rubric(opts.rubric)  # unknown keys, check ids or features: an error, not silence
    except RubricError as exc:
        _usage(str(exc))
    if opts.task is not None:
        from judge.tasks import read_task

        try:
            read_task(opts.task)
        except ValueError as exc:
            _usage(str(exc))
    if opts.calibration is not None:
        if not opts.calibration.is_file():
            _usage(f"calibration file not found: {opts.calibration}")
        import calibration
        from judge.finish import Finisher

        try:
            Finisher.from_options(opts, load_rubric(opts.rubric))
        except (calibration.CalibrationMismatch, ValueError) as exc:
            _usage(str(exc))
    from judge.agent.service import AgentConfigError, resolve

    try:
        resolve(opts)
    except AgentConfigError as exc:
        _usage(str(exc))


async def _score(paths: list[Path], opts, mode: str) -> int:
    from judge.artifacts import write_artifacts
    from judge.browser import BrowserUnavailable, find_chromium
    from judge.pipeline import Judge

    try:
        find_chromium()
    except BrowserUnavailable as exc:
        if any(not _is_image(p) for p in paths):
            typer.echo(f"fjudge: {exc}", err=True)
            return EXIT_INFRA
    pending: dict[int, object] = {}
    next_out = 0
    rows = []
    if mode == "table":
        typer.echo(table_header())
    with progress(len(paths)) as bar:
        async with Judge(opts) as judge:
            async for i, judgment in judge.judge_many(paths):
                if opts.out_dir is not None:
                    await asyncio.to_thread(write_artifacts, judgment, opts.out_dir, i, paths[i])
                pending[i] = judgment
                bar.tick()
                while next_out in pending:  # print in input order as soon as possible
                    j = pending.pop(next_out)
                    _emit(j.verdict, paths[next_out], mode)
                    rows.append((paths[next_out], j.verdict))
                    next_out += 1
    if opts.out_dir is not None:
        _write_index(rows, opts.out_dir, mode)
    return 0


def _emit(verdict, path: Path, mode: str) -> None:
    if mode == "json":
        sys.stdout.write(verdict.model_dump_json() + "\n")
    else:
        sys.stdout.write(table_row(path, verdict) + "\n")
    sys.stdout.flush()


def _write_index(rows, out: Path, mode: str) -> None:
    from judge.report import write_index

    path = write_index(rows, out)
    if mode == "table":
        typer.echo(f"\nreport: {path}")


def _score_ray(paths: list[Path], opts, address: str, mode: str) -> int:
    try:
        from judge.scale.ray_runner import score_with_ray
    except ImportError as exc:
        typer.echo(f"fjudge: Ray support unavailable: {exc}", err=True)
        return EXIT_INFRA
    if mode == "table":
        typer.echo(table_header())
    addr = None if address in ("", "local") else address  # "auto" joins a running cluster
    # Calibration is applied inside the actors' Judges, as everywhere else.
    for path, verdict in zip(paths, score_with_ray(paths, opts, addr), strict=True):
        _emit(verdict, path, mode)
    return 0


def _is_image(p: Path) -> bool:
    return p.suffix.lower() in {".png", ".jpg", ".jpeg", ".webp"}


def rubrics_cmd(
    json_out: Annotated[bool, typer.Option("--json", help="Machine-readable.")] = False,
) -> None:
    """List the bundled rubrics."""
    from rubrics import available, load_rubric

    items = []
    for name in available():
        r = load_rubric(name)
        dims = {d: v.weight for d, v in r.dimensions.items()}
        items.append(
            {
                "name": name,
                "version": r.version,
                "kind": r.kind,
                "dimensions": dims,
                "viewports": {k: [v.width, v.height] for k, v in r.viewports.items()},
                "description": r.description,
            }
        )
    if json_out:
        typer.echo(json.dumps(items, indent=2))
        return
    for it in items:
        dims = ", ".join(f"{d}×{w:g}" for d, w in it["dimensions"].items())
        typer.echo(f"{it['name']} {it['version']} ({it['kind']}): {it['description']}")
        typer.echo(f"    dimensions: {dims}")
        typer.echo(f"    viewports: {it['viewports']}")
