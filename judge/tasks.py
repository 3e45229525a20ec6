"""Task files (`task.yaml` in a submission, or `--task FILE`): reading and validating them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

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


def prompt_text(prompt: Any) -> str:
    """A prompt as plain text: a string, or the system/user contents of a chat message list."""
    if prompt is None:
        return ""
    if isinstance(prompt, str):
        return prompt
    if isinstance(prompt, Sequence):
        parts = []
        for m in prompt:
            if isinstance(m, Mapping) and m.get("role", "user") in ("system", "user"):
                c = m.get("content", "")
                if isinstance(c, list):  # multimodal parts: keep the text ones
                    c = "".join(p.get("text", "") for p in c if isinstance(p, Mapping))
                parts.append(str(c))
        return "\n\n".join(p for p in parts if p)
    return str(prompt)


def task_with_prompt(prompt: str, base: Task | None = None) -> Task | None:
    """The task a sample is judged against: `base` (a task file) with the sample's generation
    prompt filled in, or just the prompt; None when there is neither."""
    if not prompt:
        return base
    data = base.model_dump() if base is not None else {}
    return Task.model_validate({**data, "prompt": prompt})
