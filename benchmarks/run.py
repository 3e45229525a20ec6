"""`make bench`: every benchmark in turn, each printing its figures and in-run ratios.

    python -m benchmarks.run [--quick] [NAME ...]

NAME: judge, build, agent, service, visual, mirror, calibration, spec (default: all). `--quick`
shrinks sample sizes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

BENCHES = {
    "judge": (["benchmarks.judge_bench"], ["--pages", "6", "--lighthouse", "3"]),
    "build": (["benchmarks.build_bench"], ["--cold", "1", "--warm", "2"]),
    "agent": (["benchmarks.agent_tokens"], ["--runs", "3"]),
    "service": (["benchmarks.service_bench"], ["--n", "30"]),
    "visual": (["benchmarks.visual_bench"], []),
    "mirror": (["benchmarks.mirror_bench"], ["--apps", "10", "--runs", "1", "--skip-defaults"]),
    "calibration": (["benchmarks.calibration_bench"], ["--limit", "60", "--repeats", "1"]),
    "spec": (["benchmarks.spec_bench"], ["--pages", "3"]),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("names", nargs="*", help=", ".join(BENCHES))
    ap.add_argument("--quick", action="store_true", help="smaller samples")
    args = ap.parse_args()
    unknown = set(args.names) - set(BENCHES)
    if unknown:
        ap.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    failed = []
    for name in args.names or list(BENCHES):
        module, quick_args = BENCHES[name]
        cmd = [sys.executable, "-m", *module, *(quick_args if args.quick else [])]
        print(f"\n=== {name}: {' '.join(cmd[1:])}", flush=True)
        t = time.monotonic()
        if subprocess.run(cmd).returncode != 0:
            failed.append(name)
        print(f"=== {name}: {time.monotonic() - t:.0f}s", flush=True)
    if failed:
        sys.exit(f"benchmarks failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
