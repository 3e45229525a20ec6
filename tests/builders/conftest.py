"""Shared fixtures for builder tests: one node_modules cache per session, real npm."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from builders.cache import default_cache_dir

PROJECTS = Path(__file__).resolve().parents[1] / "fixtures" / "projects"


@pytest.fixture(scope="session")
def build_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A session-wide FJUDGE_CACHE for node_modules; npm's download cache stays persistent."""
    npm_cache = default_cache_dir() / "npm"  # computed before FJUDGE_CACHE is redirected
    with pytest.MonkeyPatch.context() as mp:
        if "FJUDGE_NPM_CACHE" not in os.environ:
            mp.setenv("FJUDGE_NPM_CACHE", str(npm_cache))
        root = tmp_path_factory.mktemp("fjudge-cache")
        mp.setenv("FJUDGE_CACHE", str(root))
        yield root


@pytest.fixture
def copy_project() -> Callable[[str, Path], Path]:
    """copy_project(name, dest): a fresh copy of a fixture project under dest."""

    def make(name: str, dest: Path) -> Path:
        target = dest / name
        shutil.copytree(PROJECTS / name, target)
        return target

    return make


@pytest.fixture
def write_project() -> Callable[[Path, dict, dict[str, str]], Path]:
    """write_project(root, package_json, files): a small project written from scratch."""

    def make(root: Path, package: dict, files: dict[str, str]) -> Path:
        root.mkdir(parents=True, exist_ok=True)
        (root / "package.json").write_text(json.dumps(package, indent=2))
        for rel, text in files.items():
            p = root / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text)
        return root

    return make
