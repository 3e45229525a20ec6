"""node_modules cache: one installed tree per (lockfile or dependency maps, node, npm, platform).

Layout under the cache dir (`FJUDGE_CACHE`, default `~/.cache/fjudge`):
  node_modules/<key>/node_modules   the installed tree (complete once meta.json exists)
  node_modules/<key>/meta.json      size, creation time, what the key was made of
  locks/<key>.lock                  flock: exclusive to install or evict, shared while in use
  npm/                              npm's own download cache (`--cache`)

Entries are immutable once stored: sandboxed builds bind them read-only, unsafe builds get a
hardlinked copy. Least-recently-used entries (not in use) are evicted past the size cap.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import json
import os
import platform
import shutil
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from builders.intake import file_sha256
from builders.sandbox import NODE_MODULES_WRITABLE
from builders.semver_checks import DEP_FIELDS

KEY_VERSION = "1"
LOCKFILES = ("npm-shrinkwrap.json", "package-lock.json")
DEFAULT_MAX_BYTES = 8 << 30


def default_cache_dir() -> Path:
    """FJUDGE_CACHE, else $XDG_CACHE_HOME/fjudge, else ~/.cache/fjudge."""
    env = os.environ.get("FJUDGE_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "fjudge"


def lockfile_of(project: Path) -> Path | None:
    """The npm lockfile that `npm ci` would use, if any."""
    for name in LOCKFILES:
        p = project / name
        if p.is_file() and not p.is_symlink():
            return p
    return None


def local_dep_paths(manifest: dict[str, Any]) -> list[str]:
    """Relative paths of `file:`/`link:` dependencies (already validated to stay inside)."""
    out = []
    for fld in DEP_FIELDS:
        for spec in (manifest.get(fld) or {}).values():
            if isinstance(spec, str) and spec.startswith(("file:", "link:")):
                out.append(spec.split(":", 1)[1])
            elif isinstance(spec, str) and spec.startswith("."):
                out.append(spec)
    return sorted(set(out))


def cache_key(project: Path, manifest: dict[str, Any], node: str, npm: str) -> tuple[str, dict]:
    """Hash naming the installed tree this project needs, and what went into it."""
    parts: dict[str, Any] = {
        "v": KEY_VERSION,
        "node": node,
        "npm": npm,
        "platform": f"{platform.system()}-{platform.machine()}",
    }
    lock = lockfile_of(project)
    if lock is not None:
        parts["lockfile"] = file_sha256(lock)
    # The manifest's dependency maps matter even with a lockfile (npm ci refuses a stale one).
    parts["deps"] = {f: manifest.get(f) or {} for f in (*DEP_FIELDS, "overrides")}
    local = {}
    for rel in local_dep_paths(manifest):
        p = project / rel
        target = p / "package.json" if p.is_dir() else p
        local[rel] = file_sha256(target) if target.is_file() else None
    parts["local"] = local
    blob = json.dumps(parts, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(blob).hexdigest()[:32], parts


def tree_size(root: Path) -> int:
    """Bytes used by the regular files under root (hardlinks counted once)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for dirpath, _dirs, files in os.walk(root):
        for fn in files:
            with contextlib.suppress(OSError):
                st = os.lstat(os.path.join(dirpath, fn))
                if (st.st_dev, st.st_ino) not in seen:
                    seen.add((st.st_dev, st.st_ino))
                    total += st.st_size
    return total


def _make_readable(root: Path) -> None:
    # The sandboxed build runs as nobody: every cached file must be world-readable.
    for dirpath, dirs, files in os.walk(root):
        for name in dirs + files:
            p = os.path.join(dirpath, name)
            with contextlib.suppress(OSError):
                st = os.lstat(p)
                if not os.path.islink(p):
                    os.chmod(p, (st.st_mode | 0o444 | (0o111 if st.st_mode & 0o111 else 0)) & 0o755)
    os.chmod(root, 0o755)


class NodeModulesCache:
    """The node_modules cache in one directory (safe across processes via flock)."""

    def __init__(self, root: Path | None = None, max_bytes: int | None = None) -> None:
        self.root = (root or default_cache_dir()).expanduser().resolve()
        env_cap = os.environ.get("FJUDGE_CACHE_MAX_BYTES")
        self.max_bytes = max_bytes or (int(env_cap) if env_cap else DEFAULT_MAX_BYTES)
        self.entries = self.root / "node_modules"
        self.locks = self.root / "locks"
        self.staging = self.root / "staging"
        npm_env = os.environ.get("FJUDGE_NPM_CACHE")
        self.npm_cache = Path(npm_env).expanduser() if npm_env else self.root / "npm"
        for d in (self.entries, self.locks, self.staging, self.npm_cache):
            d.mkdir(parents=True, exist_ok=True)

    def entry(self, key: str) -> Path:
        """Directory of a cache entry (its tree is entry/node_modules)."""
        return self.entries / key

    def lookup(self, key: str) -> Path | None:
        """The cached node_modules for key (marking it recently used), or None."""
        e = self.entry(key)
        if not (e / "meta.json").is_file():
            return None
        with contextlib.suppress(OSError):
            os.utime(e / "meta.json")
        return e / "node_modules"

    @contextlib.asynccontextmanager
    async def lock(self, key: str, *, shared: bool) -> AsyncIterator[None]:
        """flock on the key: exclusive to install, shared while a build uses the entry."""
        fd = os.open(self.locks / f"{key}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        op = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB
        try:
            delay = 0.02
            while True:
                try:
                    fcntl.flock(fd, op)
                    break
                except BlockingIOError:
                    # Poll rather than block a thread: a cancelled build must not leak a waiter.
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 0.5)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def new_staging(self) -> Path:
        """A fresh directory to install into before the tree is stored."""
        d = self.staging / uuid.uuid4().hex
        d.mkdir(parents=True)
        return d

    async def store(self, key: str, node_modules: Path, parts: dict) -> Path:
        """Move an installed tree into the cache (caller holds the exclusive lock)."""
        return await asyncio.to_thread(self._store_sync, key, node_modules, parts)

    def _store_sync(self, key: str, node_modules: Path, parts: dict) -> Path:
        e = self.entry(key)
        if e.exists():
            shutil.rmtree(e)
        tmp = self.entries / f".tmp-{key}-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        node_modules.mkdir(exist_ok=True)  # a project without dependencies still gets a tree
        for d in NODE_MODULES_WRITABLE:  # mount points for the sandbox's private tmpfs
            (node_modules / d).mkdir(exist_ok=True)
        _make_readable(node_modules)
        os.replace(node_modules, tmp / "node_modules")
        meta = {"size": tree_size(tmp), "created": time.time(), "key": parts}
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1))
        os.chmod(tmp, 0o755)
        os.replace(tmp, e)
        return e / "node_modules"

    def total_size(self) -> int:
        """Bytes recorded for all complete entries."""
        return sum(s for _k, s, _t in self._entries_meta())

    def _entries_meta(self) -> list[tuple[str, int, float]]:
        out = []
        for e in self.entries.iterdir():
            meta = e / "meta.json"
            with contextlib.suppress(OSError, ValueError):
                size = int(json.loads(meta.read_text())["size"])
                out.append((e.name, size, meta.stat().st_mtime))
        return out

    def evict(self, keep: str | None = None) -> list[str]:
        """Drop least-recently-used entries not in use until under the size cap."""
        metas = sorted(self._entries_meta(), key=lambda m: m[2])
        total = sum(m[1] for m in metas)
        evicted = []
        for key, size, _t in metas:
            if total <= self.max_bytes:
                break
            if key == keep:
                continue
            fd = os.open(self.locks / f"{key}.lock", os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue  # in use by a build
            try:
                trash = self.entries / f".trash-{key}-{uuid.uuid4().hex[:8]}"
                os.replace(self.entry(key), trash)
                shutil.rmtree(trash, ignore_errors=True)
                total -= size
                evicted.append(key)
            finally:
                os.close(fd)
        return evicted
