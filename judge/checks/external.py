"""What the page needed from outside that had no local answer (reported, never scored).

The CDN mirror answers libraries, fonts and icon sets; what remains blocked — live data APIs,
remote images (shown as a placeholder), scripts from hosts that are no CDN, CDN files missing
from the store under --offline — is listed here so a reader (and later checks) can tell "this
list is empty because its API was blocked" from "this page is broken". Unscored: an external
dependency the judge cannot reach is not the page's defect.
"""

from __future__ import annotations

from collections import Counter

from judge.checks.base import CheckContext, check, result
from judge.schema import CheckResult, Evidence

DIM = "runtime"


@check("runtime.external", DIM, order=23)
async def external(ctx: CheckContext) -> list[CheckResult]:
    """External requests with no local answer, by reason; mirrored CDN files, counted."""
    blocked = ctx.events.blocked
    mirrored = [b for b in blocked if b.action == "mirrored"]
    missing = [b for b in blocked if b.unanswerable]
    reasons = Counter(b.reason for b in missing)
    data = {
        "mirrored": len(mirrored),
        "unanswerable": len(missing),
        "reasons": dict(sorted(reasons.items())),
        "packages": sorted({b.package for b in mirrored if b.package})[:50],
        "hosts": sorted({b.url.split("/")[2] for b in missing if "//" in b.url})[:50],
    }
    if not missing:
        message = (
            f"no unanswered external dependency ({len(mirrored)} CDN file(s) served by the mirror)"
            if mirrored
            else "no external dependency"
        )
        return [result("runtime.external", DIM, None, message, data=data)]
    parts = ", ".join(f"{n} {r.replace('_', ' ')}" for r, n in reasons.most_common())
    message = (
        f"depends on {len(missing)} external resource(s) the judge cannot reach ({parts}); "
        "what they would have shown is not judged as the page's own defect"
    )
    evidence = [Evidence(detail=f"{b.reason}: {b.channel} {b.url[:200]}") for b in missing[:10]]
    return [result("runtime.external", DIM, None, message, evidence=evidence, data=data)]
