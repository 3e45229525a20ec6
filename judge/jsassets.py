"""JavaScript evaluated in judged pages, with shared helpers inlined once at import time.

A script marks where a helper goes with `/* @include NAME */`; NAME.js is read from
judge/assets/. Inlining (not a page global) keeps the helpers invisible to the page.
"""

from __future__ import annotations

import json
import re
import secrets
from functools import cache
from pathlib import Path
from typing import Any

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


# Large results cross the page boundary as one JSON string: Playwright's own value protocol
# wraps and validates every nested value in Python (a 1,200-element snapshot took 1.3 s of
# Python CPU that way, 0.05 s as JSON). Non-finite numbers, which JSON cannot
# hold, travel as bare NaN/Infinity tokens that Python's json module reads back as floats, so
# the result equals what `page.evaluate` returns (keys whose value is undefined are omitted).
# Their marker carries a fresh random tag, so no string the page writes can turn into a number.
_JSON_WRAP = """async ([arg, tag]) => {{
  const v = await ({src}
  )(arg);
  const s = JSON.stringify(v === undefined ? null : v, (k, x) =>
    typeof x === "number" && !Number.isFinite(x) ? tag + x + tag : x);
  return s.split('"' + tag + "NaN" + tag + '"').join("NaN")
    .split('"' + tag + "Infinity" + tag + '"').join("Infinity")
    .split('"' + tag + "-Infinity" + tag + '"').join("-Infinity");
}}"""


@cache
def as_json(src: str) -> str:
    """A function expression of [arg, tag] returning `src(arg)` serialised as JSON text."""
    return _JSON_WRAP.format(src=src)


async def evaluate_json(target: Any, src: str, arg: Any = None) -> Any:
    """`target.evaluate(src, arg)` (a Page, Frame or Locator) with the result sent as JSON."""
    tag = "~fj" + secrets.token_hex(6) + "~"
    return json.loads(await target.evaluate(as_json(src), [arg, tag]))
