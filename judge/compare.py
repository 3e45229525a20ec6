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
from judge.schema import CompareResult, JudgeOptions, Verdict, with_prompt
from judge.spec import prompt_sha256
from judge.tasks import read_task


async def compare_paths(
    options: JudgeOptions, a: Path, b: Path, *, judge: Judge | None = None
) -> CompareResult:
    """Judge A and B (deterministically), then prefer one: by the model if configured.

    `judge` lets a caller reuse a warm (deterministic) Judge; else one is started here.
    """
    setup = resolve(options)
    task = read_task(options.task) if options.task else None
    task = with_prompt(task, options.prompt)  # both judged against the same prompt
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
    sha = prompt_sha256(task.prompt) if task is not None and task.prompt.strip() else ""
    extra: dict[str, object] = {"prompt_sha256": sha}
    if setup.enabled and ja.captures and jb.captures:
        got = await agent_pairwise(setup, sa, sb, ja, jb, task, dims)
    else:
        got = deterministic(sa, sb, va, vb)
        extra["items"] = rule_preferences(va, vb)
    return CompareResult.model_validate({**got.model_dump(), **extra})


def rule_preferences(va: Verdict, vb: Verdict, band: float = 0.05) -> dict[str, str]:
    """Per design-spec rule both were checked on (same prompt, same spec): who did better."""

    def scores(v: Verdict) -> dict[str, float]:
        out: dict[str, list[float]] = {}
        for c in v.checks:
            if c.dimension == "spec" and c.score is not None:
                out.setdefault(c.id, []).append(c.score)
        return {k: sum(x) / len(x) for k, x in out.items()}

    a, b = scores(va), scores(vb)
    prefs = {}
    for rule in sorted(set(a) & set(b)):
        d = a[rule] - b[rule]
        prefs[rule] = "tie" if abs(d) <= band else "A" if d > 0 else "B"
    return prefs
