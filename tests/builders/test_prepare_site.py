"""`prepare_site`: the one place that decides what to serve (npm build, static root or public/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders import prepare_site

PAGE = "<!doctype html><title>t</title><p>x</p>"


def _site(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


@pytest.mark.parametrize(
    ("files", "entry", "served"),
    [
        ({"index.html": PAGE, "public/index.html": PAGE}, "index.html", "."),
        ({"public/index.html": PAGE, "README.md": "hi"}, "index.html", "public"),
        ({"page.html": PAGE}, "page.html", "."),
        ({"public/page.html": PAGE}, "page.html", "public"),
    ],
)
async def test_static_site_is_found_at_root_or_public(tmp_path, files, entry, served):
    root = _site(tmp_path / "s", files)
    out = await prepare_site(root, entry, tmp_path / "w")
    assert (out.verdict_status, out.info.status, out.info.tool) == ("ok", "skipped", "static")
    assert out.site_dir == root / served
    assert out.entry == entry and out.info.seconds is None  # no timing: verdicts stay identical


async def test_nothing_to_serve_is_no_output_with_reason(tmp_path):
    root = _site(tmp_path / "s", {"notes.txt": "no page here", "src/app.js": "1"})
    out = await prepare_site(root, "index.html", tmp_path / "w")
    assert (out.verdict_status, out.info.status, out.site_dir) == (
        "build_failed",
        "no_output",
        None,
    )
    reason = "no index.html and no package.json in the submission: nothing to serve"
    assert out.reason == out.info.reason == reason


@pytest.mark.npm
async def test_package_json_means_an_npm_build(build_cache, write_project, tmp_path):
    script = (
        "require('fs').mkdirSync('dist', {recursive: true});"
        "require('fs').writeFileSync('dist/index.html', '<!doctype html><p>built</p>');"
    )
    # An index.html beside package.json is the build's source, not the site to serve.
    src = write_project(
        tmp_path / "p",
        {"name": "p", "scripts": {"build": "node build.js"}},
        {"build.js": script, "index.html": "<p>source</p>"},
    )
    out = await prepare_site(src, "index.html", tmp_path / "w", cache_dir=build_cache)
    assert (out.verdict_status, out.info.status) == ("ok", "ok"), out.reason
    assert (out.site_dir / "index.html").read_text() == "<!doctype html><p>built</p>"
    assert out.site_dir.is_relative_to(tmp_path / "w")


async def test_symlinked_package_json_is_a_violation(tmp_path):
    root = _site(tmp_path / "s", {"index.html": PAGE})
    (root / "package.json").symlink_to("/etc/hostname")
    out = await prepare_site(root, "index.html", tmp_path / "w")
    assert (out.verdict_status, out.info.status) == ("rejected", "sandbox_violation")
