"""Design-spec checks on the live page: fonts actually rendered, required components and texts.

`spec.fonts`: for the text carrying most ink, the family the page declares (computed
`font-family`) and the platform font Chromium actually drew it with (CDP
`CSS.getPlatformFontsForNode`). Declared and drawn: full marks; declared and requested (a
@font-face in `document.fonts`, or a font stylesheet the sandbox blocked) but not drawn here:
0.85, since the page asked for it properly; declared but never loaded: 0.5; not declared: 0.
`spec.component.<kind>` / `spec.section.<name>` / `spec.text.<slug>`: located by role,
landmark, accessible name or text (see `spec_locate`), then visible at each viewport (a phone
may fold the navigation behind a visible menu button).
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING
from urllib.parse import unquote_plus

from judge.checks.base import CheckContext, check, result
from judge.checks.spec_locate import (
    MENU,
    WAYS,
    Way,
    first_found,
    name_pattern,
    paths,
    visible_in,
)
from judge.checks.spec_measure import (
    evidence,
    is_heading,
    live_capture,
    main_group,
    shown,
    slug,
    text_weight,
)
from judge.schema import CheckResult, DesignSpec

if TYPE_CHECKING:
    from playwright.async_api import Page

DIM = "spec"
FONT_SAMPLE = 14
GENERIC = {"monospace", "serif", "sans-serif", "system-ui", "cursive", "fantasy"}
MONO_HINT = re.compile(r"mono|code|courier|consol|menlo|monaco|typewriter", re.I)
SERIF_HINT = re.compile(r"serif|times|georgia|garamond|baskerville|roman|slab", re.I)
# Families a page cannot load but may expect installed; fontconfig draws them here with a
# metric-compatible face (the one a Linux user sees), which counts as drawing them.
SYSTEM_FONTS = {
    "helvetica": "liberation sans", "helvetica neue": "liberation sans", "arial": "liberation sans",
    "times new roman": "liberation serif", "times": "liberation serif",
    "courier new": "liberation mono", "courier": "liberation mono",
    "georgia": "", "verdana": "", "tahoma": "", "trebuchet ms": "", "segoe ui": "",
    "-apple-system": "", "sf pro": "", "sf pro text": "", "sf pro display": "", "menlo": "",
    "monaco": "", "consolas": "", "impact": "", "comic sans ms": "",
}  # fmt: skip
_FACES_JS = "() => Array.from(document.fonts || []).map((f) => f.family.replace(/[\"']/g, ''))"


def _norm(family: str) -> str:
    return re.sub(r"\s+", " ", family.strip().strip("\"'").lower())


def _stack(css: str | None) -> list[str]:
    return [_norm(f) for f in (css or "").split(",") if f.strip()]


def _generic_ok(generic: str, drawn: str, stack: list[str]) -> bool:
    if generic == "monospace":
        return bool(MONO_HINT.search(drawn)) or (stack[:1] == ["monospace"])
    if generic == "serif":
        return bool(SERIF_HINT.search(drawn)) and "sans" not in drawn.lower()
    if generic == "sans-serif":
        return not SERIF_HINT.search(drawn.replace("Sans", "")) and not MONO_HINT.search(drawn)
    return True


async def _drawn(page: Page, selectors: list[str]) -> dict[str, str]:
    """selector → the platform font that drew most of its own text (CDP)."""
    out: dict[str, str] = {}
    cdp = await page.context.new_cdp_session(page)
    try:
        await cdp.send("DOM.enable")
        await cdp.send("CSS.enable")
        root = (await cdp.send("DOM.getDocument", {"depth": 0}))["root"]["nodeId"]

        async def one(sel: str) -> None:
            try:
                nid = (await cdp.send("DOM.querySelector", {"nodeId": root, "selector": sel}))[
                    "nodeId"
                ]
                if not nid:
                    return
                fonts = (await cdp.send("CSS.getPlatformFontsForNode", {"nodeId": nid}))["fonts"]
            except Exception:  # a node gone since the capture: not measured
                return
            if fonts:
                top = max(fonts, key=lambda f: (f.get("glyphCount", 0), f["familyName"]))
                out[sel] = top["familyName"]

        await asyncio.gather(*(one(s) for s in selectors))  # sent together, answered in order
    finally:
        await cdp.detach()
    return out


async def _requested(ctx: CheckContext) -> set[str]:
    """Families the page asked the browser to load (font faces, blocked font stylesheets)."""
    names: set[str] = set()
    try:
        faces = await asyncio.wait_for(ctx.page.evaluate(_FACES_JS), 3)  # type: ignore[union-attr]
        names |= {_norm(f) for f in faces}
    except Exception:
        pass
    for b in ctx.events.blocked:
        for fam in re.findall(r"family=([^&:;]+)", unquote_plus(b.url)):
            names.add(_norm(fam))
    return names


def _element_score(
    wanted: list[str], stack: list[str], drawn: str | None, requested: set[str]
) -> tuple[float, str]:
    """How well one element follows the asked families (see module doc)."""
    drawn_n = _norm(drawn or "")
    for fam in wanted:
        if fam in GENERIC:
            if drawn and _generic_ok(fam, drawn, stack) and fam in stack:
                return 1.0, f"{fam} (drawn with {drawn})"
            continue
        if drawn_n == fam:
            return 1.0, f"drawn with {drawn}"
        if stack[:1] == [fam]:
            if fam in SYSTEM_FONTS:
                if SYSTEM_FONTS[fam] and drawn_n == SYSTEM_FONTS[fam]:
                    return 1.0, f"declares {fam}, drawn with its metric twin {drawn}"
                return 0.85, f"declares the system font {fam}; drawn here with {drawn}"
            if fam in requested:
                return 0.85, f"declares {fam} and loads it (blocked here); drawn with {drawn}"
            return 0.5, f"declares {fam} but never loads it; drawn with {drawn}"
    return 0.0, f"font-family {', '.join(stack[:2])}; drawn with {drawn}"


@check("spec.fonts", DIM, phase="live", order=7)
async def spec_fonts(ctx: CheckContext) -> list[CheckResult]:
    """The fonts the prompt asks for, declared and actually drawn, weighted by text ink."""
    spec = ctx.spec
    if spec is None or not spec.fonts or ctx.page is None or not ctx.captures:
        return []
    cap = live_capture(ctx)
    texts = [(i, e) for i, e in enumerate(cap.elements) if shown(e) and e.text.strip()]
    texts.sort(key=lambda t: (-text_weight(t[1]), t[1].selector))
    sample = texts[:FONT_SAMPLE]
    if not sample:
        return [result("spec.fonts", DIM, None, "no text to check the fonts of")]
    drawn = await _drawn(ctx.page, [e.selector for _, e in sample])
    requested = await _requested(ctx)
    by_role = {"headings": [], "body": [], "any": []}  # type: dict[str, list[str]]
    for f in spec.fonts:
        by_role[f.role].append(_norm(f.family))
    good = total = 0.0
    ev, notes = [], []
    for _, e in sample:
        role = "headings" if is_heading(e) else "body"
        wanted = by_role[role] or by_role["any"] or (by_role["headings"] + by_role["body"])
        score, note = _element_score(
            wanted, _stack(e.font_family), drawn.get(e.selector), requested
        )
        w = text_weight(e)
        good += w * score
        total += w
        if score < 1 and len(ev) < 4:
            ev.append(evidence(cap, e, note))
        notes.append({"selector": e.selector, "score": score, "note": note[:160]})
    s = good / total if total else 0.0
    asked = ", ".join(f"{f.family} ({f.role})" for f in spec.fonts)
    return [
        result(
            "spec.fonts",
            DIM,
            s,
            f"fonts asked: {asked}; {s:.0%} of the sampled text follows",
            weight=1.5,
            severity="info" if s >= 0.9 else "major" if s < 0.5 else "minor",
            evidence=ev,
            data={"drawn": dict(sorted(drawn.items())), "elements": notes[:8]},
        )
    ]


def _ways_for(kind: str, name: str, fields: list[str]) -> list[Way]:
    if kind == "section":
        pat = name_pattern(name)
        return [Way("role", "heading", pat), Way("role", "region", pat), Way("text", "", pat)]
    return WAYS.get(kind, [])


async def _located(
    ctx: CheckContext, kind: str, name: str, labels: list[str] | None = None
) -> tuple[list[str], str]:
    """Selectors of the component (by role/name/text, or for hero and cards by their form)."""
    if kind == "hero":
        cap = live_capture(ctx)
        heads = [
            e
            for e in cap.elements
            if shown(e) and is_heading(e) and e.bbox.y < cap.height and (e.font_size or 0) >= 28
        ]
        heads.sort(key=lambda e: (e.bbox.y, e.selector))
        return [e.selector for e in heads[:1]], "a large heading on the first screen"
    if kind == "header":
        found, way = await first_found(ctx.page, WAYS["header"])  # type: ignore[arg-type]
        if found:
            return found, way.describe() if way else ""
        cap = live_capture(ctx)  # a <header> inside <main> is no banner landmark, still a header
        heads = [
            e for e in cap.elements if shown(e) and e.tag == "header" and e.bbox.y < cap.height
        ]
        return [e.selector for e in heads[:1]], "a <header> on the first screen"
    if kind == "cards":
        cap = live_capture(ctx)
        g = main_group(cap)
        if g is not None and len(g.items) >= 2:
            return [cap.elements[i].selector for i in g.items], "repeated boxes"
        found, way = await first_found(ctx.page, [Way("role", "article")])  # type: ignore[arg-type]
        return found, way.describe() if way else ""
    found, way = await first_found(ctx.page, _ways_for(kind, name, []))  # type: ignore[arg-type]
    if found or not labels:
        return found, way.describe() if way else ""
    return await _by_labels(ctx.page, labels)  # type: ignore[arg-type]


CONTROL_ROLES = ("button", "link", "tab", "radio", "option", "checkbox", "menuitem")


async def _by_labels(page: Page, labels: list[str]) -> tuple[list[str], str]:
    """A component the prompt describes by its controls' names ('All', 'Active' …): found
    when most of those controls are."""
    found: list[str] = []
    for label in labels:
        pat = re.compile(rf"^\s*{re.escape(label)}\s*$", re.I)
        hit, _ = await first_found(page, [Way("role", r, pat) for r in CONTROL_ROLES])
        found += hit[:1]
    if len(found) * 2 < len(labels) or not found:
        return [], ""
    return found, f"its controls {', '.join(repr(x) for x in labels)}"


async def _form(ctx: CheckContext, fields: list[str]) -> tuple[float, list[str], str]:
    """(share of asked fields found, their selectors, note) — by label, name or placeholder."""
    page = ctx.page
    assert page is not None
    wanted = fields or [""]
    found: list[str] = []
    missing = []
    for f in wanted:
        pat = name_pattern(f) if f else re.compile(r".*", re.S)
        ways = [Way("label", "", pat), Way("role", "textbox", pat), Way("placeholder", "", pat)]
        if not f:
            ways = [Way("role", "textbox")]
        sel, _ = await first_found(page, ways)
        if sel:
            found.append(sel[0])
        else:
            missing.append(f or "a text field")
    button, _ = await first_found(page, [Way("role", "button")])
    share = (
        (len(wanted) - len(missing)) / len(wanted)
        if button
        else 0.5 * (len(wanted) - len(missing)) / len(wanted)
    )
    note = "missing: " + ", ".join(missing) if missing else "all fields found"
    if not button:
        note += "; no button to send it"
    return share, found, note


def _per_viewport(ctx: CheckContext, kind: str, selectors: list[str], toggles: list[str]):
    """Visible at each viewport? (navigation may hide behind a visible menu button)."""
    seen, ev = {}, []
    for name, cap in ctx.captures.items():
        e = visible_in(cap, selectors)
        if e is None and kind == "navigation":
            e = visible_in(cap, toggles)
        seen[name] = e is not None
        if e is not None and len(ev) < 3:
            ev.append(evidence(cap, e, f"{kind} shown at {name}"))
    return seen, ev


@check("spec.components", DIM, phase="live", order=8)
async def spec_components(ctx: CheckContext) -> list[CheckResult]:
    """Required sections, components and texts: found like a user finds them, and shown."""
    spec: DesignSpec | None = ctx.spec
    if spec is None or ctx.page is None or not ctx.captures:
        return []
    if not spec.components and not spec.texts:
        return []
    toggles = await paths(ctx.page, Way("role", "button", MENU))
    # Independent look-ups, sent together (the page answers them in order): the results keep
    # the spec's order whatever order they finish in.
    jobs = [_component(ctx, c, toggles) for c in spec.components]
    jobs += [_text(ctx, t.text) for t in spec.texts]
    return [r for r in await asyncio.gather(*jobs) if r is not None]


async def _component(ctx: CheckContext, comp, toggles: list[str]) -> CheckResult | None:
    if comp.kind == "modal" or comp.within == "modal":
        return None  # hidden until a dialog opens: `spec.behaviour` opens it
    if comp.kind == "form":
        share, found, note = await _form(ctx, comp.fields)
        seen, ev = _per_viewport(ctx, "form", found, [])
        vis = sum(seen.values()) / len(seen) if found else 0.0
        score = share * (0.5 + 0.5 * vis) if found else 0.0
        rid = f"spec.component.form{'.' + slug(comp.name) if comp.name else ''}"
        label = f"{comp.name + ' ' if comp.name else ''}form"
        return _component_result(rid, label, score, note, ev, seen)
    found, how = await _located(ctx, comp.kind, comp.name, comp.labels)
    if comp.kind == "section":
        rid, label = f"spec.section.{slug(comp.name)}", f"section {comp.name!r}"
    else:
        rid, label = f"spec.component.{comp.kind}", comp.kind
    if not found:
        return _component_result(rid, label, 0.0, "not found by role, name or text", [], {})
    seen, ev = _per_viewport(ctx, comp.kind, found, toggles)
    score = sum(seen.values()) / len(seen) if seen else 0.0
    return _component_result(rid, label, score, f"found by {how}", ev, seen)


async def _text(ctx: CheckContext, text: str) -> CheckResult:
    found = await paths(ctx.page, Way("text", text))  # type: ignore[arg-type]
    seen, ev = _per_viewport(ctx, "text", found, []) if found else ({}, [])
    score = sum(seen.values()) / len(seen) if seen else 0.0
    note = "shown" if found else "not on the page"
    return _component_result(
        f"spec.text.{slug(text)}", f"text {text!r}", score, note, ev, seen, weight=0.75
    )


def _component_result(
    rid: str,
    label: str,
    score: float,
    note: str,
    ev: list,
    seen: dict[str, bool],
    weight: float = 1.0,
) -> CheckResult:
    hidden = [n for n, v in seen.items() if not v]
    msg = f"{label}: {note}" + (
        f"; not visible at {', '.join(hidden)}" if hidden and score > 0 else ""
    )
    return result(
        rid,
        DIM,
        score,
        msg,
        weight=weight,
        severity="info" if score >= 0.99 else "major" if score < 0.5 else "minor",
        evidence=ev,
        data={"visible": seen},
    )
