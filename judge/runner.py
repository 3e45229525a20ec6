"""Runs the registered checks that apply to an input kind, isolating each check's failures."""

from __future__ import annotations

import asyncio
import time

from judge.checks.base import REGISTRY, CheckContext, CheckSpec
from judge.schema import CheckResult


def applicable(kind: str, ctx: CheckContext) -> list[CheckSpec]:
    specs = [s for s in REGISTRY.values() if kind in s.kinds and ctx.rubric.check_enabled(s.id)]
    return sorted(specs, key=lambda s: (s.phase == "live", s.order, s.id))


async def run_checks(ctx: CheckContext, kind: str) -> list[CheckResult]:
    """Capture-phase checks first, then live checks, each within what is left of the budget.

    A check that raises or overruns is reported unscored; it never sinks the verdict.
    """
    results: list[CheckResult] = []
    timings: dict[str, float] = ctx.extras.setdefault("check_seconds", {})
    for spec in applicable(kind, ctx):
        if spec.phase == "live" and ctx.page is None:
            continue
        t = time.monotonic()
        try:
            budget = max(0.5, ctx.seconds_left()) if spec.phase == "live" else None
            got = await asyncio.wait_for(spec.fn(ctx), timeout=budget)
        except TimeoutError:
            got = [_unscored(spec, "ran out of the time budget")]
        except Exception as exc:  # a check bug must not lose the verdict
            got = [_unscored(spec, f"check failed: {type(exc).__name__}: {exc}"[:300])]
        timings[spec.id] = round(time.monotonic() - t, 4)
        results.extend(got)
    return results


def _unscored(spec: CheckSpec, message: str) -> CheckResult:
    return CheckResult(id=spec.id, dimension=spec.dimension, score=None, message=message)
