"""`calibrate fit` time with a warm verdict cache, as a ratio to reading that cache.

    python -m benchmarks.calibration_bench [--labels FILE] [--limit N] [--repeats R]

Default labels: ../shared/data/reinecke-aesthetics/labels.csv (300 screenshots, 1–9). The
first run judges every item into the verdict cache (FJUDGE_CACHE); the figures are from the
warm runs: the baseline is resolving the items and loading their 300 cached verdicts; the
measured step is the whole fit (nested CV, final fit, bootstrap intervals).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "reinecke-aesthetics" / "labels.csv"


def main() -> None:
    """Warm the cache, then time cache loading (baseline) and the fit."""
    from calibration import fit_ratings, read_labels
    from judge import __version__
    from judge.labelled import judge_items
    from judge.schema import RubricRef
    from judge.visual import FEATURE_VERSION

    ap = argparse.ArgumentParser()
    ap.add_argument("--labels", type=Path, default=DEFAULT)
    ap.add_argument("--limit", type=int, default=0, help="first N items only (0 = all)")
    ap.add_argument("--repeats", type=int, default=3, help="outer CV repeats")
    args = ap.parse_args()
    if not args.labels.is_file():
        print(f"skipped: {args.labels} not found")
        return
    path = args.labels
    if args.limit:
        rows = list(csv.DictReader(path.open()))[: args.limit]
        tmp = Path(tempfile.mkdtemp()) / "labels.csv"
        tmp.write_text(
            "item,rating\n"
            + "".join(f"{(path.parent / r['item']).resolve()},{r['rating']}\n" for r in rows)
        )
        path = tmp
    labels = read_labels(path, scale=(1, 9), require_files=True)
    t = time.perf_counter()
    asyncio.run(judge_items(labels, "screenshot", None))
    warm_up = time.perf_counter() - t
    t = time.perf_counter()
    verdicts, rid, rver = asyncio.run(judge_items(labels, "screenshot", None))
    load = time.perf_counter() - t
    t = time.perf_counter()
    cpu = time.process_time()
    cal = fit_ratings(
        labels,
        verdicts,
        rubric=RubricRef(id=rid, version=rver),
        judge_version=__version__,
        feature_version=FEATURE_VERSION,
        repeats=args.repeats,
    )
    fit = time.perf_counter() - t
    cpu = time.process_time() - cpu
    n = cal.n_items
    print(f"items                     {n}")
    print(f"first pass (judge/warm)   {warm_up:7.1f} s")
    print(f"load cached verdicts      {load:7.2f} s  (baseline)")
    print(f"fit (nested {args.repeats}×5 CV)     {fit:7.2f} s  = {fit / load:.1f}× the baseline")
    print(f"fit CPU time              {cpu:7.2f} s  (wall differs on a loaded machine)")
    print(f"nested Pearson            {cal.cv['pearson']}  (chosen {cal.selection['chosen']})")


if __name__ == "__main__":
    main()
