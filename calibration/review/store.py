"""SQLite storage of review labels, exported in the label format `read_labels` reads."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from judge.schema import PairLabel, RatingLabel


class ReviewStore:
    """Ratings and pairwise choices per reviewer (one connection, guarded by a lock)."""

    def __init__(self, path: Path | str) -> None:
        self.lock = threading.Lock()
        self.db = sqlite3.connect(str(path), check_same_thread=False)
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS ratings (
              rater TEXT NOT NULL, item TEXT NOT NULL, dimension TEXT NOT NULL,
              rating REAL NOT NULL, scale_min REAL, scale_max REAL, ts REAL,
              PRIMARY KEY (rater, item, dimension));
            CREATE TABLE IF NOT EXISTS pairs (
              rater TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL, winner TEXT NOT NULL,
              ts REAL, PRIMARY KEY (rater, a, b));
            """
        )

    def rate(
        self, rater: str, item: str, ratings: dict[str, float], scale: tuple[float, float]
    ) -> None:
        """Store (or replace) a reviewer's ratings of one item; dimension 'overall' = the whole."""
        with self.lock, self.db:
            for dim, value in ratings.items():
                self.db.execute(
                    "INSERT OR REPLACE INTO ratings VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (rater, item, dim, value, scale[0], scale[1], time.time()),
                )

    def prefer(self, rater: str, a: str, b: str, winner: str) -> None:
        """Store a reviewer's choice between a (shown left) and b (shown right)."""
        with self.lock, self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO pairs VALUES (?, ?, ?, ?, ?)",
                (rater, a, b, winner, time.time()),
            )

    def rated_items(self, rater: str) -> set[str]:
        with self.lock:
            rows = self.db.execute("SELECT DISTINCT item FROM ratings WHERE rater = ?", (rater,))
            return {r[0] for r in rows}

    def compared(self, rater: str) -> set[frozenset[str]]:
        with self.lock:
            rows = self.db.execute("SELECT a, b FROM pairs WHERE rater = ?", (rater,))
            return {frozenset(r) for r in rows}

    def labels(self) -> tuple[list[RatingLabel], list[PairLabel]]:
        """Everything stored, as label records (ordered for a stable export)."""
        with self.lock:
            rs = self.db.execute(
                "SELECT item, rating, rater, dimension, scale_min, scale_max FROM ratings"
                " ORDER BY rater, item, dimension"
            ).fetchall()
            ps = self.db.execute("SELECT a, b, winner, rater FROM pairs ORDER BY rater, a, b")
            ps = ps.fetchall()
        ratings = [
            RatingLabel(
                item=i,
                rating=v,
                rater=r,
                dimension=None if d == "overall" else d,
                scale_min=lo,
                scale_max=hi,
            )
            for i, v, r, d, lo, hi in rs
        ]
        pairs = [PairLabel(a=a, b=b, winner=w, rater=r) for a, b, w, r in ps]
        return ratings, pairs

    def close(self) -> None:
        self.db.close()
