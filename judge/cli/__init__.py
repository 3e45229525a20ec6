"""The `fjudge` command line (Typer). The sync edge: each command calls asyncio.run once.

Each command group lives in its own module exposing `register(app)`; heavy imports stay inside
the command functions so `fjudge --help` is fast.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="fjudge",
    help="Judge generated frontends the way a careful human reviewer would.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain (click) help: Typer's rich help labels every flag `<bool>`, as if it took a value.
    rich_markup_mode=None,
)

# One line per command module; each defines register(app: typer.Typer) -> None.
COMMAND_MODULES = [
    "judge.cli.score",
    "judge.cli.compare",
    "judge.cli.serve",
    "judge.cli.calibrate",
    "judge.cli.review",
    "judge.cli.mirror",
    "judge.cli.eval",
    "judge.cli.checks",
    "judge.cli.doctor",
]

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    """Console-script entry point."""
    app()
