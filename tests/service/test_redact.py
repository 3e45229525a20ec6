"""Server paths never reach API clients: the redactor, and a real service whose error names one."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import httpx

from judge.service.redact import PathRedactor
from judge.service.settings import Settings
from tests.service.service_harness import ServiceProcess


def test_redactor_replaces_every_server_directory(tmp_path: Path) -> None:
    db = tmp_path / "data" / "jobs.db"
    r = PathRedactor.for_settings(Settings(db=db, cache_dir=tmp_path / "cache"))
    spool = f"{db}.spool/0123/payload.json"
    text = (
        f"[Errno 2] No such file or directory: '{spool}'; cache {tmp_path}/cache/npm/x; "
        f"venv {sys.prefix}/lib/site.py; home {Path.home()}/.npmrc; tmp {tempfile.gettempdir()}/a"
    )
    out = r(text)
    assert "'<spool>/0123/payload.json'" in out and "<cache>/npm/x" in out
    assert f"{sys.prefix}/" not in out and f"{Path.home()}/" not in out
    assert f"{tempfile.gettempdir()}/" not in out and str(tmp_path) not in out


def test_redactor_leaves_urls_and_look_alike_paths(tmp_path: Path) -> None:
    r = PathRedactor({"<data>": tmp_path / "srv"})
    text = f"GET http://fj-1.localhost/assets/app.js 404; {tmp_path}/srv2/x; /build/dist"
    assert r(text) == text


def test_service_error_naming_a_server_path_reaches_the_client_redacted(tmp_path: Path) -> None:
    db = tmp_path / "svc" / "jobs.db"
    db.parent.mkdir()
    missing = db.parent / "no-such-chromium"  # the environment fault names a server path
    svc = ServiceProcess(db, env={"FJUDGE_CHROMIUM": str(missing)}).start()
    try:
        with httpx.Client(base_url=svc.url, timeout=120) as c:
            view = c.post("/v1/score", json={"html": "<h1>x</h1>"}).json()
    finally:
        svc.stop()
    assert view["verdict"]["status"] == "infra_error"
    text = view["verdict"]["reason"] + (view["error"] or "")
    assert str(db.parent) not in text and "<data>/no-such-chromium" in text, text
