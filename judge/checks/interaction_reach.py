"""Who can use which control: covered controls, text fields that are disabled or taken away.

Split from judge.checks.interaction (which runs the prober and owns the check): these read the
plan and the prober's outcomes only.
"""

from __future__ import annotations

from judge.checks.base import result
from judge.interact import Control, Plan
from judge.prober import Outcome
from judge.schema import CheckResult, Evidence

DIM = "interaction"
# Controls that take a value from the person — what an app is usually for. A slider counts as
# much as a text field: a one-slider app with its slider disabled or gone offers nothing.
VALUE_KINDS = ("text", "range")


def weight(c: Control) -> float:
    """How much a reader relies on this control: ~1 for an ordinary button, up to 1.5."""
    return min(1.5, max(0.3, c.prominence / 80))


def _used(outcomes: list[Outcome]) -> set[str]:
    """Controls some step did use: one covered at first and used once a step changed the page
    (a search box under its icon until the icon is clicked) is covered by design."""
    return {o.control.selector for o in outcomes if not o.note.startswith(("unreachable", "could"))}


def _covered(the_plan: Plan, outcomes: list[Outcome]) -> list[Control]:
    """Controls covered on the page as loaded, or when a step tried them, that no step used."""
    used = _used(outcomes)
    covered = {c.selector: c for c in the_plan.covered}
    for o in outcomes:
        if o.note.startswith("unreachable"):
            covered.setdefault(o.control.selector, o.control)
    return [c for s, c in covered.items() if s not in used]


def unusable_controls(the_plan: Plan, outcomes: list[Outcome]) -> list[Outcome]:
    """Controls a person cannot use at all — covered by something, disabled text fields, fields
    taken away — as steps that got no response: a main control nobody can use does not work,
    and a page must not gain from having nothing left that could fail."""
    used = _used(outcomes)
    out = [
        o for o in outcomes if o.note.startswith("unreachable") and o.control.selector not in used
    ]
    seen = {o.control.selector for o in out} | used
    for c in the_plan.covered:
        if c.selector not in seen:
            out.append(Outcome(c, "type" if c.kind == "text" else "click", note="unreachable"))
    out += [
        Outcome(c, "type" if c.kind == "text" else "slide", note="cannot be used")
        for c in _unusable_fields(the_plan, outcomes)
    ]
    return out


def _unusable_fields(the_plan: Plan, outcomes: list[Outcome]) -> list[Control]:
    """Fields nobody can type into or slide: disabled ones shown on the page (a slider only
    when the page's code listens to it — a disabled one can be a display), then taken-away ones."""
    exercised = {o.control.selector for o in outcomes}
    off = [
        c
        for c in the_plan.controls
        if c.kind in VALUE_KINDS
        and c.reach == "ok"
        and c.disabled
        and (c.kind == "text" or c.listened or c.in_form)
    ]
    return off + [c for c in the_plan.hidden if _taken_away(c, exercised)]


# Something drawn over a control's middle while its edges can still be clicked: a person sees
# the collision and aims around it — half the cost of a control nobody can click.
PARTLY = 0.5


def reachability(the_plan: Plan, outcomes: list[Outcome], vp: str | None) -> CheckResult:
    bad = sorted(_covered(the_plan, outcomes), key=lambda c: -c.prominence)
    gone = {c.selector for c in bad}
    partly = [
        c
        for c in the_plan.controls
        if c.reach == "ok" and c.partly_covered_by and c.kind != "hover" and c.selector not in gone
    ]
    partly.sort(key=lambda c: -c.prominence)
    total = len([c for c in the_plan.controls if c.kind != "hover"])
    if not bad and not partly:
        return result(
            "interaction.reachable",
            DIM,
            1.0 if total else None,
            f"nothing covers the {total} control(s)" if total else "no controls",
        )
    ev = [
        Evidence(
            viewport=vp,
            selector=c.selector,
            bbox=c.bbox,
            screenshot=f"{vp}.png" if vp else None,
            detail=(f"covered by {c.covered_by}" if c.covered_by else "covered")
            if c.selector in gone
            else f"partly covered by {c.partly_covered_by}",
        )
        for c in (bad + partly)[:6]
    ]
    penalty = sum(0.35 * weight(c) for c in bad) + sum(0.35 * PARTLY * weight(c) for c in partly)
    if bad:
        first = bad[0]
        msg = (
            f"{len(bad)} control(s) cannot be clicked: something is drawn on top of them, e.g. "
            f"'{first.label or first.selector}' is covered by "
            f"{first.covered_by or 'another element'}"
        )
        if partly:
            msg += f"; {len(partly)} more partly covered"
    else:
        first = partly[0]
        msg = (
            f"{len(partly)} control(s) partly covered: '{first.label or first.selector}' has "
            f"{first.partly_covered_by} drawn over its middle"
        )
    return result(
        "interaction.reachable",
        DIM,
        max(0.0, 1.0 - penalty),
        msg + " — move the covering element or give the control a higher stacking order",
        severity="major" if bad else "minor",
        evidence=ev,
        data={
            "covered": [[c.selector, c.covered_by] for c in bad[:20]],
            "partly": [[c.selector, c.partly_covered_by] for c in partly[:20]],
        },
    )


def _taken_away(c: Control, exercised: set[str]) -> bool:
    """A text field the page's code uses (listens to it, or submits its form) that hides
    itself — its own display:none while its container shows — and no step revealed. Fields
    hidden by design sit in a closed container (a panel, a dialog, a collapsed search)."""
    return (
        c.kind in VALUE_KINDS
        and c.reach == "hidden"
        and c.hidden_why == "hidden itself"
        and (c.listened or c.in_form)
        and c.selector not in exercised
    )


def disabled(the_plan: Plan, outcomes: list[Outcome], vp: str | None) -> CheckResult:
    """Fields that are there to be typed into or slid but cannot be: disabled, or taken away."""
    off = _unusable_fields(the_plan, outcomes)
    shown = [c for c in the_plan.controls if c.kind in VALUE_KINDS and c.reach == "ok"]
    fields = shown + [c for c in off if c.reach == "hidden"]
    if not fields:
        return result("interaction.disabled", DIM, None, "no text fields or sliders")
    if not off:
        return result("interaction.disabled", DIM, 1.0, f"all {len(fields)} field(s) usable")
    share = len(off) / len(fields)
    return result(
        "interaction.disabled",
        DIM,
        max(0.0, 1.0 - 0.8 * share),
        f"{len(off)} of {len(fields)} field(s) cannot be used (disabled or hidden although the "
        f"page's code uses them): nobody can use '{off[0].label or off[0].selector}'",
        severity="major",
        evidence=[
            Evidence(viewport=vp, selector=c.selector, bbox=c.bbox, detail="disabled")
            for c in off[:5]
        ],
    )
