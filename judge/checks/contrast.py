"""Text contrast against the rendered background (WCAG 2.x AA: 4.5:1, 3:1 for large text).

The text colour comes from CSS (composited by opacity); the background is sampled from the
screenshot behind the text box, so images, gradients and overlays count as they are seen.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

from judge.checks.base import CheckContext, check, result
from judge.checks.geometry import (
    SMALL_PRINT_WEIGHT,
    evidence,
    ink,
    is_screen_reader_only,
    seen,
    small_print,
)
from judge.checks.pixels import decoded
from judge.schema import CheckResult, ElementInfo, ViewportCapture

DIM = "accessibility"
_RGB = re.compile(r"rgba?\(([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+%?))?\)")
MAX_TEXTS = 300
# Small print's share of the reading is taken against at least a short paragraph's reading
# weight (characters; small print at a third): on a page with hardly any text, one grey
# footnote would otherwise be "the page's text" and score it unreadable. Main text gets no such
# floor — a faded heading or subtitle is what a person notices, however little text there is.
SMALL_PRINT_FLOOR = 200.0


def parse_colour(css: str | None) -> tuple[np.ndarray, float] | None:
    """'rgb(a)(…)' → (rgb array 0..255, alpha)."""
    m = _RGB.match(css or "")
    if not m:
        return None
    a = m.group(4)
    alpha = 1.0 if a is None else (float(a[:-1]) / 100 if a.endswith("%") else float(a))
    return np.array([float(m.group(i)) for i in (1, 2, 3)]), alpha


def luminance(rgb: np.ndarray) -> float:
    """WCAG relative luminance of an sRGB colour (0..255)."""
    c = np.asarray(rgb, dtype=float) / 255.0
    lin = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2])


def ratio(a: np.ndarray, b: np.ndarray) -> float:
    """WCAG contrast ratio of two colours."""
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def apca_lc(text: np.ndarray, bg: np.ndarray) -> float:
    """APCA lightness contrast Lc of text on a background (WCAG 3 draft; apca-w3 0.1.9's
    0.0.98G-4g constants): about ±106 for black on white, 0 when the text is gone; negative for
    light text on a darker background. Unlike WCAG 2's ratio it models how people see polarity
    and mid tones: white on a mid green is 1.9:1 yet reads fine (Lc −41), while dark grey on
    black is 2.0:1 yet barely shows (Lc −9)."""

    def y(rgb: np.ndarray) -> float:
        c = (np.asarray(rgb, dtype=float) / 255.0) ** 2.4
        v = float(0.2126729 * c[0] + 0.7151522 * c[1] + 0.0721750 * c[2])
        return v if v > 0.022 else v + (0.022 - v) ** 1.414  # soft clamp near black

    t, b = y(text), y(bg)
    if abs(b - t) < 0.0005:
        return 0.0
    if b > t:  # dark text on a lighter background
        sapc = (b**0.56 - t**0.57) * 1.14
        return 0.0 if sapc < 0.1 else (sapc - 0.027) * 100
    sapc = (b**0.65 - t**0.62) * 1.14
    return 0.0 if sapc > -0.1 else (sapc + 0.027) * 100


def is_large(e: ElementInfo) -> bool:
    """WCAG large text: ≥ 24 px, or ≥ 18.66 px bold."""
    size = e.font_size or 16
    try:
        bold = int(e.font_weight or "400") >= 700
    except ValueError:
        bold = e.font_weight == "bold"
    return size >= 24 or (bold and size >= 18.66)


def packed(img: np.ndarray) -> np.ndarray:
    """Colours quantised to 5 bits per channel, packed into one int per pixel."""
    q = img.astype(np.int32) >> 3
    return (q[..., 0] << 10) | (q[..., 1] << 5) | q[..., 2]


def rendered_background(px: np.ndarray, keys: np.ndarray, fg: np.ndarray) -> np.ndarray | None:
    """Most common colour in the box, ignoring pixels close to the text colour."""
    flat = px.reshape(-1, 3).astype(np.int16)
    k = keys.reshape(-1)
    far = np.abs(flat - fg.astype(np.int16)).max(axis=1) > 40
    if far.sum() >= 0.2 * len(flat):
        flat, k = flat[far], k[far]
    if not len(k):
        return None
    top = int(np.argmax(np.bincount(k, minlength=32768)))
    return flat[k == top].mean(axis=0)


class Measured(NamedTuple):
    element: ElementInfo
    ratio: float  # WCAG 2 contrast ratio
    need: float  # what WCAG AA asks of it (4.5, or 3 for large text)
    weight: float  # reading weight: 1, small print less
    lc: float  # APCA lightness contrast


def measure(cap: ViewportCapture, img: np.ndarray) -> list[Measured]:
    """Each visible text above the fold, measured against what is rendered behind it; small print (footers, <small>) weighs a third, as in the text-size check."""
    out = []
    h, w = img.shape[:2]
    keys = packed(img)
    for i, e in enumerate(cap.elements):
        if len(out) >= MAX_TEXTS:
            break
        if not seen(e) or not e.text.strip() or is_screen_reader_only(e):
            continue
        if e.effective_opacity < 0.5:
            continue  # fading in or out by design: not text meant to be read now
        if e.tag in ("input", "textarea", "select", "option"):
            continue
        if e.disabled:
            continue  # an inactive control (a Send button until there is text): WCAG exempts it
        b = ink(e)  # behind the text runs themselves, not the whole box
        x0, y0 = max(0, int(b.x)), max(0, int(b.y))
        x1, y1 = min(w, int(b.x + b.width)), min(h, int(b.y + b.height))
        if x1 - x0 < 3 or y1 - y0 < 3 or not e.topmost_at_center:
            continue
        fg = parse_colour(e.color)
        if fg is None or fg[1] < 0.1:
            # Transparent text is not read in its own colour: hidden on purpose (a memory
            # game's face-down card) or painted by a background clipped to it (gradient text).
            continue
        # Large boxes: every other pixel is plenty to find the dominant colour.
        step = 2 if (x1 - x0) * (y1 - y0) > 40000 else 1
        box = (slice(y0, y1, step), slice(x0, x1, step))
        bg = rendered_background(img[box], keys[box], fg[0])
        if bg is None:
            continue
        alpha = fg[1] * (e.opacity if e.opacity is not None else 1.0)
        colour = fg[0] * alpha + bg * (1 - alpha)
        weight = SMALL_PRINT_WEIGHT if small_print(cap.elements, i, cap.doc_height) else 1.0
        need = 3.0 if is_large(e) else 4.5
        out.append(Measured(e, ratio(colour, bg), need, weight, apca_lc(colour, bg)))
    return out


# Hard to read, on APCA's scale: below Lc 40 — between APCA's floor for "spot" text (Lc 30:
# placeholders, fine print) and for large fluent text (Lc 45) — the deficit grows, and text at
# APCA's point of invisibility (Lc 15) is gone. WCAG 2's ratio judged white labels on coloured
# buttons unreadable (a green "Add note" at 1.9:1) and washed-out grey on black readable; on the
# train apps APCA separated working originals from washed-out variants better (Lc 40 chosen
# there among 30 / 40 / 45, see the closing note of this change).
READABLE_LC = 40.0
INVISIBLE_LC = 15.0


def readability_deficit(lc: float) -> float:
    """0 while text is readable for most people (|Lc| ≥ 40), rising to 1 as it fades into its
    background (|Lc| ≤ 15). WCAG AA (4.5:1 / 3:1) is stricter; text between the two is noted,
    but costs little: people read it, and rate such pages as they rate others."""
    return min(1.0, max(0.0, (READABLE_LC - abs(lc)) / (READABLE_LC - INVISIBLE_LC)))


@check("a11y.contrast", DIM, order=40)
async def contrast(ctx: CheckContext) -> list[CheckResult]:
    """Per viewport: how much of the visible text is hard to read against what is behind it."""
    out = []
    weight = 1.0 / max(1, len(ctx.captures))
    for cap in ctx.captures.values():
        img = np.asarray(decoded(cap.screenshot))
        measured = measure(cap, img)
        if not measured:
            out.append(
                result(
                    "a11y.contrast",
                    DIM,
                    None,
                    f"{cap.name}: no text to measure",
                    viewport=cap.name,
                    weight=weight,
                )
            )
            continue
        total = sum(len(m.element.text) * m.weight for m in measured)
        below_aa = [m for m in measured if m.ratio < m.need]
        deficit = [len(e.text) * w * readability_deficit(lc) for e, _, _, w, lc in measured]
        small = sum(d for d, m in zip(deficit, measured, strict=True) if m.weight < 1.0)
        share = (sum(deficit) - small) / max(1, total) + small / max(SMALL_PRINT_FLOOR, total)
        score = 1.0 - min(1.0, share / 0.3) - (0.02 if below_aa else 0.0)
        hard = sorted(
            [m for m in measured if readability_deficit(m.lc) > 0], key=lambda m: abs(m.lc)
        )
        worst = hard or sorted(below_aa, key=lambda m: m.ratio / m.need)
        if hard:
            e0, r0, need0, _, lc0 = hard[0]
            msg = (
                f"{cap.name}: {len(hard)} text element(s) hard to read against their background, "
                f"worst {e0.selector} at {r0:.2f}:1 (APCA Lc {abs(lc0):.0f}; readable from "
                f"{READABLE_LC:g}) — darken the text or lighten the background (WCAG AA asks "
                f"{need0:g}:1)"
            )
        elif below_aa:
            e0, r0, need0, _, _ = below_aa[0]
            msg = (
                f"{cap.name}: readable, but {len(below_aa)} text element(s) below WCAG AA, e.g. "
                f"{e0.selector} at {r0:.2f}:1 (AA asks {need0:g}:1)"
            )
        else:
            msg = f"{cap.name}: all {len(measured)} measured text element(s) meet WCAG AA"
        out.append(
            result(
                "a11y.contrast",
                DIM,
                max(0.0, score),
                msg,
                viewport=cap.name,
                weight=weight,
                severity="info" if not below_aa else ("major" if score < 0.7 else "minor"),
                evidence=[
                    evidence(cap, e, f"contrast {r:.2f}:1 (AA {need:g}:1), APCA Lc {abs(lc):.0f}")
                    for e, r, need, _, lc in worst[:6]
                ],
                data={
                    "measured": len(measured),
                    "below_aa": len(below_aa),
                    "hard_to_read": len(hard),
                    "deficit_share": round(share, 3),
                },
            )
        )
    return out
