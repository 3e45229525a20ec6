"""`python -m benchmarks.validity` / `make validity`: judge every original and every applicable
mutant with the real pipeline, then report accuracy per operator, false positives per check, the
originals' score distribution and a naive baseline (see README.md in this folder).

    python -m benchmarks.validity [--apps A,B] [--operators X,Y] [--split train|holdout|all]
                                  [--limit N] [--rescore RUBRIC_FILE] [--cache DIR] [--out DIR]

Verdicts are cached by (input tree, fjudge source tree, rubric): a re-run after an unrelated
change judges nothing. `--rescore` re-aggregates the cached check results under another rubric's
weights, without a browser.
"""

from __future__ import annotations

import argparse
import asyncio
import fnmatch
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.validity import cache as cache_mod
from benchmarks.validity import observe, report
from benchmarks.validity.corpus import App, discover, materialise
from benchmarks.validity.models import Record
from benchmarks.validity.operators import NULL, NotApplicable, Operator, apply, registry
from benchmarks.validity.split import side
from builders.intake import tree_sha256


def _pick(names: list[str], spec: str | None) -> list[str]:
    """Comma-separated names or globs; None keeps everything."""
    if not spec:
        return names
    pats = [p.strip() for p in spec.split(",") if p.strip()]
    unknown = [p for p in pats if not any(fnmatch.fnmatchcase(n, p) for n in names)]
    if unknown:
        sys.exit(f"no match for {', '.join(unknown)} (known: {', '.join(names)})")
    return [n for n in names if any(fnmatch.fnmatchcase(n, p) for p in pats)]


def select(args: argparse.Namespace) -> tuple[list[App], dict[str, Operator]]:
    """Apps and operators chosen by --apps/--operators/--split/--limit (null control kept)."""
    apps = {a.name: a for a in discover()}
    if not apps:
        sys.exit("no apps: ../shared/data/real-apps is absent and no example was found")
    names = _pick(sorted(apps), args.apps)
    ops = registry()
    op_names = _pick([n for n in ops if n != NULL], args.operators)
    if args.split != "all":
        names = [n for n in names if side(n) == args.split]
        op_names = [n for n in op_names if side(n) == args.split]
    if args.limit:
        names = names[: args.limit]
    chosen = {n: ops[n] for n in op_names}
    if not args.no_control:
        chosen = {NULL: ops[NULL], **chosen}
    return [apps[n] for n in names], chosen


class Job:
    """One input to judge: an original (operator '') or a mutant."""

    def __init__(self, app: str, operator: str, path: Path) -> None:
        self.app, self.operator, self.path = app, operator, path
        self.sha = tree_sha256(path)


def prepare(
    apps: list[App], ops: dict[str, Operator], work: Path
) -> tuple[list[Job], dict[str, dict[str, str]]]:
    """Copy every app and make every applicable mutant under `work`."""
    jobs, na = [], {n: {} for n in ops}
    for app in apps:
        jobs.append(Job(app.name, "", materialise(app, work / app.name / "_original")))
        for op in ops.values():
            dest = work / app.name / op.name
            try:
                m = apply(op, app, dest)
            except NotApplicable as exc:
                na[op.name][app.name] = str(exc)
                shutil.rmtree(dest, ignore_errors=True)
                continue
            jobs.append(Job(app.name, op.name, m.path))
    return jobs, na


async def judge_all(
    jobs: list[Job], store: cache_mod.Cache, rubric: str, workers: int
) -> tuple[list[Record], dict[str, float]]:
    """Judge the jobs missing from the cache (one warm browser, `workers` at a time)."""
    from judge.pipeline import Judge
    from judge.schema import JudgeOptions

    todo = [j for j in jobs if store.get(j.sha) is None]
    print(f"{len(jobs)} inputs, {len(jobs) - len(todo)} cached, {len(todo)} to judge", flush=True)
    done: list[Record] = []
    if not todo:
        return done, {"judged": 0, "cached": len(jobs)}
    shots = store.root / "shots"
    t0 = time.monotonic()
    opts = JudgeOptions(workers=workers, judge="deterministic", rubric=rubric)
    async with Judge(opts) as j:
        async for i, jm in j.judge_many([job.path for job in todo]):
            job, v = todo[i], jm.verdict
            rec = Record(
                app=job.app,
                operator=job.operator,
                input_sha=job.sha,
                source_sha=store.source,
                rubric=store.rubric,
                status=v.status,
                score=v.score,
                verdict=v.model_dump(mode="json"),
                views=observe.views(jm.captures, shots, job.sha[:20]),
                seconds=v.timings.get("total", 0.0),
            )
            if v.status != "infra_error":  # an environment fault is retried next run
                store.put(rec)
            done.append(rec)
            k, el = len(done), time.monotonic() - t0
            eta = el / k * (len(todo) - k)
            print(
                f"[{k}/{len(todo)}] {job.app}/{job.operator or 'original'}: {v.status} "
                f"{v.score if v.score is not None else '-'} ({rec.seconds:.1f}s, eta {eta / 60:.0f} min)",
                flush=True,
            )
    wall = time.monotonic() - t0
    secs = sorted(r.seconds for r in done)
    return done, {
        "judged": len(done),
        "cached": len(jobs) - len(todo),
        "wall_s": round(wall, 1),
        "pages_per_min": round(60 * len(done) / wall, 2),
        "median_page_s": round(secs[len(secs) // 2], 2),
        "workers": workers,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks.validity",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--apps", help="comma-separated app names or globs")
    ap.add_argument("--operators", help="comma-separated operator names or globs")
    ap.add_argument(
        "--split",
        choices=("train", "holdout", "all"),
        default="all",
        help="apps and operators of one side of the held-out split",
    )
    ap.add_argument("--limit", type=int, help="first N apps (after the other filters)")
    ap.add_argument("--rubric", default="frontend", help="rubric to judge with")
    ap.add_argument(
        "--rescore",
        metavar="RUBRIC_FILE",
        help="re-aggregate cached check results under this rubric (no browser)",
    )
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-control", action="store_true", help="skip the null control mutants")
    ap.add_argument("--cache", type=Path, help="cache dir (default $FJUDGE_CACHE/validity)")
    ap.add_argument(
        "--out", type=Path, help="report dir (default <cache>/report, or report-rescore-<rubric>)"
    )
    ap.add_argument("--list", action="store_true", help="list apps and operators, then exit")
    args = ap.parse_args(argv)

    from judge.schema import default_cache_dir
    from rubrics import load_rubric

    apps, ops = select(args)
    if args.list:
        for a in apps:
            print(f"app  {a.name:30} {side(a.name):8} {a.source}")
        for o in ops.values():
            print(f"op   {o.name:30} {'control' if o.control else side(o.name):8} {o.seen}")
        return
    root = args.cache or default_cache_dir() / "validity"
    rubric = load_rubric(args.rescore or args.rubric)
    store = cache_mod.Cache(root, cache_mod.source_sha(), cache_mod.rubric_key(rubric))
    work = Path(tempfile.mkdtemp(prefix="validity-"))
    t_all = time.monotonic()
    try:
        jobs, na = prepare(apps, ops, work)
        if args.rescore:
            records, infra, throughput = _rescored(jobs, store, rubric)
        else:
            fresh, throughput = asyncio.run(judge_all(jobs, store, args.rubric, args.workers))
            by_sha = {r.input_sha: r for r in fresh}
            records = [by_sha.get(j.sha) or store.get(j.sha) for j in jobs]
            infra = [
                f"{r.app}/{r.operator or 'original'}: {r.verdict.get('reason')}"
                for r in records
                if r is not None and r.status == "infra_error"
            ]
            records = [r for r in records if r is not None]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    throughput["total_wall_s"] = round(time.monotonic() - t_all, 1)
    originals = {r.app: r for r in records if r.operator == "" and r.score is not None}
    mutants = {(r.app, r.operator): r for r in records if r.operator and r.score is not None}
    rep = report.build(
        originals,
        mutants,
        ops,
        not_applicable={k: v for k, v in na.items() if v},
        infra=infra,
        meta={
            "source_sha": store.source,
            "rubric": store.rubric,
            "mode": f"rescore:{args.rescore}" if args.rescore else "judge",
            "selection": {
                "apps": len(apps),
                "operators": len(ops),
                "split": args.split,
                "filters": {"apps": args.apps, "operators": args.operators, "limit": args.limit},
            },
        },
        throughput=throughput,
    )
    out = args.out or root / (
        f"report-rescore-{Path(args.rescore).stem}" if args.rescore else "report"
    )
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(rep.model_dump_json(indent=1), encoding="utf-8")
    (out / "report.md").write_text(
        "\n".join(report.lines(rep, markdown=True)) + "\n", encoding="utf-8"
    )
    print("\n".join(report.lines(rep)))
    print(f"report: {out / 'report.md'} and report.json; thumbnails: {root / 'shots'}")


def _rescored(
    jobs: list[Job], store: cache_mod.Cache, rubric
) -> tuple[list[Record], list[str], dict[str, float]]:
    """Cached records of every job, scores re-aggregated under `rubric` (no browser)."""
    from benchmarks.validity.rescore import rescore_verdict

    out, missing = [], []
    for j in jobs:
        rec = store.latest(j.sha)
        if rec is None:
            missing.append(
                f"{j.app}/{j.operator or 'original'}: not judged yet (no cached verdict)"
            )
            continue
        out.append(Record(**{**rec.model_dump(), "score": rescore_verdict(rec.verdict, rubric)}))
    if missing:
        print(
            f"{len(missing)} input(s) have no cached verdict: run without --rescore first",
            file=sys.stderr,
        )
    return out, missing, {"judged": 0, "rescored": len(out)}


if __name__ == "__main__":
    main()
