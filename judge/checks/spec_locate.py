"""Finding what a prompt asks for the way a user would: by role and accessible name, label,
placeholder or visible text (Playwright's locators on the live page), never by a selector
the submission would have to share. The CSS path of what was found ties it back to the
per-viewport captures, where its box and visibility at each width are already measured.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from judge.checks.spec_measure import shown
from judge.jsassets import inline
from judge.schema import ElementInfo, ViewportCapture

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

PATHS_JS = inline(
    """(els) => {
/* @include csspath */
  return els.slice(0, 12).map((el) => cssPath(el));
}"""
)
FILTER_NAME = re.compile(r"filter|categor|refine|facet|topic|tags?\b", re.I)
NEXT_PAGE = re.compile(
    r"^\s*(next( page)?|previous( page)?|prev|older|newer|›|»|→|‹|«|←|load more|show more|"
    r"page\s*\d+|go to page \d+|\d{1,2})\s*$",
    re.I,
)
SEARCH = re.compile(r"search|find|look ?up", re.I)
MENU = re.compile(r"menu|navigation|\bnav\b|☰|open main", re.I)


@dataclass(frozen=True)
class Way:
    """One way of finding something: (kind, value, name) → a Playwright locator."""

    kind: str  # role | text | label | placeholder
    value: str
    name: re.Pattern[str] | None = None
    hidden: bool = False

    def locator(self, page: Page) -> Locator:
        if self.kind == "role":
            return page.get_by_role(
                self.value,  # type: ignore[arg-type]
                name=self.name,
                include_hidden=self.hidden,
            )
        pattern = self.name or self.value
        if self.kind == "label":
            return page.get_by_label(pattern)
        if self.kind == "placeholder":
            return page.get_by_placeholder(pattern)
        return page.get_by_text(pattern)

    def describe(self) -> str:
        name = f" name=/{self.name.pattern}/i" if self.name is not None else ""
        if self.kind == "role":
            return f"role={self.value}{name}"
        shown_value = self.name.pattern if self.name is not None else self.value
        return f"{self.kind}={shown_value!r}"


def _role(role: str, name: re.Pattern[str] | None = None, hidden: bool = False) -> Way:
    return Way("role", role, name, hidden)


WAYS: dict[str, list[Way]] = {
    "navigation": [_role("navigation")],
    "header": [_role("banner")],
    "footer": [_role("contentinfo")],
    "sidebar": [_role("complementary")],
    "table": [_role("table"), _role("grid")],
    "tabs": [_role("tablist")],
    "search": [
        _role("searchbox"),
        _role("search"),
        _role("textbox", SEARCH),
        Way("placeholder", "", SEARCH),
    ],
    "filters": [
        *(
            _role(r, FILTER_NAME)
            for r in ("group", "toolbar", "tablist", "radiogroup", "region", "form", "search")
        ),
        _role("combobox", FILTER_NAME),
        _role("listbox", FILTER_NAME),
        _role("complementary", FILTER_NAME),
        _role("navigation", FILTER_NAME),
        Way("text", "", re.compile(r"^\s*(filters?|filter by[\w\s]*|categories)\s*:?\s*$", re.I)),
    ],
    "pagination": [
        _role("navigation", re.compile(r"pag", re.I)),
        _role("link", NEXT_PAGE),
        _role("button", NEXT_PAGE),
    ],
    "modal": [_role("dialog", hidden=True), _role("alertdialog", hidden=True)],
}


async def paths(page: Page, way: Way, timeout: float = 3.0) -> list[str]:
    """CSS paths of what `way` finds on the live page (at most 12), [] if nothing."""
    try:
        return await asyncio.wait_for(way.locator(page).evaluate_all(PATHS_JS), timeout)
    except Exception:  # a page that breaks a locator has simply not shown the thing
        return []


async def first_found(page: Page, ways: list[Way]) -> tuple[list[str], Way | None]:
    """The first way that finds something, with what it found."""
    for way in ways:
        found = await paths(page, way)
        if found:
            return found, way
    return [], None


def by_selector(cap: ViewportCapture) -> dict[str, ElementInfo]:
    return {e.selector: e for e in cap.elements}


def visible_in(cap: ViewportCapture, selectors: list[str]) -> ElementInfo | None:
    """The first of `selectors` shown at this viewport (its box measured there)."""
    index = by_selector(cap)
    for s in selectors:
        e = index.get(s)
        if e is not None and shown(e):
            return e
    return None


def name_pattern(text: str) -> re.Pattern[str]:
    """Case-insensitive, whitespace-tolerant pattern for a name from the prompt."""
    words = [re.escape(w) for w in re.split(r"[\s_-]+", text.strip()) if w]
    return re.compile(r"[\s_-]*".join(words) or re.escape(text), re.I)
