"""Each trainer adapter called exactly the way its trainer calls it, judging real completions.

Call shapes reproduced here (read from the libraries' sources):
- verl 0.9.1: NaiveRewardManager (workers/reward_manager/naive.py and the reward loop's
  reward_loop/reward_manager/naive.py) calls `compute_score(data_source=, solution_str=,
  ground_truth=, extra_info=)` — the reward loop awaits it when
  `inspect.iscoroutinefunction` holds (also through verl's `functools.partial` wrapper for
  reward_kwargs); BatchRewardManager calls `compute_score(data_sources=, solution_strs=,
  ground_truths=, extra_infos=, **reward_kwargs)`; a dict result needs `score`.
- TRL 1.9: GRPOTrainer._calculate_rewards calls `reward_func(prompts=, completions=,
  completion_ids=, **reward_kwargs)` with dataset columns, `trainer_state`, `log_metric`,
  `log_extra`; coroutine functions are awaited on a daemon event loop
  (asyncio.run_coroutine_threadsafe).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from judge.adapters import RewardRuntime, RewardUnavailable
from judge.adapters.trl import _arguments, completion_text, make_reward_func
from judge.adapters.verl import (
    _inputs,
    compute_score,
    compute_score_async,
    compute_score_batch,
    compute_score_batch_async,
    step_and_prompt,
)
from judge.schema import JudgeOptions, Task
from judge.tasks import prompt_text, task_with_prompt

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
CHAT = [
    {"role": "system", "content": "You write web pages."},
    {"role": "user", "content": "A shop"},
]


def _call_with_kwargs_async(raw_fn, extra_kwargs, *args, **kwargs):  # verl's own wrapper
    return raw_fn(*args, **{**kwargs, **extra_kwargs})


def test_verl_compute_score_as_the_naive_reward_manager_calls_it() -> None:
    early = compute_score(
        data_source="frontend",
        solution_str=GOOD,
        ground_truth={"tests_passed": 0.5},
        extra_info={"index": 0, "num_turns": None, "rollout_reward_scores": {}},
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


def test_verl_async_is_awaited_by_the_reward_loop() -> None:
    # verl's get_custom_reward_fn wraps with functools.partial; the reward loop checks
    # inspect.iscoroutinefunction on the result and awaits it.
    async def wrapper(*a, **kw):
        return await compute_score_async(*a, **kw)

    wrapped = functools.partial(wrapper, policy=POLICY)
    assert inspect.iscoroutinefunction(compute_score_async)
    assert inspect.iscoroutinefunction(compute_score_batch_async)
    assert inspect.iscoroutinefunction(wrapped)

    async def reward_loop() -> list[dict]:
        # several samples awaited concurrently on the trainer's loop, as run_single is
        return list(
            await asyncio.gather(
                wrapped(
                    data_source="frontend",
                    solution_str=GOOD,
                    ground_truth=None,
                    extra_info={"step": 1000},
                ),
                wrapped(
                    data_source="frontend",
                    solution_str=BROKEN,
                    ground_truth=None,
                    extra_info={"step": 1000},
                ),
            )
        )

    good, broken = asyncio.run(reward_loop())
    sync = compute_score("frontend", GOOD, None, {"step": 1000}, policy=POLICY)
    assert good["score"] == pytest.approx(sync["score"])  # same judgment, sync or async
    assert broken["score"] == -1.0
    batch = asyncio.run(
        compute_score_batch_async(
            data_sources=["frontend"],
            solution_strs=[GOOD],
            ground_truths=[None],
            extra_infos=[{"step": 1000}],
            policy=POLICY,
        )
    )
    assert batch[0]["score"] == pytest.approx(sync["score"])


def test_verl_step_comes_from_meta_info_and_prompt_from_raw_prompt() -> None:
    # What FjudgeRewardManager does per sample: verl keeps the step in
    # DataProto.meta_info["global_steps"] and the chat prompt in non_tensor_batch["raw_prompt"].
    extra: dict = {"index": 3}
    step_and_prompt(extra, {"global_steps": 1000}, {"raw_prompt": CHAT})
    assert extra["step"] == 1000 and extra["prompt"] == "You write web pages.\n\nA shop"
    late = compute_score("frontend", GOOD, {"tests_passed": 0.5}, extra, policy=POLICY)
    early = compute_score("frontend", GOOD, {"tests_passed": 0.5}, {"index": 3}, policy=POLICY)
    assert early["score"] == pytest.approx(0.5) and late["score"] != pytest.approx(0.5)
    # the step as a reward kwarg (a documented hook for older verl) wins over extra_info
    kw = compute_score(
        "frontend", GOOD, {"tests_passed": 0.5}, {"step": 0}, policy=POLICY, step=1000
    )
    assert kw["score"] == pytest.approx(late["score"])


def test_verl_batch_manager_keeps_order_task_types_and_prompts() -> None:
    out = compute_score_batch(
        data_sources=["backend", "frontend", "frontend"],
        solution_strs=[GOOD, TWO_FILES, BROKEN],
        ground_truths=[{"tests_passed": 0.25}, {"tests_passed": 1.0, "prompt": "Two files"}, None],
        extra_infos=[None, {"step": 0}, {"question": "Q?"}],
        policy=POLICY,
    )
    assert [o["score"] for o in out] == pytest.approx([0.25, 1.0, -1.0])
    assert {k for o in out for k in o} == set(out[0])  # same keys for verl's logs
    rt = RewardRuntime(POLICY, JudgeOptions(workers=1))
    args = _inputs(
        rt,
        ["frontend"] * 3,
        ["a", "b", "c"],
        [None, {"prompt": "P2"}, None],
        [{"prompt": CHAT}, {}, {"question": "Q3"}],
        None,
    )
    assert args["prompts"] == ["You write web pages.\n\nA shop", "P2", "Q3"]
    rt.close()


def test_trl_reward_function_as_grpo_trainer_calls_it() -> None:
    reward = make_reward_func(policy=POLICY)
    assert reward.__name__ == "fjudge_reward"  # TRL logs rewards under the function name
    prompts = [[{"role": "user", "content": "Build a bakery page"}]] * 3
    completions = [
        [{"role": "assistant", "content": GOOD}],
        [{"role": "assistant", "content": [{"type": "text", "text": TWO_FILES}]}],
        [{"role": "assistant", "content": BROKEN}],
    ]
    metrics: dict[str, list[float]] = {}
    extra_cols: dict[str, list] = {}
    got = reward(
        prompts=prompts,
        completions=completions,
        completion_ids=[[1], [2], [3]],
        task_type=["frontend", "backend", "frontend"],
        tests_passed=[1.0, 0.25, 1.0],
        trainer_state=SimpleNamespace(global_step=0),
        log_metric=lambda name, value: metrics.setdefault(name, []).append(value),
        log_extra=lambda column, values: extra_cols.setdefault(column, values),
    )
    assert got == pytest.approx([1.0, 0.25, -1.0])
    assert metrics["fjudge/verifiable"] == [pytest.approx((1.0 + 0.25) / 2)]
    plain = reward(
        prompts=["p"], completions=[GOOD], trainer_state=SimpleNamespace(global_step=500)
    )
    assert 0 < plain[0] <= 1  # judge only (no tests signal), fully warmed up
    assert completion_text("x") == "x"
    rt = RewardRuntime(POLICY, JudgeOptions(workers=1))
    assert _arguments(rt, prompts, completions, {})["prompts"] == prompts
    rt.close()


def test_trl_async_reward_function_on_trls_daemon_loop() -> None:
    reward = make_reward_func(policy=POLICY, asynchronous=True)
    assert asyncio.iscoroutinefunction(reward) and reward.__name__ == "fjudge_reward"
    loop = asyncio.new_event_loop()  # TRL: start_event_loop_in_daemon
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        coro = reward(
            prompts=["Build a shop", "Build a shop"],
            completions=[GOOD, BROKEN],
            completion_ids=[[1], [2]],
            trainer_state=SimpleNamespace(global_step=500),
        )
        got = asyncio.run_coroutine_threadsafe(coro, loop).result()
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
    sync = make_reward_func(policy=POLICY)(
        prompts=["Build a shop"], completions=[GOOD], trainer_state=SimpleNamespace(global_step=500)
    )
    assert got[0] == pytest.approx(sync[0]) and got[1] == -1.0


def test_prompt_text_and_task_merge() -> None:
    assert prompt_text(CHAT) == "You write web pages.\n\nA shop"
    assert prompt_text([{"role": "user", "content": [{"type": "text", "text": "hi"}]}]) == "hi"
    assert prompt_text(None) == ""
    base = Task(id="todo", instruction="Build a to-do app")
    merged = task_with_prompt("Make it blue", base)
    assert merged is not None and merged.id == "todo" and merged.prompt == "Make it blue"
    assert task_with_prompt("", base) is base and task_with_prompt("", None) is None


def test_prompt_keeps_the_configured_task_checklist(tmp_path: Path) -> None:
    # A task file configured for the runtime keeps its checklist when a sample's prompt is
    # added: its probes still run (the merged Task reached the Judge).
    rt = RewardRuntime(
        POLICY, JudgeOptions(workers=1, task=ROOT / "examples" / "todo" / "task.yaml")
    )
    page = (ROOT / "examples" / "todo" / "index.html").read_text()
    [verdict] = rt.verdicts([f"```html\n{page}\n```"], ["Build a to-do app"])
    rt.close()
    from judge.tasks import read_task

    checklist = read_task(ROOT / "examples" / "todo" / "task.yaml").checklist
    assert verdict.status == "ok"
    assert [p.id for p in verdict.probes] == [c.id for c in checklist]


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
    with pytest.raises(RewardUnavailable, match="infra_error"):
        asyncio.run(compute_score_async("frontend", GOOD, None, None, runtime=broken_env_runtime))
    # A completion without files is the submission's fault, not the environment's: gated.
    assert trl(prompts=["p"], completions=[BROKEN]) == [-1.0]
