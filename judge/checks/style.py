"""Unstyled page: the browser's default stylesheet is all there is (CSS missing or never written).

Signals, each a browser default left untouched: serif default font on the text, black text on
white everywhere, link colour #0000ee, grey native buttons, body margin 8px.
"""

from __future__ import annotations

from judge.checks.base import CheckContext, check, result
from judge.schema import CheckResult, Evidence, ViewportCapture

DIM = "layout"
DEFAULT_FONTS = {'"times new roman"', "times new roman", "serif", "tinos", '"liberation serif"'}
DEFAULT_LINK = "rgb(0, 0, 238)"
DEFAULT_BUTTON_BG = "rgb(239, 239, 239)"


def signals(cap: ViewportCapture) -> dict[str, bool]:
    """Which browser defaults the page left untouched."""
    els = [e for e in cap.elements if e.visible]
    texts = [e for e in els if e.text and e.tag not in ("input", "textarea", "select", "button")]
    links = [e for e in els if e.tag == "a" and e.text]
    buttons = [e for e in els if e.tag == "button" or e.attrs.get("type") in ("submit", "button")]
    top = [e for e in els if e.parent is None]

    def share(items: list, pred) -> float:
        return sum(1 for x in items if pred(x)) / len(items) if items else 0.0

    first_font = lambda e: (e.font_family or "").split(",")[0].strip().lower()  # noqa: E731
    return {
        "default font": bool(texts)
        and share(texts, lambda e: first_font(e) in DEFAULT_FONTS) >= 0.9,
        "black on white only": bool(texts)
        and share(
            texts,
            lambda e: e.color == "rgb(0, 0, 0)" and e.background in (None, "rgb(255, 255, 255)"),
        )
        >= 0.95,
        "default link colour": bool(links)
        and share(links, lambda e: e.color == DEFAULT_LINK) >= 0.8,
        "native grey buttons": bool(buttons)
        and share(buttons, lambda e: e.background == DEFAULT_BUTTON_BG) >= 0.8,
        "8px body margin": bool(top)
        and share(
            top, lambda e: abs(e.bbox.x - 8) < 0.5 and abs(e.bbox.width - (cap.width - 16)) < 1
        )
        >= 0.8,
    }


@check("style.unstyled", DIM, order=35)
async def unstyled(ctx: CheckContext) -> list[CheckResult]:
    """The page shows browser defaults only (its CSS is missing)."""
    caps = list(ctx.captures.values())
    if not caps:
        return []
    cap = caps[-1]
    sig = signals(cap)
    on = [k for k, v in sig.items() if v]
    relevant = [
        k for k in sig if k != "default link colour" or any(e.tag == "a" for e in cap.elements)
    ]
    if len(on) < 3:
        return [result("style.unstyled", DIM, 1.0, "the page is styled", data={"signals": on})]
    score = max(0.0, 1.0 - len(on) / max(3, len(relevant)))
    body = next((e for e in cap.elements if e.parent is None), None)
    ev = [
        Evidence(
            viewport=cap.name,
            selector="body",
            bbox=None,
            screenshot=f"{cap.name}.png",
            detail="browser defaults: " + ", ".join(on),
        )
    ]
    if body is not None:
        ev.append(
            Evidence(
                viewport=cap.name,
                selector=body.selector,
                bbox=body.bbox,
                screenshot=f"{cap.name}.png",
                detail="unstyled content",
            )
        )
    return [
        result(
            "style.unstyled",
            DIM,
            score,
            f"the page looks unstyled (CSS missing?): {', '.join(on)}",
            severity="major",
            evidence=ev,
            data={"signals": on},
        )
    ]
