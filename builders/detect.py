"""Decide how a submission becomes a servable site: static as-is, or an npm build (which tool,
which command, which output directory)."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from judge.schema import BuildInfo, BuildOutcome

# Build tools we recognise: (tool, package that provides it, default output dir).
_TOOLS: dict[str, tuple[str, str]] = {
    "vite": ("vite", "dist"),
    "webpack": ("webpack", "dist"),
    "rollup": ("rollup", "dist"),
    "parcel": ("parcel", "dist"),
    "cra": ("react-scripts", "build"),
    "next": ("next", "out"),
    "astro": ("astro", "dist"),
    "sveltekit": ("@sveltejs/kit", "build"),
    "esbuild": ("esbuild", "dist"),
}
# First word of a build script command → tool.
_SCRIPT_WORDS = {
    "vite": "vite",
    "webpack": "webpack",
    "webpack-cli": "webpack",
    "rollup": "rollup",
    "parcel": "parcel",
    "react-scripts": "cra",
    "next": "next",
    "astro": "astro",
    "esbuild": "esbuild",
}
_CONFIG_GLOBS = {
    "vite": "vite.config.*",
    "webpack": "webpack.config.*",
    "rollup": "rollup.config.*",
    "next": "next.config.*",
    "astro": "astro.config.*",
    "sveltekit": "svelte.config.*",
}
_QUOTED = r"""['"`]([^'"`]+)['"`]"""
_OUTDIR_RES = {
    "vite": [re.compile(r"outDir\s*:\s*" + _QUOTED)],
    "astro": [re.compile(r"outDir\s*:\s*" + _QUOTED)],
    "webpack": [
        re.compile(r"path\s*:\s*path\.(?:resolve|join)\(\s*__dirname\s*,\s*" + _QUOTED),
        re.compile(r"path\s*:\s*(?:path\.)?(?:resolve|join)\(\s*" + _QUOTED + r"\s*\)"),
    ],
    "rollup": [re.compile(r"\bdir\s*:\s*" + _QUOTED), re.compile(r"\bfile\s*:\s*" + _QUOTED)],
    "sveltekit": [re.compile(r"pages\s*:\s*" + _QUOTED)],
}
_CLI_OUTDIR = re.compile(r"--(?:outDir|out-dir|dist-dir|output-path|outdir)[= ]+(\S+)")
_FALLBACK_OUT = ("dist", "build", "out", "public", "www", ".")


@dataclass(frozen=True)
class Plan:
    """How to turn a submission into a site."""

    kind: Literal["static", "npm", "unbuildable"]
    root: Path
    site_dir: Path | None = None  # static: the directory to serve
    tool: str | None = None
    command: list[str] = field(default_factory=list)
    out_dirs: list[str] = field(default_factory=list)  # npm: where to look for the built site
    reason: str | None = None

    @property
    def command_text(self) -> str:
        """The build command as a person would type it."""
        return shlex.join(self.command)


def static_dir(root: Path, entry: str = "index.html") -> Path | None:
    """Directory holding the entry page: the root, else public/ (None if neither)."""
    for d in (root, root / "public"):
        if (d / entry).is_file():
            return d
    return None


def static_outcome(root: Path, entry: str = "index.html") -> BuildOutcome:
    """A submission without package.json: its static site as is, or why there is nothing."""
    site = static_dir(root, entry)
    if site is not None:
        info = BuildInfo(status="skipped", tool="static")
        return BuildOutcome(info=info, site_dir=site, verdict_status="ok", entry=entry)
    reason = f"no {entry} and no package.json in the submission: nothing to serve"
    info = BuildInfo(status="no_output", reason=reason)
    return BuildOutcome(info=info, verdict_status="build_failed", reason=reason, entry=entry)


def _deps(manifest: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fld in ("devDependencies", "dependencies"):
        v = manifest.get(fld)
        if isinstance(v, dict):
            out.update(v)
    return out


def tool_from_script(script: str) -> str | None:
    """The build tool a `build` script invokes (last recognised command wins: `tsc && vite build`)."""
    found = None
    for part in re.split(r"&&|\|\||;|\|", script):
        words = [w for w in part.strip().split() if "=" not in w or w.startswith("-")]
        if words and words[0] in ("npx", "pnpm", "yarn", "bunx"):
            words = [w for w in words[1:] if not w.startswith("-")]
        if words and words[0] in _SCRIPT_WORDS:
            found = _SCRIPT_WORDS[words[0]]
    return found


def tool_from_deps(deps: dict[str, Any]) -> str | None:
    """Fallback: the build tool a project depends on."""
    for tool in ("next", "astro", "sveltekit", "cra", "vite", "parcel", "webpack", "rollup"):
        if _TOOLS[tool][0] in deps:
            return tool
    return None


def _config_text(root: Path, tool: str) -> str:
    pattern = _CONFIG_GLOBS.get(tool)
    if not pattern:
        return ""
    texts = []
    for p in sorted(root.glob(pattern)):
        if p.is_file() and p.stat().st_size < 200_000:
            texts.append(p.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(texts)


def _clean_out(value: str) -> str | None:
    value = value.strip().removeprefix("./").rstrip("/")
    if not value or value.startswith("/") or ".." in value.split("/"):
        return None
    return value


def output_dirs(root: Path, tool: str | None, script: str) -> list[str]:
    """Candidate output dirs, most specific first (CLI flag, tool config, tool default, usual)."""
    out: list[str] = []
    m = _CLI_OUTDIR.search(script)
    if m and (d := _clean_out(m.group(1))):
        out.append(d)
    if tool:
        text = _config_text(root, tool)
        for rx in _OUTDIR_RES.get(tool, []):
            m = rx.search(text)
            if m and (d := _clean_out(m.group(1))):
                # rollup `file: 'public/build/bundle.js'` names a bundle: its page is up the tree.
                if tool == "rollup" and rx.pattern.startswith(r"\bfile"):
                    parts = d.split("/")[:-1]
                    out += ["/".join(parts[:i]) for i in range(len(parts), 0, -1)]
                else:
                    out.append(d)
        out.append(_TOOLS[tool][1])
    out += list(_FALLBACK_OUT)
    return list(dict.fromkeys(out))


def _next_is_static(root: Path, script: str) -> bool:
    text = _config_text(root, "next")
    return "next export" in script or bool(re.search(r"output\s*:\s*['\"]export['\"]", text))


def plan(root: Path, manifest: dict[str, Any] | None) -> Plan:
    """Decide static vs npm build; `manifest` is the parsed package.json (None if absent)."""
    if manifest is None:
        site = static_dir(root)
        if site is not None:
            return Plan("static", root, site_dir=site, tool="static")
        return Plan("unbuildable", root, reason="no index.html and no package.json found")
    scripts = manifest.get("scripts") or {}
    script = scripts.get("build") if isinstance(scripts.get("build"), str) else None
    deps = _deps(manifest)
    if script is None:
        tool = tool_from_deps(deps)
        if tool in ("vite", "parcel") and (root / "index.html").is_file():
            # No build script, but a bundler and an entry page: build it as a developer would.
            cmd = ["vite", "build"] if tool == "vite" else ["parcel", "build", "index.html"]
            return Plan("npm", root, tool=tool, command=cmd, out_dirs=output_dirs(root, tool, ""))
        site = static_dir(root)
        if site is not None:
            return Plan("static", root, site_dir=site, tool="static")
        return Plan(
            "unbuildable", root, reason="package.json has no 'build' script and no index.html"
        )
    tool = tool_from_script(script) or tool_from_deps(deps)
    if tool == "next" and not _next_is_static(root, script):
        return Plan(
            "unbuildable",
            root,
            tool="next",
            reason="Next.js project without static export (set output: 'export' in next.config)",
        )
    if tool == "sveltekit" and "@sveltejs/adapter-static" not in deps:
        return Plan(
            "unbuildable",
            root,
            tool="sveltekit",
            reason="SvelteKit project without @sveltejs/adapter-static cannot be served statically",
        )
    return Plan(
        "npm",
        root,
        tool=tool or "npm",
        command=["npm", "run", "build"],
        out_dirs=output_dirs(root, tool, script),
    )


def find_output(build_dir: Path, candidates: list[str]) -> Path | None:
    """First candidate dir (inside build_dir, no symlinks) that holds an index.html."""
    base = build_dir.resolve()
    for rel in candidates:
        d = build_dir / rel
        if d.is_symlink() or not d.is_dir():
            continue
        if not d.resolve().is_relative_to(base):
            continue
        idx = d / "index.html"
        if idx.is_file() and not idx.is_symlink():
            return d
    return None
