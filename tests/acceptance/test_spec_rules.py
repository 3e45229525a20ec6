"""Acceptance (issue 13): for every kind of design-spec rule, a page that follows the prompt
scores above the same page breaking only that rule, and the rule is named in `checks`.

The faithful pages are p1 of each prompt (tests/fixtures/prompted/); each variant is a small
hand-written patch of one of them that breaks one rule and keeps the rest (a closed palette is
kept closed by swapping to another palette colour where the rule is about a colour's role).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROMPTED = ROOT / "tests" / "fixtures" / "prompted"
PROMPT_FILES = {"coffee": "prompt.txt", "ledger": "prompt.md", "studio": "prompt.txt"}
STYLE_END = "</style>"

# rule kind: (prompt, rule id expected to drop, [(old, new), …]) — "STYLE" appends CSS.
VARIANTS: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "palette_closed": ("coffee", "spec.palette", [("STYLE", ".card { background: #ffffff; }")]),
    "colour_background": ("ledger", "spec.colour.background", [
        ("STYLE", "body { background: #F1F5F9; }")]),
    "colour_text": ("ledger", "spec.colour.text", [("STYLE", "body, td, button { color: #CBD5E1; }")]),
    "accent_sparingly": ("coffee", "spec.accent", [
        ("STYLE", "header, .hero, .news, footer { background: #E4572E; }")]),
    "fonts": ("coffee", "spec.fonts", [("STYLE", "body, input, .btn { font-family: Georgia, serif; }")]),
    "rounded_corners": ("coffee", "spec.rounded_corners", [
        ("STYLE", ".card, .btn, .filters button { border-radius: 10px; }")]),
    "shadows": ("coffee", "spec.shadows", [
        ("STYLE", ".card { box-shadow: 0 8px 20px rgba(27, 27, 27, .25); }")]),
    "gradients": ("coffee", "spec.gradients", [
        ("STYLE", ".hero, .card { background-image: linear-gradient(#F5F1E8, #E4572E); }")]),
    "glassmorphism": ("ledger", "spec.glassmorphism", [
        ("STYLE", "aside, .card { backdrop-filter: blur(10px); }")]),
    "case_headings": ("coffee", "spec.case.headings", [
        ("h1, h2, h3 { text-transform: uppercase;", "h1, h2, h3 {")]),
    "case_navigation": ("studio", "spec.case.navigation", [
        ("text-transform: uppercase; letter-spacing: .08em;", "")]),
    "case_table_headers": ("ledger", "spec.case.table_headers", [("h1, h2, th {", "h1, h2 {")]),
    "columns_desktop": ("coffee", "spec.columns.desktop", [
        ("grid-template-columns: repeat(4, 1fr)", "grid-template-columns: repeat(3, 1fr)")]),
    "columns_mobile": ("studio", "spec.columns.mobile", [
        ("@media (max-width: 700px) { .projects { grid-template-columns: 1fr; }",
         "@media (max-width: 700px) {")]),
    "max_width": ("coffee", "spec.max_width", [("STYLE", ".wrap { max-width: none; }")]),
    "align": ("studio", "spec.align", [("STYLE", "main { text-align: center; }")]),
    "component": ("coffee", "spec.component.pagination", [
        ('<nav class="pager" aria-label="Pagination">\n      <a href="#shop" aria-current="page">1</a>'
         '<a href="#shop">2</a><a href="#shop">Next</a>\n    </nav>', "")]),
    "form_fields": ("coffee", "spec.component.form.newsletter", [
        ('<label>Name <input name="name" autocomplete="name" required></label>', "")]),
    "section": ("studio", "spec.section.about", [('<h2 id="about-h">About</h2>', '<h2 id="about-h">Practice</h2>'),
                                                 ('<a href="#about">About</a>', '<a href="#about">Practice</a>')]),
    "text": ("coffee", "spec.text.slow_coffee_fast_mornings", [
        ("<h1>Slow coffee, fast mornings</h1>", "<h1>Coffee for early risers</h1>")]),
    "hover": ("coffee", "spec.hover", [
        (".card:hover { transform: translateY(-4px); border-color: #E4572E; }", "")]),
    "focus": ("ledger", "spec.focus", [
        (":focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }",
         ":focus-visible, :focus { outline: none; }")]),
    "filter": ("coffee", "spec.filter", [('if (roast !== "all" && r !== roast) continue;', "")]),
    "search": ("studio", "spec.search", [("if (q && !title.toLowerCase().includes(q)) continue;", "")]),
    "pagination": ("ledger", "spec.pagination", [
        ('b.addEventListener("click", () => { page = p; render(); });', ""),
        ('next.addEventListener("click", () => { page += 1; render(); });', "")]),
    "modal": ("ledger", "spec.modal", [('addEventListener("click", () => dlg.showModal())', 'addEventListener("click", () => {})')]),
}  # fmt: skip


def _variant(dest: Path, prompt: str, patches: list[tuple[str, str]]) -> Path:
    html = (PROMPTED / prompt / "p1" / "index.html").read_text(encoding="utf-8")
    for old, new in patches:
        if old == "STYLE":
            old, new = STYLE_END, f"  {new}\n{STYLE_END}"
        assert html.count(old) == 1, f"patch does not apply once: {old[:60]!r}"
        html = html.replace(old, new)
    dest.mkdir(parents=True)
    (dest / "index.html").write_text(html, encoding="utf-8")
    return dest


def _rule_scores(v) -> dict[str, float]:
    out: dict[str, list[float]] = {}
    for c in v.checks:
        if c.dimension == "spec" and c.score is not None:
            out.setdefault(c.id, []).append(c.score)
    return {k: sum(x) / len(x) for k, x in out.items()}


@pytest.fixture(scope="module")
async def rule_verdicts(patient_judge, tmp_path_factory):
    from judge.schema import Task

    root = tmp_path_factory.mktemp("rules")
    out = {}
    for prompt, file in PROMPT_FILES.items():
        task = Task(prompt=(PROMPTED / prompt / file).read_text(encoding="utf-8"))
        names = ["faithful"] + [k for k, v in VARIANTS.items() if v[0] == prompt]
        paths = [
            PROMPTED / prompt / "p1"
            if n == "faithful"
            else _variant(root / n, prompt, VARIANTS[n][2])
            for n in names
        ]
        async for i, j in patient_judge.judge_many(paths, task=task):
            out[(prompt, names[i])] = j.verdict
    return out


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.timeout(2400)
@pytest.mark.parametrize("kind", sorted(VARIANTS))
async def test_breaking_one_rule_scores_lower_and_names_it(rule_verdicts, kind):
    prompt, rule, _ = VARIANTS[kind]
    good, bad = rule_verdicts[(prompt, "faithful")], rule_verdicts[(prompt, kind)]
    assert good.status == bad.status == "ok", (good.reason, bad.reason)
    g, b = _rule_scores(good), _rule_scores(bad)
    assert rule in b, f"{rule} not among {sorted(b)}"
    drops = {k: g[k] - b.get(k, 0.0) for k in g}
    assert drops[rule] > 0.1, (rule, g[rule], b[rule])
    # The broken rule is the one that dropped most (the patch breaks only it).
    assert max(drops, key=lambda k: (drops[k], k == rule)) == rule, sorted(
        drops.items(), key=lambda x: -x[1]
    )[:4]
    assert bad.dimensions["spec"] < good.dimensions["spec"]
    assert bad.score < good.score, (bad.score, good.score)
    named = next(c for c in bad.checks if c.id == rule and c.score == b[rule] or c.id == rule)
    assert named.message and (named.evidence or named.data)
