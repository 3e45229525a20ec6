"""Garish colour: large fields of pure, fully saturated colour.

Designers keep the loudest colours for accents — a button, a badge, a stripe — and even a bold
brand background is a tuned hue. Whole panels in the pure primaries a browser names (red, lime,
magenta, blue, yellow) are what a broken theme, a debug style left in, or a generator's
placeholder colours look like, and what people call garish. Pure means both: CIELAB chroma
≥ 90, and at the edge of the screen's gamut (HSV saturation ≥ 0.9: one channel near zero). The
chroma alone is not enough: sRGB's violets reach chroma 100 well inside the gamut, so the brand
purples of the most used palette (Tailwind's purple-600 #9333ea at chroma 102, violet-600,
indigo-600, fuchsia-600) read as neon — a login page on an indigo-to-purple gradient scored 0
here. Measured on the pixels, so backgrounds, gradients and images count as seen.
"""

from __future__ import annotations

import numpy as np

from judge.visual.colour import rgb_to_lab

NEON_CHROMA = 90.0  # CIELAB chroma of CSS red/lime/magenta/blue/yellow is 97-134
EDGE_SATURATION = 0.9  # HSV saturation of those is 1; Tailwind's 500/600 hues are 0.6-0.85
FREE_SHARE = 0.10  # accents: up to a tenth of the screen in pure colour costs nothing
FULL_SHARE = 0.50  # half the screen in pure colour is as garish as it gets


def neon_share(rgb: np.ndarray) -> float:
    """Share of pixels in pure, fully saturated colour (rgb: float array in [0, 1])."""
    rgb = rgb.astype(np.float32)
    lab = rgb_to_lab(rgb)
    hi, lo = rgb.max(axis=-1), rgb.min(axis=-1)
    edge = (hi - lo) >= EDGE_SATURATION * np.maximum(hi, 1e-6)
    return float(((np.hypot(lab[..., 1], lab[..., 2]) >= NEON_CHROMA) & edge).mean())


def garishness(share: float) -> float:
    """0 for accents, rising to 1 when half the screen is pure colour."""
    return min(1.0, max(0.0, (share - FREE_SHARE) / (FULL_SHARE - FREE_SHARE)))
