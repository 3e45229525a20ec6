"""Fixtures for the validity patterns: every page under tests/fixtures/validity judged once."""

from __future__ import annotations

from pathlib import Path

import pytest_asyncio

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "validity"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def validity_judgments(judge_session):
    """{'case/variant': Judgment} for every page under tests/fixtures/validity."""
    paths = sorted(p.parent for p in PAGES.glob("*/*/index.html"))
    out = {}
    async for i, judgment in judge_session.judge_many(paths):
        out[f"{paths[i].parent.name}/{paths[i].name}"] = judgment
    return out
