"""Service settings: one class, from `fjudge serve` flags and FJUDGE_* environment variables."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field

from judge.schema.base import Model
from judge.schema.options import default_cache_dir

LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _keys_from_env() -> list[str]:
    raw = os.environ.get("FJUDGE_API_KEYS", "")
    return [k.strip() for k in raw.split(",") if k.strip()]


class Settings(Model):
    """How the service runs."""

    db: Path = Field(default_factory=lambda: default_cache_dir() / "service" / "jobs.db")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    workers: int = Field(2, ge=1, le=64, description="Jobs judged at once.")
    queue_max: int = Field(1000, ge=1, description="Queued jobs beyond this get 429.")
    job_timeout: float = Field(300.0, gt=0, description="Seconds per job, build included.")
    wall_seconds: float | None = Field(None, gt=0, description="Per-page render budget.")
    max_body: int = Field(50 * 1024 * 1024, gt=0, description="Request body cap in bytes.")
    score_wait: float = Field(120.0, gt=0, description="Default wait of /v1/score.")
    openrlhf_wait: float = Field(
        170.0,
        gt=0,
        description="Longest a /get_reward request is held: OpenRLHF's client gives up after "
        "180 s, so unfinished batches answer 503 + Retry-After before that (jobs kept).",
    )
    rubric: str = "frontend"
    policy: Path | None = Field(None, description="Default reward policy file.")
    calibration: Path | None = Field(
        default_factory=lambda: Path(p) if (p := os.environ.get("FJUDGE_CALIBRATION")) else None,
        description="Calibration file applied to every verdict (FJUDGE_CALIBRATION).",
    )
    api_keys: list[str] = Field(default_factory=_keys_from_env, repr=False)
    cache_dir: Path = Field(default_factory=default_cache_dir)

    def check_exposure(self) -> None:
        """Without API keys the service may only listen on loopback."""
        if not self.api_keys and self.host not in LOOPBACK:
            raise ValueError(
                f"refusing to listen on {self.host} without API keys: set FJUDGE_API_KEYS "
                "or bind to 127.0.0.1"
            )
