"""`fjudge eval` and the Python API on a 50-line JSONL of model outputs, with resume."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import judge

ROOT = Path(__file__).resolve().parents[2]
COLOURS = ["#234", "#a33", "#2a6", "#448", "#864"]


def page(i: int) -> str:
    c = COLOURS[i % len(COLOURS)]
    return (
        f"<!doctype html><html lang=en><title>Shop {i}</title>"
        f"<style>body{{font:16px sans-serif;margin:2rem;color:{c}}}</style>"
        f"<h1>Shop number {i}</h1><p>Fresh bread, {i} kinds, every morning.</p>"
        "<button onclick=\"this.textContent='Added'\">Add to basket</button></html>"
    )


def results_file(tmp_path: Path) -> Path:
    """50 lines: fenced completions, bare html, files maps, paths, a task, and refusals."""
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "one.html").write_text(page(99))
    task = json.loads(
        json.dumps(
            {
                "id": "t",
                "instruction": "a shop",
                "checklist": [
                    {
                        "id": "button",
                        "text": "there is a button",
                        "probe": [{"action": "expect_visible", "selector": "button"}],
                    }
                ],
            }
        )
    )
    lines = []
    for i in range(50):
        item: dict = {"id": f"s{i:02d}", "prompt": f"Build shop page {i}", "model": "m-1"}
        if i % 10 == 7:
            item["completion"] = "Sorry, I cannot write that page."  # no code: rejected
        elif i % 10 == 3:
            item["html"] = page(i)
        elif i % 10 == 5:
            item["files"] = {
                "index.html": page(i).replace("<style>", "<link rel=stylesheet href=s.css><style>"),
                "s.css": "h1{letter-spacing:1px}",
            }
        elif i == 9:
            item["path"] = "sites/one.html"
        elif i == 19:
            item["path"] = "sites/missing.html"  # rejected with the reason
        else:
            item["completion"] = f"Here you go:\n\n```html\n{page(i)}\n```\n"
        if i == 1:
            item["task"] = task
            item["prompt"] = [{"role": "user", "content": "Build a shop with a button"}]
        lines.append(json.dumps(item))
    lines.insert(20, "")  # blank lines are fine
    path = tmp_path / "results.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def run_eval(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "judge", "eval", *args],
        capture_output=True,
        text=True,
        timeout=1500,
    )


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_eval_50_lines_then_resume_after_a_crash(tmp_path: Path) -> None:
    results = results_file(tmp_path)
    out = tmp_path / "verdicts.jsonl"
    first = run_eval(str(results), "-o", str(out), "--workers", "2")
    assert first.returncode == 0, first.stderr
    assert "50 inputs" in first.stdout and re.search(r"judged now\s*│\s*50\s*│", first.stdout)
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [f"s{i:02d}" for i in range(50)]  # same order, id carried
    by_id = {r["id"]: r for r in rows}
    assert all(by_id[f"s{i:02d}"]["status"] == "rejected" for i in (7, 17, 27, 37, 47, 19))
    assert "missing.html" in by_id["s19"]["reason"]
    ok = [r for r in rows if r["status"] == "ok"]
    assert len(ok) == 44 and all(0 < r["score"] <= 1 for r in ok)
    assert (
        by_id["s05"]["input"]["kind"] == "directory" and by_id["s09"]["input"]["name"] == "one.html"
    )
    assert [p["status"] for p in by_id["s01"]["probes"]] == ["passed"]  # its task ran

    # A crash: 30 lines written and half of the 31st. The re-run judges only the other 20.
    text = out.read_text().splitlines(keepends=True)
    out.write_text("".join(text[:30]) + text[30][:40])
    again = run_eval(str(results), "-o", str(out), "--workers", "2")
    assert again.returncode == 0, again.stderr
    summary = again.stdout
    assert re.search(r"judged now\s*│\s*20\s*│", summary), summary
    assert re.search(r"already done \(resumed\)\s*│\s*30\s*│", summary), summary
    resumed = out.read_text().splitlines(keepends=True)
    assert resumed[:30] == text[:30]  # untouched
    again_rows = [json.loads(x) for x in resumed]
    assert [r["id"] for r in again_rows] == [r["id"] for r in rows]
    for a, b in zip(again_rows, rows, strict=True):  # deterministic: same verdicts
        assert (a["status"], a["score"]) == (b["status"], b["score"])


def test_eval_refuses_unreadable_lines_with_their_numbers(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": 1, "html": "<p>x</p>"}\nnot json\n{"html": "x"}\n{"id": 1, "html": "y"}\n'
    )
    r = run_eval(str(bad))
    assert r.returncode == 2
    assert "line 2: not JSON" in r.stderr and "line 3: needs an 'id'" in r.stderr
    assert "line 4: id '1' already used on line 1" in r.stderr


def test_python_api(tmp_path: Path) -> None:
    v = judge.score(html=page(1), workers=1)
    assert v.status == "ok" and 0 < v.score <= 1
    refused = judge.score(completion="no code here", prompt="Build a page", workers=1)
    assert refused.status == "rejected" and refused.reason
    with pytest.raises(ValueError, match="exactly one"):
        judge.score(html="<p>x</p>", completion="y")

    async def warm() -> list:
        async with judge.Judge(judge.JudgeOptions(workers=1)) as j:
            site = ROOT / "examples" / "sites" / "polished"
            return [await judge.ascore(site, using=j), await judge.ascore(html=page(2), using=j)]

    import asyncio

    a, b = asyncio.run(warm())
    assert a.status == b.status == "ok"
    small = tmp_path / "two.jsonl"
    small.write_text(
        json.dumps({"id": "a", "html": page(3)})
        + "\n"
        + json.dumps({"id": "b", "completion": "x"})
        + "\n"
    )
    summary = judge.evaluate(small, workers=1)
    assert (
        summary.total == 2 and summary.judged == 2 and summary.statuses == {"ok": 1, "rejected": 1}
    )
    assert summary.out == tmp_path / "two.verdicts.jsonl"
    assert judge.evaluate(small, workers=1).judged == 0  # resumed: nothing left
    reports = tmp_path / "reports"
    judge.evaluate(small, tmp_path / "v2.jsonl", report_dir=reports, workers=1)
    index = (reports / "index.html").read_text()
    assert "a" in index and (reports / "001-a" / "report.html").is_file()


def test_import_judge_is_cheap() -> None:
    code = (
        "import sys, judge; "
        "heavy = [m for m in ('playwright', 'judge.pipeline', 'fastapi', 'openai', 'numpy') "
        "if m in sys.modules]; print(heavy); assert not heavy; "
        "assert callable(judge.score) and 'judge.api' in sys.modules"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
