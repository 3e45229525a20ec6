"""The result of building a submission (builders.build_submission)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from judge.schema.base import Frozen
from judge.schema.verdict import BuildInfo


class BuildOutcome(Frozen):
    """What the builder made of a submission: a directory to serve, or why there is none."""

    info: BuildInfo = Field(description="Goes into Verdict.build as is.")
    site_dir: Path | None = Field(None, description="Directory to serve (None unless ok).")
    verdict_status: Literal["ok", "build_failed", "rejected", "infra_error"] = Field(
        description="Verdict status this outcome implies ('ok' = go on and judge the site)."
    )
    reason: str | None = Field(None, description="Human-readable reason when not ok.")
    entry: str = Field("index.html", description="Page to open, relative to site_dir.")
