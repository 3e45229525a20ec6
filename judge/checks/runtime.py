"""Runtime checks: uncaught exceptions, console errors, unhandled rejections, missing own files."""

from __future__ import annotations

import re

from judge.checks.base import CheckContext, check, result
from judge.schema import CheckResult, Evidence

DIM = "runtime"
# How browsers and the common HTTP clients word a request that never got an answer.
_NETWORK = re.compile(
    r"Failed to fetch|NetworkError|Network Error|Load failed|net::ERR_|ERR_FAILED|"
    r"XMLHttpRequest|ERR_NETWORK|ECONNREFUSED",
    re.I,
)


def _ev(items: list[str]) -> list[Evidence]:
    return [Evidence(detail=i[:300]) for i in items[:5]]


@check("runtime.exceptions", DIM, order=20, gates=("runtime_crash_cap",))
async def exceptions(ctx: CheckContext) -> list[CheckResult]:
    """Uncaught exceptions and unhandled promise rejections while loading.

    A page that calls a live data API (blocked while judging: nothing may leave the sandbox)
    often throws when the data never comes; those errors are reported, at half the cost and
    without the crash gate, because with its API the page may well work.
    """
    errs = list(dict.fromkeys(ctx.events.page_errors + ctx.events.unhandled_rejections))
    if not errs:
        return [result("runtime.exceptions", DIM, 1.0, "no uncaught exceptions")]
    if ctx.external_api:
        # The request itself failing is the sandbox's doing; with its API the page gets data.
        offline = [e for e in errs if _NETWORK.search(e)]
        errs = [e for e in errs if not _NETWORK.search(e)]
        if not errs:
            return [
                result(
                    "runtime.exceptions",
                    DIM,
                    None,
                    f"{len(offline)} uncaught network error(s) from the external API that cannot "
                    f"be reached while judging ({offline[0][:120]}): not the page's fault",
                    evidence=_ev(offline),
                )
            ]
    score = max(0.0, 0.6 - 0.2 * (len(errs) - 1))
    msg = f"{len(errs)} uncaught exception(s): {errs[0][:160]}"
    if ctx.external_api:
        return [
            result(
                "runtime.exceptions",
                DIM,
                1.0 - (1.0 - score) / 2,
                msg + " (the page depends on an external API that cannot be reached while "
                "judging; the errors may come from the missing data)",
                severity="minor",
                evidence=_ev(errs),
                data={"count": len(errs), "external_api": True},
            )
        ]
    return [
        result(
            "runtime.exceptions",
            DIM,
            score,
            msg,
            severity="critical",
            evidence=_ev(errs),
            data={"count": len(errs)},
            gate="runtime_crash_cap",
        )
    ]


@check("runtime.console", DIM, order=21)
async def console(ctx: CheckContext) -> list[CheckResult]:
    """Errors logged to the console."""
    errs = ctx.events.console_errors
    if not errs:
        return [result("runtime.console", DIM, 1.0, "no console errors")]
    return [
        result(
            "runtime.console",
            DIM,
            max(0.0, 1.0 - 0.2 * len(errs)),
            f"{len(errs)} console error(s): {errs[0][:160]}",
            severity="major",
            evidence=_ev(errs),
            data={"count": len(errs)},
        )
    ]


@check("runtime.missing_files", DIM, order=22)
async def missing_files(ctx: CheckContext) -> list[CheckResult]:
    """The submission's own files that failed to load (404s)."""
    bad = ctx.events.failed_own_requests
    if not bad:
        return [result("runtime.missing_files", DIM, 1.0, "all own files load")]
    return [
        result(
            "runtime.missing_files",
            DIM,
            max(0.0, 1.0 - 0.25 * len(bad)),
            f"{len(bad)} own file(s) failed to load: {', '.join(bad[:3])}",
            severity="major",
            evidence=_ev(bad),
            data={"count": len(bad)},
        )
    ]
