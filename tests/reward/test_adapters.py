"""Each trainer adapter called the way its trainer calls it, judging real completions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from judge.adapters import RewardRuntime, RewardUnavailable
from judge.adapters.trl import completion_text, make_reward_func
from judge.adapters.verl import compute_score, compute_score_batch
from judge.schema import JudgeOptions

ROOT = Path(__file__).resolve().parents[2]
POLICY = str(ROOT / "examples" / "policies" / "frontend-rl.toml")
GOOD = (
    "Here is the page.\n\n```html\n<!doctype html><title>Shop</title>"
    "<h1>Welcome</h1><p>Fresh bread every morning.</p>\n```\n"
)
TWO_FILES = (
    "**index.html**\n```html\n<!doctype html><link rel=stylesheet href=style.css>"
    "<h1>Two files</h1><p>Styled text.</p>\n```\n\n**style.css**\n```css\nh1{color:#123}\n```\n"
)
BROKEN = "I could not write the page, sorry."


def test_verl_compute_score_as_the_naive_reward_manager_calls_it() -> None:
    # verl: compute_score(data_source=, solution_str=, ground_truth=, extra_info=, **reward_kwargs)
    early = compute_score(
        data_source="frontend",
        solution_str=GOOD,
        ground_truth={"tests_passed": 0.5},
        extra_info={"index": 0},
        policy=POLICY,
    )
    # step 0: the visual judge is still warming up (weight 0) → verifiable only = 0.5
    assert early["score"] == pytest.approx(0.5)
    late = compute_score(
        data_source="frontend",
        solution_str=GOOD,
        ground_truth='{"tests_passed": 0.5}',
        extra_info={"step": 1000},
        policy=POLICY,
    )
    j = late["fjudge/judge"]
    assert 0 < j <= 1
    assert late["score"] == pytest.approx((0.4 * 0.5 + 0.5 * j) / 0.9)
    gated = compute_score("frontend", BROKEN, None, {"step": 1000}, policy=POLICY)
    assert gated["score"] == -1.0  # rejected: no files in the completion


def test_verl_batch_manager_keeps_order_and_task_types() -> None:
    out = compute_score_batch(
        data_sources=["backend", "frontend", "frontend"],
        solution_strs=[GOOD, TWO_FILES, BROKEN],
        ground_truths=[{"tests_passed": 0.25}, {"tests_passed": 1.0}, None],
        extra_infos=[None, {"step": 0}, None],
        policy=POLICY,
    )
    assert [o["score"] for o in out] == pytest.approx([0.25, 1.0, -1.0])
    assert {k for o in out for k in o} == {o_k for o_k in out[0]}  # same keys for verl's logs


def test_trl_reward_function_as_grpo_trainer_calls_it() -> None:
    reward = make_reward_func(policy=POLICY)
    assert reward.__name__ == "fjudge_reward"  # TRL logs rewards under the function name
    prompts = [[{"role": "user", "content": "Build a bakery page"}]] * 3
    completions = [
        [{"role": "assistant", "content": GOOD}],
        [{"role": "assistant", "content": [{"type": "text", "text": TWO_FILES}]}],
        [{"role": "assistant", "content": BROKEN}],
    ]
    got = reward(
        prompts=prompts,
        completions=completions,
        completion_ids=[[1], [2], [3]],
        task_type=["frontend", "backend", "frontend"],
        tests_passed=[1.0, 0.25, 1.0],
        trainer_state=SimpleNamespace(global_step=0),
    )
    assert got == pytest.approx([1.0, 0.25, -1.0])
    plain = reward(
        prompts=["p"], completions=[GOOD], trainer_state=SimpleNamespace(global_step=500)
    )
    assert 0 < plain[0] <= 1  # judge only (no tests signal), fully warmed up
    assert completion_text("x") == "x"


@pytest.fixture()
def broken_env_runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[RewardRuntime]:
    # A real environment fault: the configured browser does not exist → infra_error verdicts.
    monkeypatch.setenv("FJUDGE_CHROMIUM", "/nonexistent/chromium")
    rt = RewardRuntime(POLICY, JudgeOptions(workers=1))
    yield rt
    rt.close()


def test_skipped_samples_are_never_zero(broken_env_runtime: RewardRuntime) -> None:
    trl = make_reward_func(runtime=broken_env_runtime)
    assert trl(prompts=["p"], completions=[GOOD], tests_passed=[1.0]) == [None]
    with pytest.raises(RewardUnavailable, match="infra_error"):
        compute_score("frontend", GOOD, {"tests_passed": 1.0}, None, runtime=broken_env_runtime)
    # A completion without files is the submission's fault, not the environment's: gated.
    assert trl(prompts=["p"], completions=[BROKEN]) == [-1.0]
