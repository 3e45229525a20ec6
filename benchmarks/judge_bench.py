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


def _pss(pid: int) -> int | None:
    """Proportional set size: shared pages split between their users, so a sum over the tree
    counts each page once (RSS would count Chromium's shared memory once per process)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def tree_memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes of `pid` and all its descendants (from /proc)."""
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
    total_rss, total_pss, stack = 0, 0, [pid]
    while stack:
        p = stack.pop()
        total_rss += rss.get(p, 0)
        total_pss += _pss(p) or rss.get(p, 0)
        stack += children.get(p, [])
    return total_rss, total_pss


class PeakMemory:
    """Samples the process tree's memory in a thread; `.peak` (RSS) and `.peak_pss` in bytes."""

    def __init__(self) -> None:
        self.peak = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, pss = tree_memory(os.getpid())
            self.peak, self.peak_pss = max(self.peak, rss), max(self.peak_pss, pss)
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


async def judge_run(sites: list[Path], rubric: str = "frontend") -> dict[str, float]:
    from judge.pipeline import Judge
    from judge.schema import JudgeOptions

    out: dict[str, float] = {}
    async with Judge(JudgeOptions(workers=1, rubric=rubric)) as j:
        await j.judge(sites[0])  # warm the browser
        out["bare_s"] = await bare_capture(j, sites)
        out["full_s"], _ = await full_judgment(j, sites)
    batch = sites * 2
    with PeakMemory() as mem:
        async with Judge(JudgeOptions(workers=2, rubric=rubric)) as j:
            await j.judge(sites[0])
            t0 = time.monotonic()
            async for _ in j.judge_many(batch):
                pass
            out["ppm_2w"] = len(batch) / (time.monotonic() - t0) * 60
    out["peak_mb"] = mem.peak / 2**20
    out["peak_pss_mb"] = mem.peak_pss / 2**20
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
    foundation = str(Path(__file__).parent / "foundation.toml")
    for label, rubric, target in (
        ("foundation checks", foundation, "target <= 2x"),
        ("full default", "frontend", "target <= 3x"),
    ):
        r = asyncio.run(judge_run(sites, rubric))
        print(f"-- {label} ({rubric.rsplit('/', 1)[-1]})")
        print(f"bare capture      : {r['bare_s']:.2f} s/page (load + 3 viewport screenshots)")
        ratio = r["full_s"] / r["bare_s"]
        print(f"judgment          : {r['full_s']:.2f} s/page  -> ratio {ratio:.2f}x ({target})")
        print(f"2 workers         : {r['ppm_2w']:.1f} pages/min")
        print(
            f"peak memory (tree): {r['peak_pss_mb']:.0f} MB PSS, {r['peak_mb']:.0f} MB summed RSS"
            " (Python + driver + Chromium; target <= 1.5 GB)"
        )
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
