"""Options of one judging run (CLI flags, service job settings, Python API)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field

from judge.schema.base import Model


def default_cache_dir() -> Path:
    """FJUDGE_CACHE, else the user's cache directory."""
    env = os.environ.get("FJUDGE_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "fjudge"


class JudgeOptions(Model):
    """How to judge. Defaults are what `fjudge score` uses."""

    rubric: str = Field("frontend", description="Rubric name or file.")
    task: Path | None = Field(None, description="Task file applied to every input.")
    prompt: str | None = Field(
        None,
        description="Generation prompt for every input: sets the task's prompt (a new task "
        "when there is none), overriding a task file's own prompt.",
    )
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1, le=64)
    out_dir: Path | None = Field(None, description="Write screenshots, verdict.json, report.html.")
    wall_seconds: float | None = Field(None, gt=0, description="Override the rubric's budget.")
    unsafe_no_sandbox: bool = Field(False, description="Build npm projects without bwrap.")
    build_timeout: float = Field(180.0, gt=0)
    judge: Literal["auto", "deterministic", "agent", "hybrid"] = "auto"
    model: str | None = Field(None, description="Vision model id (else FJUDGE_MODEL).")
    base_url: str | None = Field(None, description="OpenAI-compatible endpoint (else env).")
    runs: int | None = Field(None, ge=1, le=20, description="Agent runs averaged (default 3).")
    temperature: float | None = Field(None, ge=0, le=2)
    seed: int | None = None
    image_detail: Literal["low", "high"] = "high"
    calibration: Path | None = None
    cache_dir: Path = Field(default_factory=default_cache_dir)
    mirror_offline: bool = Field(
        False,
        description="CDN mirror: never fetch from the npm registry; a URL whose package is not "
        "in the store stays blocked and is reported (reason 'offline').",
    )
