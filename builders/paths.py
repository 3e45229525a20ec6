"""Limits on the paths a submission may hold, shared by every way files arrive (archive members,
`files` JSON, completions, directories) and by what a build leaves behind.

Too deep or too long a path, or a FIFO/socket/device, is the submission's fault. Unchecked, they
surface as environment errors in disguise: RecursionError from Python's recursive mkdir, copytree
and rmtree (a 1000-level path), ENAMETOOLONG (a 300-byte name), a copy or a read that blocks
forever on a FIFO. So trees are walked here without recursion, and refused with a reason.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

MAX_DEPTH = 64  # path components; real sites stay far below
MAX_NAME_BYTES = 255  # one component: what ext4, xfs, btrfs and tmpfs allow
MAX_PATH_BYTES = 1024  # the relative path (PATH_MAX is 4096 with the work dir in front)
_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


class PathRefused(ValueError):
    """A path or file the submission may not hold; the message says which and why."""


def shown(text: str, limit: int = 60) -> str:
    """`text` quoted for a message, cut in the middle when long."""
    return repr(text if len(text) <= limit else text[: limit // 2] + "…" + text[-limit // 2 :])


def check_parts(parts: Sequence[str]) -> None:
    """Refuse a relative path (as its components) that is too deep or too long."""
    joined = "/".join(parts)
    if len(parts) > MAX_DEPTH:
        raise PathRefused(f"path {shown(joined)} is {len(parts)} levels deep (max {MAX_DEPTH})")
    for part in parts:
        if len(part.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
            raise PathRefused(f"file name {shown(part)} is longer than {MAX_NAME_BYTES} bytes")
    if len(joined.encode("utf-8", "surrogateescape")) > MAX_PATH_BYTES:
        raise PathRefused(f"path {shown(joined)} is longer than {MAX_PATH_BYTES} bytes")


@dataclass(frozen=True)
class Entry:
    """One thing under a scanned root."""

    rel: str  # relative POSIX path
    path: Path
    kind: str  # "dir" | "file" | "link"
    size: int  # bytes on disk (st_blocks), 0 for dirs and links


def scan_tree(
    root: Path,
    skip: Sequence[str] = ("node_modules", ".git"),
    *,
    skip_root: Sequence[str] = (),
    allow_special: bool = False,
) -> Iterator[Entry]:
    """Every entry under `root`, in the order of a sorted top-down walk (files of a folder, then
    its sub-folders), never following links and never recursing in Python.

    Raises PathRefused at the first path past the limits, and at the first special file unless
    `allow_special` (then listed with kind "special"). Folders named in `skip` are neither
    listed nor entered at any depth; those in `skip_root` only directly under `root`.
    """
    stack: list[tuple[str, Path]] = [("", Path(root))]
    while stack:
        rel_dir, here = stack.pop()
        try:
            with os.scandir(here) as it:
                entries = sorted(it, key=lambda e: e.name)
        except FileNotFoundError:  # removed while we walk (a build still running)
            continue
        subdirs = []
        for e in entries:
            rel = f"{rel_dir}/{e.name}" if rel_dir else e.name
            check_parts(rel.split("/"))
            try:
                st = e.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            mode = stat.S_IFMT(st.st_mode)
            if mode == stat.S_IFDIR:
                if e.name not in skip and not (rel_dir == "" and e.name in skip_root):
                    subdirs.append((rel, Path(e.path)))
            elif mode in (stat.S_IFREG, stat.S_IFLNK):
                kind = "file" if mode == stat.S_IFREG else "link"
                size = st.st_blocks * 512 if kind == "file" else 0
                yield Entry(rel, Path(e.path), kind, size)
            elif allow_special:
                yield Entry(rel, Path(e.path), "special", 0)
            else:
                raise PathRefused(f"{shown(rel)} is {_KINDS.get(mode, 'a special file')}")
        for rel, path in subdirs:
            yield Entry(rel, path, "dir", 0)
        stack.extend(reversed(subdirs))


def tree_usage(root: Path, skip_root: Sequence[str] = ("node_modules",)) -> tuple[int, int]:
    """(bytes on disk, entries) under `root`; PathRefused for paths past the limits."""
    total = count = 0
    for e in scan_tree(root, (), skip_root=skip_root, allow_special=True):
        total += e.size
        count += 1
    return total, count


def remove_tree(root: Path) -> bool:
    """Delete `root` however deep or long its paths go (shutil.rmtree recurses, and absolute
    paths stop at PATH_MAX): walk by directory fds, one open at a time. True when it is gone."""
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
    try:
        fd = os.open(root, flags)
    except FileNotFoundError:
        return True
    except OSError:  # a file or a link, not a folder
        with contextlib.suppress(OSError):
            os.unlink(root)
        return not os.path.lexists(root)
    names: list[str] = []  # the path from root down to where fd is
    try:
        while True:
            child = _clear_files(fd)
            if child is not None:
                os.chmod(child, 0o700, dir_fd=fd)  # a build may have locked its folders
                nfd = os.open(child, flags, dir_fd=fd)
                os.close(fd)
                fd, names = nfd, [*names, child]
                continue
            if not names:
                break
            parent = os.open("..", flags, dir_fd=fd)
            os.close(fd)
            fd = parent
            os.rmdir(names.pop(), dir_fd=fd)
    except OSError:
        return False
    finally:
        os.close(fd)
    with contextlib.suppress(OSError):
        os.rmdir(root)
    return not os.path.lexists(root)


def _clear_files(fd: int) -> str | None:
    """Unlink every non-folder in the folder at `fd`; the name of a sub-folder, if any is left."""
    os.chmod(fd, 0o700)
    with os.scandir(fd) as it:
        entries = list(it)
    for e in entries:
        if e.is_dir(follow_symlinks=False):
            return e.name
        os.unlink(e.name, dir_fd=fd)
    return None
