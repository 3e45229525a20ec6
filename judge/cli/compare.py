"""`fjudge compare A B`: which submission is better, in both orders, with the margin."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("compare")(compare)


def _usage(message: str) -> None:
    typer.echo(f"fjudge: {message}", err=True)
    raise typer.Exit(2)


def compare(
    a: Annotated[Path, typer.Argument(help="First submission (A).")],
    b: Annotated[Path, typer.Argument(help="Second submission (B).")],
    task: Annotated[Path | None, typer.Option(help="Task file both were made for.")] = None,
    prompt: Annotated[
        str | None,
        typer.Option(help="The prompt both were made for: a file, or - for stdin."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="One CompareResult JSON.")] = False,
    rubric: Annotated[str, typer.Option(help="Rubric name or file.")] = "frontend",
    judge: Annotated[str, typer.Option("--judge", help="auto | deterministic | agent")] = "auto",
    model: Annotated[str | None, typer.Option(help="Vision model (else FJUDGE_MODEL).")] = None,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible endpoint.")] = None,
    temperature: Annotated[float | None, typer.Option(help="Model temperature.")] = None,
    seed: Annotated[int | None, typer.Option(help="Model seed.")] = None,
    image_detail: Annotated[str, typer.Option(help="low | high")] = "high",
) -> None:
    """Judge A against B (both orders when a model is configured) and print the preference."""
    from pydantic import ValidationError

    from judge.agent.service import AgentConfigError
    from judge.cli.score import read_prompt
    from judge.compare import compare_paths
    from judge.schema import JudgeOptions

    if judge not in ("auto", "deterministic", "agent", "hybrid"):
        _usage(f"--judge must be auto, deterministic, agent or hybrid, not {judge!r}")
    if image_detail not in ("low", "high"):
        _usage("--image-detail must be low or high")
    for p in (a, b):
        if not p.exists():
            _usage(f"no such file or directory: {p}")
    try:
        opts = JudgeOptions(
            rubric=rubric,
            task=task,
            prompt=read_prompt(prompt),
            workers=1,
            judge=judge,  # type: ignore[arg-type]
            model=model,
            base_url=base_url,
            temperature=temperature,
            seed=seed,
            image_detail=image_detail,  # type: ignore[arg-type]
        )
        result = asyncio.run(compare_paths(opts, a, b))
    except (ValidationError, AgentConfigError) as exc:
        _usage(str(exc))
    except ValueError as exc:  # bad rubric or task file
        _usage(str(exc))
    if json_out:
        typer.echo(result.model_dump_json())
    else:
        typer.echo(_line(result))
    raise typer.Exit(3 if result.preference == "error" else 0)


def _line(r) -> str:
    scores = f"(scores A {r.score_a}, B {r.score_b}; {r.method})"
    if r.preference == "error":
        return f"no preference: {r.note} {scores}"
    if r.preference in ("tie", "both_bad"):
        what = "tie" if r.preference == "tie" else "both bad"
        return f"{what}: margin {r.margin:+.3f} within ±{r.tie_band} {scores}"
    win, lose = (r.a, r.b) if r.preference == "A" else (r.b, r.a)
    return f"{r.preference} preferred: {win} over {lose} by margin {abs(r.margin):.3f} {scores}"
