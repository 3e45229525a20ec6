"""Visual-quality checks from pixels and element boxes (pages and image inputs).

- visual.quality: features of the desktop capture (or the image) → ctx.features,
  scored by the rubric's [visual_features] weights through judge.visual.model.VisualModel.
- render.blank_image: an image input that is (nearly) one flat colour.
- accessibility.image_contrast: WCAG contrast estimated in text-like blocks of an image input.
"""

from __future__ import annotations

import asyncio

import numpy as np

from judge.checks.base import CheckContext, check, result
from judge.checks.pixels import decoded
from judge.schema import CheckResult, Evidence, ViewportCapture


def _main_capture(ctx: CheckContext) -> ViewportCapture | None:
    """The capture the visual features describe: the image, else desktop, else the widest."""
    if not ctx.captures:
        return None
    for name in ("image", "desktop"):
        if name in ctx.captures:
            return ctx.captures[name]
    return max(ctx.captures.values(), key=lambda c: c.width)


def _features(cap: ViewportCapture, with_layout: bool) -> dict[str, float]:
    from judge.visual.features import image_features

    elements = [e for e in cap.elements if e.in_viewport] if with_layout else None
    return image_features(decoded(cap.screenshot), elements)


@check("visual.quality", "visual", phase="capture", kinds=("page", "image"))
async def visual_quality(ctx: CheckContext) -> list[CheckResult]:
    """Compute visual features and score them with the rubric's feature weights."""
    from judge.visual.model import VisualModel

    cap = _main_capture(ctx)
    if cap is None or not cap.screenshot:
        return [result("visual.quality", "visual", None, "no screenshot to judge")]
    with_layout = ctx.page is not None or bool(cap.elements)
    # Pixel work is CPU-bound numpy: keep it off the event loop.
    feats = await asyncio.to_thread(_features, cap, with_layout)
    ctx.features.update(feats)
    model = VisualModel(weights=dict(ctx.rubric.visual_features), gain=ctx.rubric.visual_gain)
    score = model.score(feats)
    if score is None:
        return [
            result(
                "visual.quality",
                "visual",
                None,
                "the rubric weights no visual feature",
                viewport=cap.name,
            )
        ]
    parts = model.contributions(feats)
    ranked = sorted(parts.items(), key=lambda kv: kv[1])
    worst = ranked[:3]
    best = sorted(parts.items(), key=lambda kv: -kv[1])[:3]
    msg = _visual_message(cap.name, ranked[:5], feats, model.norms)
    return [
        result(
            "visual.quality",
            "visual",
            score,
            msg,
            viewport=cap.name,
            severity="minor" if score < 0.35 else "info",
            evidence=[Evidence(viewport=cap.name, detail=f"{k}={feats[k]:.3f}") for k, _ in worst],
            data={
                "contributions": {k: round(v, 4) for k, v in parts.items()},
                "best": [k for k, _ in best],
            },
        )
    ]


# Plain words for the features a visual score can be lowered by: (too high, too low, fix).
# `{v}` is the measured value and `{typ}` the typical range (interquartile range of real
# websites, judge.visual.model.NORMS), both in the feature's own unit (see _UNITS).
_WORDS: dict[str, tuple[str, str, str]] = {
    "edge_density": (
        "very busy: {v} of the area is edges/text; typical pages {typ}",
        "very sparse: only {v} of the area has edges or text; typical pages {typ}",
        "fewer borders and dividers, more whitespace between sections",
    ),
    "text_block_share": (
        "text-heavy: {v} of the screen looks like dense text; typical pages {typ}",
        "little readable text: {v} of the screen is text; typical pages {typ}",
        "break long text into shorter sections with headings",
    ),
    "lab_chroma_std": (
        "colour strength varies a lot (chroma spread {v}; typical {typ}): loud and muted "
        "colours compete",
        "colour strength is flat (chroma spread {v}; typical {typ})",
        "keep one or two accent colours and mute the rest",
    ),
    "balance_x": (
        "evenly weighted left to right (balance {v}; typical {typ})",
        "lopsided: the visual weight sits to one side (balance {v}; typical {typ})",
        "centre the main content or balance the columns",
    ),
    "balance_y": (
        "evenly weighted top to bottom (balance {v}; typical {typ})",
        "top- or bottom-heavy (vertical balance {v}; typical {typ})",
        "spread content over the screen height",
    ),
    "dominant_share": (
        "one flat colour covers {v} of the screen (typical {typ}): large empty areas",
        "no calm background: the most common colour covers only {v} (typical {typ})",
        "give the page one calm background colour",
    ),
    "contrast_rms": (
        "harsh contrast (luminance spread {v}; typical {typ})",
        "low contrast overall (luminance spread {v}; typical {typ}): washed out",
        "darker text and clearer light/dark separation between sections",
    ),
    "palette_size": (
        "many colours: {v} colour(s) cover 90% of the page (typical {typ})",
        "very few colours: {v} colour(s) cover 90% of the page (typical {typ})",
        # The map penalises too few colours (its weight is positive): the fix is for that.
        "lighter and darker steps of your colours for section backgrounds, borders and one "
        "accent, or an image",
    ),
    "val_std": (
        "strong light/dark swings (brightness spread {v}; typical {typ})",
        "flat brightness: little light/dark structure (spread {v}; typical {typ})",
        "separate sections with background shades or images",
    ),
    "quadtree_depth": (
        "fine detail everywhere (detail depth {v}; typical {typ})",
        "large plain areas with little detail (detail depth {v}; typical {typ})",
        "fill empty areas with content, imagery or structure",
    ),
    "photo_block_share": (
        "photo-heavy: {v} of the screen is photographic (typical {typ})",
        "no imagery: {v} of the screen is photographic (typical {typ})",
        "fewer or smaller photos",
    ),
    "hue_spread": (
        "many different hues (hue spread {v}; typical {typ})",
        "a single hue (hue spread {v}; typical {typ})",
        "stick to a few related hues",
    ),
    "colourfulness": (
        "very colourful (colourfulness {v}; typical {typ})",
        "dull, nearly colourless (colourfulness {v}; typical {typ})",
        "add an accent colour",
    ),
    "blankness": (
        "mostly empty: {v} of the screen is one plain colour (typical {typ})",
        "hardly any plain background: {v} (typical {typ})",
        "put content where the screen is empty",
    ),
    "edge_density_top": (
        "busy top band: {v} of the top fifth is edges/text; typical pages {typ}",
        "an empty top band: {v} of the top fifth has edges or text; typical pages {typ}",
        "a calmer header: fewer items, more space around them",
    ),
    "jpeg_bpp": (
        "visually dense: {v} bits per pixel compressed; typical pages {typ}",
        "very plain: {v} bits per pixel compressed; typical pages {typ}",
        "fewer textures, gradients and small details competing for attention",
    ),
    "region_count": (
        "many separate visual objects ({v}; typical {typ})",
        "few visual objects ({v}; typical {typ}): the screen reads as one or two blocks",
        "give the screen a few clear groups (header, content, actions)",
    ),
    "ocr_text_boxes": (
        "many separate pieces of text ({v} text boxes; typical {typ})",
        "very little text ({v} text boxes; typical {typ})",
        "group text into fewer, larger blocks",
    ),
    "ocr_text_area": (
        "text covers {v} of the screen (typical {typ})",
        "text covers only {v} of the screen (typical {typ})",
        "less text per screen, more space around it",
    ),
    "text_lines": (
        "many lines of text ({v}; typical {typ})",
        "few lines of text ({v}; typical {typ})",
        "say what the page is for in a heading and a line or two",
    ),
    "lab_chroma_mean": (
        "strongly saturated colours (mean chroma {v}; typical {typ})",
        "muted colours (mean chroma {v}; typical {typ})",
        "mute large areas; keep strong colour for accents",
    ),
    "luminance_range": (
        "extreme light/dark range ({v}; typical {typ})",
        "narrow light/dark range ({v}; typical {typ}): flat",
        "clearer light/dark separation between text, sections and background",
    ),
    "align_left_edges": (
        "misaligned: text blocks start at many different left edges ({v}; typical {typ})",
        "very uniform left edges ({v}; typical {typ})",
        "align blocks to a few shared left edges (a grid)",
    ),
    "font_families": (
        "{v} font families (typical {typ})",
        "{v} font family (typical {typ})",
        "use one or two font families",
    ),
    "font_sizes": (
        "{v} different font sizes (typical {typ})",
        "{v} font sizes (typical {typ})",
        "use a small type scale (4–6 sizes)",
    ),
}
# How a feature's value reads: share → percent, log2 count → count, count → integer.
_UNITS = {
    "edge_density": "share",
    "text_block_share": "share",
    "dominant_share": "share",
    "photo_block_share": "share",
    "blankness": "share",
    "align_left_edges": "share",
    "palette_size": "log2",
    "font_families": "count",
    "font_sizes": "count",
    "ocr_text_area": "share",
    "edge_density_top": "share",
    "region_count": "log10",
    "ocr_text_boxes": "log10",
    "text_lines": "log10",
}


def _fmt(name: str, x: float) -> str:
    unit = _UNITS.get(name)
    if unit == "share":
        return f"{max(0.0, x):.0%}"
    if unit == "log2":
        return f"{2**x:.0f}"
    if unit == "log10":  # log10(1 + count)
        return f"{max(0.0, 10**x - 1):.0f}"
    if unit == "count":
        return f"{max(0.0, x):.0f}"
    return f"{x:.2f}"


def _typical(name: str, norm: tuple[float, float]) -> str:
    """The middle half of real websites: median ± 0.674·(IQR/1.35)."""
    centre, scale = norm
    lo, hi = centre - 0.674 * scale, centre + 0.674 * scale
    return f"{_fmt(name, lo)}–{_fmt(name, hi)}"


def finding_text(name: str, value: float, norm: tuple[float, float], high: bool) -> str:
    """What one feature says about the page, in plain words, with the typical range."""
    v, typ = _fmt(name, value), _typical(name, norm)
    words = _WORDS.get(name)
    if words is None:
        from judge.visual.features import feature_doc

        doc = feature_doc(name).rstrip(".")
        return f"{name} is {'high' if high else 'low'} ({v}; typical {typ}): {doc}"
    return (words[0] if high else words[1]).format(v=v, typ=typ)


def _visual_message(
    viewport: str,
    worst: list[tuple[str, float]],
    feats: dict[str, float],
    norms: dict[str, tuple[float, float]],
) -> str:
    """'desktop, above the fold: very busy: 41% of the area is edges/text; typical pages
    18–29% (fix: …)' for the (up to two) features that lower the score most."""
    where = "the image" if viewport == "image" else f"{viewport}, above the fold"
    # Explained in plain words where the map has them: a fitted map also weighs features whose
    # direction only makes sense beside the others (ridge shares weight among correlated ones).
    neg = [(k, v) for k, v in worst if v < 0]
    bad = ([kv for kv in neg if kv[0] in _WORDS] or neg)[:2]
    if not bad:
        return f"{where}: no visual feature lowers the score"
    parts = []
    for i, (name, _) in enumerate(bad):
        centre = norms[name][0]
        text = finding_text(name, feats[name], norms[name], feats[name] > centre)
        fix = _WORDS[name][2] if name in _WORDS and i == 0 else ""  # one fix: the main one
        parts.append(text + (f" (fix: {fix})" if fix else ""))
    return f"{where}: " + "; also ".join(parts)


def _small_rgb(png: bytes, width: int) -> np.ndarray:
    from judge.visual.features import to_array

    img = decoded(png)
    return to_array(img, min(width, img.width))


def blank_stats(rgb: np.ndarray) -> tuple[float, float]:
    """Share of pixels within 0.03 of the median colour, and the luminance std."""
    median = np.median(rgb[::4, ::4].reshape(-1, 3), axis=0)
    flat = float((np.abs(rgb - median).max(axis=2) < 0.03).mean())
    return flat, float(rgb.mean(axis=2).std())


@check("render.blank_image", "render", phase="capture", kinds=("image",))
async def blank_image(ctx: CheckContext) -> list[CheckResult]:
    """An image input that is one flat colour (or nearly) scores 0 on render."""
    cap = _main_capture(ctx)
    if cap is None or not cap.screenshot:
        return [result("render.blank_image", "render", None, "no image")]
    rgb = await asyncio.to_thread(_small_rgb, cap.screenshot, 256)
    flat, std = blank_stats(rgb)
    # Pages with a little content on a plain background are normal (flat ≈ 0.6–0.9);
    # only above 97% flat does the image start to look empty.
    score = 0.0 if std < 0.005 else float(np.clip((0.995 - flat) / (0.995 - 0.97), 0, 1))
    blank = score < 0.5
    return [
        result(
            "render.blank_image",
            "render",
            score,
            f"image is {flat:.1%} one colour" + (" (blank)" if blank else ""),
            viewport=cap.name,
            severity="critical" if blank else "info",
            data={"flat_share": round(flat, 4), "luminance_std": round(std, 4)},
        )
    ]


def relative_luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of sRGB values in [0, 1]."""
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return lin @ np.array([0.2126, 0.7152, 0.0722])


def text_contrast(rgb: np.ndarray, block: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """WCAG contrast ratio (98th vs 2nd luminance percentile) of each text-like block, and its mask."""
    from judge.visual.features import blocks, gradient, grey, quantise

    mag, _ = gradient(grey(rgb))
    edge_share = blocks(mag > 0.1, block).mean(axis=(2, 3))
    codes = blocks(quantise(rgb, 3), block)
    flat = np.sort(codes.reshape(codes.shape[0], codes.shape[1], -1), axis=2)
    ncol = 1 + (np.diff(flat, axis=2) != 0).sum(axis=2)
    mask = (edge_share > 0.15) & (ncol <= 8)
    lum = blocks(relative_luminance(rgb), block)
    lum = lum.reshape(lum.shape[0], lum.shape[1], -1)
    lo, hi = np.percentile(lum, 2, axis=2), np.percentile(lum, 98, axis=2)
    return (hi + 0.05) / (lo + 0.05), mask


@check("accessibility.image_contrast", "accessibility", phase="capture", kinds=("image",))
async def image_contrast(ctx: CheckContext) -> list[CheckResult]:
    """Estimated text contrast of an image: share of text-like blocks reaching WCAG AA (4.5:1)."""
    cap = _main_capture(ctx)
    if cap is None or not cap.screenshot:
        return [result("accessibility.image_contrast", "accessibility", None, "no image")]
    # Full resolution up to 1440 px: downsampling blurs glyphs and understates contrast.
    rgb = await asyncio.to_thread(_small_rgb, cap.screenshot, 1440)
    ratio, mask = text_contrast(rgb)
    if mask.sum() < 4:
        return [
            result(
                "accessibility.image_contrast",
                "accessibility",
                None,
                "no text-like region found to estimate contrast",
                viewport=cap.name,
            )
        ]
    r = ratio[mask]
    # Per block: 1 at ≥ 4.5:1, falling on a log scale to 0 at 1:1.
    per = np.clip(np.log(r) / np.log(4.5), 0, 1)
    score = float(per.mean())
    low = float((r < 4.5).mean())
    return [
        result(
            "accessibility.image_contrast",
            "accessibility",
            score,
            f"{low:.0%} of text-like regions are below 4.5:1 (median {np.median(r):.1f}:1)",
            viewport=cap.name,
            severity="major" if low > 0.5 else "minor" if low > 0.2 else "info",
            data={
                "text_blocks": int(mask.sum()),
                "median_ratio": round(float(np.median(r)), 2),
                "share_below_aa": round(low, 4),
            },
        )
    ]
