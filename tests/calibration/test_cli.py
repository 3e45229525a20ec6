"""`fjudge calibrate fit|report` and `fjudge review --export` end to end on generated images."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image, ImageDraw
from typer.testing import CliRunner

from judge.cli import app

# Each test judges 24 screenshots and runs nested CV more than once: slow on a shared machine.
pytestmark = pytest.mark.timeout(900)


@pytest.fixture
def labelled(tmp_path, monkeypatch):
    """24 screenshots with more clutter → lower rating; two raters with noise."""
    monkeypatch.setenv("FJUDGE_CACHE", str(tmp_path / "cache"))
    rng = np.random.default_rng(0)
    rows = ["item,rating,rater,scale_min,scale_max"]
    for k in range(24):
        img = Image.new("RGB", (512, 384), "white")
        d = ImageDraw.Draw(img)
        # Every screenshot has a page's skeleton (so none is blank); clutter grows with k.
        d.rectangle([0, 0, 512, 48], fill=(30, 60, 120))
        for y in range(80, 360, 28):
            d.rectangle([40, y, 300, y + 8], fill=(60, 60, 60))
        for _ in range(k * 6):
            x, y = rng.integers(0, 512), rng.integers(0, 384)
            d.line(
                [x, y, x + rng.integers(-80, 80), y + rng.integers(-80, 80)],
                fill=tuple(rng.integers(0, 255, 3).tolist()),
                width=2,
            )
        img.save(tmp_path / f"s{k}.png")
        truth = 9 - 8 * k / 23
        for rater in ("ann", "bob"):
            rows.append(
                f"s{k}.png,{np.clip(round(truth + rng.normal(0, 0.7), 1), 1, 9)},{rater},1,9"
            )
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    return tmp_path


def test_fit_then_report_with_calibration(labelled):
    runner = CliRunner()
    out = labelled / "cal.json"
    res = runner.invoke(app, ["calibrate", "fit", str(labelled / "labels.csv"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "nested CV (3× 5 folds) on 24 items" in res.output
    assert "pearson" in res.output and "spearman" in res.output and "train" in res.output
    cal = json.loads(out.read_text())
    assert cal["rubric"] == {"id": "screenshot", "version": cal["rubric"]["version"]}
    assert cal["cv"]["spearman"]["value"] > 0.7
    assert cal["model"]["kind"] == "monotone"  # under 30 items: the score's monotone map only
    # Second fit reuses every cached verdict.
    res = runner.invoke(app, ["calibrate", "fit", str(labelled / "labels.csv"), "-o", str(out)])
    assert "24 cached verdicts, judging 0 items" in res.output
    rep = labelled / "rep"
    res = runner.invoke(
        app,
        [
            "calibrate",
            "report",
            str(labelled / "labels.csv"),
            "--calibration",
            str(out),
            "-o",
            str(rep),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "human ceiling" in res.output and "krippendorff_alpha" in res.output
    assert "the calibration's own estimate" in res.output
    html = (rep / "report.html").read_text()
    assert "nested CV [95% CI]" in html and "train (in-sample)" in html
    assert "Worst disagreements" in html and "data:image/png;base64" in html
    assert (rep / "scatter.png").stat().st_size > 1000 and (rep / "reliability.png").is_file()


def test_label_errors_exit_2_with_line(labelled):
    (labelled / "bad.csv").write_text("item,rating\ns0.png,3\nnope.png,4\n")
    res = CliRunner().invoke(app, ["calibrate", "fit", str(labelled / "bad.csv"), "-o", "x.json"])
    assert res.exit_code == 2
    assert "bad.csv:3: item 'nope.png' not found" in res.output


def test_report_refuses_calibration_of_another_rubric_version(labelled):
    runner = CliRunner()
    out = labelled / "cal.json"
    assert (
        runner.invoke(
            app, ["calibrate", "fit", str(labelled / "labels.csv"), "-o", str(out)]
        ).exit_code
        == 0
    )
    cal = json.loads(out.read_text())
    cal["rubric"]["version"] = "0.0.1-old"
    out.write_text(json.dumps(cal))
    res = runner.invoke(
        app, ["calibrate", "report", str(labelled / "labels.csv"), "--calibration", str(out)]
    )
    assert res.exit_code == 2
    assert "version 0.0.1-old" in res.output and "refit" in res.output


def test_review_export_empty_store(labelled):
    out = labelled / "export.jsonl"
    res = CliRunner().invoke(app, ["review", str(labelled), "--export", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text() == ""


def test_fit_refused_when_humans_disagree_with_the_judge(labelled):
    """Raters who prefer clutter: the judge's score cannot be mapped onto their scale (its
    monotone map is flat or anti-correlated held out), so nothing is written, exit 4."""
    rows = ["item,rating"] + [f"s{k}.png,{1 + 8 * k / 23:.2f}" for k in range(24)]
    (labelled / "reversed.csv").write_text("\n".join(rows) + "\n")
    out = labelled / "reversed-cal.json"
    runner = CliRunner()
    args = ["calibrate", "fit", str(labelled / "reversed.csv"), "-o", str(out), "--scale", "1,9"]
    res = runner.invoke(app, args)
    assert res.exit_code == 4, res.output
    assert "refusing to write this calibration" in res.output and "--force" in res.output
    assert not out.exists()
    forced = runner.invoke(app, [*args, "--force"])
    assert forced.exit_code == 0 and "WARNING (--force)" in forced.output
    assert json.loads(out.read_text())["selection"]["refused_but_forced"]


def test_score_applies_calibration_and_refuses_other_version(labelled):
    runner = CliRunner()
    out = labelled / "cal.json"
    fit = runner.invoke(app, ["calibrate", "fit", str(labelled / "labels.csv"), "-o", str(out)])
    assert fit.exit_code == 0, fit.output
    shots = [str(labelled / "s0.png"), str(labelled / "s23.png")]
    res = runner.invoke(app, ["score", *shots, "--json", "--calibration", str(out)])
    assert res.exit_code == 0, res.output
    clean, cluttered = (json.loads(line) for line in res.output.strip().splitlines())
    for v in (clean, cluttered):
        cal = v["calibration"]
        assert cal["raw_score"] == v["score"]  # the raw score is kept beside the calibrated one
        assert len(cal["file_sha256"]) == 64
        assert 1 <= cal["human_value"] <= 9
    assert clean["calibration"]["human_value"] > cluttered["calibration"]["human_value"]
    data = json.loads(out.read_text())
    data["rubric"]["version"] = "0.0.1-old"
    out.write_text(json.dumps(data))
    res = runner.invoke(app, ["score", shots[0], "--json", "--calibration", str(out)])
    assert res.exit_code == 2
    assert "0.0.1-old" in res.output


def test_fit_from_preferences_reports_pairwise_agreement_and_ceiling(labelled):
    """Pairwise labels are first-class: Bradley–Terry over the judge's features, nested CV,
    with the raw score's accuracy and the human–human agreement printed beside it."""
    rng = np.random.default_rng(3)
    rows = ["a,b,winner,rater"]
    for n in range(90):
        i, j = rng.choice(24, 2, replace=False)
        rows.append(f"s{i}.png,s{j}.png,{'a' if i < j else 'b'},ann")  # less clutter wins
        if n % 3 == 0:  # a second, noisier rater on a third of the pairs
            w = "a" if i + rng.normal(0, 6) < j else "b"
            rows.append(f"s{i}.png,s{j}.png,{w},bob")
    (labelled / "pairs.csv").write_text("\n".join(rows) + "\n")
    out = labelled / "bt.json"
    res = CliRunner().invoke(app, ["calibrate", "fit", str(labelled / "pairs.csv"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "expected agreement on new pairs (nested CV" in res.output
    for key in ("pairwise_accuracy", "baseline_pairwise_accuracy", "human_pairwise_agreement"):
        assert key in res.output
    cal = json.loads(out.read_text())
    assert cal["cv"]["pairwise_accuracy"]["value"] > 0.6
