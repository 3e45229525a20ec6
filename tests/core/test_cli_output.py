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


def test_findings_wrap_at_words_instead_of_being_cut() -> None:
    from judge.inputs import infra_verdict

    long = (
        "mobile: 5 text element(s) below WCAG AA contrast, worst body > div:nth-of-type(1) "
        "at 1.03:1 (needs 4.5:1); raise the text colour's contrast against its background"
    )
    v = infra_verdict(long, RubricRef(id="frontend", version="1"))
    out = table_row(Path("page.html"), v, width=100)
    lines = out.splitlines()
    assert all(len(ln) <= 100 for ln in lines) and len(lines) > 2
    body = " ".join(ln.strip().lstrip("!").strip() for ln in lines[1:])
    assert body == long  # every word intact, in order: wrapped, never cut mid-word


def test_help_shows_no_bool_placeholders() -> None:
    for args in (["--help"], ["score", "--help"], ["eval", "--help"]):
        r = subprocess.run(
            [sys.executable, "-m", "judge", *args], capture_output=True, text=True, timeout=60
        )
        assert r.returncode == 0 and "<bool>" not in r.stdout, r.stdout
    assert "--unsafe-no-sandbox" in r.stdout


def test_fjudge_checks_lists_every_registered_check() -> None:
    import json

    from judge.rubric_check import check_ids

    r = subprocess.run(
        [sys.executable, "-m", "judge", "checks", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    rows = json.loads(r.stdout)
    assert {x["id"]: x["dimension"] for x in rows} == check_ids()
    assert all(x["doc"] for x in rows)  # every check says what it measures
    table = subprocess.run(
        [sys.executable, "-m", "judge", "checks"], capture_output=True, text=True, timeout=60
    ).stdout
    assert all(i in table for i in check_ids())


def test_rows_never_print_after_a_progress_line_on_a_terminal(tmp_path: Path) -> None:
    # stdout and stderr on a real pseudo-terminal: the progress bar (rich) is drawn, and every
    # table row starts on a cleared line, never after a half-drawn progress line.
    import pty
    import select

    for name in ("a.html", "b.html"):
        (tmp_path / name).write_text(f"<h1>{name}</h1><p>some text</p>")
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "judge", "score", "a.html", "b.html", "--workers", "1"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env={**os.environ, "COLUMNS": "100"},
    )
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 240)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    assert proc.wait(timeout=60) == 0
    text = out.decode("utf-8", "replace")
    assert "judging" in text and "2/2" in text  # the bar was shown
    for name in ("a.html", "b.html"):
        at = text.index(name + " " * 10)
        before = text[:at]
        assert before.endswith("\n") or before.endswith("\x1b[2K"), repr(before[-40:])
    assert text.rstrip().endswith("\x1b[2K")  # the bar is cleared at the end (transient)
