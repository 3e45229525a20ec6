"""Colour values as people write them: hex, rgb()/rgba(), hsl()/hsla() and CSS named colours.

Pure functions, no model: `parse_colour` reads one value, `find_colours` finds every colour
written in a piece of text (CSS names only where the text is about colour, see
`judge.spec.derive`), `distance` compares two colours in CIELAB (ΔE76).
"""

from __future__ import annotations

import colorsys
import math
import re

RGB = tuple[int, int, int]

# CSS Color Module Level 4 named colours (transparent and currentColor are not colours).
CSS_NAMES: dict[str, str] = dict(
    pair.split(":")
    for pair in [
        "aliceblue:f0f8ff",
        "antiquewhite:faebd7",
        "aqua:00ffff",
        "aquamarine:7fffd4",
        "azure:f0ffff",
        "beige:f5f5dc",
        "bisque:ffe4c4",
        "black:000000",
        "blanchedalmond:ffebcd",
        "blue:0000ff",
        "blueviolet:8a2be2",
        "brown:a52a2a",
        "burlywood:deb887",
        "cadetblue:5f9ea0",
        "chartreuse:7fff00",
        "chocolate:d2691e",
        "coral:ff7f50",
        "cornflowerblue:6495ed",
        "cornsilk:fff8dc",
        "crimson:dc143c",
        "cyan:00ffff",
        "darkblue:00008b",
        "darkcyan:008b8b",
        "darkgoldenrod:b8860b",
        "darkgray:a9a9a9",
        "darkgreen:006400",
        "darkgrey:a9a9a9",
        "darkkhaki:bdb76b",
        "darkmagenta:8b008b",
        "darkolivegreen:556b2f",
        "darkorange:ff8c00",
        "darkorchid:9932cc",
        "darkred:8b0000",
        "darksalmon:e9967a",
        "darkseagreen:8fbc8f",
        "darkslateblue:483d8b",
        "darkslategray:2f4f4f",
        "darkslategrey:2f4f4f",
        "darkturquoise:00ced1",
        "darkviolet:9400d3",
        "deeppink:ff1493",
        "deepskyblue:00bfff",
        "dimgray:696969",
        "dimgrey:696969",
        "dodgerblue:1e90ff",
        "firebrick:b22222",
        "floralwhite:fffaf0",
        "forestgreen:228b22",
        "fuchsia:ff00ff",
        "gainsboro:dcdcdc",
        "ghostwhite:f8f8ff",
        "gold:ffd700",
        "goldenrod:daa520",
        "gray:808080",
        "green:008000",
        "greenyellow:adff2f",
        "grey:808080",
        "honeydew:f0fff0",
        "hotpink:ff69b4",
        "indianred:cd5c5c",
        "indigo:4b0082",
        "ivory:fffff0",
        "khaki:f0e68c",
        "lavender:e6e6fa",
        "lavenderblush:fff0f5",
        "lawngreen:7cfc00",
        "lemonchiffon:fffacd",
        "lightblue:add8e6",
        "lightcoral:f08080",
        "lightcyan:e0ffff",
        "lightgoldenrodyellow:fafad2",
        "lightgray:d3d3d3",
        "lightgreen:90ee90",
        "lightgrey:d3d3d3",
        "lightpink:ffb6c1",
        "lightsalmon:ffa07a",
        "lightseagreen:20b2aa",
        "lightskyblue:87cefa",
        "lightslategray:778899",
        "lightslategrey:778899",
        "lightsteelblue:b0c4de",
        "lightyellow:ffffe0",
        "lime:00ff00",
        "limegreen:32cd32",
        "linen:faf0e6",
        "magenta:ff00ff",
        "maroon:800000",
        "mediumaquamarine:66cdaa",
        "mediumblue:0000cd",
        "mediumorchid:ba55d3",
        "mediumpurple:9370db",
        "mediumseagreen:3cb371",
        "mediumslateblue:7b68ee",
        "mediumspringgreen:00fa9a",
        "mediumturquoise:48d1cc",
        "mediumvioletred:c71585",
        "midnightblue:191970",
        "mintcream:f5fffa",
        "mistyrose:ffe4e1",
        "moccasin:ffe4b5",
        "navajowhite:ffdead",
        "navy:000080",
        "oldlace:fdf5e6",
        "olive:808000",
        "olivedrab:6b8e23",
        "orange:ffa500",
        "orangered:ff4500",
        "orchid:da70d6",
        "palegoldenrod:eee8aa",
        "palegreen:98fb98",
        "paleturquoise:afeeee",
        "palevioletred:db7093",
        "papayawhip:ffefd5",
        "peachpuff:ffdab9",
        "peru:cd853f",
        "pink:ffc0cb",
        "plum:dda0dd",
        "powderblue:b0e0e6",
        "purple:800080",
        "rebeccapurple:663399",
        "red:ff0000",
        "rosybrown:bc8f8f",
        "royalblue:4169e1",
        "saddlebrown:8b4513",
        "salmon:fa8072",
        "sandybrown:f4a460",
        "seagreen:2e8b57",
        "seashell:fff5ee",
        "sienna:a0522d",
        "silver:c0c0c0",
        "skyblue:87ceeb",
        "slateblue:6a5acd",
        "slategray:708090",
        "slategrey:708090",
        "snow:fffafa",
        "springgreen:00ff7f",
        "steelblue:4682b4",
        "tan:d2b48c",
        "teal:008080",
        "thistle:d8bfd8",
        "tomato:ff6347",
        "turquoise:40e0d0",
        "violet:ee82ee",
        "wheat:f5deb3",
        "white:ffffff",
        "whitesmoke:f5f5f5",
        "yellow:ffff00",
        "yellowgreen:9acd32",
    ]
)

_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)"
HEX_RE = re.compile(r"(?<![\w&])#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})(?![\w-])")
FUNC_RE = re.compile(
    rf"\b(rgba?|hsla?)\(\s*({_NUM}(?:deg|%)?)\s*[, ]\s*({_NUM}%?)\s*[, ]\s*({_NUM}%?)"
    rf"(?:\s*[,/]\s*{_NUM}%?)?\s*\)",
    re.I,
)
NAME_RE = re.compile(r"\b(" + "|".join(sorted(CSS_NAMES, key=len, reverse=True)) + r")\b", re.I)


def _channel(token: str) -> int:
    if token.endswith("%"):
        return round(max(0.0, min(100.0, float(token[:-1]))) * 2.55)
    return round(max(0.0, min(255.0, float(token))))


def _percent(token: str) -> float:
    return max(0.0, min(100.0, float(token.rstrip("%")))) / 100


def parse_colour(text: str) -> RGB | None:
    """One colour value → (r, g, b), or None if `text` is not exactly one colour."""
    t = text.strip()
    if m := HEX_RE.fullmatch(t):
        h = m.group(0)[1:]
        if len(h) in (3, 4):
            h = "".join(c * 2 for c in h[:3])
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
    if m := FUNC_RE.fullmatch(t):
        return _func(m)
    if t.lower() in CSS_NAMES:
        return parse_colour("#" + CSS_NAMES[t.lower()])
    return None


def _func(m: re.Match[str]) -> RGB | None:
    kind, a, b, c = m.group(1).lower(), m.group(2), m.group(3), m.group(4)
    if kind.startswith("rgb"):
        if a.endswith("deg"):
            return None
        return _channel(a), _channel(b), _channel(c)
    hue = float(a.removesuffix("deg").rstrip("%")) % 360 / 360
    r, g, bl = colorsys.hls_to_rgb(hue, _percent(c), _percent(b))
    return round(r * 255), round(g * 255), round(bl * 255)


def find_colours(text: str, *, names: bool) -> list[tuple[int, int, str, RGB]]:
    """(start, end, as written, rgb) of every colour in `text`, in order; CSS names if `names`."""
    found: list[tuple[int, int, str, RGB]] = []
    for m in HEX_RE.finditer(text):
        rgb = parse_colour(m.group(0))
        if rgb is not None:
            found.append((m.start(), m.end(), m.group(0), rgb))
    for m in FUNC_RE.finditer(text):
        rgb = _func(m)
        if rgb is not None:
            found.append((m.start(), m.end(), m.group(0), rgb))
    if names:
        for m in NAME_RE.finditer(text):
            if any(s <= m.start() < e for s, e, _, _ in found):
                continue
            found.append((m.start(), m.end(), m.group(0), parse_colour(m.group(0)) or (0, 0, 0)))
    return sorted(found)


def hex_of(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def css_rgba(value: str | None) -> tuple[int, int, int, float] | None:
    """A computed CSS colour ('rgb(1, 2, 3)', 'rgba(1, 2, 3, 0.5)', 'color(srgb …)') → rgba."""
    if not value:
        return None
    m = re.match(rf"rgba?\(\s*({_NUM})[, ]\s*({_NUM})[, ]\s*({_NUM})(?:\s*[,/]\s*({_NUM}))?", value)
    if m:
        alpha = float(m.group(4)) if m.group(4) is not None else 1.0
        return (*(round(float(m.group(i))) for i in (1, 2, 3)), alpha)  # type: ignore[return-value]
    m = re.match(rf"color\(srgb\s+({_NUM})\s+({_NUM})\s+({_NUM})(?:\s*/\s*({_NUM}))?", value)
    if m:
        alpha = float(m.group(4)) if m.group(4) is not None else 1.0
        return (*(round(float(m.group(i)) * 255) for i in (1, 2, 3)), alpha)  # type: ignore[return-value]
    return None


def _lab(rgb: RGB) -> tuple[float, float, float]:
    def lin(c: float) -> float:
        c /= 255
        return ((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92

    r, g, b = (lin(c) for c in rgb)
    x = (0.412453 * r + 0.357580 * g + 0.180423 * b) / 0.950456
    y = 0.212671 * r + 0.715160 * g + 0.072169 * b
    z = (0.019334 * r + 0.119193 * g + 0.950227 * b) / 1.088754

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def distance(a: RGB, b: RGB) -> float:
    """ΔE76 between two sRGB colours (≈2.3 is a just-noticeable difference)."""
    return math.dist(_lab(a), _lab(b))


def blend(top: tuple[int, int, int, float], under: RGB) -> RGB:
    """A translucent colour composited over an opaque one."""
    r, g, b, a = top
    return (
        round(r * a + under[0] * (1 - a)),
        round(g * a + under[1] * (1 - a)),
        round(b * a + under[2] * (1 - a)),
    )
