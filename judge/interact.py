"""Interaction prober: discover a page's controls and exercise them like a careful tester.

Discovery (assets/controls.js) finds buttons, in-page links, text fields, selects, checkboxes,
[role=button], elements with click listeners (CDP `DOMDebugger.getEventListeners`) and
hover-styled elements. Each action records what changed (DOM, URL, scroll, focus, pixels,
dialogs, popups, blocked requests) and the errors it threw, with before/after crops.
Every action starts from a fresh page: after an action that changed anything (DOM, URL,
focus, pixels …) the page is reloaded clean before the next one, so one probe's result (a
"Thanks!" message, an added item) never shows up in the next probe's "before".
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image

from judge.jsassets import script
from judge.live import LivePage
from judge.schema import BBox

if TYPE_CHECKING:
    from playwright.async_api import Page

CONTROLS_JS = script("controls")
_LISTEN_TYPES = {"click", "mousedown", "mouseup", "pointerdown", "pointerup", "touchstart"}
_MARK_FN = "function () { (window.__fjListen = window.__fjListen || new Set()).add(this); }"
_FILL = {
    "email": "probe@example.com",
    "number": "42",
    "url": "https://example.com/",
    "tel": "5550100",
    "password": "Probe-123!",
}
MAX_CONTROLS = 150
WAIT_MS = 80  # how long an action may take to show its first DOM change
# Playwright waits (fill, select): generous, because they only end early when the page works;
# a short one turns a busy machine into a "broken" control.
ACTION_TIMEOUT_MS = 5000
PIXEL_DELTA = 10  # per-channel difference counted as a changed pixel


@dataclass
class Control:
    """A discovered control (as reported by controls.js)."""

    selector: str
    kind: str  # button | link | text | select | check | hover
    tag: str
    type: str = ""
    label: str = ""
    disabled: bool = False
    looks_disabled: bool = False
    hover: bool = False
    listened: bool = False
    group: str | None = None
    in_form: bool = False
    options: list[str] = field(default_factory=list)
    href: str | None = None
    reach: str = "ok"
    covered_by: str | None = None
    bbox: BBox | None = None

    @classmethod
    def from_js(cls, d: dict[str, Any]) -> Control:
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        known["bbox"] = BBox(**d["bbox"]) if d.get("bbox") else None
        return cls(**known)


@dataclass
class Outcome:
    """What one action did."""

    control: Control
    action: str
    effects: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    before: str | None = None
    after: str | None = None
    note: str = ""
    visible_result: str | None = None  # flows: where the typed text showed up
    enter_effects: list[str] | None = None  # text fields: effects of Enter alone

    @property
    def responded(self) -> bool:
        return bool(self.effects)


@dataclass
class Plan:
    """Controls in the order they will be exercised, plus the unreachable ones."""

    actions: list[tuple[str, Control]]
    unreachable: list[Control]
    controls: list[Control]


async def mark_listeners(page: Page, limit: int = 80) -> int:
    """Tag elements that have click-like listeners (seen through CDP) for discovery."""
    cdp = await page.context.new_cdp_session(page)
    try:
        doc = await cdp.send("Runtime.evaluate", {"expression": "document"})
        got = await cdp.send(
            "DOMDebugger.getEventListeners",
            {"objectId": doc["result"]["objectId"], "depth": -1, "pierce": True},
        )
        ids = sorted(
            {
                lst["backendNodeId"]
                for lst in got.get("listeners", [])
                if lst.get("type") in _LISTEN_TYPES and lst.get("backendNodeId")
            }
        )
        for bid in ids[:limit]:
            with contextlib.suppress(Exception):
                node = await cdp.send("DOM.resolveNode", {"backendNodeId": bid})
                await cdp.send(
                    "Runtime.callFunctionOn",
                    {"objectId": node["object"]["objectId"], "functionDeclaration": _MARK_FN},
                )
        return len(ids)
    finally:
        with contextlib.suppress(Exception):
            await cdp.detach()


async def install(page: Page) -> list[Control]:
    """Mark listeners, install the helpers and discover the controls."""
    with contextlib.suppress(Exception):
        await mark_listeners(page)
    await page.evaluate(CONTROLS_JS)
    raw = await page.evaluate("(m) => window.__fjp.discover(m)", MAX_CONTROLS)
    return [Control.from_js(d) for d in raw]


def plan(controls: list[Control], budget: int) -> Plan:
    """Order the actions: primary flows first, then one of each kind in turn, hovers last."""
    unreachable = [c for c in controls if c.reach != "ok" and c.kind != "hover"]
    ok = [c for c in controls if c.reach == "ok" and not c.disabled]
    texts = [c for c in ok if c.kind == "text"]
    buttons = [c for c in ok if c.kind == "button"]
    flows: list[tuple[str, Control]] = []
    used_groups: set[str] = set()
    for t in texts:
        if not t.group or t.group in used_groups:
            continue
        mates = [b for b in buttons if b.group == t.group and b.type != "reset"]
        btn = min(mates, key=lambda b: _distance(t.bbox, b.bbox), default=None)
        if btn is not None:
            used_groups.add(t.group)
            flows.append(("flow", btn))
    in_flow = {c.selector for _, c in flows}
    by_kind: dict[str, list[Control]] = {}
    for c in ok:
        # A flow's submit button was already pressed with its form filled in; pressed alone it
        # may rightly do nothing (empty input), which is not a dead control.
        if c.kind != "hover" and c.selector not in in_flow:
            by_kind.setdefault(c.kind, []).append(c)
    queues = [by_kind.get(k, []) for k in ("button", "text", "link", "select", "check")]
    rest: list[tuple[str, Control]] = []
    while any(queues):
        for q in queues:
            if q:
                c = q.pop(0)
                rest.append(({"text": "type", "select": "select"}.get(c.kind, "click"), c))
    hovers = [("hover", c) for c in ok if c.kind == "hover"][:3]
    return Plan((flows + rest + hovers)[:budget], unreachable, controls)


class Prober:
    """Runs a plan on a live page within an action and time budget."""

    def __init__(self, page: Page, url: str, images: dict[str, bytes]):
        self.page = page
        self.live = LivePage(page, url)
        self.images = images
        self.dirty = False
        self.n = 0

    async def run(self, the_plan: Plan, seconds: float) -> list[Outcome]:
        """Exercise the planned controls until the plan or the time runs out."""
        end = time.monotonic() + seconds
        out: list[Outcome] = []
        try:
            for action, control in the_plan.actions:
                if time.monotonic() >= end:
                    break
                left = end - time.monotonic()
                try:
                    got = await asyncio.wait_for(self._one(action, control), timeout=left)
                except TimeoutError:
                    break
                except Exception as exc:  # a page that fights the prober: note it, go on
                    got = Outcome(control, action, note=f"could not act: {str(exc)[:160]}")
                    self.dirty = True
                if got is not None:
                    out.append(got)
        finally:
            self.live.detach()
        return out

    async def _restore(self) -> None:
        await self.live.reload(5.0)
        await self.page.evaluate(CONTROLS_JS)
        self.dirty = False

    async def _locate(self, control: Control) -> dict[str, Any] | None:
        if self.dirty:  # the previous action changed the page: start this one fresh
            await self._restore()
        for attempt in (1, 2):
            try:
                loc = await self.page.evaluate(
                    "(s) => window.__fjp ? window.__fjp.locate(s) : undefined", control.selector
                )
            except Exception:
                loc = None
            if loc is not None and loc is not False:
                return loc
            if attempt == 1 and (self.dirty or loc is None):
                await self._restore()
        return None

    async def _one(self, action: str, control: Control) -> Outcome | None:
        loc = await self._locate(control)
        if not loc:
            return None
        if loc["reach"] != "ok":
            control.reach, control.covered_by = loc["reach"], loc.get("covered_by")
            return Outcome(control, action, note=f"unreachable: {loc['reach']}")
        view, s0 = loc["view"], loc["state"]
        cx, cy = view["x"] + view["width"] / 2, view["y"] + view["height"] / 2
        self.n += 1
        oid = f"int-{self.n:02d}"
        # The pointer rests on the control before the "before" crop, so hover styling
        # (its own and its neighbours') is the same in both crops.
        await self.page.mouse.move(*((0, 0) if action == "hover" else (cx, cy)))
        before, clip = await self._crop(view)
        s0 = await self._state() or s0  # screenshots inject (and remove) a style element
        errs0, blocked0 = len(self.live.errors), len(self.live.blocked)
        out = Outcome(control, action)
        s1 = await self._act(action, control, cx, cy, out)
        self.images[f"{oid}-before"] = before
        out.before = f"{oid}-before"
        if s1 is None:
            out.effects.append("navigation")
            self.dirty = True
            await self._restore()
        else:
            out.effects += _diff(s0, s1, control.selector)
            if s1["url"].split("#")[0] != s0["url"].split("#")[0]:
                self.dirty = True
        out.errors = list(dict.fromkeys(self.live.errors[errs0:]))[:5]
        out.blocked = self.live.blocked[blocked0:][:5]
        if out.blocked:
            out.effects.append("blocked")
        if s1 is not None and (not out.effects or out.errors or action == "flow"):
            # An after-crop only where it is evidence (or the only way to see a change).
            after, _ = await self._crop(view, clip)
            if not out.effects and _pixels_changed(
                before, after, clip, None if action == "hover" else view
            ):
                out.effects.append("pixels")
            self.images[f"{oid}-after"] = after
            out.after = f"{oid}-after"
        if out.effects:
            self.dirty = True
        return out

    async def _act(
        self, action: str, c: Control, cx: float, cy: float, out: Outcome
    ) -> dict[str, Any] | None:
        """Perform the action; the page state after it, or None when it navigated away."""
        page = self.page
        if action == "hover":
            await page.mouse.move(cx, cy)
            return await self._wait()
        if action == "click":
            was = await self._checked(c)
            await page.mouse.click(cx, cy)
            s1 = await self._wait()
            if s1 is not None and c.kind == "check" and await self._checked(c) != was:
                out.effects.append("state")
            return s1
        if action == "select":
            n = max(1, len(c.options))
            idx = await page.evaluate("(s) => document.querySelector(s).selectedIndex", c.selector)
            await page.locator(c.selector).first.select_option(
                index=(idx + 1) % n, timeout=ACTION_TIMEOUT_MS
            )
            return await self._wait()
        if action == "type":
            pre = await self._state()
            value = _FILL.get(c.type, "Fjudge probe item")
            await page.locator(c.selector).first.fill(value, timeout=ACTION_TIMEOUT_MS)
            mid = await self._wait(40)
            if mid is None:
                return None
            if pre and mid["mutations"] > pre["mutations"]:
                out.effects.append("dom-on-typing")
            await page.keyboard.press("Enter")
            end = await self._wait()
            out.enter_effects = ["navigation"] if end is None else _diff(mid, end, c.selector)
            return end
        if action == "flow":
            return await self._flow(c, out)
        raise ValueError(f"unknown action {action}")

    async def _flow(self, button: Control, out: Outcome) -> dict[str, Any] | None:
        """Fill every text field of the button's form/group, press the button, look for a result."""
        marker = f"Fjudge probe item {self.n}"
        loc = self.page.locator(f"{button.group} input, {button.group} textarea")
        typed: list[str] = []
        for i in range(await loc.count()):
            el = loc.nth(i)
            with contextlib.suppress(Exception):
                if await el.is_visible() and await el.is_editable():
                    t = (await el.get_attribute("type") or "").lower()
                    if t in ("", "text", "email", "search", "number", "url", "tel", "password"):
                        value = _FILL.get(t, marker)
                        await el.fill(value, timeout=ACTION_TIMEOUT_MS)
                        typed.append(value)
        # Only values not already on the page can prove the form produced a result
        # (a number-only form echoes "42", not the text marker).
        fresh = [v for v in dict.fromkeys(typed) if not await self._shown(v)]
        view = await self.page.evaluate("(s) => window.__fjp.locate(s)", button.selector)
        if not view or view["reach"] != "ok":
            out.note = "submit control unreachable after filling the form"
            return await self._state()
        v = view["view"]
        await self.page.mouse.click(v["x"] + v["width"] / 2, v["y"] + v["height"] / 2)
        s1 = await self._wait(200)
        if s1 is not None:
            for value in fresh:
                out.visible_result = await self._shown(value)
                if out.visible_result:
                    break
        return s1

    async def _shown(self, text: str) -> str | None:
        """Selector of visible page text (outside form fields) containing `text`, if any."""
        with contextlib.suppress(Exception):
            return await self.page.evaluate("(t) => window.__fjp.visibleText(t)", text)
        return None

    async def _checked(self, c: Control) -> bool | None:
        if c.kind != "check":
            return None
        with contextlib.suppress(Exception):
            return await self.page.evaluate(
                "(s) => !!(document.querySelector(s) || {}).checked", c.selector
            )
        return None

    async def _wait(self, ms: int = WAIT_MS) -> dict[str, Any] | None:
        """Let the action show its first change; the state then, or None if it navigated."""
        try:
            return await self.page.evaluate("(ms) => window.__fjp.waitChange(ms)", ms)
        except Exception as exc:
            text = str(exc).lower()
            if "destroyed" in text or "navigat" in text or "__fjp" in text or "closed" in text:
                with contextlib.suppress(Exception):
                    await self.page.wait_for_load_state("load", timeout=3000)
                return None
            raise

    async def _state(self) -> dict[str, Any] | None:
        try:
            return await self.page.evaluate("() => window.__fjp && window.__fjp.state()")
        except Exception:
            return None

    async def _crop(
        self, view: dict[str, float], clip: dict[str, float] | None = None
    ) -> tuple[bytes, dict[str, float]]:
        vp = self.page.viewport_size or {"width": 1280, "height": 800}
        if clip is None:
            x0, y0 = max(0.0, view["x"] - 150), max(0.0, view["y"] - 100)
            x1 = min(float(vp["width"]), view["x"] + view["width"] + 150)
            y1 = min(float(vp["height"]), view["y"] + view["height"] + 100)
            if x1 - x0 < 2 or y1 - y0 < 2:
                x0, y0, x1, y1 = 0.0, 0.0, float(vp["width"]), float(vp["height"])
            clip = {"x": int(x0), "y": int(y0), "width": int(x1 - x0), "height": int(y1 - y0)}
        png = await self.page.screenshot(
            clip=clip, type="png", animations="disabled", caret="hide", timeout=5000
        )
        return png, clip


def _diff(s0: dict[str, Any] | None, s1: dict[str, Any] | None, selector: str) -> list[str]:
    if not s0 or not s1:
        return []
    eff = []
    if s1["mutations"] > s0["mutations"]:
        eff.append("dom")
    if s1["url"] != s0["url"]:
        same_doc = s1["url"].split("#")[0] == s0["url"].split("#")[0]
        eff.append("hash" if same_doc else "url")
    if s1["scroll"] != s0["scroll"]:
        eff.append("scroll")
    if s1["focus"] and s1["focus"] not in (s0["focus"], selector):
        eff.append("focus")
    if s1["dialogs"] > s0["dialogs"]:
        eff.append("dialog")
    if s1["popups"] > s0["popups"]:
        eff.append("popup")
    return eff


def _distance(a: BBox | None, b: BBox | None) -> float:
    if a is None or b is None:
        return float("inf")
    dx = max(0.0, b.x - (a.x + a.width), a.x - (b.x + b.width))
    dy = max(0.0, b.y - (a.y + a.height), a.y - (b.y + b.height))
    return dx * dx + dy * dy


def _pixels_changed(
    before: bytes, after: bytes, clip: dict[str, float], view: dict[str, float] | None
) -> bool:
    """Changed pixels outside the control's own box (its focus/active styling does not count)."""
    a = np.asarray(Image.open(io.BytesIO(before)).convert("RGB"), dtype=np.int16)
    b = np.asarray(Image.open(io.BytesIO(after)).convert("RGB"), dtype=np.int16)
    if a.shape != b.shape:
        return True
    changed = np.abs(a - b).max(axis=2) > PIXEL_DELTA
    if view is None:
        return int(changed.sum()) >= 30
    x0 = int(max(0, view["x"] - clip["x"] - 6))
    y0 = int(max(0, view["y"] - clip["y"] - 6))
    x1 = int(max(0, view["x"] + view["width"] - clip["x"] + 6))
    y1 = int(max(0, view["y"] + view["height"] - clip["y"] + 6))
    changed[y0:y1, x0:x1] = False
    return int(changed.sum()) >= 30
