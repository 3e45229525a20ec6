"""FastAPI review app: rate items (per dimension + overall) or pick the better of two.

Every item shows its screenshot at each viewport and, when a `LivePreview` is given, a live
page the reviewer can click through: the page runs in the judge's isolated browser (never in
the reviewer's), the app only relays its frames and the reviewer's clicks, scrolls and keys.
Labels go to SQLite (`ReviewStore`) and export as CSV/JSONL that `calibrate fit` reads as is.
"""

from __future__ import annotations

import hashlib
import random
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal, Protocol

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from pydantic import BaseModel, Field

from calibration.review.export import ReviewItem, export_name, export_text
from calibration.review.store import ReviewStore

STATIC = Path(__file__).parent / "static"


class LiveAction(BaseModel):
    """One reviewer action relayed to the live page (coordinates in page pixels)."""

    type: Literal["click", "scroll", "key", "text", "reload", "back"]
    x: float = Field(0, ge=0, le=10000)
    y: float = Field(0, ge=0, le=100000)
    dx: float = Field(0, ge=-10000, le=10000)
    dy: float = Field(0, ge=-10000, le=10000)
    key: str = Field("", max_length=40)
    text: str = Field("", max_length=500)


class LivePreview(Protocol):
    """Screenshots and live pages for items (implemented in `judge.reviewing`)."""

    viewports: dict[str, tuple[int, int]]

    async def start(self) -> None: ...
    async def close(self) -> None: ...
    async def screenshots(self, item: ReviewItem) -> dict[str, bytes]: ...
    async def open(self, item: ReviewItem, viewport: str) -> str: ...
    async def frame(self, token: str) -> bytes: ...
    async def act(self, token: str, action: LiveAction) -> None: ...
    async def end(self, token: str) -> None: ...


class Rating(BaseModel):
    rater: str = Field(min_length=1, max_length=80)
    item: str
    ratings: dict[str, float]


class Choice(BaseModel):
    rater: str = Field(min_length=1, max_length=80)
    left: str
    right: str
    winner: Literal["left", "right", "tie"]


def create_app(
    items: list[ReviewItem],
    store: ReviewStore,
    *,
    dimensions: list[str],
    scale: tuple[int, int] = (1, 5),
    seed: int = 0,
    root: Path | None = None,
    live: LivePreview | None = None,
) -> FastAPI:
    """The review app over `items`, storing labels in `store` (exports saved under `root`)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # type: ignore[no-untyped-def]
        if live is not None:
            await live.start()
        try:
            yield
        finally:
            if live is not None:
                await live.close()

    app = FastAPI(title="fjudge review", docs_url=None, redoc_url=None, lifespan=lifespan)
    by_id = {it.id: it for it in items}
    index = {it.id: n for n, it in enumerate(items)}
    dims = [*dimensions, "overall"]
    rendered: dict[tuple[int, str], bytes] = {}  # screenshots the live judge took

    async def view(it: ReviewItem) -> dict[str, Any]:
        idx = index[it.id]
        images = [{"name": n, "url": f"/img/{idx}/{k}"} for k, (n, _) in enumerate(it.images)]
        if not images and live is not None and it.source is not None and it.kind != "image":
            shots = await live.screenshots(it)
            for name, png in shots.items():
                rendered[(idx, name)] = png
            images = [{"name": n, "url": f"/shot/{idx}/{n}"} for n in shots]
        return {
            "item": it.id,
            "kind": it.kind,
            "images": images,
            "live": live is not None and it.source is not None and it.kind != "image",
        }

    @app.get("/", response_class=HTMLResponse)
    def page() -> str:
        return (STATIC / "index.html").read_text(encoding="utf-8")

    @app.get("/app.js")
    def script() -> PlainTextResponse:
        js = (STATIC / "app.js").read_text(encoding="utf-8")
        return PlainTextResponse(js, media_type="text/javascript")

    @app.get("/api/config")
    def config() -> dict[str, Any]:
        vps = list(live.viewports) if live is not None else []
        return {"dimensions": dims, "scale": list(scale), "items": len(items), "viewports": vps}

    @app.get("/img/{idx}/{k}")
    def image(idx: int, k: int) -> FileResponse:
        # Only files in the item list are served: indices, never paths, come from the client.
        if not 0 <= idx < len(items) or not 0 <= k < len(items[idx].images):
            raise HTTPException(404)
        return FileResponse(items[idx].images[k][1], headers={"Cache-Control": "no-store"})

    @app.get("/shot/{idx}/{name}")
    def shot(idx: int, name: str) -> Response:
        png = rendered.get((idx, name))
        if png is None:
            raise HTTPException(404)
        return Response(png, media_type="image/png")

    @app.get("/api/next")
    async def next_item(
        rater: Annotated[str, Query(min_length=1)], skip: str | None = None
    ) -> dict[str, Any]:
        done = store.rated_items(rater)
        todo = [it for it in items if it.id not in done and it.id != skip]
        out = {"done": sum(it.id in done for it in items), "total": len(items)}
        return {**out, **(await view(todo[0]) if todo else {"item": None})}

    @app.post("/api/rate")
    def rate(body: Rating) -> dict[str, bool]:
        if body.item not in by_id:
            raise HTTPException(422, f"unknown item {body.item!r}")
        for d, v in body.ratings.items():
            if d not in dims:
                raise HTTPException(422, f"unknown dimension {d!r}")
            if not scale[0] <= v <= scale[1]:
                raise HTTPException(422, f"{d}: {v} is outside {scale[0]}..{scale[1]}")
        if "overall" not in body.ratings:
            raise HTTPException(422, "an overall rating is required")
        store.rate(body.rater, body.item, body.ratings, (float(scale[0]), float(scale[1])))
        return {"ok": True}

    @app.get("/api/pair")
    async def pair(rater: Annotated[str, Query(min_length=1)]) -> dict[str, Any]:
        seen = store.compared(rater)
        all_pairs = [
            (a, b)
            for i, a in enumerate(items)
            for b in items[i + 1 :]
            if frozenset((a.id, b.id)) not in seen
        ]
        total = len(items) * (len(items) - 1) // 2
        if not all_pairs:
            return {"left": None, "done": total, "total": total}
        # Deterministic per reviewer, but the order of pairs and the sides are randomised.
        h = hashlib.sha256(f"{seed}:{rater}:{len(seen)}".encode()).digest()
        rng = random.Random(h)
        a, b = rng.choice(all_pairs)
        if rng.random() < 0.5:
            a, b = b, a
        return {
            "left": await view(a),
            "right": await view(b),
            "done": total - len(all_pairs),
            "total": total,
        }

    @app.post("/api/pair")
    def choose(body: Choice) -> dict[str, bool]:
        if body.left not in by_id or body.right not in by_id or body.left == body.right:
            raise HTTPException(422, "unknown items")
        winner = {"left": "a", "right": "b", "tie": "tie"}[body.winner]
        store.prefer(body.rater, body.left, body.right, winner)
        return {"ok": True}

    @app.get("/api/export.{fmt}")
    def export(fmt: Literal["csv", "jsonl"]) -> Response:
        text = export_text(items, *store.labels(), fmt)
        name = export_name(root or Path("."), fmt)
        media = "text/csv" if fmt == "csv" else "application/x-ndjson"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        return Response(text, media_type=f"{media}; charset=utf-8", headers=headers)

    @app.post("/api/export/save")
    def save(fmt: Literal["csv", "jsonl"] = "csv") -> dict[str, str]:
        if root is None:
            raise HTTPException(409, "no review folder to save into")
        path = root / f"review-export.{fmt}"
        path.write_text(export_text(items, *store.labels(), fmt, root), encoding="utf-8")
        return {"path": str(path)}

    if live is not None:
        register_live(app, items, index, live)
    return app


def register_live(
    app: FastAPI, items: list[ReviewItem], index: dict[str, int], live: LivePreview
) -> None:
    """Routes that relay a live page: open, frame, act, end."""

    @app.post("/api/live/open")
    async def live_open(item: str, viewport: str = "desktop") -> dict[str, Any]:
        if item not in index or viewport not in live.viewports:
            raise HTTPException(422, "unknown item or viewport")
        it = items[index[item]]
        if it.source is None or it.kind == "image":
            raise HTTPException(409, "no live page for this item (an image, or source not found)")
        token = await live.open(it, viewport)
        w, h = live.viewports[viewport]
        return {"token": token, "width": w, "height": h}

    @app.get("/api/live/{token}/frame")
    async def live_frame(token: str) -> Response:
        try:
            jpg = await live.frame(token)
        except KeyError:
            raise HTTPException(404, "live page closed") from None
        return Response(jpg, media_type="image/jpeg", headers={"Cache-Control": "no-store"})

    @app.post("/api/live/{token}/act")
    async def live_act(token: str, action: LiveAction) -> dict[str, bool]:
        try:
            await live.act(token, action)
        except KeyError:
            raise HTTPException(404, "live page closed") from None
        return {"ok": True}

    @app.post("/api/live/{token}/end")
    async def live_end(token: str) -> dict[str, bool]:
        await live.end(token)
        return {"ok": True}
