"""Lockfiles that point npm at a host other than the configured registry are refused before npm runs."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from aiohttp import web

from builders import build_submission
from builders.lockfile import (
    RegistryConfig,
    check_lockfile,
    check_project_lockfiles,
    parse_npm_config,
    registry_config,
)
from builders.semver_checks import ManifestError, validate_dependencies

PROJECTS = Path(__file__).resolve().parents[1] / "fixtures" / "projects"
NPMJS = RegistryConfig("https://registry.npmjs.org/")
TARBALL = "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz"
SHA = "sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQ9ZmMa1A3+7JauX9RIWm4aS+Zk1QKcz3zo4gc8Z2lUR9yEg=="


def lock(packages: dict, **extra) -> dict:
    """A lockfileVersion 3 document around `packages` (the root entry is added)."""
    root = {"": {"name": "p", "version": "1.0.0"}}
    return {"name": "p", "lockfileVersion": 3, "packages": {**root, **packages}, **extra}


def write_lock(root: Path, data: dict, name: str = "package-lock.json") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    p = root / name
    p.write_text(json.dumps(data))
    return p


@pytest.fixture
async def loopback_listener():
    """A loopback HTTP server that records every request it gets: (base url, hits list)."""
    hits: list[str] = []

    async def record(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(status=404)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}", hits
    finally:
        await runner.cleanup()


async def test_lockfile_pointing_at_loopback_host_rejected_and_never_fetched(
    loopback_listener, tmp_path
):
    base, hits = loopback_listener
    src = tmp_path / "p"
    write_lock(
        src,
        lock(
            {
                "node_modules/left-pad": {
                    "version": "1.3.0",
                    "resolved": f"{base}/left-pad-1.3.0.tgz",
                    "integrity": SHA,
                }
            }
        ),
    )
    manifest = {
        "name": "p",
        "version": "1.0.0",
        "scripts": {"build": "vite build"},
        "dependencies": {"left-pad": "^1.3.0"},
    }
    (src / "package.json").write_text(json.dumps(manifest))
    (src / "index.html").write_text("<p>x</p>")
    out = await build_submission(src, tmp_path / "w", cache_dir=tmp_path / "cache")
    assert (out.verdict_status, out.info.status) == ("rejected", "invalid_manifest")
    assert "package 'left-pad'" in out.reason and "host 127.0.0.1" in out.reason
    assert hits == []
    assert not any((tmp_path / "cache" / "node_modules").iterdir())  # nothing installed


@pytest.mark.parametrize(
    ("resolved", "host"),
    [
        ("https://evil.example/x.tgz", "evil.example"),
        ("git+ssh://git@github.com/evil/x.git#0123abc", "github.com"),
        ("http://127.0.0.1:9/x.tgz", "127.0.0.1"),
        ("https://registry.npmjs.org.evil.example/x/-/x-1.0.0.tgz", "registry.npmjs.org.evil"),
        ("https://registry.npmjs.org@evil.example/x/-/x-1.0.0.tgz", "evil.example"),
        ("http://registry.npmjs.org/x/-/x-1.0.0.tgz", "registry.npmjs.org"),  # not https
        ("https://registry.npmjs.org/x/-/../../evil/x.tgz", "registry.npmjs.org"),
        ("github:evil/x#0123abc", "github:"),
    ],
)
def test_foreign_resolved_host_rejected_naming_package_and_host(tmp_path, resolved, host):
    p = write_lock(tmp_path, lock({"node_modules/x": {"version": "1.0.0", "resolved": resolved}}))
    with pytest.raises(ManifestError, match="package 'x' resolves to host") as err:
        check_lockfile(p, tmp_path, NPMJS)
    assert host in str(err.value)


def test_backslash_host_confusion_rejected(tmp_path):
    # Python's urlsplit sees registry.npmjs.org here; Node's URL parser sees evil.example.
    url = "https://evil.example\\@registry.npmjs.org/x/-/x-1.0.0.tgz"
    p = write_lock(tmp_path, lock({"node_modules/x": {"version": "1.0.0", "resolved": url}}))
    with pytest.raises(ManifestError, match="package 'x' has a malformed resolved"):
        check_lockfile(p, tmp_path, NPMJS)


@pytest.mark.parametrize(
    "entry",
    [
        {"version": "1.0.0", "resolved": "../outside", "link": True},
        {"version": "1.0.0", "resolved": "file:../x-1.0.0.tgz"},
        {"version": "1.0.0", "resolved": "file:/etc/x-1.0.0.tgz"},
    ],
)
def test_local_path_leaving_project_rejected(tmp_path, entry):
    p = write_lock(tmp_path, lock({"node_modules/x": entry}))
    with pytest.raises(ManifestError, match="package 'x' .*outside the project"):
        check_lockfile(p, tmp_path, NPMJS)


def test_lockfile_v1_git_version_rejected(tmp_path):
    data = {
        "lockfileVersion": 1,
        "dependencies": {
            "a": {
                "version": "1.0.0",
                "resolved": TARBALL,
                "integrity": SHA,
                "dependencies": {"x": {"version": "git+ssh://git@evil.example/x.git#abc"}},
            }
        },
    }
    p = write_lock(tmp_path, data)
    with pytest.raises(ManifestError, match="package 'a > x' resolves to host evil.example"):
        check_lockfile(p, tmp_path, NPMJS)


def test_shrinkwrap_of_in_project_file_dependency_checked(tmp_path):
    bad = lock({"node_modules/y": {"version": "1.0.0", "resolved": "https://evil.example/y.tgz"}})
    write_lock(tmp_path / "vendor" / "sub", bad, "npm-shrinkwrap.json")
    with pytest.raises(ManifestError, match="vendor/sub/npm-shrinkwrap.json: package 'y'"):
        check_project_lockfiles(tmp_path, ["./vendor/sub"], NPMJS)


def test_overrides_pointing_outside_registry_rejected():
    manifest = {"dependencies": {"a": "^1.0.0"}, "overrides": {"a": {"b": "https://evil/x.tgz"}}}
    with pytest.raises(ManifestError, match="dependency 'b'.*outside the npm registry"):
        validate_dependencies(manifest)
    validate_dependencies({"dependencies": {"a": "^1.0.0"}, "overrides": {"a": "$a", "b": "2.x"}})


def test_normal_lockfile_passes(tmp_path):
    entries = {
        "node_modules/left-pad": {"version": "1.3.0", "resolved": TARBALL, "integrity": SHA},
        "node_modules/@scope/y": {
            "version": "2.0.0",
            "resolved": "https://registry.npmjs.org:443/@scope/y/-/y-2.0.0.tgz",
            "integrity": SHA,
        },
        "node_modules/z": {"version": "1.0.0", "integrity": SHA},  # resolved omitted
        "node_modules/bundled": {"version": "1.0.0", "inBundle": True},
        "node_modules/sub": {"resolved": "packages/sub", "link": True},
        "packages/sub": {"version": "0.1.0"},
        "node_modules/t": {"version": "1.0.0", "resolved": "file:vendor/t-1.0.0.tgz"},
    }
    assert check_lockfile(write_lock(tmp_path, lock(entries)), tmp_path, NPMJS) == []
    real = tmp_path / "real"
    shutil.copytree(PROJECTS / "vite-react", real, ignore=shutil.ignore_patterns("node_modules"))
    assert check_project_lockfiles(real, [], NPMJS) == []


def test_missing_integrity_warns_but_passes(tmp_path, caplog):
    p = write_lock(tmp_path, lock({"node_modules/x": {"version": "1.0.0", "resolved": TARBALL}}))
    warnings = check_lockfile(p, tmp_path, NPMJS)
    assert warnings == [
        "warning: package-lock.json: 1 registry package(s) have no integrity hash (x)"
    ]
    assert warnings[0] in caplog.text


def test_mirror_and_scoped_registries_from_npm_config(tmp_path):
    cfg = parse_npm_config(
        {
            "registry": "http://127.0.0.1:4873/",
            "@acme:registry": "https://npm.acme.example/repo/npm/",
            "replace-registry-host": "npmjs",
        }
    )
    ok = {
        "node_modules/a": {"resolved": "http://127.0.0.1:4873/a/-/a-1.0.0.tgz", "integrity": SHA},
        "node_modules/@acme/b": {
            "resolved": "https://npm.acme.example/repo/npm/@acme/b/-/b-1.0.0.tgz",
            "integrity": SHA,
        },
        # npm rewrites npmjs URLs to the configured registry (replace-registry-host=npmjs).
        "node_modules/c": {"resolved": TARBALL, "integrity": SHA},
    }
    assert check_lockfile(write_lock(tmp_path / "ok", lock(ok)), tmp_path / "ok", cfg) == []
    outside = {"node_modules/@acme/b": {"resolved": "https://npm.acme.example/other/b.tgz"}}
    p = write_lock(tmp_path / "bad", lock(outside))
    with pytest.raises(ManifestError, match="package '@acme/b' resolves to host npm.acme"):
        check_lockfile(p, tmp_path / "bad", cfg)
    never = RegistryConfig("http://127.0.0.1:4873/", replace_registry_host="never")
    p = write_lock(tmp_path / "never", lock({"node_modules/c": {"resolved": TARBALL}}))
    with pytest.raises(ManifestError, match="host registry.npmjs.org"):
        check_lockfile(p, tmp_path / "never", never)


async def test_registry_config_is_the_users_npm_config():
    argv = ["npm", "config", "get", "registry"]
    got = await asyncio.to_thread(subprocess.run, argv, capture_output=True, text=True, check=True)
    want = got.stdout.strip()
    cfg = await registry_config()
    assert cfg.registry == want
    assert await registry_config() is cfg  # read once per process
