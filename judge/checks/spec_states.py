"""Design-spec interaction requirements: hover and focus states, and behaviour that must work.

`spec.hover` / `spec.focus`: CDP `CSS.forcePseudoState` puts candidates (the asked target:
cards, buttons or links; focusable controls for focus) in :hover or :focus/:focus-visible;
their computed styles (and their children's and pseudo-elements') are compared with and
without the state, transitions finished first. Score: share of candidates that change.
Behaviour (`spec.filter`, `spec.search`, `spec.sort`, `spec.pagination`, `spec.modal`) is in
`spec_behaviour`.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from judge.checks.base import CheckContext, check, result
from judge.checks.spec_measure import ancestors, evidence, live_capture, main_group, shown
from judge.schema import CheckResult, ElementInfo, ViewportCapture

if TYPE_CHECKING:
    from playwright.async_api import CDPSession, Page

DIM = "spec"
CANDIDATES = 6
STYLE_JS = """(sels) => {
  for (const a of document.getAnimations()) { try { a.finish(); } catch (e) { /* infinite */ } }
  const props = ["color", "backgroundColor", "backgroundImage", "borderTopColor", "borderBottomColor",
    "borderTopWidth", "outlineStyle", "outlineColor", "outlineWidth", "boxShadow", "transform",
    "translate", "scale", "opacity", "textDecorationLine", "filter", "fontWeight", "width"];
  const read = (cs) => props.map((p) => cs[p]).join("|");
  return sels.map((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    const nodes = [el, ...Array.from(el.querySelectorAll("*")).slice(0, 30)];
    const out = nodes.map((n) => read(getComputedStyle(n)));
    out.push(read(getComputedStyle(el, "::before")), read(getComputedStyle(el, "::after")));
    return out.join("\\n");
  });
}"""
FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary"}


def _hover_candidates(cap: ViewportCapture, target: str) -> list[ElementInfo]:
    def ok(e: ElementInfo) -> bool:
        return shown(e) and e.bbox.y < 3 * cap.height and not e.disabled

    cards = []
    g = main_group(cap)
    if g is not None:
        cards = [cap.elements[i] for i in g.items]
    buttons = [e for e in cap.elements if e.tag == "button" or e.role == "button"]
    links = [e for e in cap.elements if e.tag == "a" and "href" in e.attrs]
    pools = {
        "card": cards,
        "product": cards,
        "tile": cards,
        "item": cards,
        "image": [e for e in cap.elements if e.tag == "img"],
        "row": [
            e
            for e in cap.elements
            if e.tag == "tr" and (e.parent is None or cap.elements[e.parent].tag != "thead")
        ],
        "button": buttons,
        "link": links,
    }
    if target in pools:
        chosen = [e for e in pools[target] if ok(e)]
    else:  # no target named: a few of each kind of control, then cards
        chosen = [e for e in buttons if ok(e)][:2] + [e for e in links if ok(e)][:2]
        chosen += [e for e in cards if ok(e)][:2]
    seen, out = set(), []
    for e in chosen:
        if e.selector not in seen:
            seen.add(e.selector)
            out.append(e)
    return out[:CANDIDATES]


def _focus_candidates(cap: ViewportCapture) -> list[ElementInfo]:
    out = [
        e
        for e in cap.elements
        if shown(e)
        and not e.disabled
        and (e.tag in FOCUSABLE or e.role in ("button", "link", "tab", "checkbox"))
        and not (e.tag == "a" and "href" not in e.attrs)
    ]
    return out[:CANDIDATES]


async def _node(cdp: CDPSession, root: int, selector: str) -> int:
    try:
        return (await cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector}))[
            "nodeId"
        ]
    except Exception:
        return 0


def _outermost(cap: ViewportCapture, els: list[ElementInfo]) -> list[ElementInfo]:
    """Drop candidates inside other candidates: states are forced on all at once, and a
    forced parent must not make its child look changed (or the reverse)."""
    index = {e.selector: i for i, e in enumerate(cap.elements)}
    chosen = {index[e.selector] for e in els if e.selector in index}
    out = []
    for e in els:
        i = index.get(e.selector)
        if i is None or not any(a in chosen for a in ancestors(cap, i)):
            out.append(e)
    return out


async def _changes(page: Page, els: list[ElementInfo], states: list[str]) -> dict[str, bool | None]:
    """selector → whether forcing `states` changes its computed styles (None: not measured).

    All candidates are forced together and read in one evaluation before and after."""
    sels = [e.selector for e in els]
    cdp = await page.context.new_cdp_session(page)
    try:
        await cdp.send("DOM.enable")
        await cdp.send("CSS.enable")
        root = (await cdp.send("DOM.getDocument", {"depth": 0}))["root"]["nodeId"]
        nodes = [await _node(cdp, root, s) for s in sels]
        before = await page.evaluate(STYLE_JS, sels)
        forced = [n for n in nodes if n]
        try:
            for n in forced:
                await cdp.send("CSS.forcePseudoState", {"nodeId": n, "forcedPseudoClasses": states})
            after = await page.evaluate(STYLE_JS, sels)
        finally:
            for n in forced:
                await cdp.send("CSS.forcePseudoState", {"nodeId": n, "forcedPseudoClasses": []})
    finally:
        await cdp.detach()
    return {
        s: None if not n or b is None or a is None else a != b
        for s, n, b, a in zip(sels, nodes, before, after, strict=True)
    }


async def _state_result(
    ctx: CheckContext, rid: str, label: str, els: list[ElementInfo], states: list[str]
) -> CheckResult:
    cap = live_capture(ctx)
    if not els:
        return result(
            rid, DIM, 0.0, f"no {label} candidates on the page", weight=1.0, severity="major"
        )
    changed = await asyncio.wait_for(_changes(ctx.page, els, states), max(1.0, ctx.seconds_left()))  # type: ignore[arg-type]
    measured = {k: v for k, v in changed.items() if v is not None}
    if not measured:
        return result(rid, DIM, None, f"could not force the {label} state")
    s = sum(measured.values()) / len(measured)
    ev = [
        evidence(
            cap, e, f"{label} state {'changes' if changed.get(e.selector) else 'looks the same'}"
        )
        for e in els
        if changed.get(e.selector) is not None
    ][:4]
    return result(
        rid,
        DIM,
        s,
        f"{sum(measured.values())} of {len(measured)} {label} candidates change when in the state",
        weight=1.0,
        severity="info" if s >= 0.99 else "major" if s < 0.5 else "minor",
        evidence=ev,
        data={"changed": dict(sorted(changed.items()))},
    )


@check("spec.states", DIM, phase="live", order=9)
async def spec_states(ctx: CheckContext) -> list[CheckResult]:
    """Hover and focus states that visibly change, where the prompt asks for them."""
    spec = ctx.spec
    if spec is None or ctx.page is None or not ctx.captures:
        return []
    kinds = {i.kind: i for i in spec.interactions}
    cap = live_capture(ctx)
    out = []
    if "hover" in kinds:
        els = _hover_candidates(cap, kinds["hover"].target)
        out.append(await _state_result(ctx, "spec.hover", "hover", els, ["hover"]))
    if "focus" in kinds:
        els = _focus_candidates(cap)
        out.append(await _state_result(ctx, "spec.focus", "focus", els, ["focus", "focus-visible"]))
    return out
