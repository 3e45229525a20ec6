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
