"""Hostile or odd requests to a real `fjudge serve`: each test is named for what it stops."""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.service.service_harness import ServiceProcess

PAGE = "<!doctype html><title>t</title><h1>Hello {n}</h1><p>A small page number {n}.</p>"


@pytest.mark.parametrize("name", ["page.html", "PAGE.HTM"])
def test_uploaded_html_file_is_judged_as_a_page_not_as_a_payload(
    client: httpx.Client, name: str
) -> None:
    # Was: kind "html" read as a JSON payload → infra_error "No such file … payload.json".
    files = {"file": (name, PAGE.format(n=name).encode(), "text/html")}
    r = client.post("/v1/score", params={"wait": 300}, files=files)
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["status"] == "done" and view["input_kind"] == "html", view
    assert view["verdict"]["status"] == "ok" and view["verdict"]["score"] > 0
    assert view["error"] is None


ITEM_BODIES = [
    (b'{"html": "x", "step": 1e400}', "out of range"),
    (b'{"html": "x", "step": -1e400}', "out of range"),
    (b'{"html": "x", "signals": {"a": NaN}}', "NaN is not a JSON number"),
    (b'{"html": "x", "signals": {"a": Infinity}}', "Infinity is not a JSON number"),
    (b'{"html": "x", "signals": {"a": -Infinity}}', "Infinity is not a JSON number"),
    (b'{"html": "x", "step": 99999999999999999999999999999999}', "out of range"),
    (b'{"html": "x", "step": ' + b"9" * 5000 + b"}", "out of range"),
    (b'{"html": "x", "signals": {"a": "NaN"}}', "less than or equal to 1"),
    (b'{"html": "x", "step": "99999999999999999999999"}', "out of range"),
    (b'{"html": "x", "policy": {"weights": {"frontend": {"judge": "Infinity"}}}}', "not finite"),
    (b'{"html": "\xff\xfe"}', "not valid UTF-8"),
    (b'{"html": "x"' + b"\xc3", "not valid UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
]


def _as(endpoint: str, item: bytes) -> bytes:
    return b'{"items": [' + item + b"]}" if endpoint == "/v1/rewards" else item


@pytest.mark.parametrize("endpoint", ["/v1/jobs", "/v1/score", "/v1/rewards"])
@pytest.mark.parametrize(("body", "needle"), ITEM_BODIES)
def test_malformed_numbers_and_bad_encoding_get_422_not_500(
    client: httpx.Client, endpoint: str, body: bytes, needle: str
) -> None:
    r = client.post(
        endpoint, content=_as(endpoint, body), headers={"content-type": "application/json"}
    )
    assert r.status_code == 422, (r.status_code, r.text[:300])
    assert r.json()["detail"] and needle in r.text, r.text[:300]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (b'{"items": [{"html": "x"}], "step": 1e400}', "out of range"),
        (b'{"items": [{"html": "x"}], "wait": NaN}', "NaN"),
        (b'{"items": [{"html": "x"}], "step": 123456789012345678901234567890}', "out of range"),
    ],
)
def test_malformed_batch_numbers_get_422(client: httpx.Client, body: bytes, needle: str) -> None:
    r = client.post("/v1/rewards", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422 and needle in r.text, r.text[:300]


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("step", "1e400", "out of range"),
        ("step", "123456789012345678901234567890", "out of range"),
        ("signals", '{"a": NaN}', "NaN"),
        ("policy", '{"weights": {"frontend": {"judge": "Infinity"}}}', "not finite"),
    ],
)
def test_malformed_numbers_in_multipart_fields_get_422(
    client: httpx.Client, field: str, value: str, needle: str
) -> None:
    files = {"file": ("page.html", b"<h1>x</h1>", "text/html")}
    r = client.post("/v1/jobs", files=files, data={field: value})
    assert r.status_code == 422 and needle in r.text, r.text[:300]


def _mode(p: Path) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


def test_job_database_and_spool_are_private(client: httpx.Client, service: ServiceProcess) -> None:
    client.post("/v1/score", params={"wait": 300}, json={"html": PAGE.format(n="private")})
    db = service.db
    files = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
    assert {str(f): _mode(f) for f in files if f.exists()} == {str(f): 0o600 for f in files}
    assert _mode(db.with_name(db.name + ".spool")) == 0o700


def test_errors_sent_to_clients_name_no_server_path(
    client: httpx.Client, service: ServiceProcess
) -> None:
    # A member that is both a file and a folder: the OS error names the unpack directory.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a", b"x")
        zf.writestr("a/index.html", b"<h1>x</h1>")
    answers = [
        client.post("/v1/score", files={"file": ("clash.zip", buf.getvalue(), "application/zip")}),
        client.post("/v1/score", files={"file": ("bad.tar.gz", b"\x1f\x8b garbage", "x/y")}),
        client.post("/v1/score", json={"files": {"a" * 300 + ".html": "<p>x</p>"}}),
        client.post("/v1/score", json={"files": {"/".join(["d"] * 1200) + "/i.html": "x"}}),
    ]
    server_dirs = {str(service.db.parent), str(service.db.parent / "cache"), str(Path.home())}
    for r in answers:
        assert r.status_code == 200, r.text[:300]
        assert r.json()["verdict"]["status"] == "rejected", r.text[:300]
        leaked = [d for d in server_dirs if d in r.text]
        assert leaked == [], (leaked, r.json()["verdict"]["reason"])
        assert not re.search(r"/tmp/fjudge-|\.spool/", r.text), r.json()["verdict"]["reason"]


def test_docs_load_only_local_assets(client: httpx.Client) -> None:
    for page in ("/docs", "/redoc"):
        r = client.get(page)
        assert r.status_code == 200 and "text/html" in r.headers["content-type"]
        urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", r.text)
        urls += re.findall(r"""url:\s*['"]([^'"]+)['"]""", r.text)
        urls += re.findall(r"""spec-url=["']([^"']+)["']""", r.text)
        assert urls, r.text[:500]
        assert [u for u in urls if not u.startswith("/")] == [], urls
        assert "//" not in r.text.replace("http://www.w3.org", ""), "absolute URL in " + page
        for u in urls:
            got = client.get(u)
            assert got.status_code == 200 and len(got.content) > 100, (u, got.status_code)


def test_serve_says_where_it_listens_and_logs_requests(tmp_path: Path) -> None:
    svc = ServiceProcess(tmp_path / "log.db", "--workers", "1").start()
    try:
        with httpx.Client(base_url=svc.url, timeout=30) as c:
            assert c.get("/v1/jobs/" + "f" * 32).status_code == 404
        svc.stop()
        log = svc.log.read_text()
    finally:
        svc.stop()
    assert f"listening on http://127.0.0.1:{svc.port}" in log, log[:2000]
    assert re.search(rf'"GET /v1/jobs/{"f" * 32} HTTP/1.1" 404', log), log[-2000:]
