"""JavaScript evaluated in judged pages, with shared helpers inlined once at import time.

A script marks where a helper goes with `/* @include NAME */`; NAME.js is read from
judge/assets/. Inlining (not a page global) keeps the helpers invisible to the page.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

ASSETS = Path(__file__).parent / "assets"
_INCLUDE = re.compile(r"/\* @include ([a-z_]+) \*/")


@cache
def asset(name: str) -> str:
    """The text of assets/NAME.js."""
    return (ASSETS / f"{name}.js").read_text(encoding="utf-8")


def inline(source: str) -> str:
    """`source` with every `/* @include NAME */` replaced by assets/NAME.js."""
    return _INCLUDE.sub(lambda m: asset(m.group(1)), source)


def script(name: str) -> str:
    """assets/NAME.js with its includes inlined."""
    return inline(asset(name))
