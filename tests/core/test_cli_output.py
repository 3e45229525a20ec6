"""The CLI table shows hostile file names and texts escaped: they cannot forge or hide rows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from judge.cli.output import printable, table_row
from judge.inputs import rejected_verdict
from judge.schema import RubricRef

FORGED = "x\n\x1b[2K\x1b[1Agood.html  ok  1.00\u202e.zip"


def test_control_and_bidi_characters_are_escaped() -> None:
    assert printable("a\nb\r\t\x1b[31m\x7f\x9b\u202e\udcff é ✓") == (
        "a\\nb\\r\\t\\x1b[31m\\x7f\\x9b\\u202e\\udcff é ✓"
    )


def test_table_row_escapes_file_name_and_reason() -> None:
    v = rejected_verdict("html", "x", "bad\nname\x1b[2J", RubricRef(id="frontend", version="1"))
    out = table_row(Path(FORGED), v)
    assert "\x1b" not in out and "\u202e" not in out
    assert out.count("\n") == 1  # the row and its reason line, nothing forged
    assert out.startswith("x\\n\\x1b[2K") and "bad\\nname\\x1b[2J" in out


def test_fjudge_score_prints_a_forged_file_name_escaped(tmp_path: Path) -> None:
    bad = tmp_path / FORGED
    bad.write_bytes(b"not a zip at all")
    r = subprocess.run(
        [sys.executable, "-m", "judge", "score", str(bad)],
        capture_output=True,
        text=True,
        timeout=240,
        env=os.environ,
    )
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout and "\u202e" not in r.stdout
    rows = [ln for ln in r.stdout.splitlines() if ln and not ln.startswith(" ")]
    assert len(rows) == 2 and "rejected" in rows[1], r.stdout  # header + one row
