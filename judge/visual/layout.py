"""Layout-geometry and typography features from rendered element boxes (`ElementInfo`)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from judge.schema import ElementInfo

LAYOUT_DOCS: dict[str, str] = {
    "align_left_edges": "Distinct left edges (4-px bins) per visible box, 0..1 (lower = aligned).",
    "align_grid": "Share of visible boxes whose left edge is on one of the 5 commonest edges.",
    "font_families": "Number of distinct first font families among text elements.",
    "font_sizes": "Number of distinct font sizes (rounded px) among text elements.",
    "text_density": "Characters of visible text per 1000 px² of viewport.",
    "image_text_ratio": "Visible image/video/canvas/svg area ÷ (image + text box area).",
    "element_count": "log10(1 + number of visible boxes in the viewport).",
}

_MEDIA = {"img", "video", "canvas", "svg", "picture"}


def _family(value: str | None) -> str | None:
    """First family of a CSS font-family list, lower-cased."""
    if not value:
        return None
    return value.split(",")[0].strip().strip("'\"").lower() or None


def layout_features(elements: list[ElementInfo], width: float, height: float) -> dict[str, float]:
    """The features in LAYOUT_DOCS, over visible elements inside the viewport."""
    vis = [
        e
        for e in elements
        if e.visible and e.in_viewport and e.bbox.width >= 1 and e.bbox.height >= 1
    ]
    f: dict[str, float] = {"element_count": float(np.log10(1 + len(vis)))}
    lefts = [round(e.bbox.x / 4) for e in vis]
    if lefts:
        counts = Counter(lefts)
        f["align_left_edges"] = len(counts) / len(lefts)
        f["align_grid"] = sum(c for _, c in counts.most_common(5)) / len(lefts)
    else:
        f["align_left_edges"], f["align_grid"] = 0.0, 1.0
    texty = [e for e in vis if e.text.strip()]
    f["font_families"] = float(len({_family(e.font_family) for e in texty} - {None}))
    f["font_sizes"] = float(len({round(e.font_size) for e in texty if e.font_size}))
    chars = sum(len(e.text) for e in texty)
    f["text_density"] = chars / max(1.0, width * height / 1000.0)
    media = sum(e.bbox.width * e.bbox.height for e in vis if e.tag.lower() in _MEDIA)
    text_area = sum(e.bbox.width * e.bbox.height for e in texty)
    f["image_text_ratio"] = media / (media + text_area) if media + text_area > 0 else 0.0
    return f
