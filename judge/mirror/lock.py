"""The lock: every resolution the mirror made, pinned, so a page gets the same bytes forever.

`react@18` resolved once to 18.3.1 stays 18.3.1 on every later judgment, on every machine that
imports the lock, whatever the registry publishes later. The file is JSON, written atomically;
`fjudge mirror lock export/import` copies it for a training run.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from judge.mirror.store import _atomic_write

FORMAT = 1


class Lock:
    """`name@spec` → exact version, persisted at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._mutex = threading.Lock()
        self.pins: dict[str, str] = self._read(self.path)

    @staticmethod
    def _read(path: Path) -> dict[str, str]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        pins = data.get("pins") if isinstance(data, dict) else None
        if not isinstance(pins, dict):
            return {}
        return {str(k): str(v) for k, v in pins.items() if isinstance(v, str)}

    def get(self, key: str) -> str | None:
        return self.pins.get(key)

    def pin(self, key: str, version: str) -> None:
        with self._mutex:
            if self.pins.get(key) == version:
                return
            # Another process may have pinned meanwhile: merge, the first pin wins.
            merged = {**self.pins, **self._read(self.path)}
            merged.setdefault(key, version)
            self.pins = merged
            self._write()

    def _write(self) -> None:
        body = {"format": FORMAT, "pins": dict(sorted(self.pins.items()))}
        _atomic_write(self.path, (json.dumps(body, indent=1) + "\n").encode())

    def export(self, dest: Path) -> int:
        body = {"format": FORMAT, "pins": dict(sorted(self.pins.items()))}
        Path(dest).write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
        return len(self.pins)

    def import_(self, src: Path, *, replace: bool = False) -> int:
        """Take pins from a lock file (theirs win on conflicts); the number of pins taken."""
        theirs = self._read(Path(src))
        if not theirs and Path(src).exists():
            raise ValueError(f"{src}: not a mirror lock file")
        with self._mutex:
            self.pins = dict(theirs) if replace else {**self.pins, **theirs}
            self._write()
        return len(theirs)
