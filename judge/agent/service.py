"""The agent judge as the pipeline sees it: mode resolution, the runs, and the verdict update.

`--judge auto` becomes `hybrid` when a model and an endpoint are configured (options or
FJUDGE_MODEL + OPENAI_BASE_URL) and `deterministic` otherwise, and the Verdict says which.
The agent's wall time comes from `rubric.budgets.agent_seconds`, separate from the
deterministic budget; steps are per run, tokens per submission (split across runs).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from judge import __version__
from judge.agent import prompts
from judge.agent.aggregate import agent_dimensions, agent_score, item_scores
from judge.agent.checklist import Checklist, derive_checklist
from judge.agent.episode import Budget, RunResult, run_episode
from judge.agent.images import ImageStore
from judge.agent.provider import Provider, ProviderConfig, resolve_config
from judge.agent.subtasks import build_subtasks
from judge.agent.tools import PageTools, tool_specs
from judge.capture import ADVANCE_JS, FRAME_JS, SETTLE_VIRTUAL_MS
from judge.schema import (
    AgentReport,
    CheckResult,
    JudgeInfo,
    JudgeOptions,
    Task,
    ViewportCapture,
)
from judge.spec import effective_spec
from rubrics import Rubric

if TYPE_CHECKING:
    from playwright.async_api import Page

DEFAULT_RUNS = 3
GRACE_SECONDS = 30.0  # the final scoring call may run past the exploration deadline


class AgentConfigError(ValueError):
    """`--judge agent|hybrid` without a model or endpoint: a usage error."""


@dataclass(frozen=True)
class AgentSetup:
    """Resolved judge mode and, when the agent runs, its provider settings."""

    mode: str
    requested: str
    cfg: ProviderConfig | None
    runs: int
    detail: str

    @property
    def enabled(self) -> bool:
        return self.cfg is not None and self.mode in ("agent", "hybrid")

    def provenance(self, rubric: Rubric) -> dict[str, object]:
        """Model id, endpoint host, prompt-template hash, rubric version, runs, seed."""
        if self.cfg is None:
            return {"rubric": rubric.id, "rubric_version": rubric.version}
        return {
            "model": self.cfg.model,
            "endpoint_host": self.cfg.endpoint_host,
            "prompt_template_hash": prompt_hash(),
            "rubric": rubric.id,
            "rubric_version": rubric.version,
            "runs": self.runs,
            "seed": self.cfg.seed,
            "temperature": self.cfg.temperature,
            "image_detail": self.detail,
        }


def prompt_hash() -> str:
    """Hash of the prompt templates and the tool schemas."""
    return prompts.template_hash(tool_specs())


def resolve(options: JudgeOptions) -> AgentSetup:
    """Judge mode from options and environment (see module docstring)."""
    cfg = resolve_config(
        model=options.model,
        base_url=options.base_url,
        temperature=options.temperature,
        seed=options.seed,
        cache_dir=options.cache_dir,
    )
    mode = options.judge
    if mode == "auto":
        mode = "hybrid" if cfg is not None else "deterministic"
    elif mode in ("agent", "hybrid") and cfg is None:
        raise AgentConfigError(
            f"--judge {mode} needs a model and an endpoint: --model/FJUDGE_MODEL and "
            "--base-url/OPENAI_BASE_URL"
        )
    runs = options.runs or DEFAULT_RUNS
    return AgentSetup(mode, options.judge, cfg, runs, options.image_detail)


async def _reset(page: Page, url: str, size: tuple[int, int]) -> None:
    """Fresh page state for an independent run (the clock and Math.random are fixed)."""
    await page.set_viewport_size({"width": size[0], "height": size[1]})
    await page.goto(url, wait_until="load", timeout=15000)
    with contextlib.suppress(Exception):
        await asyncio.wait_for(
            page.evaluate("async () => { if (document.fonts) await document.fonts.ready; }"), 5
        )
    with contextlib.suppress(Exception):  # the same settled state the checks saw
        await asyncio.wait_for(page.evaluate(ADVANCE_JS, SETTLE_VIRTUAL_MS), 10)
        await asyncio.wait_for(page.evaluate(FRAME_JS), 5)


async def run_agent(
    setup: AgentSetup,
    page: Page,
    url: str,
    captures: dict[str, ViewportCapture],
    results: list[CheckResult],
    rubric: Rubric,
    task: Task | None,
) -> AgentReport:
    """Run the agent `runs` times on the live page; raises ProviderDown if the endpoint is down."""
    assert setup.cfg is not None
    t0 = time.monotonic()
    b = rubric.budgets
    provider = Provider(setup.cfg)
    viewports = {n: (v.width, v.height) for n, v in rubric.viewports.items()}
    store = ImageStore("low" if setup.detail == "low" else "high")
    if any(r.fatal for r in results):
        # A fatal render failure decides the verdict (score 0): no model call can change it.
        return unscored_report(setup, "not run: fatal render failure")
    runs: list[RunResult] = []
    deadline = t0 + b.agent_seconds
    try:
        # The prompt's checklist: one list per prompt (cached), so every sample of a task is
        # judged on the same items; the deterministic spec results go with it as evidence.
        checklist = Checklist()
        if task is not None and task.prompt.strip():
            checklist = await derive_checklist(
                provider, task, setup.cfg.model, setup.cfg.cache_dir, list(rubric.dimensions)
            )
        has_spec = task is not None and not effective_spec(task)[0].is_empty()
        subtasks = build_subtasks(rubric, task, checklist.items, has_spec=has_spec)
        sheet = store.contact_sheet(captures)
        brief = prompts.brief(task, subtasks, results, viewports, checklist.items)
        for run in range(setup.runs):
            left = deadline - time.monotonic()
            if left <= 1:
                runs.append(_skipped(["wall_time"]))
                continue
            budget = Budget(b.agent_steps, left / (setup.runs - run), b.agent_tokens // setup.runs)
            try:
                await _reset(page, url, next(iter(viewports.values())))
            except Exception as exc:  # the page broke under the previous run: its fault
                runs.append(_skipped([], f"run {run}: page could not be reloaded: {exc}"[:300]))
                continue
            tools = PageTools(page, store, viewports)
            try:
                got = await asyncio.wait_for(
                    run_episode(provider, tools, subtasks, brief, sheet, budget, run),
                    budget.seconds + GRACE_SECONDS,
                )
            except TimeoutError:
                got = _skipped(["wall_time"])
            runs.append(got)
    finally:
        await provider.close()
    items = item_scores(subtasks, [r.answers for r in runs])
    dims = agent_dimensions(subtasks, items, rubric)
    keys = ("prompt", "completion", "image", "total")
    return AgentReport(
        model=setup.cfg.model,
        endpoint_host=setup.cfg.endpoint_host,
        runs=setup.runs,
        temperature=setup.cfg.temperature,
        seed=setup.cfg.seed,
        prompt_hash=prompt_hash(),
        items=items,
        score=agent_score(dims, rubric),
        dimensions=dims,
        tokens={k: sum(r.tokens.get(k, 0) for r in runs) for k in keys},
        tokens_per_run=[dict(r.tokens) for r in runs],
        budget_hits=sorted({f"run {i}: {h}" for i, r in enumerate(runs) for h in r.budget_hits}),
        cached=all(r.all_cached for r in runs),
        steps_per_run=[r.steps for r in runs],
        errors=(checklist.errors + [e for r in runs for e in r.errors])[:20],
        checklist=checklist.items,
        checklist_key=checklist.key,
    )


def _skipped(hits: list[str], error: str | None = None) -> RunResult:
    tokens = {"prompt": 0, "completion": 0, "image": 0, "total": 0}
    errors = [error] if error else []
    return RunResult(answers={}, tokens=tokens, budget_hits=hits, errors=errors, all_cached=False)


def unscored_report(setup: AgentSetup, reason: str) -> AgentReport:
    """The agent contributed nothing (endpoint down, fatal page): the deterministic verdict stands."""
    assert setup.cfg is not None
    return AgentReport(
        model=setup.cfg.model,
        endpoint_host=setup.cfg.endpoint_host,
        runs=0,
        temperature=setup.cfg.temperature,
        seed=setup.cfg.seed,
        prompt_hash=prompt_hash(),
        unscored_reason=reason[:300],
        errors=[reason[:300]],
    )


def judge_info(
    setup: AgentSetup, rubric: Rubric, kind: str, report: AgentReport | None
) -> JudgeInfo:
    """Who judged, in which mode, with what provenance, and a note on anything unusual."""
    if kind == "image":
        mode, note = "image", None
    elif not setup.enabled:
        mode = "deterministic"
        note = (
            "deterministic judge requested"
            if setup.requested == "deterministic"
            else "no model configured: deterministic checks only"
        )
    else:
        mode = setup.mode
        note = None
        if report is not None and report.unscored_reason:
            note = f"agent unscored ({report.unscored_reason}): deterministic verdict stands"
        elif report is not None and not report.dimensions:
            note = "the agent could not score any sub-task: deterministic score used"
    return JudgeInfo(
        name="fjudge",
        version=__version__,
        mode=mode,  # type: ignore[arg-type]
        note=note,
        provenance=setup.provenance(rubric),
    )
