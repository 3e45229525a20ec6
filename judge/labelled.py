"""Verdicts for the items of a label file: resolve each item, reuse what is cached, judge the rest.

An item names a submission (directory, .html, archive, image) relative to the label file (or
absolutely), or a `fjudge score --out` item folder (its verdict.json is reused when it was made
by the current rubric, judge and feature versions). A `sha256` column lets a moved submission
still match: the verdict cache is keyed by content hash, and a missing path is looked for by
name and hash under the label file's folder.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from builders.intake import IMAGE_SUFFIXES
from judge.schema import LabelSet, Verdict

SEARCH_DEPTH = 3


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def content_sha256(path: Path) -> str:
    """The hash a Verdict records for this input (file bytes, or the intake tree hash)."""
    from builders.intake import file_sha256, tree_sha256

    return tree_sha256(path) if path.is_dir() else file_sha256(path)


def is_score_out_item(path: Path) -> bool:
    """A `fjudge score --out` item folder: verdict.json and screenshots, nothing to serve."""
    return (
        path.is_dir()
        and (path / "verdict.json").is_file()
        and not (path / "index.html").is_file()
        and not (path / "package.json").is_file()
    )


def hashes_by_item(labels: LabelSet) -> dict[str, str]:
    """item → sha256 declared in the label file (ratings and both sides of pairs)."""
    out: dict[str, str] = {}
    for r in labels.ratings:
        if r.sha256:
            out.setdefault(r.item, r.sha256)
    for p in labels.pairs:
        if p.a_sha256:
            out.setdefault(p.a, p.a_sha256)
        if p.b_sha256:
            out.setdefault(p.b, p.b_sha256)
    return out


def find_by_hash(base: Path, name: str, sha: str) -> Path | None:
    """A file or folder called `name` under `base` (≤ SEARCH_DEPTH deep) whose content hash is `sha`."""
    base_depth = len(base.parts)
    for dirpath, dirnames, filenames in os.walk(base):
        depth = len(Path(dirpath).parts) - base_depth
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "node_modules"]
        if depth >= SEARCH_DEPTH:
            dirnames[:] = []
        for entry in [*filenames, *dirnames]:
            if entry == name:
                p = Path(dirpath) / entry
                if content_sha256(p) == sha:
                    return p
    return None


@dataclass
class Resolved:
    """Where each label item's verdict comes from."""

    paths: dict[str, Path] = field(default_factory=dict)  # item → submission to judge
    stored: dict[str, Verdict] = field(default_factory=dict)  # item → verdict.json of --out
    hashes: dict[str, str] = field(default_factory=dict)  # item → content hash
    missing: list[str] = field(default_factory=list)


def resolve_items(labels: LabelSet) -> Resolved:
    """Map every label item to a submission path, a stored verdict, or a cache-only hash."""
    base = Path(labels.path).parent
    declared = hashes_by_item(labels)
    out = Resolved()
    for item in labels.items():
        p = Path(item) if Path(item).is_absolute() else base / item
        sha = declared.get(item)
        if p.exists() and is_score_out_item(p):
            v = Verdict.model_validate_json((p / "verdict.json").read_text(encoding="utf-8"))
            out.stored[item] = v
            out.hashes[item] = v.input.sha256
            continue
        if p.exists():
            actual = content_sha256(p)
            if sha and actual != sha:
                # The file changed since it was rated: prefer a copy with the rated content.
                moved = find_by_hash(base, p.name, sha)
                if moved is None:
                    _say(f"warning: {item} changed since it was labelled (sha256 differs)")
                p = moved or p
                actual = sha if moved else actual
            out.paths[item], out.hashes[item] = p, actual
            continue
        if sha:
            moved = find_by_hash(base, Path(item).name, sha)
            if moved is not None:
                out.paths[item] = moved
            out.hashes[item] = sha  # may still be served from the verdict cache
            continue
        out.missing.append(item)
    return out


def version_key(rubric_id: str, rubric_version: str) -> str:
    """Cache key part naming everything that makes a verdict: rubric, judge, features, checks."""
    import judge.checks.all  # noqa: F401  (the registered checks are part of the key)
    from judge import __version__
    from judge.checks import REGISTRY
    from judge.visual import FEATURE_VERSION

    checks = hashlib.sha256(" ".join(sorted(REGISTRY)).encode()).hexdigest()[:12]
    return (
        f"{rubric_id}@{rubric_version}|judge {__version__}|features {FEATURE_VERSION}"
        f"|checks {checks}"
    )


def _current(v: Verdict, rubric_id: str, rubric_version: str) -> bool:
    """A stored verdict made by this rubric version and judge version (features included)."""
    from judge import __version__

    return (
        v.rubric.id == rubric_id
        and v.rubric.version == rubric_version
        and (v.judge is None or v.judge.version == __version__)
        and v.status != "infra_error"
    )


async def judge_items(
    labels: LabelSet, rubric_name: str, workers: int | None
) -> tuple[dict[str, Verdict], str, str]:
    """Verdict per label item (cached by content hash + versions); also rubric id and version."""
    from calibration.cache import VerdictCache
    from judge.pipeline import Judge
    from judge.schema import JudgeOptions

    res = await asyncio.to_thread(resolve_items, labels)
    opts = JudgeOptions(
        rubric=rubric_name, judge="deterministic", **({"workers": workers} if workers else {})
    )
    cache = VerdictCache(opts.cache_dir / "calibration-verdicts.sqlite")
    verdicts: dict[str, Verdict] = {}
    todo: list[str] = []
    async with Judge(opts) as judge:
        rubric = judge.rubric
        version = version_key(rubric.id, rubric.version)
        for item in labels.items():
            if item in res.missing:
                continue
            stored = res.stored.get(item)
            hit = cache.get(res.hashes[item], version) if item in res.hashes else None
            if stored is not None and _current(stored, rubric.id, rubric.version):
                verdicts[item] = stored
            elif hit is not None:
                verdicts[item] = hit
            elif item in res.paths:
                todo.append(item)
            else:
                res.missing.append(item)
        _say(f"{len(verdicts)} cached verdicts, judging {len(todo)} items")
        done = 0
        async for n, judgment in judge.judge_many([res.paths[i] for i in todo]):
            item = todo[n]
            verdicts[item] = judgment.verdict
            if judgment.verdict.status != "infra_error":
                cache.put(res.hashes[item], version, judgment.verdict)
            done += 1
            if done % 25 == 0 or done == len(todo):
                _say(f"  judged {done}/{len(todo)}")
    cache.close()
    if res.missing:
        raise FileNotFoundError(
            f"{len(res.missing)} labelled item(s) not found and not in the verdict cache "
            f"(first: {res.missing[0]!r}; a `fjudge score --out` folder from another rubric or "
            "judge version must be rescored, a moved file needs its sha256 column)"
        )
    return verdicts, rubric.id, rubric.version


def pick_rubric(rubric: str | None, labels: LabelSet) -> str:
    """The screenshot rubric when every item is an image, else the frontend rubric."""
    if rubric:
        return rubric
    items = labels.items()
    images = all(Path(i).suffix.lower() in IMAGE_SUFFIXES for i in items)
    if images:
        return "screenshot"
    base = Path(labels.path).parent
    for i in items:
        p = Path(i) if Path(i).is_absolute() else base / i
        if is_score_out_item(p):
            try:
                v = Verdict.model_validate_json((p / "verdict.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            return v.rubric.id
    return "frontend"


def remember(verdicts: list[Verdict], cache_dir: Path) -> int:
    """Seed the calibration verdict cache with verdicts `fjudge score --out` already made.

    Only verdicts of the running judge version, with no calibration applied, are kept: they are
    exactly what judging the same content again would produce (judging is deterministic).
    """
    from calibration.cache import VerdictCache
    from judge import __version__

    fresh = [
        v
        for v in verdicts
        if v.input.sha256
        and v.calibration is None
        and v.status != "infra_error"
        and (v.judge is None or v.judge.version == __version__)
    ]
    if not fresh:
        return 0
    cache = VerdictCache(cache_dir / "calibration-verdicts.sqlite")
    try:
        for v in fresh:
            cache.put(v.input.sha256, version_key(v.rubric.id, v.rubric.version), v)
    finally:
        cache.close()
    return len(fresh)
