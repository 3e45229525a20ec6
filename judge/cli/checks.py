"""`fjudge checks`: every registered check id with its dimension and what it measures."""

from __future__ import annotations

import json
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("checks")(checks_cmd)


def checks_cmd(
    json_out: Annotated[bool, typer.Option("--json", help="Machine-readable.")] = False,
) -> None:
    """List the registered checks: id, dimension, input kinds, gates and a one-line description.

    Rubric `disabled_checks` and `check_weights` take these ids or globs of them; a check's
    results are named `<id>` or `<family>.<name>` (e.g. `interaction.broken`)."""
    import judge.checks.all  # noqa: F401  (registers the checks)
    from judge.checks.base import REGISTRY

    specs = sorted(REGISTRY.values(), key=lambda s: (s.dimension, s.order, s.id))
    rows = [
        {
            "id": s.id,
            "dimension": s.dimension,
            "phase": s.phase,
            "kinds": list(s.kinds),
            "gates": sorted(s.gates),
            "doc": s.doc,
        }
        for s in specs
    ]
    if json_out:
        typer.echo(json.dumps(rows, indent=2))
        return
    from judge.cli.output import table_width, wrap

    width = table_width()
    typer.echo(f"{'check id':<30} {'dimension':<14} description")
    for r in rows:
        extra = []
        if r["kinds"] != ["page"]:
            extra.append("inputs: " + "/".join(r["kinds"]))
        if r["gates"]:
            extra.append("may raise gate " + ", ".join(r["gates"]))
        text = r["doc"] + (f" ({'; '.join(extra)})" if extra else "")
        lines = wrap(text, "", 46, width)
        typer.echo(f"{r['id']:<30} {r['dimension']:<14} {lines[0].lstrip()}")
        for ln in lines[1:]:
            typer.echo(ln)
