"""Visual-complexity and layout-from-pixels features used by published appeal models.

From Reinecke & Gajos (2013/2014): text area, non-text (image) area, number of text groups and
image areas, quadtree leaves (in features.py), colourfulness; from Miniukovich & De Angeli
(2014/2015): compressed-file size as visual complexity, subband entropy (Rosenholtz's clutter),
grid quality (distinct alignment lines), number of dominant colours, figure-ground contrast.
Regions come from a morphological segmentation of the gradient map: text lines are wide,
short components with few colours; images are large components with many colours.
"""

from __future__ import annotations

import io

import numpy as np
from scipy import ndimage

from judge.visual.features import Prepared, quantise

COMPLEXITY_DOCS: dict[str, str] = {
    "jpeg_bpp": "JPEG (quality 75) bits per pixel of the 512-px image: compressed-size complexity.",
    "subband_entropy": "Mean entropy of 3-level Haar detail subbands of L, a, b (clutter).",
    "region_count": "log10(1 + connected regions of the dilated edge map): visual objects.",
    "region_size_cv": "Coefficient of variation of region areas (uniform vs mixed sizes).",
    "text_area": "Share of the image in text-line-like regions (wide, short, few colours).",
    "text_lines": "log10(1 + number of text-line-like regions).",
    "image_area": "Share of the image in image-like regions (large, many colours).",
    "image_regions": "Number of image-like regions (capped at 20), /20.",
    "grid_lines_x": "Distinct left edges of regions (8-px bins) per region: lower is more aligned.",
    "grid_lines_y": "Distinct top edges of regions (8-px bins) per region.",
    "dominant_colours": "Number of 3-bit/channel colours each covering ≥ 1% of pixels, /20.",
    "symmetry_tb": "1 − mean |grey − flipped grey| top/bottom on a 64-px thumbnail.",
    "figure_ground": "Mean Lab ΔE between each region and the background colour, /100.",
    "edge_density_top": "Edge density in the top fifth (headers, navigation).",
    "colourfulness_sd": "Std of Hasler–Süsstrunk colourfulness over a 4×4 grid, /100.",
}


def jpeg_bpp(rgb: np.ndarray) -> float:
    """Bits per pixel of a JPEG encoding (quality 75, 4:2:0)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray((rgb * 255).astype(np.uint8)).save(buf, format="JPEG", quality=75)
    return 8.0 * buf.tell() / (rgb.shape[0] * rgb.shape[1])


def _entropy(values: np.ndarray, bins: int = 64) -> float:
    hist, _ = np.histogram(values, bins=bins)
    p = hist[hist > 0] / max(1, hist.sum())
    return float(-(p * np.log2(p)).sum())


def subband_entropy(lab: np.ndarray, levels: int = 3) -> float:
    """Mean entropy of Haar detail coefficients over scales and L/a/b (Rosenholtz et al. 2007)."""
    out = []
    for ch, weight in ((0, 1.0), (1, 1.0), (2, 1.0)):
        a = lab[..., ch] / 100.0
        for _ in range(levels):
            h, w = a.shape[0] // 2 * 2, a.shape[1] // 2 * 2
            if h < 4 or w < 4:
                break
            a = a[:h, :w]
            tl, tr, bl, br = a[0::2, 0::2], a[0::2, 1::2], a[1::2, 0::2], a[1::2, 1::2]
            for d in (tl - tr + bl - br, tl + tr - bl - br, tl - tr - bl + br):
                out.append(weight * _entropy(d.ravel()))
            a = (tl + tr + bl + br) / 4
    return float(np.mean(out)) if out else 0.0


def _regions(p: Prepared) -> tuple[np.ndarray, int]:
    """Label map of regions: edge pixels closed into blobs (3×9 for text runs), then labelled."""
    edges = p.mag > 0.08
    blobs = ndimage.binary_closing(edges, structure=np.ones((3, 9)), iterations=1)
    blobs = ndimage.binary_dilation(blobs, structure=np.ones((3, 3)))
    return ndimage.label(blobs)


def complexity_features(p: Prepared) -> dict[str, float]:
    """The features in COMPLEXITY_DOCS for a prepared image."""
    rgb, g, lab = p.rgb, p.grey, p.lab
    h, w = g.shape
    f: dict[str, float] = {
        "jpeg_bpp": jpeg_bpp(rgb),
        "subband_entropy": subband_entropy(lab),
    }
    labels, n = _regions(p)
    codes = quantise(rgb, 3)
    counts = np.bincount(codes.ravel(), minlength=512)
    f["dominant_colours"] = float((counts >= 0.01 * codes.size).sum()) / 20.0
    bg = np.median(lab[::4, ::4].reshape(-1, 3), axis=0)
    areas, text_area, image_area, n_text, n_image = [], 0, 0, 0, 0
    lefts, tops, deltas = [], [], []
    if n:
        objs = ndimage.find_objects(labels)
        sizes = np.bincount(labels.ravel(), minlength=n + 1)[1:]
        for k, sl in enumerate(objs):
            if sl is None or sizes[k] < 12:
                continue
            bh, bw = sl[0].stop - sl[0].start, sl[1].stop - sl[1].start
            areas.append(bh * bw)
            lefts.append(sl[1].start // 8)
            tops.append(sl[0].start // 8)
            region = labels[sl] == k + 1
            deltas.append(float(np.linalg.norm(lab[sl][region].mean(axis=0) - bg)))
            ncol = len(np.unique(codes[sl][region]))
            if bh <= 24 and bw >= 2 * bh and ncol <= 24:
                n_text += 1
                text_area += bh * bw
            elif bh * bw >= 0.01 * h * w and ncol > 24:
                n_image += 1
                image_area += bh * bw
    m = len(areas)
    f["region_count"] = float(np.log10(1 + m))
    f["region_size_cv"] = float(np.std(areas) / np.mean(areas)) if m > 1 else 0.0
    f["text_area"] = min(1.0, text_area / (h * w))
    f["text_lines"] = float(np.log10(1 + n_text))
    f["image_area"] = min(1.0, image_area / (h * w))
    f["image_regions"] = min(n_image, 20) / 20.0
    f["grid_lines_x"] = len(set(lefts)) / m if m else 0.0
    f["grid_lines_y"] = len(set(tops)) / m if m else 0.0
    f["figure_ground"] = float(np.mean(deltas)) / 100.0 if deltas else 0.0
    thumb = g[:: max(1, w // 64), :: max(1, w // 64)]
    f["symmetry_tb"] = float(1 - np.abs(thumb - thumb[::-1, :]).mean())
    f["edge_density_top"] = float((p.mag[: max(1, h // 5)] > 0.1).mean())
    cells = []
    for rows in np.array_split(np.arange(h), 4):
        for cols in np.array_split(np.arange(w), 4):
            c = rgb[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1] * 255.0
            rg = c[..., 0] - c[..., 1]
            yb = 0.5 * (c[..., 0] + c[..., 1]) - c[..., 2]
            cells.append(np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean()))
    f["colourfulness_sd"] = float(np.std(cells)) / 100.0
    return f
