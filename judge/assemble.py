"""The one place a Verdict is made: stage outputs (`VerdictParts`) + rubric → Verdict.

Every entry point (CLI, service, Ray, adapters) gets its verdicts from here through the
pipeline; nothing edits a Verdict's score, dimensions or status afterwards. Calibration adds
its own field (`calibration`) and leaves the raw judgment as it is.
"""

from __future__ import annotations

from judge.schema import CheckResult, RubricRef, Verdict, VerdictParts
from judge.scoring import aggregate
from rubrics import Rubric


def _order(results: list[CheckResult]) -> list[CheckResult]:
    """Worst first; unscored after scored; ties by id (stable output for determinism)."""
    return sorted(results, key=lambda r: (r.score if r.score is not None else 2, r.id))


def assemble(parts: VerdictParts, rubric: Rubric) -> Verdict:
    """Score the parts under the rubric and build the Verdict (see `judge.scoring`)."""
    common = {
        "rubric": RubricRef(id=rubric.id, version=rubric.version),
        "input": parts.input,
        "judge": parts.judge,
        "build": parts.build,
        "blocked_requests": parts.blocked,
        "isolation": parts.isolation,
        "agent": parts.agent,
        "timings": parts.timings,
        "prompt": parts.prompt,
    }
    if parts.status != "ok":
        # A stage decided (rejected, build failure, render failure, environment fault): no
        # checks ran, so nothing is scored but the status — an environment fault has no score.
        score = None if parts.status == "infra_error" else 0.0
        return Verdict(status=parts.status, reason=parts.reason, score=score, **common)
    agent = parts.agent
    agent_dims = agent.dimensions if agent is not None and not agent.unscored_reason else {}
    agg = aggregate(
        parts.results,
        rubric,
        parts.viewports,
        probes=parts.probes,
        agent=agent_dims,
        mode=parts.judge.mode,
    )
    status, reason = "ok", "; ".join(agg.notes) or None
    if agg.fatal is not None:
        status, reason = "render_failed", agg.fatal.message
    return Verdict(
        status=status,
        reason=reason,
        score=agg.score,
        dimensions=agg.dimensions,
        viewports=agg.viewports,
        checks=_order(parts.results),
        features=parts.features,
        probes=parts.probes,
        interactions=parts.interactions,
        gates=agg.gates,
        **common,
    )
