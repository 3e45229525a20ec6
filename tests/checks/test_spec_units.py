"""Spec checks on hand-made captures (no browser): painted area, treatments, case, columns,
and the report's prompt section."""

from __future__ import annotations

from judge.checks.base import CheckContext
from judge.checks.spec_layout import spec_layout
from judge.checks.spec_measure import main_group, paint
from judge.checks.spec_style import spec_case, spec_colours, spec_treatments
from judge.schema import BBox, DesignSpec, ElementInfo, PageEvents, Task, ViewportCapture
from rubrics import load_rubric


def el(i, parent=None, x=0, y=0, w=100, h=50, **kw) -> ElementInfo:
    return ElementInfo(
        selector=f"#e{i}", tag=kw.pop("tag", "div"), bbox=BBox(x=x, y=y, width=w, height=h),
        parent=parent, **kw,
    )  # fmt: skip


def cap(elements, name="desktop", w=1440, h=900, bg="rgb(255, 255, 255)") -> ViewportCapture:
    return ViewportCapture(
        name=name, width=w, height=h, screenshot=b"", doc_width=w, doc_height=h,
        elements=elements, page_background=bg,
    )  # fmt: skip


def ctx(caps, spec) -> CheckContext:
    return CheckContext(
        rubric=load_rubric("frontend"),
        captures={c.name: c for c in caps},
        events=PageEvents(),
        spec=DesignSpec.model_validate(spec),
    )


def test_paint_weighs_area_in_paint_order_and_text_by_ink():
    page = cap(
        [
            el(0, w=1440, h=900, own_background="rgb(245, 241, 232)"),
            el(1, parent=0, x=100, y=100, w=400, h=300, own_background="rgb(255, 255, 255)"),
            el(2, parent=1, x=110, y=110, w=300, h=20, text="Hello there", color="rgb(27, 27, 27)",
               background="rgb(255, 255, 255)", font_size=16),
            el(3, parent=0, x=600, y=100, w=200, h=150, tag="img"),
        ]
    )  # fmt: skip
    p = paint(page)
    beige, white = (245, 241, 232), (255, 255, 255)
    assert p.areas[beige] > p.areas[white] > 0
    assert abs(p.areas[white] - 400 * 300) / (400 * 300) < 0.1  # the card covers the page
    assert p.media_area > 0 and (27, 27, 27) in p.text


async def test_colours_palette_roles_and_sparing_accent():
    spec = {
        "colours": ["#f5f1e8 background", "#1b1b1b text", "#e4572e accent sparingly"],
        "palette": "closed",
    }
    text = {"text": "Beans and more", "color": "rgb(27, 27, 27)", "font_size": 18}
    good = cap([el(0, w=1440, h=900, own_background="rgb(245, 241, 232)"),
                el(1, parent=0, x=40, y=40, w=120, h=40, own_background="rgb(228, 87, 46)"),
                el(2, parent=0, x=40, y=120, w=600, h=30, **text)])  # fmt: skip
    loud = cap([el(0, w=1440, h=900, own_background="rgb(245, 241, 232)"),
                el(1, parent=0, w=1440, h=500, own_background="rgb(228, 87, 46)"),
                el(2, parent=0, x=40, y=600, w=600, h=30, **text)])  # fmt: skip
    off = cap([el(0, w=1440, h=900, own_background="rgb(255, 255, 255)"),
               el(2, parent=0, x=40, y=120, w=600, h=30, **text)])  # fmt: skip
    r = {k: {c.id: c.score for c in await spec_colours(ctx([c], spec))}
         for k, c in (("good", good), ("loud", loud), ("off", off))}  # fmt: skip
    assert r["good"] == {"spec.palette": 1.0, "spec.colour.background": 1.0,
                         "spec.colour.text": 1.0, "spec.accent": 1.0}  # fmt: skip
    assert r["loud"]["spec.accent"] < 0.5 and r["loud"]["spec.palette"] == 1.0
    assert r["off"]["spec.palette"] == 0.0 and r["off"]["spec.colour.background"] == 0.0
    assert r["off"]["spec.accent"] == 0.0  # the accent is never used


async def test_forbidden_treatments_by_boxed_area_with_evidence():
    spec = {"forbidden": ["rounded corners", "shadows", "gradients", "glassmorphism"]}
    base = [el(0, w=1440, h=900, own_background="rgb(255, 255, 255)")]
    cards = [el(i, parent=0, x=40 + 320 * i, y=100, w=300, h=200, own_background="rgb(250, 250, 250)")
             for i in range(1, 4)]  # fmt: skip
    flat = await spec_treatments(ctx([cap(base + cards)], spec))
    assert {c.id: c.score for c in flat} == {
        "spec.rounded_corners": 1.0, "spec.shadows": 1.0, "spec.gradients": 1.0,
        "spec.glassmorphism": 1.0,
    }  # fmt: skip
    soft = [c.model_copy(update={"border_radius": 12.0, "box_shadow": "0 4px 8px black"})
            for c in cards]  # fmt: skip
    got = {c.id: c for c in await spec_treatments(ctx([cap(base + soft)], spec))}
    assert got["spec.rounded_corners"].score < 0.75 and got["spec.shadows"].score < 0.75
    assert got["spec.rounded_corners"].evidence[0].detail == "border-radius 12px"
    assert got["spec.gradients"].score == 1.0


async def test_case_counts_text_inside_headings():
    spec = {"case": [{"target": "headings", "case": "upper"}]}
    upper = [el(0, tag="h2", text="", w=400), el(1, parent=0, tag="span", text="Beans",
             text_transform="uppercase", font_size=24)]  # fmt: skip
    mixed = [
        el(0, tag="h2", text="", w=400),
        el(1, parent=0, tag="span", text="Beans", font_size=24),
    ]
    [a] = await spec_case(ctx([cap(upper)], spec))
    [b] = await spec_case(ctx([cap(mixed)], spec))
    assert (a.score, b.score) == (1.0, 0.0) and b.evidence


async def test_columns_follow_the_same_grid_at_every_width():
    def grid(name, w, per_row):
        items = [el(10 + i, parent=1, x=(i % per_row) * (w // per_row), y=200 + (i // per_row) * 300,
                    w=w // per_row - 20, h=260, own_background="rgb(250,250,250)", text=f"Item {i}")
                 for i in range(8)]  # fmt: skip
        return cap([el(0, w=w, h=3000), el(1, parent=0, w=w, h=2400), *items], name=name, w=w)

    spec = {"layout": {"columns": {"desktop": 4, "mobile": 1}}}
    caps = [grid("desktop", 1440, 4), grid("tablet", 768, 2), grid("mobile", 375, 2)]
    got = {r.id: r.score for r in await spec_layout(ctx(caps, spec))}
    assert got == {"spec.columns.desktop": 1.0, "spec.columns.mobile": 0.0}
    assert main_group(caps[0]).columns(caps[0]) == 4


async def test_no_spec_no_results():
    c = CheckContext(rubric=load_rubric("frontend"), captures={"d": cap([])}, events=PageEvents())
    for fn in (spec_colours, spec_treatments, spec_case, spec_layout):
        assert await fn(c) == []


def test_report_shows_the_spec_and_its_words(tmp_path):
    from judge.pipeline import Judgment
    from judge.report import write_report
    from judge.schema import CheckResult, InputInfo, RubricRef, Verdict
    from judge.spec import prompt_info

    info = prompt_info(Task(prompt='Background #fafafa. No <b>shadows</b>. Headline "Hi <there>".'))
    v = Verdict(
        status="ok", score=0.5, rubric=RubricRef(id="frontend", version="x"),
        input=InputInfo(kind="html", sha256="0" * 64, name="p"), prompt=info,
        checks=[CheckResult(id="spec.shadows", dimension="spec", score=0.25)],
    )  # fmt: skip
    html = write_report(Judgment(v), tmp_path).read_text()
    assert "Prompt and design spec" in html and info.sha256[:16] in html
    assert "spec.shadows" in html and "0.25" in html and "#fafafa" in html
    assert "<there>" not in html and "&lt;there&gt;" in html
