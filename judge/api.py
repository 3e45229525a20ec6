"""The Python API: `judge.score`, `judge.ascore`, `judge.evaluate`, `judge.aevaluate`, and
`judge.Judge` (re-exported from `judge.pipeline`).

    import judge
    v = judge.score("site/")                                   # a path: dir, .html, archive, image
    v = judge.score(html="<h1>Hi</h1>")                        # or html= / files= / completion=
    v = judge.score(completion=text, prompt="Build a shop")    # the prompt becomes Task.prompt
    print(v.status, v.score, v.dimensions)
    summary = judge.evaluate("results.jsonl", "verdicts.jsonl")   # resumable batch

    async with judge.Judge(judge.JudgeOptions(workers=2)) as j:    # one warm browser, many calls
        v = await judge.ascore("site/", using=j)

Every call returns a `judge.schema.Verdict` (never raises for a bad submission: a broken one is
a verdict with a status and reason; an environment fault is `infra_error`).
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from judge.schema import JudgeOptions, Task, Verdict

if TYPE_CHECKING:
    from judge.evaluation import Line
    from judge.pipeline import Judge, Judgment


def _options(options: JudgeOptions | None, fields: Mapping[str, Any]) -> JudgeOptions:
    """The options to open a Judge with; the rubric is checked (RubricError for keys, check
    ids or features that would do nothing)."""
    from judge.rubric_check import load_rubric

    if options is not None and fields:
        options = JudgeOptions.model_validate({**options.model_dump(), **fields})
    options = options or JudgeOptions.model_validate(dict(fields))
    load_rubric(options.rubric)
    return options


async def ascore(
    path: str | Path | None = None,
    *,
    html: str | None = None,
    files: Mapping[str, str] | None = None,
    completion: str | None = None,
    prompt: str | list[dict[str, Any]] | None = None,
    task: Task | str | Path | None = None,
    using: Judge | None = None,
    options: JudgeOptions | None = None,
    **option_fields: Any,
) -> Verdict:
    """Judge one submission — a `path` or exactly one of `html`, `files`, `completion` — and
    return its Verdict. `prompt` (text or chat messages) becomes the task's prompt; `task` is a
    Task or a task file. `using` reuses an open `Judge`; otherwise one is opened for this call
    from `options` or `JudgeOptions` fields given as keywords (e.g. `rubric="frontend"`)."""
    from judge.evaluation import Evaluator, Line
    from judge.schema import EvalItem

    given = {"path": path, "html": html, "files": files, "completion": completion}
    data: dict[str, Any] = {
        k: (str(v) if k == "path" else v) for k, v in given.items() if v is not None
    }
    if len(data) != 1:
        raise ValueError("give exactly one of path, html=, files= or completion=")
    if isinstance(task, str | Path):
        from judge.tasks import read_task

        task = read_task(Path(task))
    item = EvalItem.model_validate({"id": "0", "prompt": prompt, "task": task, **data})
    line = Line(0, "0", item)

    async def run(j: Judge) -> Verdict:
        return (await Evaluator(j, Path.cwd()).one(line)).verdict

    if using is not None:
        return await run(using)
    from judge.pipeline import Judge

    async with Judge(_options(options, option_fields)) as j:
        return await run(j)


def score(
    path: str | Path | None = None,
    *,
    html: str | None = None,
    files: Mapping[str, str] | None = None,
    completion: str | None = None,
    prompt: str | list[dict[str, Any]] | None = None,
    task: Task | str | Path | None = None,
    options: JudgeOptions | None = None,
    **option_fields: Any,
) -> Verdict:
    """`ascore` for synchronous code (starts and closes a browser; inside an event loop use
    `await judge.ascore(...)`, with `using=` to keep one browser warm)."""
    _no_running_loop("score")
    return asyncio.run(
        ascore(
            path,
            html=html,
            files=files,
            completion=completion,
            prompt=prompt,
            task=task,
            options=options,
            **option_fields,
        )
    )


@dataclass
class EvalSummary:
    """What an evaluation run did: counts by status, scores, and where the verdicts are."""

    out: Path
    total: int = 0
    skipped: int = 0
    judged: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    scores: list[float] = field(default_factory=list)
    dimensions: dict[str, list[float]] = field(default_factory=dict)

    def add(self, verdict: Verdict) -> None:
        """Count one verdict read back or just produced."""
        self.statuses[verdict.status] = self.statuses.get(verdict.status, 0) + 1
        if verdict.score is not None:
            self.scores.append(verdict.score)
        for d, s in verdict.dimensions.items():
            self.dimensions.setdefault(d, []).append(s)

    @property
    def mean_score(self) -> float | None:
        """Mean score over the verdicts that have one (infra_error has none)."""
        return sum(self.scores) / len(self.scores) if self.scores else None


def default_out(jsonl: Path) -> Path:
    """Where verdicts go by default: `results.jsonl` → `results.verdicts.jsonl`."""
    return jsonl.with_name(jsonl.stem + ".verdicts.jsonl")


async def aevaluate(
    jsonl: str | Path,
    out: str | Path | None = None,
    *,
    resume: bool = True,
    report_dir: str | Path | None = None,
    options: JudgeOptions | None = None,
    on_result: Callable[[Line, Judgment], None] | None = None,
    **option_fields: Any,
) -> EvalSummary:
    """Judge every line of `jsonl` ({id, prompt?, completion|files|html|path, task?}) into `out`
    (default `<name>.verdicts.jsonl`): one `{"id", <Verdict>}` line each, in input order.
    With `resume` (default) ids already in `out` are skipped; otherwise `out` is rewritten.
    `report_dir` gets screenshots and a report.html per line plus an index.html.
    Raises `judge.evaluation.EvalFileError` for a file whose lines cannot be read."""
    from judge.evaluation import Evaluator, done_ids, read_lines, record
    from judge.pipeline import Judge

    src = Path(jsonl)
    dest = Path(out) if out is not None else default_out(src)
    lines = read_lines(src)
    if not resume and dest.exists():
        dest.unlink()
    done = done_ids(dest)
    summary = EvalSummary(out=dest, total=len(lines))
    if dest.is_file():
        for raw in dest.read_text(encoding="utf-8").splitlines():
            obj = json.loads(raw)
            obj.pop("id", None)
            summary.add(Verdict.model_validate(obj))
    todo = [ln for ln in lines if ln.id not in done]
    summary.skipped = len(lines) - len(todo)
    reports = Path(report_dir) if report_dir is not None else None
    dest.parent.mkdir(parents=True, exist_ok=True)
    async with Judge(_options(options, option_fields)) as j:
        ev = Evaluator(j, src.parent)
        with dest.open("a", encoding="utf-8") as f:
            async for line, judgment in ev.run(todo):
                if reports is not None:
                    await asyncio.to_thread(_report, judgment, reports, line)
                f.write(record(line.id, judgment.verdict) + "\n")
                f.flush()
                summary.judged += 1
                summary.add(judgment.verdict)
                if on_result is not None:
                    on_result(line, judgment)
    if reports is not None:
        _index(dest, reports)
    return summary


def evaluate(
    jsonl: str | Path,
    out: str | Path | None = None,
    *,
    resume: bool = True,
    report_dir: str | Path | None = None,
    options: JudgeOptions | None = None,
    **option_fields: Any,
) -> EvalSummary:
    """`aevaluate` for synchronous code."""
    _no_running_loop("evaluate")
    return asyncio.run(
        aevaluate(
            jsonl, out, resume=resume, report_dir=report_dir, options=options, **option_fields
        )
    )


def _report(judgment: Judgment, reports: Path, line: Line) -> None:
    from judge.artifacts import artifact_dir, write_artifacts

    target = artifact_dir(reports, line.number, Path(line.id))
    shutil.rmtree(target, ignore_errors=True)
    write_artifacts(judgment, reports, line.number, Path(line.id))


def _index(dest: Path, reports: Path) -> None:
    """index.html over every verdict in the output file (resumed runs included)."""
    from judge.artifacts import artifact_dir
    from judge.report import write_index

    rows = []
    for raw in dest.read_text(encoding="utf-8").splitlines():
        obj = json.loads(raw)
        ident = str(obj.pop("id"))
        rows.append((ident, Verdict.model_validate(obj)))
    linked = []
    for ident, v in rows:
        hits = sorted(reports.glob(f"*-{artifact_dir(Path('.'), 0, Path(ident)).name[4:]}"))
        link = f"{hits[-1].name}/report.html" if hits else None
        linked.append((ident, v, link))
    write_index(linked, reports)


def _no_running_loop(name: str) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(f"judge.{name}() cannot run inside an event loop: await judge.a{name}()")
