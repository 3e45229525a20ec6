"""From an unpacked submission to a directory to serve: an npm build, or the static site as is."""

from __future__ import annotations

from pathlib import Path

from judge.schema import BuildInfo, BuildOutcome

STATIC_ROOTS = ("", "public")  # where a static site's entry page may sit


def locate_static(root: Path, entry: str) -> Path | None:
    """The directory holding `entry` (the root, or `public/`), if any."""
    for sub in STATIC_ROOTS:
        candidate = root / sub if sub else root
        if (candidate / entry).is_file():
            return candidate
    return None


async def prepare_site(
    root: Path,
    entry: str,
    work: Path,
    *,
    unsafe_no_sandbox: bool = False,
    timeout: float = 180.0,
    cache_dir: Path | None = None,
) -> BuildOutcome:
    """Build an npm project (package.json), else serve the static site, else say why not."""
    if (root / "package.json").is_file():
        from builders.build import build_submission

        return await build_submission(
            root, work, unsafe_no_sandbox=unsafe_no_sandbox, timeout=timeout, cache_dir=cache_dir
        )
    static = locate_static(root, entry)
    if static is not None:
        return BuildOutcome(
            info=BuildInfo(status="skipped", tool="static"),
            site_dir=static,
            verdict_status="ok",
            entry=entry,
        )
    reason = f"no {entry} and no package.json in the submission: nothing to serve"
    return BuildOutcome(
        info=BuildInfo(status="no_output", reason=reason),
        verdict_status="build_failed",
        reason=reason,
    )
