"""The judging pipeline: input → intake → build → preview → browser → checks → Verdict.

`Judge` is the async core used by the CLI, the service, the Ray actors and the adapters:

    async with Judge(JudgeOptions()) as judge:
        verdict = await judge.judge(Path("site/"))
        async for i, judgment in judge.judge_many(paths): ...

One warm browser per Judge (launched on first need); every submission gets a fresh isolated
context; `workers` submissions run at once. Each stage returns its part of the judgment and
`judge.assemble.assemble` turns the parts into the Verdict, once; a configured calibration is
then added by `judge.finish` — the same path for every entry point. A submission's fault
becomes its verdict; an environment fault becomes `infra_error` (never a low score).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import shutil
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from builders.intake import Intake, IntakeRejected, classify, intake
from judge.assemble import assemble
from judge.browser import BrowserHandle, BrowserUnavailable, launch
from judge.capture import PageSession, capture_viewport, collect_page_records, load, open_session
from judge.checks.base import CheckContext
from judge.finish import Finisher
from judge.mirror import mirror_for
from judge.preview import PreviewServer, Site
from judge.rubric_check import load_rubric as checked_rubric
from judge.runner import run_checks
from judge.schema import (
    AgentReport,
    BuildInfo,
    CheckResult,
    InputInfo,
    JudgeOptions,
    PageEvents,
    Task,
    Verdict,
    VerdictParts,
    ViewportCapture,
    with_prompt,
)
from judge.spec import prompt_info
from judge.tasks import find_task, read_task
from judge.workdirs import clean_stale, make_workdir, remove_workdir
from rubrics import Rubric, load_rubric


class RenderFailed(Exception):
    """The page could not be rendered (timeout, crash): a `render_failed` verdict."""


@dataclass
class Judgment:
    """A verdict plus what the report needs (screenshots, extra images)."""

    verdict: Verdict
    captures: dict[str, ViewportCapture] = field(default_factory=dict)
    images: dict[str, bytes] = field(default_factory=dict)


@contextlib.contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    t = time.monotonic()
    try:
        yield
    finally:
        timings[stage] = round(time.monotonic() - t, 3)


class Judge:
    """Judges submissions with one warm browser. Use as an async context manager."""

    def __init__(self, options: JudgeOptions | None = None) -> None:
        from judge.agent.service import resolve as resolve_agent

        self.options = options or JudgeOptions()
        self.rubric = checked_rubric(self.options.rubric)  # no-op keys are errors
        # Agent mode resolution raises AgentConfigError (a usage error) if misconfigured; the
        # calibration is refused here (CalibrationMismatch) if it belongs to another rubric.
        self.agent = resolve_agent(self.options)
        self.finisher = Finisher.from_options(self.options, self.rubric)
        self._task = read_task(self.options.task) if self.options.task else None
        self.preview = PreviewServer(mirror=mirror_for(self.options))
        self.browser: BrowserHandle | None = None
        self.browser_restarts = 0
        self._lock = asyncio.Lock()
        self._sem = asyncio.Semaphore(self.options.workers)
        self._tmp: Path | None = None
        self._netns = False

    async def __aenter__(self) -> Judge:
        import judge.checks.all  # noqa: F401  (registers the checks)
        from judge.browser import RELAY_PORT, netns_available

        await asyncio.to_thread(clean_stale)  # what killed processes left behind
        self._tmp = make_workdir("fjudge-judge-")
        # With a network namespace the browser reaches the preview only through the relay's
        # unix socket; without one, the preview listens on host loopback.
        self._netns = await asyncio.to_thread(netns_available)
        try:
            if self._netns:
                await self.preview.start(unix_path=self._tmp / "preview.sock", port=RELAY_PORT)
            else:
                await self.preview.start()
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the browser and the preview, remove the working directory. Idempotent."""
        # Every step runs even when the close itself is cancelled (a SIGTERM arriving while
        # the browser shuts down): nothing of ours may stay in /tmp.
        handle, self.browser = self.browser, None
        try:
            if handle is not None:
                try:
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(handle.close(), 20)
                finally:
                    remove_workdir(handle.workdir)
        finally:
            try:
                await self.preview.close()
            finally:
                if self._tmp is not None:
                    remove_workdir(self._tmp)
                    self._tmp = None

    async def browser_handle(self) -> BrowserHandle:
        """The Judge's warm browser (launched on first use, relaunched if it died), for callers
        that open their own sandboxed pages on this Judge's preview (the review app)."""
        return await self._browser()

    async def _browser(self) -> BrowserHandle:
        async with self._lock:
            if self.browser is None or not self.browser.browser.is_connected():
                if self.browser is not None:
                    self.browser_restarts += 1
                    with contextlib.suppress(Exception):
                        await self.browser.close()
                assert self._tmp is not None, "use `async with Judge(...)`"
                sock = self._tmp / "preview.sock" if self._netns else None
                handle = await launch(sock, self.preview.port)
                if self._tmp is None:  # the Judge closed while Chromium started
                    await handle.close()
                    raise BrowserUnavailable("the judge was closed")
                self.browser = handle
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
            # Wait for them to unwind (a browser launch in flight must finish or clean up before
            # the Judge closes, or it would outlive it), without hiding our own cancellation.
            if tasks:
                await asyncio.wait(tasks)

    async def judge(self, path: Path, *, task: Task | None = None) -> Verdict:
        """Judge one input (see `judge_full`)."""
        return (await self.judge_full(path, task=task)).verdict

    async def judge_full(self, path: Path, *, task: Task | None = None) -> Judgment:
        """Judge one input; never raises for a bad submission or a broken environment."""
        async with self._sem:
            t0 = time.monotonic()
            assert self._tmp is not None, "use `async with Judge(...)`"
            work = make_workdir("fjudge-job-")
            timings: dict[str, float] = {}
            try:
                parts, captures, images = await self._judge(Path(path), work, task, timings)
            except BrowserUnavailable as exc:
                parts, captures, images = self._stopped(path, "infra_error", f"{exc}"), {}, {}
            except Exception as exc:  # our fault or the environment's, never the submission's
                reason = f"{type(exc).__name__}: {exc}"
                parts, captures, images = self._stopped(path, "infra_error", reason), {}, {}
            finally:
                shutil.rmtree(work, ignore_errors=True)
            timings["total"] = round(time.monotonic() - t0, 3)
            parts = parts.model_copy(update={"timings": {**parts.timings, **timings}})
            rubric = self._rubric_for(parts)
            verdict = self.finisher.verdict(assemble(parts, rubric))
            return Judgment(verdict, captures, images)

    # -- stages -----------------------------------------------------------------------------

    async def _judge(
        self, path: Path, work: Path, task: Task | None, timings: dict[str, float]
    ) -> tuple[VerdictParts, dict[str, ViewportCapture], dict[str, bytes]]:
        try:
            with _timed(timings, "intake"):
                it = await asyncio.to_thread(intake, path, work)
        except IntakeRejected as exc:
            return self._stopped(path, "rejected", str(exc)), {}, {}
        if it.kind == "image":
            return await self._judge_image(it, timings)
        try:
            task = task or self._task or find_task(it.root)
        except ValueError as exc:
            return self._stopped(path, "rejected", str(exc), it=it), {}, {}
        # Prompt (issue 13): `--prompt`/options set the task's prompt, over any task file's.
        task = with_prompt(task, self.options.prompt)
        with _timed(timings, "build"):
            site_dir, build, status, reason = await self._build(it, work)
        if status != "ok" or site_dir is None:
            return self._stopped(path, status, reason, it=it, build=build), {}, {}
        for attempt in (1, 2):
            try:
                return await self._judge_page(it, site_dir, task, build, timings)
            except RenderFailed as exc:
                return self._stopped(path, "render_failed", str(exc), it=it, build=build), {}, {}
            except Exception:
                # A browser that died under us is the environment's fault: restart, retry once.
                if attempt == 2 or (self.browser and self.browser.browser.is_connected()):
                    raise
        raise AssertionError("unreachable")

    async def prepare(self, it: Intake, work: Path):
        """The unpacked input made servable (built in the sandbox when it is an npm project),
        with this Judge's build options; the review app serves its items through it too."""
        from builders import prepare_site

        return await prepare_site(
            it.root,
            it.entry,
            work,
            unsafe_no_sandbox=self.options.unsafe_no_sandbox,
            timeout=self.options.build_timeout,
            cache_dir=self.options.cache_dir,
        )

    async def _build(
        self, it: Intake, work: Path
    ) -> tuple[Path | None, BuildInfo | None, str, str | None]:
        outcome = await self.prepare(it, work)
        return outcome.site_dir, outcome.info, outcome.verdict_status, outcome.reason

    async def _judge_page(
        self,
        it: Intake,
        site_dir: Path,
        task: Task | None,
        build: BuildInfo | None,
        timings: dict[str, float],
    ) -> tuple[VerdictParts, dict[str, ViewportCapture], dict[str, bytes]]:
        rubric = self.rubric
        wall = self.options.wall_seconds or rubric.budgets.wall_seconds
        handle = await self._browser()
        site = self.preview.register(site_dir, it.entry)
        session: PageSession | None = None
        try:
            first = next(iter(rubric.viewports.values()))
            session = await open_session(handle.browser, site, (first.width, first.height))
            # The page's budget starts with the page: a cold or busy browser is not its fault.
            deadline = time.monotonic() + wall
            captures, events = await self._observe(session, handle, deadline, timings)
            # Prompt (issue 13): the design spec is derived once, read by the spec.* checks
            # and recorded in the Verdict with the prompt's hash.
            prompt = prompt_info(task)
            ctx = CheckContext(
                rubric=rubric,
                captures=captures,
                events=events,
                page=session.page,
                url=site.url,
                task=task,
                deadline=deadline,
                spec=prompt.spec if prompt is not None and prompt.rules else None,
            )
            with _timed(timings, "checks"):
                results = await run_checks(ctx, "page")
            agent_report = await self._agent(session, site, captures, results, task, timings)
        finally:
            if session is not None:
                await session.close()
            self.preview.unregister(site)
        parts = VerdictParts(
            input=_input_info(it),
            judge=self._judge_info("page", agent_report),
            results=results,
            viewports=list(captures),
            probes=ctx.probes,
            interactions=ctx.interactions,
            features=ctx.features,
            agent=agent_report,
            build=build,
            blocked=_blocked(site),
            isolation=handle.isolation,
            timings={**timings, **{f"check:{k}": v for k, v in ctx.check_seconds.items()}},
            prompt=prompt,  # issue 13
        )
        return parts, captures, ctx.images

    async def _observe(
        self,
        session: PageSession,
        handle: BrowserHandle,
        deadline: float,
        timings: dict[str, float],
    ) -> tuple[dict[str, ViewportCapture], PageEvents]:
        """Load, settle and capture every viewport; then freeze the load-time events.

        Checks read the frozen copy, so listeners that keep recording while live checks drive
        the page cannot change what a capture-phase check sees (determinism by construction).
        """
        rubric = self.rubric
        captures: dict[str, ViewportCapture] = {}
        t0 = time.monotonic()

        async def observe() -> None:
            with _timed(timings, "load"):
                await load(session, min(rubric.budgets.load_seconds, deadline - t0))
            with _timed(timings, "capture"):
                for name, vp in rubric.viewports.items():
                    if session.events.crashed:
                        break
                    captures[name] = await capture_viewport(session, name, vp.width, vp.height)
                await collect_page_records(session)

        try:
            await asyncio.wait_for(observe(), timeout=max(1.0, deadline - time.monotonic()))
        except TimeoutError:
            spent = time.monotonic() - t0
            raise RenderFailed(
                f"the page did not finish rendering: stopped after {spent:.0f}s "
                "(endless script, or a page that never finishes loading?)"
            ) from None
        except Exception as exc:
            if session.events.crashed or "crash" in str(exc).lower():
                raise RenderFailed("the renderer crashed (memory bomb or fatal script?)") from exc
            if not handle.browser.is_connected():
                raise
            raise RenderFailed(f"the page could not be rendered: {exc}") from exc
        if session.events.crashed:
            raise RenderFailed("the renderer crashed (memory bomb or fatal script?)")
        return captures, session.events.model_copy(deep=True)

    async def _agent(
        self,
        session: PageSession,
        site: Site,
        captures: dict[str, ViewportCapture],
        results: list[CheckResult],
        task: Task | None,
        timings: dict[str, float],
    ) -> AgentReport | None:
        """The agent judge on the still-open page; in hybrid mode a provider fault leaves the
        deterministic verdict standing (agent unscored), in agent mode it is `infra_error`."""
        if not self.agent.enabled:
            return None
        from judge.agent.provider import ProviderDown
        from judge.agent.service import run_agent, unscored_report

        with _timed(timings, "agent"):
            try:
                return await run_agent(
                    self.agent, session.page, site.url, captures, results, self.rubric, task
                )
            except ProviderDown as exc:
                if self.agent.mode == "agent":
                    raise
                return unscored_report(self.agent, f"model endpoint unavailable: {exc}")

    async def _judge_image(
        self, it: Intake, timings: dict[str, float]
    ) -> tuple[VerdictParts, dict[str, ViewportCapture], dict[str, bytes]]:
        try:
            png, size = await asyncio.to_thread(_image_png, it.root)
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            reason = f"unreadable image: {exc}"
            return self._stopped(it.root, "rejected", reason, it=it), {}, {}
        rubric = self._image_rubric()
        cap = ViewportCapture(name="image", width=size[0], height=size[1], screenshot=png)
        ctx = CheckContext(rubric=rubric, captures={"image": cap}, events=PageEvents())
        with _timed(timings, "checks"):
            results = await run_checks(ctx, "image")
        parts = VerdictParts(
            input=_input_info(it),
            judge=self._judge_info("image", None),
            results=results,
            viewports=["image"],
            features=ctx.features,
            timings={**timings, **{f"check:{k}": v for k, v in ctx.check_seconds.items()}},
        )
        return parts, ctx.captures, ctx.images

    # -- parts -------------------------------------------------------------------------------

    def _image_rubric(self) -> Rubric:
        return self.rubric if self.rubric.kind == "image" else load_rubric("screenshot")

    def _rubric_for(self, parts: VerdictParts) -> Rubric:
        return self._image_rubric() if parts.input.kind == "image" else self.rubric

    def _judge_info(self, kind: str, report: AgentReport | None):
        from judge.agent.service import judge_info

        rubric = self._image_rubric() if kind == "image" else self.rubric
        return judge_info(self.agent, rubric, kind, report)

    def _stopped(
        self,
        path: Path,
        status: str,
        reason: str | None,
        *,
        it: Intake | None = None,
        build: BuildInfo | None = None,
    ) -> VerdictParts:
        """The parts of a judgment a stage ended early (rejected, build/render failure, infra)."""
        info = _input_info(it) if it is not None else _guess_input(Path(path))
        kind = "image" if info.kind == "image" else "page"
        return VerdictParts(
            input=info,
            judge=self._judge_info(kind, None),
            status=status,  # type: ignore[arg-type]
            reason=reason,
            build=build,
        )


def _input_info(it: Intake) -> InputInfo:
    return InputInfo(kind=it.kind, sha256=it.sha256, name=it.name)  # type: ignore[arg-type]


def _guess_input(path: Path) -> InputInfo:
    try:
        kind = classify(path)
    except (IntakeRejected, OSError):
        kind = "directory" if path.is_dir() else "html"
    return InputInfo(kind=kind, sha256=_sha_or_empty(path), name=path.name)  # type: ignore[arg-type]


def _blocked(site: Site) -> list:
    """Every outside request the page made, load and live checks alike, in a stable order."""
    return sorted(site.blocked, key=lambda b: (b.url, b.channel, b.action))


def _image_png(path: Path) -> tuple[bytes, tuple[int, int]]:
    with Image.open(path) as img:
        img = img.convert("RGB")
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        return buf.getvalue(), img.size


def _sha_or_empty(path: Path) -> str:
    from builders.intake import file_sha256

    try:
        return file_sha256(path) if path.is_file() else ""
    except OSError:
        return ""
