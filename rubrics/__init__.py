"""Versioned rubric files (TOML or YAML) and their loader. Data, not code."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

from rubrics.schema import Budgets, Dimension, Gates, Hybrid, Rubric, Viewport

RUBRIC_DIR = Path(__file__).parent

__all__ = [
    "Budgets",
    "Dimension",
    "Gates",
    "Hybrid",
    "Rubric",
    "Viewport",
    "available",
    "load_rubric",
]


class RubricError(ValueError):
    """A rubric name or file that cannot be loaded, with the reason."""


def available() -> dict[str, Path]:
    """Bundled rubrics by name."""
    return {p.stem: p for p in sorted(RUBRIC_DIR.glob("*.toml"))}


def _read(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        return yaml.safe_load(text) or {}
    return tomllib.loads(text)


def load_rubric(name_or_path: str | Path = "frontend") -> Rubric:
    """Load a bundled rubric by name, or a rubric file by path."""
    path = Path(name_or_path)
    if not path.is_file():
        bundled = available().get(str(name_or_path))
        if bundled is None:
            names = ", ".join(available())
            raise RubricError(f"unknown rubric {name_or_path!r} (bundled: {names})")
        path = bundled
    try:
        return Rubric.model_validate(_read(path))
    except (OSError, ValueError, tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise RubricError(f"invalid rubric {path}: {exc}") from exc
