"""Fixtures for the inspection checks: every defect pair judged once per session."""

from __future__ import annotations

from pathlib import Path

import pytest_asyncio

DEFECTS = Path(__file__).resolve().parent.parent / "fixtures" / "defects"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def defect_judgments(judge_session):
    """{(defect, 'good'|'bad'): Judgment} for every pair under tests/fixtures/defects."""
    paths = [d / v for d in sorted(DEFECTS.iterdir()) if d.is_dir() for v in ("good", "bad")]
    out = {}
    async for i, judgment in judge_session.judge_many(paths):
        out[(paths[i].parent.name, paths[i].name)] = judgment
    return out
