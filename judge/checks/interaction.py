"""Interaction checks: do the page's controls respond, work without errors, and can they be
reached? Drives the live page through `judge.interact` (budget: rubric actions / seconds)."""

from __future__ import annotations

from judge.checks.base import CheckContext, check, result
from judge.interact import Control, Outcome, Prober, install, plan
from judge.schema import CheckResult, Evidence, Interaction

DIM = "interaction"
EXPECT_RESPONSE = {"click", "type", "flow"}


def _viewport(ctx: CheckContext) -> str | None:
    return list(ctx.captures)[-1] if ctx.captures else None


def _ev(vp: str | None, o: Outcome, detail: str) -> list[Evidence]:
    """The control's box on the viewport screenshot, then its before/after crops."""
    c = o.control
    out = [
        Evidence(
            viewport=vp,
            selector=c.selector,
            bbox=c.bbox,
            screenshot=o.before,
            detail=f"{detail} (before)",
        )
    ]
    if o.after:
        out.append(
            Evidence(
                viewport=vp, selector=c.selector, screenshot=o.after, detail=f"{detail} (after)"
            )
        )
    return out


def _record(o: Outcome) -> Interaction:
    effect = list(o.effects)
    if o.enter_effects is not None:
        effect.append("enter:" + ("+".join(o.enter_effects) or "nothing"))
    if o.visible_result:
        effect.append(f"result:{o.visible_result}")
    if o.note:
        effect.append(o.note)
    return Interaction(
        action=o.action,
        selector=o.control.selector,
        effect=effect,
        errors=o.errors,
        blocked=o.blocked,
        bbox=o.control.bbox,
        before=o.before,
        after=o.after,
    )


def _expects(o: Outcome) -> bool:
    c = o.control
    return o.action in EXPECT_RESPONSE and not c.looks_disabled and not o.note


@check("interaction", DIM, phase="live", order=60)
async def interaction(ctx: CheckContext) -> list[CheckResult]:
    """Exercise the controls: responsiveness, broken controls, errors, flows, reachability."""
    page, budgets = ctx.page, ctx.rubric.budgets
    if page is None or ctx.url is None:
        return []
    controls = await install(page)
    the_plan = plan(controls, budgets.actions)
    prober = Prober(page, ctx.url, ctx.images)
    seconds = min(budgets.probe_seconds, max(0.5, ctx.seconds_left() - 1.0))
    outcomes = await prober.run(the_plan, seconds)
    ctx.interactions.extend(_record(o) for o in outcomes)
    vp = _viewport(ctx)
    unreachable = _unreachable(the_plan.unreachable, outcomes)
    acted = [o for o in outcomes if not o.note.startswith("unreachable")]
    out = [_reachability(unreachable, vp, len(controls))]
    if not acted:
        out.append(
            result(
                "interaction.responsive",
                DIM,
                None,
                "no controls to exercise" if not controls else "no action could run",
            )
        )
        return out
    out += [_responsive(acted, vp), _broken(acted, vp), _errors(acted, vp)]
    flows = [o for o in acted if o.action == "flow"]
    if flows:
        out.append(_flows(flows, vp))
    return out


def _unreachable(planned: list[Control], outcomes: list[Outcome]) -> list[Control]:
    seen = {c.selector: c for c in planned}
    for o in outcomes:
        if o.note.startswith("unreachable"):
            seen.setdefault(o.control.selector, o.control)
    return list(seen.values())


def _reachability(bad: list[Control], vp: str | None, total: int) -> CheckResult:
    if not bad:
        return result(
            "interaction.reachable",
            DIM,
            1.0 if total else None,
            f"all {total} control(s) reachable" if total else "no controls",
        )
    first = bad[0]
    why = {
        "covered": f"covered by {first.covered_by}",
        "zero-size": "zero size",
        "off-screen": "off-screen",
    }.get(first.reach, first.reach)
    ev = [
        Evidence(
            viewport=vp,
            selector=c.selector,
            bbox=c.bbox,
            screenshot=f"{vp}.png" if vp else None,
            detail=f"{c.reach}" + (f" by {c.covered_by}" if c.covered_by else ""),
        )
        for c in bad[:6]
    ]
    return result(
        "interaction.reachable",
        DIM,
        max(0.0, 1.0 - 0.35 * len(bad)),
        f"{len(bad)} control(s) cannot be reached, e.g. {first.selector} ({why})",
        severity="major",
        evidence=ev,
        data={"unreachable": [[c.selector, c.reach, c.covered_by] for c in bad[:20]]},
    )


def _responsive(acted: list[Outcome], vp: str | None) -> CheckResult:
    judged = [o for o in acted if _expects(o)]
    if not judged:
        return result("interaction.responsive", DIM, None, "no control that should respond")
    good = [o for o in judged if o.responded and not o.errors]
    share = len(good) / len(judged)
    return result(
        "interaction.responsive",
        DIM,
        share,
        f"{len(good)} of {len(judged)} exercised control(s) responded without error",
        severity="info" if share >= 1 else ("minor" if share >= 0.75 else "major"),
        data={"exercised": len(judged), "responded": len(good)},
    )


def _broken(acted: list[Outcome], vp: str | None) -> CheckResult:
    """Clickable-looking things that do nothing; disabled-looking things that act."""
    findings: list[tuple[Outcome, str, float]] = []
    for o in acted:
        c = o.control
        if o.note:
            continue
        if c.looks_disabled and o.responded and o.action == "click":
            findings.append((o, f"looks disabled but acts ({'+'.join(o.effects)})", 0.25))
        elif o.action == "click" and c.kind in ("button", "link") and not o.responded:
            findings.append((o, f"{c.kind} '{c.label[:30]}' does nothing when clicked", 0.35))
        elif (
            o.action == "type"
            and o.enter_effects is not None
            and not o.enter_effects
            and ("dom-on-typing" not in o.effects and c.tag == "input")
        ):
            findings.append((o, "pressing Enter in this field does nothing", 0.3))
    if not findings:
        return result("interaction.broken", DIM, 1.0, "no dead or misleading controls")
    penalty = sum(p for _, _, p in findings)
    ev = [e for o, why, _ in findings[:5] for e in _ev(vp, o, why)]
    o0, why0, _ = findings[0]
    return result(
        "interaction.broken",
        DIM,
        max(0.0, 1.0 - penalty),
        f"{len(findings)} broken control(s): {o0.control.selector}: {why0}",
        severity="major",
        evidence=ev,
        data={"broken": [[o.control.selector, why] for o, why, _ in findings]},
    )


def _errors(acted: list[Outcome], vp: str | None) -> CheckResult:
    bad = [o for o in acted if o.errors]
    if not bad:
        return result("interaction.errors", DIM, 1.0, "no errors thrown by interactions")
    n = sum(len(o.errors) for o in bad)
    o0 = bad[0]
    ev = [e for o in bad[:4] for e in _ev(vp, o, f"threw: {o.errors[0][:120]}")]
    return result(
        "interaction.errors",
        DIM,
        max(0.0, 0.4 - 0.1 * (len(bad) - 1)),
        f"{n} uncaught error(s) after interacting, first after {o0.action} on "
        f"{o0.control.selector}: {o0.errors[0][:140]}",
        severity="critical",
        evidence=ev,
        data={"errors": [[o.control.selector, o.errors[0][:200]] for o in bad]},
    )


def _flows(flows: list[Outcome], vp: str | None) -> CheckResult:
    """Primary flows: fill a form (or an input + its button), submit, see a visible result."""
    scores, notes = [], []
    for o in flows:
        if o.errors:
            s, why = 0.0, "threw an error"
        elif o.visible_result or "dialog" in o.effects:
            s, why = 1.0, "shows a result"
        elif "navigation" in o.effects:
            s, why = 0.4, "reloads/navigates without an in-page result"
        elif o.responded:
            s, why = 0.7, "changes the page but the input does not show up"
        else:
            s, why = 0.0, "nothing happens"
        scores.append(s)
        notes.append((o, why, s))
    score = sum(scores) / len(scores)
    worst = min(notes, key=lambda t: t[2])
    ev = [e for o, why, s in notes if s < 1 for e in _ev(vp, o, f"submit: {why}")][:6]
    return result(
        "interaction.flow",
        DIM,
        score,
        f"{sum(s >= 1 for s in scores)} of {len(flows)} form flow(s) show a result"
        + (f"; {worst[0].control.selector}: {worst[1]}" if worst[2] < 1 else ""),
        severity="info" if score >= 1 else "major",
        evidence=ev,
    )
