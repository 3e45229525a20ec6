"""Visual features against hand-computable images and reference implementations."""

from __future__ import annotations

import colorsys

import numpy as np
import pytest
from matplotlib.colors import rgb_to_hsv as mpl_rgb_to_hsv
from PIL import Image, ImageDraw

from judge.schema import BBox, ElementInfo
from judge.visual import FEATURE_DOCS, image_features
from judge.visual.colour import rgb_to_hsv, rgb_to_lab
from judge.visual.complexity import COMPLEXITY_DOCS, complexity_features, subband_entropy
from judge.visual.features import colourfulness, pixel_features, prepare, quadtree, to_array
from judge.visual.layout import LAYOUT_DOCS, layout_features
from judge.visual.model import NORMS, VisualModel
from judge.visual.text import TEXT_DOCS, text_features


def solid(colour: tuple[int, int, int], size=(400, 300)) -> Image.Image:
    return Image.new("RGB", size, colour)


def page_like(seed: int = 0) -> Image.Image:
    """A white page with a header bar, text-like lines and a coloured 'photo'."""
    rng = np.random.default_rng(seed)
    img = Image.new("RGB", (1024, 768), "white")
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 1024, 80], fill=(30, 60, 120))
    for y in range(140, 700, 24):
        d.text((60, y), "Lorem ipsum dolor sit amet consectetur " * 2, fill=(20, 20, 20))
    photo = (rng.random((200, 300, 3)) * 255).astype(np.uint8)
    img.paste(Image.fromarray(photo), (650, 150))
    return img


def test_hsv_matches_matplotlib():
    a = np.random.default_rng(1).random((50, 50, 3)).astype(np.float32)
    a[0, :4] = [[0, 0, 0], [1, 1, 1], [1, 0, 0], [0.5, 0.5, 0.5]]
    assert np.allclose(rgb_to_hsv(a), mpl_rgb_to_hsv(a), atol=1e-6)


@pytest.mark.parametrize(
    ("rgb", "lab"),
    [((1, 1, 1), (100, 0, 0)), ((0, 0, 0), (0, 0, 0)), ((1, 0, 0), (53.24, 80.09, 67.20))],
)
def test_lab_known_values(rgb, lab):
    out = rgb_to_lab(np.array([[rgb]], dtype=np.float32))[0, 0]
    assert np.allclose(out, lab, atol=0.1)


def test_colourfulness_hasler_susstrunk_by_hand():
    assert colourfulness(to_array(solid((128, 128, 128)))) == pytest.approx(0.0, abs=1e-6)
    # Pure red: rg = 255, yb = 127.5, no spread → 0.3 * hypot(255, 127.5) / 100.
    expected = 0.3 * np.hypot(255, 127.5) / 100
    assert colourfulness(to_array(solid((255, 0, 0)))) == pytest.approx(expected, rel=1e-4)


def test_flat_image_features():
    f = pixel_features(prepare(to_array(solid((255, 255, 255)))))
    assert f["edge_density"] == 0
    assert f["quadtree_leaves"] == 0  # one leaf: log10(1)
    assert f["whitespace_ratio"] == 1
    assert f["blankness"] == 1
    assert f["symmetry_lr"] == 1
    assert f["palette_size"] == 0 and f["dominant_share"] == 1
    assert f["contrast_rms"] == pytest.approx(0, abs=1e-6)


def test_busy_image_is_more_complex_than_page():
    noise = Image.fromarray(
        (np.random.default_rng(0).random((768, 1024, 3)) * 255).astype(np.uint8)
    )
    fp = image_features(page_like())
    fn = image_features(noise)
    assert fn["edge_density"] > fp["edge_density"] > 0
    assert fn["quadtree_leaves"] > fp["quadtree_leaves"] > 0
    assert fp["whitespace_ratio"] > fn["whitespace_ratio"]
    assert fn["palette_size"] > fp["palette_size"]


def test_quadtree_splits_only_where_detail_is():
    g = np.zeros((256, 256), dtype=np.float32)
    g[:128, :128] = np.indices((128, 128)).sum(0) % 2  # checkerboard in one quadrant only
    leaves, _ = quadtree(g, min_size=8)
    # Three flat quadrants stay single leaves; the busy one splits down to 8-px blocks.
    assert leaves == 3 + (128 // 8) ** 2


def test_symmetry_and_balance():
    img = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(img).rectangle([0, 50, 100, 150], fill="black")
    f = pixel_features(prepare(to_array(img)))
    sym = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(sym).rectangle([150, 50, 250, 150], fill="black")
    g = pixel_features(prepare(to_array(sym)))
    assert g["symmetry_lr"] > f["symmetry_lr"]
    assert g["balance_x"] > 0.95 > f["balance_x"]


def test_hue_harmony():
    two = Image.new("RGB", (200, 100), (255, 0, 0))
    ImageDraw.Draw(two).rectangle([100, 0, 200, 100], fill=(0, 255, 255))  # complement
    row = np.array([colorsys.hsv_to_rgb(x / 200, 1, 1) for x in range(200)]) * 255
    rainbow = Image.fromarray(np.repeat(row[None], 100, axis=0).astype(np.uint8))
    f2 = pixel_features(prepare(to_array(two)))
    fr = pixel_features(prepare(to_array(rainbow)))
    f1 = pixel_features(prepare(to_array(solid((255, 0, 0)))))
    assert f2["harmony"] == pytest.approx(1.0, abs=1e-3)
    assert fr["harmony"] < 0.5
    # Circular variance: one hue → 0; hues all round the wheel (or exact complements) → 1.
    assert f1["hue_spread"] == pytest.approx(0, abs=1e-5)
    assert fr["hue_spread"] > 0.9


def test_every_feature_is_documented_and_finite():
    els = [
        ElementInfo(
            selector="h1",
            tag="h1",
            text="Title",
            bbox=BBox(x=40, y=10, width=300, height=40),
            font_family="Inter, sans-serif",
            font_size=32,
        ),
    ]
    f = image_features(page_like(), els)
    named = {k for k in f if not k.startswith("px.")}
    assert named == set(FEATURE_DOCS) | set(LAYOUT_DOCS) | set(COMPLEXITY_DOCS) | set(TEXT_DOCS)
    assert all(np.isfinite(v) for v in f.values())
    assert len([k for k in f if k.startswith("px.")]) > 100
    assert set(NORMS) >= named


def test_features_deterministic():
    assert image_features(page_like(3)) == image_features(page_like(3))


def el(sel, x, y, w, h, text="", tag="p", fam="Inter", size=16.0):
    return ElementInfo(
        selector=sel,
        tag=tag,
        text=text,
        bbox=BBox(x=x, y=y, width=w, height=h),
        font_family=fam,
        font_size=size,
    )


def test_layout_features_by_hand():
    aligned = [el(f"p{i}", 40, 100 + 30 * i, 400, 20, "hello") for i in range(6)]
    f = layout_features(aligned, 1000, 800)
    assert f["align_left_edges"] == pytest.approx(1 / 6)
    assert f["align_grid"] == 1
    assert f["font_families"] == 1 and f["font_sizes"] == 1
    assert f["text_density"] == pytest.approx(30 / 800)
    messy = [
        el(f"p{i}", 13 * i + 5, 100 + 30 * i, 400, 20, "hello", fam=f"F{i % 3}", size=10 + i)
        for i in range(6)
    ]
    g = layout_features(messy + [el("img", 500, 100, 200, 200, tag="img")], 1000, 800)
    assert g["align_left_edges"] > f["align_left_edges"]
    assert g["font_families"] == 3 and g["font_sizes"] == 6
    assert g["image_text_ratio"] == pytest.approx(40000 / (40000 + 6 * 8000))


def test_visual_model_direction():
    model = VisualModel(weights={"edge_density": -1.0, "contrast_rms": 0.5})
    calm = {"edge_density": 0.1, "contrast_rms": 0.3}
    busy = {"edge_density": 0.5, "contrast_rms": 0.3}
    assert model.score(calm) > 0.5 > model.score(busy)
    assert VisualModel(weights={"unknown": 1.0}).score(calm) is None


def test_complexity_features_order_flat_page_and_noise():
    noise = Image.fromarray(
        (np.random.default_rng(1).random((768, 1024, 3)) * 255).astype(np.uint8)
    )
    flat = complexity_features(prepare(to_array(solid((250, 250, 250), (1024, 768)))))
    pg = complexity_features(prepare(to_array(page_like())))
    nz = complexity_features(prepare(to_array(noise)))
    # Compressed size and subband entropy grow with clutter (Miniukovich & De Angeli).
    assert flat["jpeg_bpp"] < pg["jpeg_bpp"] < nz["jpeg_bpp"]
    assert flat["subband_entropy"] < pg["subband_entropy"]
    assert flat["region_count"] == 0 and pg["region_count"] > 0
    # The page's lines of text are found as wide, short, few-colour regions.
    assert pg["text_lines"] > np.log10(1 + 10) and pg["text_area"] > 0.05
    assert flat["symmetry_tb"] == pytest.approx(1.0)
    assert set(pg) == set(COMPLEXITY_DOCS)


def test_subband_entropy_zero_for_flat_lab():
    assert subband_entropy(np.zeros((64, 64, 3), dtype=np.float32)) == 0.0


def test_text_detector_finds_lines_of_text_and_none_on_a_blank_page():
    blank = text_features(solid((255, 255, 255), (1024, 768)))
    assert blank["ocr_text_boxes"] == 0 and blank["ocr_text_area"] == 0
    img = Image.new("RGB", (1024, 768), "white")
    d = ImageDraw.Draw(img)
    from PIL import ImageFont

    font = ImageFont.load_default(size=22)
    for k in range(8):
        d.text(
            (60, 120 + 60 * k), f"Line number {k} of ordinary page text", fill="black", font=font
        )
    f = text_features(img)
    # Eight lines, one left edge: the detector sees them as aligned text boxes.
    assert 5 <= 10 ** f["ocr_text_boxes"] - 1 <= 12
    assert 0.02 < f["ocr_text_area"] < 0.5 and f["ocr_text_align"] <= 0.5
    assert text_features(img) == f  # deterministic
