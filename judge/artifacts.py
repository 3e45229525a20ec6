"""`--out` artifacts of one judgment: screenshots, verdict.json and report.html."""

from __future__ import annotations

import re
from pathlib import Path

from judge.pipeline import Judgment


def artifact_dir(out: Path, index: int, path: Path) -> Path:
    """`--out` sub-directory for one input: stable, unique, and safe as a file name."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", path.name or "input")[:60] or "input"
    return out / f"{index:03d}-{stem}"


def write_artifacts(judgment: Judgment, out: Path, index: int, path: Path) -> Path:
    """Screenshots, verdict.json (with `screenshots` filled in) and report.html; returns the dir."""
    from judge.report import write_report

    target = artifact_dir(out, index, path)
    target.mkdir(parents=True, exist_ok=True)
    shots = {}
    for name, cap in judgment.captures.items():
        (target / f"{name}.png").write_bytes(cap.screenshot)
        shots[name] = f"{name}.png"
    # `screenshots` names files of this --out directory: the one field the writer adds.
    judgment.verdict = judgment.verdict.model_copy(update={"screenshots": shots})
    (target / "verdict.json").write_text(judgment.verdict.model_dump_json(indent=2))
    write_report(judgment, target)
    return target
