"""Per-item verdict cache in SQLite, so refits and reports do not re-judge labelled items."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from judge.schema import Verdict


def file_key(path: Path) -> str:
    """sha256 of a file's bytes, or of a directory's sorted relative paths and file bytes."""
    h = hashlib.sha256()
    if path.is_dir():
        for p in sorted(path.rglob("*")):
            if p.is_file() and not p.is_symlink():
                h.update(str(p.relative_to(path)).encode() + b"\0")
                h.update(hashlib.sha256(p.read_bytes()).digest())
    else:
        h.update(path.read_bytes())
    return h.hexdigest()


class VerdictCache:
    """Verdict JSON keyed by (item hash, version key: rubric, judge and feature versions)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS verdicts (item TEXT, version TEXT, verdict TEXT,"
            " PRIMARY KEY (item, version))"
        )

    def get(self, item: str, version: str) -> Verdict | None:
        """The cached verdict, or None (also when it no longer validates)."""
        row = self.db.execute(
            "SELECT verdict FROM verdicts WHERE item = ? AND version = ?", (item, version)
        ).fetchone()
        if row is None:
            return None
        try:
            return Verdict.model_validate_json(row[0])
        except ValueError:
            return None

    def put(self, item: str, version: str, verdict: Verdict) -> None:
        """Store (or replace) a verdict."""
        self.db.execute(
            "INSERT OR REPLACE INTO verdicts VALUES (?, ?, ?)",
            (item, version, verdict.model_dump_json()),
        )
        self.db.commit()

    def close(self) -> None:
        self.db.close()
