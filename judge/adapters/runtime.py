"""The reward side of the trainer adapters: completions → verdicts → rewards, synchronously.

Judging runs on the process-wide `judge.pool` host (one warm Chromium per process, shared by
every adapter and policy, sized by FJUDGE_WORKERS, default 2); rewards are composed by
`judge.finish.reward_for`, the same function the service uses, after the Judge has applied
any calibration (FJUDGE_CALIBRATION). Configured from arguments or the environment:
FJUDGE_POLICY (policy file), FJUDGE_WORKERS, FJUDGE_RUBRIC, FJUDGE_TASK_TYPE.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from judge.finish import reward_for
from judge.inputs import InputRejected, materialise, rejected_verdict
from judge.pool import JudgeHost, default_options, shared_host
from judge.reward import load_policy, normalise_groups
from judge.schema import JudgeOptions, Reward, RewardPolicy, RubricRef, Verdict
from judge.workdirs import make_workdir

if TYPE_CHECKING:
    from judge.pipeline import Judge


class RewardUnavailable(RuntimeError):
    """No reward exists for a sample (environment fault after a retry): never a made-up 0."""


class RewardRuntime:
    """Sync facade: completions → verdicts → rewards, with a warm shared browser."""

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

    def _work(self) -> Path:
        with self._n_lock:
            self._n += 1
            return self._tmp / f"c{self._n}"

    async def _verdict(self, judge: Judge, completion: str) -> Verdict:
        work = self._work()
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

    def verdicts(self, completions: Sequence[str]) -> list[Verdict]:
        """Judge completions concurrently (in input order)."""
        items = list(completions)

        async def all_of(judge: Judge) -> list[Verdict]:
            return list(await asyncio.gather(*(self._verdict(judge, c) for c in items)))

        return self.host.run(all_of)

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
        verdicts = self.verdicts(completions)
        rewards = [
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
        return normalise_groups(rewards, None, self.policy) if normalise else rewards

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
