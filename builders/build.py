"""Public entry points: turn a submission directory into a directory to serve, or a clear failure.

`prepare_site` is what the Judge calls: an npm build when there is a package.json, else the
static site as is (`detect.static_outcome`). `build_submission` runs the stages of a build:
read the project (detect + node-semver manifest checks) → check the toolchain → copy into `work`
(the original is never touched) → lockfile sources (`builders.lockfile`: registry or in-project
only) and cached `npm ci`/`npm install --ignore-scripts` (outside the sandbox, registry only) →
the project's own build in the bubblewrap sandbox (no network, read-only system, rlimits, wall
timeout, disk quotas) → find and vet the output. A stage that fails raises `_Stop`; the driver
turns it into the outcome.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builders import detect
from builders.cache import NodeModulesCache
from builders.install import InstallResult, install
from builders.output import (
    Violation,
    copy_project,
    disk_nearly_full,
    out_of_space_reason,
    reason_from_log,
    vet_build_tree,
    vet_output,
)
from builders.paths import remove_tree
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

LOG_TAIL_CHARS = 4000
# Quotas for one build: its directory on disk (source, caches, output) and its RAM-backed /tmp.
TREE_QUOTA = 1 << 30
TMP_QUOTA = 512 << 20
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


def _outcome(info: BuildInfo, site_dir: Path | None = None) -> BuildOutcome:
    return BuildOutcome(
        info=info,
        site_dir=site_dir,
        verdict_status=_VERDICT[info.status],  # type: ignore[arg-type]
        reason=info.reason,
    )


class _Stop(Exception):
    """A stage ends the build with this status (and BuildInfo fields such as reason)."""

    def __init__(self, status: str, **fields: Any) -> None:
        super().__init__(status)
        self.status, self.fields = status, fields


@dataclass
class _Record:
    """What the stages learn along the way; becomes the BuildInfo."""

    start: float
    sandbox: bool
    info: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # warnings that lead the log

    def outcome(self, status: str, site: Path | None = None, **kw: Any) -> BuildOutcome:
        kw.setdefault("seconds", round(time.monotonic() - self.start, 3))
        if kw.get("log_tail"):
            kw["log_tail"] = kw["log_tail"][-LOG_TAIL_CHARS:]
        if self.notes:
            kw["log_tail"] = "\n".join([*self.notes, kw.get("log_tail") or ""]).rstrip("\n")
        return _outcome(BuildInfo(status=status, **{**self.info, **kw}), site)  # type: ignore[arg-type]


async def prepare_site(
    root: Path,
    entry: str,
    work: Path,
    *,
    unsafe_no_sandbox: bool = False,
    timeout: float = 180.0,
    cache_dir: Path | None = None,
) -> BuildOutcome:
    """The site to serve for the submission at `root`: its npm build when it has a package.json,
    else the static site (root or root/public holding `entry`), else build_failed/no_output."""
    root = Path(root)
    manifest = root / "package.json"
    if manifest.exists() or manifest.is_symlink():
        return await build_submission(
            root, work, unsafe_no_sandbox=unsafe_no_sandbox, timeout=timeout, cache_dir=cache_dir
        )
    return detect.static_outcome(root, entry)


async def build_submission(
    root: Path,
    work: Path,
    *,
    unsafe_no_sandbox: bool = False,
    timeout: float = 180.0,
    cache_dir: Path | None = None,
) -> BuildOutcome:
    """Build (or pass through) the submission at `root`, working only inside `work`."""
    root, work = Path(root), Path(work)
    read = _read_project(root)
    if isinstance(read, BuildOutcome):
        return read
    manifest, plan = read
    rec = _Record(start=time.monotonic(), sandbox=not unsafe_no_sandbox)
    rec.info.update(tool=plan.tool, command=plan.command_text)
    rec.info["sandbox"] = "bwrap" if rec.sandbox else "none (--unsafe-no-sandbox)"
    try:
        node, npm = await _check_toolchain(manifest, rec.sandbox)
        build_dir = await _copy_in(root, work)
        inst, cache = await _install(build_dir, manifest, cache_dir, node, npm, rec)
        res = await _build(plan, build_dir, inst, cache, timeout, rec)
        site = await _collect_output(plan, build_dir, res)
    except _Stop as stop:
        return rec.outcome(stop.status, **stop.fields)
    return rec.outcome("ok", site, log_tail=res.output_tail.replace(SANDBOX_ROOT + "/", ""))


def _read_project(root: Path) -> BuildOutcome | tuple[dict[str, Any], detect.Plan]:
    """The manifest and build plan, or the final outcome (static, unbuildable, invalid)."""
    manifest_path = root / "package.json"
    if not manifest_path.exists() and not manifest_path.is_symlink():
        return detect.static_outcome(root)
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
    return manifest, p


async def _check_toolchain(manifest: dict[str, Any], sandbox: bool) -> tuple[str, str]:
    """Dependencies valid, node and npm versions fit `engines`, the sandbox is available."""
    try:
        validate_dependencies(manifest)
    except ManifestError as exc:
        raise _Stop("invalid_manifest", reason=str(exc)) from None
    try:
        node, npm = await toolchain()
    except (OSError, ValueError) as exc:
        raise _Stop("infra_error", reason=f"node/npm not usable: {exc}") from None
    try:
        check_engines(manifest, node, npm)
    except EngineMismatch as exc:
        raise _Stop("engine_mismatch", reason=str(exc)) from None
    except ManifestError as exc:
        raise _Stop("invalid_manifest", reason=str(exc)) from None
    if sandbox and bwrap_path() is None:
        raise _Stop(
            "infra_error",
            reason="bubblewrap (bwrap) not found: refusing to run an untrusted build "
            "(install bubblewrap, or pass --unsafe-no-sandbox for trusted input)",
        )
    return node, npm


async def _copy_in(root: Path, work: Path) -> Path:
    """The project copied to work/build (minus node_modules/.git), vetted on the way."""
    build_dir = work / "build"
    try:
        await asyncio.to_thread(copy_project, root, build_dir)
    except Violation as exc:
        raise _Stop("sandbox_violation", reason=str(exc)) from None
    except OSError as exc:
        raise _Stop("infra_error", reason=f"could not copy the project: {exc.strerror}") from None
    return build_dir


async def _install(
    build_dir: Path,
    manifest: dict[str, Any],
    cache_dir: Path | None,
    node: str,
    npm: str,
    rec: _Record,
) -> tuple[InstallResult, NodeModulesCache]:
    """Cached node_modules for the project (npm --ignore-scripts on a miss)."""
    try:
        cache = NodeModulesCache(cache_dir)
    except OSError as exc:
        raise _Stop("infra_error", reason=f"cache dir unusable: {exc}") from None
    try:
        inst = await install(build_dir, manifest, cache, node=node, npm=npm)
    except OSError as exc:
        raise _Stop("infra_error", reason=f"install could not run: {exc}") from None
    rec.info["cache_hit"] = inst.cache_hit
    rec.notes.extend(inst.warnings)
    if inst.status != "ok" or inst.node_modules is None:
        fw, ver = await resolve_framework(build_dir, manifest, None, use_registry=False)
        raise _Stop(
            inst.status, reason=inst.reason, log_tail=inst.log_tail, framework=fw,
            framework_version=ver,
        )  # fmt: skip
    fw, ver = await resolve_framework(build_dir, manifest, inst.node_modules)
    rec.info.update(framework=fw, framework_version=ver)
    return inst, cache


async def _build(
    p: detect.Plan,
    build_dir: Path,
    inst: InstallResult,
    cache: NodeModulesCache,
    timeout: float,
    rec: _Record,
) -> RunResult:
    """Run the build command; _Stop for a timeout, flood, quota, sandbox failure or exit != 0."""
    limits = Limits(
        timeout=timeout,
        cpu_seconds=max(600, int(timeout * 2)),
        tree_bytes=TREE_QUOTA,
        tmp_bytes=TMP_QUOTA,
    )
    assert inst.node_modules is not None
    try:
        res = await _run(p, build_dir, inst.node_modules, cache, inst.key, limits, rec.sandbox)
    except OSError as exc:
        raise _Stop("infra_error", reason=f"could not run the build: {exc}") from None
    if res is None:
        raise _Stop("infra_error", reason="could not link cached node_modules")
    log = res.output_tail
    if res.limit_hit:
        await asyncio.to_thread(remove_tree, build_dir)  # nothing large is left behind
        raise _Stop(res.limit_status or "output_too_large", reason=res.limit_hit, log_tail=log)
    if res.timed_out:
        raise _Stop(
            "build_timeout", reason=f"build did not finish within {timeout:g} s", log_tail=log
        )
    if res.output_flood:
        reason = f"build printed more than {limits.output_bytes >> 20} MB of output"
        raise _Stop("build_failed", reason=reason, log_tail=log)
    if res.sandbox_started is False:
        # bwrap itself failed (no user namespaces, bad mount): the machine's fault, not the code's.
        raise _Stop("infra_error", reason=f"sandbox could not start: {log.strip()[:300]}")
    if res.returncode != 0 and disk_nearly_full(build_dir):
        # Judged from the disk itself: the build's own output could claim ENOSPC to dodge a score.
        raise _Stop("infra_error", reason=reason_from_log(log, "disk full during build"))
    if res.returncode != 0:
        fallback = f"`{p.command_text}` exited with {res.returncode}"
        reason = out_of_space_reason(log, limits) or reason_from_log(log, fallback)
        raise _Stop("build_failed", reason=reason, log_tail=log)
    return res


async def _run(
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


async def _collect_output(p: detect.Plan, build_dir: Path, res: RunResult) -> Path:
    """The built site, once the whole build tree and the output pass their checks."""
    log = res.output_tail
    limits = Limits(tree_bytes=TREE_QUOTA)
    try:
        # After the build, not only while it ran: writes between two watcher looks count too.
        await asyncio.to_thread(vet_build_tree, build_dir, limits)
    except Violation as exc:
        await asyncio.to_thread(remove_tree, build_dir)
        raise _Stop(exc.status, reason=str(exc), log_tail=log) from None
    site = detect.find_output(build_dir, p.out_dirs)
    if site is None:
        reason = f"build finished but no index.html in {', '.join(p.out_dirs[:4])}"
        raise _Stop("no_output", reason=reason, log_tail=log)
    try:
        await asyncio.to_thread(vet_output, site)
    except Violation as exc:
        raise _Stop(exc.status, reason=str(exc), log_tail=log) from None
    return site
