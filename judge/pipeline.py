"""The judging pipeline: input → intake → build → preview → browser → checks → Verdict.

`Judge` is the async core used by the CLI, the service and the Ray actors:

    async with Judge(JudgeOptions()) as judge:
        verdict = await judge.judge(Path("site/"))
        async for i, v in judge.judge_many(paths): ...

One warm browser per Judge (launched on first need); every submission gets a fresh isolated
context; `workers` submissions run at once. A submission's fault becomes its verdict; an
environment fault becomes `infra_error` (never a low score).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from PIL import Image

from builders.intake import Intake, IntakeRejected, classify, intake
from judge import __version__
from judge.browser import BrowserHandle, BrowserUnavailable, launch
from judge.capture import capture_viewport, collect_page_records, load, open_session
from judge.checks.base import CheckContext
from judge.preview import PreviewServer
from judge.runner import run_checks
from judge.schema import (
    BuildInfo,
    CheckResult,
    InputInfo,
    JudgeInfo,
    JudgeOptions,
    PageEvents,
    RubricRef,
    Task,
    Verdict,
    ViewportCapture,
)
from judge.scoring import aggregate
from rubrics import Rubric, load_rubric


class RenderFailed(Exception):
    """The page could not be rendered (timeout, crash): a `render_failed` verdict."""


@dataclass
class Judgment:
    """A verdict plus what the report needs (screenshots, extra images)."""

    verdict: Verdict
    captures: dict[str, ViewportCapture] = field(default_factory=dict)
    images: dict[str, bytes] = field(default_factory=dict)


class Judge:
    """Judges submissions with one warm browser. Use as an async context manager."""

    def __init__(self, options: JudgeOptions | None = None) -> None:
        self.options = options or JudgeOptions()
        self.rubric = load_rubric(self.options.rubric)
        self.preview = PreviewServer()
        self.browser: BrowserHandle | None = None
        self.browser_restarts = 0
        self._lock = asyncio.Lock()
        self._tmp = Path(tempfile.mkdtemp(prefix="fjudge-"))
        self._task = read_task(self.options.task) if self.options.task else None
        self._sem = asyncio.Semaphore(self.options.workers)
        # Agent judge (issue 5): mode resolution; raises AgentConfigError (usage) if misconfigured.
        from judge.agent.service import resolve as resolve_agent

        self.agent = resolve_agent(self.options)

    async def __aenter__(self) -> Judge:
        import judge.checks.all  # noqa: F401  (registers the checks)
        from judge.browser import RELAY_PORT, netns_available

        # With a network namespace the browser reaches the preview only through the relay's
        # unix socket; without one, the preview listens on host loopback.
        self._netns = await asyncio.to_thread(netns_available)
        if self._netns:
            await self.preview.start(unix_path=self._tmp / "preview.sock", port=RELAY_PORT)
        else:
            await self.preview.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self.browser is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.browser.close(), 20)
            self.browser = None
        await self.preview.close()
        shutil.rmtree(self._tmp, ignore_errors=True)

    async def _browser(self) -> BrowserHandle:
        async with self._lock:
            if self.browser is None or not self.browser.browser.is_connected():
                if self.browser is not None:
                    self.browser_restarts += 1
                    with contextlib.suppress(Exception):
                        await self.browser.close()
                sock = self._tmp / "preview.sock" if self._netns else None
                self.browser = await launch(sock, self.preview.port)
            return self.browser

    async def judge_many(
        self, paths: Iterable[Path], *, task: Task | None = None
    ) -> AsyncIterator[tuple[int, Judgment]]:
        """Judge many inputs, `workers` at a time; yields (index, judgment) as each finishes."""
        queue: asyncio.Queue[tuple[int, Judgment]] = asyncio.Queue()
        items = list(paths)

        async def one(i: int, p: Path) -> None:
            await queue.put((i, await self.judge_full(p, task=task)))

        tasks = [asyncio.create_task(one(i, p)) for i, p in enumerate(items)]
        try:
            for _ in items:
                yield await queue.get()
        finally:
            for t in tasks:
                t.cancel()

    async def judge(self, path: Path, *, task: Task | None = None) -> Verdict:
        return (await self.judge_full(path, task=task)).verdict

    async def judge_full(self, path: Path, *, task: Task | None = None) -> Judgment:
        """Judge one input; never raises for a bad submission or a broken environment."""
        async with self._sem:
            t0 = time.monotonic()
            work = Path(tempfile.mkdtemp(prefix="job-", dir=self._tmp))
            try:
                judgment = await self._judge(Path(path), work, task)
            except BrowserUnavailable as exc:
                judgment = Judgment(self._infra(path, f"browser unavailable: {exc}"))
            except Exception as exc:  # our fault or the environment's, never the submission's
                judgment = Judgment(self._infra(path, f"{type(exc).__name__}: {exc}"))
            finally:
                shutil.rmtree(work, ignore_errors=True)
            timings = dict(judgment.verdict.timings, total=round(time.monotonic() - t0, 3))
            judgment.verdict = judgment.verdict.model_copy(update={"timings": timings})
            return judgment

    # -- stages -----------------------------------------------------------------------------

    async def _judge(self, path: Path, work: Path, task: Task | None) -> Judgment:
        timings: dict[str, float] = {}
        t = time.monotonic()
        try:
            it = await asyncio.to_thread(intake, path, work)
        except IntakeRejected as exc:
            return Judgment(self._base(path, "rejected", 0.0, str(exc)))
        timings["intake"] = round(time.monotonic() - t, 3)
        if it.kind == "image":
            return await self._judge_image(it, timings)
        try:
            task = task or self._task or _find_task(it.root)
        except ValueError as exc:
            return Judgment(self._base(path, "rejected", 0.0, str(exc), it=it))
        t = time.monotonic()
        site_dir, build, status, reason = await self._build(it, work)
        timings["build"] = round(time.monotonic() - t, 3)
        if status != "ok" or site_dir is None:
            score = None if status == "infra_error" else 0.0
            return Judgment(
                self._base(path, status, score, reason, it=it, build=build, timings=timings)
            )
        for attempt in (1, 2):
            try:
                return await self._judge_page(it, site_dir, task, build, timings)
            except RenderFailed as exc:
                return Judgment(
                    self._base(
                        path, "render_failed", 0.0, str(exc), it=it, build=build, timings=timings
                    )
                )
            except Exception:
                # A browser that died under us is the environment's fault: restart, retry once.
                if attempt == 2 or (self.browser and self.browser.browser.is_connected()):
                    raise
        raise AssertionError("unreachable")

    async def _build(
        self, it: Intake, work: Path
    ) -> tuple[Path | None, BuildInfo | None, str, str | None]:
        root = it.root
        if (root / "package.json").is_file():
            from builders import build_submission

            outcome = await build_submission(
                root,
                work,
                unsafe_no_sandbox=self.options.unsafe_no_sandbox,
                timeout=self.options.build_timeout,
                cache_dir=self.options.cache_dir,
            )
            return outcome.site_dir, outcome.info, outcome.verdict_status, outcome.reason
        for candidate in (root, root / "public"):
            if (candidate / it.entry).is_file():
                return candidate, BuildInfo(status="skipped", tool="static"), "ok", None
        reason = f"no {it.entry} and no package.json in the submission: nothing to serve"
        return None, BuildInfo(status="no_output", reason=reason), "build_failed", reason

    async def _judge_page(
        self,
        it: Intake,
        site_dir: Path,
        task: Task | None,
        build: BuildInfo | None,
        timings: dict[str, float],
    ) -> Judgment:
        rubric = self.rubric
        wall = self.options.wall_seconds or rubric.budgets.wall_seconds
        deadline = time.monotonic() + wall
        handle = await self._browser()
        site = self.preview.register(site_dir, it.entry)
        session = None
        try:
            first = next(iter(rubric.viewports.values()))
            session = await open_session(handle.browser, site, (first.width, first.height))
            captures: dict[str, ViewportCapture] = {}

            async def observe() -> None:
                t = time.monotonic()
                await load(session, min(rubric.budgets.load_seconds, wall))
                timings["load"] = round(time.monotonic() - t, 3)
                t = time.monotonic()
                for name, vp in rubric.viewports.items():
                    if session.events.crashed:
                        break
                    captures[name] = await capture_viewport(session, name, vp.width, vp.height)
                await collect_page_records(session)
                timings["capture"] = round(time.monotonic() - t, 3)

            try:
                await asyncio.wait_for(observe(), timeout=max(1.0, deadline - time.monotonic()))
            except TimeoutError:
                raise RenderFailed(
                    f"the page did not finish rendering within {wall:.0f}s "
                    "(endless script, or a page that never finishes loading?)"
                ) from None
            except Exception as exc:
                if session.events.crashed or "crash" in str(exc).lower():
                    raise RenderFailed(
                        "the renderer crashed (memory bomb or fatal script?)"
                    ) from exc
                if not handle.browser.is_connected():
                    raise
                raise RenderFailed(f"the page could not be rendered: {exc}") from exc
            if session.events.crashed:
                raise RenderFailed("the renderer crashed (memory bomb or fatal script?)")
            ctx = CheckContext(
                rubric=rubric,
                captures=captures,
                events=session.events,
                page=session.page,
                url=site.url,
                task=task,
                deadline=deadline,
            )
            t = time.monotonic()
            results = await run_checks(ctx, "page")
            timings["checks"] = round(time.monotonic() - t, 3)
            # -- agent judge (issue 5): on the still-open page, within rubric.budgets.agent_*
            agent_report = None
            if self.agent.enabled:
                from judge.agent.service import run_agent

                t = time.monotonic()
                agent_report = await run_agent(
                    self.agent, session.page, site.url, captures, results, rubric, task
                )
                timings["agent"] = round(time.monotonic() - t, 3)
            # -- end agent judge
        finally:
            if session is not None:
                await session.close()
            self.preview.unregister(site)
        verdict = self._scored(
            it, results, ctx, captures, build, timings, isolation=handle.isolation
        )
        from judge.agent.service import finish_verdict  # issue 5: mode, agent score, provenance

        verdict = finish_verdict(self.agent, verdict, agent_report, results, rubric)
        return Judgment(verdict, captures, ctx.images)

    async def _judge_image(self, it: Intake, timings: dict[str, float]) -> Judgment:
        try:
            png, size = await asyncio.to_thread(_image_png, it.root)
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            return Judgment(self._base(it.root, "rejected", 0.0, f"unreadable image: {exc}", it=it))
        rubric = self.rubric if self.rubric.kind == "image" else load_rubric("screenshot")
        cap = ViewportCapture(name="image", width=size[0], height=size[1], screenshot=png)
        ctx = CheckContext(rubric=rubric, captures={"image": cap}, events=PageEvents())
        t = time.monotonic()
        results = await run_checks(ctx, "image")
        timings["checks"] = round(time.monotonic() - t, 3)
        verdict = self._scored(it, results, ctx, ctx.captures, None, timings, rubric=rubric)
        return Judgment(verdict, ctx.captures, ctx.images)

    # -- verdict assembly ----------------------------------------------------------------------

    def _scored(
        self,
        it: Intake,
        results: list[CheckResult],
        ctx: CheckContext,
        captures: dict[str, ViewportCapture],
        build: BuildInfo | None,
        timings: dict[str, float],
        *,
        rubric: Rubric | None = None,
        isolation: str | None = None,
    ) -> Verdict:
        rubric = rubric or self.rubric
        score, dims, per_vp, gates = aggregate(results, rubric, list(captures))
        fatal = next((r for r in results if r.data.get("fatal")), None)
        status, reason = "ok", "; ".join(gates) or None
        if fatal is not None:
            status, score, reason = "render_failed", 0.0, fatal.message
        return Verdict(
            status=status,
            reason=reason,
            score=score,
            dimensions=dims,
            viewports=per_vp,
            checks=sorted(results, key=lambda r: (r.score if r.score is not None else 2, r.id)),
            rubric=RubricRef(id=rubric.id, version=rubric.version),
            input=InputInfo(kind=it.kind, sha256=it.sha256, name=it.name),
            judge=self._judge_info("image" if it.kind == "image" else "deterministic"),
            build=build,
            blocked_requests=list(ctx.events.blocked),
            isolation=isolation,
            features=ctx.extras.get("features", {}),
            probes=ctx.extras.get("probes", []),
            interactions=ctx.extras.get("interactions", []),
            timings=timings,
        )

    def _judge_info(self, mode: str) -> JudgeInfo:
        note = None
        if mode == "deterministic" and not self.agent.enabled:  # issue 5: agent configured
            note = "no model configured: deterministic checks only"
        return JudgeInfo(name="fjudge", version=__version__, mode=mode, note=note)

    def _base(
        self,
        path: Path,
        status: str,
        score: float | None,
        reason: str | None,
        *,
        it: Intake | None = None,
        build: BuildInfo | None = None,
        timings: dict[str, float] | None = None,
    ) -> Verdict:
        if it is not None:
            info = InputInfo(kind=it.kind, sha256=it.sha256, name=it.name)
        else:
            info = InputInfo(kind=_kind_guess(path), sha256=_sha_or_empty(path), name=path.name)
        return Verdict(
            status=status,
            reason=reason,
            score=score,
            rubric=RubricRef(id=self.rubric.id, version=self.rubric.version),
            input=info,
            judge=self._judge_info("deterministic"),
            build=build,
            timings=timings or {},
        )

    def _infra(self, path: Path, reason: str) -> Verdict:
        return self._base(Path(path), "infra_error", None, reason)


def _image_png(path: Path) -> tuple[bytes, tuple[int, int]]:
    with Image.open(path) as img:
        img = img.convert("RGB")
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        return buf.getvalue(), img.size


def read_task(path: Path) -> Task:
    """Load and validate a task file (ValueError with the reason)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        return Task.model_validate(data)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ValueError(f"invalid task file {path}: {exc}") from exc


def _find_task(root: Path) -> Task | None:
    for name in ("task.yaml", "task.yml"):
        if (root / name).is_file():
            return read_task(root / name)
    return None


def _kind_guess(path: Path) -> str:
    try:
        return classify(path)
    except (IntakeRejected, OSError):
        return "directory" if path.is_dir() else "html"


def _sha_or_empty(path: Path) -> str:
    from builders.intake import file_sha256

    try:
        return file_sha256(path) if path.is_file() else ""
    except OSError:
        return ""
