"""Scale-out on Ray: actors each holding a warm Judge; results back in input order.

    for verdict in score_with_ray(paths, JudgeOptions(), address=None):  # None: local Ray
        ...

Inputs travel as bytes (directories as an in-memory tar without node_modules/.git), so actors
on other nodes need no shared filesystem; the build cache directory (`options.cache_dir`) is
shared by every actor on a node. Actors restart when they die (`max_restarts`) and Ray re-runs
their in-flight tasks (`max_task_retries`); an input whose task still fails, or whose verdict is
an `infra_error`, is judged again on another actor (`resubmits` times) before it becomes an
`infra_error` verdict for that input, never a low score. At most `max_in_flight` tasks are outstanding
(counted from the next verdict to be yielded, so the reorder buffer is bounded too).
"""

from __future__ import annotations

import io
import os
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ray

from judge.inputs import infra_verdict
from judge.schema import JudgeOptions, RubricRef, Task, Verdict

_SKIP_DIRS = {"node_modules", ".git"}


def pack_input(path: Path) -> tuple[str, bytes, bool]:
    """(name, bytes, is_directory) for shipping an input to an actor."""
    path = Path(path)
    if not path.is_dir():
        return path.name, path.read_bytes(), False
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:

        def keep(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
            return None if set(Path(info.name).parts) & _SKIP_DIRS else info

        for child in sorted(path.iterdir()):
            tf.add(child, arcname=child.name, filter=keep)
    return path.name, buf.getvalue(), True


@ray.remote
class JudgeActor:
    """A Ray actor with one warm Judge (one browser) judging `concurrency` inputs at once."""

    def __init__(self, options_json: str) -> None:
        from judge.workdirs import make_workdir

        self.options = JudgeOptions.model_validate_json(options_json)
        self.judge: Any = None
        self.tmp = make_workdir("fjudge-ray-")
        self.n = 0

    async def _judge(self) -> Any:
        if self.judge is None:
            from judge.pipeline import Judge

            judge = Judge(self.options)
            await judge.__aenter__()  # closed by close(); a killed actor's dirs are reaped
            self.judge = judge  # by the next Judge started on the node (judge.workdirs)
        return self.judge

    async def close(self) -> bool:
        """Close the Judge (browser, preview, temp dirs) before the actor is killed."""
        import shutil

        if self.judge is not None:
            await self.judge.close()
            self.judge = None
        shutil.rmtree(self.tmp, ignore_errors=True)
        return True

    def pid(self) -> int:
        """The actor's process id (tests and diagnostics)."""
        return os.getpid()

    async def score(self, name: str, data: bytes, is_dir: bool, task_json: str | None) -> str:
        """Judge one shipped input; returns the Verdict as JSON."""
        import asyncio
        import shutil

        from builders.intake import IntakeRejected, unpack

        judge = await self._judge()
        self.n += 1
        work = self.tmp / f"in{self.n}"
        work.mkdir()
        try:
            target = work / name
            if is_dir:
                try:
                    tar = work / "input.tar"
                    tar.write_bytes(data)
                    await asyncio.to_thread(unpack, tar, target)
                except IntakeRejected:
                    pass  # judge the (missing) directory: the verdict says what is wrong
            else:
                target.write_bytes(data)
            task = Task.model_validate_json(task_json) if task_json else None
            verdict = await judge.judge(target, task=task)
            return verdict.model_dump_json()
        finally:
            shutil.rmtree(work, ignore_errors=True)


class RayScorer:
    """Actors + in-order streaming. Use `score(paths)`; `actors` is exposed for supervision."""

    def __init__(
        self,
        options: JudgeOptions,
        *,
        num_actors: int | None = None,
        concurrency: int = 2,
        max_in_flight: int | None = None,
        max_restarts: int = 3,
        max_task_retries: int = 3,
        resubmits: int = 2,
    ) -> None:
        self.task: Task | None = None
        if options.task is not None:  # read here: actors may run where the file is not
            from judge.tasks import read_task

            self.task = read_task(options.task)
        actor_opts = options.model_copy(update={"task": None, "workers": concurrency})
        cpus = int(ray.available_resources().get("CPU", 1)) or 1
        n = num_actors or max(1, cpus)
        self.actors = [
            JudgeActor.options(  # type: ignore[attr-defined]
                num_cpus=1,
                max_concurrency=concurrency,
                max_restarts=max_restarts,
                max_task_retries=max_task_retries,
            ).remote(actor_opts.model_dump_json())
            for _ in range(n)
        ]
        self.max_in_flight = max_in_flight or n * concurrency * 2
        self.resubmits = resubmits
        self.ref = RubricRef(id=options.rubric, version="?")

    def score(self, paths: list[Path]) -> Iterator[Verdict]:
        """One verdict per path, yielded in input order."""
        task_json = self.task.model_dump_json() if self.task else None
        pending: dict[Any, tuple[int, int]] = {}  # ref -> (input index, attempt)
        done: dict[int, Verdict] = {}

        def submit(i: int, attempt: int) -> None:
            # A resubmission goes to another actor than the one that failed it.
            actor = self.actors[(i + attempt) % len(self.actors)]
            try:
                name, data, is_dir = pack_input(paths[i])
            except OSError as exc:
                done[i] = infra_verdict(f"cannot read input: {exc}", self.ref)
            else:
                pending[actor.score.remote(name, data, is_dir, task_json)] = (i, attempt)

        nxt = 0  # next index to submit
        out = 0  # next index to yield
        while out < len(paths):
            while nxt < len(paths) and nxt < out + self.max_in_flight:
                submit(nxt, 0)
                nxt += 1
            if out not in done:
                ready, _ = ray.wait(list(pending), num_returns=1)
                for ref in ready:
                    i, attempt = pending.pop(ref)
                    verdict = self._result(ref)
                    if verdict.status == "infra_error" and attempt < self.resubmits:
                        # An actor that died (or whose browser did) mid-task is an environment
                        # fault, not the input's: judge it again elsewhere before saying so.
                        submit(i, attempt + 1)
                    else:
                        done[i] = verdict
            while out in done:
                yield done.pop(out)
                out += 1

    def _result(self, ref: Any) -> Verdict:
        try:
            return Verdict.model_validate_json(ray.get(ref))
        except (ray.exceptions.RayActorError, ray.exceptions.RayTaskError) as exc:
            return infra_verdict(f"Ray task failed after retries: {type(exc).__name__}", self.ref)

    def close(self, timeout: float = 30.0) -> None:
        """Close every actor's Judge (browser, temp dirs), then stop the actors."""
        refs = [a.close.remote() for a in self.actors]
        try:
            ray.wait(refs, num_returns=len(refs), timeout=timeout)
        finally:
            for a in self.actors:
                ray.kill(a, no_restart=True)


def score_with_ray(
    paths: list[Path], options: JudgeOptions, address: str | None = None
) -> Iterator[Verdict]:
    """Verdicts for `paths` in input order, judged on Ray (`address` None: a local instance)."""
    if not ray.is_initialized():
        if address is None:
            ray.init(num_cpus=os.cpu_count(), include_dashboard=False, log_to_driver=False)
        else:
            ray.init(address=address, log_to_driver=False)
    scorer = RayScorer(options)
    try:
        yield from scorer.score(list(paths))
    finally:
        scorer.close()
