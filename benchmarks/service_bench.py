"""Service vs CLI batch vs Ray on the same 100 small static pages, in one run.

    .venv/bin/python benchmarks/service_bench.py [--n 100] [--workers 2] [--no-ray]

Prints jobs/minute and p50/p95 latency (all inputs submitted at once; latency = submission to
verdict) for: the CLI batch (`Judge.judge_many`, workers=2), `fjudge serve --workers 2` over
HTTP (JSON submissions, SQLite store), and Ray with 2 actors on 2 local CPUs. Every mode is
warmed with one page first (browser launch excluded). Target: service within 15% of the CLI.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "service"))
from service_harness import ServiceProcess  # noqa: E402

from judge.pipeline import Judge  # noqa: E402
from judge.schema import JudgeOptions  # noqa: E402

COLOURS = ["#1d3557", "#457b9d", "#2a9d8f", "#e76f51", "#6d597a", "#264653"]


def page(i: int) -> str:
    c = COLOURS[i % len(COLOURS)]
    items = "".join(f"<li>Item {j} of page {i}</li>" for j in range(i % 5 + 2))
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Page {i}</title>"
        f"<meta name=viewport content='width=device-width'><style>body{{font:16px sans-serif;"
        f"margin:2rem;color:#222}}h1{{color:{c}}}.card{{padding:1rem;border:1px solid #ccc;"
        f"border-radius:8px;max-width:40rem}}</style></head><body><h1>Benchmark page {i}</h1>"
        f"<div class=card><p>Small static page number {i} for throughput.</p><ul>{items}</ul>"
        f"<button>Action {i}</button></div></body></html>"
    )


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))]


def summary(name: str, wall: float, lat: list[float]) -> dict[str, float]:
    row = {
        "jobs_per_min": len(lat) / wall * 60,
        "p50": statistics.median(lat),
        "p95": pct(lat, 0.95),
        "wall": wall,
    }
    print(
        f"{name:<8} {row['jobs_per_min']:8.1f} jobs/min   p50 {row['p50']:6.1f} s   "
        f"p95 {row['p95']:6.1f} s   wall {wall:6.1f} s",
        flush=True,
    )
    return row


async def run_cli(paths: list[Path], workers: int, warm: Path) -> dict[str, float]:
    async with Judge(JudgeOptions(workers=workers)) as judge:
        await judge.judge(warm)
        t0 = time.monotonic()
        lat = []
        async for _, j in judge.judge_many(paths):
            assert j.verdict.status == "ok", j.verdict.reason
            lat.append(time.monotonic() - t0)
        return summary("cli", time.monotonic() - t0, lat)


def run_service(pages: list[str], workers: int, tmp: Path) -> dict[str, float]:
    svc = ServiceProcess(tmp / "bench.db", "--workers", str(workers), "--queue-max", "10000")
    svc.start()
    try:
        with httpx.Client(base_url=svc.url, timeout=300) as c:
            assert c.post("/v1/score", json={"html": page(-1)}).json()["status"] == "done"
            t0 = time.time()
            ids = [c.post("/v1/jobs", json={"html": p}).json()["id"] for p in pages]
            deadline = time.monotonic() + 3600
            while time.monotonic() < deadline:
                h = c.get("/healthz").json()
                if h["done"] + h["failed"] >= len(pages) + 1:
                    break
                time.sleep(0.2)
            views = [c.get(f"/v1/jobs/{i}").json() for i in ids]
    finally:
        svc.stop()
    bad = [v["verdict"]["status"] for v in views if v["verdict"]["status"] != "ok"]
    assert not bad, bad
    lat = [v["finished_at"] - t0 for v in views]
    return summary("service", max(v["finished_at"] for v in views) - t0, lat)


def run_ray(paths: list[Path], warm: Path) -> dict[str, float]:
    import ray

    from judge.scale.ray_runner import RayScorer

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        scorer = RayScorer(JudgeOptions(workers=2), num_actors=2, concurrency=2)
        list(scorer.score([warm, warm]))  # one warm-up page per actor
        t0 = time.monotonic()
        lat = []
        for v in scorer.score(paths):
            assert v.status == "ok", v.reason
            lat.append(time.monotonic() - t0)  # in-order delivery: includes head-of-line wait
        row = summary("ray", time.monotonic() - t0, lat)
        scorer.close()
        return row
    finally:
        ray.shutdown()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-ray", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="fjudge-bench-"))
    os.environ.setdefault("FJUDGE_CACHE", str(tmp / "cache"))
    pages = [page(i) for i in range(args.n)]
    paths = []
    for i, p in enumerate(pages):
        f = tmp / f"page{i:03d}.html"
        f.write_text(p)
        paths.append(f)
    warm = tmp / "warm.html"
    warm.write_text(page(-1))
    print(f"{args.n} static pages, {args.workers} workers, {os.cpu_count()} cores", flush=True)
    load = subprocess.run(["cat", "/proc/loadavg"], capture_output=True, text=True).stdout.split()
    print(f"load average at start: {' '.join(load[:3])} (machine shared with other jobs)")
    cli = asyncio.run(run_cli(paths, args.workers, warm))
    svc = run_service(pages, args.workers, tmp)
    print(
        f"service/cli throughput ratio {svc['jobs_per_min'] / cli['jobs_per_min']:.2f} "
        f"(target >= 0.85); p50 ratio {svc['p50'] / cli['p50']:.2f}"
    )
    if not args.no_ray:
        ray_row = run_ray(paths, warm)
        print(f"ray/cli throughput ratio {ray_row['jobs_per_min'] / cli['jobs_per_min']:.2f}")


if __name__ == "__main__":
    main()
