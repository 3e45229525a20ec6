"""The package store under FJUDGE_CACHE/mirror: unpacked npm tarballs, packuments and the lock.

Layout: `packages/<name>/<version>/` (the tarball's `package/` folder, unpacked) with a
`.fjudge-complete` marker written last, `packuments/<name>.json`, `lock.json`, `built/` (ES-module
bundles). Unpacking is the only place bytes from the registry reach the disk, so it is strict:
regular files and folders only (no symlinks, hard links, devices), every path validated and
kept inside the target, caps on members, per-file and total bytes; a package that breaks a rule
is refused whole. Files are written without execute bits and never run.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from judge.mirror.urls import clean_path, valid_name

MAX_MEMBERS = 20_000
MAX_FILE = 48 * 1024 * 1024
MAX_UNPACKED = 256 * 1024 * 1024
MARKER = ".fjudge-complete"


class UnsafePackage(Exception):
    """A tarball that breaks an unpacking rule (refused whole, nothing kept)."""


@dataclass(frozen=True)
class StoredPackage:
    name: str
    version: str
    bytes: int
    files: int


class Store:
    """Unpacked packages and cached packuments on disk."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.packages = self.root / "packages"
        self.packuments = self.root / "packuments"
        self.built = self.root / "built"

    def pkg_dir(self, name: str, version: str) -> Path:
        if not valid_name(name) or clean_path(version) != version or "/" in version:
            raise ValueError(f"invalid package {name!r}@{version!r}")
        return self.packages / name / version

    def has(self, name: str, version: str) -> bool:
        return (self.pkg_dir(name, version) / MARKER).is_file()

    def file(self, name: str, version: str, rel: str) -> Path | None:
        """A regular file inside the package (resolved, never through a link), or None."""
        base = self.pkg_dir(name, version)
        clean = clean_path(rel)
        if clean is None or not clean:
            return None
        target = base / clean
        try:
            real = target.resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        if not real.is_relative_to(base.resolve()) or target.is_symlink() or not real.is_file():
            return None
        return real

    def is_dir(self, name: str, version: str, rel: str) -> bool:
        clean = clean_path(rel)
        base = self.pkg_dir(name, version)
        return clean is not None and (base / clean).is_dir() and not (base / clean).is_symlink()

    def manifest(self, name: str, version: str) -> dict[str, Any]:
        path = self.file(name, version, "package.json")
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path else {}
        except (OSError, ValueError):
            data = {}
        return data if isinstance(data, dict) else {}

    # -- packuments -------------------------------------------------------------------------

    def _packument_path(self, name: str) -> Path:
        if not valid_name(name):
            raise ValueError(f"invalid package name {name!r}")
        return self.packuments / (name.replace("/", "__") + ".json")

    def load_packument(self, name: str) -> dict[str, Any] | None:
        try:
            return json.loads(self._packument_path(name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def save_packument(self, name: str, data: dict[str, Any]) -> None:
        slim = {
            "name": data.get("name"),
            "dist-tags": data.get("dist-tags", {}),
            "versions": {
                v: {"dist": (m or {}).get("dist", {})} for v, m in data["versions"].items()
            },
            "fetched": time.time(),
        }
        _atomic_write(self._packument_path(name), json.dumps(slim).encode())

    # -- unpacking --------------------------------------------------------------------------

    def install(self, name: str, version: str, tgz: bytes) -> Path:
        """Unpack a verified tarball into the store (idempotent; refuses unsafe tarballs)."""
        dest = self.pkg_dir(name, version)
        if (dest / MARKER).is_file():
            return dest
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".unpack-", dir=dest.parent))
        try:
            _unpack(tgz, tmp)
            (tmp / MARKER).write_text(f"{name}@{version}\n")
            if dest.exists():
                shutil.rmtree(dest, ignore_errors=True)
            os.replace(tmp, dest)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return dest

    # -- listing and pruning ----------------------------------------------------------------

    def list(self) -> list[StoredPackage]:
        out: list[StoredPackage] = []
        if not self.packages.is_dir():
            return out
        for marker in sorted(self.packages.glob(f"**/{MARKER}")):
            pkg = marker.parent
            rel = pkg.relative_to(self.packages).parts
            name, version = "/".join(rel[:-1]), rel[-1]
            files = [p for p in pkg.rglob("*") if p.is_file()]
            out.append(
                StoredPackage(name, version, sum(p.stat().st_size for p in files), len(files))
            )
        return out

    def remove(self, name: str, version: str) -> None:
        shutil.rmtree(self.pkg_dir(name, version), ignore_errors=True)

    def size(self) -> int:
        return sum(p.stat().st_size for p in self.root.rglob("*") if p.is_file())


def _unpack(tgz: bytes, dest: Path) -> None:
    total = 0
    try:
        tar = tarfile.open(fileobj=io.BytesIO(tgz), mode="r:gz")  # noqa: SIM115 (closed below)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise UnsafePackage(f"not a gzip tarball: {exc}") from exc
    with tar:
        for i, member in enumerate(tar):
            if i >= MAX_MEMBERS:
                raise UnsafePackage(f"more than {MAX_MEMBERS} members")
            if member.isdir():
                continue
            if not member.isreg():
                # Links, devices, FIFOs: a package never needs them on a CDN; refuse the lot.
                raise UnsafePackage(f"{member.name!r} is not a regular file")
            if member.name.startswith("/") or ".." in member.name.split("/"):
                raise UnsafePackage(f"unsafe member path {member.name!r}")
            # npm tarballs hold one top folder (usually `package/`); strip it.
            _top, _, inner = member.name.removeprefix("./").partition("/")
            rel = clean_path(inner)
            if not rel or rel != inner.strip("/") or rel == MARKER:
                raise UnsafePackage(f"unsafe member path {member.name!r}")
            if member.size > MAX_FILE:
                raise UnsafePackage(f"{rel}: {member.size} bytes is over the per-file cap")
            total += member.size
            if total > MAX_UNPACKED:
                raise UnsafePackage(f"over {MAX_UNPACKED} bytes unpacked")
            target = dest / rel
            if not target.resolve().is_relative_to(dest.resolve()):
                raise UnsafePackage(f"unsafe member path {member.name!r}")
            src = tar.extractfile(member)
            if src is None:
                raise UnsafePackage(f"{rel}: unreadable")
            target.parent.mkdir(parents=True, exist_ok=True)
            # O_EXCL + O_NOFOLLOW: a duplicate member or a planted link is an error, not a write.
            try:
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            except OSError as exc:
                raise UnsafePackage(f"{rel}: cannot be written ({exc.strerror})") from exc
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
