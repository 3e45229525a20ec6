"""Interaction probing, part 2: run a plan on the live page like a careful tester.

Every step starts from a known state: the page as loaded, or — for a follow-up step — the state
its setup step created, rebuilt by a clean reload and a replay of the setup. Steps that need the
same state go on from where the previous one left the page (a person trying controls one after
another), unless the control is now hidden or covered; primary functions (forms, text fields)
always get the page in its first state. Each step records what
changed that the step caused (DOM outside the nodes that change on their own, URL, scroll,
focus, dialogs, popups, pixels), the errors it threw, the requests it tried, and crops before
and after. Steps that create state (a submitted form, an item added with Enter, a menu opened)
are followed by steps for the controls that state revealed. What a step did is read by
judge.effects.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from judge.effects import Outcome, creates_state, describe, diff, pixels_changed
from judge.fill import ACTION_TIMEOUT_MS, SUBMIT_WAIT_MS, send_form, type_and_enter, value_for
from judge.interact import CONTROLS_JS, Control, Plan, Step, discover, follow_ups
from judge.live import LivePage
from judge.pagereads import after_crop, crop, state_of, wait_change, wrote_since

if TYPE_CHECKING:
    from playwright.async_api import Page


def _idle_click(o: Outcome, step: Step) -> bool:
    return (
        o.action == "click"
        and step.setup is None
        and not (o.responded or o.errors or o.note or o.enter_effects)
    )


# Page time a scroll-reveal gets to play before a control it covered is tried again (AOS's
# longest usual duration plus its delay).
REVEAL_MS = 1200
QUIET_MS = 2000  # virtual time watching the page do nothing: what changes on its own
# Tried in turn on a page that listens for keys: arrows (games, sliders), a letter (word games,
# shortcuts), Enter and Space (start, play), until one does something.
PAGE_KEYS = ("ArrowRight", "KeyA", "Enter", "Space", "ArrowUp")
MAX_PICKS = 4  # options a tester picks before pressing a button that waits for answers
FRESH_ACTIONS = {"flow", "type"}  # primary functions: judged on a page in its first state
# Before a step on the page the last step left: focus off, and transitions the last step
# started (a menu sliding open) jump to their end — real-time animations would otherwise make
# whether the next control is covered depend on how fast the machine is.
# (No frame is waited for: the next locate() reads layout, which applies the finished styles.)
_FINISH_JS = (
    "() => { const N = window.__fjNative; if (N && N.finishAnimations) N.finishAnimations(false); }"
)
_BLUR_JS = """() => {
  const N = window.__fjNative;
  if (N && N.blur) { N.blur(); N.finishAnimations(false); }
}"""


class Prober:
    """Runs a plan on a live page within an action and time budget."""

    def __init__(self, page: Page, url: str, images: dict[str, bytes]):
        self.page = page
        self.live = LivePage(page, url)
        self.images = images
        self.dirty = False
        self.state: list[tuple[str, str]] = []  # setup chain the page is in now
        self.noisy = False
        self.n = 0

    async def run(self, the_plan: Plan, seconds: float, budget: int) -> list[Outcome]:
        """Exercise the planned steps (and their follow-ups) until the plan, the action budget
        or the time runs out."""
        end = time.monotonic() + seconds
        out: list[Outcome] = []
        queue = deque(the_plan.steps)
        followed = 0
        try:
            self.noisy = bool(await self._quiet())
            while queue and len(out) < budget and time.monotonic() < end:
                step = queue.popleft()
                try:
                    was_dirty = self.dirty
                    got = await asyncio.wait_for(self._step(step), end - time.monotonic())
                    if was_dirty and got is not None and _idle_click(got, step):
                        # Nothing, on a page the earlier steps changed: a game already won, a
                        # cell already taken. Tried again on the page as loaded, as a person
                        # would start over, before it is called dead.
                        await self._restore()
                        again = await asyncio.wait_for(self._step(step), end - time.monotonic())
                        got = again if again is not None and again.responded else got
                except TimeoutError:
                    break
                except Exception as exc:  # a page that fights the prober: note it, go on
                    got = Outcome(
                        step.control, step.action, note=f"could not act: {str(exc)[:160]}"
                    )
                    self.dirty = True
                if got is None:
                    continue
                out.append(got)
                if creates_state(got) and step.setup is None and followed < 8:
                    extra = await self._follow(the_plan.controls, step, budget - len(out))
                    got.revealed = len(extra)
                    followed += len(extra)
                    queue.extendleft(reversed(extra))
        finally:
            self.live.detach()
        return out

    async def uncover(self, controls: list[Control], most: int = 12) -> None:
        """Controls found covered get, before the plan is made, the moment every step gives a
        control it scrolls to (a scroll-reveal plays: AOS's flip-up turns a form away until it
        is scrolled to); those it uncovers are planned like the rest."""
        covered = [c for c in controls if c.reach == "covered" and c.kind != "hover"][:most]
        for c in covered:
            loc = await self._locate(c)
            if loc and loc["reach"] != "covered":
                c.reach, c.covered_by = loc["reach"], None
        if covered:
            with contextlib.suppress(Exception):
                await self.page.evaluate("() => window.scrollTo(0, 0)")

    async def _follow(self, before: list[Control], step: Step, room: int) -> list[Step]:
        with contextlib.suppress(Exception):
            await self._finish()
            return follow_ups(before, await discover(self.page), step, room)
        return []

    async def _finish(self) -> None:
        """Transitions the last step started (a search box sliding open) jump to their end:
        what a state reveals or covers must not depend on how fast the machine is."""
        with contextlib.suppress(Exception):
            await self.page.evaluate(_FINISH_JS)

    # -- state ------------------------------------------------------------------------------

    async def _quiet(self) -> int:
        with contextlib.suppress(Exception):
            return int(await self.page.evaluate("(ms) => window.__fjp.quiet(ms)", QUIET_MS))
        return 0

    async def _restore(self) -> None:
        await self.live.reload(5.0)
        await self.page.evaluate(CONTROLS_JS)
        if self.noisy:
            await self._quiet()
        self.dirty = False
        self.state = []

    async def _prepare(self, step: Step) -> bool:
        """Bring the page into the state the step needs; False if it cannot be rebuilt."""
        chain = step.chain()
        keys = [s.key() for s in chain]
        if not self.dirty and self.state == keys:
            return True
        if (
            self.state == keys
            and step.action not in FRESH_ACTIONS
            and await self._calm(step.control)
        ):
            # A step goes on from where the last one left the page when both need the same
            # state (none, or the same set-up: the rows an added item revealed), as a person
            # trying the controls one after another would: a reload (and replay) per step was
            # most of a judgment's time. A control the last step hid or covered (a dialog, a
            # removed row) gets a fresh page instead, and so do the page's primary functions
            # (a form already sent may not answer twice).
            return True
        await self._restore()
        for s in chain:
            loc = await self._locate(s.control)
            if not loc or loc["reach"] != "ok":
                return False
            await self._act(s, loc["view"], Outcome(s.control, s.action), replay=True)
        if chain:
            await self._finish()  # the state as it ends, not halfway through its transitions
        self.state = keys
        self.dirty = bool(chain)  # a replayed state is used by this step only
        return True

    async def _calm(self, control: Control) -> bool:
        """Whether the control can be used on the page as the last step left it; the focus
        is taken off the last control first, so its focus ring is not this step's effect."""
        with contextlib.suppress(Exception):
            await self.page.evaluate(_BLUR_JS)
        loc = await self._locate(control)
        # A quiz's answers, disabled once one was picked, or a carousel slide's button fading
        # out as the last step moved on: the step needs a fresh page.
        return (
            bool(loc)
            and loc["reach"] == "ok"
            and not (loc["disabled"] and not control.disabled)
            and not (loc["faded"] and not control.faded)
        )

    async def _locate(self, control: Control) -> dict[str, Any] | None:
        js = "(s) => window.__fjp ? window.__fjp.locate(s) : undefined"
        try:
            loc = await self.page.evaluate(js, control.selector)
            if loc and loc["reach"] == "covered":
                # Covered just after the scroll to it: perhaps a scroll-reveal (turned away or
                # faded out until in view) that the scroll has only now set off.
                await self.page.evaluate("(ms) => window.__fjp.reveal(ms)", REVEAL_MS)
                loc = await self.page.evaluate(js, control.selector)
        except Exception:
            return None
        return loc or None

    # -- one step ---------------------------------------------------------------------------

    async def _step(self, step: Step) -> Outcome | None:
        c, action = step.control, step.action
        if not await self._prepare(step):
            return Outcome(c, action, note="could not recreate the state it needs")
        loc = await self._locate(c)
        if loc is None and not self.state:
            await self._restore()  # the control may have gone with an earlier change
            loc = await self._locate(c)
        if loc is None or loc["reach"] == "hidden":
            return None  # gone, or hidden by design in this state: nothing to judge
        if loc["reach"] != "ok":
            c.reach, c.covered_by = loc["reach"], loc.get("covered_by")
            return Outcome(
                c, action, note=f"unreachable: {loc['reach']}", setup=describe(step.setup)
            )
        view, s0 = loc["view"], loc["state"]
        self.n += 1
        oid = f"int-{self.n:02d}"
        # Where controls.js reached it (a link wrapped over two lines is not at its centre).
        cx, cy = view["cx"], view["cy"]
        # The pointer rests on the control before the "before" crop, so hover styling
        # (its own and its neighbours') is the same in both crops.
        await self.page.mouse.move(*((0, 0) if action == "hover" else (cx, cy)))
        before, clip = await crop(self.page, view)
        s0 = await state_of(self.page) or s0  # screenshots inject (and remove) a style element
        errs0, blocked0 = len(self.live.errors), len(self.live.blocked)
        live0 = self.live.live_data
        out = Outcome(c, action, setup=describe(step.setup))
        s1 = await self._act(step, view, out)
        self.images[f"{oid}-before"] = before
        out.before = f"{oid}-before"
        if s1 is None:
            out.effects.append("navigation")
            await self._restore()
        else:
            out.effects += [e for e in diff(out.base or s0, s1, c.selector) if e not in out.effects]
            if action == "click" and "dom" in out.effects:
                out.wrote = await wrote_since(self.page, (out.base or s0)["mutations"])
        out.errors = list(dict.fromkeys(self.live.errors[errs0:]))[:5]
        out.blocked = self.live.blocked[blocked0:][:5]
        out.live_data = self.live.live_data > live0
        if out.blocked:
            out.effects.append("blocked")
        got = None
        if s1 is not None and (not out.effects or out.errors or action in ("flow", "type")):
            # An after-crop only where it is evidence (or the only way to see a change).
            got = await after_crop(self.page, view, clip)
            if got is None:
                out.effects.append("navigation")
                await self._restore()
        if got is not None:
            after = got[0]
            trust_pixels = not self.noisy or action == "draw"
            own = None if action in ("hover", "draw") else view
            if not out.effects and trust_pixels and pixels_changed(before, after, clip, own):
                out.effects.append("pixels")
            self.images[f"{oid}-after"] = after
            out.after = f"{oid}-after"
        if out.effects or out.enter_effects:
            self.dirty = True
        return out

    async def _act(
        self, step: Step, view: dict[str, float], out: Outcome, *, replay: bool = False
    ) -> dict[str, Any] | None:
        """Perform the action; the page state after it, or None when it navigated away.

        `replay`: rebuilding a state already judged — only the resulting state matters, so
        typing takes the quick path.
        """
        page, c, action = self.page, step.control, step.action
        if replay and action == "type":
            await page.locator(c.selector).first.fill(value_for(c), timeout=ACTION_TIMEOUT_MS)
            await page.keyboard.press("Enter")
            return await wait_change(self.page, SUBMIT_WAIT_MS)
        cx, cy = view["cx"], view["cy"]
        if action == "hover":
            await page.mouse.move(cx, cy)
            return await wait_change(self.page)
        if action in ("click", "dblclick"):
            was = await self._checked(c)
            with contextlib.suppress(Exception):
                out.current = bool(
                    await page.evaluate("(s) => window.__fjp.current(s)", c.selector)
                )
            s0 = await state_of(self.page)
            await page.mouse.click(cx, cy, click_count=2 if action == "dblclick" else 1)
            s1 = await wait_change(self.page)
            if s1 is not None and c.kind == "check" and await self._checked(c) != was:
                out.effects.append("state")
            if action == "click" and c.listened and s1 is not None and not diff(s0, s1, c.selector):
                # Nothing yet: a tester tries again, with a quick double click — "double-click
                # to like" pages react to a second click soon after the first (often timed by
                # hand with Date, which the wait above moved well past a double click's gap).
                await page.mouse.click(cx, cy, click_count=2)
                s1 = await wait_change(self.page)
            if c.kind == "button" and s1 is not None and not diff(s0, s1, c.selector):
                s1 = await self._answer_first(c, (cx, cy), out) or s1
            return s1
        if action == "select":
            n = max(1, len(c.options))
            idx = await page.evaluate("(s) => document.querySelector(s).selectedIndex", c.selector)
            loc = page.locator(c.selector).first
            await loc.select_option(index=(idx + 1) % n, timeout=ACTION_TIMEOUT_MS)
            return await wait_change(self.page)
        if action == "type":
            return await type_and_enter(page, c, out)
        if action == "flow":
            return await send_form(page, c, out, f"Fjudge probe item {self.n}")
        if action == "slide":
            await page.mouse.click(cx, cy)
            for _ in range(5):
                await page.keyboard.press("ArrowRight")
            return await wait_change(self.page)
        if action == "draw":
            x0, y0 = view["x"] + view["width"] * 0.3, view["y"] + view["height"] * 0.3
            await page.mouse.move(x0, y0)
            await page.mouse.down()
            await page.mouse.move(x0 + view["width"] * 0.3, y0 + view["height"] * 0.25, steps=6)
            await page.mouse.up()
            return await wait_change(self.page)
        if action == "drag" and step.target is not None:
            await page.drag_and_drop(c.selector, step.target.selector, timeout=ACTION_TIMEOUT_MS)
            return await wait_change(self.page)
        if action == "key":
            return await self._keys()
        raise ValueError(f"cannot {action} {c.kind}")

    async def _keys(self) -> dict[str, Any] | None:
        """Keys a page listening on the document is likely to want, until one does something:
        a game moves on arrows (2048 ignores 'A'), a word game types letters, a player starts
        on Enter. A key that only scrolled the page (the browser's own doing) is not an answer,
        and the scroll is undone."""
        page = self.page
        await page.mouse.click(2, 2)  # focus the document, not a field
        s0 = await state_of(page)
        s1 = s0
        for key in PAGE_KEYS:
            await page.keyboard.press(key)
            s1 = await wait_change(page)
            if s1 is None or set(diff(s0, s1, "body")) - {"scroll", "focus"}:
                return s1
        if s0 and s1 and s1["scroll"] != s0["scroll"]:
            await page.evaluate("([x, y]) => window.scrollTo(x, y)", s0["scroll"])
            s1 = await state_of(page)
        return s1

    async def _answer_first(
        self, c: Control, at: tuple[float, float], out: Outcome
    ) -> dict[str, Any] | None:
        """A button that did nothing may be waiting for an answer (a quiz's Submit, a poll's
        Vote): pick the first option of each unanswered group near it and press it again.
        Its effects are then measured from the answered page, not from the picks."""
        picks = await self.page.evaluate(
            "([s, n]) => window.__fjp.choices(s, n)", [c.selector, MAX_PICKS]
        )
        if not picks:
            return None
        for p in picks:
            await self.page.mouse.click(p["x"], p["y"])
        out.base, out.chose = (
            await wait_change(self.page),
            len(picks),
        )  # the picks' own effects settle
        if out.base is None:
            return None
        await self.page.mouse.click(*at)
        return await wait_change(self.page)

    # -- observations -----------------------------------------------------------------------

    async def _checked(self, c: Control) -> bool | None:
        if c.kind != "check":
            return None
        with contextlib.suppress(Exception):
            return await self.page.evaluate(
                "(s) => !!(document.querySelector(s) || {}).checked", c.selector
            )
        return None
