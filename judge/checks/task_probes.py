"""Task checklist probes → the `task` dimension (one result per item, weighted by the item).

Items without a probe are reported `unscored` and never counted as passed.
"""

from __future__ import annotations

import time

from judge.checks.base import CheckContext, check, result
from judge.live import LivePage
from judge.probes import run_item
from judge.schema import CheckResult, Evidence, ProbeResult

DIM = "task"


@check("task", DIM, phase="live", order=70)
async def task_probes(ctx: CheckContext) -> list[CheckResult]:
    """Run every checklist item's probe from a clean load of the page."""
    if ctx.task is None or ctx.page is None or ctx.url is None:
        return []
    budget = ctx.rubric.budgets.task_probe_seconds
    end = time.monotonic() + min(budget, max(1.0, ctx.seconds_left() - 0.5))
    vp = ctx.page.viewport_size
    live = LivePage(ctx.page, ctx.url)
    probes: list[ProbeResult] = []
    try:
        for item in ctx.task.checklist:
            left = end - time.monotonic()
            if item.probe and left <= 0.2:
                probes.append(
                    ProbeResult(
                        id=item.id,
                        text=item.text,
                        status="failed",
                        message="task probe budget exhausted before this item",
                    )
                )
                continue
            probes.append(await run_item(live, item, left, vp))
        if vp:  # leave the page as the next check expects it
            await ctx.page.set_viewport_size(vp)
    finally:
        live.detach()
    ctx.probes.extend(probes)
    weights = {i.id: i.weight for i in ctx.task.checklist}
    out = []
    for p in probes:
        score = {"passed": 1.0, "failed": 0.0}.get(p.status)
        sev = "info" if p.status in ("passed", "unscored") else "major"
        step = (ctx.task and next(i for i in ctx.task.checklist if i.id == p.id).probe) or []
        failed = step[p.failed_step] if p.failed_step is not None else None
        # The failing step's locator as written (a selector, or role/label/text …).
        sel = failed.describe(text_is_locator=failed.action != "expect_text") if failed else None
        sel = sel or None  # a step without a locator (expect_url, goto) names no element
        ev = [Evidence(selector=sel, detail=p.message[:200])] if p.status == "failed" else []
        out.append(
            result(
                f"task.{p.id}",
                DIM,
                score,
                f"{p.text}: {p.status} ({p.message})",
                weight=weights.get(p.id, 1.0),
                severity=sev,
                evidence=ev,
                data={"status": p.status, "failed_step": p.failed_step},
            )
        )
    return out
