"""node-semver manifest checks: engines, dependency specs, framework versions."""

from __future__ import annotations

import json

import pytest

from builders.semver_checks import (
    EngineMismatch,
    ManifestError,
    check_engines,
    check_spec,
    framework_of,
    load_manifest,
    locked_version,
    max_satisfying,
    registry_versions,
    resolve_framework,
)


def test_engines_satisfied_and_mismatched():
    check_engines({"engines": {"node": "^20.19.0 || >=22.12.0", "npm": ">=9"}}, "20.20.2", "11.1.0")
    with pytest.raises(EngineMismatch, match=r"^engine mismatch: needs node >=99, have 20.20.2$"):
        check_engines({"engines": {"node": ">=99"}}, "20.20.2", "11.1.0")
    with pytest.raises(EngineMismatch, match="needs npm <7"):
        check_engines({"engines": {"npm": "<7"}}, "20.20.2", "11.1.0")
    with pytest.raises(ManifestError, match="invalid engines.node"):
        check_engines({"engines": {"node": "^^20"}}, "20.20.2", "11.1.0")


@pytest.mark.parametrize(
    "spec",
    ["^18.2.0", "~1.2", "1.x", ">=1 <3", "*", "", "latest", "next", "npm:preact@^10", "file:./lib"],
)
def test_valid_specs(spec):
    check_spec("pkg", spec)


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        ("^^18", "invalid version range"),
        ("1.2.3.4", "invalid version range"),
        ("=>1.0", "invalid version range"),
        ("1..2", "invalid version range"),
        ("git+https://example.invalid/x.git", "outside the npm registry"),
        ("user/repo", "outside the npm registry"),
        ("https://example.invalid/x.tgz", "outside the npm registry"),
        ("file:../../etc", "leaves the project"),
        ("file:/etc/passwd", "leaves the project"),
        ("workspace:*", "workspace"),
        (18, "must be a string"),
    ],
)
def test_invalid_specs(spec, why):
    with pytest.raises(ManifestError, match=why):
        check_spec("pkg", spec)


def test_load_manifest_errors(tmp_path):
    (tmp_path / "package.json").write_text("{not json")
    with pytest.raises(ManifestError, match="not valid JSON"):
        load_manifest(tmp_path)
    (tmp_path / "package.json").write_text(json.dumps({"dependencies": ["react"]}))
    with pytest.raises(ManifestError, match="'dependencies' must be an object"):
        load_manifest(tmp_path)


def test_framework_and_lockfile_version(tmp_path):
    m = {
        "dependencies": {"react": "^19.0.0", "react-dom": "^19.0.0"},
        "devDependencies": {"vite": "^8"},
    }
    assert framework_of(m) == ("react", "^19.0.0")
    assert framework_of({"dependencies": {"preact": "^10"}}) == ("preact", "^10")
    assert framework_of({"devDependencies": {"vite": "^8"}}) is None
    lock = {"lockfileVersion": 3, "packages": {"node_modules/react": {"version": "19.1.0"}}}
    (tmp_path / "package-lock.json").write_text(json.dumps(lock))
    assert locked_version(tmp_path, "react") == "19.1.0"


def test_max_satisfying():
    versions = ["17.0.2", "18.2.0", "18.3.1", "19.0.0", "19.1.0-rc.1"]
    assert max_satisfying(versions, "^18.0.0") == "18.3.1"
    assert max_satisfying(versions, ">=19") == "19.0.0"
    assert max_satisfying(versions, "^20") is None


@pytest.mark.npm
async def test_framework_version_from_registry_without_lockfile(tmp_path):
    versions = await registry_versions("react")
    assert "18.3.1" in versions
    fw, ver = await resolve_framework(tmp_path, {"dependencies": {"react": "~18.3.0"}}, None)
    assert (fw, ver) == ("react", max_satisfying(versions, "~18.3.0"))
    assert ver.startswith("18.3.")
