"""Judge lifecycles: nothing is left behind by a terminated CLI or by a killed process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "tests" / "fixtures" / "sites" / "good"

_HOLDER = """
import asyncio, sys, tempfile
from pathlib import Path
from judge.pipeline import Judge
from judge.schema import JudgeOptions

async def main():
    async with Judge(JudgeOptions(workers=1, judge="deterministic")) as j:
        await j.judge(Path(sys.argv[1]))
        print("READY", flush=True)
        await asyncio.sleep(600)

asyncio.run(main())
"""


def _ours(pid: int) -> list[Path]:
    out = []
    for d in Path(tempfile.gettempdir()).glob("fjudge-*"):
        try:
            if (d / ".owner").read_text().strip() == str(pid):
                out.append(d)
        except OSError:
            continue
    return out


def _start(args: list[str]) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def _wait_ready(p: subprocess.Popen) -> None:
    line = p.stdout.readline()  # type: ignore[union-attr]
    assert line.strip() == "READY", (line, p.stderr.read() if p.poll() is not None else "")  # type: ignore[union-attr]


@pytest.mark.browser
def test_sigkilled_process_dirs_are_reaped_by_the_next_judge():
    from judge.workdirs import clean_stale

    p = _start([sys.executable, "-c", _HOLDER, str(SITE)])
    try:
        _wait_ready(p)
        left = _ours(p.pid)
        assert left, "the judge should have working directories while it runs"
        # The browser's profile (Playwright's) and Chromium's singleton socket dir are made
        # inside them, not beside them in /tmp, where a kill would leave them for ever.
        inside = [x.name.split("-")[0] for d in left for x in (d / "tmp").glob("*")]
        assert "playwright_chromiumdev_profile" in inside, inside
        assert any(n.startswith("org.chromium.Chromium") for n in inside), inside
        p.send_signal(signal.SIGKILL)
        p.wait(30)
    finally:
        if p.poll() is None:
            p.kill()
    assert all(d.exists() for d in left)  # SIGKILL: nobody could clean up
    removed = clean_stale()
    assert set(left) <= set(removed)
    assert not any(d.exists() for d in left)


@pytest.mark.browser
def test_sigterm_to_the_cli_closes_the_judge_and_removes_its_dirs(tmp_path):
    # A page that never settles keeps the CLI busy long enough to be terminated mid-judgment.
    page = tmp_path / "slow.html"
    page.write_text("<h1>busy</h1><script>setInterval(() => fetch('/x'), 50)</script>")
    p = _start([sys.executable, "-m", "judge", "score", str(page), "--json", "--workers", "1"])
    try:
        deadline = time.monotonic() + 60
        while not _ours(p.pid) and time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.1)
        assert _ours(p.pid), "the CLI should have made its working directories"
        time.sleep(1.0)  # let it get into the browser work
        p.send_signal(signal.SIGTERM)
        code = p.wait(60)
    finally:
        if p.poll() is None:
            p.kill()
    assert code in (0, 143), p.stderr.read()  # type: ignore[union-attr]
    assert _ours(p.pid) == []
