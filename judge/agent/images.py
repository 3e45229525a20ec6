"""Screenshots for the model: downscaled/cropped with Pillow, deduplicated, token-estimated.

Token estimate: OpenAI's published formula for vision input. `low`: 85 tokens flat. `high`:
fit within 2048x2048, then shrink so the short side is at most 768, then 85 + 170 per 512 px tile.
We downscale *before* sending so the provider never bills for pixels the judge does not need.
"""

from __future__ import annotations

import base64
import hashlib
import io
import math
from dataclasses import dataclass, field
from typing import Literal

from PIL import Image

from judge.schema import BBox, ViewportCapture

Detail = Literal["low", "high"]

# Long-side caps: high keeps text legible in 2 tiles for a desktop viewport; low matches the
# 512x512 the provider downsamples to anyway.
LONG_SIDE = {"high": 768, "low": 512}
SHEET_HEIGHT = {"high": 512, "low": 512}
SHEET_GAP = 8


def image_tokens(width: int, height: int, detail: Detail) -> int:
    """Estimated input tokens of one image (OpenAI's published formula)."""
    if detail == "low":
        return 85
    w, h = float(width), float(height)
    if max(w, h) > 2048:
        s = 2048 / max(w, h)
        w, h = w * s, h * s
    if min(w, h) > 768:
        s = 768 / min(w, h)
        w, h = w * s, h * s
    tiles = math.ceil(w / 512) * math.ceil(h / 512)
    return 85 + 170 * tiles


@dataclass(frozen=True)
class AgentImage:
    """An image as sent to the model, identified by the hash of its bytes."""

    sha256: str
    png: bytes = field(repr=False)
    width: int
    height: int
    detail: Detail
    tokens: int

    def data_url(self) -> str:
        """The image as a data: URL for an `image_url` content part."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode()

    def part(self) -> dict:
        """The Chat Completions content part."""
        return {"type": "image_url", "image_url": {"url": self.data_url(), "detail": self.detail}}


def _encode(img: Image.Image, detail: Detail) -> AgentImage:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    png = buf.getvalue()
    return AgentImage(
        sha256=hashlib.sha256(png).hexdigest(),
        png=png,
        width=img.width,
        height=img.height,
        detail=detail,
        tokens=image_tokens(img.width, img.height, detail),
    )


def _fit(img: Image.Image, long_side: int) -> Image.Image:
    scale = long_side / max(img.width, img.height)
    if scale >= 1:
        return img
    size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
    return img.resize(size, Image.Resampling.LANCZOS)


class ImageStore:
    """Prepares images once per (source bytes, crop, detail) and reuses them across runs."""

    def __init__(self, detail: Detail) -> None:
        self.detail: Detail = detail
        self._memo: dict[str, AgentImage] = {}
        self.prepared = 0  # how many times Pillow actually ran (reuse shows as a low number)

    def _key(self, *parts: object) -> str:
        h = hashlib.sha256()
        for p in parts:
            h.update(p if isinstance(p, bytes) else repr(p).encode())
        return h.hexdigest()

    def screenshot(self, png: bytes, crop: BBox | None = None) -> AgentImage:
        """Downscale (and optionally crop to `crop`, viewport coordinates) a PNG screenshot."""
        key = self._key(png, crop, self.detail)
        if key not in self._memo:
            self.prepared += 1
            with Image.open(io.BytesIO(png)) as src:
                img = src.convert("RGB")
            if crop is not None:
                box = (
                    max(0, int(crop.x)),
                    max(0, int(crop.y)),
                    min(img.width, int(math.ceil(crop.x + crop.width))),
                    min(img.height, int(math.ceil(crop.y + crop.height))),
                )
                if box[2] > box[0] and box[3] > box[1]:
                    img = img.crop(box)
            self._memo[key] = _encode(_fit(img, LONG_SIDE[self.detail]), self.detail)
        return self._memo[key]

    def contact_sheet(self, captures: dict[str, ViewportCapture]) -> AgentImage:
        """All viewports side by side at one height: one cheap image for the first look."""
        key = self._key(*(c.screenshot for c in captures.values()), "sheet", self.detail)
        if key not in self._memo:
            self.prepared += 1
            height = SHEET_HEIGHT[self.detail]
            tiles = []
            for cap in captures.values():
                with Image.open(io.BytesIO(cap.screenshot)) as src:
                    img = src.convert("RGB")
                w = max(1, round(img.width * height / img.height))
                tiles.append(img.resize((w, height), Image.Resampling.LANCZOS))
            width = sum(t.width for t in tiles) + SHEET_GAP * max(0, len(tiles) - 1)
            sheet = Image.new("RGB", (width, height), (128, 128, 128))
            x = 0
            for t in tiles:
                sheet.paste(t, (x, 0))
                x += t.width + SHEET_GAP
            cap = 2048 if self.detail == "high" else LONG_SIDE["low"]
            self._memo[key] = _encode(_fit(sheet, cap), self.detail)
        return self._memo[key]
