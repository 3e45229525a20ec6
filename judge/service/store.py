"""Durable job store: SQLite in WAL mode, plus a spool directory for uploaded inputs.

A job's verdict is written in the same statement that marks it done, so a crash at any point
leaves either no verdict (the job is still `running` and is re-queued on start) or exactly one.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from judge.schema.service import JobView

# A job to insert: (id, input kind, input name, options).
NewJob = tuple[str, str, str, dict[str, Any]]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    status TEXT NOT NULL,
    input_kind TEXT NOT NULL,
    input_name TEXT NOT NULL DEFAULT '',
    options TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    started_at REAL,
    finished_at REAL,
    error TEXT,
    verdict TEXT,
    reward TEXT
);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status, seq);
"""


class QueueFull(Exception):
    """The queue holds `queued` jobs: no room for more (the caller answers 429)."""

    def __init__(self, queued: int) -> None:
        super().__init__(f"{queued} jobs queued")
        self.queued = queued


class JobStore:
    """Jobs table access. Calls are short; the service runs them in a thread.

    The database, its WAL/SHM files and the spool are private to the service user: uploads
    and verdicts are other people's submissions.
    """

    def __init__(self, db: Path, redact: Callable[[str], str] = str) -> None:
        self.db = Path(db)
        self.db.parent.mkdir(parents=True, exist_ok=True)
        self.spool = self.db.with_name(self.db.name + ".spool")
        self.spool.mkdir(mode=0o700, exist_ok=True)
        os.chmod(self.spool, 0o700)
        self.redact = redact
        # SQLite gives the -wal and -shm files the database file's mode: create it private.
        os.close(os.open(self.db, os.O_RDWR | os.O_CREAT, 0o600))
        for suffix in ("", "-wal", "-shm"):
            if (f := self.db.with_name(self.db.name + suffix)).exists():
                os.chmod(f, 0o600)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.db, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        # FULL: a verdict acknowledged as written survives power loss, not just a process kill.
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA busy_timeout=5000")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _exec(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    def job_dir(self, job_id: str) -> Path:
        """Where a job's input lives (created, private)."""
        d = self.spool / job_id
        d.mkdir(mode=0o700, parents=True, exist_ok=True)
        return d

    def drop_dirs(self, job_ids: Sequence[str]) -> None:
        """Remove the spool dirs of jobs that were never inserted."""
        for job_id in job_ids:
            shutil.rmtree(self.spool / job_id, ignore_errors=True)

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex

    def add(self, jobs: Sequence[NewJob], queue_max: int | None = None) -> None:
        """Insert queued jobs (inputs already spooled), all or none; QueueFull past `queue_max`.

        Count and insert are one IMMEDIATE transaction, so concurrent submitters can never
        overshoot the cap between checking it and inserting.
        """
        now = time.time()
        rows = [(i, kind, name, json.dumps(opts), now) for i, kind, name, opts in jobs]
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                if queue_max is not None:
                    queued = self._conn.execute(
                        "SELECT COUNT(*) FROM jobs WHERE status='queued'"
                    ).fetchone()[0]
                    if queued + len(rows) > queue_max:
                        raise QueueFull(queued)
                self._conn.executemany(
                    "INSERT INTO jobs (id, status, input_kind, input_name, options, created_at) "
                    "VALUES (?, 'queued', ?, ?, ?, ?)",
                    rows,
                )
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def requeue_running(self) -> int:
        """On start: jobs a dead process left `running` go back to the queue."""
        with self._lock:
            cur = self._conn.execute(
                "UPDATE jobs SET status='queued', started_at=NULL WHERE status='running'"
            )
            return cur.rowcount

    def claim(self) -> sqlite3.Row | None:
        """Take the oldest queued job and mark it running (single process, so no races)."""
        with self._lock:
            row = self._conn.execute(
                "UPDATE jobs SET status='running', started_at=?, attempts=attempts+1 "
                "WHERE seq = (SELECT seq FROM jobs WHERE status='queued' ORDER BY seq LIMIT 1) "
                "RETURNING *",
                (time.time(),),
            ).fetchone()
            return row

    def finish(
        self,
        job_id: str,
        status: str,
        verdict_json: str,
        reward_json: str | None,
        error: str | None,
    ) -> None:
        """Record the one verdict of a job and its final status, atomically."""
        self._exec(
            "UPDATE jobs SET status=?, verdict=?, reward=?, error=?, finished_at=? "
            "WHERE id=? AND status='running'",
            (status, verdict_json, reward_json, error, time.time(), job_id),
        )
        shutil.rmtree(self.spool / job_id, ignore_errors=True)

    def get(self, job_id: str) -> JobView | None:
        rows = self._exec("SELECT * FROM jobs WHERE id=?", (job_id,))
        return view(rows[0], self.redact) if rows else None

    def counts(self) -> dict[str, int]:
        rows = self._exec("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status")
        out = {s: 0 for s in ("queued", "running", "done", "failed")}
        out.update({r["status"]: r["n"] for r in rows})
        return out

    def queued(self) -> int:
        return self._exec("SELECT COUNT(*) FROM jobs WHERE status='queued'")[0][0]


def view(row: sqlite3.Row, redact: Callable[[str], str] = str) -> JobView:
    """A row as the API's JobView (`redact` strips server paths from the stored texts)."""

    def loaded(col: str) -> Any:
        return json.loads(redact(row[col])) if row[col] else None

    return JobView.model_validate(
        {
            "id": row["id"],
            "status": row["status"],
            "input_kind": row["input_kind"],
            "input_name": row["input_name"],
            "attempts": row["attempts"],
            "created_at": row["created_at"],
            "started_at": row["started_at"],
            "finished_at": row["finished_at"],
            "error": redact(row["error"]) if row["error"] else None,
            "verdict": loaded("verdict"),
            "reward": loaded("reward"),
        }
    )
