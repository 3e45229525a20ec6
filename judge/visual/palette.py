"""Garish colour: large fields of pure, fully saturated colour.

Designers keep the loudest colours for accents — a button, a badge, a stripe — and even a bold
brand background is a tuned hue (a purple at CIELAB chroma 60–85). Whole panels in the pure
primaries a browser names (red, lime, magenta, blue, yellow: chroma ≥ 90) are what a broken
theme, a debug style left in, or a generator's placeholder colours look like, and what people
call garish. Measured on the pixels, so backgrounds, gradients and images count as seen.
"""

from __future__ import annotations

import numpy as np

from judge.visual.colour import rgb_to_lab

NEON_CHROMA = 90.0  # CIELAB chroma of CSS red/lime/magenta/blue/yellow; tuned brand hues sit below
FREE_SHARE = 0.10  # accents: up to a tenth of the screen in pure colour costs nothing
FULL_SHARE = 0.50  # half the screen in pure colour is as garish as it gets


def neon_share(rgb: np.ndarray) -> float:
    """Share of pixels in pure, fully saturated colour (rgb: float array in [0, 1])."""
    lab = rgb_to_lab(rgb.astype(np.float32))
    return float((np.hypot(lab[..., 1], lab[..., 2]) >= NEON_CHROMA).mean())


def garishness(share: float) -> float:
    """0 for accents, rising to 1 when half the screen is pure colour."""
    return min(1.0, max(0.0, (share - FREE_SHARE) / (FULL_SHARE - FREE_SHARE)))
