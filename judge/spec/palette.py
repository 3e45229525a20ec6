"""Colours and fonts a prompt names, with their roles.

Hex, rgb() and hsl() values are taken wherever they appear (outside a negation); CSS colour
names only where the clause talks about colour (so "white space" is not a colour). A role
comes from the clause's label ("Background: #fff") or from the role word in the same segment
("#111 text", "accent #e4572e"); without one the colour's role is "any". Fonts are families
from a list of well-known faces (matched with their capitalisation), CSS `font-family`
declarations, "set in X" / "typeface: X" phrases, and the generics (monospace, serif,
sans-serif) when the clause is about type.
"""

from __future__ import annotations

import re

from judge.schema.spec import SpecColour, SpecFont
from judge.spec.colours import find_colours, hex_of
from judge.spec.text import Clause

ROLE_WORDS = {
    "background": r"backgrounds?|backdrop|bg|page colou?r|canvas|paper",
    "surface": r"surfaces?|cards?|panels?|tiles?",
    "text": r"text|body copy|copy|ink|foreground|fg|font colou?r|type colou?r",
    "accent": r"accents?|highlights?|primary|brand|cta|call[- ]to[- ]action|links?|buttons?|"
    r"secondary|emphasis|interactive",
    "border": r"borders?|rules?|dividers?|strokes?|hairlines?",
}
_ROLE_RE = {k: re.compile(rf"(?<![\w-])(?:{v})(?![\w-])", re.I) for k, v in ROLE_WORDS.items()}
COLOUR_CONTEXT = re.compile(
    r"\b(colou?rs?|palette|background|bg|text|ink|foreground|accents?|highlights?|primary|"
    r"secondary|brand|fill|surfaces?|borders?|tones?|shades?)\b",
    re.I,
)
_NOT_A_COLOUR_AFTER = re.compile(r"^[\s-]*(space|spaces|list|box|paper|label|hat|board)\b", re.I)
SPARINGLY = re.compile(
    r"\b(sparing(ly)?|only (for|on|in)|reserved for|small doses|rarely|minimal(ly)?|"
    r"just for|exclusively for|at most|no more than|one accent)\b",
    re.I,
)
_N = r"(?:\d+|two|three|four|five|six)"
CLOSED = re.compile(
    r"(only|exclusively|strictly)\s+(use\s+)?(these|the following|this|those|the)\s+(\w+\s+)?"
    r"(colou?rs|palette)|(colou?rs|palette)\s+(only|exclusively)\b|no other colou?rs|"
    r"strict(ly)?\s+(\w+\s+)?palette|palette\s+is\s+strict|limited\s+(\w+\s+)?palette|"
    r"(restricted|limited)\s+to\s+(these|the following|this)|"
    r"stick\s+to\s+(these|the|this)\s+(\w+\s+)?(colou?rs|palette)|"
    rf"{_N}[- ]colou?r\s+palette|palette\s+of\s+{_N}\s+colou?rs|nothing else",
    re.I,
)

# Well-known families, matched with their usual capitalisation (so "inter-" and "cabin" in
# running text are not fonts).
KNOWN_FONTS = sorted(
    """Inter|Roboto|Roboto Mono|Roboto Slab|Roboto Condensed|Open Sans|Lato|Montserrat|Poppins|
Source Sans Pro|Source Sans 3|Source Serif Pro|Source Serif 4|Source Code Pro|Nunito|Nunito Sans|
Raleway|Work Sans|IBM Plex Sans|IBM Plex Mono|IBM Plex Serif|IBM Plex Sans Condensed|
Space Grotesk|Space Mono|JetBrains Mono|Fira Sans|Fira Code|Fira Mono|Playfair Display|
Merriweather|Lora|Georgia|Helvetica|Helvetica Neue|Arial|Times New Roman|Times|Courier New|
Courier|Garamond|EB Garamond|Cormorant Garamond|Cormorant|DM Sans|DM Serif Display|DM Mono|
Manrope|Archivo|Archivo Black|Rubik|Karla|Libre Baskerville|Libre Franklin|Oswald|Bebas Neue|
Anton|Syne|Outfit|Plus Jakarta Sans|Sora|Figtree|Geist|Geist Mono|Noto Sans|Noto Serif|PT Sans|
PT Serif|PT Mono|Crimson Text|Crimson Pro|Spectral|Bitter|Arvo|Zilla Slab|Ubuntu|Ubuntu Mono|
Cabin|Quicksand|Barlow|Barlow Condensed|Mulish|Josefin Sans|Abril Fatface|Inconsolata|
Courier Prime|Liberation Sans|Liberation Serif|Liberation Mono|DejaVu Sans|DejaVu Serif|
DejaVu Sans Mono|Verdana|Tahoma|Trebuchet MS|Segoe UI|SF Pro|SF Pro Display|SF Pro Text|SF Mono|
Futura|Avenir|Avenir Next|Gill Sans|Baskerville|Didot|Bodoni Moda|Instrument Serif|
Instrument Sans|Fraunces|Newsreader|Literata|Alegreya|Cardo|Unbounded|Chivo|Chivo Mono|
Red Hat Display|Red Hat Text|Red Hat Mono|Lexend|Epilogue|Public Sans|Be Vietnam Pro|
Atkinson Hyperlegible|Hanken Grotesk|Schibsted Grotesk|Bricolage Grotesque|Darker Grotesque|
Familjen Grotesk|Space Grotesk|Neue Haas Grotesk|Helvetica Now|Akzidenz-Grotesk|Univers|Menlo|
Monaco|Consolas|Cascadia Code|Iosevka|VT323|Press Start 2P|Silkscreen|Major Mono Display|
Share Tech Mono|Overpass|Overpass Mono|Titillium Web|Exo 2|Orbitron|Rajdhani|Teko|Josefin Slab|
Cinzel|Yeseva One|Caveat|Pacifico|Lobster|Dancing Script|Comic Sans MS|Impact|system-ui""".replace(
        "\n", ""
    ).split("|"),
    key=len,
    reverse=True,
)
_KNOWN_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(f) for f in KNOWN_FONTS) + r")(?![\w-])")
_TYPE_CONTEXT = re.compile(
    r"\b(fonts?|type(face|faces|setting|set)?|typography|lettering|set in|headings?|body|"
    r"text|copy|letterforms?)\b",
    re.I,
)
_GENERIC = re.compile(r"(?<![\w-])(monospaced?|mono|sans[- ]serif|sans|serif)(?![\w-])", re.I)
_FONT_DECL = re.compile(r"font-family\s*:\s*([^;}\n]+)", re.I)
_NAMED = re.compile(
    r"(?:typeface|font(?:[- ]family)?|set in|typeset in)\s*[:=]?\s*[\"'“]?"
    r"([A-Z][\w]*(?:[ -][A-Z0-9][\w]*){0,3})"
)
_STOP = {
    "The", "A", "An", "One", "Single", "Display", "Body", "Heading", "Headings", "Bold",
    "Light", "Regular", "Main", "Primary", "Secondary", "Sans", "Serif", "Mono", "Monospace",
    "Web", "Google", "System", "Custom", "Same", "Different", "Each", "This", "That", "Any",
    "All", "Use", "Only", "Large", "Small", "Weight", "Size", "Sizes", "Family", "Stack",
}  # fmt: skip
_FONT_ROLES = {
    "headings": re.compile(r"\b(headings?|headlines?|titles?|display|h[1-6])\b", re.I),
    "body": re.compile(r"\b(body|paragraphs?|copy|running text|ui text|interface)\b", re.I),
}


def _role(clause: Clause, start: int, end: int, n_colours: int) -> str:
    """The colour's role: the label's, the segment's, or the nearest role word in the clause."""
    if clause.label and n_colours == 1:
        for role, rx in _ROLE_RE.items():
            if rx.search(clause.label):
                return role
    text = clause.context
    seg_start = max(
        [0] + [m.end() for m in re.finditer(r",|;|\band\b|\bwith\b|\bwhile\b", text[:start])]
    )
    seg_end_m = re.search(r",|;|\band\b|\bwith\b|\bwhile\b", text[end:])
    seg_end = end + seg_end_m.start() if seg_end_m else len(text)
    segment = text[seg_start:seg_end]
    colours_in_segment = len(find_colours(segment, names=False))
    best: tuple[float, str] | None = None
    for role, rx in _ROLE_RE.items():
        for m in rx.finditer(text):
            if colours_in_segment <= 1 and not (seg_start <= m.start() < seg_end):
                continue
            d = m.start() - end if m.start() >= end else start - m.end()
            if d > 40:
                continue
            if best is None or d < best[0]:
                best = (d, role)
    return best[1] if best else "any"


def colours(cl: list[Clause]) -> tuple[list[SpecColour], bool]:
    """Every colour named outside a negation, deduplicated by value; and whether the prompt
    restricts the page to them (a closed palette)."""
    found: dict[str, SpecColour] = {}
    closed = False
    for c in cl:
        about_colour = bool(
            COLOUR_CONTEXT.search(c.context) or re.search(r"colou?r|palette", c.section, re.I)
        )
        hits = find_colours(c.context, names=about_colour)
        hits = [
            h
            for i, h in enumerate(hits)
            if not (
                h[2][0].isalpha()
                and i + 1 < len(hits)
                and not hits[i + 1][2][0].isalpha()
                and hits[i + 1][0] - h[1] <= 25
            )
        ]
        hits = [
            h
            for h in hits
            if not c.is_negated(h[0], h[1])
            and not (h[2][0] != "#" and _NOT_A_COLOUR_AFTER.match(c.context[h[1] :]))
            and not (h[2][0].isalpha() and c.context[max(0, h[0] - 1) : h[0]] == "-")
        ]
        cm = CLOSED.search(c.context)
        if cm and (hits or re.search(r"colou?r|palette", cm.group(0), re.I)):
            closed = True
        for start, end, written, rgb in hits:
            value = hex_of(rgb)
            role = _role(c, start, end, len(hits))
            sparing = bool(SPARINGLY.search(c.context)) and role == "accent"
            old = found.get(value)
            if old is None:
                found[value] = SpecColour(
                    value=value, role=role, name=written, sparingly=sparing, quote=c.context[:160]
                )
            elif (old.role == "any" and role != "any") or (sparing and not old.sparingly):
                found[value] = old.model_copy(
                    update={
                        "role": old.role if old.role != "any" else role,
                        "sparingly": old.sparingly or sparing,
                    }
                )
    return list(found.values()), closed and len(found) >= 2


def _font_role(clause: Clause, start: int) -> str:
    best: tuple[int, str] | None = None
    for role, rx in _FONT_ROLES.items():
        for m in rx.finditer(clause.context):
            d = abs(m.start() - start)
            if best is None or d < best[0]:
                best = (d, role)
    return best[1] if best and best[0] <= 40 else "any"


def _generic(word: str) -> str:
    w = word.lower().replace(" ", "-")
    return {"mono": "monospace", "monospaced": "monospace", "sans": "sans-serif"}.get(w, w)


def fonts(cl: list[Clause]) -> list[SpecFont]:
    """Font families asked for, with roles (headings/body) where the clause says."""
    out: dict[tuple[str, str], SpecFont] = {}

    def add(family: str, clause: Clause, pos: int) -> None:
        family = family.strip().strip("\"'“”")
        if not family or family in _STOP:
            return
        key = (family.lower(), _font_role(clause, pos))
        out.setdefault(key, SpecFont(family=family, role=key[1], quote=clause.context[:160]))

    for c in cl:
        taken: list[tuple[int, int]] = []
        for m in _FONT_DECL.finditer(c.context):
            first = m.group(1).split(",")[0].strip().strip("\"'")
            if not c.is_negated(m.start()):
                add(_generic(first) if _GENERIC.fullmatch(first) else first, c, m.start())
            taken.append((m.start(), m.end()))
        for m in _KNOWN_RE.finditer(c.context):
            if any(s <= m.start() < e for s, e in taken) or c.is_negated(m.start(), m.end()):
                continue
            add(m.group(1), c, m.start())
            taken.append((m.start(), m.end()))
        for m in _NAMED.finditer(c.context):
            if any(s <= m.start(1) < e for s, e in taken) or c.is_negated(m.start(1)):
                continue
            name = m.group(1)
            if name.split()[0] not in _STOP and not _GENERIC.fullmatch(name):
                add(name, c, m.start(1))
                taken.append((m.start(1), m.end(1)))
        if not _TYPE_CONTEXT.search(c.context) and not re.search(
            r"typo|font|type", c.section, re.I
        ):
            continue
        for m in _GENERIC.finditer(c.context):
            if any(s <= m.start() < e for s, e in taken) or c.is_negated(m.start(), m.end()):
                continue
            add(_generic(m.group(1)), c, m.start())
    return list(out.values())
