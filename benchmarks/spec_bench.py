"""Cost of judging against the prompt: the spec.* checks per page, in the same run as a plain
judgment of the same pages (same process, same warm browser, interleaved page by page).

    python -m benchmarks.spec_bench [--pages N] [--rounds R]

Prints, per page and overall: the plain judgment (no prompt) in seconds, the judgment with the
prompt, the milliseconds spent in spec.* checks (and per check), the prompted/plain ratio, and
the cost of deriving the spec from the prompt text (no browser).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROMPTED = ROOT / "tests" / "fixtures" / "prompted"
PROMPTS = {"coffee": "prompt.txt", "ledger": "prompt.md", "studio": "prompt.txt"}


def pages(limit: int) -> list[tuple[Path, str]]:
    """(page, its prompt) round-robin over the three prompts, faithful pages first."""
    out = []
    for p in ("p1", "p4", "p2", "p3"):
        for name, file in PROMPTS.items():
            out.append((PROMPTED / name / p, (PROMPTED / name / file).read_text(encoding="utf-8")))
    return out[:limit]


def derive_ms(rounds: int = 20) -> float:
    """Milliseconds to derive a spec from a prompt (cache cleared each time)."""
    from judge.spec import derive_spec

    texts = [(PROMPTED / n / f).read_text(encoding="utf-8") for n, f in PROMPTS.items()]
    t0 = time.perf_counter()
    for _ in range(rounds):
        for t in texts:
            derive_spec.cache_clear()
            derive_spec(t)
    return (time.perf_counter() - t0) / (rounds * len(texts)) * 1000


async def run(limit: int, rounds: int) -> None:
    from judge.pipeline import Judge
    from judge.schema import JudgeOptions, Task

    todo = pages(limit)
    plain, prompted, spec_ms = [], [], []
    per_check: dict[str, list[float]] = {}
    async with Judge(JudgeOptions(workers=1, judge="deterministic")) as j:
        await j.judge(todo[0][0])  # warm the browser
        for _ in range(rounds):
            for page, prompt in todo:
                v0 = await j.judge(page)
                v1 = await j.judge(page, task=Task(prompt=prompt))
                assert v0.status == v1.status == "ok", (v0.reason, v1.reason)
                spec = {k: s for k, s in v1.timings.items() if k.startswith("check:spec.")}
                for k, s in spec.items():
                    per_check.setdefault(k.removeprefix("check:"), []).append(s * 1000)
                plain.append(v0.timings["total"])
                prompted.append(v1.timings["total"])
                spec_ms.append(sum(spec.values()) * 1000)
                print(
                    f"{page.parent.name}/{page.name}: plain {v0.timings['total']:.2f}s, "
                    f"with prompt {v1.timings['total']:.2f}s, spec checks {spec_ms[-1]:.0f} ms "
                    f"({v1.prompt.rules if v1.prompt else 0} rules)",
                    flush=True,
                )
    mean_plain, mean_prompted = statistics.fmean(plain), statistics.fmean(prompted)
    print(f"\npages judged: {len(plain)} (x2: without and with the prompt)")
    print(f"plain judgment:        {mean_plain:.2f} s/page")
    print(f"judgment with prompt:  {mean_prompted:.2f} s/page")
    print(
        f"spec.* checks:         {statistics.fmean(spec_ms):.0f} ms/page "
        f"(median {statistics.median(spec_ms):.0f}, max {max(spec_ms):.0f})"
    )
    for k, v in sorted(per_check.items(), key=lambda kv: -statistics.fmean(kv[1])):
        print(f"  {k:<18} {statistics.fmean(v):7.0f} ms/page")
    print(f"ratio with/without prompt (total): {mean_prompted / mean_plain:.2f}x")
    print(f"spec checks / plain judgment:      {statistics.fmean(spec_ms) / 1000 / mean_plain:.1%}")
    print(f"spec derivation from the prompt:   {derive_ms():.2f} ms/prompt (no browser)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=6)
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    asyncio.run(run(args.pages, args.rounds))


if __name__ == "__main__":
    main()
