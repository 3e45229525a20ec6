"""End to end over fixture sites: real preview server, real Chromium, real screenshots."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


async def _verdicts(judge, sites, names):
    out = {}
    async for i, jm in judge.judge_many([sites / n for n in names]):
        out[names[i]] = jm.verdict
    return out


@pytest.fixture(scope="module")
async def verdicts(judge_session, sites):
    names = ["good", "blank", "jscrash", "mobile_overflow", "overlap", "clipped"]
    return await _verdicts(judge_session, sites, names)


def _failing(v, prefix):
    return [c for c in v.checks if c.id.startswith(prefix) and c.score is not None and c.score < 1]


def test_good_page_is_ok_and_scores_high(verdicts):
    v = verdicts["good"]
    assert v.status == "ok", v.reason
    assert v.score is not None and v.score >= 0.8, (v.score, v.dimensions)
    assert set(v.viewports) == {"mobile", "tablet", "desktop"}


@pytest.mark.parametrize(
    ("name", "check_prefix", "viewport"),
    [
        ("jscrash", "runtime.exceptions", None),
        ("mobile_overflow", "layout.overflow", "mobile"),
        ("overlap", "layout.overlap", None),
        ("clipped", "layout.clipped", None),
    ],
)
def test_defect_ranked_below_good_and_named(verdicts, name, check_prefix, viewport):
    good, bad = verdicts["good"], verdicts[name]
    assert bad.status == "ok"
    assert bad.score < good.score, (bad.score, good.score)
    found = _failing(bad, check_prefix)
    assert found, [c.id for c in bad.checks if c.score and c.score < 1]
    if viewport:
        assert any(c.viewport == viewport for c in found)
    # The good page has no such finding.
    assert not _failing(good, check_prefix)


def test_mobile_overflow_is_per_viewport(verdicts):
    v = verdicts["mobile_overflow"]
    assert v.viewports["mobile"]["layout"] < v.viewports["desktop"]["layout"]
    finding = _failing(v, "layout.overflow")[0]
    assert finding.evidence and finding.evidence[0].selector


def test_blank_page_is_render_failed(verdicts):
    v = verdicts["blank"]
    assert v.status == "render_failed"
    assert v.score == 0.0
    assert "paints nothing" in (v.reason or "")


def test_overlap_names_both_elements(verdicts):
    f = _failing(verdicts["overlap"], "layout.overlap")[0]
    selectors = {e.selector for e in f.evidence}
    assert any("h1" in s for s in selectors) and any("lead" in s or "p" in s for s in selectors)


async def test_same_input_twice_gives_same_verdict(judge_session, sites):
    names = ["good", "overlap", "jscrash"]
    first = await _verdicts(judge_session, sites, names)
    second = await _verdicts(judge_session, sites, names)
    for n in names:
        assert first[n].stable_dict() == second[n].stable_dict(), n
