"""Shared test fixtures. Append new fixtures; do not rewrite this file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import pytest_asyncio

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SITES = FIXTURES / "sites"

# Tests share one cache (npm downloads, node_modules) unless a test points elsewhere.
os.environ.setdefault("FJUDGE_CACHE", str(ROOT / ".fjudge-cache"))


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def judge_session():
    """One warm Judge (one browser) for the whole test session, default rubric."""
    from judge.pipeline import Judge
    from judge.schema import JudgeOptions

    async with Judge(JudgeOptions(workers=2, judge="deterministic")) as j:
        yield j


@pytest.fixture(scope="session")
def sites() -> Path:
    return SITES


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def patient_judge(tmp_path_factory):
    """The default rubric with generous time budgets (wall clock, task probes): for tests whose
    subject is what a check finds, not whether a shared, loaded machine finishes it in time —
    under a tight budget a late check is reported unscored, which is right for a verdict and
    useless for a test of that check."""
    import re

    from judge.pipeline import Judge
    from judge.schema import JudgeOptions

    text = (ROOT / "rubrics" / "frontend.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^wall_seconds = \d+", "wall_seconds = 900", text)
    text = text.replace("[budgets]\n", "[budgets]\ntask_probe_seconds = 300\n", 1)
    path = tmp_path_factory.mktemp("patient") / "frontend.toml"
    path.write_text(text, encoding="utf-8")
    async with Judge(JudgeOptions(workers=2, judge="deterministic", rubric=str(path))) as j:
        yield j
