"""Install a project's dependencies into the node_modules cache with npm.

Runs outside the no-network sandbox (it needs the registry) but never runs package code:
always `--ignore-scripts`. Only package.json, the lockfile and in-project `file:` dependencies
are staged, so a submission's own `.npmrc` cannot redirect the registry, the cache or a shell;
the registry is whatever the user's npm configuration names.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from builders.cache import LOCKFILES, NodeModulesCache, cache_key, local_dep_paths, lockfile_of
from builders.lockfile import check_project_lockfiles, registry_config
from builders.sandbox import Limits, run_command
from builders.semver_checks import ManifestError

NPM_FLAGS = ["--ignore-scripts", "--no-audit", "--no-fund", "--no-progress", "--prefer-offline"]
# npm error codes that mean the environment failed, not the submission.
_INFRA_CODES = {
    "ENOTFOUND",
    "EAI_AGAIN",
    "ECONNREFUSED",
    "ECONNRESET",
    "ETIMEDOUT",
    "ESOCKETTIMEDOUT",
    "ENETUNREACH",
    "EHOSTUNREACH",
    "ENOSPC",
    "EDQUOT",
    "EMFILE",
    "E500",
    "E502",
    "E503",
    "E504",
    "E429",
}
_CODE_RE = re.compile(r"npm (?:ERR!|error) code (\S+)")
_INFRA_TEXT = re.compile(r"network request to .* failed|socket hang up|ENOSPC|no space left", re.I)


@dataclass
class InstallResult:
    """Outcome of making node_modules available for a project."""

    status: Literal["ok", "install_failed", "infra_error", "invalid_manifest"]
    node_modules: Path | None = None
    key: str = ""
    cache_hit: bool = False
    reason: str | None = None
    log_tail: str = ""
    command: str = ""
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


def classify_npm_failure(log: str) -> tuple[Literal["install_failed", "infra_error"], str]:
    """Map an npm failure to (status, reason): registry/disk trouble is the environment's fault."""
    codes = _CODE_RE.findall(log)
    code = codes[-1] if codes else None
    summary = _summary(log)
    if (code and code in _INFRA_CODES) or _INFRA_TEXT.search(log):
        return "infra_error", f"npm registry/disk unavailable ({code or 'network'}): {summary}"
    return "install_failed", f"npm install failed ({code or 'error'}): {summary}"


def _summary(log: str) -> str:
    lines = [
        ln.split("error", 1)[-1].strip(" :")
        for ln in log.splitlines()
        if ln.startswith(("npm error", "npm ERR!")) and " code " not in ln
    ]
    lines = [ln for ln in lines if ln and not ln.startswith(("A complete log", "/"))]
    text = " ".join(lines[:3])
    if not text:
        rest = log.strip().splitlines()
        text = rest[-1] if rest else "no output"
    return text[:400]


def _stage(project: Path, manifest: dict[str, Any], staging: Path) -> None:
    shutil.copyfile(project / "package.json", staging / "package.json")
    lock = lockfile_of(project)
    if lock is not None:
        shutil.copyfile(lock, staging / lock.name)
    for rel in local_dep_paths(manifest):
        src, dst = project / rel, staging / rel
        if src.is_symlink() or not src.exists():
            continue  # npm reports the missing dependency itself
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            # yarn/pnpm lockfiles are never checked (builders.lockfile), so npm must not see them.
            skip = shutil.ignore_patterns("node_modules", "yarn.lock", "pnpm-lock.yaml")
            shutil.copytree(src, dst, symlinks=True, ignore=skip)
        else:
            shutil.copyfile(src, dst)


async def _npm(args: list[str], cwd: Path, cache: NodeModulesCache, timeout: float):
    # The user's environment (and so their npm config and registry), minus colour and prompts.
    env = dict(os.environ)
    env.update(npm_config_update_notifier="false", NO_COLOR="1", CI="true")
    env.pop("npm_config_offline", None)
    limits = Limits(timeout=timeout, cpu_seconds=int(timeout) * 2, file_size=1 << 30)
    argv = ["npm", *args, *NPM_FLAGS, "--cache", str(cache.npm_cache)]
    return argv, await run_command(
        argv, build_dir=cwd, node_modules=None, limits=limits, sandbox=False, raw_env=env
    )


async def install(
    project: Path,
    manifest: dict[str, Any],
    cache: NodeModulesCache,
    *,
    node: str,
    npm: str,
    timeout: float = 300.0,
) -> InstallResult:
    """Return a cached node_modules for the project, installing it first on a miss."""
    start = time.monotonic()
    try:
        # Before npm sees the lockfile: every `resolved` must be our registry or in-project.
        cfg = await registry_config()
    except (OSError, ValueError) as exc:
        return InstallResult("infra_error", reason=f"cannot read the npm registry config: {exc}")
    try:
        warnings = await asyncio.to_thread(
            check_project_lockfiles, project, local_dep_paths(manifest), cfg
        )
    except ManifestError as exc:
        return InstallResult("invalid_manifest", reason=str(exc))
    key, parts = cache_key(project, manifest, node, npm)
    hit = cache.lookup(key)
    if hit is not None:
        return InstallResult(
            "ok", hit, key, cache_hit=True, seconds=time.monotonic() - start, warnings=warnings
        )
    async with cache.lock(key, shared=False):
        hit = cache.lookup(key)  # someone else installed it while we waited
        if hit is not None:
            return InstallResult(
                "ok", hit, key, cache_hit=True, seconds=time.monotonic() - start, warnings=warnings
            )
        staging = cache.new_staging()
        try:
            await asyncio.to_thread(_stage, project, manifest, staging)
            verb = "ci" if any((staging / n).is_file() for n in LOCKFILES) else "install"
            argv, res = await _npm([verb], staging, cache, timeout)
            if res.returncode != 0 and "ERESOLVE" in res.output_tail and not res.timed_out:
                # Peer-dependency conflicts are routine in generated projects; a developer
                # would retry with --legacy-peer-deps, so do we (still --ignore-scripts).
                argv, res = await _npm([verb, "--legacy-peer-deps"], staging, cache, timeout)
            cmd = " ".join(argv[: argv.index("--cache")])
            if res.timed_out:
                return InstallResult(
                    "infra_error",
                    key=key,
                    reason=f"npm {verb} timed out after {timeout:.0f} s (registry too slow?)",
                    log_tail=res.output_tail,
                    command=cmd,
                    seconds=time.monotonic() - start,
                )
            if res.returncode != 0:
                status, reason = classify_npm_failure(res.output_tail)
                return InstallResult(
                    status,
                    key=key,
                    reason=reason,
                    log_tail=res.output_tail,
                    command=cmd,
                    seconds=time.monotonic() - start,
                )
            try:
                nm = await cache.store(key, staging / "node_modules", parts)
            except OSError as exc:
                return InstallResult("infra_error", key=key, reason=f"cache store failed: {exc}")
            await asyncio.to_thread(cache.evict, key)
            return InstallResult(
                "ok",
                nm,
                key,
                cache_hit=False,
                log_tail=res.output_tail,
                command=cmd,
                seconds=time.monotonic() - start,
                warnings=warnings,
            )
        finally:
            await asyncio.to_thread(shutil.rmtree, staging, True)
