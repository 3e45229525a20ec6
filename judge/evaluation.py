"""Batch evaluation of model outputs: a JSONL of `{id, prompt?, completion | files | html |
path, task?}` → one Verdict line per input line (`{"id": ..., <Verdict fields>}`), same order.

Used by `fjudge eval` and `judge.evaluate`. Resumable: ids already present in the output file
are skipped (a half-written last line from a crash is dropped first). A line that cannot be
read as a JSON object with an `id` is a usage error (its line number is reported before any
judging); a line with an id but unusable content gets a `rejected` verdict and the batch goes on.
"""

from __future__ import annotations

import asyncio
import collections
import json
import shutil
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from judge.inputs import InputRejected, materialise, rejected_verdict
from judge.schema import EvalItem, RubricRef, Task, Verdict
from judge.tasks import prompt_text, read_task, task_with_prompt
from judge.workdirs import make_workdir

if TYPE_CHECKING:
    from judge.pipeline import Judge, Judgment


class EvalFileError(ValueError):
    """The evaluation file cannot be read line by line (not JSON, no id, duplicate ids)."""


@dataclass(frozen=True)
class Line:
    """One input line: the parsed item, or why it could not be used (then `item` is None)."""

    number: int
    id: str
    item: EvalItem | None
    error: str | None = None


def _short(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'line'}: {e['msg']}" for e in exc.errors()
    )


def read_lines(path: Path) -> list[Line]:
    """Every non-blank line of an evaluation file (EvalFileError listing the unreadable ones)."""
    out: list[Line] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    with Path(path).open(encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                problems.append(f"line {n}: not JSON ({exc.msg})")
                continue
            ident = obj.get("id") if isinstance(obj, dict) else None
            if isinstance(ident, bool) or not isinstance(ident, str | int) or ident == "":
                problems.append(f"line {n}: needs an 'id' (string or integer)")
                continue
            key = str(ident)
            if key in seen:
                problems.append(f"line {n}: id {key!r} already used on line {seen[key]}")
                continue
            seen[key] = n
            try:
                out.append(Line(n, key, EvalItem.model_validate(obj)))
            except ValidationError as exc:
                out.append(Line(n, key, None, f"line {n}: {_short(exc)}"))
    if problems:
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise EvalFileError(f"{path}: " + "; ".join(problems[:10]) + more)
    return out


def done_ids(out: Path) -> set[str]:
    """Ids already written to an output file; a truncated last line (a crash) is removed."""
    if not out.is_file():
        return set()
    data = out.read_bytes()
    ids: set[str] = set()
    keep = 0
    for raw in data.splitlines(keepends=True):
        try:
            obj = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            break
        if not raw.endswith(b"\n") or not isinstance(obj, dict) or "id" not in obj:
            break
        ids.add(str(obj["id"]))
        keep += len(raw)
    if keep != len(data):
        with out.open("r+b") as f:
            f.truncate(keep)
    return ids


def record(ident: str, verdict: Verdict) -> str:
    """The output line for one input: the Verdict's fields with the input's `id` first."""
    return json.dumps({"id": ident, **verdict.model_dump(mode="json")}, ensure_ascii=False)


class Evaluator:
    """Judges evaluation lines with one Judge, at most `window` in flight, in input order."""

    def __init__(self, judge: Judge, base_dir: Path, *, window: int | None = None) -> None:
        self.judge = judge
        self.base_dir = base_dir
        self.window = window or max(2, judge.options.workers * 2)
        self._base_task: Task | None = None
        if judge.options.task is not None:
            self._base_task = read_task(judge.options.task)

    def _ref(self) -> RubricRef:
        return RubricRef(id=self.judge.rubric.id, version=self.judge.rubric.version)

    def _task(self, item: EvalItem) -> Task | None:
        base = self._base_task
        if isinstance(item.task, Task):
            base = item.task
        elif isinstance(item.task, str):
            base = read_task(self.base_dir / item.task)  # ValueError: rejected with reason
        return task_with_prompt(prompt_text(item.prompt), base)

    async def one(self, line: Line) -> Judgment:
        """The judgment of one line (never raises for a bad line)."""
        from judge.pipeline import Judgment

        item = line.item
        if item is None:
            return Judgment(rejected_verdict("completion", line.id, line.error or "", self._ref()))
        try:
            task = self._task(item)
        except ValueError as exc:
            return Judgment(
                rejected_verdict(
                    item.kind if item.kind != "path" else "directory",
                    line.id,
                    str(exc),
                    self._ref(),
                )
            )
        if item.kind == "path":
            target = self.base_dir / str(item.path)
            if not target.exists():
                reason = f"no such file or directory: {item.path}"
                return Judgment(rejected_verdict("directory", str(item.path), reason, self._ref()))
            return await self.judge.judge_full(target, task=task)
        payload = getattr(item, item.kind)
        work = make_workdir("fjudge-eval-")
        try:
            try:
                path = await asyncio.to_thread(materialise, item.kind, payload, work / "site")
            except InputRejected as exc:
                return Judgment(rejected_verdict(item.kind, payload, str(exc), self._ref()))
            return await self.judge.judge_full(path, task=task)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    async def run(self, lines: Iterable[Line]) -> AsyncIterator[tuple[Line, Judgment]]:
        """(line, judgment) in input order, judging up to `window` lines ahead."""
        pending: collections.deque[tuple[Line, asyncio.Task[Judgment]]] = collections.deque()
        try:
            for line in lines:
                pending.append((line, asyncio.create_task(self.one(line))))
                if len(pending) >= self.window:
                    first, task = pending.popleft()
                    yield first, await task
            while pending:
                first, task = pending.popleft()
                yield first, await task
        finally:
            for _, task in pending:
                task.cancel()
