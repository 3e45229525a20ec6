"""`fjudge doctor`: what works on this machine and what to fix."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

MARK = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL", "skip": "--  "}


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor_cmd)


def doctor_cmd(
    model: Annotated[str | None, typer.Option(help="Model to probe (else FJUDGE_MODEL).")] = None,
    base_url: Annotated[
        str | None, typer.Option(help="Endpoint to probe (else OPENAI_BASE_URL).")
    ] = None,
) -> None:
    """Check the browser, the sandbox, the mirror store and (when configured) the model
    endpoint's tool calling and image input. Exit 0 when nothing failed, else 1."""
    from judge.doctor import run_all

    findings = asyncio.run(run_all(model, base_url))
    for f in findings:
        typer.echo(f"[{MARK[f.state]}] {f.name}: {f.detail}")
        if f.fix and f.state in ("warn", "fail"):
            typer.echo(f"         fix: {f.fix}")
    raise typer.Exit(1 if any(f.state == "fail" for f in findings) else 0)
