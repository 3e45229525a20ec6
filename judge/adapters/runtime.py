"""The reward side of the trainer adapters: completions → verdicts → rewards, sync or async.

Judging runs on the process-wide `judge.pool` host (one warm Chromium per process, shared by
every adapter and policy, sized by FJUDGE_WORKERS, default 2); rewards are composed by
`judge.finish.reward_for`, the same function the service uses, after the Judge has applied
any calibration (FJUDGE_CALIBRATION). Every sample's generation prompt reaches the judgment as
`Task(prompt=...)`. Configured from arguments or the environment: FJUDGE_POLICY (policy file),
FJUDGE_WORKERS, FJUDGE_RUBRIC, FJUDGE_TASK_TYPE.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from judge.finish import reward_for
from judge.inputs import InputRejected, materialise, rejected_verdict
from judge.pool import JudgeHost, default_options, shared_host
from judge.reward import load_policy, normalise_groups
from judge.schema import JudgeOptions, Reward, RewardPolicy, RubricRef, Task, Verdict
from judge.tasks import prompt_text, task_with_prompt
from judge.workdirs import make_workdir

if TYPE_CHECKING:
    from judge.pipeline import Judge

log = logging.getLogger("fjudge")


class RewardUnavailable(RuntimeError):
    """No reward exists for a sample (environment fault after a retry): never a made-up 0."""


class RewardRuntime:
    """Completions → verdicts → rewards with a warm shared browser; sync and async entry points."""

    def __init__(
        self,
        policy: RewardPolicy | str | Path | None = None,
        options: JudgeOptions | None = None,
        *,
        infra_retries: int = 1,
        host: JudgeHost | None = None,
    ) -> None:
        self.policy = load_policy(policy)
        self.host = host or shared_host(options or default_options())
        self.infra_retries = infra_retries
        self._tmp = make_workdir("fjudge-rt-")
        self._n = 0
        self._n_lock = threading.Lock()
        self._base_task: Task | None = None
        self._warned_step = False

    def _work(self) -> Path:
        with self._n_lock:
            self._n += 1
            return self._tmp / f"c{self._n}"

    def _task(self, judge: Judge, prompt: str) -> Task | None:
        if self._base_task is None and judge.options.task is not None:
            from judge.tasks import read_task

            self._base_task = read_task(judge.options.task)
        return task_with_prompt(prompt, self._base_task)

    async def _verdict(self, judge: Judge, completion: str, prompt: str) -> Verdict:
        work = self._work()
        try:
            try:
                path = await asyncio.to_thread(materialise, "completion", completion, work)
            except InputRejected as exc:
                ref = RubricRef(id=judge.rubric.id, version=judge.rubric.version)
                return rejected_verdict("completion", completion, str(exc), ref)
            task = self._task(judge, prompt)
            verdict = await judge.judge(path, task=task)
            for _ in range(self.infra_retries):
                if verdict.status != "infra_error":
                    break
                verdict = await judge.judge(path, task=task)
            return verdict
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _all(self, completions: Sequence[str], prompts: Sequence[Any] | None):
        items = list(completions)
        texts = [prompt_text(p) for p in prompts] if prompts is not None else [""] * len(items)
        if len(texts) != len(items):
            raise ValueError(f"{len(texts)} prompts for {len(items)} completions")

        async def all_of(judge: Judge) -> list[Verdict]:
            jobs = (self._verdict(judge, c, p) for c, p in zip(items, texts, strict=True))
            return list(await asyncio.gather(*jobs))

        return all_of

    def verdicts(
        self, completions: Sequence[str], prompts: Sequence[Any] | None = None
    ) -> list[Verdict]:
        """Judge completions concurrently (in input order); `prompts` become `Task.prompt`."""
        return self.host.run(self._all(completions, prompts))

    async def averdicts(
        self, completions: Sequence[str], prompts: Sequence[Any] | None = None
    ) -> list[Verdict]:
        """`verdicts` for callers on an event loop (the judging runs on the host's loop)."""
        return await self.host.arun(self._all(completions, prompts))

    def rewards(
        self,
        verdicts: Sequence[Verdict],
        *,
        task_types: Sequence[str | None] | None = None,
        signals: Sequence[Mapping[str, float] | None] | None = None,
        groups: Sequence[str | None] | None = None,
        step: int | None = None,
        normalise: bool = False,
    ) -> list[Reward]:
        """One Reward per verdict (skipped ones have value None), via `judge.finish.reward_for`."""
        if step is None:
            step = 0
            if self.policy.schedule and not self._warned_step:
                self._warned_step = True
                log.warning(
                    "fjudge: policy %r has a weight schedule but the trainer passed no training "
                    "step; the schedule is read at step 0 (see the adapter docs for the step)",
                    self.policy.id,
                )
        out = [
            reward_for(
                v,
                self.policy,
                task_type=task_types[i] if task_types else None,
                signals=signals[i] if signals else None,
                step=step,
                group=groups[i] if groups else None,
            )
            for i, v in enumerate(verdicts)
        ]
        return normalise_groups(out, None, self.policy) if normalise else out

    def score_completions(
        self,
        completions: Sequence[str],
        *,
        prompts: Sequence[Any] | None = None,
        task_types: Sequence[str | None] | None = None,
        signals: Sequence[Mapping[str, float] | None] | None = None,
        groups: Sequence[str | None] | None = None,
        step: int | None = None,
        normalise: bool = False,
    ) -> list[Reward]:
        """One Reward per completion, in order (skipped ones have value None)."""
        verdicts = self.verdicts(completions, prompts)
        return self.rewards(
            verdicts,
            task_types=task_types,
            signals=signals,
            groups=groups,
            step=step,
            normalise=normalise,
        )

    async def ascore_completions(
        self,
        completions: Sequence[str],
        *,
        prompts: Sequence[Any] | None = None,
        task_types: Sequence[str | None] | None = None,
        signals: Sequence[Mapping[str, float] | None] | None = None,
        groups: Sequence[str | None] | None = None,
        step: int | None = None,
        normalise: bool = False,
    ) -> list[Reward]:
        """`score_completions` for async reward functions (verl's reward loop, TRL)."""
        verdicts = await self.averdicts(completions, prompts)
        return self.rewards(
            verdicts,
            task_types=task_types,
            signals=signals,
            groups=groups,
            step=step,
            normalise=normalise,
        )

    def close(self) -> None:
        """Remove this runtime's scratch space (the shared browser stays for other users)."""
        shutil.rmtree(self._tmp, ignore_errors=True)


_RUNTIMES: dict[tuple[str, str], RewardRuntime] = {}
_LOCK = threading.Lock()


def get_runtime(policy: str | Path | None = None, rubric: str | None = None) -> RewardRuntime:
    """The process-wide runtime for (policy, rubric); every one shares the process's browser."""
    import os

    pol = str(policy or os.environ.get("FJUDGE_POLICY") or "")
    options = default_options(rubric)
    with _LOCK:
        rt = _RUNTIMES.get((pol, options.rubric))
        if rt is None:
            rt = _RUNTIMES[(pol, options.rubric)] = RewardRuntime(pol or None, options)
        return rt
