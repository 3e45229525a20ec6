"""Required sections and components, quoted texts, and interaction requirements.

A component is required when its word appears outside a negation ("a footer", "filters",
"pagination"); "no footer" leaves it out. Named sections come from "a Pricing section", from
a `Sections:` list, or from a well-known section word used as a bullet's label. Texts are the
quoted strings the prompt asks the page to show ("a button labelled “Get started”").
Interactions: hover and focus states, a filter / search / sort / pagination that must work,
a modal that must open.
"""

from __future__ import annotations

import re

from judge.schema.spec import SpecComponent, SpecInteraction, SpecText
from judge.spec.text import Clause

COMPONENTS = {
    "navigation": r"nav(?:igation)?(?: bar| menu)?|navbar|top bar|menu bar|main menu|site menu",
    "header": r"(?:site |page |sticky |fixed )?header(?! row| cell)",
    "hero": r"hero(?: section| banner| area| image| block)?",
    "footer": r"footer",
    "filters": r"filters?|filter bar|facets?|filtering",
    "search": r"search(?: bar| box| field| input)?",
    "cards": r"(?<!credit )(?<!debit )(?<!gift )cards?",
    "pagination": r"paginat(?:ion|or|ed)|page numbers|next/previous|prev/next",
    "form": r"form",
    "table": r"(?:data |comparison |pricing )?table",
    "modal": r"modals?|dialog(?: box)?|lightbox|pop-?up",
    "sidebar": r"side ?bar",
    "tabs": r"tabs|tabbed",
}
_COMP_RE = {k: re.compile(rf"(?<![\w-])(?:{v})(?![\w-])", re.I) for k, v in COMPONENTS.items()}
SECTION_WORDS = (
    "Features|Pricing|Testimonials|FAQ|About|Contact|Team|Blog|Gallery|Services|Portfolio|"
    "Newsletter|How it works|Stats|Clients|Partners|Projects|Work|Menu|Events|Schedule|Speakers|"
    "Sponsors|Reviews|Products|Collections|Shop|Case studies|Careers|Press"
)
_NAMED_SECTION = re.compile(
    rf"(?:an?|the)\s+[\"“']?({SECTION_WORDS}|[A-Z][\w&'-]+(?: [A-Z&][\w&'-]+){{0,2}})[\"”']?"
    r"\s+(?:section|block|area|page)\b"
)
_SECTION_WORD_RE = re.compile(rf"^(?:{SECTION_WORDS})$", re.I)
_SECTION_LIST = re.compile(r"\bsections?\s*(?:[:—–]|are|include|including)\s*(.+)$", re.I)
_FORM_NAME = re.compile(
    r"\b(contact|sign[- ]?up|signup|newsletter|login|log[- ]?in|sign[- ]?in|register|"
    r"registration|booking|checkout|subscribe|subscription|feedback|search|rsvp|order)"
    r"\s+form\b",
    re.I,
)
_FIELDS = re.compile(
    r"\bwith\s+(?:an?\s+|the\s+)?((?:[\w-]+(?:\s+[\w-]+)?)(?:\s*,\s*(?:and\s+)?[\w-]+(?:\s+[\w-]+)?)*"
    r"(?:\s*,?\s*(?:and|or)\s+[\w-]+(?:\s+[\w-]+)?)?)\s+(?:fields?|inputs?)\b|"
    r"\bfields?\s*(?:[:—–]|for)\s*((?:[\w-]+)(?:\s*,\s*(?:and\s+)?[\w-]+)*(?:\s*,?\s*and\s+[\w-]+)?)",
    re.I,
)
QUOTED = re.compile(r"[\"“”]([^\"“”\n]{2,80})[\"“”]")
_TEXT_CONTEXT = re.compile(
    r"\b(headline|heading|title|button|label(?:led|ed)?|called|named|says?|reads?|text|"
    r"tagline|slogan|cta|link|tab|section|copy|caption|wording|show(?:s|ing)?|display(?:s|ing)?|"
    r"message|placeholder|h1|brand|logo|tabs|reads)\b",
    re.I,
)
HOVER = re.compile(r"\bhover(?:s|ed|ing)?\b|:hover", re.I)
FOCUS = re.compile(
    r"\bfocus(?:-visible)?\s+(?:states?|styles?|rings?|outlines?|indicators?)\b|"
    r"\bvisible focus\b|\bkeyboard focus\b|:focus",
    re.I,
)
_HOVER_TARGET = re.compile(
    r"\b(cards?|buttons?|links?|rows?|images?|tiles?|items?|products?)\b", re.I
)
FILTER_WORKS = re.compile(
    r"\bfilter(?:s|ing)?\s+(?:the\s+)?(?:list|grid|results|items|products|cards|posts|by)\b|"
    r"\b(?:working|functional|functioning|live|interactive|client-side)\s+filter|"
    r"\bfilters?\s+(?:that|which)\s+(?:work|actually|update|narrow|filter)|"
    r"\bfilter\s+(?:chips|buttons|pills|tabs)\s+(?:that|which)",
    re.I,
)
SEARCH_WORKS = re.compile(
    r"\bsearch\w*(?:\s+(?:box|field|bar|input))?\s+(?:that|which)\s+(?:filters|narrows|updates|works)|\blive search\b|"
    r"\b(?:working|functional|instant)\s+search\b|\bsearch(?:es)?\s+(?:the\s+)?(?:list|items|products)",
    re.I,
)
SORT_WORKS = re.compile(r"\bsort(?:able|ing|s)?\s+(?:by|the|results|items|products)\b", re.I)
PAGINATION_WORKS = re.compile(
    r"\b(?:working|functional|client-side)\s+paginat|\bpaginat\w*\s+(?:that|which)\s+"
    r"(?:works|switches|changes|pages)|"
    r"\b\d+\s+(?:items|products|cards|results|posts|rows|entries|transactions)\s+per\s+page",
    re.I,
)
MODAL_OPENS = re.compile(
    r"\b(?:opens?|open(?:ing)?|shows?|launch(?:es)?|triggers?|pops? up)\s+(?:an?\s+|the\s+)?"
    r"(?:\w+\s+)?(?:modal|dialog|lightbox|pop-?up)|\b(?:modal|dialog|lightbox)\s+(?:that|which)\s+opens",
    re.I,
)


LABELLED = {"filters", "tabs", "pagination"}
EXAMPLE_BEFORE = re.compile(r"(?:\bas|e\.g\.|\beg|such as|\blike|for example|/)\s*$", re.I)
STYLE_SECTION = re.compile(r"colou?r|palette|typograph|\btype\b|fonts?\b", re.I)
CONDITIONAL = re.compile(
    r"\b(empty state|when|if|after|once|on (?:success|error|submit)|error message|confirmation|"
    r"toast|validation)\b",
    re.I,
)


def _negated_before(c: Clause, start: int) -> bool:
    """'no footer', 'without a sidebar', 'skip the hero': a negation right before the word."""
    if c.negated_section:
        return True
    before = c.context[max(0, start - 30) : start].lower()
    return bool(
        re.search(
            r"\b(no|without|skip|omit|exclude|don'?t (?:need|include|add|use)|"
            r"do not (?:need|include|add|use)|never)\s+(?:a |an |the |any )?(?:[\w-]+\s+)?$",
            before,
        )
    )


def _is_verb(text: str, m: re.Match[str]) -> bool:
    """'a search box that filters the list', 'to search the projects': a verb, not a thing."""
    before = text[: m.start()]
    return bool(re.search(r"\b(that|which|who|it|to|can|will|you)\s+$", before, re.I))


def _fields(text: str) -> list[str]:
    m = _FIELDS.search(text)
    if not m:
        return []
    raw = m.group(1) or m.group(2) or ""
    parts = re.split(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", raw)
    out = []
    for p in parts:
        p = re.sub(r"^(?:an?|the|your)\s+", "", p.strip(), flags=re.I)
        if p and len(p) <= 30 and p.lower() not in out:
            out.append(p.lower())
    return out[:8]


def components(cl: list[Clause]) -> list[SpecComponent]:
    """Required components and named sections, in order of first mention."""
    out: dict[tuple[str, str], SpecComponent] = {}

    def add(kind: str, name: str, c: Clause, fields: list[str] | None = None, at: int = 0) -> None:
        key = (kind, name.lower())
        in_modal = kind == "form" and bool(_COMP_RE["modal"].search(c.context))
        labels = []
        if kind in LABELLED:  # 'Filters "All", "Active" and "Completed"': its controls' names
            labels = [m.group(1).strip() for m in QUOTED.finditer(c.context, at)][:8]
        if key not in out:
            out[key] = SpecComponent(
                kind=kind,  # type: ignore[arg-type]
                name=name,
                fields=fields or [],
                labels=labels,
                within="modal" if in_modal else "",
                quote=c.context[:160],
            )

    for c in cl:
        if STYLE_SECTION.search(c.section):
            continue  # "Surfaces: sidebar, table header" in a colour table is not a requirement
        for kind, rx in _COMP_RE.items():
            for m in rx.finditer(c.context):
                if _negated_before(c, m.start()) or c.is_negated(m.start(), m.end()):
                    continue
                if _is_verb(c.context, m):
                    continue
                if kind == "form":
                    fm = _FORM_NAME.search(c.context)
                    add("form", fm.group(1).lower() if fm else "", c, _fields(c.context))
                elif kind == "header" and re.search(r"\bsection\s+$", c.context[: m.start()], re.I):
                    continue
                else:
                    add(kind, "", c, at=m.end())
                break
        for m in _NAMED_SECTION.finditer(c.context):
            name = m.group(1)
            if not _negated_before(c, m.start()) and name.lower() not in ("hero", "footer"):
                add("section", name, c)
        if m := _SECTION_LIST.search(c.context):
            for part in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", m.group(1)):
                name = part.strip().strip('."“”')
                if _SECTION_WORD_RE.match(name):
                    add("section", name, c)
        if (
            c.label
            and _SECTION_WORD_RE.match(c.label)
            and re.search(r"section|structure|page", c.section, re.I)
        ):
            add("section", c.label, c)
    return list(out.values())


def texts(cl: list[Clause]) -> list[SpecText]:
    """Quoted strings the page must show (a quote in a clause about headlines, buttons …)."""
    out: dict[str, SpecText] = {}
    for c in cl:
        if CONDITIONAL.search(c.context):
            continue  # shown only in some state (empty, error, after submit): not on load
        context = bool(_TEXT_CONTEXT.search(c.context))
        for m in QUOTED.finditer(c.context):
            t = m.group(1).strip()
            before = c.context[: m.start()]
            if EXAMPLE_BEFORE.search(before[-16:]):
                continue  # 'as "1 item left" / "2 items left"': a format, shown in some states
            named = re.search(r"\b(?:for|called|named)\s*$", before, re.I)
            if not context and not named:
                continue
            if (
                not t
                or c.is_negated(m.start(), m.end())
                or re.fullmatch(r"#?[0-9a-fA-F]{3,8}", t)
                or t.lower() in out
            ):
                continue
            out[t.lower()] = SpecText(text=t, quote=c.context[:160])
    return list(out.values())


def interactions(cl: list[Clause]) -> list[SpecInteraction]:
    """Behaviour the prompt asks for (hover/focus states, working filter/search/sort, modal)."""
    out: dict[str, SpecInteraction] = {}

    def add(kind: str, c: Clause, target: str = "") -> None:
        out.setdefault(kind, SpecInteraction(kind=kind, target=target, quote=c.context[:160]))  # type: ignore[arg-type]

    for c in cl:
        m = HOVER.search(c.context)
        if m and not c.is_negated(m.start(), m.end()) and not _negated_before(c, m.start()):
            t = _HOVER_TARGET.search(c.context)
            add("hover", c, t.group(1).lower().rstrip("s") if t else "")
        if (m := FOCUS.search(c.context)) and not c.is_negated(m.start(), m.end()):
            add("focus", c)
        for kind, rx in (
            ("filter", FILTER_WORKS),
            ("search", SEARCH_WORKS),
            ("sort", SORT_WORKS),
            ("pagination", PAGINATION_WORKS),
            ("modal", MODAL_OPENS),
        ):
            m = rx.search(c.context)
            if m and not c.is_negated(m.start(), m.end()) and not _negated_before(c, m.start()):
                add(kind, c)
    order = ["hover", "focus", "filter", "search", "sort", "pagination", "modal"]
    return sorted(out.values(), key=lambda i: order.index(i.kind))
