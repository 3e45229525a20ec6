"""What goes into a build and what comes out of it: the copy of the project, the vetting of the
build tree and of the site it produced, and the reasons a failed build is given."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from builders.paths import PathRefused, scan_tree, tree_usage
from builders.sandbox import Limits, over_quota

MAX_OUTPUT_BYTES = 200 << 20
MAX_OUTPUT_FILES = 20_000
MIN_FREE_BYTES = 256 << 20
_ERROR_LINE = re.compile(r"error|failed|cannot|not found|ECONNREFUSED|ENOTFOUND|EAI_AGAIN", re.I)
_NO_SPACE = re.compile(r"ENOSPC|No space left on device", re.I)


class Violation(Exception):
    """The project or its build broke a rule; `status` is the BuildInfo status it implies."""

    def __init__(self, message: str, status: str = "sandbox_violation") -> None:
        super().__init__(message)
        self.status = status


def _links_out(p: Path, base: Path) -> bool:
    try:
        return not (p.parent / os.readlink(p)).resolve().is_relative_to(base)
    except (RuntimeError, OSError):  # a symlink loop (3.11 raises RuntimeError): refuse it too
        return True


def copy_project(src: Path, dst: Path) -> None:
    """Copy the submission (minus node_modules/.git) to `dst`.

    Violation for a symlink that leaves it, a FIFO/socket/device (a copy would block or fail as
    an OSError, i.e. an environment error) and paths past the limits (Python's copytree and
    rmtree recurse per level).
    """
    base = src.resolve()
    try:
        for e in scan_tree(src):
            if e.kind == "link" and _links_out(e.path, base):
                raise Violation(f"symlink {e.rel} points outside the submission (or loops)")
    except PathRefused as exc:
        raise Violation(f"unusable project: {exc}") from None
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, symlinks=True, ignore=shutil.ignore_patterns("node_modules", ".git"))


def vet_build_tree(build_dir: Path, limits: Limits) -> None:
    """Violation when the finished build tree breaks the quotas or holds unusable paths."""
    try:
        used, entries = tree_usage(build_dir)
    except PathRefused as exc:
        raise Violation(f"the build made an unusable path: {exc}") from None
    problem = over_quota(used, entries, limits)
    if problem:
        raise Violation(problem, "output_too_large")


def vet_output(site: Path) -> None:
    """Violation for links out of the output, special files, or an output too large to serve."""
    total, count = 0, 0
    base = site.resolve()
    try:
        for e in scan_tree(site, ()):
            if e.kind == "link" and _links_out(e.path, base):
                raise Violation(f"build output links outside itself: {e.rel}")
            if e.kind != "file":
                continue
            count += 1
            total += os.lstat(e.path).st_size
            if count > MAX_OUTPUT_FILES or total > MAX_OUTPUT_BYTES:
                raise Violation(
                    f"build output exceeds {MAX_OUTPUT_FILES} files or {MAX_OUTPUT_BYTES >> 20} MB",
                    "output_too_large",
                )
    except PathRefused as exc:
        raise Violation(f"build output is unusable: {exc}") from None


def disk_nearly_full(path: Path) -> bool:
    """The host disk under `path` is (nearly) full: an environment fault."""
    try:
        return shutil.disk_usage(path).free < MIN_FREE_BYTES
    except OSError:
        return False


def reason_from_log(log: str, fallback: str) -> str:
    """A one-line reason: the first error-looking lines of the log, after `fallback`."""
    lines = [ln.strip() for ln in log.splitlines() if ln.strip()]
    hits = [ln for ln in lines if _ERROR_LINE.search(ln) and not ln.startswith("at ")]
    pick = hits[:2] if hits else lines[-1:]
    text = " | ".join(pick)[:500]
    return f"{fallback}: {text}" if text else fallback


def out_of_space_reason(log: str, limits: Limits) -> str | None:
    """For a failed build whose log says ENOSPC while the host disk has room: its /tmp quota."""
    if limits.tmp_bytes is None or not _NO_SPACE.search(log):
        return None
    return reason_from_log(
        log, f"the build ran out of space: its /tmp is capped at {limits.tmp_bytes >> 20} MB"
    )
