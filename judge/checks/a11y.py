"""Accessibility: axe-core run in the live page, violations weighted by impact.

axe-core comes from the `axe-playwright-python` dependency (its bundled `axe.min.js`); it is
read from the installed package at run time, never copied into this repository.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

from judge.checks.base import CheckContext, check, result
from judge.schema import BBox, CheckResult, Evidence

DIM = "accessibility"
IMPACT = {"critical": 1.0, "serious": 0.6, "moderate": 0.3, "minor": 0.1}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Colour contrast is measured on the rendered pixels by judge/checks/contrast.py instead.
SKIP_RULES = {"color-contrast": {"enabled": False}}
AXE_MAX_COST = 0.15
_RUN_JS = """async ([tags, rules]) => {
  const res = await axe.run(document, { runOnly: { type: 'tag', values: tags }, rules,
                                        resultTypes: ['violations'] });
  const box = (sel) => { try { const el = document.querySelector(sel); if (!el) return null;
      const r = el.getBoundingClientRect();
      return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height };
    } catch (e) { return null; } };
  return res.violations.map((v) => ({ id: v.id, impact: v.impact || 'minor', help: v.help,
    nodes: v.nodes.slice(0, 10).map((n) => { const t = Array.isArray(n.target[0]) ? n.target[0][0] : n.target[0];
      return { target: String(t), bbox: box(String(t)), html: (n.html || '').slice(0, 160) }; }),
    count: v.nodes.length }));
}"""


@lru_cache(maxsize=1)
def axe_source() -> str:
    """The axe-core script shipped with axe-playwright-python."""
    import axe_playwright_python

    path = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def axe_script() -> str:
    """axe-core wrapped so its own timers are the native ones: the page's timers run on
    virtual time (assets/init.js), which would never let axe.run finish."""
    return (
        "(function (setTimeout, clearTimeout) {\n"
        + axe_source()
        + "\n}).call(window, (window.__fjNative || window).setTimeout,"
        " (window.__fjNative || window).clearTimeout);"
    )


def penalty(violations: list[dict]) -> float:
    """Impact weight per violated rule, growing slowly with the number of offending nodes."""
    return sum(
        IMPACT.get(v.get("impact") or "minor", 0.1) * (1 + 0.5 * math.log2(max(1, v["count"])))
        for v in violations
    )


@check("a11y.axe", DIM, phase="live", order=50)
async def axe(ctx: CheckContext) -> list[CheckResult]:
    """axe-core violations (WCAG 2.x A/AA), weighted by impact."""
    page = ctx.page
    if page is None:
        return []
    if not await page.evaluate("() => typeof window.axe !== 'undefined'"):
        await page.evaluate(axe_script())
    violations = await page.evaluate(_RUN_JS, [TAGS, SKIP_RULES])
    violations.sort(key=lambda v: (-IMPACT.get(v["impact"], 0.1), v["id"]))
    vp = list(ctx.captures)[-1] if ctx.captures else None
    if not violations:
        return [result("a11y.axe", DIM, 1.0, "no axe-core violations")]
    p = penalty(violations)
    # Violations are real but mostly invisible to a sighted reviewer (a missing label, a
    # missing lang): they lower the score a little, saturating, and stay listed in full.
    score = 1.0 - AXE_MAX_COST * (1.0 - math.exp(-p / 3.0))
    ev = []
    for v in violations[:8]:
        for n in v["nodes"][:2]:
            ev.append(
                Evidence(
                    viewport=vp,
                    selector=n["target"],
                    bbox=BBox(**n["bbox"]) if n.get("bbox") else None,
                    screenshot=f"{vp}.png" if vp else None,
                    detail=f"{v['id']} ({v['impact']}): {v['help']}"[:200],
                )
            )
    worst = violations[0]
    severity = "major" if worst["impact"] in ("critical", "serious") else "minor"
    return [
        result(
            "a11y.axe",
            DIM,
            score,
            f"{len(violations)} axe rule(s) violated, e.g. {worst['id']} ({worst['impact']}) "
            f"on {worst['nodes'][0]['target'] if worst['nodes'] else '?'}",
            severity=severity,
            evidence=ev,
            data={"rules": [[v["id"], v["impact"], v["count"]] for v in violations]},
        )
    ]
