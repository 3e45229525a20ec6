"""Builds the Report from cached records and prints it as tables (terminal and markdown)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from urllib.parse import urlsplit

from benchmarks.validity import metrics
from benchmarks.validity.models import Identical, Pair, Record, Report
from benchmarks.validity.operators import NULL, Operator
from benchmarks.validity.split import side


def build(
    originals: dict[str, Record],
    mutants: dict[tuple[str, str], Record],
    ops: dict[str, Operator],
    *,
    not_applicable: dict[str, dict[str, str]],
    infra: list[str],
    meta: dict[str, Any],
    throughput: dict[str, float],
) -> Report:
    """Pairs, per-operator and per-check statistics, split groups, noise and naive baseline."""
    pairs: list[Pair] = []
    made: list[tuple[Pair, Record, Record]] = []
    for (app, _op), mut in sorted(mutants.items()):
        orig = originals.get(app)
        pair = metrics.make_pair(orig, mut) if orig else None
        if pair is not None:
            pairs.append(pair)
            made.append((pair, orig, mut))
    noise = {p.app: p for p in pairs if p.operator == NULL}
    # A render defect that left the page exactly as it was (pixels, element looks and boxes
    # within the app's own null-control noise) is no defect anyone could see: listed under
    # "Useless pairs", left out of accuracy (a tie there would only measure the operator).
    invisible = {
        (p.app, p.operator)
        for p in pairs
        if p.operator != NULL
        and ops[p.operator].shows_in == "render"
        and metrics.rendered_identically(p, noise.get(p.app))
    }
    recs: dict[str, list[tuple[Record, Record]]] = defaultdict(list)
    by_op: dict[str, list[Pair]] = defaultdict(list)
    for p, orig, mut in made:
        if (p.app, p.operator) not in invisible:
            by_op[p.operator].append(p)
            recs[p.operator].append((orig, mut))

    def stats(name: str, ps: list[Pair]) -> Any:
        op = ops[name]
        keep = {(p.app, p.operator) for p in ps}
        rs = [(o, m) for o, m in recs[name] if (o.app, name) in keep]
        return metrics.operator_stats(
            name,
            ps,
            category=op.category,
            shows_in=op.shows_in,
            side="control" if op.control else side(name),
            detecting_checks=metrics.check_drops(rs)[:3],
        )

    defects = [n for n in ops if not ops[n].control and by_op.get(n)]
    op_stats = [stats(n, by_op[n]) for n in defects]
    groups = []
    apps = sorted(originals)
    for gname, app_side, op_side in (
        ("train apps x train operators", "train", "train"),
        ("held-out apps x held-out operators", "holdout", "holdout"),
        ("all", None, None),
    ):
        g_apps = [a for a in apps if app_side is None or side(a) == app_side]
        g_ops = [n for n in defects if op_side is None or side(n) == op_side]
        g_pairs = {n: [p for p in by_op[n] if p.app in g_apps] for n in g_ops}
        g_stats = [stats(n, ps) for n, ps in g_pairs.items() if ps]
        flat = [p for ps in g_pairs.values() for p in ps]
        groups.append(metrics.group(gname, g_stats, flat, len(g_apps)))

    identical = [
        Identical(
            app=p.app,
            operator=p.operator,
            shows_in=ops[p.operator].shows_in,
            pixel_diff=p.pixel_diff,
            look_diff=p.look_diff,
            geometry_diff=p.geometry_diff,
            verdict_diff=p.verdict_diff,
        )
        for p in pairs
        if p.operator != NULL and metrics.rendered_identically(p, noise.get(p.app))
    ]
    ok = {a: r for a, r in originals.items() if r.score is not None}
    # Requests the mirror answered with the real file are not missing: list only the rest.
    unanswered = {
        a: [b for b in r.verdict.get("blocked_requests", []) if b.get("action") != "mirrored"]
        for a, r in sorted(originals.items())
    }
    blocked = {
        a: sorted({urlsplit(b["url"]).netloc for b in bs}) for a, bs in unanswered.items() if bs
    }
    return Report(
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        source_sha=meta["source_sha"],
        rubric=meta["rubric"],
        mode=meta["mode"],
        selection=meta["selection"],
        originals=metrics.distribution(r.score for r in ok.values()),
        naive_originals=metrics.distribution(metrics.naive_score(r) for r in ok.values()),
        original_scores={a: r.score for a, r in sorted(originals.items())},
        groups=groups,
        operators=op_stats,
        control=stats(NULL, by_op[NULL]) if by_op.get(NULL) else None,
        control_moved=[
            f"{p.app} ({p.drop:+.4f})" for p in by_op.get(NULL, []) if abs(p.drop) > 1e-9
        ],
        checks=metrics.check_stats(originals),
        identical=identical,
        unstable={
            a: {"pixels": p.pixel_diff, "looks": p.look_diff, "boxes": p.geometry_diff}
            for a, p in sorted(noise.items())
            if metrics.unstable(p)
        },
        not_applicable=not_applicable,
        infra_errors=infra,
        blocked_hosts=blocked,
        throughput=throughput,
    )


def _f(x: float | None, fmt: str = ".3f") -> str:
    return "-" if x is None else format(x, fmt)


def lines(r: Report, *, markdown: bool = False, missed_max: int = 4) -> list[str]:
    """The report as text: aligned columns for the terminal, pipe tables for markdown."""
    out: list[str] = []

    def table(head: list[str], rows: list[list[str]]) -> None:
        if markdown:
            out.append("| " + " | ".join(head) + " |")
            out.append("|" + "|".join("---" for _ in head) + "|")
            out.extend("| " + " | ".join(row) + " |" for row in rows)
        else:
            widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=True)]
            out.append("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
            out.extend(
                "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows
            )
        out.append("")

    h = "## " if markdown else "== "
    out += [f"{'# ' if markdown else ''}fjudge validity workbench ({r.mode})", ""]
    out += [
        f"source {r.source_sha[:12]} · rubric {r.rubric} · {r.created}",
        f"selection: {r.selection}",
        "",
    ]
    out.append(
        f"{h}Summary (accuracy: original scored above its mutant; ties count half; render "
        "defects whose mutant rendered like its original are left out, see Useless pairs)"
    )
    table(
        [
            "group",
            "apps",
            "ops",
            "pairs",
            "mean acc",
            "pair acc",
            "worst operator",
            "naive mean acc",
            "naive worst",
        ],
        [
            [
                g.name,
                str(g.apps),
                str(g.operators),
                str(g.pairs),
                _f(g.mean_accuracy),
                _f(g.pair_accuracy),
                f"{g.worst_operator} {_f(g.worst_accuracy)}" if g.worst_operator else "-",
                _f(g.naive_mean_accuracy),
                f"{g.naive_worst_operator} {_f(g.naive_worst_accuracy)}"
                if g.naive_worst_operator
                else "-",
            ]
            for g in r.groups
        ],
    )
    o, n = r.originals, r.naive_originals
    out.append(f"{h}Originals' scores (n={o.n})")
    table(
        ["judge", "min", "q1", "median", "q3", "max", "mean"],
        [
            ["fjudge", *(_f(getattr(o, k)) for k in ("min", "q1", "median", "q3", "max", "mean"))],
            ["naive", *(_f(getattr(n, k)) for k in ("min", "q1", "median", "q3", "max", "mean"))],
        ],
    )
    out.append(f"{h}Per operator (all selected apps)")
    rows = []
    for s in sorted(
        r.operators, key=lambda s: (s.accuracy if s.accuracy is not None else 2, s.operator)
    ):
        missed = s.missed if markdown else s.missed[:missed_max]
        more = "" if markdown or len(s.missed) <= missed_max else f" +{len(s.missed) - missed_max}"
        rows.append(
            [
                s.operator,
                s.side,
                s.shows_in,
                str(s.n),
                _f(s.accuracy),
                _f(s.accuracy_band),
                _f(s.mean_drop, "+.3f"),
                _f(s.naive_accuracy),
                ", ".join(f"{c} {d:.2f}" for c, d in s.detecting_checks[:2]) or "-",
                (", ".join(missed) + more) or "-",
            ]
        )
    table(
        [
            "operator",
            "side",
            "shows",
            "n",
            "acc",
            "acc±.03",
            "drop",
            "naive",
            "caught by (mean drop)",
            "missed apps",
        ],
        rows,
    )
    if r.control:
        c = r.control
        moved = r.control_moved
        out.append(
            f"null control (noise floor): n={c.n} acc={_f(c.accuracy)} "
            f"mean drop={_f(c.mean_drop, '+.4f')} score moved on: {', '.join(moved) or 'none'}"
        )
        out.append("")
    out.append(f"{h}Per check on the working originals (false-positive rates)")
    table(
        ["check", "n", "<1", "<0.9", "<0.5", "mean", "apps < 0.5"],
        [
            [
                c.check,
                str(c.n),
                _f(c.fp_below_1, ".0%"),
                _f(c.fp_below_09, ".0%"),
                _f(c.fp_below_05, ".0%"),
                _f(c.mean),
                (", ".join(c.apps_below_05) if markdown else ", ".join(c.apps_below_05[:4])) or "-",
            ]
            for c in r.checks
        ],
    )
    useless = [i for i in r.identical if i.shows_in == "render"]
    out.append(
        f"{h}Useless pairs: render defects whose mutant rendered like its original ({len(useless)})"
    )
    table(
        ["operator", "app", "pixels", "looks", "boxes", "verdict differs"],
        [
            [
                i.operator,
                i.app,
                f"{i.pixel_diff:.4f}",
                f"{i.look_diff:.3f}",
                f"{i.geometry_diff:.3f}",
                str(i.verdict_diff),
            ]
            for i in sorted(useless, key=lambda i: (i.operator, i.app))
        ],
    )
    by_op: dict[str, list] = defaultdict(list)
    for i in r.identical:
        if i.shows_in != "render":
            by_op[i.operator].append(i)
    if by_op:
        out.append(
            f"{h}Behaviour/console defects: rendering unchanged by design; where even the verdict "
            "did not change, the judge could not have seen the defect"
        )
        for op, items in sorted(by_op.items()):
            blind = [i.app for i in items if not i.verdict_diff]
            out.append(
                f"- {op}: {len(items)} rendered alike; verdict unchanged on {len(blind)}"
                + (f": {', '.join(blind)}" if blind else "")
            )
        out.append("")
    if r.unstable:
        out.append(
            f"{h}Apps that render differently from run to run (null control moved; "
            "'identical' is judged against this noise)"
        )
        out += [
            f"- {a}: " + ", ".join(f"{k} {v:.3f}" for k, v in d.items())
            for a, d in r.unstable.items()
        ]
        out.append("")
    na = {op: len(apps) for op, apps in r.not_applicable.items() if apps}
    out.append(
        f"{h}Not applicable (operator: apps): "
        + (", ".join(f"{k} {v}" for k, v in sorted(na.items())) or "none")
    )
    out.append("")
    if r.infra_errors:
        out.append(f"{h}infra_error (left out of the figures): " + "; ".join(r.infra_errors))
        out.append("")
    if r.blocked_hosts:
        out.append(f"{h}Originals with outside requests not answered by the mirror (APIs, media)")
        out += [f"- {a}: {', '.join(hosts)}" for a, hosts in r.blocked_hosts.items()]
        out.append("")
    t = r.throughput
    if t:
        out.append(f"{h}Throughput")
        out.append(", ".join(f"{k}={v:g}" for k, v in t.items()))
        out.append("")
    return out
