"""One warm Judge per process for synchronous callers (trainer reward functions, scripts).

A `JudgeHost` runs an asyncio loop on a daemon thread with one `Judge` (one Chromium,
`workers` pages at a time). `shared_host(options)` gives every caller in the process with the
same options the same host, so several reward functions (or several policies) in one trainer
rank share one browser instead of each starting its own. Its size comes from the options —
by default `FJUDGE_WORKERS` (2 when unset), never the machine's core count, because a trainer
node's cores belong to the trainer.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from judge.schema import JudgeOptions

if TYPE_CHECKING:
    from judge.pipeline import Judge

T = TypeVar("T")
DEFAULT_WORKERS = 2


def default_options(rubric: str | None = None) -> JudgeOptions:
    """Options from the environment: FJUDGE_WORKERS, FJUDGE_RUBRIC, FJUDGE_CALIBRATION."""
    workers = int(os.environ.get("FJUDGE_WORKERS") or DEFAULT_WORKERS)
    cal = os.environ.get("FJUDGE_CALIBRATION")
    return JudgeOptions(
        rubric=rubric or os.environ.get("FJUDGE_RUBRIC") or "frontend",
        workers=workers,
        calibration=Path(cal) if cal else None,
    )


class JudgeHost:
    """A Judge living on its own event-loop thread; call `run` from any thread."""

    def __init__(self, options: JudgeOptions) -> None:
        self.options = options
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="fjudge")
        self._thread.start()
        self._judge: Judge | None = None
        self._start_lock = asyncio.Lock()
        self.closed = False

    def run(self, fn: Callable[[Judge], Awaitable[T]]) -> T:
        """Run `fn(judge)` on the host's loop and wait for its result (sync callers)."""
        return self.submit(fn).result()

    def submit(self, fn: Callable[[Judge], Awaitable[T]]) -> Future[T]:
        """Schedule `fn(judge)` on the host's loop; a concurrent.futures Future."""
        if self.closed:
            raise RuntimeError("this JudgeHost is closed")

        async def go() -> T:
            return await fn(await self._get())

        return asyncio.run_coroutine_threadsafe(go(), self._loop)

    async def arun(self, fn: Callable[[Judge], Awaitable[T]]) -> T:
        """`run` for callers on another event loop (async reward functions)."""
        return await asyncio.wrap_future(self.submit(fn))

    async def _get(self) -> Judge:
        async with self._start_lock:
            if self._judge is None:
                from judge.pipeline import Judge

                judge = Judge(self.options)
                await judge.__aenter__()  # exited in close()
                self._judge = judge
            return self._judge

    def close(self) -> None:
        """Close the Judge (browser, preview, temp dirs) and stop the loop thread."""
        if self.closed:
            return
        self.closed = True
        if self._judge is not None:
            judge, self._judge = self._judge, None
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(judge.close(), self._loop).result(60)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)


_HOSTS: dict[str, JudgeHost] = {}
_LOCK = threading.Lock()


def shared_host(options: JudgeOptions | None = None) -> JudgeHost:
    """The process-wide host for these options (created on first use, warm afterwards)."""
    from judge.rubric_check import load_rubric

    options = options or default_options()
    load_rubric(options.rubric)  # a rubric key that would do nothing fails here, not mid-run
    key = options.model_dump_json()
    with _LOCK:
        host = _HOSTS.get(key)
        if host is None or host.closed:
            host = _HOSTS[key] = JudgeHost(options)
        return host


def close_all() -> None:
    """Close every shared host (also run at interpreter exit)."""
    with _LOCK:
        hosts = list(_HOSTS.values())
        _HOSTS.clear()
    for h in hosts:
        with contextlib.suppress(Exception):
            h.close()


atexit.register(close_all)
