"""Cold vs warm install+build of the same Vite React project.

Cold: a fresh FJUDGE_CACHE and a fresh npm download cache (every package comes from the registry).
Warm: the node_modules tree cached by the cold run is reused (bound read-only into the sandbox).
Run: `python -m benchmarks.build_bench [--project vite-react] [--cold 2] [--warm 3]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from builders import build_submission

PROJECTS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "projects"


async def _one(project: Path, cache: Path, scratch: Path) -> tuple[float, bool | None]:
    work = Path(tempfile.mkdtemp(dir=scratch))
    src = work / "src"
    shutil.copytree(project, src)
    t = time.perf_counter()
    out = await build_submission(src, work / "work", cache_dir=cache)
    elapsed = time.perf_counter() - t
    if out.verdict_status != "ok":
        raise SystemExit(f"build failed: {out.info.status}: {out.reason}\n{out.info.log_tail}")
    shutil.rmtree(work, ignore_errors=True)
    return elapsed, out.info.cache_hit


async def main(project: str, cold_runs: int, warm_runs: int) -> None:
    """Print cold and warm medians and their ratio."""
    src = PROJECTS / project
    scratch = Path(tempfile.mkdtemp(prefix="fjudge-bench-"))
    os.environ.pop("FJUDGE_NPM_CACHE", None)  # the npm cache lives in the (fresh) FJUDGE_CACHE
    cold, warm = [], []
    try:
        for i in range(cold_runs):
            cache = scratch / f"cache-{i}"
            secs, hit = await _one(src, cache, scratch)
            assert hit is False
            cold.append(secs)
        for _ in range(warm_runs):
            secs, hit = await _one(src, cache, scratch)
            assert hit is True
            warm.append(secs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    c, w = statistics.median(cold), statistics.median(warm)
    print(f"project: {project} (sandbox: bwrap, {os.cpu_count()} cores)")
    print(
        f"cold install+build (fresh FJUDGE_CACHE + npm cache): {c:6.2f} s  runs={[round(x, 2) for x in cold]}"
    )
    print(
        f"warm install+build (cached node_modules):            {w:6.2f} s  runs={[round(x, 2) for x in warm]}"
    )
    print(f"speed-up warm vs cold: {c / w:.1f}x  (target >= 3x; cold target <= 30 s)")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--project", default="vite-react")
    ap.add_argument("--cold", type=int, default=2)
    ap.add_argument("--warm", type=int, default=3)
    a = ap.parse_args()
    asyncio.run(main(a.project, a.cold, a.warm))
