"""ES-module CDNs (esm.sh, Skypack, jspm, jsDelivr `/+esm`, unpkg `?module`): a package as a
browser ES module whose imports of other packages are CDN URLs the mirror answers in turn.

esbuild (from npm, `@esbuild/<platform>`, fetched and integrity-checked like any package) bundles
the package's own files; other packages stay imports of `https://<cdn>/<dep>@<range>`, so a
library shared by several modules (React) is loaded once. CommonJS packages get named exports
read by cjs-module-lexer — the package's code is never run on the host. Results are cached in
the store (`built/`), keyed by form, package version, subpath and esbuild version.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import os
import platform
import re
import shutil
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web

from judge.mirror.packages import Located, Miss
from judge.mirror.urls import Want, esm_args, esm_query

if TYPE_CHECKING:
    from judge.mirror.service import MirrorService
    from judge.preview import Site

ESBUILD = "0.24.2"
LEXER = "1.4.1"
BUILD_TIMEOUT = 60.0
_SCRIPT = Path(__file__).with_name("esm_build.js")
_TEMPLATES = {
    "esm": "https://esm.sh/{name}{at}{sub}",
    "jsdelivr": "https://cdn.jsdelivr.net/npm/{name}{at}{sub}/+esm",
    "unpkg": "https://unpkg.com/{name}{at}{sub}?module",
}
_CORS = {"Access-Control-Allow-Origin": "*", "Cross-Origin-Resource-Policy": "cross-origin"}
_locks: dict[str, asyncio.Lock] = {}


def _platform_pkg() -> str:
    machine = platform.machine().lower()
    arch = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(machine)
    if arch is None:
        raise Miss("unsupported", f"no esbuild build for {machine}")
    return f"@esbuild/linux-{arch}"


async def _tools(service: MirrorService) -> tuple[Path, Path, Path]:
    """(esbuild binary, esbuild JS API, cjs-module-lexer), fetched into the store once."""
    p = service.packages
    binary = await p.get(_platform_pkg(), ESBUILD, "bin/esbuild")
    api = await p.get("esbuild", ESBUILD, "lib/main.js")
    lexer = await p.get("cjs-module-lexer", LEXER, "lexer.js")
    # The store never holds executables: the binary is copied out with its exec bit.
    tool = service.root / "tools" / f"esbuild-{binary.version}"
    if not tool.is_file():
        tool.parent.mkdir(parents=True, exist_ok=True)
        tmp = tool.with_suffix(".tmp")
        shutil.copyfile(binary.path, tmp)
        tmp.chmod(stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
        os.replace(tmp, tool)
    return tool, api.path, lexer.path


@functools.cache
def _builder_sha() -> str:
    """The build script's own hash: a build made by an older script is not reused."""
    return hashlib.sha256(_SCRIPT.read_bytes()).hexdigest()[:12]


def _form(want: Want) -> str:
    return want.cdn if want.cdn in _TEMPLATES else "esm"


def _args(want: Want) -> tuple[dict[str, str], tuple[str, ...]]:
    """esm.sh's `?deps=` and `?external=` (other CDNs have no such arguments)."""
    return esm_args(want.query) if _form(want) == "esm" else ({}, ())


def _dependencies(manifest: dict) -> dict[str, str]:
    """Every package a manifest depends on, with its range (a plain dependency's wins)."""
    ranges: dict[str, str] = {}
    for field in ("optionalDependencies", "peerDependencies", "dependencies"):
        deps = manifest.get(field)
        if isinstance(deps, dict):
            ranges.update({k: v for k, v in deps.items() if isinstance(v, str)})
    return ranges


async def build_module(service: MirrorService, want: Want, pkg: Located) -> Path:
    """The built module file for `want` (cached)."""
    form, sub = _form(want), want.file
    pins, external = _args(want)
    args = esm_query(pins, external)
    key = hashlib.sha256(
        f"{form}|{pkg.package}|{sub}|{args}|{ESBUILD}|{_builder_sha()}".encode()
    ).hexdigest()[:24]
    out = service.root / "built" / f"{key}.js"
    if out.is_file():
        return out
    lock = _locks.setdefault(key, asyncio.Lock())
    async with lock:
        if out.is_file():
            return out
        if service.offline:
            raise Miss("offline", f"{pkg.package}: no built module in the store (--offline)")
        tool, api, lexer = await _tools(service)
        ranges = _dependencies(service.store.manifest(pkg.name, pkg.version))
        ranges.update({k: v for k, v in pins.items() if k in ranges})
        # Exact versions in dependency URLs: every importer of React then names the same URL,
        # so the browser loads one React (a range in the URL would be a second instance).
        for dep, rng in list(ranges.items())[:60]:
            try:
                ranges[dep] = await service.packages.resolve(dep, rng)
            except Miss:
                continue
        if form == "esm" and pkg.name == "react-dom" and "react" in ranges:
            # esm.sh builds react-dom against the React of its own version (not the newest
            # one its peer range allows), so `react@18.2.0` + `react-dom@18.2.0` is one React.
            ranges["react"] = pkg.version
        queries = await _carried(service, ranges, pins, external)
        text = await _run(
            tool,
            api,
            lexer,
            service,
            pkg,
            sub,
            ranges,
            _TEMPLATES[form],
            queries,
            (pins, external),
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    return out


async def _carried(
    service: MirrorService, ranges: dict[str, str], pins: dict[str, str], external: tuple[str, ...]
) -> dict[str, str]:
    """The build arguments each dependency's URL carries on: those naming a package the
    dependency itself declares (as esm.sh passes `deps`/`external` down the import graph;
    carried to React itself, they would make `react?deps=…` a second React)."""
    queries: dict[str, str] = {}
    if not pins and not external:
        return queries
    for dep, version in ranges.items():
        try:
            await service.packages.ensure(dep, version)
        except Miss:
            continue
        names = set(_dependencies(service.store.manifest(dep, version)))
        q = esm_query(
            {k: v for k, v in pins.items() if k in names}, [e for e in external if e in names]
        )
        if q:
            queries[dep] = q
    return queries


async def _run(
    tool: Path,
    api: Path,
    lexer: Path,
    service: MirrorService,
    pkg: Located,
    sub: str,
    ranges: dict[str, str],
    template: str,
    queries: dict[str, str],
    args: tuple[dict[str, str], tuple[str, ...]],
) -> str:
    pins, external = args
    with tempfile.TemporaryDirectory(prefix="fjudge-esm-") as work:
        node_modules = Path(work) / "node_modules"
        link = node_modules / pkg.name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(service.store.pkg_dir(pkg.name, pkg.version), target_is_directory=True)
        cfg = {
            "esbuild_js": str(api),
            "lexer_js": str(lexer),
            "work": work,
            "node_modules": str(node_modules),
            "name": pkg.name,
            "spec": pkg.name + (f"/{sub}" if sub else ""),
            "version": pkg.version,
            "self_query": esm_query(pins, external),
            "ranges": ranges,
            "url_template": template,
            "queries": queries,
            "external": list(external),
        }
        (Path(work) / "cfg.json").write_text(json.dumps(cfg))
        env = {"PATH": os.environ.get("PATH", ""), "ESBUILD_BINARY_PATH": str(tool)}
        proc = await asyncio.create_subprocess_exec(
            "node",
            str(_SCRIPT),
            str(Path(work) / "cfg.json"),
            cwd=work,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            stdout, stderr = await asyncio.wait_for(proc.communicate(), BUILD_TIMEOUT)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            raise Miss("build_failed", f"{pkg.package}: module build timed out") from None
        if proc.returncode != 0:
            raise Miss("build_failed", f"{pkg.package}: {stderr.decode(errors='replace')[:300]}")
        return stdout.decode("utf-8")


def _exports_default(text: str) -> bool:
    """Whether an esbuild module exports `default` (its export list names it; `as defaults`
    in marked's list is another name)."""
    return bool(re.search(r"(?m)^export default\b", text)) or any(
        re.search(r"\bas default\b", block)
        for block in re.findall(r"(?m)^export \{([^}]*)\}", text)
    )


async def module_response(
    service: MirrorService, want: Want, got: Located, url: str, site: Site, channel: str
) -> web.StreamResponse:
    """Serve the ES-module build of the package `got` was found in (recorded as mirrored)."""
    path = await build_module(service, want, got)
    site.block(url, channel, "mirrored", package=got.package, file=f"{want.file or '.'} (esm)")
    headers = dict(_CORS, **{"Content-Type": "text/javascript; charset=utf-8"})
    extra = _form(want) == "esm" and bool(set(want.query) - {"deps", "external"})
    if want.spec != got.version or extra:
        # A range (`react@18`): like esm.sh, a stub re-exporting the exact version's URL, so
        # `react@18` and `react@18.3.1` are one module instance in the page. So is a URL with
        # build options that change nothing here (`?dev`, `?target=es2022`): `react?dev` beside
        # a react-dom that imports `react` would otherwise be a second React.
        sub = f"/{want.file}" if want.file else ""
        exact = _TEMPLATES[_form(want)].format(name=got.name, at=f"@{got.version}", sub=sub)
        exact += esm_query(*_args(want))
        text = path.read_text(encoding="utf-8")
        stub = f"export * from {json.dumps(exact)};\n"
        if _exports_default(text):
            stub += f"export {{ default }} from {json.dumps(exact)};\n"
        headers["Cache-Control"] = "public, max-age=600"
        return web.Response(body=stub.encode(), headers=headers)
    headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return web.Response(body=path.read_bytes(), headers=headers)
