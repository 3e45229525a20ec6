"""Hostile and broken projects: each test is named for the attack or fault it stops."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

import builders.build as build_mod
from builders import build_submission

pytestmark = pytest.mark.npm

WRITE_INDEX = (
    "require('fs').mkdirSync('dist', {recursive: true});"
    "require('fs').writeFileSync('dist/index.html', '<!doctype html><title>ok</title><p>ok</p>');"
)


def _run(*argv: str) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()


NODE_VERSION = _run("node", "--version").lstrip("v")
NPM_REGISTRY = _run("npm", "config", "get", "registry")


def existing(paths: list[Path]) -> list[str]:
    """The paths among `paths` that exist on the host."""
    return [str(p) for p in paths if p.exists()]


def marker_processes(marker: str) -> list[int]:
    """PIDs whose command line mentions marker."""
    pids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if marker.encode() in (d / "cmdline").read_bytes():
                    pids.append(int(d.name))
            except OSError:
                continue
    return pids


async def test_engines_mismatch_refused_with_reason(build_cache, write_project, tmp_path):
    src = write_project(
        tmp_path / "p",
        {"name": "p", "engines": {"node": ">=99"}, "scripts": {"build": "vite build"}},
        {"index.html": "<p>x</p>"},
    )
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    assert (out.verdict_status, out.info.status) == ("build_failed", "engine_mismatch")
    assert out.reason == f"engine mismatch: needs node >=99, have {NODE_VERSION}"


@pytest.mark.parametrize(
    ("spec", "needle"),
    [("^^18.2", "invalid version range for 'react'"), ("github:evil/repo", "outside the npm")],
)
async def test_invalid_or_remote_dependency_rejected(
    build_cache, write_project, tmp_path, spec, needle
):
    src = write_project(
        tmp_path / "p",
        {"name": "p", "scripts": {"build": "vite build"}, "dependencies": {"react": spec}},
        {"index.html": "<p>x</p>"},
    )
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    assert (out.verdict_status, out.info.status) == ("rejected", "invalid_manifest")
    assert needle in out.reason


async def test_dependency_postinstall_never_runs(build_cache, write_project, tmp_path):
    markers = {k: tmp_path / f"marker-{k}" for k in ("pre", "install", "post", "own", "prep")}

    def write(k: str) -> str:
        return f"node -e \"require('fs').writeFileSync('{markers[k]}', 'ran')\""

    dep = {
        "name": "evil-dep",
        "version": "1.0.0",
        "main": "index.js",
        "scripts": {
            "preinstall": write("pre"),
            "install": write("install"),
            "postinstall": write("post"),
        },
    }
    src = write_project(
        tmp_path / "p",
        {
            "name": "p",
            "scripts": {
                "postinstall": write("own"),
                "prepare": write("prep"),
                "build": "node build.js",
            },
            "dependencies": {"evil-dep": "file:./evil-dep"},
        },
        {
            "evil-dep/package.json": json.dumps(dep),
            "evil-dep/index.js": "module.exports = 'from-evil-dep'",
            "build.js": WRITE_INDEX
            + "require('fs').writeFileSync('dist/dep.txt', require('evil-dep'))",
        },
    )
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    assert out.verdict_status == "ok", (out.reason, out.info.log_tail)
    assert (out.site_dir / "dep.txt").read_text() == "from-evil-dep"  # installed, yet inert
    assert [m.name for m in markers.values() if m.exists()] == []


async def test_build_cannot_reach_network(build_cache, write_project, tmp_path):
    hits = []

    async def on_connect(reader, writer):
        hits.append(1)
        writer.close()

    server = await asyncio.start_server(on_connect, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    script = """
const urls = __URLS__;
(async () => {
  for (const u of urls) {
    try { await fetch(u); console.log('reached ' + u); }
    catch (e) { console.error('network error: ' + u + ' ' + (e.cause && e.cause.code)); process.exit(1); }
  }
  __WRITE_INDEX__
})();
""".replace("__URLS__", json.dumps([f"http://127.0.0.1:{port}/", NPM_REGISTRY])).replace(
        "__WRITE_INDEX__", WRITE_INDEX
    )
    src = write_project(
        tmp_path / "p", {"name": "p", "scripts": {"build": "node build.js"}}, {"build.js": script}
    )
    try:
        out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    finally:
        server.close()
        await server.wait_closed()
    assert (out.verdict_status, out.info.status) == ("build_failed", "build_failed")
    assert "network error" in out.reason and "ECONNREFUSED" in out.reason
    assert hits == []


async def test_build_that_sleeps_forever_times_out_and_leaves_no_process(
    build_cache, write_project, tmp_path
):
    marker = f"fjudge-sleeper-{uuid.uuid4().hex}"
    script = (
        "const {spawn} = require('child_process');"
        "spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)', process.argv[2]],"
        " {detached: true, stdio: 'ignore'}).unref();"
        "setInterval(() => {}, 1e6);"
    )
    src = write_project(
        tmp_path / "p",
        {"name": "p", "scripts": {"build": f"node build.js {marker}"}},
        {"build.js": script},
    )
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache, timeout=4)
    assert (out.verdict_status, out.info.status) == ("build_failed", "build_timeout")
    assert "4 s" in out.reason
    assert out.info.seconds < 60  # bounded by the limit, not by the sleeper
    # The detached sleeper lives in the build's PID namespace, which the kernel empties when
    # the namespace's init dies (after bwrap is killed): asynchronously, so on a loaded machine
    # it may take a moment. It must be gone within seconds, not outlive the build.
    deadline = time.monotonic() + 10
    for _ in range(200):
        if not marker_processes(marker) or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.05)
    assert marker_processes(marker) == []


async def test_build_writes_outside_its_directory_do_not_land(build_cache, write_project, tmp_path):
    other = tmp_path / "other-submission"
    other.mkdir()
    (other / "secret.txt").write_text("other submission's secret")
    tag = uuid.uuid4().hex
    writes = [
        str(tmp_path / "outside-marker"),  # the host path next to the work dir
        str(tmp_path / "w" / "escape-marker"),  # the work dir itself, above build/
        str(build_cache / "poison"),
        f"/tmp/fjudge-escape-{tag}",
        "../escape-relative",
        "node_modules/poison",  # the cached tree is mounted read-only
        str(Path.home() / f"fjudge-escape-{tag}"),
    ]
    reads = [str(other / "secret.txt"), str(Path.home() / ".npmrc"), str(build_cache)]
    script = """
const fs = require('fs'), path = require('path');
const cfg = JSON.parse(fs.readFileSync('targets.json', 'utf8'));
const res = {};
for (const p of cfg.write) {
  try { fs.mkdirSync(path.dirname(p), {recursive: true}); fs.writeFileSync(p, 'pwned'); res[p] = 'written'; }
  catch (e) { res[p] = e.code; }
}
for (const p of cfg.read) {
  try { fs.readFileSync(p); res[p] = 'read'; } catch (e) { res[p] = e.code; }
}
__WRITE_INDEX__
fs.writeFileSync('dist/results.json', JSON.stringify(res));
""".replace("__WRITE_INDEX__", WRITE_INDEX)
    src = write_project(
        tmp_path / "p",
        {"name": "p", "scripts": {"build": "node build.js"}},
        {"build.js": script, "targets.json": json.dumps({"write": writes, "read": reads})},
    )
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    assert out.verdict_status == "ok", (out.reason, out.info.log_tail)
    results = json.loads((out.site_dir / "results.json").read_text())
    host = [Path(p) for p in writes if os.path.isabs(p)] + [tmp_path / "w" / "escape-relative"]
    landed = existing(host) + [str(p) for p in build_cache.rglob("poison")]
    assert landed == []
    assert [p for p in reads if results[p] == "read"] == []


async def test_build_output_flood_is_stopped(build_cache, write_project, tmp_path):
    src = write_project(
        tmp_path / "p",
        {"name": "p", "scripts": {"build": "node flood.js"}},
        {"flood.js": "const s = 'x'.repeat(65536); for (;;) require('fs').writeSync(1, s);"},
    )
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    assert out.info.status == "build_failed" and "MB of output" in out.reason
    assert len(out.info.log_tail) <= 4000


async def test_output_symlink_out_of_site_is_a_violation(build_cache, write_project, tmp_path):
    src = write_project(
        tmp_path / "p",
        {"name": "p", "scripts": {"build": "node build.js"}},
        {"build.js": WRITE_INDEX + "require('fs').symlinkSync('/etc/passwd', 'dist/passwd');"},
    )
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    assert (out.verdict_status, out.info.status) == ("rejected", "sandbox_violation")


async def test_submission_symlink_out_is_a_violation(build_cache, write_project, tmp_path):
    src = write_project(
        tmp_path / "p", {"name": "p", "scripts": {"build": "node build.js"}}, {"build.js": ""}
    )
    (src / "secret").symlink_to("/etc/passwd")
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    assert (out.verdict_status, out.info.status) == ("rejected", "sandbox_violation")
    assert "secret" in out.reason


async def test_build_without_output_is_no_output(build_cache, write_project, tmp_path):
    src = write_project(
        tmp_path / "p", {"name": "p", "scripts": {"build": "node -e 0"}}, {"src/a.js": ""}
    )
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    assert (out.verdict_status, out.info.status) == ("build_failed", "no_output")


async def test_missing_package_is_install_failed(build_cache, write_project, tmp_path):
    name = f"fjudge-no-such-package-{uuid.uuid4().hex[:12]}"
    src = write_project(
        tmp_path / "p",
        {"name": "p", "scripts": {"build": "vite build"}, "dependencies": {name: "1.0.0"}},
        {"index.html": "<p>x</p>"},
    )
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    assert (out.verdict_status, out.info.status) == ("build_failed", "install_failed")
    assert "E404" in out.reason


async def test_no_bubblewrap_refuses_untrusted_build(
    build_cache, write_project, tmp_path, monkeypatch
):
    monkeypatch.setenv("FJUDGE_BWRAP", str(tmp_path / "no-bwrap-here"))
    src = write_project(
        tmp_path / "p", {"name": "p", "scripts": {"build": "node build.js"}}, {"build.js": ""}
    )
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    assert (out.verdict_status, out.info.status) == ("infra_error", "infra_error")
    assert "--unsafe-no-sandbox" in out.reason


async def test_static_site_is_served_as_is(build_cache, write_project, tmp_path):
    src = write_project(tmp_path / "p", {"name": "p"}, {"public/index.html": "<p>x</p>"})
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    assert (out.verdict_status, out.info.status, out.info.tool) == ("ok", "skipped", "static")
    assert out.site_dir == src / "public"


async def test_build_claiming_sandbox_failure_still_counts_as_build_failed(
    build_cache, write_project, tmp_path
):
    # Faking bwrap's error text must not turn a broken build into a skipped (infra) verdict.
    script = "echo 'bwrap: Creating new namespace failed' && echo ENOSPC && exit 1"
    src = write_project(tmp_path / "p", {"name": "p", "scripts": {"build": script}}, {})
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    assert (out.verdict_status, out.info.status) == ("build_failed", "build_failed")


async def test_broken_sandbox_is_infra_error(build_cache, write_project, tmp_path, monkeypatch):
    monkeypatch.setenv("FJUDGE_BWRAP", "/bin/false")  # a bwrap that never starts the build
    src = write_project(tmp_path / "p", {"name": "p", "scripts": {"build": "node -e 0"}}, {})
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    assert (out.verdict_status, out.info.status) == ("infra_error", "infra_error")
    assert out.reason.startswith("sandbox could not start")


# -- unusable files and paths: the submission's fault (rejected), never infra_error ----------


async def test_fifo_in_npm_project_is_rejected_not_infra_error(
    build_cache, write_project, tmp_path
):
    src = write_project(
        tmp_path / "p", {"name": "p", "scripts": {"build": "node -e 0"}}, {"build.js": ""}
    )
    os.mkfifo(src / "src.js")  # copytree used to fail on it with an OSError (infra_error)
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    assert (out.verdict_status, out.info.status) == ("rejected", "sandbox_violation")
    assert "FIFO" in out.reason


async def test_symlink_loop_in_project_is_rejected(build_cache, write_project, tmp_path):
    src = write_project(tmp_path / "p", {"name": "p", "scripts": {"build": "node -e 0"}}, {})
    (src / "a").symlink_to("b")
    (src / "b").symlink_to("a")
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    assert (out.verdict_status, out.info.status) == ("rejected", "sandbox_violation")


async def test_build_making_a_1000_level_tree_is_a_violation_and_removed(
    build_cache, write_project, tmp_path
):
    script = (
        WRITE_INDEX + "require('fs').mkdirSync('deep/' + 'd/'.repeat(1000), {recursive: true});"
    )
    src = write_project(
        tmp_path / "p", {"name": "p", "scripts": {"build": "node build.js"}}, {"build.js": script}
    )
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    assert (out.verdict_status, out.info.status) == ("rejected", "sandbox_violation")
    assert "levels deep" in out.reason
    shutil.rmtree(tmp_path / "w")  # recursive: would raise RecursionError on what was made


async def test_fifo_in_build_output_is_a_violation(build_cache, write_project, tmp_path):
    src = write_project(
        tmp_path / "p",
        {"name": "p", "scripts": {"build": "node build.js && mkfifo dist/app.js"}},
        {"build.js": WRITE_INDEX},
    )
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    assert (out.verdict_status, out.info.status) == ("rejected", "sandbox_violation")
    assert "FIFO" in out.reason


# -- disk quotas: the build dir on disk and the RAM-backed /tmp -------------------------------


def _du(path: Path) -> int:
    return sum(os.lstat(p).st_blocks * 512 for p in path.rglob("*") if not p.is_symlink())


async def test_build_writing_past_its_disk_quota_is_killed_and_cleaned(
    build_cache, write_project, tmp_path, monkeypatch
):
    monkeypatch.setattr(build_mod, "TREE_QUOTA", 64 << 20)
    # Writes up to 400 MB in 8 MB files, then would hang: only the quota watcher can stop it
    # early (without it: 400 MB on disk and a build_timeout).
    script = (
        "const fs = require('fs'); fs.mkdirSync('junk');"
        "const b = Buffer.alloc(8 << 20, 120);"
        "for (let i = 0; i < 50; i++) fs.writeFileSync('junk/' + i, b);"
        "setInterval(() => {}, 1e6);"
    )
    src = write_project(
        tmp_path / "p", {"name": "p", "scripts": {"build": "node fill.js"}}, {"fill.js": script}
    )
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache, timeout=120)
    assert (out.verdict_status, out.info.status) == ("build_failed", "output_too_large")
    assert "more than 64 MB" in out.reason
    assert _du(tmp_path / "w") < 8 << 20  # nothing large left behind


async def test_build_ending_over_its_disk_quota_is_refused_and_cleaned(
    build_cache, write_project, tmp_path, monkeypatch
):
    # The post-check: a burst that ends between two looks of the watcher is measured too.
    monkeypatch.setattr(build_mod, "TREE_QUOTA", 16 << 20)
    script = WRITE_INDEX + "require('fs').writeFileSync('dist/big.bin', Buffer.alloc(24 << 20, 1));"
    src = write_project(
        tmp_path / "p", {"name": "p", "scripts": {"build": "node build.js"}}, {"build.js": script}
    )
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    assert (out.verdict_status, out.info.status) == ("build_failed", "output_too_large")
    assert "more than 16 MB" in out.reason
    assert _du(tmp_path / "w") < 8 << 20


async def test_build_filling_tmp_past_its_quota_fails_with_reason(
    build_cache, write_project, tmp_path, monkeypatch
):
    monkeypatch.setattr(build_mod, "TMP_QUOTA", 32 << 20)
    script = (
        "const fs = require('fs'), os = require('os');"
        "const b = Buffer.alloc(16 << 20, 120);"
        "for (let i = 0; i < 4; i++) fs.writeFileSync(os.tmpdir() + '/fill' + i, b);" + WRITE_INDEX
    )
    src = write_project(
        tmp_path / "p", {"name": "p", "scripts": {"build": "node fill.js"}}, {"fill.js": script}
    )
    out = await build_submission(src, tmp_path / "w", cache_dir=build_cache)
    assert (out.verdict_status, out.info.status) == ("build_failed", "build_failed"), out.reason
    assert "/tmp is capped at 32 MB" in out.reason
