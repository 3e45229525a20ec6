"""The default visual-score model: rubric weights over robustly standardised features.

score = σ(gain · Σ wᵢ·zᵢ / ‖w‖₂), zᵢ = clip((fᵢ − centreᵢ) / scaleᵢ, −3, 3)

Centres and scales are the median and IQR/1.35 of each feature over 300 real website
screenshots (Reinecke & Gajos 2014); the layout features use hand-set norms. The weights come
from the rubric's `[visual_features]` and the gain from its `visual_gain`; the defaults are
rounded ridge coefficients of the same human appeal ratings on all image features (see
rubrics/screenshot.toml for the fit and its held-out agreement). A calibration file
(`fjudge calibrate fit`) replaces the whole map when applied.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

NORMS: dict[str, tuple[float, float]] = {
    "balance_x": (0.9456, 0.05788),
    "balance_y": (0.9377, 0.07287),
    "blankness": (0.09023, 0.4194),
    "colourfulness": (0.491, 0.2751),
    "contrast_rms": (0.2358, 0.08061),
    "dark_share": (0.03854, 0.07238),
    "dominant_share": (0.443, 0.2288),
    "edge_density": (0.2373, 0.08142),
    "harmony": (0.8953, 0.1551),
    "hue_spread": (0.4026, 0.335),
    "lab_chroma_mean": (0.0993, 0.08024),
    "lab_chroma_std": (0.1646, 0.07791),
    "lab_l_mean": (0.8024, 0.1257),
    "luminance_range": (0.69, 0.2514),
    "palette_size": (5.781, 2.084),
    "photo_block_share": (0.05697, 0.06046),
    "quadtree_depth": (4.709, 0.3516),
    "quadtree_leaves": (2.925, 0.09554),
    "sat_mean": (0.1534, 0.1411),
    "sat_std": (0.2471, 0.1208),
    "symmetry_lr": (0.8534, 0.07306),
    "text_block_share": (0.2196, 0.09975),
    "val_mean": (0.8418, 0.113),
    "val_std": (0.2119, 0.08346),
    "whitespace_ratio": (0.4335, 0.1559),
    # Complexity features (judge/visual/complexity.py): unweighted by default; norms from the
    # same 300 screenshots, used only if a rubric weights them (calibration refits its own).
    "jpeg_bpp": (1.434, 0.3796),
    "subband_entropy": (1.904, 0.5288),
    "region_count": (1.322, 0.2205),
    "region_size_cv": (2.438, 1.042),
    "text_area": (0.04569, 0.05151),
    "text_lines": (0.9542, 0.394),
    "image_area": (0.768, 0.4083),
    "image_regions": (0.15, 0.1112),
    "grid_lines_x": (0.6364, 0.1965),
    "grid_lines_y": (0.6804, 0.167),
    "dominant_colours": (0.45, 0.2039),
    "symmetry_tb": (0.7817, 0.113),
    "figure_ground": (0.2108, 0.08207),
    "edge_density_top": (0.2053, 0.0923),
    "colourfulness_sd": (0.213, 0.1102),
    # Text-detector features (judge/visual/text.py), unweighted by default, norms as above.
    "ocr_text_area": (0.1208, 0.04943),
    "ocr_text_boxes": (1.763, 0.2359),
    "ocr_text_height": (0.01562, 0.001287),
    "ocr_text_height_cv": (0.2162, 0.1083),
    "ocr_text_align": (0.4, 0.1564),
    "ocr_text_top": (0.2308, 0.1198),
    "ocr_headline_share": (0.006858, 0.01951),
    "ocr_text_pixels": (0.07305, 0.03099),
    # Layout features (pages only): hand-set norms for typical landing pages.
    "align_left_edges": (0.3, 0.15),
    "align_grid": (0.6, 0.2),
    "font_families": (2.0, 1.0),
    "font_sizes": (5.0, 2.0),
    "text_density": (1.0, 0.7),
    "image_text_ratio": (0.3, 0.2),
    "element_count": (1.8, 0.4),
}


@dataclass(frozen=True)
class VisualModel:
    """Weights (and optionally norms) of the visual score."""

    weights: dict[str, float]
    norms: dict[str, tuple[float, float]] = field(default_factory=lambda: dict(NORMS))
    gain: float = 1.5

    def contributions(self, features: dict[str, float]) -> dict[str, float]:
        """wᵢ·zᵢ for every weighted feature present (missing or unnormed ones are skipped)."""
        out = {}
        for name, w in self.weights.items():
            if name not in features or name not in self.norms or w == 0:
                continue
            centre, scale = self.norms[name]
            z = (features[name] - centre) / (scale or 1.0)
            out[name] = w * max(-3.0, min(3.0, z))
        return out

    def score(self, features: dict[str, float]) -> float | None:
        """Visual score in (0, 1), or None when no weighted feature is available."""
        parts = self.contributions(features)
        if not parts:
            return None
        norm = math.sqrt(sum(self.weights[n] ** 2 for n in parts)) or 1.0
        s = self.gain * sum(parts.values()) / norm
        return 1.0 / (1.0 + math.exp(-s))
