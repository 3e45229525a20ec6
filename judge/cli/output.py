"""Terminal output for the CLI: the results table, a live progress bar, and summary tables.

Table rows go to stdout; the progress bar (rich) goes to stderr and only when stderr is a
terminal. While it is shown, rows written to a terminal stdout are printed above the bar by
rich, so a row never lands after a progress line.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from judge.schema import Verdict

if TYPE_CHECKING:
    from judge.api import EvalSummary

_ABBR = {
    "render": "rend",
    "runtime": "run",
    "layout": "lay",
    "responsive": "resp",
    "interaction": "int",
    "accessibility": "a11y",
    "visual": "vis",
    "task": "task",
}
NAME_WIDTH = 28
INDENT = 49  # where findings start: under the dimensions
MAX_FINDING = 400  # characters of one finding shown (cut at a word, with …)


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` safe for a terminal: control and format characters (newlines, ANSI escapes, bidi
    overrides) shown as escapes, so a file name or page text cannot forge or hide table rows."""
    return "".join(
        _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs")
        else ch
        for ch in text
    )


def table_width() -> int:
    """Columns available for the table: COLUMNS, else the terminal's, else 120."""
    env = os.environ.get("COLUMNS")
    if env and env.isdigit():
        return max(60, int(env))
    return max(60, shutil.get_terminal_size((120, 24)).columns)


def _fit(text: str, width: int) -> str:
    """`text` in at most `width` characters, cut with … rather than silently."""
    return text if len(text) <= width else text[: width - 1] + "…"


def wrap(text: str, first: str, indent: int, width: int) -> list[str]:
    """`first` + `text` wrapped at word boundaries into lines of `width`, continuation lines
    indented under the text; a very long finding ends with … at a word boundary."""
    if len(text) > MAX_FINDING:
        text = text[:MAX_FINDING].rsplit(" ", 1)[0] + " …"
    room = max(20, width - indent - len(first))
    lines = textwrap.wrap(text, room, break_on_hyphens=False) or [""]
    pad = " " * indent
    return [pad + first + lines[0], *(pad + " " * len(first) + ln for ln in lines[1:])]


def table_header() -> str:
    return f"{'input':<{NAME_WIDTH}} {'status':<13} {'score':>5}  dimensions / worst findings"


def table_row(path: Path, v: Verdict, width: int | None = None) -> str:
    """One input's row: name, status, score and dimensions, then its worst findings wrapped."""
    width = width or table_width()
    name = _fit(printable(path.name or str(path)), NAME_WIDTH)
    score = "  -  " if v.score is None else f"{v.score:5.2f}"
    dims = " ".join(f"{_ABBR.get(d, d[:4])}={s:.2f}" for d, s in v.dimensions.items())
    line = f"{name:<{NAME_WIDTH}} {v.status:<13} {score}  {dims}"
    if v.calibration is not None:
        c = v.calibration
        human = f", human {c.human_value:.2f}" if c.human_value is not None else ""
        line += f"  [calibrated {c.calibrated_score:.2f}{human}]"
    out = [line]
    if v.status != "ok" and v.reason:
        out += wrap(printable(v.reason), "! ", INDENT, width)
    worst = [c for c in v.checks if c.score is not None and c.score < 1][:3]
    for c in worst:
        out += wrap(printable(c.message), "- ", INDENT, width)
    return "\n".join(out)


class Progress:
    """done/total with rate and ETA on stderr (rich), only when stderr is a terminal."""

    def __init__(self, total: int, *, enabled: bool, label: str = "judging") -> None:
        self.total = total
        self.enabled = enabled and total > 1
        self._bar = None
        self._task = None
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(stderr=True, soft_wrap=True),  # rows keep their own wrapping
                transient=True,
                # rows on a terminal stdout are printed above the bar; a redirected stdout is
                # left alone (rich would otherwise send the rows to stderr)
                redirect_stdout=sys.stdout.isatty(),
                redirect_stderr=False,
            )
            self._task = self._bar.add_task(label, total=total)
            self._bar.start()

    def tick(self, n: int = 1) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task, n)

    def done(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


@contextmanager
def progress(total: int, label: str = "judging") -> Iterator[Progress]:
    """A Progress that is stopped (and cleared) however the block ends."""
    p = Progress(total, enabled=sys.stderr.isatty(), label=label)
    try:
        yield p
    finally:
        p.done()


def summary_table(summary: EvalSummary, width: int | None = None) -> str:
    """The end-of-run table of `fjudge eval`: counts by status, score and dimension means."""
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"fjudge eval: {summary.total} inputs", title_justify="left")
    t.add_column("", style="bold")
    t.add_column("value", justify="right")
    t.add_row("verdicts", str(summary.out))
    t.add_row("judged now", str(summary.judged))
    t.add_row("already done (resumed)", str(summary.skipped))
    for status, n in sorted(summary.statuses.items()):
        t.add_row(f"status {status}", str(n))
    mean = summary.mean_score
    t.add_row("mean score", "-" if mean is None else f"{mean:.3f}")
    if summary.scores:
        s = sorted(summary.scores)
        t.add_row("median score", f"{s[len(s) // 2]:.3f}")
    for d, values in summary.dimensions.items():
        t.add_row(f"mean {d}", f"{sum(values) / len(values):.3f}")
    console = Console(width=width or table_width(), file=None, force_terminal=False)
    with console.capture() as cap:
        console.print(t)
    return cap.get().rstrip()
