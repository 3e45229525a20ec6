"""Test harness: a real `fjudge serve` in a subprocess on a free loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServiceProcess:
    """`fjudge serve` as a child process; `url` once healthy."""

    def __init__(self, db: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.db, self.args, self.env = db, args, env or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = db.with_suffix(".log")

    def start(self) -> ServiceProcess:
        cmd = [sys.executable, "-c", "from judge.cli import main; main()", "serve"]
        cmd += ["--port", str(self.port), "--db", str(self.db), *self.args]
        env = dict(os.environ, FJUDGE_CACHE=str(self.db.parent / "cache"), **self.env)
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=log, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)  # polling for readiness, not a timed assertion
        raise RuntimeError("server did not become healthy within 60 s")

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def wait_all(client: httpx.Client, ids: list[str], timeout: float = 240) -> list[dict]:
    """Poll until every job is finished; returns the job views in order."""
    deadline = time.monotonic() + timeout
    out: dict[str, dict] = {}
    while time.monotonic() < deadline:
        for i in ids:
            if i not in out:
                view = client.get(f"/v1/jobs/{i}").json()
                if view["status"] in ("done", "failed"):
                    out[i] = view
        if len(out) == len(ids):
            return [out[i] for i in ids]
        time.sleep(0.25)
    raise AssertionError(f"{len(ids) - len(out)} jobs unfinished after {timeout}s")
