"""Rubric keys that would do nothing are errors: check-id patterns and visual feature names
are checked against what is registered (`judge.checks` registry, `judge.visual.model.NORMS`).

`rubrics` cannot import `judge`, so this lives here; `load_rubric` below is `rubrics.load_rubric`
plus these checks, and every entry point that takes a rubric from a user calls it.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

from rubrics import Rubric, RubricError
from rubrics import load_rubric as _load


def check_ids() -> dict[str, str]:
    """Registered check ids → their dimension."""
    import judge.checks.all  # noqa: F401  (registers the checks)
    from judge.checks.base import REGISTRY

    return {s.id: s.dimension for s in REGISTRY.values()}


def _known(pattern: str, ids: set[str], families: set[str]) -> bool:
    """A pattern matches a registered check id, or names results of a registered family
    (`interaction.broken`, `render.fatal`, `task.*`: results are `<family>.<anything>`)."""
    if any(fnmatch.fnmatchcase(i, pattern) for i in ids):
        return True
    family, dot, _ = pattern.partition(".")
    if dot and family in families:
        return True
    return any(fnmatch.fnmatchcase(f + ".result", pattern) for f in families)


def problems(rubric: Rubric) -> list[str]:
    """Every key of the rubric that would silently do nothing, as a sentence each."""
    from judge.visual.model import NORMS

    ids = set(check_ids())
    families = {i.split(".")[0] for i in ids}
    out = []
    for key, patterns in (
        ("disabled_checks", list(rubric.disabled_checks)),
        ("check_weights", list(rubric.check_weights)),
    ):
        for p in patterns:
            if not _known(p, ids, families):
                close = sorted(i for i in ids if i.split(".")[0][:3] == p[:3]) or sorted(ids)
                out.append(
                    f"{key}: {p!r} matches no check (known: {', '.join(close[:8])}; "
                    "`fjudge checks` lists them all)"
                )
    for name in rubric.visual_features:
        if name not in NORMS:
            out.append(
                f"visual_features: {name!r} is not a visual feature "
                f"(known: {', '.join(sorted(NORMS))})"
            )
    return out


def validate_rubric(rubric: Rubric, source: str | Path | None = None) -> Rubric:
    """`rubric`, or RubricError listing every key that would do nothing."""
    found = problems(rubric)
    if found:
        where = source or rubric.id
        raise RubricError(f"invalid rubric {where}: " + "; ".join(found))
    return rubric


def load_rubric(name_or_path: str | Path = "frontend") -> Rubric:
    """`rubrics.load_rubric` plus `validate_rubric`."""
    return validate_rubric(_load(name_or_path), name_or_path)
