"""Offline CDN mirror: pages that load libraries, fonts and icons from public CDNs get the
CDN's bytes from a local store of npm packages, and nothing leaves the machine.

`MirrorService` is what the preview asks; `judge.mirror.urls` parses CDN URLs;
`judge.mirror.packages` resolves versions (pinned in the lock) and fetches from the configured
npm registry on a miss unless offline; `judge.mirror.store` unpacks safely.

Settings: the store is `FJUDGE_CACHE/mirror`; `FJUDGE_MIRROR=off` turns the mirror off (every
CDN request is blocked, as before); `FJUDGE_MIRROR_OFFLINE=1` (or `fjudge score --offline`,
`JudgeOptions.mirror_offline`) never fetches: a miss stays blocked and is reported as such.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from judge.mirror.service import MirrorService
    from judge.schema import JudgeOptions


def store_root(cache_dir: Path | None = None) -> Path:
    from judge.schema.options import default_cache_dir

    return Path(cache_dir or default_cache_dir()) / "mirror"


def from_env(cache_dir: Path | None = None, offline: bool | None = None) -> MirrorService | None:
    """The mirror the settings ask for (None when FJUDGE_MIRROR=off)."""
    if os.environ.get("FJUDGE_MIRROR", "").lower() in ("off", "0", "no", "false"):
        return None
    from judge.mirror.service import MirrorService

    if offline is None:
        offline = os.environ.get("FJUDGE_MIRROR_OFFLINE", "") in ("1", "true", "yes")
    return MirrorService(store_root(cache_dir), offline=offline)


def mirror_for(options: JudgeOptions) -> MirrorService | None:
    """The mirror for a judging run: its cache dir and its `mirror_offline` flag."""
    offline = bool(getattr(options, "mirror_offline", False)) or None
    return from_env(options.cache_dir, offline)
