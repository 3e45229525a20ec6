"""Visual-feature benchmark: ms per 1440×900 screenshot, as a ratio to decoding its PNG.

    python -m benchmarks.visual_bench [--n 20]

The baseline (PIL decode + RGB conversion of the same PNG) is measured in the same run.
"""

from __future__ import annotations

import argparse
import io
import time

import numpy as np
from PIL import Image, ImageDraw

from judge.visual import image_features


def screenshot(seed: int) -> bytes:
    """A synthetic 1440×900 page: header, text lines, a photo-like block."""
    rng = np.random.default_rng(seed)
    img = Image.new("RGB", (1440, 900), "white")
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 1440, 90], fill=tuple(rng.integers(0, 255, 3).tolist()))
    for y in range(130, 860, 22):
        d.text(
            (80, y), "Lorem ipsum dolor sit amet, consectetur adipiscing " * 3, fill=(30, 30, 30)
        )
    img.paste(Image.fromarray((rng.random((300, 400, 3)) * 255).astype(np.uint8)), (960, 160))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def main() -> None:
    """Print per-screenshot times and the ratio to the decode baseline."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20)
    n = ap.parse_args().n
    pngs = [screenshot(i) for i in range(n)]
    image_features(Image.open(io.BytesIO(pngs[0])))  # warm imports
    t = time.perf_counter()
    for p in pngs:
        Image.open(io.BytesIO(p)).convert("RGB").load()
    decode = (time.perf_counter() - t) / n
    t = time.perf_counter()
    for p in pngs:
        image_features(Image.open(io.BytesIO(p)))
    feats = (time.perf_counter() - t) / n
    print(f"decode baseline   {decode * 1000:7.1f} ms/screenshot")
    print(
        f"visual features   {feats * 1000:7.1f} ms/screenshot (decode included) = {feats / decode:.1f}× decode"
    )


if __name__ == "__main__":
    main()
