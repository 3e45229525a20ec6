"""The workbench's maths on synthetic verdicts: accuracy with ties, false-positive rates,
distribution, naive baseline, rendering diffs, re-scoring, and the stability of the split."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from benchmarks.validity import metrics, report, split
from benchmarks.validity.models import Record, ViewObs
from benchmarks.validity.operators import registry
from benchmarks.validity.rescore import rescore_verdict
from rubrics import load_rubric


def _thumb(value: int = 200, patch: int | None = None) -> str:
    a = np.full((96, 96), value, dtype=np.uint8)
    if patch is not None:
        a[:24, :24] = patch  # 576 of 9216 pixels = 6.25%
    return base64.b64encode(a.tobytes()).decode()


def _view(uniformity=0.8, doc_width=375, thumb=None, look=("a", "b"), geo=("g",)) -> ViewObs:
    return ViewObs(
        width=375,
        height=812,
        doc_width=doc_width,
        doc_height=812,
        uniformity=uniformity,
        thumb=thumb or _thumb(),
        look=list(look),
        geometry=list(geo),
    )


def _check(cid, score, viewport=None, **data):
    return {
        "id": cid,
        "dimension": cid.split(".")[0],
        "score": score,
        "weight": 1.0,
        "viewport": viewport,
        "data": data,
    }


def _rec(app, op, score, checks=(), views=None, status="ok", interactions=()) -> Record:
    return Record(
        app=app,
        operator=op,
        input_sha=f"{app}-{op}",
        source_sha="s",
        rubric="r",
        status=status,
        score=score,
        verdict={"status": status, "checks": list(checks), "interactions": list(interactions)},
        views=views if views is not None else {"mobile": _view()},
    )


def test_accuracy_counts_ties_half():
    assert metrics.accuracy([0.1, 0.0, -0.2, 1e-12]) == pytest.approx((1 + 0.5 + 0 + 0.5) / 4)
    assert metrics.accuracy([]) is None
    # Within the 0.03 band a small win is a tie.
    assert metrics.accuracy([0.02, 0.05, -0.01], band=0.03) == pytest.approx((0.5 + 1 + 0.5) / 3)


def test_operator_stats_lists_misses_and_ties():
    pairs = [
        metrics.make_pair(_rec(a, "", o), _rec(a, "op", m))
        for a, o, m in (("x", 0.9, 0.5), ("y", 0.8, 0.8), ("z", 0.6, 0.7))
    ]
    s = metrics.operator_stats("op", pairs)
    assert s.n == 3
    assert s.accuracy == pytest.approx(0.5)
    assert s.mean_drop == pytest.approx((0.4 + 0.0 - 0.1) / 3, abs=1e-4)
    assert s.missed == ["z (-0.100)", "y (+0.000)"]


def test_check_false_positive_rates_group_viewports_by_id():
    originals = {
        "a": _rec(
            "a",
            "",
            0.9,
            [_check("layout.overflow", 1.0, "mobile"), _check("layout.overflow", 0.4, "desktop")],
        ),
        "b": _rec(
            "b", "", 0.9, [_check("layout.overflow", 0.95, "mobile"), _check("a11y.axe", None)]
        ),
        "c": _rec(
            "c", "", 0.9, [_check("layout.overflow", 1.0, "mobile"), _check("a11y.axe", 0.7)]
        ),
        "d": _rec("d", "", 0.9, [_check("layout.overflow", 0.85)]),
    }
    stats = {c.check: c for c in metrics.check_stats(originals)}
    ov = stats["layout.overflow"]
    assert ov.n == 4
    assert (ov.fp_below_1, ov.fp_below_09, ov.fp_below_05) == (0.75, 0.5, 0.25)
    assert ov.mean == pytest.approx((0.4 + 0.95 + 1.0 + 0.85) / 4, abs=1e-4)
    assert ov.apps_below_05 == ["a"]
    # An unscored result is not a false positive and does not count in n.
    assert stats["a11y.axe"].n == 1 and stats["a11y.axe"].fp_below_1 == 1.0


def test_distribution_quartiles():
    d = metrics.distribution([0.5, 0.6, 0.7, 0.8, 0.9])
    assert (d.min, d.q1, d.median, d.q3, d.max) == (0.5, 0.6, 0.7, 0.8, 0.9)
    assert metrics.distribution([]).n == 0


def test_naive_score_painted_minus_errors_and_overflow():
    painted = _rec("a", "", 0.9, views={"m": _view(0.8), "d": _view(0.8)})
    assert metrics.naive_score(painted) == 1.0
    blank = _rec("a", "x", 0.9, views={"m": _view(0.99), "d": _view(0.99)})
    assert metrics.naive_score(blank) == pytest.approx(0.0667, abs=1e-3)
    crashed = _rec(
        "a", "y", 0.9, [_check("runtime.exceptions", 0.6, count=1)], views={"m": _view(0.8)}
    )
    assert metrics.naive_score(crashed) == pytest.approx(0.7)
    wide = _rec("a", "z", 0.9, views={"m": _view(0.8, doc_width=500), "d": _view(0.8)})
    assert metrics.naive_score(wide) == pytest.approx(0.9)
    assert metrics.naive_score(_rec("a", "w", 0.0, status="render_failed")) == 0.0


def test_rendering_diff_against_null_noise():
    orig = _rec("a", "", 0.9)
    same = _rec("a", "op", 0.9)
    patched = _rec("a", "op2", 0.8, views={"mobile": _view(thumb=_thumb(patch=0))})
    restyled = _rec("a", "op3", 0.8, views={"mobile": _view(look=("a", "c"))})
    noise = metrics.make_pair(orig, _rec("a", "null", 0.9))
    p_same, p_patch, p_style = (metrics.make_pair(orig, m) for m in (same, patched, restyled))
    assert p_patch.pixel_diff == pytest.approx(576 / 9216, abs=1e-4)
    assert p_style.look_diff == pytest.approx(2 / 3, abs=1e-4)
    assert metrics.rendered_identically(p_same, noise)
    assert not metrics.rendered_identically(p_patch, noise)
    assert not metrics.rendered_identically(p_style, noise)
    # On an app whose own copy moved by 10% of pixels, a 6% change is within the noise.
    noisy = metrics.make_pair(
        orig, _rec("a", "null", 0.9, views={"mobile": _view(thumb=_thumb(patch=0))})
    )
    assert metrics.unstable(noisy) and not metrics.unstable(noise)


def test_split_is_stable_and_about_a_third():
    # Pinned: a change of salt or hash would silently reshuffle train and held-out sets.
    assert split.side("todo-list") == "holdout"
    assert split.side("expanding-cards") == "train"
    assert split.side("tiny_text") == "holdout"
    assert split.side("crash_wipe") == "train"
    names = [f"name-{i}" for i in range(3000)]
    held = split.select(names, "holdout")
    assert 0.30 < len(held) / len(names) < 0.37
    assert set(held) | set(split.select(names, "train")) == set(names)
    assert split.select(names, "all") == names
    with pytest.raises(ValueError):
        split.select(names, "test")


def test_rescore_reaggregates_under_another_rubric(tmp_path):
    checks = [
        _check("render.blank", 1.0, "mobile"),
        _check("layout.overflow", 0.2, "mobile"),
        _check("interaction.broken", 1.0),
    ]
    verdict = {"status": "ok", "score": 0.5, "checks": checks, "viewports": {"mobile": {}}}
    base = rescore_verdict(verdict, load_rubric("frontend"))
    data = json.loads(load_rubric("frontend").model_dump_json())
    data["dimensions"]["layout"]["weight"] = 0.0
    alt_yaml = tmp_path / "alt.yaml"  # JSON is YAML: the loader picks the parser by suffix
    alt_yaml.write_text(json.dumps(data))
    without_layout = rescore_verdict(verdict, load_rubric(alt_yaml))
    assert base < without_layout == 1.0
    # Verdicts that are not ok keep their score; infra errors stay unscored.
    assert (
        rescore_verdict({"status": "render_failed", "score": 0.0}, load_rubric("frontend")) == 0.0
    )
    assert (
        rescore_verdict({"status": "infra_error", "score": None}, load_rubric("frontend")) is None
    )


def test_report_groups_split_and_renders():
    ops = registry()
    train_op, held_op = "crash_wipe", "tiny_text"
    apps = {"todo-list": 0.8, "expanding-cards": 0.7}  # held-out app, train app
    originals = {a: _rec(a, "", s) for a, s in apps.items()}
    seen = {"mobile": _view(look=("a", "c"))}  # the defect shows: element looks changed
    mutants = {
        ("todo-list", held_op): _rec("todo-list", held_op, 0.5, views=seen),
        ("todo-list", train_op): _rec("todo-list", train_op, 0.9, views=seen),
        ("expanding-cards", train_op): _rec("expanding-cards", train_op, 0.7, views=seen),
        ("expanding-cards", held_op): _rec("expanding-cards", held_op, 0.6, views=seen),
        ("todo-list", "null"): _rec("todo-list", "null", 0.8),
    }
    rep = report.build(
        originals,
        mutants,
        {n: ops[n] for n in ("null", train_op, held_op)},
        not_applicable={},
        infra=[],
        meta={"source_sha": "s" * 40, "rubric": "r", "mode": "judge", "selection": {}},
        throughput={},
    )
    groups = {g.name: g for g in rep.groups}
    # A render defect that changed nothing on screen is left out of accuracy, but listed.
    unseen = dict(mutants)
    unseen[("expanding-cards", held_op)] = _rec("expanding-cards", held_op, 0.9)
    rep2 = report.build(
        originals,
        unseen,
        {n: ops[n] for n in ("null", train_op, held_op)},
        not_applicable={},
        infra=[],
        meta={"source_sha": "s" * 40, "rubric": "r", "mode": "judge", "selection": {}},
        throughput={},
    )
    assert {g.name: g.pairs for g in rep2.groups}["all"] == 3
    assert [(i.app, i.operator) for i in rep2.identical] == [("expanding-cards", held_op)]
    train = groups["train apps x train operators"]
    assert (train.pairs, train.mean_accuracy) == (1, 0.5)  # expanding-cards x crash_wipe: tie
    held = groups["held-out apps x held-out operators"]
    assert (held.pairs, held.mean_accuracy) == (1, 1.0)  # todo-list x tiny_text
    assert groups["all"].pairs == 4 and groups["all"].worst_operator == train_op
    assert rep.control is not None and rep.control.n == 1 and rep.control_moved == []
    assert rep.originals.median == pytest.approx(0.75)
    text = "\n".join(report.lines(rep))
    assert "crash_wipe" in text and "null control" in text
    assert "| operator |" in "\n".join(report.lines(rep, markdown=True))
