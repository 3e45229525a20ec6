"""The visual checks on image inputs (a CheckContext built as the pipeline builds it)."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

import judge.checks.visual as visual
from judge.checks.base import CheckContext
from judge.schema import PageEvents, ViewportCapture
from rubrics import load_rubric


def png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def ctx_for(img: Image.Image) -> CheckContext:
    cap = ViewportCapture(name="image", width=img.width, height=img.height, screenshot=png(img))
    return CheckContext(
        rubric=load_rubric("screenshot"), captures={"image": cap}, events=PageEvents()
    )


def text_page(fg: tuple[int, int, int]) -> Image.Image:
    img = Image.new("RGB", (1024, 768), "white")
    d = ImageDraw.Draw(img)
    for y in range(60, 700, 20):
        d.text((40, y), "The quick brown fox jumps over the lazy dog 0123456789 " * 3, fill=fg)
    return img


async def test_visual_quality_fills_features_and_scores():
    ctx = ctx_for(text_page((0, 0, 0)))
    [res] = await visual.visual_quality(ctx)
    assert res.id == "visual.quality" and res.dimension == "visual"
    assert 0 < res.score < 1
    assert "edge_density" in ctx.features
    assert set(res.data["contributions"]) <= set(load_rubric("screenshot").visual_features)


async def test_blank_image_scores_zero_and_page_scores_one():
    [blank] = await visual.blank_image(ctx_for(Image.new("RGB", (800, 600), (250, 250, 250))))
    [page] = await visual.blank_image(ctx_for(text_page((0, 0, 0))))
    assert blank.score == 0 and blank.severity == "critical"
    assert page.score == 1


async def test_image_contrast_separates_dark_from_pale_text():
    [dark] = await visual.image_contrast(ctx_for(text_page((0, 0, 0))))
    [pale] = await visual.image_contrast(ctx_for(text_page((200, 200, 200))))
    assert dark.score > 0.9
    assert pale.score < 0.5 < dark.score
    assert pale.data["share_below_aa"] > 0.9


async def test_image_contrast_unscored_without_text():
    [res] = await visual.image_contrast(ctx_for(Image.new("RGB", (400, 300), "white")))
    assert res.score is None


@pytest.mark.parametrize("rubric", ["screenshot", "frontend"])
def test_rubric_weights_name_documented_features(rubric):
    from judge.visual.model import NORMS

    assert set(load_rubric(rubric).visual_features) <= set(NORMS)
