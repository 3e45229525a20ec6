"""Richer pixel descriptors ("px.*" features) for fitting to human ratings.

These are not meant to be read one by one: they describe the layout of colour, lightness
and edges over a spatial pyramid so that a calibrator (ridge/GBM, fitted in cross-validation)
can learn what people find appealing. Families (one line each):
- px.pyr{level}_{row}{col}_{stat}: per pyramid cell (1×1, 2×2, 4×4) mean L, a, b, L std, edge density.
- px.hue{k}: saturation·value-weighted hue histogram, 12 bins (share of coloured mass).
- px.sat{k} / px.val{k}: 4-bin histograms of HSV saturation and value (pixel shares).
- px.ori{k}: 8-bin histogram of gradient orientation weighted by magnitude (HOG-like, global).
- px.gist{scale}_{cell}_{o}: gradient energy in 4 orientations per 2×2 cell at 2 scales (GIST-like).
- px.edge_s{k}: edge density after downsampling by 2**k (k = 0..3): clutter across scales.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from judge.visual.features import Prepared, gradient


def _cells(a: np.ndarray, n: int) -> list[tuple[int, int, np.ndarray]]:
    """Split a 2-D or 3-D array into an n×n grid of cells."""
    h, w = a.shape[:2]
    ys = np.linspace(0, h, n + 1).astype(int)
    xs = np.linspace(0, w, n + 1).astype(int)
    return [(r, c, a[ys[r] : ys[r + 1], xs[c] : xs[c + 1]]) for r in range(n) for c in range(n)]


def pixel_descriptors(p: Prepared) -> dict[str, float]:
    """The px.* descriptor families of a prepared image (see module docstring)."""
    g, mag, ori, lab, hsv = p.grey, p.mag, p.ori, p.lab, p.hsv
    edges = (mag > 0.1).astype(np.float32)
    stack = np.dstack([lab[..., 0] / 100, lab[..., 1] / 100, lab[..., 2] / 100, edges])
    f: dict[str, float] = {}
    for level, n in enumerate((1, 2, 4)):
        for r, c, cell in _cells(stack, n):
            m = cell.reshape(-1, 4).mean(axis=0)
            key = f"px.pyr{level}_{r}{c}"
            f[f"{key}_L"], f[f"{key}_a"], f[f"{key}_b"], f[f"{key}_edge"] = map(float, m)
            f[f"{key}_Lstd"] = float(cell[..., 0].std())
    w = (hsv[..., 1] * hsv[..., 2]).ravel()
    hue_hist, _ = np.histogram(hsv[..., 0].ravel(), bins=12, range=(0, 1), weights=w)
    hue_hist = hue_hist / max(1e-6, w.sum())
    for k, v in enumerate(hue_hist):
        f[f"px.hue{k}"] = float(v)
    for name, ch in (("sat", 1), ("val", 2)):
        hist, _ = np.histogram(hsv[..., ch].ravel(), bins=4, range=(0, 1))
        for k, v in enumerate(hist / hist.sum()):
            f[f"px.{name}{k}"] = float(v)
    # Orientation modulo pi: an edge and its reverse are the same structure.
    obin = ((ori % np.pi) / np.pi * 8).astype(int) % 8
    ohist = np.bincount(obin.ravel(), weights=mag.ravel(), minlength=8)
    ohist = ohist / max(1e-6, ohist.sum())
    for k, v in enumerate(ohist):
        f[f"px.ori{k}"] = float(v)
    for s, img in enumerate((g, ndimage.zoom(g, 0.25, order=1))):
        m, o = gradient(img)
        ob = ((o % np.pi) / np.pi * 4).astype(int) % 4
        for r, c, cell in _cells(np.dstack([m, ob]), 2):
            e = np.bincount(
                cell[..., 1].astype(int).ravel(), weights=cell[..., 0].ravel(), minlength=4
            )
            for k, v in enumerate(e / cell[..., 0].size):
                f[f"px.gist{s}_{r}{c}_{k}"] = float(v)
    img = g
    for k in range(4):
        m, _ = gradient(img)
        f[f"px.edge_s{k}"] = float((m > 0.1).mean())
        img = img[: img.shape[0] // 2 * 2, : img.shape[1] // 2 * 2]
        img = img.reshape(img.shape[0] // 2, 2, img.shape[1] // 2, 2).mean(axis=(1, 3))
    return f
