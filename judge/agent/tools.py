"""The tools the model calls, acting on the real Playwright page of the preview.

Every tool result that carries page-derived text (outlines, Playwright errors that quote the
DOM) wraps it in an untrusted block. URLs are reported as paths only: the preview host holds a
random token, and prompts must be identical across identical judgments (response cache).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from judge.agent.images import AgentImage, ImageStore
from judge.agent.prompts import untrusted
from judge.capture import ADVANCE_JS, FRAME_JS
from judge.jsassets import inline
from judge.schema import FinishArgs, ScoreSheet
from judge.schema.agent import (
    PointArgs,
    PressArgs,
    ReadPageArgs,
    ScreenshotArgs,
    ScrollArgs,
    TypeArgs,
    ViewportArgs,
)

ACT_VIRTUAL_MS = 1000  # virtual time after each tool action

if TYPE_CHECKING:
    from playwright.async_api import Page

ACTION_MS = 3000
STABLE_SECONDS = 4.0  # native UI (validation bubbles) can take over a second to settle
_STATE_JS = """() => [location.pathname + location.search + location.hash,
  document.body ? document.body.innerText.length : 0,
  document.getElementsByTagName('*').length,
  document.activeElement ? document.activeElement.tagName.toLowerCase() : '']"""
_OUTLINE_JS = inline(
    """(max) => {
  const out = [];
  const KEEP = /^(H[1-6]|A|BUTTON|INPUT|SELECT|TEXTAREA|IMG|NAV|HEADER|FOOTER|MAIN|FORM|LABEL|P|LI|SUMMARY|DIALOG|TABLE|SECTION)$/;
/* @include csspath */
  const sel = cssPath;
  const all = document.body ? document.body.getElementsByTagName('*') : [];
  for (const el of all) {
    if (out.length >= max) break;
    const role = el.getAttribute('role');
    if (!KEEP.test(el.tagName) && !role) continue;
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    if (r.width < 1 || r.height < 1 || cs.visibility === 'hidden' || cs.display === 'none') continue;
    let text = (el.innerText || el.value || el.getAttribute('alt') || el.getAttribute('aria-label') || el.getAttribute('placeholder') || '').replace(/\\s+/g, ' ').trim();
    if (text.length > 80) text = text.slice(0, 77) + '...';
    const kind = (role || el.tagName.toLowerCase()) + (el.type && el.tagName === 'INPUT' ? `[${el.type}]` : '');
    const where = r.bottom < 0 || r.top > innerHeight ? ' (off-screen)' : '';
    out.push(`${kind} ${JSON.stringify(text)} -> ${sel(el)}${where}`);
  }
  return out;
}"""
)


@dataclass
class ToolOutcome:
    """What a tool call produced: text for the tool message, maybe an image, maybe the end."""

    text: str
    image: AgentImage | None = None
    image_id: str | None = None
    finished: bool = False
    notes: str = ""
    sheet_args: str | None = None


def _compact(node: Any) -> Any:
    # Titles repeat the property names and are resent with every request: drop them.
    if isinstance(node, dict):
        return {k: _compact(v) for k, v in node.items() if k != "title" or not isinstance(v, str)}
    if isinstance(node, list):
        return [_compact(v) for v in node]
    return node


def _spec(name: str, model: type[BaseModel]) -> dict[str, Any]:
    schema = _compact(model.model_json_schema())
    schema.pop("description", None)  # already the function description
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": (model.__doc__ or name).strip().splitlines()[0],
            "parameters": schema,
        },
    }


ARGS: dict[str, type[BaseModel]] = {
    "screenshot": ScreenshotArgs,
    "click": PointArgs,
    "type": TypeArgs,
    "press": PressArgs,
    "hover": PointArgs,
    "scroll": ScrollArgs,
    "set_viewport": ViewportArgs,
    "read_page": ReadPageArgs,
    "finish": FinishArgs,
    "submit_scores": ScoreSheet,
}


def tool_specs() -> list[dict[str, Any]]:
    """Function-calling specs for every tool (their schemas come from the pydantic models)."""
    specs = [_spec(n, m) for n, m in ARGS.items()]
    for s in specs:
        if s["function"]["name"] == "hover":
            s["function"]["description"] = "Hover an element (selector) or a point (x, y)."
        if s["function"]["name"] == "click":
            s["function"]["description"] = "Click an element (selector) or a point (x, y)."
    return specs


def _err(exc: BaseException) -> str:
    # Playwright errors can quote page markup: keep the first lines, as untrusted data.
    text = str(exc).strip().splitlines()
    return untrusted("tool error", "\n".join(text[:4])[:600])


class PageTools:
    """Executes tool calls on one live page; screenshot ids are numbered per run."""

    def __init__(
        self, page: Page, store: ImageStore, viewports: dict[str, tuple[int, int]]
    ) -> None:
        self.page = page
        self.store = store
        self.viewports = viewports
        self.shots = 1  # s1 is the contact sheet of the brief

    def next_id(self) -> str:
        self.shots += 1
        return f"s{self.shots}"

    async def call(self, name: str, raw_args: str | None) -> ToolOutcome:
        """Run one tool; bad arguments and page faults come back as text for the model."""
        model = ARGS.get(name)
        if model is None:
            return ToolOutcome(f"unknown tool {name!r}; available: {', '.join(ARGS)}")
        if name == "submit_scores":
            return ToolOutcome("scores received", finished=True, sheet_args=raw_args or "")
        try:
            args = model.model_validate_json(raw_args or "{}")
        except ValidationError as exc:
            first = exc.errors()[0]
            return ToolOutcome(f"invalid arguments for {name}: {first.get('msg')}")
        if isinstance(args, FinishArgs):
            return ToolOutcome("exploration finished", finished=True, notes=args.notes)
        try:
            return await getattr(self, f"_{name}")(args)
        except Exception as exc:  # a page fault is information for the model, not a crash
            return ToolOutcome(f"{name} failed: {_err(exc)}")

    async def _state(self) -> list[Any]:
        with contextlib.suppress(Exception):
            return await asyncio.wait_for(self.page.evaluate(_STATE_JS), 3)
        return ["?", 0, 0, ""]

    async def _settle(self) -> None:
        """After a tool action: the page's virtual time moves on (what the action started —
        a toast, an animation's end state — happens), then two frames."""
        with contextlib.suppress(Exception):
            await self.page.wait_for_load_state("load", timeout=ACTION_MS)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.page.evaluate(ADVANCE_JS, ACT_VIRTUAL_MS), 10)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.page.evaluate(FRAME_JS), 3)

    async def _effect(self, verb: str, before: list[Any]) -> ToolOutcome:
        await self._settle()
        after = await self._state()
        changes = []
        if after[0] != before[0]:
            changes.append(f"location is now {after[0][:120]}")
        if after[1] != before[1] or after[2] != before[2]:
            changes.append(f"page content changed ({before[1]}→{after[1]} chars of text)")
        if after[3] != before[3]:
            changes.append(f"focus moved to <{after[3]}>")
        said = "; ".join(changes) or "no visible change in location, text or focus"
        return ToolOutcome(f"{verb}: {untrusted('effect', said)}")

    async def _screenshot(self, a: ScreenshotArgs) -> ToolOutcome:
        shot_id = self.next_id()
        if a.selector:
            png = await self.page.locator(a.selector).first.screenshot(
                timeout=ACTION_MS, animations="disabled", caret="hide"
            )
            what = "element screenshot"
        else:
            png = await self._stable_screenshot()
            what = "viewport screenshot"
        img = self.store.screenshot(png)
        return ToolOutcome(f"{what} {shot_id} attached below", image=img, image_id=shot_id)

    async def _stable_screenshot(self) -> bytes:
        # Wait until two consecutive frames match (bounded), as Playwright's toHaveScreenshot
        # does: native UI such as validation bubbles fades in, and identical judgments must
        # send identical images or the response cache misses.
        shot = await self.page.screenshot(animations="disabled", caret="hide", timeout=ACTION_MS)
        same, stop = 0, time.monotonic() + STABLE_SECONDS
        while same < 2 and time.monotonic() < stop:
            await self._settle()
            again = await self.page.screenshot(
                animations="disabled", caret="hide", timeout=ACTION_MS
            )
            same = same + 1 if again == shot else 0
            shot = again
        return shot

    async def _click(self, a: PointArgs) -> ToolOutcome:
        before = await self._state()
        if a.selector:
            await self.page.locator(a.selector).first.click(timeout=ACTION_MS)
        else:
            await self.page.mouse.click(a.x or 0, a.y or 0)
        return await self._effect("clicked", before)

    async def _hover(self, a: PointArgs) -> ToolOutcome:
        before = await self._state()
        if a.selector:
            await self.page.locator(a.selector).first.hover(timeout=ACTION_MS)
        else:
            await self.page.mouse.move(a.x or 0, a.y or 0)
        return await self._effect("hovered", before)

    async def _type(self, a: TypeArgs) -> ToolOutcome:
        before = await self._state()
        loc = self.page.locator(a.selector).first
        await loc.fill(a.text, timeout=ACTION_MS)
        if a.submit:
            await loc.press("Enter", timeout=ACTION_MS)
        return await self._effect("typed", before)

    async def _press(self, a: PressArgs) -> ToolOutcome:
        before = await self._state()
        if a.selector:
            await self.page.locator(a.selector).first.press(a.key, timeout=ACTION_MS)
        else:
            await self.page.keyboard.press(a.key)
        return await self._effect(f"pressed {a.key}", before)

    async def _scroll(self, a: ScrollArgs) -> ToolOutcome:
        if a.selector:
            await self.page.locator(a.selector).first.scroll_into_view_if_needed(timeout=ACTION_MS)
        else:
            await self.page.evaluate("(dy) => window.scrollBy(0, dy)", a.dy)
        await self._settle()
        y = await self.page.evaluate(
            "() => [Math.round(scrollY), document.documentElement.scrollHeight]"
        )
        return ToolOutcome(f"scrolled: now at y={y[0]} of {y[1]} px")

    async def _set_viewport(self, a: ViewportArgs) -> ToolOutcome:
        if a.name:
            if a.name not in self.viewports:
                return ToolOutcome(
                    f"unknown viewport {a.name!r}; known: {', '.join(self.viewports)}"
                )
            w, h = self.viewports[a.name]
        elif a.width and a.height:
            w, h = a.width, a.height
        else:
            return ToolOutcome("give a viewport name, or width and height")
        await self.page.set_viewport_size({"width": w, "height": h})
        await self._settle()
        return ToolOutcome(f"viewport is now {w}x{h}")

    async def _read_page(self, a: ReadPageArgs) -> ToolOutcome:
        lines = await asyncio.wait_for(self.page.evaluate(_OUTLINE_JS, a.max_items), 5)
        body = "\n".join(str(x)[:300] for x in lines) or "(no visible landmarks, text or controls)"
        return ToolOutcome(
            'page outline (kind "text" -> selector):\n' + untrusted("page outline", body)
        )
