"""Screenshots decoded once per judgment, shared by every check that reads pixels.

Decoding a 1440×900 PNG costs tens of milliseconds, and the blank, contrast, palette and
visual checks each read every viewport's capture: decoding once instead of per check was a
tenth of a page's CPU time. The cache is keyed by the PNG bytes themselves (their hash is
computed once per bytes object), so a capture can never be served another capture's pixels;
it holds a few judgments' worth, which is what concurrent workers need.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

CACHED = 12  # 3 viewports x 2 workers, twice over


@lru_cache(maxsize=CACHED)
def decoded(png: bytes) -> Image:
    """The screenshot as a loaded RGB image. Shared: callers derive new images, never mutate."""
    from PIL import Image as PILImage

    img = PILImage.open(io.BytesIO(png))
    img.load()
    return img if img.mode == "RGB" else img.convert("RGB")
