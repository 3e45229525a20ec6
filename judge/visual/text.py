"""Text regions from a real text detector: PP-OCRv4's DB detection network (4.7 MB ONNX).

The model file ships inside the `rapidocr-onnxruntime` wheel and runs on `onnxruntime` (CPU,
one thread, ~0.25 s per screenshot at 768 px wide); nothing is downloaded at run time, and the
rapidocr package itself is never imported (it would pull OpenCV into the process). Only the
detector's probability map is used: text regions are its connected components above 0.3.
Text area, number of text groups and their alignment are among the strongest predictors in
Reinecke & Gajos' appeal models; the block heuristics in features.py only approximate them.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from scipy import ndimage

if TYPE_CHECKING:
    from PIL.Image import Image

TEXT_DOCS: dict[str, str] = {
    "ocr_text_area": "Share of the image inside detected text boxes (PP-OCRv4 detector).",
    "ocr_text_boxes": "log10(1 + number of detected text boxes).",
    "ocr_text_height": "Median text-box height as a share of the image height.",
    "ocr_text_height_cv": "Coefficient of variation of text-box heights (typographic range).",
    "ocr_text_align": "Distinct left edges of text boxes (12-px bins) per box: lower = aligned.",
    "ocr_text_top": "Share of text boxes in the top quarter of the image.",
    "ocr_headline_share": "Share of text boxes at least twice the median height (headlines).",
    "ocr_text_pixels": "Share of pixels the detector marks as text.",
}
MODEL = "models/ch_PP-OCRv4_det_infer.onnx"
WIDTH = 768
_lock = threading.Lock()
_session = None


class TextDetectorUnavailable(RuntimeError):
    """onnxruntime or the detector model is not installed (see pyproject dependencies)."""


def model_path() -> Path:
    """The detector model inside the installed rapidocr-onnxruntime package (not imported)."""
    spec = importlib.util.find_spec("rapidocr_onnxruntime")
    if spec is None or not spec.submodule_search_locations:
        raise TextDetectorUnavailable("rapidocr-onnxruntime is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL
    if not path.is_file():
        raise TextDetectorUnavailable(f"text detector model missing: {path}")
    return path


def _get_session():  # type: ignore[no-untyped-def]
    global _session
    with _lock:
        if _session is None:
            try:
                import onnxruntime as ort
            except ImportError as exc:
                raise TextDetectorUnavailable("onnxruntime is not installed") from exc
            opts = ort.SessionOptions()
            # One thread: the judge already runs several pages at once; determinism too.
            opts.intra_op_num_threads = 1
            opts.inter_op_num_threads = 1
            _session = ort.InferenceSession(
                str(model_path()), opts, providers=["CPUExecutionProvider"]
            )
        return _session


def text_probability(image: Image, width: int = WIDTH) -> np.ndarray:
    """The detector's per-pixel text probability at `width` px wide (height a multiple of 32)."""
    from PIL import Image as PILImage

    rgb = image.convert("RGB")
    h = max(32, round(rgb.height * width / max(1, rgb.width) / 32) * 32)
    a = np.asarray(rgb.resize((width, h), PILImage.Resampling.BILINEAR), dtype=np.float32)
    x = ((a[..., ::-1] / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)[None].astype(np.float32)  # BGR
    sess = _get_session()
    return sess.run(None, {sess.get_inputs()[0].name: x})[0][0, 0]


def text_features(image: Image) -> dict[str, float]:
    """The features in TEXT_DOCS."""
    p = text_probability(image)
    h, w = p.shape
    mask = p > 0.3
    labels, _ = ndimage.label(ndimage.binary_dilation(mask, np.ones((3, 3))))
    boxes = [s for s in ndimage.find_objects(labels) if s is not None]
    boxes = [s for s in boxes if s[0].stop - s[0].start >= 4 and s[1].stop - s[1].start >= 6]
    hs = np.array([s[0].stop - s[0].start for s in boxes], dtype=float) if boxes else np.zeros(1)
    area = sum((s[0].stop - s[0].start) * (s[1].stop - s[1].start) for s in boxes)
    ys = np.array([(s[0].start + s[0].stop) / 2 / h for s in boxes]) if boxes else np.zeros(0)
    med = float(np.median(hs))
    return {
        "ocr_text_area": float(area / (h * w)),
        "ocr_text_boxes": float(np.log10(1 + len(boxes))),
        "ocr_text_height": med / h,
        "ocr_text_height_cv": float(hs.std() / hs.mean()) if hs.mean() > 0 else 0.0,
        "ocr_text_align": len({s[1].start // 12 for s in boxes}) / max(1, len(boxes)),
        "ocr_text_top": float((ys < 0.25).mean()) if len(ys) else 0.0,
        "ocr_headline_share": sum(hh >= 2 * med for hh in hs) / max(1, len(boxes))
        if boxes
        else 0.0,
        "ocr_text_pixels": float(mask.mean()),
    }
