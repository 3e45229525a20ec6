"""Pairwise mode: which of two submissions is better, and by how much.

Both are judged deterministically by one `Judge` (one shared browser); then the model, when
configured, compares them in both orders (`judge.agent.compare`), else the score difference
decides with a tie band.
"""

from __future__ import annotations

from pathlib import Path

from judge.agent.compare import agent_pairwise, deterministic
from judge.agent.service import resolve
from judge.pipeline import Judge
from judge.schema import CompareResult, JudgeOptions
from judge.tasks import read_task


async def compare_paths(
    options: JudgeOptions, a: Path, b: Path, *, judge: Judge | None = None
) -> CompareResult:
    """Judge A and B (deterministically), then prefer one: by the model if configured.

    `judge` lets a caller reuse a warm (deterministic) Judge; else one is started here.
    """
    setup = resolve(options)
    task = read_task(options.task) if options.task else None
    if judge is None:
        det_options = options.model_copy(update={"judge": "deterministic"})
        async with Judge(det_options) as own:
            return await compare_paths(options, a, b, judge=own)
    ja = await judge.judge_full(a, task=task)
    jb = await judge.judge_full(b, task=task)
    dims = list(judge.rubric.dimensions)
    va, vb = ja.verdict, jb.verdict
    sa, sb = str(a), str(b)
    if "infra_error" in (va.status, vb.status):
        bad = va if va.status == "infra_error" else vb
        return CompareResult(
            a=sa, b=sb, preference="error", margin=0.0, method="deterministic",
            score_a=va.score, score_b=vb.score, status_a=va.status, status_b=vb.status,
            note=f"could not judge: {bad.reason}",
        )  # fmt: skip
    if setup.enabled and ja.captures and jb.captures:
        return await agent_pairwise(setup, sa, sb, ja, jb, task, dims)
    return deterministic(sa, sb, va, vb)
