"""What `fjudge review` shows: the items of a folder, their screenshots and live pages.

Items: submissions (a directory with index.html, public/index.html or package.json; a .html
file; an archive; an image) and `fjudge score --out` item folders (verdict.json + a screenshot
per viewport). A `score --out` root is expanded into its items; its batch index.html and other
report folders are not items. For a scored item the submission it came from is looked for by
name and content hash beside the output folder, so the export names the submission itself.

Live pages run in the judge's own isolated browser (network namespace, proxy, routing), served
by the judge's preview server; the reviewer's browser only ever sees JPEG frames.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from builders.intake import IntakeRejected, classify
from calibration.review import LiveAction, ReviewItem
from judge.labelled import content_sha256, find_by_hash, is_score_out_item
from judge.schema import JudgeOptions, Verdict

REPORT_FILES = {"index.html", "report.html"}
SKIP_NAMES = {"node_modules", "review.sqlite", "__pycache__"}

# The judge's pages run on a virtual clock it advances (judge/assets/init.js); the live page a
# reviewer drives runs on real time instead.
REAL_TIME_JS = "() => window.__fjClock && window.__fjClock.auto(true)"


def is_submission_dir(path: Path) -> bool:
    """A folder the judge can serve or build."""
    return any((path / n).is_file() for n in ("index.html", "package.json", "public/index.html"))


def is_score_out_root(path: Path) -> bool:
    """A `fjudge score --out` folder: item folders holding verdict.json."""
    return path.is_dir() and any(is_score_out_item(p) for p in path.iterdir() if p.is_dir())


def _scored_item(root: Path, folder: Path) -> ReviewItem:
    v = Verdict.model_validate_json((folder / "verdict.json").read_text(encoding="utf-8"))
    names = v.screenshots or {p.stem: p.name for p in sorted(folder.glob("*.png"))}
    images = [(vp, folder / f) for vp, f in names.items() if (folder / f).is_file()]
    source = None
    if v.input.name and v.input.sha256:
        # Beside the output folder (its parent, and one level further up), by name and hash.
        for base in (root.parent, root.parent.parent):
            source = find_by_hash(base, v.input.name, v.input.sha256)
            if source is not None:
                break
    return ReviewItem(
        id=folder.relative_to(root).as_posix() if folder != root else folder.name,
        path=source or folder,
        sha256=v.input.sha256,
        kind="scored",
        images=images,
        source=source,
        verdict_file=folder / "verdict.json",
    )


def _kind(path: Path) -> str | None:
    """The input kind `builders.intake` gives it, or None when it is not a reviewable item (a
    folder that is not a submission, an unsupported file)."""
    if path.is_dir() and not is_submission_dir(path):
        return None
    try:
        return classify(path)
    except IntakeRejected:
        return None


def discover(source: Path, ids: list[str] | None = None) -> tuple[Path, list[ReviewItem]]:
    """The review root and its items (all of them, or the `ids` a label file lists)."""
    root = source if source.is_dir() else source.parent
    if ids is not None:
        paths = [root / i for i in ids]
    elif is_score_out_item(root):
        return root.parent, [_scored_item(root.parent, root)]
    else:
        scored_root = is_score_out_root(root)
        paths = []
        for p in sorted(root.iterdir()):
            if p.name.startswith(".") or p.name in SKIP_NAMES:
                continue
            if scored_root and p.is_file() and p.name in REPORT_FILES:
                continue  # the batch report, not a submission
            paths.append(p)
    items = []
    for p in paths:
        if not p.exists():
            continue
        if is_score_out_item(p):
            items.append(_scored_item(root, p))
            continue
        kind = _kind(p)
        if kind is None:
            continue  # report folders, notes, anything the judge cannot take
        images = [("image", p)] if kind == "image" else []
        items.append(
            ReviewItem(
                id=p.relative_to(root).as_posix(),
                path=p,
                sha256=content_sha256(p),
                kind=kind,
                images=images,
                source=p,
            )
        )
    return root, items


@dataclass
class _Live:
    session: object  # judge.capture.PageSession
    site: object  # judge.preview.Site
    used: float


class JudgeLivePreview:
    """`calibration.review.LivePreview` backed by a `judge.pipeline.Judge`."""

    def __init__(self, options: JudgeOptions, max_sessions: int = 3) -> None:
        from rubrics import load_rubric

        self.options = options
        rubric = load_rubric(options.rubric)
        self.viewports = {n: (v.width, v.height) for n, v in rubric.viewports.items()}
        self.max_sessions = max_sessions
        self.sessions: dict[str, _Live] = {}
        self.sites: dict[Path, tuple[Path, str]] = {}
        self.shots: dict[Path, dict[str, bytes]] = {}
        self.judge = None
        self.work = Path(tempfile.mkdtemp(prefix="fjudge-review-"))
        self.lock = asyncio.Lock()

    async def start(self) -> None:
        from judge.pipeline import Judge

        self.judge = Judge(self.options)
        await self.judge.__aenter__()

    async def close(self) -> None:
        for token in list(self.sessions):
            await self.end(token)
        if self.judge is not None:
            await self.judge.close()
        shutil.rmtree(self.work, ignore_errors=True)

    async def screenshots(self, item: ReviewItem) -> dict[str, bytes]:
        """The judge's capture at every viewport (judged once per item, then kept)."""
        assert self.judge is not None and item.source is not None
        if item.source not in self.shots:
            judgment = await self.judge.judge_full(item.source)
            self.shots[item.source] = {n: c.screenshot for n, c in judgment.captures.items()}
        return self.shots[item.source]

    async def _site(self, source: Path) -> tuple[Path, str]:
        """Intake (archives unpacked safely) and build (sandboxed), once per submission."""
        from builders.intake import intake

        if source not in self.sites:
            work = Path(tempfile.mkdtemp(prefix="item-", dir=self.work))
            it = await asyncio.to_thread(intake, source, work)
            out = await self.judge.prepare(it, work)
            if out.site_dir is None:
                raise RuntimeError(f"cannot serve this item: {out.reason}")
            self.sites[source] = (out.site_dir, it.entry)
        return self.sites[source]

    async def open(self, item: ReviewItem, viewport: str) -> str:
        """A fresh isolated page for the item at the viewport; returns its token."""
        from judge.capture import load, open_session

        assert self.judge is not None and item.source is not None
        async with self.lock:
            while len(self.sessions) >= self.max_sessions:
                oldest = min(self.sessions, key=lambda t: self.sessions[t].used)
                await self.end(oldest)
            site_dir, entry = await self._site(item.source)
            handle = await self.judge.browser_handle()  # the judge's warm, isolated browser
            site = self.judge.preview.register(site_dir, entry)
            session = await open_session(
                handle.browser, site, self.viewports[viewport], reduced_motion=False
            )
            with contextlib.suppress(Exception):
                await load(session, 15)
                await session.page.evaluate(REAL_TIME_JS)  # a person watches: time runs
            token = secrets.token_urlsafe(12)
            self.sessions[token] = _Live(session, site, time.monotonic())
            return token

    async def frame(self, token: str) -> bytes:
        live = self.sessions[token]
        live.used = time.monotonic()
        page = live.session.page  # type: ignore[attr-defined]
        return await page.screenshot(type="jpeg", quality=75, timeout=10000)

    async def act(self, token: str, action: LiveAction) -> None:
        """Relay one action, then let the page settle briefly (bounded)."""
        from judge.capture import FRAME_JS

        live = self.sessions[token]
        live.used = time.monotonic()
        page = live.session.page  # type: ignore[attr-defined]
        if action.type == "click":
            await page.mouse.click(action.x, action.y)
        elif action.type == "scroll":
            await page.mouse.move(action.x, action.y)
            await page.mouse.wheel(action.dx, action.dy)
        elif action.type == "key":
            await page.keyboard.press(action.key)
        elif action.type == "text":
            await page.keyboard.type(action.text)
        elif action.type == "reload":
            await page.goto(live.site.url, wait_until="load", timeout=15000)  # type: ignore[attr-defined]
        elif action.type == "back":
            with contextlib.suppress(Exception):
                await page.go_back(timeout=5000)
        with contextlib.suppress(Exception):
            if action.type in ("reload", "back"):  # a new document starts on the virtual clock
                await page.evaluate(REAL_TIME_JS)
            await asyncio.wait_for(page.evaluate(FRAME_JS), 2)
        await asyncio.sleep(0.15)  # transitions started by the action get a moment to show

    async def end(self, token: str) -> None:
        live = self.sessions.pop(token, None)
        if live is None or self.judge is None:
            return
        await live.session.close()  # type: ignore[attr-defined]
        self.judge.preview.unregister(live.site)  # type: ignore[arg-type]
