"""Manipulation: page text aimed at judges or graders (prompt injection, score requests).

Flags "ignore previous instructions"-style text, requests for a score ("score this 10/10"),
text that addresses an AI/judge/grader, and hidden text (invisible, zero-size, off-screen,
same colour as its background, comments, attributes) that talks to a judge about grading.
A hit is a critical finding carrying `gate: manipulation_cap`, which caps the score.
"""

from __future__ import annotations

import asyncio
import re

from judge.checks.base import CheckContext, check, result
from judge.jsassets import evaluate_json, inline
from judge.schema import CheckResult, Evidence

DIM = "integrity"  # not a scored dimension: the finding acts through the gate
MAX_FINDINGS = 8

_JS = inline(
    """(limit) => {
  const out = [];
/* @include csspath */
  const sel = (el) => cssPath(el) || el.tagName.toLowerCase();
  function bg(el) {
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const c = getComputedStyle(n).backgroundColor;
      if (c && c !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(c)) return c;
    }
    return 'rgb(255, 255, 255)';
  }
  function hidden(el) {
    const cs = getComputedStyle(el);
    if (el.checkVisibility && !el.checkVisibility({opacityProperty: true, visibilityProperty: true})) return true;
    const r = el.getBoundingClientRect();
    if (r.width * r.height < 4 || parseFloat(cs.fontSize) < 3) return true;
    if (r.right < 0 || r.bottom + scrollY < 0 || r.left > document.documentElement.scrollWidth) return true;
    return cs.color === bg(el);
  }
  const root = document.documentElement;
  for (const el of root.getElementsByTagName('*')) {
    if (out.length >= limit) break;
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName)) continue;
    let own = false;
    for (const c of el.childNodes) if (c.nodeType === 3 && c.textContent.trim()) { own = true; break; }
    if (own) {
      const text = (el.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 2000);
      const inHead = !!el.closest('head');
      out.push({text, selector: sel(el), hidden: inHead ? el.tagName !== 'TITLE' : hidden(el), source: 'text'});
    }
    for (const a of ['alt', 'title', 'aria-label', 'placeholder', 'content', 'data-prompt']) {
      const v = el.getAttribute(a);
      if (v && v.trim().length > 3) out.push({text: v.slice(0, 2000), selector: sel(el), hidden: true, source: 'attr:' + a});
    }
  }
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
  for (let c = walker.nextNode(); c && out.length < limit; c = walker.nextNode()) {
    const p = c.parentElement;
    out.push({text: c.textContent.slice(0, 2000), selector: p ? sel(p) : 'html', hidden: true, source: 'comment'});
  }
  return out;
}"""
)

_ADDRESSEE = r"(?:ai|a\.i\.|llm|language model|judge|grader|evaluator|assessor|grading (?:system|model|agent)|scoring (?:system|model|agent)|reviewer bot|model)"
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "instruction override",
        re.compile(
            r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+)*"
            r"(?:previous|prior|above|earlier|preceding|original|system)?\s*"
            r"(?:instructions|prompts?|directions|rules|rubric|guidelines)\b",
            re.I,
        ),
    ),
    (
        "score request",
        re.compile(
            r"\b(?:give|award|assign|score|rate|grade|mark)\s+(?:this|the|me|it|us|our)\b.{0,40}?"
            r"(?:\b10\s*/\s*10\b|\b10 out of 10\b|\b100\s*/\s*100\b|\bperfect\b|\bfull marks\b|"
            r"\bmaximum\b|\bhighest\b|\btop (?:score|marks)\b|\b5 stars\b)",
            re.I,
        ),
    ),
    (
        "addresses the judge",
        re.compile(
            rf"\b(?:attention|note (?:to|for)|dear|hey|hello|message (?:to|for)|to the)\s+(?:the\s+|any\s+|all\s+)?{_ADDRESSEE}s?\b"
            rf"|\b(?:you are|if you are|as) an?\s+{_ADDRESSEE}\b"
            r"|\b(?:system prompt|new instructions|jailbreak)\b",
            re.I,
        ),
    ),
]
_HIDDEN_TO = re.compile(rf"\b{_ADDRESSEE}s?\b", re.I)
_HIDDEN_ABOUT = re.compile(
    r"\b(?:scores?|scoring|rate|rating|grade|grading|graded|evaluat\w*|points|pass(?:es|ed)?|"
    r"perfect|instructions?|rubric|full marks)\b",
    re.I,
)


def scan(texts: list[dict]) -> list[tuple[str, str, str, bool]]:
    """(kind, snippet, selector, hidden) for every judge-directed text; pure, for tests."""
    hits: list[tuple[str, str, str, bool]] = []
    seen: set[str] = set()
    for t in texts:
        text = str(t.get("text", ""))
        hidden = bool(t.get("hidden"))
        kind, m = None, None
        for name, pat in PATTERNS:
            if (m := pat.search(text)) is not None:
                kind = name
                break
        if kind is None and hidden and _HIDDEN_TO.search(text) and _HIDDEN_ABOUT.search(text):
            kind, m = "hidden text to a judge", _HIDDEN_TO.search(text)
        if kind is None or m is None:
            continue
        start = max(0, m.start() - 40)
        snippet = text[start : m.end() + 60].strip()
        if snippet in seen:
            continue
        seen.add(snippet)
        hits.append(
            (kind + (" (hidden)" if hidden else ""), snippet, str(t.get("selector", "")), hidden)
        )
    return hits


@check("manipulation", DIM, phase="live", order=5, gates=("manipulation_cap",))
async def manipulation(ctx: CheckContext) -> list[CheckResult]:
    """Page text addressed to the judge: flagged, and the score is capped by the rubric gate."""
    assert ctx.page is not None
    texts = await asyncio.wait_for(
        evaluate_json(ctx.page, _JS, 20000), max(1.0, ctx.seconds_left())
    )
    hits = scan(texts)
    if not hits:
        return [result("manipulation", DIM, 1.0, "no text addressed to judges or graders")]
    evidence = [
        Evidence(selector=sel or None, detail=f"{kind}: {snippet[:160]}")
        for kind, snippet, sel, _ in hits[:MAX_FINDINGS]
    ]
    kind, snippet, _, _ = hits[0]
    return [
        result(
            "manipulation",
            DIM,
            0.0,
            f"page text addressed to the judge ({kind}): {snippet[:120]!r}"
            + (f" and {len(hits) - 1} more" if len(hits) > 1 else ""),
            severity="critical",
            evidence=evidence,
            data={"count": len(hits)},
            gate="manipulation_cap",
        )
    ]
