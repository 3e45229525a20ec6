"""Real projects (Vite vanilla/React/Vue, webpack) installed from the npm registry and built."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builders import build_submission
from builders.intake import tree_sha256

pytestmark = [pytest.mark.npm, pytest.mark.slow]


def assert_built_site(site: Path) -> None:
    html = (site / "index.html").read_text()
    refs = re.findall(r"""(?:src|href)=["']?/?([^"'\s>]+\.(?:js|css))""", html)
    assert refs, f"built index.html references no bundle: {html[:300]}"
    for ref in refs:
        assert (site / ref).is_file(), f"missing built asset {ref}"


@pytest.mark.parametrize(
    ("name", "tool", "framework", "out"),
    [
        ("vite-vanilla", "vite", None, "dist"),
        ("vite-react", "vite", "react", "dist"),
        ("vite-vue", "vite", "vue", "site"),  # outDir read from vite.config.js
        ("webpack", "webpack", None, "build"),  # output.path read from webpack.config.js
    ],
)
async def test_builds_real_project(build_cache, copy_project, tmp_path, name, tool, framework, out):
    src = copy_project(name, tmp_path)
    before = tree_sha256(src)
    outcome = await build_submission(src, tmp_path / "work", cache_dir=build_cache)
    assert outcome.verdict_status == "ok", (outcome.reason, outcome.info.log_tail)
    info = outcome.info
    assert (info.status, info.tool, info.framework, info.sandbox) == (
        "ok",
        tool,
        framework,
        "bwrap",
    )
    if framework:
        assert re.fullmatch(r"\d+\.\d+\.\d+", info.framework_version or "")
    assert outcome.site_dir == tmp_path / "work" / "build" / out
    assert_built_site(outcome.site_dir)
    assert tree_sha256(src) == before, "the submission itself must never be modified"
    assert not (src / "node_modules").exists()


async def test_second_build_hits_cache(build_cache, copy_project, tmp_path):
    first = await build_submission(
        copy_project("vite-react", tmp_path / "a"), tmp_path / "wa", cache_dir=build_cache
    )
    second = await build_submission(
        copy_project("vite-react", tmp_path / "b"), tmp_path / "wb", cache_dir=build_cache
    )
    assert first.verdict_status == second.verdict_status == "ok"
    assert second.info.cache_hit is True
    assert (second.site_dir / "index.html").read_text() == (
        first.site_dir / "index.html"
    ).read_text()


async def test_unsafe_no_sandbox_is_recorded(build_cache, copy_project, tmp_path):
    src = copy_project("vite-vanilla", tmp_path)
    outcome = await build_submission(
        src, tmp_path / "work", cache_dir=build_cache, unsafe_no_sandbox=True
    )
    assert outcome.verdict_status == "ok", (outcome.reason, outcome.info.log_tail)
    assert outcome.info.sandbox == "none (--unsafe-no-sandbox)"
    assert_built_site(outcome.site_dir)
