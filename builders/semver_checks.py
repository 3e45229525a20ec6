"""Manifest checks with node-semver (PyPI `node-semver`, module `nodesemver`), before anything runs.

- `engines.node` / `engines.npm` against the installed toolchain;
- every dependency spec is a valid range, dist-tag, npm alias or an in-project `file:` path
  (the same grammar npm-package-arg accepts); specs fetched from outside the registry (git,
  tarball URLs) and paths leaving the project are refused;
- the framework in use and its resolved version (lockfile, installed tree, else max_satisfying
  over the registry's version list).
"""

from __future__ import annotations

import asyncio
import json
import re
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

import nodesemver

DEP_FIELDS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")
# Checked in order: the first one present names the framework (meta-frameworks before libraries).
FRAMEWORKS = (
    "next",
    "astro",
    "@angular/core",
    "@sveltejs/kit",
    "nuxt",
    "svelte",
    "vue",
    "preact",
    "solid-js",
    "lit",
    "react",
)
_REMOTE = re.compile(r"^(git\+|git:|github:|gitlab:|bitbucket:|gist:|https?:|ssh:)", re.I)
_GH_SHORTHAND = re.compile(r"^[\w.-]+/[\w.-]+(#.*)?$")
_VERSIONISH_TAG = re.compile(r"^v?\d")


class ManifestError(Exception):
    """package.json is unusable or unsafe: a `rejected` verdict (BuildInfo invalid_manifest)."""


class EngineMismatch(Exception):
    """engines.* excludes the installed toolchain: `build_failed` (BuildInfo engine_mismatch)."""


def load_manifest(root: Path) -> dict[str, Any]:
    """Parse package.json, raising ManifestError with a readable reason."""
    try:
        data = json.loads((root / "package.json").read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ManifestError(f"package.json is not UTF-8: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ManifestError(f"package.json is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ManifestError("package.json must hold a JSON object")
    for fld in (*DEP_FIELDS, "scripts", "engines"):
        if fld in data and not isinstance(data[fld], dict):
            raise ManifestError(f"package.json field {fld!r} must be an object")
    return data


def check_engines(manifest: dict[str, Any], node: str, npm: str) -> None:
    """Raise EngineMismatch (or ManifestError for a malformed range) if engines exclude us."""
    engines = manifest.get("engines") or {}
    for tool, have in (("node", node), ("npm", npm)):
        want = engines.get(tool)
        if want is None:
            continue
        if not isinstance(want, str) or nodesemver.valid_range(want, True) is None:
            raise ManifestError(f"invalid engines.{tool} range {want!r}")
        if not nodesemver.satisfies(have, want, True):
            raise EngineMismatch(f"engine mismatch: needs {tool} {want}, have {have}")


def _check_local(name: str, spec: str, kind: str) -> None:
    path = spec.split(":", 1)[1]
    pure = PurePosixPath(path.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or path.startswith("~"):
        raise ManifestError(f"dependency {name!r}: {kind} path {path!r} leaves the project")


def check_spec(name: str, spec: Any) -> None:
    """Raise ManifestError unless `spec` is something npm would resolve from the registry."""
    if not isinstance(spec, str):
        raise ManifestError(f"dependency {name!r}: spec must be a string, got {spec!r}")
    spec = spec.strip()
    if spec.startswith("npm:"):
        target = spec[4:]
        at = target.rfind("@")
        rng = target[at + 1 :] if at > 0 else ""
        return check_spec(name, rng)
    if spec.startswith(("file:", "link:")):
        return _check_local(name, spec, spec.split(":", 1)[0])
    if spec.startswith("workspace:"):
        raise ManifestError(f"dependency {name!r}: workspace protocol is not supported by npm")
    if _REMOTE.match(spec) or _GH_SHORTHAND.match(spec):
        raise ManifestError(
            f"dependency {name!r}: {spec!r} is fetched from outside the npm registry (not allowed)"
        )
    if spec.startswith((".", "/")):
        return _check_local(name, "file:" + spec, "file")
    if nodesemver.valid_range(spec, True) is not None:
        return None
    # Not a range: npm reads it as a dist-tag, which must be URI-safe and not a mangled version.
    if quote(spec, safe="-_.!~*'()") != spec or _VERSIONISH_TAG.match(spec):
        raise ManifestError(f"invalid version range for {name!r}: {spec!r}")
    return None


def _check_overrides(name: str, value: Any) -> None:
    # `overrides` specs are fetched like dependencies (`"x": "https://evil/x.tgz"` would be).
    if isinstance(value, dict):
        for key, sub in value.items():
            _check_overrides(name if key == "." else key, sub)
    elif not (isinstance(value, str) and value.startswith("$")):  # `$dep` reuses a spec
        check_spec(name, value)


def validate_dependencies(manifest: dict[str, Any]) -> None:
    """Check every dependency spec in every dependency map (and in `overrides`)."""
    for fld in DEP_FIELDS:
        for name, spec in (manifest.get(fld) or {}).items():
            check_spec(name, spec)
    overrides = manifest.get("overrides")
    if overrides is not None and not isinstance(overrides, dict):
        raise ManifestError("package.json field 'overrides' must be an object")
    for name, spec in (overrides or {}).items():
        _check_overrides(name, spec)


def all_dependencies(manifest: dict[str, Any]) -> dict[str, str]:
    """Every declared dependency name → spec (runtime wins over dev)."""
    out: dict[str, str] = {}
    for fld in reversed(DEP_FIELDS):
        out.update({k: v for k, v in (manifest.get(fld) or {}).items() if isinstance(v, str)})
    return out


def framework_of(manifest: dict[str, Any]) -> tuple[str, str] | None:
    """(framework package, declared spec) or None for vanilla projects."""
    deps = all_dependencies(manifest)
    for fw in FRAMEWORKS:
        if fw in deps:
            return fw, deps[fw]
    return None


def locked_version(root: Path, name: str) -> str | None:
    """Version of `name` recorded in package-lock.json / npm-shrinkwrap.json, if any."""
    for fn in ("package-lock.json", "npm-shrinkwrap.json"):
        p = root / fn
        if not p.is_file():
            continue
        try:
            lock = json.loads(p.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            return None
        entry = (lock.get("packages") or {}).get(f"node_modules/{name}") or (
            lock.get("dependencies") or {}
        ).get(name)
        if isinstance(entry, dict) and isinstance(entry.get("version"), str):
            return entry["version"]
    return None


def installed_version(node_modules: Path, name: str) -> str | None:
    """Version of `name` in an installed node_modules tree."""
    try:
        data = json.loads((node_modules / name / "package.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError):
        return None
    v = data.get("version")
    return v if isinstance(v, str) else None


def max_satisfying(versions: list[str], spec: str) -> str | None:
    """Highest version in `versions` within `spec` (None when nothing matches)."""
    if nodesemver.valid_range(spec, True) is None:
        return None
    return nodesemver.max_satisfying(versions, spec, loose=True)


async def registry_versions(name: str, timeout: float = 30.0) -> list[str]:
    """All published versions of `name` (`npm view NAME versions --json`); [] on any failure."""
    try:
        proc = await asyncio.create_subprocess_exec(
            "npm",
            "view",
            name,
            "versions",
            "--json",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            stdin=asyncio.subprocess.DEVNULL,
        )
        out, _ = await asyncio.wait_for(proc.communicate(), timeout)
        data = json.loads(out or b"[]")
    except (OSError, TimeoutError, json.JSONDecodeError):
        return []
    return [data] if isinstance(data, str) else [v for v in data if isinstance(v, str)]


async def resolve_framework(
    root: Path, manifest: dict[str, Any], node_modules: Path | None, *, use_registry: bool = True
) -> tuple[str | None, str | None]:
    """(framework, version): lockfile, else installed tree, else max_satisfying on the registry."""
    fw = framework_of(manifest)
    if fw is None:
        return None, None
    name, spec = fw
    version = locked_version(root, name)
    if version is None and node_modules is not None:
        version = installed_version(node_modules, name)
    if version is None and use_registry:
        version = max_satisfying(await registry_versions(name), spec)
    return name, version


@lru_cache(maxsize=1)
def _toolchain_sync() -> tuple[str, str]:
    import subprocess

    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True)
    npm = subprocess.run(["npm", "--version"], capture_output=True, text=True, check=True)
    return node.stdout.strip().lstrip("v"), npm.stdout.strip()


async def toolchain() -> tuple[str, str]:
    """Installed (node, npm) versions, e.g. ('20.20.2', '11.19.1'); cached per process."""
    return await asyncio.to_thread(_toolchain_sync)
