"""Interaction probing, part 1: discover a page's controls and plan how a careful tester tries them.

Discovery (assets/controls.js) finds buttons, in-page links, text fields, selects, checkboxes,
sliders, canvases and draggables, [role=button], elements with click-like listeners (seen via
CDP `DOMDebugger.getEventListeners`, with their event types) and hover-styled elements, each
with its reachability: `ok`, `covered` (something else is drawn on top of it — a defect) or
`hidden` (not rendered, collapsed, clipped or off-canvas — by design until some state change
shows it; neither exercised nor reported).

The plan puts the page's primary functions first — a form filled in and submitted, a text
field typed into and confirmed with Enter — then one control of each kind in turn, the most
prominent first. Steps that create state (an added item) get follow-up steps for the controls
that state reveals (the item's checkbox and delete button, the filters); a follow-up carries the
step that created its state as `setup`, replayed after a clean reload. Execution is in
`judge.prober`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from judge.jsassets import evaluate_json, script
from judge.schema import BBox

if TYPE_CHECKING:
    from playwright.async_api import Page

CONTROLS_JS = script("controls")
# Event types that make an element (or the page) interactive, recorded per element.
LISTEN_TYPES = {
    "click", "dblclick", "contextmenu", "mousedown", "mouseup", "pointerdown", "pointerup",
    "touchstart", "keydown", "keyup", "keypress", "input", "change", "submit", "drop",
    "dragover", "dragstart", "dragenter", "mousemove", "wheel",
}  # fmt: skip
_MARK_FN = """function (types) {
  const m = window.__fjListen instanceof Map ? window.__fjListen : (window.__fjListen = new Map());
  let s = m.get(this); if (!s) m.set(this, (s = new Set()));
  for (const t of types) s.add(t);
}"""
_GLOBAL_FN = "function (types) { window.__fjGlobal = types; }"
MAX_CONTROLS = 150
MAX_FOLLOW_UPS = 4
PRIMARY_KINDS = ("button", "check", "range", "select", "canvas", "drag", "link", "text")


@dataclass
class Control:
    """A discovered control (as reported by controls.js)."""

    selector: str
    kind: str  # button | link | text | select | check | range | canvas | drag | hover
    tag: str
    type: str = ""
    label: str = ""
    disabled: bool = False
    looks_disabled: bool = False
    pointer: bool = True  # drawn with a pointer cursor (or given a role): it invites a click
    hover: bool = False
    listened: bool = False
    listens: list[str] = field(default_factory=list)
    wired: bool = True  # text fields: a form or a key/input listener on it or an ancestor
    group: str | None = None
    in_form: bool = False
    chart: bool = False  # a chart library's canvas (Chart.js, ECharts)
    options: list[str] = field(default_factory=list)
    href: str | None = None
    prominence: int = 0
    reach: str = "ok"  # ok | covered | hidden
    covered_by: str | None = None
    partly_covered_by: str | None = None  # reach ok at its edges, something else on its middle
    faded: bool = False  # opacity (its own or an ancestor's) under 0.1 when discovered
    hidden_why: str | None = None
    bbox: BBox | None = None

    @classmethod
    def from_js(cls, d: dict[str, Any]) -> Control:
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        known["bbox"] = BBox(**d["bbox"]) if d.get("bbox") else None
        return cls(**known)


@dataclass
class Step:
    """One planned action; `setup` is the step whose resulting state this one needs."""

    action: str  # flow | type | click | select | slide | draw | drag | key | hover
    control: Control
    setup: Step | None = None
    target: Control | None = None  # drag: where to drop

    def chain(self) -> list[Step]:
        """The setup steps to replay, oldest first."""
        out: list[Step] = []
        s = self.setup
        while s is not None:
            out.insert(0, s)
            s = s.setup
        return out

    def key(self) -> tuple[str, str]:
        return (self.action, self.control.selector)


@dataclass
class PageInfo:
    """What kind of page: an app with its own script, or a design (no script of its own)."""

    scripts: int = 0
    inline_handlers: bool = False
    global_listeners: list[str] = field(default_factory=list)

    @property
    def is_design(self) -> bool:
        """No script and no inline handler: controls are drawn, not wired (a static design)."""
        return self.scripts == 0 and not self.inline_handlers


@dataclass
class Plan:
    """Steps in the order they will be tried, the covered controls, and the hidden ones."""

    steps: list[Step]
    covered: list[Control]
    hidden: list[Control]
    controls: list[Control]
    page: PageInfo = field(default_factory=PageInfo)


async def mark_listeners(page: Page, limit: int = 120) -> int:
    """Record, per element, the event types it listens to (seen through CDP), and the page-level
    (window/document) key and pointer listeners in `window.__fjGlobal`."""
    cdp = await page.context.new_cdp_session(page)
    try:
        types_by_node: dict[int, set[str]] = {}
        global_types: set[str] = set()
        for expr in ("document", "window"):
            obj = await cdp.send("Runtime.evaluate", {"expression": expr})
            got = await cdp.send(
                "DOMDebugger.getEventListeners",
                {"objectId": obj["result"]["objectId"], "depth": -1, "pierce": True},
            )
            for lst in got.get("listeners", []):
                t = lst.get("type")
                if t not in LISTEN_TYPES:
                    continue
                bid = lst.get("backendNodeId")
                if expr == "window" or not bid:
                    global_types.add(t)
                else:
                    types_by_node.setdefault(bid, set()).add(t)
        doc_node = await cdp.send("DOM.getDocument", {"depth": 0})
        doc_bid = doc_node["root"].get("backendNodeId")
        global_types |= types_by_node.pop(doc_bid, set()) if doc_bid else set()
        for bid in sorted(types_by_node)[:limit]:
            with contextlib.suppress(Exception):
                node = await cdp.send("DOM.resolveNode", {"backendNodeId": bid})
                await cdp.send(
                    "Runtime.callFunctionOn",
                    {
                        "objectId": node["object"]["objectId"],
                        "functionDeclaration": _MARK_FN,
                        "arguments": [{"value": sorted(types_by_node[bid])}],
                    },
                )
        win = await cdp.send("Runtime.evaluate", {"expression": "window"})
        await cdp.send(
            "Runtime.callFunctionOn",
            {
                "objectId": win["result"]["objectId"],
                "functionDeclaration": _GLOBAL_FN,
                "arguments": [{"value": sorted(global_types)}],
            },
        )
        return len(types_by_node)
    finally:
        with contextlib.suppress(Exception):
            await cdp.detach()


async def install(page: Page) -> list[Control]:
    """Mark listeners, install the helpers and discover the controls."""
    with contextlib.suppress(Exception):
        await mark_listeners(page)
    await page.evaluate(CONTROLS_JS)
    return await discover(page)


async def discover(page: Page) -> list[Control]:
    """The controls on the page as it is now (helpers installed)."""
    raw = await evaluate_json(page, "(m) => window.__fjp.discover(m)", MAX_CONTROLS)
    return [Control.from_js(d) for d in raw]


async def page_info(page: Page) -> PageInfo:
    with contextlib.suppress(Exception):
        got = await page.evaluate("() => window.__fjp.page()")
        return PageInfo(**got)
    return PageInfo()


def _action(c: Control) -> str:
    if "dblclick" in c.listens and "click" not in c.listens:
        return "dblclick"
    return {
        "text": "type",
        "select": "select",
        "range": "slide",
        "canvas": "draw",
        "drag": "drag",
    }.get(c.kind, "click")


def _submits(b: Control) -> bool:
    """A button that submits its form when clicked (a <button> is type=submit by default)."""
    if not b.in_form:
        return False
    return (b.tag == "button" and b.type in ("", "submit")) or (
        b.tag == "input" and b.type in ("submit", "image")
    )


def _primary(ok: list[Control]) -> tuple[list[Step], set[str]]:
    """Forms filled and submitted; text fields typed into and confirmed with Enter."""
    texts = [c for c in ok if c.kind == "text"]
    buttons = [c for c in ok if c.kind == "button" and c.type != "reset"]
    steps: list[Step] = []
    used: set[str] = set()
    groups: set[str] = set()
    for t in sorted(texts, key=lambda c: -c.prominence):
        mates = [b for b in buttons if t.group and b.group == t.group]
        # A form is sent by its submit button, not by the nearest one: a password field's
        # show/hide toggle (type="button") sits inside the field, the submit below it.
        mates = [b for b in mates if _submits(b)] or mates
        btn = min(mates, key=lambda b: _distance(t.bbox, b.bbox), default=None)
        if btn is not None and t.group not in groups:
            groups.add(t.group or "")
            steps.append(Step("flow", btn))
            used.add(btn.selector)
        # A field is also typed into and confirmed with Enter on its own: apps without a
        # submit button (to-do lists, search boxes) are driven exactly like that.
        steps.append(Step("type", t))
        used.add(t.selector)
    return steps, used


def plan(controls: list[Control], budget: int, info: PageInfo | None = None) -> Plan:
    """Primary functions first, then one control of each kind in turn (most prominent first),
    a page-level key press where the page listens for keys, hovers last."""
    info = info or PageInfo()
    covered = [c for c in controls if c.reach == "covered" and c.kind != "hover"]
    hidden = [c for c in controls if c.reach == "hidden"]
    ok = [c for c in controls if c.reach == "ok" and not c.disabled]
    steps, used = _primary(ok)
    by_kind: dict[str, list[Control]] = {}
    for c in ok:
        if c.kind not in ("hover", "dropzone") and c.selector not in used:
            by_kind.setdefault(c.kind, []).append(c)
    queues = [sorted(by_kind.get(k, []), key=lambda c: -c.prominence) for k in PRIMARY_KINDS]
    while any(queues):
        for q in queues:
            if q:
                c = q.pop(0)
                steps.append(Step(_action(c), c, target=_drop_target(c, ok)))
    if {"keydown", "keyup", "keypress"} & set(info.global_listeners):
        body = Control(selector="body", kind="key", tag="body", label="page keyboard")
        steps.insert(min(len(steps), 2), Step("key", body))
    steps += [Step("hover", c) for c in ok if c.kind == "hover"][:3]
    return Plan(steps[:budget], covered, hidden, controls, info)


def follow_ups(before: list[Control], after: list[Control], setup: Step, room: int) -> list[Step]:
    """Steps for controls that the setup step's state revealed (new, or hidden before)."""
    known = {c.selector: c for c in before}
    fresh = [
        c
        for c in after
        if c.reach == "ok"
        and not c.disabled
        and c.kind not in ("hover", "dropzone")
        and (c.selector not in known or known[c.selector].reach != "ok")
    ]
    fresh.sort(key=lambda c: -c.prominence)
    return [Step(_action(c), c, setup=setup) for c in fresh[: min(room, MAX_FOLLOW_UPS)]]


def _drop_target(c: Control, ok: list[Control]) -> Control | None:
    if c.kind != "drag":
        return None
    # The nearest drop zone that is not the one the item already sits in.
    zones = [z for z in ok if z.kind == "dropzone" and _distance(c.bbox, z.bbox) > 0]
    return min(zones, key=lambda z: _distance(c.bbox, z.bbox), default=None)


def _distance(a: BBox | None, b: BBox | None) -> float:
    if a is None or b is None:
        return float("inf")
    dx = max(0.0, b.x - (a.x + a.width), a.x - (b.x + b.width))
    dy = max(0.0, b.y - (a.y + a.height), a.y - (b.y + b.height))
    return dx * dx + dy * dy
