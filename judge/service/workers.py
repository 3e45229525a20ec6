"""The bounded worker pool: N workers take queued jobs from the store and judge them.

Design: N asyncio workers share ONE `Judge` per rubric (one warm Chromium, `workers=N`) rather
than one browser per worker. Chromium already puts every context's renderer in its own process,
so a second browser buys no isolation against hostile pages; it costs ~200 MB and a cold start,
and one shared browser keeps the service's throughput equal to `fjudge score --workers N` (the
benchmark compares the two). A browser that dies is relaunched by the Judge, which retries the
submission once; on top of that a job whose verdict is still `infra_error` is retried once here.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import time
from pathlib import Path
from typing import Any

from judge.finish import reward_for
from judge.inputs import InputRejected, infra_verdict, materialise, rejected_verdict
from judge.pipeline import Judge
from judge.reward import load_policy
from judge.schema import JudgeOptions, RubricRef, Task, Verdict, with_prompt
from judge.schema.service import JobView
from judge.service.metrics import Metrics
from judge.service.settings import Settings
from judge.service.store import JobStore

TEXT_KINDS = ("html", "files", "completion")
MAX_ATTEMPTS = 3  # a job that took the server down this often is not tried again


class WorkerPool:
    """Owns the Judges and the worker tasks; wakes waiters when their job finishes."""

    def __init__(self, store: JobStore, settings: Settings, metrics: Metrics) -> None:
        self.store, self.settings, self.metrics = store, settings, metrics
        self.judges: dict[str, Judge] = {}
        self._stack = contextlib.AsyncExitStack()  # every Judge entered is exited in stop()
        self._judge_lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._done: dict[str, asyncio.Event] = {}
        self.default_policy = load_policy(settings.policy) if settings.policy else None
        self.seconds_ema: float = 5.0  # for Retry-After estimates

    async def start(self) -> None:
        await asyncio.to_thread(self.store.requeue_running)
        await self.judge_for(self.settings.rubric)
        self._tasks = [asyncio.create_task(self._worker()) for _ in range(self.settings.workers)]
        self.notify()

    async def stop(self) -> None:
        for t in self._tasks:
            t.cancel()
        for t in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t
        await self._stack.aclose()
        self.judges.clear()

    def notify(self) -> None:
        """New work was queued."""
        self._wake.set()

    @property
    def browser_restarts(self) -> int:
        return sum(j.browser_restarts for j in self.judges.values())

    async def judge_for(self, rubric: str | None) -> Judge:
        """The warm Judge for a bundled rubric (created on first use)."""
        name = rubric or self.settings.rubric
        async with self._judge_lock:
            if name not in self.judges:
                opts = JudgeOptions(
                    rubric=name,
                    workers=self.settings.workers,
                    cache_dir=self.settings.cache_dir,
                    wall_seconds=self.settings.wall_seconds,
                    calibration=self.settings.calibration,
                )
                self.judges[name] = await self._stack.enter_async_context(Judge(opts))
            return self.judges[name]

    async def wait(self, job_id: str, seconds: float) -> JobView | None:
        """The job once finished, or its current state after `seconds`."""
        job = await asyncio.to_thread(self.store.get, job_id)
        if job is None or job.status not in ("queued", "running"):
            return job
        ev = self._done.setdefault(job_id, asyncio.Event())
        job = await asyncio.to_thread(self.store.get, job_id)  # it may have finished meanwhile
        if job is not None and job.status in ("queued", "running"):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ev.wait(), seconds)
            job = await asyncio.to_thread(self.store.get, job_id)
        else:
            self._done.pop(job_id, None)
        return job

    async def _worker(self) -> None:
        while True:
            # Clear before claiming: a job queued after an empty claim sets the event again.
            self._wake.clear()
            row = await asyncio.to_thread(self.store.claim)
            if row is None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), 30)
                continue
            self._wake.set()  # there may be more: let another idle worker look
            self.metrics.running.inc()
            try:
                await self._run(dict(row))
            except Exception as exc:  # a service bug must not kill the worker or lose the job
                await self._finish(
                    row["id"],
                    infra_verdict(f"service error: {type(exc).__name__}: {exc}", self._ref()),
                    None,
                    error=str(exc),
                )
            finally:
                self.metrics.running.dec()

    def _ref(self, rubric: str | None = None) -> RubricRef:
        j = self.judges.get(rubric or self.settings.rubric)
        if j is None:
            return RubricRef(id=rubric or self.settings.rubric, version="?")
        return RubricRef(id=j.rubric.id, version=j.rubric.version)

    async def _run(self, row: dict[str, Any]) -> None:
        job_id, kind = row["id"], row["input_kind"]
        opts: dict[str, Any] = json.loads(row["options"])
        if row["attempts"] > MAX_ATTEMPTS:
            reason = f"the job was started {MAX_ATTEMPTS} times without finishing"
            await self._finish(job_id, infra_verdict(reason, self._ref()), opts, error=reason)
            return
        judge = await self.judge_for(opts.get("rubric"))
        ref = RubricRef(id=judge.rubric.id, version=judge.rubric.version)
        jdir = self.store.job_dir(job_id)
        if "upload" not in opts and kind in TEXT_KINDS:  # an uploaded .html is a file, not text
            payload = json.loads((jdir / "payload.json").read_text(encoding="utf-8"))
            site = jdir / "site"
            shutil.rmtree(site, ignore_errors=True)  # a re-queued job may have a partial copy
            try:
                path = await asyncio.to_thread(materialise, kind, payload, site)
            except InputRejected as exc:
                await self._finish(job_id, rejected_verdict(kind, payload, str(exc), ref), opts)
                return
        else:
            path = jdir / opts["upload"]
        task = Task.model_validate(opts["task"]) if opts.get("task") else None
        task = with_prompt(task, opts.get("prompt"))  # the job's prompt over the task's own
        t0 = time.monotonic()
        verdict: Verdict | None = None
        error = None
        for attempt in (1, 2):
            try:
                verdict = await asyncio.wait_for(
                    judge.judge(Path(path), task=task), self.settings.job_timeout
                )
            except TimeoutError:
                error = f"the job exceeded its {self.settings.job_timeout:.0f}s timeout"
                verdict = infra_verdict(error, ref)
                break
            if verdict.status != "infra_error" or attempt == 2:
                break
        assert verdict is not None
        seconds = time.monotonic() - t0
        self.metrics.judge_seconds.observe(seconds)
        self.seconds_ema = 0.8 * self.seconds_ema + 0.2 * seconds
        if verdict.status == "infra_error" and error is None:
            error = verdict.reason
        await self._finish(job_id, verdict, opts, error=error)

    async def _finish(
        self,
        job_id: str,
        verdict: Verdict,
        opts: dict[str, Any] | None,
        *,
        error: str | None = None,
    ) -> None:
        reward_json = None
        policy = None
        if opts and opts.get("policy"):
            policy = load_policy(opts["policy"])
        policy = policy or self.default_policy
        if policy is not None and opts is not None:
            try:
                reward = reward_for(
                    verdict,
                    policy,
                    task_type=opts.get("task_type"),
                    task=opts.get("task"),
                    signals=opts.get("signals"),
                    step=opts.get("step") or 0,
                    group=opts.get("group"),
                )
                reward_json = reward.model_dump_json()
            except ValueError as exc:  # e.g. no weights for the task type: say so, keep verdict
                error = f"reward: {exc}"
        status = "failed" if verdict.status == "infra_error" else "done"
        await asyncio.to_thread(
            self.store.finish, job_id, status, verdict.model_dump_json(), reward_json, error
        )
        self.metrics.finished.labels(status=status, verdict=verdict.status).inc()
        ev = self._done.pop(job_id, None)
        if ev is not None:
            ev.set()
