"""`fjudge score --prompt` as a user runs it: from a file or stdin, over a task file's prompt;
and the same prompt on the same page gives the same verdict."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COFFEE = ROOT / "tests" / "fixtures" / "prompted" / "coffee"


def fjudge(*args, stdin=None, timeout=300):
    return subprocess.run(
        [sys.executable, "-m", "judge", *map(str, args)],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=timeout,
        env={**os.environ},
    )


def test_prompt_usage_errors(tmp_path):
    r = fjudge("score", COFFEE / "p1", "--prompt", tmp_path / "missing.md")
    assert r.returncode == 2 and "cannot read the prompt" in r.stderr
    empty = tmp_path / "empty.md"
    empty.write_text("  \n")
    r = fjudge("score", COFFEE / "p1", "--prompt", empty)
    assert r.returncode == 2 and "is empty" in r.stderr


@pytest.mark.browser
@pytest.mark.timeout(600)
def test_prompt_from_stdin_overrides_the_task_file(tmp_path):
    prompt = (COFFEE / "prompt.txt").read_text(encoding="utf-8")
    task = tmp_path / "task.yaml"
    task.write_text("id: t\nprompt: Background #000000, text #ffffff.\n")
    r = fjudge(
        "score", COFFEE / "p1", COFFEE / "p1", "--json", "--judge", "deterministic",
        "--task", task, "--prompt", "-", stdin=prompt,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    first, again = (json.loads(line) for line in r.stdout.strip().splitlines())
    assert first["prompt"]["sha256"] == hashlib.sha256(prompt.encode()).hexdigest()
    assert first["prompt"]["rules"] >= 20 and first["dimensions"]["spec"] > 0.9
    # Same page, same prompt, judged twice at once: the same verdict (timings aside).
    for v in (first, again):
        v.pop("timings")
    assert first == again
