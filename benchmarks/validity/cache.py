"""The verdict cache: one JSON file per (input tree, fjudge source tree, rubric).

Key parts:
- the input's tree hash (`builders.intake.tree_sha256`, what the Verdict calls `input.sha256`);
- a hash of the fjudge source actually imported (`judge/`, `builders/`, `rubrics/`), so a change
  to checks or scoring re-judges while a change elsewhere (tests, benchmarks, docs) does not;
- the rubric: id, version and a hash of its full content.

Layout: `<cache>/verdicts/<input sha>/<source sha[:16]>-<rubric key>.json`. `--rescore` reads
the newest file of an input whatever its source hash (the checks' results are re-aggregated).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from benchmarks.validity.models import Record

_SUFFIXES = {".py", ".js", ".toml", ".yaml", ".yml", ".json", ".css", ".html", ".png"}


def source_sha() -> str:
    """Hash of the fjudge packages as imported (so PYTHONPATH worktrees hash their own tree)."""
    import builders
    import judge
    import rubrics

    h = hashlib.sha256()
    for pkg in (judge, builders, rubrics):
        root = Path(pkg.__file__).resolve().parent
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d not in ("__pycache__", "node_modules"))
            for fn in sorted(filenames):
                p = Path(dirpath) / fn
                if p.suffix not in _SUFFIXES:
                    continue
                h.update(f"{pkg.__name__}/{p.relative_to(root).as_posix()}\0".encode())
                h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def rubric_key(rubric) -> str:
    """id@version plus a hash of the whole rubric (a custom file with the same version differs)."""
    digest = hashlib.sha256(rubric.model_dump_json().encode()).hexdigest()[:10]
    return f"{rubric.id}@{rubric.version}+{digest}"


class Cache:
    """Verdict records on disk."""

    def __init__(self, root: Path, source: str, rubric: str) -> None:
        self.root = root
        self.source = source
        self.rubric = rubric
        (root / "verdicts").mkdir(parents=True, exist_ok=True)

    def _dir(self, input_sha: str) -> Path:
        return self.root / "verdicts" / input_sha

    def path(self, input_sha: str) -> Path:
        safe = self.rubric.replace("/", "_")
        return self._dir(input_sha) / f"{self.source[:16]}-{safe}.json"

    def get(self, input_sha: str) -> Record | None:
        """The record made by this source tree and rubric, if any."""
        return _read(self.path(input_sha))

    def latest(self, input_sha: str) -> Record | None:
        """The newest record of this input, whatever source tree or rubric made it."""
        d = self._dir(input_sha)
        files = sorted(d.glob("*.json"), key=lambda p: p.stat().st_mtime) if d.is_dir() else []
        for p in reversed(files):
            rec = _read(p)
            if rec is not None:
                return rec
        return None

    def put(self, rec: Record) -> None:
        p = self.path(rec.input_sha)
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_suffix(".tmp")
        tmp.write_text(rec.model_dump_json(), encoding="utf-8")
        tmp.replace(p)  # atomic: an interrupted run never leaves half a record


def _read(p: Path) -> Record | None:
    try:
        return Record.model_validate(json.loads(p.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None
