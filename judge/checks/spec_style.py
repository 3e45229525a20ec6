"""Design-spec conformance of colour, treatments and text case, measured on every viewport.

`spec.palette`: share of painted area (backgrounds by area, text by ink) in the prompt's
colours, when the prompt restricts the page to them. `spec.colour.<role>`: the background
colour is the dominant background, the text colour carries most text, a surface/border/named
colour is used at all. `spec.accent`: the accent is present, and takes little area when the
prompt says "sparingly". `spec.<treatment>`: forbidden rounded corners, shadows, gradients or
glass, by the share of boxed area showing them. `spec.case.<target>`: uppercase headings,
labels, buttons or navigation. No spec (no prompt, or nothing checkable in it): no results.
"""

from __future__ import annotations

from judge.checks.base import CheckContext, check, result
from judge.checks.spec_measure import (
    Paint,
    evidence,
    hex_rgb,
    in_kind,
    is_heading,
    matches,
    paint,
    rgb,
    share,
    shown,
    text_weight,
)
from judge.schema import CheckResult, DesignSpec, ElementInfo, ViewportCapture
from judge.spec.colours import hex_of

DIM = "spec"
ACCENT_SPARING = (0.12, 0.35)  # accent share of the page: full marks up to, zero from
PALETTE_RANGE = (0.4, 0.95)  # in-palette share: zero up to, full marks from


def _paints(ctx: CheckContext) -> dict[str, Paint]:
    return {name: paint(cap) for name, cap in ctx.captures.items()}


def _linear(x: float, lo: float, hi: float) -> float:
    return max(0.0, min(1.0, (x - lo) / (hi - lo)))


def _combined(p: Paint) -> dict:
    """Background area, text ink and border area in one bag (all in px²-like units)."""
    out = dict(p.areas)
    for bag in (p.text, p.borders):
        for c, w in bag.items():
            out[c] = out.get(c, 0.0) + w
    return out


def _top_off(amounts: dict, palette: list, n: int = 4) -> list[tuple[str, float]]:
    total = sum(amounts.values()) or 1.0
    off = [(hex_of(c), v / total) for c, v in amounts.items() if not matches(c, palette)]
    return [(h, round(s, 3)) for h, s in sorted(off, key=lambda x: (-x[1], x[0]))[:n]]


def _offenders(cap: ViewportCapture, palette: list, n: int = 3) -> list:
    """The largest elements painting a background outside the palette."""
    bad = []
    for e in cap.elements:
        col = rgb(e.own_background)
        if shown(e) and col and col[3] > 0.5 and not matches(col[:3], palette):
            bad.append(e)
    bad.sort(key=lambda e: (-(e.bbox.width * e.bbox.height), e.selector))
    return [evidence(cap, e, f"background {e.own_background}") for e in bad[:n]]


def _palette(ctx: CheckContext, spec: DesignSpec, paints: dict[str, Paint]) -> list[CheckResult]:
    palette = [hex_rgb(c.value) for c in spec.colours]
    out = []
    for name, p in paints.items():
        amounts = _combined(p)
        s = share(amounts, palette)
        off = _top_off(amounts, palette)
        score = _linear(s, *PALETTE_RANGE)
        out.append(
            result(
                "spec.palette",
                DIM,
                score,
                f"{s:.0%} of what is painted uses the prompt's palette"
                + (f"; outside it: {', '.join(f'{h} {v:.0%}' for h, v in off[:3])}" if off else ""),
                viewport=name,
                weight=2.0,
                severity="info" if score >= 0.9 else "major" if score < 0.5 else "minor",
                evidence=_offenders(ctx.captures[name], palette) if score < 1 else [],
                data={"share": round(s, 4), "outside": off},
            )
        )
    return out


def _role_score(role: str, target, p: Paint, sparing: bool) -> tuple[float, str, float]:
    """(score, message, measured share) of one colour in its role at one viewport."""
    if role == "background":
        if not p.areas:
            return 0.0, "nothing painted", 0.0
        dominant = max(sorted(p.areas), key=lambda c: p.areas[c])
        s = share(p.areas, [target])
        if matches(dominant, [target]):
            return 1.0, f"is the dominant background ({s:.0%} of the area)", s
        return min(0.7, s / 0.5 * 0.7), f"covers {s:.0%}; the dominant one is {hex_of(dominant)}", s
    if role == "text":
        s = share(p.text, [target])
        return min(1.0, s / 0.6), f"colours {s:.0%} of the text", s
    if role == "border":
        s = share(p.borders, [target])
        if s <= 0:
            return 0.0, "is not used for borders", 0.0
        return min(1.0, s / 0.5), f"draws {s:.0%} of the borders", s
    amounts = _combined(p)
    s = share(amounts, [target])
    if s <= 0:
        return 0.0, "is not used", 0.0
    if role == "accent" and sparing:
        score = 1.0 - _linear(s, *ACCENT_SPARING)
        return score, f"takes {s:.1%} of the page (asked: sparingly)", s
    return 1.0, f"is used ({s:.1%} of the page)", s


@check("spec.colours", DIM, order=90)
async def spec_colours(ctx: CheckContext) -> list[CheckResult]:
    """The page's painted colours against the prompt's palette and colour roles."""
    spec = ctx.spec
    if spec is None or not spec.colours or not ctx.captures:
        return []
    paints = _paints(ctx)
    out = _palette(ctx, spec, paints) if spec.palette == "closed" else []
    for colour in spec.colours:
        target = hex_rgb(colour.value)
        per = {n: _role_score(colour.role, target, p, colour.sparingly) for n, p in paints.items()}
        score = sum(s for s, _, _ in per.values()) / len(per)
        worst = min(per, key=lambda n: (per[n][0], n))
        if colour.role == "accent":
            rid = "spec.accent"
        elif colour.role == "any":
            rid = f"spec.colour.{colour.value.lstrip('#')}"
        else:
            rid = f"spec.colour.{colour.role}"
        out.append(
            result(
                rid,
                DIM,
                score,
                f"{colour.role} colour {colour.value} {per[worst][1]} ({worst})",
                weight=1.5 if colour.role in ("background", "text", "accent") else 1.0,
                severity="info" if score >= 0.9 else "major" if score < 0.5 else "minor",
                data={"per_viewport": {n: round(v[2], 4) for n, v in per.items()}},
            )
        )
    return out


def _boxed(e: ElementInfo) -> bool:
    col = rgb(e.own_background)
    return shown(e) and (
        (col is not None and col[3] > 0.1)
        or e.border_width >= 1
        or e.box_shadow is not None
        or e.tag in ("img", "video", "button", "input", "select", "textarea", "canvas")
    )


VIOLATES = {
    "rounded_corners": (
        lambda e: e.border_radius >= 3,
        lambda e: f"border-radius {e.border_radius:g}px",
    ),
    "shadows": (
        lambda e: e.box_shadow is not None or e.text_shadow is not None,
        lambda e: f"shadow {(e.box_shadow or e.text_shadow or '')[:80]}",
    ),
    "gradients": (
        lambda e: "gradient(" in (e.background_image or ""),
        lambda e: f"background {(e.background_image or '')[:80]}",
    ),
    "glassmorphism": (
        lambda e: "blur(" in (e.backdrop_filter or ""),
        lambda e: f"backdrop-filter {e.backdrop_filter}",
    ),
}


def _area(e: ElementInfo, cap: ViewportCapture) -> float:
    # Capped at one screen: a page-tall wrapper must not outweigh everything on it.
    return min(e.bbox.width * e.bbox.height, float(cap.width * cap.height))


@check("spec.treatments", DIM, order=91)
async def spec_treatments(ctx: CheckContext) -> list[CheckResult]:
    """Forbidden treatments (rounded corners, shadows, gradients, glass) where they show."""
    spec = ctx.spec
    if spec is None or not spec.forbidden or not ctx.captures:
        return []
    out = []
    for rule in spec.forbidden:
        bad_of, what = VIOLATES[rule.treatment]
        shares, ev, count = [], [], 0
        for cap in ctx.captures.values():
            els = [e for e in cap.elements if _boxed(e) or (shown(e) and bad_of(e))]
            total = sum(_area(e, cap) for e in els) or 1.0
            bad = [e for e in els if bad_of(e) and e.bbox.width * e.bbox.height >= 100]
            count += len(bad)
            shares.append(sum(_area(e, cap) for e in bad) / total)
            bad.sort(key=lambda e: (-(e.bbox.width * e.bbox.height), e.selector))
            ev += [evidence(cap, e, what(e)) for e in bad[:2]]
        v = sum(shares) / len(shares)
        score = 1.0 if count == 0 else max(0.0, 0.75 - 2.5 * v)
        label = rule.treatment.replace("_", " ")
        out.append(
            result(
                f"spec.{rule.treatment}",
                DIM,
                score,
                f"no {label}, as asked"
                if count == 0
                else f"{label} forbidden by the prompt, shown on {v:.0%} of the boxed area",
                weight=1.0,
                severity="info" if count == 0 else "major" if score < 0.5 else "minor",
                evidence=ev[:6],
                data={"share": round(v, 4), "elements": count},
            )
        )
    return out


CASE_KIND = {
    "headings": is_heading,
    "buttons": lambda e: e.tag == "button" or e.role == "button",
    "labels": lambda e: e.tag in ("label", "legend"),
    "navigation": lambda e: e.tag == "nav" or e.role == "navigation",
    "table_headers": lambda e: e.tag == "th" or e.role == "columnheader",
}


def _cased(e: ElementInfo, case: str) -> bool:
    letters = [ch for ch in e.text if ch.isalpha()]
    if case == "upper":
        return e.text_transform == "uppercase" or all(ch.isupper() for ch in letters)
    return e.text_transform == "lowercase" or all(ch.islower() for ch in letters)


@check("spec.case", DIM, order=92)
async def spec_case(ctx: CheckContext) -> list[CheckResult]:
    """Text case asked for (uppercase headings, labels, buttons, navigation)."""
    spec = ctx.spec
    if spec is None or not spec.case or not ctx.captures:
        return []
    out = []
    for rule in spec.case:
        pred = CASE_KIND[rule.target]
        good = total = 0.0
        ev = []
        for cap in ctx.captures.values():
            for i, e in enumerate(cap.elements):
                if not shown(e) or not any(ch.isalpha() for ch in e.text):
                    continue
                if not in_kind(cap, i, pred):
                    continue
                w = text_weight(e)
                total += w
                if _cased(e, rule.case):
                    good += w
                elif len(ev) < 4:
                    ev.append(evidence(cap, e, f"{e.text[:60]!r} is not {rule.case}case"))
        if total == 0:
            out.append(
                result(
                    f"spec.case.{rule.target}",
                    DIM,
                    None,
                    f"no {rule.target} text found to check the case of",
                )
            )
            continue
        s = good / total
        out.append(
            result(
                f"spec.case.{rule.target}",
                DIM,
                s,
                f"{s:.0%} of the {rule.target} text is {rule.case}case, as asked",
                weight=1.0,
                severity="info" if s >= 0.9 else "major" if s < 0.5 else "minor",
                evidence=ev,
                data={"share": round(s, 4)},
            )
        )
    return out
