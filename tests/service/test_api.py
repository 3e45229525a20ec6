"""The scoring service over real HTTP: validation, limits, archives, rewards, metrics."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import tarfile
import zipfile

import httpx
import pytest

from tests.service.service_harness import ServiceProcess, wait_all

PAGE = "<!doctype html><title>t</title><h1>Hello {n}</h1><p>A small page number {n}.</p>"


def test_json_job_lifecycle_and_openapi(client: httpx.Client) -> None:
    r = client.post("/v1/jobs", json={"html": PAGE.format(n=1)})
    assert r.status_code == 202 and r.json()["status"] == "queued"
    [view] = wait_all(client, [r.json()["id"]])
    assert view["status"] == "done" and view["verdict"]["status"] == "ok"
    assert view["verdict"]["score"] is not None and view["reward"] is None  # no policy given
    spec = client.get("/openapi.json").json()
    assert {"/v1/jobs", "/v1/score", "/v1/rewards", "/get_reward"} <= set(spec["paths"])
    assert "application/json" in spec["paths"]["/v1/jobs"]["post"]["requestBody"]["content"]
    assert client.get("/v1/jobs/" + "0" * 32).status_code == 404
    assert client.get("/v1/jobs/..%2Fetc%2Fpasswd").status_code in (404, 422)


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (b'{"html": "<p>x</p>"', "Invalid JSON"),
        (b'{"html": "<p>x</p>", "path": "/etc/passwd"}', "Extra inputs are not permitted"),
        (b'{"html": "a", "completion": "b"}', "exactly one"),
        (b"{}", "exactly one"),
        (b'{"html": "a", "rubric": "/etc/passwd"}', "pattern"),
        (b'{"html": "a", "signals": {"tests_passed": 7}}', "less than or equal to 1"),
    ],
)
def test_malformed_or_unknown_fields_get_422_with_message(
    client: httpx.Client, body: bytes, needle: str
) -> None:
    r = client.post("/v1/jobs", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert needle in r.text and r.json()["detail"]


def test_multipart_unknown_field_and_bad_suffix_get_422(client: httpx.Client) -> None:
    files = {"file": ("page.html", b"<h1>x</h1>", "text/html")}
    r = client.post("/v1/jobs", files=files, data={"colour": "red"})
    assert r.status_code == 422 and "colour" in r.text
    r = client.post("/v1/jobs", files={"file": ("run.sh", b"echo", "text/plain")})
    assert r.status_code == 422 and "unsupported upload" in r.text
    r = client.post("/v1/rewards", json={"items": [{"html": "x"}], "bogus": True})
    assert r.status_code == 422 and "bogus" in r.text


def test_oversize_body_gets_413_without_reading_it_whole(service: ServiceProcess) -> None:
    # Announce 60 MB, send 64 KB, and read the answer: the server must reply without the rest.
    with socket.create_connection(("127.0.0.1", service.port), timeout=30) as s:
        s.sendall(
            b"POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 62914560\r\n\r\n" + b" " * 65536
        )
        head = s.recv(4096)
    assert head.startswith(b"HTTP/1.1 413"), head[:200]


def test_chunked_body_over_the_cap_gets_413_while_streaming(service: ServiceProcess) -> None:
    # No Content-Length: the cap (1 MB here) is enforced on the bytes received so far.
    with socket.create_connection(("127.0.0.1", service.port), timeout=30) as s:
        s.sendall(
            b"POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"a" * 65536
        answer = b""
        for _ in range(64):  # up to 4 MB; the server answers after ~1 MB
            try:
                s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break
            s.settimeout(0.05)
            try:
                answer = s.recv(4096)
            except TimeoutError:
                continue
            finally:
                s.settimeout(30)
            if answer:
                break
        if not answer:
            answer = s.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _tar_symlink() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        info = tarfile.TarInfo("index.html")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        tf.addfile(info)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("evil.zip", _zip({"../escape.html": b"x", "index.html": b"<h1>x</h1>"}), "outside"),
        ("link.tar.gz", _tar_symlink(), "link"),
    ],
)
def test_unsafe_archive_gets_rejected_verdict(
    client: httpx.Client, service: ServiceProcess, name: str, data: bytes, needle: str
) -> None:
    r = client.post("/v1/score", files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == 200, r.text
    v = r.json()["verdict"]
    assert v["status"] == "rejected" and needle in v["reason"]
    assert not (service.db.parent / "escape.html").exists()


def test_unsafe_files_json_gets_rejected_verdict(client: httpx.Client) -> None:
    r = client.post("/v1/score", json={"files": {"../../x.html": "<h1>x</h1>"}})
    assert r.status_code == 200
    assert r.json()["verdict"]["status"] == "rejected" and ".." in r.json()["verdict"]["reason"]


def test_rewards_batch_with_groups_and_policy(client: httpx.Client) -> None:
    broken = "no code here, sorry"
    good = "Here it is:\n```html\n" + PAGE.format(n=7) + "\n```\n"
    body = {
        "policy": {"weights": {"frontend": {"judge": 1.0}}, "gates": {"rejected": -1.0}},
        "items": [
            {"completion": good, "group": "p1"},
            {"completion": broken, "group": "p1"},
            {"html": PAGE.format(n=8), "group": "p2"},
        ],
    }
    r = client.post("/v1/rewards", json=body)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["pending"] == []
    assert got["jobs"][1]["verdict"]["status"] == "rejected" and got["rewards"][1] == -1.0
    assert got["rewards"][0] == got["jobs"][0]["reward"]["value"] > 0
    # group p1: two values → ±1/√2 with the unbiased std; p2 alone → 0
    assert got["normalised"][0] == pytest.approx(0.7071, abs=1e-3)
    assert got["normalised"][1] == pytest.approx(-0.7071, abs=1e-3)
    assert got["normalised"][2] == 0.0
    metrics = client.get("/metrics").text
    for name in (
        "fjudge_queue_depth",
        "fjudge_jobs{",
        "fjudge_judge_seconds_bucket",
        "fjudge_browser_restarts",
    ):
        assert name in metrics


def test_api_keys_and_loopback_rule(tmp_path) -> None:
    svc = ServiceProcess(tmp_path / "k.db", env={"FJUDGE_API_KEYS": "k-one,k-two"}).start()
    try:
        with httpx.Client(base_url=svc.url, timeout=30) as c:
            assert c.get("/healthz").status_code == 200
            assert c.get("/metrics").status_code == 401
            assert c.get("/metrics", headers={"Authorization": "Bearer k-wrong"}).status_code == 401
            assert c.get("/metrics", headers={"Authorization": "Bearer k-two"}).status_code == 200
            assert c.get("/metrics", headers={"X-API-Key": "k-one"}).status_code == 200
    finally:
        svc.stop()
    env = {k: v for k, v in __import__("os").environ.items() if k != "FJUDGE_API_KEYS"}
    out = subprocess.run(
        [sys.executable, "-c", "from judge.cli import main; main()", "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert out.returncode == 2 and "without API keys" in out.stderr
