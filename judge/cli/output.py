"""Terminal output for the CLI: the results table and a progress line on stderr."""

from __future__ import annotations

import sys
import time
import unicodedata
from pathlib import Path

from judge.schema import Verdict

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


def table_header() -> str:
    return f"{'input':<28} {'status':<13} {'score':>5}  dimensions / worst findings"


def table_row(path: Path, v: Verdict) -> str:
    name = printable(path.name or str(path))[:28]
    score = "  -  " if v.score is None else f"{v.score:5.2f}"
    dims = " ".join(f"{_ABBR.get(d, d[:4])}={s:.2f}" for d, s in v.dimensions.items())
    line = f"{name:<28} {v.status:<13} {score}  {dims}"
    if v.calibration is not None:
        c = v.calibration
        human = f", human {c.human_value:.2f}" if c.human_value is not None else ""
        line += f"  [calibrated {c.calibrated_score:.2f}{human}]"
    worst = [c for c in v.checks if c.score is not None and c.score < 1][:3]
    details = [f"{'':<49}- {printable(c.message)[:100]}" for c in worst]
    if v.status != "ok" and v.reason:
        details.insert(0, f"{'':<49}! {printable(v.reason)[:100]}")
    return "\n".join([line, *details])


class Progress:
    """done/total, rate and ETA on stderr, only when it is a terminal."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.total, self.done_count, self.enabled = total, 0, enabled and total > 1
        self.t0 = time.monotonic()

    def tick(self) -> None:
        self.done_count += 1
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.t0
        rate = self.done_count / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done_count) / rate if rate else 0.0
        sys.stderr.write(
            f"\r{self.done_count}/{self.total}  {rate * 60:.1f}/min  ETA {eta:.0f}s   "
        )
        sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
