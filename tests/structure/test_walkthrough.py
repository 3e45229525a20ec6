"""The README walkthrough, run as a new user would: every ```sh block between the walkthrough
markers, in order, in one scratch directory (with the repository's examples), with `fjudge` and
`python` on PATH. A block that fails fails the test with its output."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("<!-- walkthrough:start -->", 1)[1].split("<!-- walkthrough:end -->")[0]
    return re.findall(r"```sh\n(.*?)```", section, re.S)


def test_walkthrough_has_the_steps_a_new_user_needs() -> None:
    text = "\n".join(blocks())
    for cmd in ("fjudge doctor", "fjudge score", "fjudge eval", "fjudge checks", "import judge"):
        assert cmd in text


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_readme_walkthrough_runs_top_to_bottom(tmp_path: Path) -> None:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    # `fjudge` and `python` as the installed ones would be: this interpreter, this checkout.
    (bindir / "fjudge").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m judge "$@"\n')
    (bindir / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    for f in bindir.iterdir():
        f.chmod(0o755)
    work = tmp_path / "work"
    work.mkdir()
    (work / "examples").symlink_to(ROOT / "examples")
    env = dict(
        os.environ,
        PATH=f"{bindir}:{os.environ['PATH']}",
        PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        COLUMNS="100",
    )
    for k in ("FJUDGE_MODEL", "OPENAI_BASE_URL"):  # the walkthrough runs without a model
        env.pop(k, None)
    for i, block in enumerate(blocks(), 1):
        r = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert r.returncode == 0, (
            f"block {i} failed:\n{block}\n--- stdout\n{r.stdout}\n--- stderr\n{r.stderr}"
        )
    assert (work / "walk-out" / "index.html").is_file()
    verdicts = (work / "results.verdicts.jsonl").read_text().splitlines()
    assert len(verdicts) == 2 and '"rejected"' in verdicts[1]
