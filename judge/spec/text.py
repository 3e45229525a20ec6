"""A prompt as clauses: Markdown headings, bullets, `Label: value` lines and sentences.

Derivation rules read one clause at a time with its context: the section heading it sits
under (a "Don'ts" or "Avoid" section negates everything in it), the label of a
`Background: #fff` line, and the spans a negation ("no", "never", "without", "avoid" …)
reaches. Everything here is plain string work: same text → same clauses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)])\s+")
LABEL = re.compile(r"^\s*([A-Za-z][\w /&()'-]{0,40}?)\s*(?::|=|—|–|\s-\s)\s*(\S.*)$")
SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9\"“(*`#])")
NEGATING_SECTION = re.compile(
    r"\b(don'?ts?|do not|avoid|never|forbidden|prohibited|not allowed|banned|no-?go|anti-?patterns?)\b",
    re.I,
)
NEGATION = re.compile(
    r"\b(no|not|never|avoid(?:ing)?|without|don'?t|do not|zero|forbid\w*|ban\w*|"
    r"prohibit\w*|instead of|rather than|free of|skip|nor|exclude\w*|none)\b",
    re.I,
)
_VERB_AFTER_NEGATION = re.compile(
    r"^\s*(?:use|using|add|adding|apply|applying|include|including|put|have|want|any|the|a|an|"
    r"ever|allow|allowed|be|should|must|will|of)\b",
    re.I,
)
_SCOPE_END = re.compile(r"[.;!?:—–()]|\s-\s|\b(?:but|instead|use|keep|prefer|only|except)\b", re.I)


@dataclass(frozen=True)
class Clause:
    """One sentence of the prompt with its context."""

    text: str
    section: str = ""
    label: str = ""
    negated_section: bool = False
    negated: tuple[tuple[int, int], ...] = field(default=(), compare=False)  # over `context`

    def is_negated(self, start: int, end: int | None = None) -> bool:
        """Whether the span [start, end) of `context` is inside a negation (or a Don'ts
        section)."""
        if self.negated_section:
            return True
        end = start + 1 if end is None else end
        return any(s <= start and end <= e for s, e in self.negated)

    @property
    def context(self) -> str:
        """Label + text: 'Background: #fff' reads as one phrase."""
        return f"{self.label}: {self.text}" if self.label else self.text


def _clean(line: str) -> str:
    line = re.sub(r"\*\*|__|`", "", line)
    line = re.sub(r"(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)", "", line)
    return line.strip().lstrip(">").strip()


def negation_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans a negation reaches: from the word after the trigger (and its verb) to the next
    clause boundary ('.', ';', ':', a dash, 'but', 'instead', 'use' …)."""
    spans = []
    for m in NEGATION.finditer(text):
        start = m.end()
        while v := _VERB_AFTER_NEGATION.match(text[start:]):
            start += v.end()
        end_m = _SCOPE_END.search(text, start)
        end = end_m.start() if end_m else len(text)
        if end > start:
            spans.append((start, end))
    # "-free" negates the word before it: "shadow-free", "gradient-free".
    for m in re.finditer(r"([\w ]{1,30}?)-free\b", text, re.I):
        spans.append((m.start(1), m.end(1)))
    return tuple(spans)


def logical_lines(prompt: str) -> list[tuple[str, bool]]:
    """(line, in_code) with wrapped paragraph and bullet lines joined, as Markdown reads them."""
    out: list[tuple[str, bool]] = []
    in_code, joinable = False, False
    text = prompt.replace("\r\n", "\n").replace("\r", "\n").replace("’", "'").replace("‘", "'")
    for raw in text.split("\n"):
        if raw.strip().startswith("```"):
            in_code, joinable = not in_code, False
            continue
        if in_code:
            out.append((raw, True))
            continue
        stripped = raw.strip()
        block = not stripped or HEADING.match(raw) or BULLET.match(raw) or stripped.startswith("|")
        if joinable and not block:
            out[-1] = (out[-1][0].rstrip() + " " + stripped, False)
            continue
        out.append((raw, False))
        joinable = bool(stripped) and not HEADING.match(raw) and not stripped.startswith("|")
        if joinable and stripped.endswith(":") and len(stripped) <= 40:
            joinable = False  # "Avoid:" heads the bullets below it
    return out


def clauses(prompt: str) -> list[Clause]:
    """Every sentence of the prompt, with its section, label and negation spans."""
    out: list[Clause] = []
    section, negated_section = "", False
    pseudo: str | None = None  # "Avoid:" on its own line heads the bullets under it
    for raw, in_code in logical_lines(prompt):
        if not raw.strip():
            pseudo = None
            continue
        if (h := HEADING.match(raw)) and not in_code:
            section = _clean(h.group(2))
            negated_section = bool(NEGATING_SECTION.search(section))
            pseudo = None
            continue
        bullet = bool(BULLET.match(raw))
        line = _clean(BULLET.sub("", raw, count=1))
        if not bullet and pseudo is not None:
            pseudo = None
        if not bullet and line.endswith(":") and len(line) <= 40:
            pseudo = line[:-1]
            continue
        neg = negated_section or (pseudo is not None and bool(NEGATING_SECTION.search(pseudo)))
        sect = pseudo if pseudo is not None else section
        # CSS in code blocks: one declaration per clause ("--bg: #0b0b0c").
        parts = re.split(r";\s*", line) if in_code else [line]
        for part in parts:
            label, body = "", part
            if (m := LABEL.match(part)) and len(m.group(1).split()) <= 5:
                label, body = m.group(1).strip(), m.group(2).strip()
            for sentence in SENTENCE.split(body):
                s = sentence.strip()
                if s:
                    context = f"{label}: {s}" if label else s
                    out.append(Clause(s, sect, label, neg, negation_spans(context)))
    return out
