"""Agent-judge token cost per judgment, with the scripted (fake) OpenAI-compatible server.

For every example site and both `--image-detail` settings, one full default judgment (default
rubric: 3 viewports, 3 runs; per run: screenshot, read_page, click, screenshot, submit_scores)
and the tokens it cost: prompt / completion as the server bills them, image tokens by OpenAI's
published formula. Baseline measured in the same run, over the same requests: the naive
policy (full-resolution screenshots, every image re-sent in every later request of the run).

    python -m benchmarks.agent_tokens [--runs 3]

Targets (issue 5): image tokens per judgment ≤ 6,000 at high, ≤ 1,000 at low.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "agent"))

from fakellm import FakeLLM, Reviewer, provider_image_tokens  # noqa: E402

TARGET = {"high": 6000, "low": 1000}


def examples() -> list[Path]:
    """Example submissions (directories with an index.html)."""
    found = sorted(p.parent for p in (ROOT / "examples").glob("*/index.html"))
    found += sorted(p.parent for p in (ROOT / "examples" / "sites").glob("*/index.html"))
    return found or sorted(p.parent for p in (ROOT / "tests/fixtures/sites").glob("*/index.html"))


def naive_image_tokens(requests: list[dict], viewports: list[tuple[int, int]], detail: str) -> int:
    """Full-size images, all kept in context: what the same conversation would cost naively."""
    full_sheet = sum(provider_image_tokens(w, h, detail) for w, h in viewports)
    full_shot = provider_image_tokens(*viewports[0], detail)  # runs start at the first viewport
    total = 0
    for body in requests:
        if "response_format" in body:
            continue
        shots = sum(
            1 for m in body["messages"] if m["role"] == "tool" and "screenshot s" in m["content"]
        )
        total += full_sheet + shots * full_shot
    return total


async def bench(runs: int) -> None:
    from judge.pipeline import Judge
    from judge.schema import JudgeOptions
    from rubrics import load_rubric

    rubric = load_rubric("frontend")
    vps = [(v.width, v.height) for v in rubric.viewports.values()]
    sites = examples()
    print(f"{len(sites)} example(s), default rubric ({len(vps)} viewports), {runs} runs\n")
    print(
        f"{'site':<16}{'detail':>7}{'prompt':>9}{'compl.':>8}{'image':>8}{'naive img':>11}{'ratio':>7}"
    )
    totals: dict[str, list[tuple[int, int]]] = {"high": [], "low": []}
    with FakeLLM(Reviewer()) as fake:
        for detail in ("high", "low"):
            with tempfile.TemporaryDirectory() as cache:
                opts = JudgeOptions(
                    workers=1, model="fake-vl", base_url=fake.url, runs=runs,
                    image_detail=detail, cache_dir=Path(cache),
                )  # fmt: skip
                async with Judge(opts) as judge:
                    for site in sites:
                        fake.requests.clear()
                        v = await judge.judge(site)
                        if v.agent is None:
                            print(
                                f"{site.name:<16}{detail:>7}  no agent report: {v.status} {v.reason}"
                            )
                            continue
                        t = v.agent.tokens
                        naive = naive_image_tokens(fake.requests, vps, detail)
                        totals[detail].append((t["image"], naive))
                        print(
                            f"{site.name:<16}{detail:>7}{t['prompt']:>9}{t['completion']:>8}"
                            f"{t['image']:>8}{naive:>11}{t['image'] / max(1, naive):>7.2f}"
                        )
    print()
    for detail, rows in totals.items():
        if not rows:
            continue
        worst = max(r[0] for r in rows)
        mean = sum(r[0] for r in rows) / len(rows)
        naive = sum(r[1] for r in rows) / len(rows)
        ok = "meets" if worst <= TARGET[detail] else "MISSES"
        print(
            f"image tokens per judgment at {detail}: mean {mean:.0f}, max {worst} "
            f"(target ≤ {TARGET[detail]}: {ok}); {mean / naive:.2f}× the naive baseline ({naive:.0f})"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    asyncio.run(bench(ap.parse_args().runs))


if __name__ == "__main__":
    main()
