"""`fjudge score` as a user runs it: a real subprocess, real browser, JSON lines on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest
from PIL import Image, ImageDraw

from tests.conftest import SITES

pytestmark = pytest.mark.browser


def fjudge(*args, env=None, timeout=240):
    return subprocess.run(
        [sys.executable, "-m", "judge", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("inputs")
    arc = tmp / "site.zip"
    with zipfile.ZipFile(arc, "w") as zf:
        for f in (SITES / "good").iterdir():
            zf.write(f, f"good/{f.name}")
    shot = tmp / "shot.png"
    img = Image.new("RGB", (1024, 768), "#f4f6fb")
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 1024, 80), fill="#2b3a8f")
    for i in range(3):
        d.rectangle((60 + i * 320, 200, 340 + i * 320, 500), fill="white", outline="#ccd")
        d.text((80 + i * 320, 220), "Feature card", fill="#222")
    img.save(shot)
    blank = tmp / "blank.png"
    Image.new("RGB", (800, 600), "white").save(blank)
    bad = tmp / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("../escape.html", "x")
    return [SITES / "good", SITES / "blank" / "index.html", arc, shot, blank, bad]


def test_json_one_verdict_per_input_in_order(inputs, tmp_path):
    out = tmp_path / "out"
    r = fjudge("score", *inputs, "--json", "--workers", "2", "--out", out)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == len(inputs)
    verdicts = [json.loads(line) for line in lines]
    kinds = [v["input"]["kind"] for v in verdicts]
    assert kinds == ["directory", "html", "archive", "image", "image", "archive"]
    statuses = [v["status"] for v in verdicts]
    assert statuses == ["ok", "render_failed", "ok", "ok", "render_failed", "rejected"]
    for v in verdicts:
        assert 0.0 <= v["score"] <= 1.0
        assert v["rubric"]["id"] and v["input"]["sha256"] or v["status"] == "rejected"
    assert verdicts[3]["rubric"]["id"] == "screenshot"
    assert verdicts[0]["score"] > verdicts[1]["score"]
    # --out: screenshots of every viewport, verdict.json, report.html per input.
    first = sorted(out.iterdir())[0]
    names = {p.name for p in first.iterdir()}
    assert {"mobile.png", "tablet.png", "desktop.png", "verdict.json"} <= names
    assert json.loads((first / "verdict.json").read_text())["screenshots"]["mobile"] == "mobile.png"


def test_table_output(inputs):
    r = fjudge("score", inputs[0], inputs[1])
    assert r.returncode == 0, r.stderr
    assert "status" in r.stdout and "ok" in r.stdout and "render_failed" in r.stdout


def test_usage_errors_exit_2(tmp_path):
    assert fjudge("score", tmp_path / "missing").returncode == 2
    assert fjudge("score", SITES / "good", "--rubric", "nope").returncode == 2
    r = fjudge("score", SITES / "good", "--judge", "psychic")
    assert r.returncode == 2 and "--judge" in r.stderr
    no_model = {"FJUDGE_MODEL": "", "OPENAI_BASE_URL": ""}
    r = fjudge("score", SITES / "good", "--judge", "agent", env=no_model)
    assert r.returncode == 2 and "model" in r.stderr


def test_no_browser_exits_3():
    r = fjudge("score", SITES / "good", "--json", env={"FJUDGE_CHROMIUM": "/nonexistent"})
    assert r.returncode == 3
    assert r.stdout == ""
    assert "FJUDGE_CHROMIUM" in r.stderr


def test_rubrics_lists_bundled():
    r = fjudge("rubrics", "--json")
    names = {x["name"] for x in json.loads(r.stdout)}
    assert {"frontend", "screenshot"} <= names
