"""Public entry point: turn a submission directory into a directory to serve, or a clear failure.

Order: copy into `work` (the original is never touched) → detect → node-semver manifest checks →
lockfile sources (`builders.lockfile`: registry or in-project only) → cached
`npm ci`/`npm install --ignore-scripts` (outside the sandbox, registry only) → the project's
own build in the bubblewrap sandbox (no network, read-only system, rlimits, wall timeout) →
find and vet the output.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import time
from pathlib import Path

from builders import detect
from builders.cache import NodeModulesCache
from builders.install import install
from builders.sandbox import (
    SANDBOX_ROOT,
    Limits,
    RunResult,
    bwrap_path,
    prepare_build_dir,
    run_command,
)
from builders.semver_checks import (
    EngineMismatch,
    ManifestError,
    check_engines,
    load_manifest,
    resolve_framework,
    toolchain,
    validate_dependencies,
)
from judge.schema import BuildInfo, BuildOutcome

MAX_OUTPUT_BYTES = 200 << 20
MAX_OUTPUT_FILES = 20_000
LOG_TAIL_CHARS = 4000
_VERDICT = {
    "ok": "ok",
    "skipped": "ok",
    "engine_mismatch": "build_failed",
    "invalid_manifest": "rejected",
    "install_failed": "build_failed",
    "build_failed": "build_failed",
    "build_timeout": "build_failed",
    "no_output": "build_failed",
    "output_too_large": "build_failed",
    "sandbox_violation": "rejected",
    "infra_error": "infra_error",
}
MIN_FREE_BYTES = 256 << 20
_ERROR_LINE = re.compile(r"error|failed|cannot|not found|ECONNREFUSED|ENOTFOUND|EAI_AGAIN", re.I)


class _Violation(Exception):
    pass


def _outcome(info: BuildInfo, site_dir: Path | None = None) -> BuildOutcome:
    return BuildOutcome(
        info=info,
        site_dir=site_dir,
        verdict_status=_VERDICT[info.status],  # type: ignore[arg-type]
        reason=info.reason,
    )


def _copy_project(src: Path, dst: Path) -> None:
    """Copy the submission (minus node_modules/.git); refuse symlinks that leave it."""
    base = src.resolve()
    for dirpath, dirnames, filenames in os.walk(src):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            if p.is_symlink():
                target = (p.parent / os.readlink(p)).resolve()
                if not target.is_relative_to(base):
                    rel = p.relative_to(src)
                    raise _Violation(f"symlink {rel} points outside the submission")
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, symlinks=True, ignore=shutil.ignore_patterns("node_modules", ".git"))


def _disk_nearly_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path).free < MIN_FREE_BYTES
    except OSError:
        return False


def _reason_from_log(log: str, fallback: str) -> str:
    lines = [ln.strip() for ln in log.splitlines() if ln.strip()]
    hits = [ln for ln in lines if _ERROR_LINE.search(ln) and not ln.startswith("at ")]
    pick = hits[:2] if hits else lines[-1:]
    text = " | ".join(pick)[:500]
    return f"{fallback}: {text}" if text else fallback


def _vet_output(site: Path) -> None:
    """Raise _Violation for links out of the output, ValueError when it is too large."""
    total, count = 0, 0
    base = site.resolve()
    for dirpath, dirnames, filenames in os.walk(site):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            if p.is_symlink() and not (p.parent / os.readlink(p)).resolve().is_relative_to(base):
                raise _Violation(f"build output links outside itself: {p.relative_to(site)}")
        for fn in filenames:
            count += 1
            total += os.lstat(os.path.join(dirpath, fn)).st_size
            if count > MAX_OUTPUT_FILES or total > MAX_OUTPUT_BYTES:
                raise ValueError(
                    f"build output exceeds {MAX_OUTPUT_FILES} files or {MAX_OUTPUT_BYTES >> 20} MB"
                )


async def _run_build(
    p: detect.Plan,
    build_dir: Path,
    node_modules: Path,
    cache: NodeModulesCache,
    key: str,
    limits: Limits,
    sandbox: bool,
) -> RunResult | None:
    """Run the project's build command (None if the cached tree could not be linked)."""
    async with cache.lock(key, shared=True):  # the entry may not be evicted mid-build
        if sandbox:
            await asyncio.to_thread(prepare_build_dir, build_dir)
            return await run_command(
                p.command,
                build_dir=build_dir,
                node_modules=node_modules,
                limits=limits,
                sandbox=True,
            )
        # No bind mounts without a sandbox: a hardlinked copy (cp -al) of the cached tree.
        proc = await asyncio.create_subprocess_exec(
            "cp", "-al", str(node_modules), str(build_dir / "node_modules")
        )
        if await proc.wait() != 0:
            return None
    return await run_command(
        p.command, build_dir=build_dir, node_modules=None, limits=limits, sandbox=False
    )


async def build_submission(
    root: Path,
    work: Path,
    *,
    unsafe_no_sandbox: bool = False,
    timeout: float = 180.0,
    cache_dir: Path | None = None,
) -> BuildOutcome:
    """Build (or pass through) the submission at `root`, working only inside `work`."""
    start = time.monotonic()
    root, work = Path(root), Path(work)
    manifest_path = root / "package.json"
    if not manifest_path.exists():
        p = detect.plan(root, None)
        if p.kind == "static":
            return _outcome(BuildInfo(status="skipped", tool="static"), p.site_dir)
        return _outcome(BuildInfo(status="build_failed", reason=p.reason))
    if manifest_path.is_symlink():
        return _outcome(BuildInfo(status="sandbox_violation", reason="package.json is a symlink"))

    try:
        manifest = load_manifest(root)
    except ManifestError as exc:
        return _outcome(BuildInfo(status="invalid_manifest", reason=str(exc)))
    p = detect.plan(root, manifest)
    if p.kind == "static":
        return _outcome(BuildInfo(status="skipped", tool="static"), p.site_dir)
    if p.kind == "unbuildable":
        return _outcome(BuildInfo(status="build_failed", tool=p.tool, reason=p.reason))

    info = {"tool": p.tool, "command": p.command_text}
    sandbox = not unsafe_no_sandbox
    info["sandbox"] = "bwrap" if sandbox else "none (--unsafe-no-sandbox)"
    notes: list[str] = []  # warnings that lead the log (e.g. lockfile entries without integrity)

    def done(status: str, site: Path | None = None, **kw) -> BuildOutcome:
        kw.setdefault("seconds", round(time.monotonic() - start, 3))
        if kw.get("log_tail"):
            kw["log_tail"] = kw["log_tail"][-LOG_TAIL_CHARS:]
        if notes:
            kw["log_tail"] = "\n".join([*notes, kw.get("log_tail") or ""]).rstrip("\n")
        return _outcome(BuildInfo(status=status, **{**info, **kw}), site)  # type: ignore[arg-type]

    try:
        validate_dependencies(manifest)
    except ManifestError as exc:
        return done("invalid_manifest", reason=str(exc))
    try:
        node, npm = await toolchain()
    except (OSError, ValueError) as exc:
        return done("infra_error", reason=f"node/npm not usable: {exc}")
    try:
        check_engines(manifest, node, npm)
    except EngineMismatch as exc:
        return done("engine_mismatch", reason=str(exc))
    except ManifestError as exc:
        return done("invalid_manifest", reason=str(exc))
    if sandbox and bwrap_path() is None:
        return done(
            "infra_error",
            reason="bubblewrap (bwrap) not found: refusing to run an untrusted build "
            "(install bubblewrap, or pass --unsafe-no-sandbox for trusted input)",
        )

    build_dir = work / "build"
    try:
        await asyncio.to_thread(_copy_project, root, build_dir)
    except _Violation as exc:
        return done("sandbox_violation", reason=str(exc))
    except OSError as exc:
        return done("infra_error", reason=f"could not copy the project: {exc}")

    try:
        cache = NodeModulesCache(cache_dir)
    except OSError as exc:
        return done("infra_error", reason=f"cache dir unusable: {exc}")
    try:
        inst = await install(build_dir, manifest, cache, node=node, npm=npm)
    except OSError as exc:
        return done("infra_error", reason=f"install could not run: {exc}")
    info["cache_hit"] = inst.cache_hit
    notes.extend(inst.warnings)
    if inst.status != "ok" or inst.node_modules is None:
        fw, ver = await resolve_framework(build_dir, manifest, None, use_registry=False)
        return done(
            inst.status, reason=inst.reason, log_tail=inst.log_tail, framework=fw,
            framework_version=ver,
        )  # fmt: skip
    fw, ver = await resolve_framework(build_dir, manifest, inst.node_modules)
    info.update(framework=fw, framework_version=ver)

    limits = Limits(timeout=timeout, cpu_seconds=max(600, int(timeout * 2)))
    try:
        res = await _run_build(p, build_dir, inst.node_modules, cache, inst.key, limits, sandbox)
    except OSError as exc:
        return done("infra_error", reason=f"could not run the build: {exc}")
    if res is None:
        return done("infra_error", reason="could not link cached node_modules")
    log = res.output_tail
    if res.timed_out:
        return done(
            "build_timeout", reason=f"build did not finish within {timeout:g} s", log_tail=log
        )
    if res.output_flood:
        return done(
            "build_failed",
            reason=f"build printed more than {limits.output_bytes >> 20} MB of output",
            log_tail=log,
        )
    if res.sandbox_started is False:
        # bwrap itself failed (no user namespaces, bad mount): the machine's fault, not the code's.
        return done("infra_error", reason=f"sandbox could not start: {log.strip()[:300]}")
    if res.returncode != 0 and _disk_nearly_full(build_dir):
        # Judged from the disk itself: the build's own output could claim ENOSPC to dodge a score.
        return done("infra_error", reason=_reason_from_log(log, "disk full during build"))
    if res.returncode != 0:
        reason = _reason_from_log(log, f"`{p.command_text}` exited with {res.returncode}")
        return done("build_failed", reason=reason, log_tail=log)

    site = detect.find_output(build_dir, p.out_dirs)
    if site is None:
        return done(
            "no_output",
            reason=f"build finished but no index.html in {', '.join(p.out_dirs[:4])}",
            log_tail=log,
        )
    try:
        await asyncio.to_thread(_vet_output, site)
    except _Violation as exc:
        return done("sandbox_violation", reason=str(exc), log_tail=log)
    except ValueError as exc:
        return done("output_too_large", reason=str(exc), log_tail=log)
    return done("ok", site, log_tail=log.replace(SANDBOX_ROOT + "/", ""))
