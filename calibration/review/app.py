"""FastAPI review app: rate items per dimension + overall, or pick the better of two."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse
from pydantic import BaseModel, Field

from calibration.review.store import ReviewStore

STATIC = Path(__file__).parent / "static"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif"}


@dataclass(frozen=True)
class ReviewItem:
    """One thing to review: its id in the label file and the screenshots to show."""

    id: str
    images: list[tuple[str, Path]] = field(default_factory=list)


def discover_items(root: Path, ids: list[str] | None = None) -> list[ReviewItem]:
    """Items under `root`: image files, or submission folders with their PNG screenshots."""
    if ids is None:
        ids = sorted(
            p.name
            for p in root.iterdir()
            if (p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
            or (p.is_dir() and not p.name.startswith("."))
        )
    items = []
    for i in ids:
        p = root / i
        if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES:
            items.append(ReviewItem(i, [("image", p)]))
        elif p.is_dir():
            shots = sorted(q for q in p.rglob("*") if q.suffix.lower() in IMAGE_SUFFIXES)
            items.append(ReviewItem(i, [(q.stem, q) for q in shots[:6]]))
        else:
            items.append(ReviewItem(i, []))
    return items


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
) -> FastAPI:
    """The review app over `items`, storing labels in `store`."""
    app = FastAPI(title="fjudge review", docs_url=None, redoc_url=None)
    by_id = {it.id: it for it in items}
    dims = [*dimensions, "overall"]

    def view(it: ReviewItem) -> dict:
        idx = items.index(it)
        return {
            "item": it.id,
            "images": [
                {"name": name, "url": f"/img/{idx}/{k}"} for k, (name, _) in enumerate(it.images)
            ],
        }

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        return (STATIC / "index.html").read_text(encoding="utf-8")

    @app.get("/app.js", response_class=PlainTextResponse)
    def script() -> PlainTextResponse:
        js = (STATIC / "app.js").read_text(encoding="utf-8")
        return PlainTextResponse(js, media_type="text/javascript")

    @app.get("/api/config")
    def config() -> dict:
        return {"dimensions": dims, "scale": list(scale), "items": len(items)}

    @app.get("/img/{idx}/{k}")
    def image(idx: int, k: int) -> FileResponse:
        # Only files in the item list are served: indices, never paths, come from the client.
        if not 0 <= idx < len(items) or not 0 <= k < len(items[idx].images):
            raise HTTPException(404)
        return FileResponse(items[idx].images[k][1])

    @app.get("/api/next")
    def next_item(rater: Annotated[str, Query(min_length=1)]) -> dict:
        done = store.rated_items(rater)
        todo = [it for it in items if it.id not in done]
        out = {"done": len(items) - len(todo), "total": len(items)}
        return {**out, **(view(todo[0]) if todo else {"item": None})}

    @app.post("/api/rate")
    def rate(body: Rating) -> dict:
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
    def pair(rater: Annotated[str, Query(min_length=1)]) -> dict:
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
        return {"left": view(a), "right": view(b), "done": total - len(all_pairs), "total": total}

    @app.post("/api/pair")
    def choose(body: Choice) -> dict:
        if body.left not in by_id or body.right not in by_id or body.left == body.right:
            raise HTTPException(422, "unknown items")
        winner = {"left": "a", "right": "b", "tie": "tie"}[body.winner]
        store.prefer(body.rater, body.left, body.right, winner)
        return {"ok": True}

    @app.get("/api/export", response_class=PlainTextResponse)
    def export() -> PlainTextResponse:
        import json

        ratings, pairs = store.labels()
        lines = [json.dumps(r.model_dump(exclude={"line"}, exclude_none=True)) for r in ratings]
        lines += [json.dumps(p.model_dump(exclude={"line"}, exclude_none=True)) for p in pairs]
        return PlainTextResponse("\n".join(lines) + "\n", media_type="application/x-ndjson")

    return app
