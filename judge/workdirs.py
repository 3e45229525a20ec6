"""Temporary working directories that a crashed process does not leave behind for ever.

Every directory fjudge makes under the system temp dir is `fjudge-*` and holds a `.owner`
file with the creating process id. A process killed with SIGKILL cannot clean up after
itself, so the next `Judge` started on the machine removes the directories whose owner is
gone (`clean_stale`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

OWNER = ".owner"


def make_workdir(prefix: str = "fjudge-") -> Path:
    """A fresh private directory under the temp dir, tagged with this process id."""
    if not prefix.startswith("fjudge-"):
        prefix = "fjudge-" + prefix
    path = Path(tempfile.mkdtemp(prefix=prefix))
    (path / OWNER).write_text(str(os.getpid()))
    return path


def remove_workdir(path: Path, tries: int = 40) -> None:
    """Remove `path`, retrying briefly: a browser being killed can still write into its profile
    while the tree is removed (rmtree then fails with 'directory not empty')."""
    import time

    for _ in range(tries):
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            return
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def clean_stale(base: Path | None = None) -> list[Path]:
    """Remove `fjudge-*` directories whose owning process no longer exists; returns them."""
    base = Path(base or tempfile.gettempdir())
    removed = []
    with contextlib.suppress(OSError):
        for d in base.glob("fjudge-*"):
            owner = d / OWNER
            try:
                pid = int(owner.read_text().strip())
            except (OSError, ValueError):
                continue  # not ours to judge (or still being created)
            if pid != os.getpid() and not _alive(pid):
                # Its browser may outlive it by a moment (the driver closes Chromium when its
                # pipe ends), still writing into the profile kept in here: retried removal.
                remove_workdir(d, tries=200)
                removed.append(d)
    return removed
