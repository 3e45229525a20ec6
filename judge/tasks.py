"""Task files (`task.yaml` in a submission, or `--task FILE`): reading and validating them."""

from __future__ import annotations

from pathlib import Path

import yaml

from judge.schema import Task

TASK_FILES = ("task.yaml", "task.yml")


def read_task(path: Path) -> Task:
    """Load and validate a task file (ValueError with the reason)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        return Task.model_validate(data)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ValueError(f"invalid task file {path}: {exc}") from exc


def find_task(root: Path) -> Task | None:
    """The task file shipped inside a submission, if any (ValueError if it is invalid)."""
    for name in TASK_FILES:
        if (root / name).is_file():
            return read_task(root / name)
    return None
