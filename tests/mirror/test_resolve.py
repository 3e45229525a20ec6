"""Versions resolve as unpkg/jsDelivr resolve them, are pinned in the lock, and stay pinned."""

from __future__ import annotations

import json

import pytest

from judge.mirror.packages import Miss


def _publish_versions(registry):
    for v in ("1.0.0", "1.2.0", "1.10.1", "2.0.0-beta.1", "2.0.0"):
        manifest = {
            "name": "lib",
            "version": v,
            "unpkg": "dist/lib.umd.js",
            "jsdelivr": "dist/lib.min.js",
            "main": "index.js",
        }
        registry.publish(
            "lib",
            v,
            {
                "package.json": json.dumps(manifest).encode(),
                "dist/lib.umd.js": f"/* umd {v} */".encode(),
                "dist/lib.min.js": f"/* min {v} */".encode(),
                "index.js": b"module.exports = 1;",
                "src/util.js": b"export const u = 1;",
                "src/dir/index.js": b"export const d = 1;",
            },
            tags={"latest": "1.10.1", "next": "2.0.0-beta.1"},
        )


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("", "1.10.1"),
        ("latest", "1.10.1"),
        ("next", "2.0.0-beta.1"),
        ("1", "1.10.1"),
        ("1.x.x", "1.10.1"),
        ("~1.2", "1.2.0"),
        ("^2", "2.0.0"),
        ("1.0.0", "1.0.0"),
        (">=1 <1.5", "1.2.0"),
    ],
)
async def test_ranges_and_tags_resolve_like_the_cdns(registry, local_mirror, spec, expected):
    _publish_versions(registry)
    assert await local_mirror.packages.resolve("lib", spec) == expected


async def test_unknown_range_is_not_found(registry, local_mirror):
    _publish_versions(registry)
    with pytest.raises(Miss) as exc:
        await local_mirror.packages.resolve("lib", "^9")
    assert exc.value.reason == "not_found"


async def test_default_entry_and_probing_follow_each_cdn(registry, local_mirror):
    _publish_versions(registry)
    p = local_mirror.packages
    assert (await p.get("lib", "1", "", cdn="unpkg")).rel == "dist/lib.umd.js"
    assert (await p.get("lib", "1", "", cdn="jsdelivr")).rel == "dist/lib.min.js"
    assert (await p.get("lib", "1", "src/util")).rel == "src/util.js"
    assert (await p.get("lib", "1", "src/dir")).rel == "src/dir/index.js"
    # `.min` of a file the package ships unminified: jsDelivr and cdnjs minify, unpkg has none.
    assert (await p.get("lib", "1", "dist/lib.umd.min.js", cdn="jsdelivr")).rel == "dist/lib.umd.js"
    assert (await p.get("lib", "1", "src/util.min.js", cdn="cdnjs")).rel == "src/util.js"
    with pytest.raises(Miss):
        await p.get("lib", "1", "dist/lib.umd.min.js", cdn="unpkg")


async def test_resolution_is_pinned_and_survives_new_releases(registry, local_mirror, tmp_path):
    _publish_versions(registry)
    assert await local_mirror.packages.resolve("lib", "1") == "1.10.1"
    registry.publish("lib", "1.11.0", {"package.json": b"{}"}, tags={"latest": "1.11.0"})
    # The store's packument is stale on purpose: the pin decides, not the registry.
    assert await local_mirror.packages.resolve("lib", "1") == "1.10.1"
    assert local_mirror.lock.get("lib@1") == "1.10.1"
    exported = tmp_path / "lock.json"
    assert local_mirror.lock.export(exported) >= 1
    # Another machine importing the lock resolves the same, even against the newer registry.
    from judge.mirror.registry import Registry
    from judge.mirror.service import MirrorService

    other = MirrorService(tmp_path / "other", registry=Registry(base=registry.url))
    try:
        assert await other.packages.resolve("lib", "1") == "1.11.0"  # unpinned: newest
        other.lock.import_(exported)
        assert other.lock.get("lib@1") == "1.10.1"
        assert await other.packages.resolve("lib", "1") == "1.10.1"
    finally:
        await other.close()


async def test_offline_miss_is_reported_and_fetches_nothing(registry, tmp_path):
    from judge.mirror.registry import Registry
    from judge.mirror.service import MirrorService

    _publish_versions(registry)
    service = MirrorService(tmp_path / "m", offline=True, registry=Registry(base=registry.url))
    try:
        with pytest.raises(Miss) as exc:
            await service.packages.get("lib", "1", "")
        assert exc.value.reason == "offline"
        rec = await service.warm("https://unpkg.com/lib@1/dist/lib.umd.js")
        assert rec.action == "blocked" and rec.reason == "offline"
    finally:
        await service.close()
    assert registry.hits == []
