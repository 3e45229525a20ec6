"""End to end: npm projects go through the whole Judge (build → preview → Chromium) as `ok`."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.npm, pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize(
    ("name", "tool", "framework"),
    [
        ("vite-vanilla", "vite", None),
        ("vite-react", "vite", "react"),
        ("vite-vue", "vite", "vue"),
        ("webpack", "webpack", None),
    ],
)
async def test_npm_project_is_judged_ok(
    judge_session, copy_project, tmp_path, name, tool, framework
):
    verdict = await judge_session.judge(copy_project(name, tmp_path))
    assert verdict.status == "ok", (verdict.reason, verdict.build)
    assert verdict.build is not None
    assert (verdict.build.status, verdict.build.tool, verdict.build.framework) == (
        "ok",
        tool,
        framework,
    )
    assert verdict.build.sandbox == "bwrap"
    assert verdict.score is not None and verdict.score > 0.5
