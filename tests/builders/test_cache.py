"""node_modules cache: keys, LRU eviction, locking, concurrent installs of one key."""

from __future__ import annotations

import asyncio
import json
import os

import pytest

from builders import build_submission
from builders.cache import NodeModulesCache, cache_key


def test_key_depends_on_lockfile_deps_and_toolchain(tmp_path):
    m = {"dependencies": {"react": "^19"}}
    k1, _ = cache_key(tmp_path, m, "20.20.2", "11.1.0")
    assert cache_key(tmp_path, dict(m), "20.20.2", "11.1.0")[0] == k1
    assert cache_key(tmp_path, m, "22.0.0", "11.1.0")[0] != k1
    assert cache_key(tmp_path, {"dependencies": {"react": "^18"}}, "20.20.2", "11.1.0")[0] != k1
    (tmp_path / "package-lock.json").write_text('{"lockfileVersion": 3}')
    assert cache_key(tmp_path, m, "20.20.2", "11.1.0")[0] != k1
    # An in-project file: dependency's manifest is part of the key.
    m2 = {"dependencies": {"lib": "file:./lib"}}
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "package.json").write_text('{"name": "lib", "version": "1.0.0"}')
    k2, _ = cache_key(tmp_path, m2, "20.20.2", "11.1.0")
    (tmp_path / "lib" / "package.json").write_text('{"name": "lib", "version": "2.0.0"}')
    assert cache_key(tmp_path, m2, "20.20.2", "11.1.0")[0] != k2


async def _fake_entry(cache: NodeModulesCache, key: str, size: int) -> None:
    nm = cache.new_staging() / "node_modules"
    (nm / "pkg").mkdir(parents=True)
    (nm / "pkg" / "blob").write_bytes(b"x" * size)
    await cache.store(key, nm, {"fake": key})


async def test_lru_eviction_skips_entries_in_use(tmp_path):
    cache = NodeModulesCache(tmp_path / "c", max_bytes=250_000)
    for i, key in enumerate(["old", "used", "mid", "new"]):
        await _fake_entry(cache, key, 100_000)
        stamp = 1_000_000 + i  # deterministic recency order
        os.utime(cache.entry(key) / "meta.json", (stamp, stamp))
    assert cache.lookup("used") is not None  # touched: now the most recent
    async with cache.lock("mid", shared=True):  # a build is using "mid"
        evicted = cache.evict()
    # Oldest first; "mid" is in use so it stays; "used" was looked up last so it stays.
    assert evicted == ["old", "new"]
    assert cache.total_size() == 200_000
    assert cache.lookup("mid") is not None and cache.lookup("used") is not None
    await _fake_entry(cache, "newest", 100_000)
    assert cache.evict(keep="newest") == ["mid"]  # the just-stored entry is never evicted


async def test_entries_are_readable_and_have_tmpfs_mount_points(tmp_path):
    cache = NodeModulesCache(tmp_path / "c")
    await _fake_entry(cache, "k", 10)
    nm = cache.lookup("k")
    assert (nm / ".vite-temp").is_dir() and (nm / ".cache").is_dir()
    assert os.stat(nm / "pkg" / "blob").st_mode & 0o004
    assert json.loads((cache.entry("k") / "meta.json").read_text())["size"] == 10


@pytest.mark.npm
async def test_concurrent_builds_of_one_key_install_once(tmp_path, write_project):
    cache_dir = tmp_path / "fresh-cache"
    pkg = {
        "name": "p",
        "scripts": {"build": "node build.js"},
        "dependencies": {"is-number": "7.0.0"},
    }
    build = (
        "const fs = require('fs'); fs.mkdirSync('dist', {recursive: true});"
        "fs.writeFileSync('dist/index.html', String(require('is-number')(5)));"
    )
    srcs = [write_project(tmp_path / f"p{i}", pkg, {"build.js": build}) for i in range(3)]
    outs = await asyncio.gather(
        *(build_submission(s, tmp_path / f"w{i}", cache_dir=cache_dir) for i, s in enumerate(srcs))
    )
    assert [o.verdict_status for o in outs] == ["ok"] * 3, [o.reason for o in outs]
    assert sorted(o.info.cache_hit for o in outs) == [False, True, True]
    assert {(o.site_dir / "index.html").read_text() for o in outs} == {"true"}
    assert len(list((cache_dir / "node_modules").iterdir())) == 1
