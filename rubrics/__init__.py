"""Versioned rubric files (TOML or YAML) and their loader. Data, not code.

A rubric file may start from another with `extends = "frontend"` (a bundled name, or a path
relative to the file) and change only what differs: tables (`dimensions`, `check_weights`,
`visual_features`, `budgets`, `gates`, `hybrid`, `viewports`, and each dimension's table) merge
key by key, every other value (lists such as `disabled_checks`, numbers, strings) replaces the
base's. An extending rubric must give its own `id`/`version` pair, so that calibration files
fitted to the base are never applied to it.

A rubric with a weighted `visual` dimension and no `[visual_features]` table inherits the
bundled weights for its kind (`frontend` for pages, `screenshot` for images) instead of
silently scoring nothing; an explicitly empty table is an error. Unknown keys are errors.
Check ids and feature names are checked against what is registered by `judge.rubric_check`
(this package does not import `judge`).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import yaml

from rubrics.schema import Budgets, Dimension, Gates, Hybrid, Rubric, Viewport

RUBRIC_DIR = Path(__file__).parent

__all__ = [
    "Budgets",
    "Dimension",
    "Gates",
    "Hybrid",
    "Rubric",
    "RubricError",
    "Viewport",
    "available",
    "load_rubric",
    "read_rubric_data",
]

# Tables merged key by key by `extends`; everything else replaces the base's value.
MERGED = {
    "dimensions",
    "check_weights",
    "visual_features",
    "budgets",
    "gates",
    "hybrid",
    "viewports",
}
DEFAULT_FEATURES = {"page": "frontend", "image": "screenshot"}


class RubricError(ValueError):
    """A rubric name or file that cannot be loaded, with the reason."""


def available() -> dict[str, Path]:
    """Bundled rubrics by name."""
    return {p.stem: p for p in sorted(RUBRIC_DIR.glob("*.toml"))}


def _read(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    yml = path.suffix in (".yaml", ".yml")
    data = (yaml.safe_load(text) or {}) if yml else tomllib.loads(text)
    if not isinstance(data, dict):
        raise RubricError(f"invalid rubric {path}: expected a table of keys")
    return data


def _locate(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    path = Path(name_or_path)
    if relative_to is not None and not path.is_absolute():
        candidate = relative_to / path
        if candidate.is_file():
            return candidate
    if path.is_file():
        return path
    bundled = available().get(str(name_or_path))
    if bundled is None:
        names = ", ".join(available())
        raise RubricError(f"unknown rubric {name_or_path!r} (bundled: {names})")
    return bundled


def _merge(base: dict[str, Any], child: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    out = dict(base)
    for k, v in child.items():
        mergeable = (depth == 0 and k in MERGED) or (depth == 1 and isinstance(v, dict))
        if mergeable and isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v, depth + 1)
        else:
            out[k] = v
    return out


def read_rubric_data(name_or_path: str | Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The rubric's keys with `extends` resolved (RubricError for a loop or a bad base)."""
    path = _locate(name_or_path)
    data = _read(path)
    base_name = data.pop("extends", None)
    if base_name is None:
        return data
    if not isinstance(base_name, str):
        raise RubricError(f"invalid rubric {path}: `extends` must be a rubric name or file")
    base_path = _locate(base_name, path.parent).resolve()
    if base_path in _seen or base_path == path.resolve():
        raise RubricError(f"invalid rubric {path}: `extends` loops through {base_path}")
    base = read_rubric_data(base_path, (*_seen, path.resolve()))
    for key in ("id", "version"):
        if key not in data:
            raise RubricError(
                f"invalid rubric {path}: a rubric that extends {base_name!r} needs its own "
                f"`{key}` (calibration files are tied to the rubric id and version)"
            )
    if (data["id"], str(data["version"])) == (base.get("id"), str(base.get("version"))):
        raise RubricError(
            f"invalid rubric {path}: id/version {data['id']} {data['version']} are the base's; "
            "change at least the version so calibrations of the base are not applied to it"
        )
    return _merge(base, data)


def _inherit_features(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """A weighted visual dimension needs feature weights: inherit the bundled ones."""
    visual = (data.get("dimensions") or {}).get("visual")
    weighted = isinstance(visual, dict) and float(visual.get("weight", 0) or 0) > 0
    if not weighted:
        return data
    if "visual_features" not in data:
        kind = str(data.get("kind", "page"))
        bundled = available().get(DEFAULT_FEATURES.get(kind, "frontend"))
        if bundled is not None and bundled.resolve() != path.resolve():
            feats = _read(bundled).get("visual_features", {})
            return {**data, "visual_features": dict(feats)}
    elif not data["visual_features"]:
        raise RubricError(
            f"invalid rubric {path}: the visual dimension has weight but [visual_features] "
            "weights no feature; leave the table out to use the bundled weights, or set "
            "dimensions.visual.weight = 0"
        )
    return data


def load_rubric(name_or_path: str | Path = "frontend") -> Rubric:
    """Load a bundled rubric by name, or a rubric file by path (`extends` resolved)."""
    path = _locate(name_or_path)
    try:
        data = _inherit_features(read_rubric_data(path), path)
        return Rubric.model_validate(data)
    except RubricError:
        raise
    except (OSError, ValueError, tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise RubricError(f"invalid rubric {path}: {exc}") from exc
