"""Safe intake of a submission: classify the input and unpack archives without escaping.

Archive rules (each violation → `IntakeRejected` with a clear message, nothing written outside
the target): no absolute member paths, no `..`, no symlinks or hard links, no device files,
at most `max_members` members and `max_bytes` unpacked bytes (checked while extracting, so a
lying header cannot smuggle a zip bomb through).
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from builders.paths import PathRefused, check_parts, scan_tree

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp"}
ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar")
MAX_MEMBERS = 5000
MAX_BYTES = 200 * 1024 * 1024
MAX_WRAPPERS = 64  # single folders around the site (never more than the path depth limit)
_CHUNK = 1 << 16
_ENVIRONMENT_ERRNOS = {
    errno.ENOSPC,
    errno.EDQUOT,
    errno.ENOMEM,
    errno.EMFILE,
    errno.ENFILE,
    errno.EIO,
    errno.EROFS,
}


class IntakeRejected(Exception):
    """The input is unsafe or unusable: becomes a `rejected` verdict with this message."""


@dataclass(frozen=True)
class Intake:
    """A submission on disk, ready for detection and building."""

    kind: str  # directory | html | archive | image
    root: Path  # directory holding the site (or the image file for kind=image)
    sha256: str
    name: str
    entry: str = "index.html"  # page to open, relative to root


def classify(path: Path) -> str:
    name = path.name.lower()
    if path.is_dir():
        return "directory"
    if name.endswith(ARCHIVE_SUFFIXES):
        return "archive"
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return "image"
    if path.suffix.lower() in (".html", ".htm"):
        return "html"
    raise IntakeRejected(
        f"unsupported input {path.name!r}: expected a directory, .html, .zip/.tar.gz/.tgz or image"
    )


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def tree_sha256(root: Path) -> str:
    """Hash of a directory's relative paths and contents (symlinks hashed by target text).

    Raises IntakeRejected for paths past the limits and for special files (FIFOs, sockets…).
    """
    h = hashlib.sha256()
    try:
        for e in scan_tree(root):
            if e.kind == "dir":
                continue
            h.update(e.rel.encode("utf-8", "surrogateescape") + b"\0")
            if e.kind == "link":
                h.update(b"L" + os.fsencode(os.readlink(e.path)))
            else:
                h.update(file_sha256(e.path).encode())
    except PathRefused as exc:
        raise IntakeRejected(f"unusable submission: {exc}") from None
    return h.hexdigest()


def _safe_member_path(target: Path, name: str) -> Path:
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise IntakeRejected(f"unsafe archive: absolute member path {name!r}")
    if any(part == ".." for part in pure.parts):
        raise IntakeRejected(f"unsafe archive: member {name!r} points outside the archive")
    try:
        check_parts([p for p in pure.parts if p not in ("", ".")])
    except PathRefused as exc:
        raise IntakeRejected(f"unusable archive: {exc}") from None
    dest = (target / pure).resolve()
    if not dest.is_relative_to(target.resolve()):
        raise IntakeRejected(f"unsafe archive: member {name!r} resolves outside the target")
    return dest


class _Budget:
    def __init__(self, max_members: int, max_bytes: int) -> None:
        self.members, self.bytes = 0, 0
        self.max_members, self.max_bytes = max_members, max_bytes

    def member(self) -> None:
        self.members += 1
        if self.members > self.max_members:
            raise IntakeRejected(f"archive has more than {self.max_members} members")

    def add(self, n: int) -> None:
        self.bytes += n
        if self.bytes > self.max_bytes:
            raise IntakeRejected(
                f"archive unpacks to more than {self.max_bytes // (1024 * 1024)} MB (zip bomb?)"
            )


def _clash(name: str) -> IntakeRejected:
    return IntakeRejected(
        f"unusable archive: member {name!r} clashes with another member "
        "(the same path twice, or a file and a folder of one name)"
    )


def _mkdir(dest: Path, name: str) -> None:
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise _clash(name) from None


def _copy_stream(src, dest: Path, budget: _Budget, name: str) -> None:
    _mkdir(dest.parent, name)
    # O_EXCL + O_NOFOLLOW: never write through a pre-existing link or over another member.
    try:
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except (FileExistsError, IsADirectoryError, NotADirectoryError):
        raise _clash(name) from None
    with os.fdopen(fd, "wb") as out:
        for chunk in iter(lambda: src.read(_CHUNK), b""):
            budget.add(len(chunk))
            out.write(chunk)


def _unzip(archive: Path, target: Path, budget: _Budget) -> None:
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            budget.member()
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise IntakeRejected(f"unsafe archive: member {info.filename!r} is a symlink")
            dest = _safe_member_path(target, info.filename)
            if info.is_dir():
                _mkdir(dest, info.filename)
                continue
            with zf.open(info) as src:
                _copy_stream(src, dest, budget, info.filename)


def _untar(archive: Path, target: Path, budget: _Budget) -> None:
    with tarfile.open(archive, "r:*") as tf:
        for m in tf:
            budget.member()
            if m.issym() or m.islnk():
                raise IntakeRejected(f"unsafe archive: member {m.name!r} is a link")
            if not (m.isfile() or m.isdir()):
                raise IntakeRejected(f"unsafe archive: member {m.name!r} is a special file")
            dest = _safe_member_path(target, m.name)
            if m.isdir():
                _mkdir(dest, m.name)
                continue
            src = tf.extractfile(m)
            if src is None:
                raise IntakeRejected(f"unreadable archive member {m.name!r}")
            with src:
                _copy_stream(src, dest, budget, m.name)


def unpack(
    archive: Path, target: Path, *, max_members: int = MAX_MEMBERS, max_bytes: int = MAX_BYTES
) -> Path:
    """Unpack `archive` into `target` (created empty). Returns the site root inside it."""
    target.mkdir(parents=True, exist_ok=True)
    budget = _Budget(max_members, max_bytes)
    try:
        if archive.name.lower().endswith(".zip"):
            _unzip(archive, target, budget)
        else:
            _untar(archive, target, budget)
    except IntakeRejected:
        shutil.rmtree(target, ignore_errors=True)
        raise
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error, NotImplementedError) as e:
        shutil.rmtree(target, ignore_errors=True)
        raise IntakeRejected(f"corrupt or unsupported archive: {e}") from e
    except OSError as exc:
        shutil.rmtree(target, ignore_errors=True)
        if exc.errno in _ENVIRONMENT_ERRNOS:
            raise  # disk full, too many open files…: the machine's fault, not the archive's
        # The message alone: the OS error's file name is a server path.
        raise IntakeRejected(f"corrupt archive: {exc.strerror or exc}") from exc
    return site_root(target)


def site_root(root: Path) -> Path:
    """The directory to serve or build: descend through single top-level folders."""
    for _ in range(MAX_WRAPPERS):
        entries = [p for p in root.iterdir() if not p.name.startswith((".", "__MACOSX"))]
        if not (len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink()):
            break
        root = entries[0]
    return root


def intake(path: Path, work: Path) -> Intake:
    """Classify `path`; unpack archives into `work`. Raises IntakeRejected."""
    if not path.exists():
        raise IntakeRejected(f"no such file or directory: {path}")
    kind = classify(path)
    name = path.name
    if kind == "directory":
        digest = tree_sha256(path)  # first: it refuses trees too deep to walk or copy
        return Intake(kind, site_root(path.resolve()), digest, name)
    digest = file_sha256(path)
    if kind == "archive":
        root = unpack(path, work / "unpacked")
        return Intake(kind, root, digest, name)
    if kind == "html":
        # A lone HTML file is served alone: its folder (maybe ~/Downloads) is not the submission.
        site = work / "site"
        site.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, site / "index.html")
        return Intake(kind, site, digest, name)
    return Intake(kind, path.resolve(), digest, name, entry="")
