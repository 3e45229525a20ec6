"""report.html: self-contained, annotated, with findings, interactions, axe and probes."""

from __future__ import annotations

import re

import pytest

from judge.report import write_index, write_report


@pytest.mark.browser
async def test_report_is_self_contained_and_complete(defect_judgments, tmp_path):
    j = defect_judgments[("dead_button", "bad")]
    path = write_report(j, tmp_path / "r")
    html = path.read_text()
    assert path.name == "report.html"
    # Inline images only: nothing to fetch from anywhere.
    assert not re.search(r"""(src|href)=['"](?!data:|#)""", html)
    assert html.count("data:image/png;base64,") >= 3 + 2  # viewports + crops
    for section in ("Findings (worst first)", "Interaction log", "axe-core", "Task probes"):
        assert section in html
    assert "interaction.broken" in html and "#inc" in html
    index = write_index([("dead_button/bad", j.verdict, "r/report.html")], tmp_path)
    assert "dead_button/bad" in index.read_text()


def test_report_escapes_page_text(tmp_path):
    from judge.pipeline import Judgment
    from judge.schema import CheckResult, Evidence, InputInfo, RubricRef, Verdict

    evil = "<script>alert(1)</script>"
    v = Verdict(
        status="ok",
        score=0.5,
        rubric=RubricRef(id="frontend", version="x"),
        input=InputInfo(kind="html", sha256="0" * 64, name=evil),
        checks=[
            CheckResult(
                id="x.y",
                dimension="layout",
                score=0.1,
                message=evil,
                evidence=[Evidence(selector=evil, detail=evil)],
            )
        ],
    )
    html = write_report(Judgment(v), tmp_path).read_text()
    assert evil not in html and "&lt;script&gt;" in html
