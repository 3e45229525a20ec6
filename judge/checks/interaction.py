"""Interaction checks: does the page work when a careful tester uses it?

Drives the live page through `judge.interact` (plan) and `judge.prober` (execution). Findings
are weighed by how prominent the control is (its size, whether it looks like a button, whether
it is above the fold), so a dead main button costs much more than a dead footer link; and a
page without any script of its own is judged as a design, where a button that does nothing is
noted, not a broken app.

- interaction.reachable: controls drawn under something else (an overlay, a badge, a footer)
- interaction.responsive: the share of exercised controls that visibly responded
- interaction.broken: controls that look usable and do nothing; fields that swallow typing
- interaction.errors: uncaught errors thrown by an interaction
- interaction.flow: the page's primary functions — a submitted form, a field confirmed with
  Enter — show their result
- interaction.disabled: text fields that cannot be used at all (disabled or read-only)
"""

from __future__ import annotations

from judge.checks.base import CheckContext, check, result
from judge.checks.interaction_reach import DIM, disabled, reachability, unusable_controls, weight
from judge.checks.interaction_values import (
    delegating,
    hover_chart,
    idle_verb,
    kept_value,
    native,
    value_fields,
)
from judge.interact import Control, Plan, install, page_info, plan
from judge.prober import Outcome, Prober
from judge.schema import CheckResult, Evidence, Interaction

EXPECT_RESPONSE = {"click", "dblclick", "type", "flow", "slide", "draw", "drag", "key"}
DEAD = 0.4  # cost of one dead control of ordinary prominence
MAIN_CONTROLS = 4  # the most prominent controls that make up "the page's main controls"


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
    if o.revealed:
        effect.append(f"revealed:{o.revealed}")
    if o.chose:
        effect.append(f"after-choosing:{o.chose}")
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
        setup=o.setup,
    )


@check("interaction", DIM, phase="live", order=60)
async def interaction(ctx: CheckContext) -> list[CheckResult]:
    """Exercise the controls: reachability, responses, dead controls, errors, primary flows."""
    page, budgets = ctx.page, ctx.rubric.budgets
    if page is None or ctx.url is None:
        return []
    controls = await install(page)
    prober = Prober(page, ctx.url, ctx.images)
    await prober.uncover(controls)
    info = await page_info(page)
    the_plan = plan(controls, budgets.actions, info)
    seconds = min(budgets.probe_seconds, max(0.5, ctx.seconds_left() - 1.0))
    outcomes = await prober.run(the_plan, seconds, budgets.actions)
    ctx.interactions.extend(_record(o) for o in outcomes)
    vp = _viewport(ctx)
    ran = [o for o in outcomes if not o.note.startswith(("unreachable", "could not"))]
    # A step that asked a live outside API for data (blocked while judging) shows what the
    # sandbox did, not what the page does: recorded, not judged.
    acted = [o for o in ran if not o.live_data]
    # What other controls write into (a size readout between − and +) is their display, even
    # when a stylesheet gave it a pointer cursor: clicking it doing nothing is no dead control.
    readouts = {sel for o in ran for sel in o.wrote}
    acted = [o for o in acted if not _readout(o, readouts)]
    if any(_responded(o) for o in acted):
        acted = [o for o in acted if not (idle_verb(o) or hover_chart(o))]
    out = [reachability(the_plan, outcomes, vp), disabled(the_plan, outcomes, vp)]
    unusable = unusable_controls(the_plan, outcomes)
    if not acted:
        out.append(_nothing_ran(controls, unusable, ran))
        return out
    values = value_fields(acted, controls, info)
    out += [
        _responsive(acted, info, unusable, values),
        _broken(acted, vp, the_plan),
        _errors(acted, vp),
    ]
    primary = [o for o in acted if o.action in ("flow", "type")]
    if primary:
        out.append(_flows(primary, vp, values))
    if ctx.external_api:
        out = [_api_dependent(r) for r in out]
    return out


def _nothing_ran(controls: list[Control], unusable: list[Outcome], ran: list[Outcome]):
    """No step judged: no controls (nothing to say), only live-data steps (not judged), or
    controls that nobody can use (covered, disabled) — the page offers nothing that works."""
    if ran:
        return result(
            "interaction.responsive",
            DIM,
            None,
            f"the page's {len(ran)} exercised control(s) fetch live data from outside, which "
            "cannot be reached while judging",
        )
    if unusable:
        return result(
            "interaction.responsive",
            DIM,
            0.0,
            f"none of the page's controls can be used: {len(unusable)} covered, disabled or hidden",
            severity="major",
        )
    return result(
        "interaction.responsive",
        DIM,
        None,
        "no controls to exercise" if not controls else "no action could run",
    )


def _api_dependent(r: CheckResult) -> CheckResult:
    """A page waiting on a live API (blocked while judging) may do nothing for that reason:
    its interaction findings say so and cost half."""
    if r.score is None or r.score >= 1 or r.id == "interaction.reachable":
        return r
    return r.model_copy(
        update={
            "score": 1.0 - (1.0 - r.score) / 2,
            "message": r.message + " (the page depends on an external API that cannot be "
            "reached while judging)",
        }
    )


def _readout(o: Outcome, readouts: set[str]) -> bool:
    c = o.control
    return (
        o.action == "click"
        and not o.responded
        and c.selector in readouts
        and not c.listened
        and not native(c)
    )


def _expects(o: Outcome) -> bool:
    c = o.control
    if c.tag == "a" and not c.listened and _placeholder(c.href):
        return False  # a mock-up's href="#" link: nothing was wired to it, nothing promised
    if o.action == "key" and not o.responded:
        return False  # keys the page wants only in some state (Escape for a closed dialog)
    if o.current and not o.responded:
        return False  # the active tab, the current slide's dot: already chosen
    return o.action in EXPECT_RESPONSE and not c.looks_disabled and not delegating(o)


def _responsive(
    acted: list[Outcome], info, unusable: list[Outcome], values: set[str]
) -> CheckResult:
    """Positive evidence: the page's main controls — its forms and fields and its most
    prominent buttons — visibly respond. A page whose main controls all do nothing earns 0;
    one nobody can use (covered, disabled) counts as not responding. A value field that kept
    what was typed is neither (a password box is not meant to change the page)."""
    judged = [o for o in acted if _expects(o) and not kept_value(o, values)]
    if judged and not info.is_design:
        judged += [o for o in unusable if o.action == "type" or _expects(o)]
    if not judged or info.is_design:
        why = "a design without script: controls are drawn, not wired" if judged else None
        return result("interaction.responsive", DIM, None, why or "no control that should respond")
    forms = [o for o in judged if o.action in ("flow", "type")]
    others = sorted(
        (o for o in judged if o.action not in ("flow", "type") and o.setup is None),
        key=lambda o: -o.control.prominence,
    )
    main = forms + others[: max(2, MAIN_CONTROLS - len(forms))]
    total = sum(weight(o.control) for o in main)
    # An error thrown by a control that visibly responded is interaction.errors' finding, not a
    # dead control here too (a code box that advances focus, and throws at the last box).
    good = [o for o in main if _responded(o)]
    share = sum(weight(o.control) for o in good) / total if total else 0.0
    return result(
        "interaction.responsive",
        DIM,
        share,
        f"{len(good)} of the page's {len(main)} main control(s) respond"
        + ("" if share >= 1 else f"; {_first_dead(main)} does nothing"),
        severity="info" if share >= 1 else ("minor" if share >= 0.75 else "major"),
        data={"main": len(main), "responded": len(good), "exercised": len(judged)},
    )


def _first_dead(main: list[Outcome]) -> str:
    o = next((o for o in main if not _responded(o)), None)
    if o is None:
        return "one"
    c = o.control
    return f"'{c.label[:30]}'" if c.label else c.selector


def _responded(o: Outcome) -> bool:
    if o.action == "type":
        return bool(o.effects or o.visible_result or o.enter_effects) and not o.note
    return o.responded


def _broken(acted: list[Outcome], vp: str | None, the_plan: Plan) -> CheckResult:
    """Clickable-looking things that do nothing; fields that swallow typing."""
    if the_plan.page.is_design:
        dead = [o for o in acted if o.action == "click" and not o.responded]
        return result(
            "interaction.broken",
            DIM,
            None,
            f"a static design (no script): {len(dead)} control(s) do nothing, as drawn",
        )
    findings: list[tuple[Outcome, str, float]] = []
    weak = 0.0  # listeners that showed nothing: often state-dependent (clearing an empty list)
    for o in acted:
        c = o.control
        name = f"'{c.label[:30]}'" if c.label else c.selector
        if o.note == "typing does not reach the field":
            findings.append((o, f"typing into {name} does nothing", 1.2))
            continue
        if c.looks_disabled and o.responded and o.action == "click":
            findings.append((o, f"{name} looks disabled but acts", 0.25))
            continue
        if _enter_swallowed(o):
            findings.append(
                (
                    o,
                    f"Enter in {name} does nothing: its form is neither sent nor checked",
                    0.3 * weight(c),
                )
            )
            continue
        if o.responded or o.action not in ("click", "dblclick", "slide", "draw", "drag"):
            continue
        if c.tag == "a" and not c.listened and _placeholder(c.href):
            continue  # href="#": a link drawn in a mock-up, not a control the app wired
        if delegating(o) or o.current:
            continue  # o.current: the active tab, the current slide's dot — already chosen
        control_like = native(c) or bool(c.listens)
        if not c.listened and native(c):
            # A button (or in-page link) with nothing listening: it cannot do anything.
            findings.append((o, f"{c.kind} {name} does nothing when clicked", DEAD * weight(c)))
        elif not c.listened:
            findings.append(
                (o, f"{name} looks clickable but nothing responds", 0.4 * DEAD * weight(c))
            )
        elif control_like and weak < 0.3:
            weak += 0.1 * weight(c)
            findings.append((o, f"{name} shows no visible response", 0.1 * weight(c)))
    if not findings:
        return result("interaction.broken", DIM, 1.0, "no dead or misleading controls")
    penalty = sum(p for _, _, p in findings)
    findings.sort(key=lambda f: -f[2])
    ev = [e for o, why, _ in findings[:5] for e in _ev(vp, o, why)]
    o0, why0, _ = findings[0]
    return result(
        "interaction.broken",
        DIM,
        max(0.0, 1.0 - penalty),
        f"{len(findings)} control(s) do not work: {why0} ({o0.control.selector})",
        severity="major",
        evidence=ev,
        data={"broken": [[o.control.selector, why] for o, why, _ in findings]},
    )


def _enter_swallowed(o: Outcome) -> bool:
    """Enter in a form's field that HTML says submits the form (a submit button, or its only
    field) did nothing at all: the form was neither sent nor checked by the browser (no submit,
    no invalid event) and nothing changed — a key handler swallows Enter (a login form that only
    the mouse can send). A field whose typing already did the work (a live filter) is left out."""
    return (
        o.action == "type"
        and o.implicit
        and o.enter_sent is False
        and not o.enter_effects
        and "dom-on-typing" not in o.effects
    )


def _placeholder(href: str | None) -> bool:
    h = (href or "").strip().lower()
    return h in ("", "#", "#!") or h.startswith("javascript:")


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


def _flow_score(o: Outcome, values: set[str]) -> tuple[float, str]:
    score, why = _flow_seen(o, values)
    if o.errors:  # counted in full by interaction.errors; here only as a flaw of the flow
        return (
            (min(score, 0.7), f"{why}, but throws an error")
            if score
            else (0.0, f"{why} (throws an error)")
        )
    return score, why


def _flow_seen(o: Outcome, values: set[str]) -> tuple[float, str]:
    if o.note == "typing does not reach the field":
        return 0.0, "does not accept typing"
    if o.visible_result or "dialog" in o.effects:
        return 1.0, "shows a result"
    if o.action == "type":
        if o.enter_effects or "dom-on-typing" in o.effects or o.effects:
            return 1.0, "responds to typing or Enter"
        if o.control.selector in values:
            return 1.0, "a value field: it keeps what was typed"
        return 0.0, "typing and pressing Enter does nothing"
    if o.action == "flow" and "canvas" in o.effects:
        # A chart or a drawing the form feeds (a bar added for the entry): the result is
        # drawn, not written, so the typed text cannot be found in the page — but a canvas
        # that draws only when asked (not a game loop) drew because of the form.
        return 1.0, "draws its result"
    if "navigation" in o.effects:
        return 0.8, "reloads the page without showing a result"
    if o.responded:
        return 0.7, "changes the page but the input does not show up"
    return 0.0, "nothing happens"


def _flows(flows: list[Outcome], vp: str | None, values: set[str]) -> CheckResult:
    """Primary functions: a form filled and submitted, a field typed into and confirmed."""
    notes = [(o, *_flow_score(o, values)) for o in flows]
    score = min(s for _, s, _ in notes) * 0.5 + 0.5 * sum(s for _, s, _ in notes) / len(notes)
    worst = min(notes, key=lambda t: t[1])
    ev = [e for o, s, why in notes if s < 1 for e in _ev(vp, o, why)][:6]
    what = {"flow": "form", "type": "field"}
    return result(
        "interaction.flow",
        DIM,
        score,
        f"{sum(s >= 1 for _, s, _ in notes)} of {len(flows)} form(s)/field(s) work"
        + (
            f"; {what[worst[0].action]} {worst[0].control.selector}: {worst[2]}"
            if worst[1] < 1
            else ""
        ),
        severity="info" if score >= 1 else "major",
        evidence=ev,
    )
