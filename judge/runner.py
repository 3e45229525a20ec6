"""Runs the registered checks that apply to an input kind, isolating each check's failures."""

from __future__ import annotations

import asyncio
import time

from judge.checks.base import REGISTRY, CheckContext, CheckSpec
from judge.schema import CheckResult


def applicable(kind: str, ctx: CheckContext) -> list[CheckSpec]:
    """Checks for this input kind that the rubric does not disable, in run order."""
    specs = [s for s in REGISTRY.values() if kind in s.kinds and ctx.rubric.spec_enabled(s.id)]
    return sorted(specs, key=lambda s: (s.phase == "live", s.order, s.id))


async def run_checks(ctx: CheckContext, kind: str) -> list[CheckResult]:
    """All applicable checks; results in registry order whatever order they finished in.

    Capture-phase checks read only the frozen captures and load-time events and are CPU-bound
    (pixels, geometry), so they run in a worker thread while the live checks drive the browser
    on the event loop: the two overlap instead of adding up, and since nothing they read
    changes, the overlap cannot change a result. A check that raises, overruns or breaks the
    check contract (undeclared gate, foreign id) is reported unscored; it never sinks the verdict.
    """
    specs = applicable(kind, ctx)
    capture = [s for s in specs if s.phase == "capture"]
    live = [s for s in specs if s.phase == "live" and ctx.page is not None]

    def capture_group() -> dict[str, list[CheckResult]]:
        return {s.id: asyncio.run(_run_one(s, ctx, budget=None)) for s in capture}

    async def live_group() -> dict[str, list[CheckResult]]:
        out = {}
        for s in live:
            out[s.id] = await _run_one(s, ctx, budget=max(0.5, ctx.seconds_left()))
        return out

    by_capture, by_live = await asyncio.gather(asyncio.to_thread(capture_group), live_group())
    done = {**by_capture, **by_live}
    return [r for s in specs if s.id in done for r in done[s.id] if ctx.rubric.check_enabled(r.id)]


async def _run_one(spec: CheckSpec, ctx: CheckContext, budget: float | None) -> list[CheckResult]:
    t = time.monotonic()
    try:
        got = await asyncio.wait_for(spec.fn(ctx), timeout=budget)
        for r in got:
            spec.validate(r)
    except TimeoutError:
        got = [_unscored(spec, "ran out of the time budget")]
    except Exception as exc:  # a check bug must not lose the verdict
        got = [_unscored(spec, f"check failed: {type(exc).__name__}: {exc}"[:300])]
    ctx.check_seconds[spec.id] = round(time.monotonic() - t, 4)
    return got


def _unscored(spec: CheckSpec, message: str) -> CheckResult:
    return CheckResult(id=spec.id, dimension=spec.dimension, score=None, message=message)
