"""Behaviour the prompt asks for, tried like a user on freshly loaded pages.

The page's main repeated grid (cards, products …) is the list a filter, search, sort or
paginator acts on; its visible items before and after an action tell whether it worked.
- `spec.filter`: up to three filter options (not "All"), each from a fresh load: share that
  change the list.
- `spec.search`: type a word from one item into the search field (then Enter): the list
  narrows to items containing it.
- `spec.sort`: a sort control reorders the list.
- `spec.pagination`: "next" / "2" shows other items.
- `spec.modal`: some button opens a dialog (role dialog); full marks when Escape or a close
  button closes it again.
It runs after the task probes (order 75): a shared wall-clock budget must reach the task's
verifiable probes first.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from judge.checks.base import CheckContext, check, result
from judge.checks.spec_locate import NEXT_PAGE, WAYS, Way, first_found, name_pattern, paths
from judge.checks.spec_measure import groups, live_capture
from judge.jsassets import inline
from judge.live import LivePage
from judge.schema import CheckResult, Evidence

if TYPE_CHECKING:
    from playwright.async_api import Page

DIM = "spec"
TRIES = 3
ACT_MS = 2000
GROUP_JS = """(sels) => sels.map((sel) => {
  const p = document.querySelector(sel);
  if (!p) return null;
  const vis = (el) => { const r = el.getBoundingClientRect(); const cs = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none'; };
  return Array.from(p.children).filter(vis)
    .map((c) => (c.innerText || '').replace(/\\s+/g, ' ').trim().slice(0, 80)).join('\\n');
})"""
LISTS = 6  # list-like containers watched per page
CONTROLS_JS = inline(
    """(root) => {
/* @include csspath */
  const out = [];
  const sel = 'button, a[href], input[type=radio], input[type=checkbox], select, ' +
    '[role=tab], [role=radio], [role=button], [role=option], [role=checkbox], [role=menuitem]';
  for (const el of (root.matches(sel) ? [root] : root.querySelectorAll(sel))) {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    const label = (el.innerText || el.value || el.getAttribute('aria-label') ||
      (el.labels && el.labels[0] && el.labels[0].innerText) || '').replace(/\\s+/g, ' ').trim();
    const options = el.tagName === 'SELECT' ? Array.from(el.options).map((o) => o.value) : [];
    out.push({ selector: cssPath(el), label: label.slice(0, 60), tag: el.tagName.toLowerCase(),
      type: el.type || '', options });
    if (out.length >= 20) break;
  }
  return out;
}"""
)
RESETS = re.compile(r"^\s*(all|any|everything|reset|clear|show all|none)\b", re.I)
TRIGGER = re.compile(
    r"open|view|detail|more|sign ?up|log ?in|book|add|new|create|contact|quick|subscribe|"
    r"learn|start|get|buy|details|preview|edit",
    re.I,
)
DIALOG_JS = """() => Array.from(document.querySelectorAll('dialog[open], [role=dialog], [role=alertdialog], [aria-modal=true]'))
  .some((d) => { const r = d.getBoundingClientRect(); const cs = getComputedStyle(d);
    return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none'
      && parseFloat(cs.opacity) > 0.05; })"""


class Tryout:
    """Fresh loads and list signatures for one check run."""

    def __init__(self, ctx: CheckContext) -> None:
        assert ctx.page is not None and ctx.url is not None
        self.ctx = ctx
        self.page: Page = ctx.page
        self.live = LivePage(ctx.page, ctx.url)
        cap = live_capture(ctx)
        # Every list-like container (grids, lists, table bodies): a control "works" when one
        # of them shows other items; which one is the page's business.
        found = groups(cap, min_items=2, min_area=300, rows=True)[:LISTS]
        self.lists = sorted({cap.elements[g.parent].selector for g in found})
        self.group = self.lists or None
        self.dirty = True  # earlier live checks may have left the page in any state

    async def fresh(self) -> None:
        """A clean load, unless the page is already clean (nothing acted on it since)."""
        if self.dirty:
            await self.live.reload(min(5.0, max(0.5, self.ctx.seconds_left() / 2)))
            self.dirty = False

    async def items(self) -> list[str | None]:
        """Visible items of every watched list (texts), one string per list."""
        return await self.page.evaluate(GROUP_JS, self.lists)

    async def changed_from(self, before: list[str | None]) -> list[str | None]:
        """The lists after an action, waiting (briefly) for any to differ from `before`."""
        # Unchanged within the wait is the finding, not an error.
        await self.live.wait_until(
            f"(b) => JSON.stringify(({GROUP_JS})({json.dumps(self.lists)})) !== b",
            json.dumps(before),
        )
        return await self.items()

    async def controls(self, selector: str) -> list[dict[str, Any]]:
        loc = self.page.locator(selector).first
        return await loc.evaluate(CONTROLS_JS)

    def time_left(self) -> bool:
        return self.ctx.seconds_left() > 2.0


async def _act(t: Tryout, c: dict[str, Any], option: str | None = None) -> None:
    t.dirty = True
    loc = t.page.locator(c["selector"]).first
    if c["tag"] == "select":
        await loc.select_option(option or c["options"][1], timeout=ACT_MS)
    elif c["type"] in ("checkbox", "radio"):
        await loc.check(timeout=ACT_MS)
    else:
        await loc.click(timeout=ACT_MS)


async def _filter(t: Tryout) -> CheckResult:
    await t.fresh()
    found, way = await first_found(t.page, WAYS["filters"])
    if not found or t.group is None:
        why = "no filter controls found" if not found else "no list of items to filter"
        return result("spec.filter", DIM, 0.0, why, weight=1.5, severity="major")
    controls = await t.controls(found[0])
    tries: list[tuple[dict[str, Any], str | None]] = []
    for c in controls:
        if c["tag"] == "select":
            tries += [(c, o) for o in c["options"][1:] if o and not RESETS.match(o)]
        elif c["label"] and not RESETS.match(c["label"]):
            tries.append((c, None))
    tries = tries[:TRIES]
    worked, notes = 0, []
    for c, option in tries:
        if not t.time_left():
            break
        await t.fresh()
        before = await t.items()
        try:
            await _act(t, c, option)
        except Exception as exc:
            notes.append(f"{c['label'] or option}: could not operate ({type(exc).__name__})")
            continue
        after = await t.changed_from(before)
        ok = after != before
        worked += ok
        notes.append(f"{c['label'] or option}: {'list changed' if ok else 'list unchanged'}")
    s = worked / len(tries) if tries else 0.0
    ev = [Evidence(selector=found[0], detail="; ".join(notes)[:200])]
    return result(
        "spec.filter", DIM, s, f"filters ({way.describe() if way else ''}): {worked} of {len(tries)} change the list",
        weight=1.5, severity="info" if s >= 0.99 else "major", evidence=ev, data={"tries": notes},
    )  # fmt: skip


async def _search(t: Tryout) -> CheckResult:
    ways = [w for w in WAYS["search"] if w.value != "search"]
    await t.fresh()
    found, _ = await first_found(t.page, ways)
    if not found or t.group is None:
        why = "no search field found" if not found else "no list of items to search"
        return result("spec.search", DIM, 0.0, why, weight=1.5, severity="major")
    before = await t.items()
    longest = max(range(len(before)), key=lambda i: (len((before[i] or "").split("\n")), -i))
    rows = (before[longest] or "").split("\n")
    word = _distinct_word(rows)
    if word is None:
        return result("spec.search", DIM, None, "no distinctive word in the list to search for")
    field = t.page.locator(found[0]).first
    t.dirty = True
    await field.fill(word, timeout=ACT_MS)
    after = await t.changed_from(before)
    if after == before:
        await field.press("Enter", timeout=ACT_MS)
        after = await t.changed_from(before)
    shown_rows = [r for r in (after[longest] or "").split("\n") if r]
    narrowed = after != before and bool(shown_rows) and len(shown_rows) < len(rows)
    relevant = narrowed and all(word.lower() in r.lower() for r in shown_rows)
    s = 1.0 if relevant else 0.6 if after != before else 0.0
    return result(
        "spec.search", DIM, s, f"searching {word!r}: {len(shown_rows)} of {len(rows)} items shown"
        + ("" if relevant else " (the list did not narrow to matching items)"),
        weight=1.5, severity="info" if s == 1 else "major",
        evidence=[Evidence(selector=found[0], detail=f"typed {word!r}")],
    )  # fmt: skip


def _distinct_word(rows: list[str]) -> str | None:
    if len(rows) < 2:
        return None
    others = " ".join(r.lower() for r in rows[:1] + rows[2:])
    for w in sorted(set(re.findall(r"[A-Za-z]{4,}", rows[1])), key=lambda x: (-len(x), x)):
        if w.lower() not in others:
            return w
    return None


async def _sort(t: Tryout) -> CheckResult:
    pat = re.compile(r"sort|order", re.I)
    await t.fresh()
    found, _ = await first_found(t.page, [Way("role", "combobox", pat), Way("role", "button", pat)])
    if not found or t.group is None:
        return result("spec.sort", DIM, 0.0, "no sort control found", weight=1.5, severity="major")
    controls = await t.controls(found[0])
    c = controls[0] if controls else None
    if c is None:
        return result("spec.sort", DIM, 0.0, "the sort control cannot be operated", weight=1.5)
    await t.fresh()
    before = await t.items()
    options = c["options"][1:] or [None]
    after = before
    for option in options[:2]:
        await _act(t, c, option)
        after = await t.changed_from(before)
        if after != before:
            break
    same_set = [sorted((x or "").split("\n")) for x in before] == [
        sorted((x or "").split("\n")) for x in after
    ]
    s = 1.0 if after != before and same_set else 0.5 if after != before else 0.0
    return result("spec.sort", DIM, s, "sorting reorders the list" if s == 1 else "sorting did not reorder the list",
                  weight=1.5, severity="info" if s == 1 else "major",
                  evidence=[Evidence(selector=found[0])])  # fmt: skip


async def _pagination(t: Tryout) -> CheckResult:
    ways = [w for w in WAYS["pagination"] if w.value != "navigation"]
    await t.fresh()
    found, _ = await first_found(t.page, ways)
    if not found or t.group is None:
        return result(
            "spec.pagination", DIM, 0.0, "no paginator to operate", weight=1.5, severity="major"
        )
    labels = [(s, (await t.page.locator(s).first.inner_text()).strip()) for s in found[:8]]
    order = sorted(labels, key=lambda x: (not re.search(r"next|›|»|→|^2$", x[1], re.I), x[0]))
    target = order[0][0]
    before = await t.items()
    t.dirty = True
    await t.page.locator(target).first.click(timeout=ACT_MS)
    after = await t.changed_from(before)
    s = 1.0 if after != before else 0.0
    return result("spec.pagination", DIM, s, "the next page shows other items" if s else "paging did not change the items",
                  weight=1.5, severity="info" if s else "major",
                  evidence=[Evidence(selector=target, detail=order[0][1][:60])])  # fmt: skip


async def _modal(t: Tryout) -> CheckResult:
    await t.fresh()
    cands: list[tuple[str, str]] = []
    for role in ("button", "link"):
        for sel in await paths(t.page, Way("role", role)):
            label = (await t.page.locator(sel).first.inner_text()).strip()[:60]
            cands.append((sel, label))
    cands.sort(key=lambda c: (not TRIGGER.search(c[1]), bool(NEXT_PAGE.match(c[1])), c[0]))
    spec = t.ctx.spec
    fields = [f for c in (spec.components if spec else []) if c.within == "modal" for f in c.fields]
    for sel, label in cands[:5]:
        if not t.time_left():
            break
        await t.fresh()
        t.dirty = True
        try:
            await t.page.locator(sel).first.click(timeout=ACT_MS)
        except Exception:
            continue
        if not await t.live.wait_until(DIALOG_JS):
            continue
        missing = [f for f in fields if not await _field_shown(t.page, f)]
        closes = await _closes(t)
        if fields:
            s = 0.7 + 0.15 * closes + 0.15 * (len(fields) - len(missing)) / len(fields)
        else:
            s = 0.7 + 0.3 * closes
        notes = [f"{label!r} opens a dialog"]
        if not closes:
            notes.append("it does not close with Escape or a close button")
        if missing:
            notes.append("its form lacks " + ", ".join(missing))
        return result("spec.modal", DIM, s, "; ".join(notes), weight=1.5,
                      severity="info" if s >= 0.99 else "minor",
                      evidence=[Evidence(selector=sel, detail=label)])  # fmt: skip
    tried = cands[:5]
    names = ", ".join(repr(label) for _, label in tried if label) or "unlabelled buttons"
    return result("spec.modal", DIM, 0.0,
                  f"none of {len(tried)} buttons opened a dialog (tried {names})",
                  weight=1.5, severity="major",
                  evidence=[Evidence(selector=sel, detail=label) for sel, label in tried],
                  data={"tried": [label for _, label in tried]})  # fmt: skip


async def _field_shown(page: Page, field: str) -> bool:
    pat = name_pattern(field)
    ways = [Way("label", "", pat), Way("role", "textbox", pat), Way("placeholder", "", pat)]
    for way in ways:
        try:
            if await way.locator(page).first.is_visible():
                return True
        except Exception:
            continue
    return False


async def _closes(t: Tryout) -> bool:
    gone = f"() => !({DIALOG_JS})()"
    await t.page.keyboard.press("Escape")
    if await t.live.wait_until(gone, virtual_ms=400):  # a closing transition runs on timers
        return True
    close = await paths(
        t.page, Way("role", "button", re.compile(r"close|×|✕|cancel|dismiss|^x$", re.I))
    )
    if close:
        try:
            await t.page.locator(close[0]).first.click(timeout=ACT_MS)
        except Exception:
            return False
        return await t.live.wait_until(gone, virtual_ms=400)
    return False


BEHAVIOURS = {
    "filter": _filter,
    "search": _search,
    "sort": _sort,
    "pagination": _pagination,
    "modal": _modal,
}


@check("spec.behaviour", DIM, phase="live", order=75)
async def spec_behaviour(ctx: CheckContext) -> list[CheckResult]:
    """Filters, search, sort, pagination and modals the prompt asks for, actually working."""
    spec = ctx.spec
    if spec is None or ctx.page is None or ctx.url is None or not ctx.captures:
        return []
    kinds = [i.kind for i in spec.interactions if i.kind in BEHAVIOURS]
    if any(c.kind == "modal" for c in spec.components) and "modal" not in kinds:
        kinds.append("modal")
    if not kinds:
        return []
    vp = ctx.page.viewport_size
    t = Tryout(ctx)
    out = []
    try:
        for kind in kinds:
            if not t.time_left():
                out.append(result(f"spec.{kind}", DIM, None, "no time left to try it"))
                continue
            try:
                out.append(await BEHAVIOURS[kind](t))
            except Exception as exc:  # the page broke under the try: not the check's score
                out.append(
                    result(f"spec.{kind}", DIM, None, f"could not try it: {type(exc).__name__}")
                )
                t.dirty = True
        # Not reloaded at the end: every later live check starts from its own clean load.
    finally:
        t.live.detach()
        if vp:
            await ctx.page.set_viewport_size(vp)
    return out
