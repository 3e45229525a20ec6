"""What the workbench keeps of a judgment besides the verdict: per-viewport pixels and DOM
summaries (to tell whether a mutant rendered differently from its original, and for the naive
judge), plus small JPEG thumbnails for people to look at."""

from __future__ import annotations

import base64
import hashlib
import io
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image

from benchmarks.validity.models import ViewObs

THUMB = 96
MAX_ELEMENTS = 1500
PIXEL_DELTA = 10  # a thumbnail pixel 'changed' when it moved more than this (of 255)
SHOT_WIDTH = 360


def uniformity(img: Image.Image) -> float:
    """Share of pixels equal (to 1/32 per channel) to the most common colour, at 96x96."""
    small = img.convert("RGB").resize((96, 96), Image.Resampling.BOX)
    px = (np.asarray(small, dtype=np.int16) // 8).reshape(-1, 3)
    _, counts = np.unique(px, axis=0, return_counts=True)
    return float(counts.max() / counts.sum())


def _h(key: str) -> str:
    return hashlib.blake2s(key.encode(), digest_size=4).hexdigest()


def _look(elements) -> list[str]:
    return [
        _h(
            f"{e.tag}|{e.text[:40]}|{e.visible}|{e.disabled}|{e.color}|{e.background}|"
            f"{e.font_size}|{e.opacity}|{e.attrs.get('src', '')[:80]}"
        )
        for e in elements[:MAX_ELEMENTS]
    ]


def _geometry(elements) -> list[str]:
    # 8px cells: sub-cell wobble (fonts, rounding) is not a different rendering.
    return [
        _h(
            f"{e.tag}|{e.text[:20]}|{e.bbox.x // 8:.0f},{e.bbox.y // 8:.0f},{e.bbox.width // 8:.0f},{e.bbox.height // 8:.0f}"
        )
        for e in elements[:MAX_ELEMENTS]
    ]


def views(captures: dict, shots_dir: Path | None, stem: str) -> dict[str, ViewObs]:
    """Summaries of every viewport capture; thumbnails written to `shots_dir/<stem>-<vp>.jpg`."""
    out = {}
    for name, cap in captures.items():
        img = Image.open(io.BytesIO(cap.screenshot)).convert("RGB")
        grey = np.asarray(img.convert("L").resize((THUMB, THUMB), Image.Resampling.BOX))
        out[name] = ViewObs(
            width=cap.width,
            height=cap.height,
            doc_width=cap.doc_width,
            doc_height=cap.doc_height,
            uniformity=round(uniformity(img), 4),
            thumb=base64.b64encode(grey.astype(np.uint8).tobytes()).decode(),
            look=_look(cap.elements),
            geometry=_geometry(cap.elements),
        )
        if shots_dir is not None:
            shots_dir.mkdir(parents=True, exist_ok=True)
            w = min(SHOT_WIDTH, img.width)
            small = img.resize((w, max(1, round(img.height * w / img.width))))
            small.save(shots_dir / f"{stem}-{name}.jpg", quality=70)
    return out


def pixel_diff(a: ViewObs, b: ViewObs) -> float:
    """Share of thumbnail pixels that changed visibly, 0..1."""
    x = np.frombuffer(base64.b64decode(a.thumb), dtype=np.uint8).astype(np.int16)
    y = np.frombuffer(base64.b64decode(b.thumb), dtype=np.uint8).astype(np.int16)
    if x.shape != y.shape:
        return 1.0
    return float((np.abs(x - y) > PIXEL_DELTA).mean())


def _jaccard(a: list[str], b: list[str]) -> float:
    ca, cb = Counter(a), Counter(b)
    union = sum((ca | cb).values())
    return 0.0 if union == 0 else 1 - sum((ca & cb).values()) / union


def look_diff(a: ViewObs, b: ViewObs) -> float:
    """Jaccard distance of the element looks (tag, text, style), 0..1."""
    return _jaccard(a.look, b.look)


def geometry_diff(a: ViewObs, b: ViewObs) -> float:
    """Jaccard distance of the element boxes (8px cells), 0..1."""
    return _jaccard(a.geometry, b.geometry)
