"""`fjudge compare`: the better page wins in both orders; identical pages tie."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fakellm import content, texts

from judge.compare import compare_paths
from judge.schema import JudgeOptions

pytestmark = pytest.mark.browser


class _Memo:
    """The warm session judge, judging each page once for this module (verdicts are
    deterministic; tests/core checks that), so compare tests pay for 2 judgments, not 10."""

    def __init__(self, judge):
        self.judge, self.rubric, self.done = judge, judge.rubric, {}

    async def judge_full(self, path, task=None):
        if path not in self.done:
            self.done[path] = await self.judge.judge_full(path, task=task)
        return self.done[path]


@pytest.fixture(scope="module")
def memo_judge(judge_session):
    return _Memo(judge_session)


def _det(tmp_path):
    return JudgeOptions(judge="deterministic", cache_dir=tmp_path)


async def test_deterministic_better_page_wins_in_both_orders(memo_judge, sites, tmp_path):
    good, bad = sites / "good", sites / "jscrash"
    ab = await compare_paths(_det(tmp_path), good, bad, judge=memo_judge)
    ba = await compare_paths(_det(tmp_path), bad, good, judge=memo_judge)
    assert ab.method == "deterministic" and ab.preference == "A" and ab.margin > ab.tie_band
    assert ba.preference == "B" and ba.margin == pytest.approx(-ab.margin)


def _pair_script(biased: bool):
    """A fake reviewer: prefers the higher deterministic score (or, if biased, always FIRST)."""

    def script(body, n):
        text = " ".join(texts(body))
        scores = [float(s) for s in re.findall(r"deterministic score ([0-9.]+)", text)]
        if biased or scores[0] > scores[1]:
            pref = "first"
        else:
            pref = "second" if scores[1] > scores[0] else "tie"
        return content(body, json.dumps({"preference": pref, "margin": 0.8, "rationale": "r"}))

    return script


@pytest.mark.parametrize("biased", [False, True])
async def test_agent_pairwise_asks_both_orders(memo_judge, fake_llm, sites, tmp_path, biased):
    fake_llm.script = _pair_script(biased)
    fake_llm.requests.clear()
    opts = JudgeOptions(model="fake-vl", base_url=fake_llm.url, cache_dir=tmp_path)
    good, bad = sites / "good", sites / "jscrash"
    ab = await compare_paths(opts, good, bad, judge=memo_judge)
    assert ab.method == "agent" and [o.order for o in ab.orders] == ["AB", "BA"]
    assert len(fake_llm.requests) == 2
    assert all(
        "response_format" in r and len(r["messages"][1]["content"]) == 5 for r in fake_llm.requests
    )
    if biased:
        # A model that always prefers the first position cancels out: a tie, not a win.
        assert [o.preference for o in ab.orders] == ["A", "B"]
        assert ab.preference == "tie" and ab.margin == 0.0
    else:
        assert [o.preference for o in ab.orders] == ["A", "A"]
        assert ab.preference == "A" and ab.margin == pytest.approx(0.8)


@pytest.mark.slow
def test_cli_compare_identical_pages_tie_deterministic(sites, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("FJUDGE_MODEL", "OPENAI_BASE_URL")}
    env["FJUDGE_CACHE"] = str(tmp_path)
    fjudge = str(Path(sys.executable).parent / "fjudge")
    cmd = [fjudge, "compare", str(sites / "good"), str(sites / "good")]
    proc = subprocess.run([*cmd, "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["preference"] == "tie" and out["method"] == "deterministic"
