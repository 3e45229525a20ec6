"""A warm in-process judge for trainer reward functions (which are plain sync calls).

The runtime owns a background thread running an asyncio loop with one `Judge` (one warm
Chromium, `workers` pages at a time). Trainer code calls `score_completions` synchronously;
completions are extracted (`builders.extract`), judged concurrently, and rewarded by the policy.
Configured from arguments or the environment: FJUDGE_POLICY (policy file), FJUDGE_WORKERS,
FJUDGE_RUBRIC, FJUDGE_TASK_TYPE.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from judge.inputs import InputRejected, materialise, rejected_verdict
from judge.reward import compute_reward, load_policy, normalise_groups
from judge.schema import JudgeOptions, Reward, RewardPolicy, RubricRef, Verdict


class RewardUnavailable(RuntimeError):
    """No reward exists for a sample (environment fault after a retry): never a made-up 0."""


class RewardRuntime:
    """Sync facade: completions → verdicts → rewards, with a warm browser kept between calls."""

    def __init__(
        self,
        policy: RewardPolicy | str | Path | None = None,
        options: JudgeOptions | None = None,
        *,
        infra_retries: int = 1,
    ) -> None:
        self.policy = load_policy(policy)
        self.options = options or JudgeOptions(workers=2)
        self.infra_retries = infra_retries
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="fjudge")
        self._thread.start()
        self._judge: Any = None
        self._tmp = Path(tempfile.mkdtemp(prefix="fjudge-rt-"))
        self._n = 0

    def _call(self, coro: Any) -> Any:
        fut: Future[Any] = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return fut.result()

    async def _get_judge(self) -> Any:
        if self._judge is None:
            from judge.pipeline import Judge

            self._judge = await Judge(self.options).__aenter__()
        return self._judge

    async def _verdict(self, completion: str) -> Verdict:
        judge = await self._get_judge()
        self._n += 1
        work = self._tmp / f"c{self._n}"
        try:
            try:
                path = await asyncio.to_thread(materialise, "completion", completion, work)
            except InputRejected as exc:
                ref = RubricRef(id=judge.rubric.id, version=judge.rubric.version)
                return rejected_verdict("completion", completion, str(exc), ref)
            verdict = await judge.judge(path)
            for _ in range(self.infra_retries):
                if verdict.status != "infra_error":
                    break
                verdict = await judge.judge(path)
            return verdict
        finally:
            shutil.rmtree(work, ignore_errors=True)

    async def _verdicts(self, completions: Sequence[str]) -> list[Verdict]:
        return list(await asyncio.gather(*(self._verdict(c) for c in completions)))

    def verdicts(self, completions: Sequence[str]) -> list[Verdict]:
        """Judge completions concurrently (in input order)."""
        return self._call(self._verdicts(list(completions)))

    def score_completions(
        self,
        completions: Sequence[str],
        *,
        task_types: Sequence[str | None] | None = None,
        signals: Sequence[Mapping[str, float] | None] | None = None,
        groups: Sequence[str | None] | None = None,
        step: int = 0,
        normalise: bool = False,
    ) -> list[Reward]:
        """One Reward per completion, in order (skipped ones have value None)."""
        n = len(completions)
        default_type = os.environ.get("FJUDGE_TASK_TYPE", "frontend")
        verdicts = self.verdicts(completions)
        rewards = [
            compute_reward(
                verdicts[i],
                self.policy,
                task_type=(task_types[i] if task_types else None) or default_type,
                signals=(signals[i] if signals else None) or {},
                step=step,
                group=groups[i] if groups else None,
            )
            for i in range(n)
        ]
        return normalise_groups(rewards, None, self.policy) if normalise else rewards

    def close(self) -> None:
        """Close the browser and stop the loop thread."""
        if self._judge is not None:
            self._call(self._judge.close())
            self._judge = None
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        shutil.rmtree(self._tmp, ignore_errors=True)


_RUNTIMES: dict[tuple[str, str], RewardRuntime] = {}
_LOCK = threading.Lock()


def get_runtime(policy: str | Path | None = None, rubric: str | None = None) -> RewardRuntime:
    """The process-wide runtime for (policy, rubric), created on first use (warm afterwards)."""
    pol = str(policy or os.environ.get("FJUDGE_POLICY") or "")
    rub = rubric or os.environ.get("FJUDGE_RUBRIC") or "frontend"
    with _LOCK:
        rt = _RUNTIMES.get((pol, rub))
        if rt is None:
            workers = int(os.environ.get("FJUDGE_WORKERS") or os.cpu_count() or 2)
            options = JudgeOptions(rubric=rub, workers=workers)
            rt = _RUNTIMES[(pol, rub)] = RewardRuntime(pol or None, options)
        return rt


@atexit.register
def _close_all() -> None:
    for rt in list(_RUNTIMES.values()):
        with contextlib.suppress(Exception):  # best effort at interpreter exit
            rt.close()
    _RUNTIMES.clear()
