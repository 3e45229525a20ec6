"""Lockfile source checks: every `resolved` must be the configured registry or an in-project path.

`npm ci` fetches whatever a lockfile's `resolved` fields name, and it runs outside the build
sandbox, so a submission's lockfile could point npm at any host (`https://evil.example/x.tgz`,
`git+ssh://…`, `http://127.0.0.1:…`). These checks run before npm does. Only the npm lockfiles
npm reads are checked: `builders.install` never stages yarn.lock or pnpm-lock.yaml, and the
build that could run yarn/pnpm has no network.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import posixpath
import re
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import nodesemver

from builders.semver_checks import ManifestError

log = logging.getLogger(__name__)
NPM_LOCKFILES = ("npm-shrinkwrap.json", "package-lock.json")
NPMJS = "https://registry.npmjs.org/"
# host[:port] only: userinfo (`registry@evil`), backslashes and escapes are parsed differently
# by Python and by Node's WHATWG URL parser, so a URL using them is refused outright.
_NETLOC = re.compile(r"[A-Za-z0-9.-]+(:\d{1,5})?")
_UNSAFE_CHARS = re.compile(r"[\s\\\x00-\x1f\x7f]")
_URL_SHOWN = 120


@dataclass(frozen=True)
class RegistryConfig:
    """Registries npm will fetch from: the default one, scoped ones, and npm's host rewrite."""

    registry: str
    scoped: tuple[tuple[str, str], ...] = ()
    replace_registry_host: str = "npmjs"

    def allowed(self) -> tuple[str, ...]:
        """URL prefixes a registry tarball may come from."""
        out = [self.registry, *(url for _scope, url in self.scoped)]
        # npm rewrites registry.npmjs.org URLs to the configured registry by default
        # (`replace-registry-host`), so lockfiles written against npmjs fetch from ours.
        if self.replace_registry_host in ("npmjs", "always"):
            out.append(NPMJS)
        return tuple(dict.fromkeys(_norm_prefix(u) for u in out))


def _norm_prefix(url: str) -> str:
    parts = urlsplit(url.strip())
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme.lower()}://{_host_port(parts.scheme, parts.netloc)}{path}"


def _host_port(scheme: str, netloc: str) -> str:
    host = netloc.lower()
    default = {"http": ":80", "https": ":443"}.get(scheme.lower())
    return host.removesuffix(default) if default else host


def parse_npm_config(data: dict[str, Any]) -> RegistryConfig:
    """RegistryConfig from the JSON of `npm config list --json`."""
    registry = data.get("registry")
    if not isinstance(registry, str) or urlsplit(registry).scheme not in ("http", "https"):
        raise ValueError(f"npm config names no usable registry: {registry!r}")
    scoped = tuple(
        sorted(
            (k.split(":", 1)[0], v)
            for k, v in data.items()
            if k.startswith("@") and k.endswith(":registry") and isinstance(v, str) and v
        )
    )
    replace = data.get("replace-registry-host")
    return RegistryConfig(registry, scoped, replace if isinstance(replace, str) else "npmjs")


@lru_cache(maxsize=1)
def _registry_config_sync() -> RegistryConfig:
    env = dict(os.environ, npm_config_update_notifier="false", NO_COLOR="1")
    # An empty cwd, so no project .npmrc joins in (install stages none either).
    with tempfile.TemporaryDirectory(prefix="fjudge-npmrc-") as cwd:
        out = subprocess.run(
            ["npm", "config", "list", "--json"],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        ).stdout
    return parse_npm_config(json.loads(out))


async def registry_config() -> RegistryConfig:
    """The user's npm registry configuration; read once per process (OSError/ValueError)."""
    try:
        return await asyncio.to_thread(_registry_config_sync)
    except subprocess.SubprocessError as exc:
        raise OSError(f"`npm config list` failed: {exc}") from exc


def _show(url: str) -> str:
    return url if len(url) <= _URL_SHOWN else url[: _URL_SHOWN - 1] + "…"


def _inside(base: str, rel: str) -> bool:
    """Whether the relative path `rel` taken from `base` (project-relative) stays in the project."""
    rel = unquote(rel)
    if not rel or rel.startswith(("/", "~")) or _UNSAFE_CHARS.search(rel):
        return False
    joined = posixpath.normpath(posixpath.join(base, rel))
    return joined != ".." and not joined.startswith("../") and not joined.startswith("/")


def _on_registry(url: str, allowed: tuple[str, ...]) -> bool:
    parts = urlsplit(url)
    if not _NETLOC.fullmatch(parts.netloc) or parts.query or parts.fragment:
        return False
    segments = unquote(parts.path).split("/")
    if ".." in segments or "." in segments:
        return False
    prefix = f"{parts.scheme.lower()}://{_host_port(parts.scheme, parts.netloc)}{parts.path}"
    return any(prefix.startswith(a) for a in allowed)


def _host_of(spec: str) -> str:
    try:
        host = urlsplit(spec).hostname
    except ValueError:
        host = None
    return host or spec.split(":", 1)[0] + ":"


def check_resolved(
    name: str, resolved: Any, *, link: bool, base: str, cfg: RegistryConfig, where: str
) -> bool:
    """Raise ManifestError unless `resolved` is allowed; True when it names a registry tarball."""
    if not isinstance(resolved, str):
        raise ManifestError(f"{where}: package {name!r} has a non-string resolved {resolved!r}")
    if _UNSAFE_CHARS.search(resolved):
        raise ManifestError(f"{where}: package {name!r} has a malformed resolved {resolved!r}")
    low = resolved.lower()
    if link or low.startswith("file:"):
        path = resolved[5:] if low.startswith("file:") else resolved
        if not _inside(base, path):
            raise ManifestError(
                f"{where}: package {name!r} resolves to {resolved!r}, a path outside the project"
            )
        return False
    allowed = cfg.allowed()
    if low.startswith(("http://", "https://")) and _on_registry(resolved, allowed):
        return True
    raise ManifestError(
        f"{where}: package {name!r} resolves to host {_host_of(resolved)} ({_show(resolved)}), "
        f"which is not the configured npm registry ({', '.join(allowed)}); refusing to fetch it"
    )


def _name_of(key: str, entry: dict[str, Any]) -> str:
    if isinstance(entry.get("name"), str):
        return entry["name"]
    return key.rsplit("node_modules/", 1)[-1] or key


def _walk_v1(deps: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    if isinstance(deps, dict):
        for name, entry in deps.items():
            if isinstance(entry, dict):
                out.append((f"{path}{name}", entry))
                out.extend(_walk_v1(entry.get("dependencies"), f"{path}{name} > "))
    return out


def check_lockfile(lock: Path, project: Path, cfg: RegistryConfig) -> list[str]:
    """Check one npm lockfile; raise ManifestError on a foreign source, return warnings."""
    where = str(lock.relative_to(project)) if lock.is_relative_to(project) else lock.name
    base = posixpath.relpath(lock.parent.as_posix(), project.as_posix())
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{where} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ManifestError(f"{where} must hold a JSON object")
    no_integrity: list[str] = []
    packages = data.get("packages") or {}
    if not isinstance(packages, dict):
        raise ManifestError(f"{where}: 'packages' must be an object")
    for key, entry in packages.items():
        if not key or not isinstance(entry, dict) or entry.get("inBundle"):
            continue  # the root, or a package that ships inside its parent's tarball
        name, link = _name_of(key, entry), bool(entry.get("link"))
        if "resolved" in entry:
            registry = check_resolved(
                name, entry["resolved"], link=link, base=base, cfg=cfg, where=where
            )
        else:  # no resolved (omit-lockfile-registry-resolved): npm asks the registry
            registry = not link and "node_modules/" in key
        if registry and not entry.get("integrity"):
            no_integrity.append(name)
    # lockfileVersion 1 (and the mirror in v2): npm reads this section when 'packages' is absent.
    for name, entry in _walk_v1(data.get("dependencies")):
        if entry.get("bundled"):
            continue
        registry = False
        version = entry.get("version")
        if (
            isinstance(version, str)
            and not version.startswith("npm:")  # an alias: still the registry
            and nodesemver.valid(version, True) is None
        ):
            registry = check_resolved(name, version, link=False, base=base, cfg=cfg, where=where)
        if "resolved" in entry:
            registry = check_resolved(
                name, entry["resolved"], link=False, base=base, cfg=cfg, where=where
            )
        if registry and not packages and not entry.get("integrity"):
            no_integrity.append(name)
    if not no_integrity:
        return []
    names = sorted(set(no_integrity))
    shown = ", ".join(names[:5]) + (", …" if len(names) > 5 else "")
    msg = f"warning: {where}: {len(names)} registry package(s) have no integrity hash ({shown})"
    log.warning("%s", msg)
    return [msg]


def project_lockfiles(project: Path, local_dirs: list[str]) -> list[Path]:
    """npm lockfiles npm may read: the project's own and those of in-project `file:` packages."""
    out = []
    for rel in ["", *local_dirs]:
        d = project / rel
        for name in NPM_LOCKFILES:
            p = d / name
            if p.is_file() and not p.is_symlink():
                out.append(p)
    return out


def check_project_lockfiles(project: Path, local_dirs: list[str], cfg: RegistryConfig) -> list[str]:
    """Check every lockfile npm may read in the project; return the warnings."""
    warnings: list[str] = []
    for lock in project_lockfiles(project, local_dirs):
        warnings.extend(check_lockfile(lock, project, cfg))
    return warnings
