"""Detection of build tools, commands and output dirs (no npm needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builders.detect import find_output, plan, tool_from_script


def project(root: Path, manifest: dict | None, files: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if manifest is not None:
        (root / "package.json").write_text(json.dumps(manifest))
    for rel, text in (files or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


@pytest.mark.parametrize(
    ("script", "tool"),
    [
        ("vite build", "vite"),
        ("tsc -b && vite build", "vite"),
        ("NODE_ENV=production webpack --mode production", "webpack"),
        ("npx webpack", "webpack"),
        ("rollup -c", "rollup"),
        ("parcel build index.html", "parcel"),
        ("react-scripts build", "cra"),
        ("next build", "next"),
        ("astro check && astro build", "astro"),
        ("node build.mjs", None),
    ],
)
def test_tool_from_script(script, tool):
    assert tool_from_script(script) == tool


def test_vite_out_dir_from_config(tmp_path):
    root = project(
        tmp_path,
        {"scripts": {"build": "vite build"}, "devDependencies": {"vite": "^8"}},
        {"vite.config.ts": "export default { build: { outDir: 'www/app', sourcemap: true } }"},
    )
    p = plan(root, json.loads((root / "package.json").read_text()))
    assert (p.kind, p.tool, p.command) == ("npm", "vite", ["npm", "run", "build"])
    assert p.out_dirs[:2] == ["www/app", "dist"]


def test_cli_out_dir_flag_wins(tmp_path):
    m = {"scripts": {"build": "parcel build index.html --dist-dir public_html"}}
    p = plan(project(tmp_path, m), m)
    assert (p.tool, p.out_dirs[0]) == ("parcel", "public_html")


def test_cra_uses_build_dir(tmp_path):
    m = {"scripts": {"build": "react-scripts build"}, "dependencies": {"react-scripts": "5.0.1"}}
    p = plan(project(tmp_path, m), m)
    assert (p.tool, p.out_dirs[0]) == ("cra", "build")


def test_rollup_bundle_file_points_at_its_page(tmp_path):
    m = {"scripts": {"build": "rollup -c"}}
    cfg = "export default { input: 'src/main.js', output: { file: 'public/build/bundle.js' } }"
    p = plan(project(tmp_path, m, {"rollup.config.js": cfg}), m)
    assert p.out_dirs[:2] == ["public/build", "public"]


def test_next_without_static_export_is_unbuildable(tmp_path):
    m = {"scripts": {"build": "next build"}, "dependencies": {"next": "15.0.0"}}
    p = plan(project(tmp_path / "a", m), m)
    assert p.kind == "unbuildable" and "output: 'export'" in p.reason
    cfg = {"next.config.mjs": "export default { output: 'export' }"}
    p = plan(project(tmp_path / "b", m, cfg), m)
    assert (p.kind, p.tool, p.out_dirs[0]) == ("npm", "next", "out")


def test_astro_default_dist(tmp_path):
    m = {"scripts": {"build": "astro build"}, "dependencies": {"astro": "^5"}}
    p = plan(project(tmp_path, m), m)
    assert (p.tool, p.out_dirs[0]) == ("astro", "dist")


def test_vite_project_without_build_script_is_still_built(tmp_path):
    m = {"devDependencies": {"vite": "^8"}}
    p = plan(project(tmp_path, m, {"index.html": "<script type=module src=/main.js>"}), m)
    assert (p.kind, p.command) == ("npm", ["vite", "build"])


def test_static_layouts(tmp_path):
    assert plan(project(tmp_path / "a", None, {"index.html": "x"}), None).site_dir == tmp_path / "a"
    p = plan(project(tmp_path / "b", {"name": "b"}, {"public/index.html": "x"}), {"name": "b"})
    assert (p.kind, p.site_dir) == ("static", tmp_path / "b" / "public")
    p = plan(project(tmp_path / "c", None, {"readme.md": "x"}), None)
    assert p.kind == "unbuildable" and "index.html" in p.reason
    p = plan(project(tmp_path / "d", {"name": "d"}), {"name": "d"})
    assert p.kind == "unbuildable" and "no 'build' script" in p.reason


def test_find_output_ignores_symlinked_dirs(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "index.html").write_text("x")
    (tmp_path / "dist").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "index.html").write_text("x")
    assert find_output(tmp_path, ["dist", "build"]) == tmp_path / "build"
