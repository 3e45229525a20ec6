"""A dialog that blocks the page on load, closed the way a visitor closes it.

A newsletter pop-up, a cookie wall or a welcome modal over the page is the first thing a
person sees, and the first thing they close. Judged as loaded, it hid the whole page behind
it: every control "covered", the dialog's text "overlapping" the page's, and a working shop
scored like a broken one (0.63). So after a load settles, a dialog that covers most of the
viewport with the page's content behind it, and offers a close (or decline, or accept)
control, is closed with a real click; the page behind it is what gets judged, and the dialog
is reported (`render.overlay`, a minor finding). One without such a control — a stuck loader,
an element laid over the call to action — is left where it is, and judged as it is.
Every reload (a probe starting from the page as loaded) closes it again, the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from judge.jsassets import script
from judge.schema import ClosedDialog

if TYPE_CHECKING:
    from playwright.async_api import Page

_FIND_JS = script("dialogs")
_AFTER_JS = """async () => {
  const n = window.__fjNative;
  if (window.__fjClock) await window.__fjClock.advance(1000);
  if (n && n.finishAnimations) n.finishAnimations(true);
  const raf = n ? n.raf : requestAnimationFrame;
  await new Promise((r) => raf(() => raf(r)));
}"""


async def close_blocking_dialog(page: Page) -> ClosedDialog | None:
    """Close the dialog blocking the page, if there is one with a close control.

    Returns what was found and whether the click closed it (a dialog whose close does nothing
    stays, and says so); None when nothing blocks the page. Never raises: a page that
    navigates or breaks under the click is judged as it is left.
    """
    try:
        found = await page.evaluate(_FIND_JS)
        if not found:
            return None
        await page.mouse.click(found["x"], found["y"])
        await page.evaluate(_AFTER_JS)
        again = await page.evaluate(_FIND_JS)
    except Exception:
        return None
    # Still the same dialog: its close does nothing, and the page is judged with it.
    closed = not again or again.get("dialog") != found["dialog"]
    return ClosedDialog(
        dialog=found["dialog"], text=found["text"], control=found["control"], closed=closed
    )
