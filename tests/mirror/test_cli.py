"""`fjudge mirror`: list, lock export/import, prune, prefill (against the loopback registry)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from judge.cli import app


def _run(monkeypatch, tmp_path, *args):
    monkeypatch.setenv("FJUDGE_CACHE", str(tmp_path / "cache"))
    return CliRunner().invoke(app, ["mirror", *args])


def test_lock_export_import_round_trip(monkeypatch, tmp_path):
    src = tmp_path / "theirs.json"
    src.write_text(json.dumps({"format": 1, "pins": {"react@18": "18.3.1", "vue@3": "3.4.0"}}))
    r = _run(monkeypatch, tmp_path, "lock", "import", str(src))
    assert r.exit_code == 0 and "2 pins imported" in r.output
    out = tmp_path / "ours.json"
    r = _run(monkeypatch, tmp_path, "lock", "export", str(out))
    assert r.exit_code == 0
    assert json.loads(out.read_text())["pins"] == {"react@18": "18.3.1", "vue@3": "3.4.0"}
    listed = json.loads(_run(monkeypatch, tmp_path, "list", "--json").output)
    assert listed["pins"]["react@18"] == "18.3.1" and listed["packages"] == []


def test_lock_import_refuses_garbage(monkeypatch, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("not json")
    r = _run(monkeypatch, tmp_path, "lock", "import", str(bad))
    assert r.exit_code == 2
    assert _run(monkeypatch, tmp_path, "lock", "import", str(tmp_path / "missing")).exit_code == 2


async def test_prefill_then_prune(monkeypatch, tmp_path, registry):
    from judge.mirror.registry import Registry
    from judge.mirror.scan import scan_paths
    from judge.mirror.service import MirrorService

    registry.publish("lib", "1.0.0", {"package.json": b"{}", "index.js": b"x"})
    registry.publish("old", "1.0.0", {"package.json": b"{}", "index.js": b"x"})
    page = tmp_path / "page.html"
    page.write_text(
        '<link rel="preconnect" href="https://unpkg.com">'
        '<script src="https://unpkg.com/lib@1/index.js"></script>'
        "<script src='//cdn.jsdelivr.net/npm/old@1.0.0/index.js'></script>"
        '<script src="https://example.com/not-a-cdn.js"></script>'
    )
    urls = scan_paths([page])
    assert urls == [
        "https://unpkg.com/lib@1/index.js",
        "https://cdn.jsdelivr.net/npm/old@1.0.0/index.js",
    ]
    root = tmp_path / "cache" / "mirror"
    service = MirrorService(root, registry=Registry(base=registry.url))
    try:
        assert all([(await service.warm(u)).action == "mirrored" for u in urls])
    finally:
        await service.close()
    lock = json.loads((root / "lock.json").read_text())["pins"]
    assert lock == {"lib@1": "1.0.0", "old@1.0.0": "1.0.0"}
    # Unpin one and prune: only the pinned version stays.
    (root / "lock.json").write_text(json.dumps({"format": 1, "pins": {"lib@1": "1.0.0"}}))
    r = _run(monkeypatch, tmp_path, "prune")
    assert r.exit_code == 0 and "removed 1 package versions" in r.output
    assert (root / "packages" / "lib" / "1.0.0").is_dir()
    assert not (root / "packages" / "old" / "1.0.0").exists()
