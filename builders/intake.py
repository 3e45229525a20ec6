"""Safe intake of a submission: classify the input and unpack archives without escaping.

Archive rules (each violation → `IntakeRejected` with a clear message, nothing written outside
the target): no absolute member paths, no `..`, no symlinks or hard links, no device files,
at most `max_members` members and `max_bytes` unpacked bytes (checked while extracting, so a
lying header cannot smuggle a zip bomb through).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp"}
ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar")
MAX_MEMBERS = 5000
MAX_BYTES = 200 * 1024 * 1024
_CHUNK = 1 << 16


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
    """Hash of a directory's relative paths and contents (symlinks hashed by target text)."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in ("node_modules", ".git"))
        for fn in sorted(filenames):
            p = Path(dirpath) / fn
            rel = p.relative_to(root).as_posix()
            h.update(rel.encode() + b"\0")
            if p.is_symlink():
                h.update(b"L" + os.readlink(p).encode())
            elif p.is_file():
                h.update(file_sha256(p).encode())
    return h.hexdigest()


def _safe_member_path(target: Path, name: str) -> Path:
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise IntakeRejected(f"unsafe archive: absolute member path {name!r}")
    if any(part == ".." for part in pure.parts):
        raise IntakeRejected(f"unsafe archive: member {name!r} points outside the archive")
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


def _copy_stream(src, dest: Path, budget: _Budget) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL + O_NOFOLLOW: never write through a pre-existing link or over another member.
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
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
                dest.mkdir(parents=True, exist_ok=True)
                continue
            with zf.open(info) as src:
                _copy_stream(src, dest, budget)


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
                dest.mkdir(parents=True, exist_ok=True)
                continue
            src = tf.extractfile(m)
            if src is None:
                raise IntakeRejected(f"unreadable archive member {m.name!r}")
            with src:
                _copy_stream(src, dest, budget)


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
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise IntakeRejected(f"corrupt archive: {exc}") from exc
    return site_root(target)


def site_root(root: Path) -> Path:
    """The directory to serve or build: descend through a single top-level folder."""
    entries = [p for p in root.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink():
        return site_root(entries[0])
    return root


def intake(path: Path, work: Path) -> Intake:
    """Classify `path`; unpack archives into `work`. Raises IntakeRejected."""
    if not path.exists():
        raise IntakeRejected(f"no such file or directory: {path}")
    kind = classify(path)
    name = path.name
    if kind == "directory":
        return Intake(kind, site_root(path.resolve()), tree_sha256(path), name)
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
