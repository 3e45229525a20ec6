"""Re-aggregating cached check results under another rubric, without a browser.

The one seam with `judge.scoring` (which the scoring rebuild is rewriting): if `aggregate`
changes its signature, only `rescore_verdict` changes.
"""

from __future__ import annotations

from typing import Any

from judge.schema import CheckResult, ProbeResult
from judge.scoring import aggregate
from rubrics import Rubric


def rescore_verdict(verdict: dict[str, Any], rubric: Rubric) -> float | None:
    """The score the cached verdict's check results get under `rubric`.

    Verdicts that are not `ok` (render_failed, build_failed, rejected) keep their score, as in
    the pipeline; `infra_error` stays None. Checks the rubric disables are left out.
    """
    if verdict.get("status") != "ok":
        return verdict.get("score")
    results = [
        CheckResult.model_validate(c)
        for c in verdict.get("checks", [])
        if rubric.check_enabled(c["id"])
    ]
    viewports = list(verdict.get("viewports") or rubric.viewports)
    probes = [ProbeResult.model_validate(p) for p in verdict.get("probes", [])]
    return aggregate(results, rubric, viewports, probes=probes).score
