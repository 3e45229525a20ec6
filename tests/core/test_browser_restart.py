"""A browser that dies (killed, OOM, crash) is the environment's fault: the Judge relaunches it
and retries the submission once, so the verdict is the page's, never a low score or a loss."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from tests.conftest import SITES

pytestmark = pytest.mark.browser


def _kill_browser(marker: Path) -> int:
    """SIGKILL the browser's sandbox (bwrap and the relay: their command line names the
    preview socket); Chromium dies with its PID namespace."""
    killed = 0
    for d in Path("/proc").iterdir():
        if not d.name.isdigit() or int(d.name) == os.getpid():
            continue
        try:
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if str(marker).encode() in cmd:
            try:
                os.kill(int(d.name), signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
    return killed


async def test_killed_browser_is_relaunched_and_the_job_retried():
    from judge.pipeline import Judge
    from judge.schema import JudgeOptions

    async with Judge(JudgeOptions(workers=1, judge="deterministic")) as judge:
        first = await judge.judge(SITES / "good")
        assert first.status == "ok"
        assert _kill_browser(judge._tmp / "preview.sock") >= 1
        # Killed between jobs: the next job finds it dead and relaunches.
        second = await judge.judge(SITES / "good")
        assert second.status == "ok", second.reason
        assert second.stable_dict() == first.stable_dict()
        assert judge.browser_restarts == 1

        # Killed in the middle of a job: that job is retried once on a fresh browser.
        task = asyncio.create_task(judge.judge(SITES / "good"))
        for _ in range(500):
            if any(s.hits for s in judge.preview.sites.values()):
                break
            await asyncio.sleep(0.01)
        assert _kill_browser(judge._tmp / "preview.sock") >= 1
        third = await task
        assert third.status == "ok", third.reason
        assert third.score == first.score
        assert judge.browser_restarts == 2
