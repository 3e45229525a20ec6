"""Inspection benchmark: full default judgment (probing, axe, contrast, task probes) vs a bare
capture on the same browser and pages, pages/minute with 2 workers, peak memory of the whole
process tree (Chromium included), and Lighthouse throughput on the same pages for comparison.

    python -m benchmarks.judge_bench [--pages N] [--lighthouse N] [--no-lighthouse]

Figures are printed as ratios against baselines measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import http.server
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("FJUDGE_CHROMIUM", "/usr/lib/chromium/chromium")


def pages(limit: int) -> list[Path]:
    """Static fixture sites and examples (directories with an index.html)."""
    found = [p.parent for p in sorted((ROOT / "tests" / "fixtures" / "sites").glob("*/index.html"))]
    found += [
        p.parent for p in sorted((ROOT / "tests" / "fixtures" / "defects").glob("*/*/index.html"))
    ]
    found += [p.parent for p in sorted((ROOT / "examples").glob("*/index.html"))]
    return found[:limit]


def tree_rss(pid: int) -> int:
    """RSS in bytes of `pid` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            children.setdefault(int(fields[1]), []).append(int(d.name))
            rss[int(d.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError):
            continue
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack += children.get(p, [])
    return total


class PeakMemory:
    """Samples the process tree's RSS in a thread; `.peak` in bytes."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(os.getpid()))
            self._stop.wait(0.2)

    def __enter__(self) -> PeakMemory:
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()


async def bare_capture(judge, sites: list[Path]) -> float:
    """Seconds per page: load + one screenshot per default viewport, same browser and preview."""
    from judge.capture import load, open_session

    handle = await judge._browser()
    vps = list(judge.rubric.viewports.values())
    t0 = time.monotonic()
    for d in sites:
        site = judge.preview.register(d, "index.html")
        s = await open_session(handle.browser, site, (vps[0].width, vps[0].height))
        try:
            await load(s, judge.rubric.budgets.load_seconds)
            for vp in vps:
                await s.page.set_viewport_size({"width": vp.width, "height": vp.height})
                await s.page.screenshot(type="png")
        finally:
            await s.close()
            judge.preview.unregister(site)
    return (time.monotonic() - t0) / len(sites)


async def full_judgment(judge, sites: list[Path]) -> tuple[float, list[float]]:
    t0 = time.monotonic()
    scores = []
    for d in sites:
        v = await judge.judge(d)
        scores.append(v.score)
    return (time.monotonic() - t0) / len(sites), scores


async def judge_run(sites: list[Path]) -> dict[str, float]:
    from judge.pipeline import Judge
    from judge.schema import JudgeOptions

    out: dict[str, float] = {}
    async with Judge(JudgeOptions(workers=1)) as j:
        await j.judge(sites[0])  # warm the browser
        out["bare_s"] = await bare_capture(j, sites)
        out["full_s"], _ = await full_judgment(j, sites)
    batch = sites * 2
    with PeakMemory() as mem:
        async with Judge(JudgeOptions(workers=2)) as j:
            await j.judge(sites[0])
            t0 = time.monotonic()
            async for _ in j.judge_many(batch):
                pass
            out["ppm_2w"] = len(batch) / (time.monotonic() - t0) * 60
    out["peak_mb"] = mem.peak / 2**20
    return out


def lighthouse_run(sites: list[Path], workers: int = 2) -> dict[str, float] | None:
    """Install Lighthouse into a temp dir, serve the pages locally, run it once per page."""
    npm = shutil.which("npm")
    if npm is None or not Path(CHROMIUM).exists():
        print("lighthouse: skipped (no npm or no chromium)")
        return None
    tmp = Path(tempfile.mkdtemp(prefix="fjudge-lh-"))
    try:
        t = time.monotonic()
        subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(tmp),
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "lighthouse@12",
            ],
            check=True,
            timeout=600,
        )
        print(f"lighthouse: installed in {time.monotonic() - t:.0f}s")
        lh = tmp / "node_modules" / ".bin" / "lighthouse"
        servers = []
        urls = []
        for d in sites:
            handler = functools.partial(_QuietHandler, directory=str(d))
            srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=srv.serve_forever, daemon=True).start()
            servers.append(srv)
            urls.append(f"http://127.0.0.1:{srv.server_address[1]}/index.html")
        env = dict(os.environ, CHROME_PATH=CHROMIUM)

        def one(url: str) -> float:
            t0 = time.monotonic()
            subprocess.run(
                [
                    str(lh),
                    url,
                    "--quiet",
                    "--output=json",
                    f"--output-path={os.devnull}",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                ],
                env=env,
                check=False,
                timeout=300,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            return time.monotonic() - t0

        from concurrent.futures import ThreadPoolExecutor

        t0 = time.monotonic()
        with ThreadPoolExecutor(workers) as ex:
            per = list(ex.map(one, urls))
        wall = time.monotonic() - t0
        for srv in servers:
            srv.shutdown()
        return {"lh_s": sum(per) / len(per), "lh_ppm_2w": len(urls) / wall * 60}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=12)
    ap.add_argument("--lighthouse", type=int, default=6, help="pages for Lighthouse")
    ap.add_argument("--no-lighthouse", action="store_true")
    args = ap.parse_args()
    sites = pages(args.pages)
    print(f"pages: {len(sites)} (static fixtures and examples)")
    r = asyncio.run(judge_run(sites))
    print(f"bare capture      : {r['bare_s']:.2f} s/page (load + {3} viewport screenshots)")
    print(
        f"full judgment     : {r['full_s']:.2f} s/page  -> ratio {r['full_s'] / r['bare_s']:.2f}x"
        " (target <= 3x)"
    )
    print(f"2 workers         : {r['ppm_2w']:.1f} pages/min (target >= 30)")
    print(f"peak memory (tree): {r['peak_mb']:.0f} MB (Python + driver + Chromium)")
    if not args.no_lighthouse:
        lh = lighthouse_run(sites[: args.lighthouse])
        if lh:
            print(
                f"lighthouse        : {lh['lh_s']:.2f} s/page, {lh['lh_ppm_2w']:.1f} pages/min "
                "with 2 at once"
            )
            print(f"throughput vs lighthouse: {r['ppm_2w'] / lh['lh_ppm_2w']:.1f}x (target >= 5x)")


if __name__ == "__main__":
    main()
