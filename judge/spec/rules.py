"""Forbidden treatments, text case and layout rules (columns per breakpoint, max width, flush-left).

A treatment is forbidden when it is named inside a negation ("no rounded corners", "never use
shadows", a "Don'ts" section) or by a phrase that only means its absence ("sharp corners",
"border-radius: 0", "shadow-free"). Column counts pair with the breakpoint named next to them
("4 columns on desktop, 2 on tablet and 1 on phones"); a count with no breakpoint is read as
the desktop layout (a grid described without a width is the wide one).
"""

from __future__ import annotations

import re

from judge.schema.spec import SpecCase, SpecColumns, SpecForbidden, SpecLayout
from judge.spec.text import Clause

TREATMENTS = {
    "rounded_corners": r"round(?:ed)?[- ]?(?:corners?|edges?|buttons?|cards?)?|border[- ]radius|"
    r"radius|radii|pill[- ]?shaped|pills?|curved corners",
    "shadows": r"(?:drop|box|text)?[- ]?shadows?|elevation",
    "gradients": r"gradients?",
    "glassmorphism": r"glass(?:morphism|y)?|frosted(?: glass)?|backdrop[- ]blur|"
    r"blur(?:red)? (?:backgrounds?|effects?|panels?)",
}
_TREAT_RE = {k: re.compile(rf"(?<![\w-])(?:{v})(?![\w])", re.I) for k, v in TREATMENTS.items()}
_ABSENCE = {
    "rounded_corners": re.compile(
        r"\b(sharp|square|squared|hard|straight)[- ](?:edged[- ]|cornered[- ])?(corners?|edges?)\b|"
        r"border[- ]radius\s*:?\s*0(?:px)?\b|\b0(?:px)?\s+(?:border[- ])?radius\b|"
        r"radius of 0\b|zero[- ]radius|\bsquare (cards|buttons|boxes)\b",
        re.I,
    ),
    "shadows": re.compile(r"box-shadow\s*:\s*none", re.I),
}
UPPER = re.compile(
    r"upper[- ]?case|all[- ]caps|all capitals|capital letters|\bcaps\b|"
    r"text-transform\s*:\s*uppercase",
    re.I,
)
LOWER = re.compile(r"lower[- ]?case|text-transform\s*:\s*lowercase", re.I)
CASE_TARGETS = {
    "table_headers": r"(?:table |column )(?:labels?|headers?|headings?)|table headers?",
    "headings": r"headings?|headlines?|titles?|h[1-6]|section headers?",
    "labels": r"labels?|eyebrows?|kickers?|overlines?|tags?|badges?",
    "buttons": r"buttons?|ctas?",
    "navigation": r"nav(?:igation)?(?: links| items)?|menu(?: items| links)?",
}
_CASE_RE = {k: re.compile(rf"\b(?:{v})\b", re.I) for k, v in CASE_TARGETS.items()}

NUMBERS = {
    "one": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_NUM = r"(\d{1,2}|one|single|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
COLUMN = re.compile(
    rf"\b{_NUM}[- ]?(?:columns?|cols?|col|up)\b|\b{_NUM}\s+(?:columns?|cols?)\b", re.I
)
BREAKPOINTS = {
    "desktop": r"desktops?|large screens?|wide screens?|laptops?|widescreen|wide viewports?|"
    r"large viewports?|≥\s*1[0-9]{3}\s*px|>=?\s*1[0-9]{3}\s*px|1[0-9]{3}px and (?:up|above|wider)",
    "tablet": r"tablets?|medium screens?|ipads?|mid-size screens?|medium viewports?",
    "mobile": r"mobiles?|phones?|smartphones?|small screens?|narrow screens?|handhelds?|"
    r"small viewports?|narrow viewports?|<\s*[4-7][0-9]{2}\s*px",
}
_BP_RE = {k: re.compile(rf"\b(?:{v})", re.I) for k, v in BREAKPOINTS.items()}
_BARE_COUNT = re.compile(rf"\b{_NUM}\s+(?:on|at|for)\s+", re.I)
_TARGET = re.compile(
    r"\b(grid|cards?|products?|gallery|features?|items?|tiles?|posts?|articles?|listings?|"
    r"layout|team|plans?)\b",
    re.I,
)
MAX_WIDTH = re.compile(
    r"max(?:imum)?[- ]width(?:\s+of)?\s*[:=]?\s*(\d{2,4}(?:\.\d+)?)\s*(px|rem|em)?|"
    r"(?:no|never) wider than\s+(\d{3,4}(?:\.\d+)?)\s*(px|rem|em)?|"
    r"(\d{3,4}(?:\.\d+)?)\s*(px|rem|em)?\s*(?:max(?:imum)?|wide)?\s*(?:content |container )"
    r"(?:width|max)|(?:contained|constrained|capped|centred|centered)\s+(?:to|at|within)\s+"
    r"(?:a\s+)?(\d{3,4}(?:\.\d+)?)\s*(px|rem|em)?|max-width\s*:\s*(\d{2,4}(?:\.\d+)?)\s*(px|rem|em)",
    re.I,
)
FLUSH_LEFT = re.compile(
    r"flush[- ]left|left[- ]aligned|align(?:ed)?\s+(?:everything\s+|all text\s+|text\s+)?"
    r"(?:to the\s+)?left|ragged[- ]right|(?:no|never|avoid)\s+cent(?:er|re)(?:d|ed)?\s+text",
    re.I,
)


def forbidden(cl: list[Clause]) -> list[SpecForbidden]:
    """Treatments the prompt forbids, in a stable order."""
    out: dict[str, SpecForbidden] = {}
    for c in cl:
        for name, rx in _TREAT_RE.items():
            for m in rx.finditer(c.context):
                if c.is_negated(m.start(), m.end()):
                    out.setdefault(name, SpecForbidden(treatment=name, quote=c.context[:160]))  # type: ignore[arg-type]
        for name, rx in _ABSENCE.items():
            if (m := rx.search(c.context)) and not c.is_negated(m.start()):
                out.setdefault(name, SpecForbidden(treatment=name, quote=c.context[:160]))  # type: ignore[arg-type]
    order = list(TREATMENTS)
    return sorted(out.values(), key=lambda f: order.index(f.treatment))


def case(cl: list[Clause]) -> list[SpecCase]:
    """'Uppercase headings', 'buttons in all caps' … (targets named in the same clause)."""
    out: dict[str, SpecCase] = {}
    for c in cl:
        for kind, rx in (("upper", UPPER), ("lower", LOWER)):
            for m in rx.finditer(c.context):
                if c.is_negated(m.start(), m.end()):
                    continue
                rest = c.context
                for target, trx in _CASE_RE.items():
                    if trx.search(rest):
                        rest = trx.sub(" ", rest)  # "column labels" is not also "labels"
                        out.setdefault(
                            target,
                            SpecCase(target=target, case=kind, quote=c.context[:160]),  # type: ignore[arg-type]
                        )
    return list(out.values())


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS[word.lower()]


def _columns_in(c: Clause) -> list[SpecColumns]:
    text = c.context
    tokens: list[tuple[int, str, object]] = []
    for m in COLUMN.finditer(text):
        n = _number(m.group(1) or m.group(2))
        if 1 <= n <= 12:
            tokens.append((m.start(), "col", n))
    if not tokens:
        return []
    for m in _BARE_COUNT.finditer(text):  # "… 2 on tablet" after a column mention
        if m.start() > tokens[0][0] and not any(t[0] == m.start() for t in tokens):
            tokens.append((m.start(), "col", _number(m.group(1))))
    for bp, rx in _BP_RE.items():
        for m in rx.finditer(text):
            tokens.append((m.start(), "bp", bp))
    tokens.sort(key=lambda t: t[0])
    target_m = _TARGET.search(text)
    target = target_m.group(1).lower() if target_m else "grid"
    out: list[SpecColumns] = []
    used: set[int] = set()
    for i, (_pos, kind, value) in enumerate(tokens):
        if kind != "col":
            continue
        bp = None
        if i + 1 < len(tokens) and tokens[i + 1][1] == "bp" and i + 1 not in used:
            bp, j = tokens[i + 1][2], i + 1
        elif i > 0 and tokens[i - 1][1] == "bp" and i - 1 not in used:
            bp, j = tokens[i - 1][2], i - 1
        if bp is None:
            has_bp = any(t[1] == "bp" for t in tokens)
            if has_bp:
                continue  # a count whose breakpoint is ambiguous: leave it out
            bp, j = "desktop", -1
        used.add(j)
        out.append(
            SpecColumns(breakpoint=bp, columns=value, target=target, quote=c.context[:160])  # type: ignore[arg-type]
        )
    return out


def _px(value: str, unit: str | None) -> float:
    v = float(value)
    return v * 16 if unit and unit.lower() in ("rem", "em") else v


def layout(cl: list[Clause]) -> SpecLayout:
    """Columns per breakpoint, maximum content width and flush-left alignment."""
    cols: dict[str, SpecColumns] = {}
    max_width: float | None = None
    align = None
    quotes: list[str] = []
    for c in cl:
        for col in _columns_in(c):
            if col.breakpoint not in cols:
                cols[col.breakpoint] = col
        if max_width is None and (m := MAX_WIDTH.search(c.context)):
            groups = m.groups()
            pairs = [(groups[i], groups[i + 1]) for i in range(0, len(groups), 2)]
            value, unit = next((v, u) for v, u in pairs if v)
            px = _px(value, unit)
            if 200 <= px <= 4000:
                max_width = px
                quotes.append(c.context[:160])
        if align is None and (m := FLUSH_LEFT.search(c.context)):
            offset = len(c.context) - len(c.context)
            if (
                not (m.start() >= offset and c.is_negated(m.start() - offset))
                or "cent" in m.group(0).lower()
            ):
                align = "left"
                quotes.append(c.context[:160])
    order = ["desktop", "tablet", "mobile"]
    columns = sorted(cols.values(), key=lambda x: order.index(x.breakpoint))
    return SpecLayout(columns=columns, max_width=max_width, align=align, quote=" | ".join(quotes))
