"""Review labels → a label file `fjudge calibrate fit` reads as it is.

The `item` column names the submission itself (never a display id): relative to the folder
the file is written into when that is known (a file saved by the server), absolute otherwise
(a browser download can land anywhere). Every row carries the item's content sha256, so a
moved submission still matches (see `judge.labelled`).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from calibration.labels import labels_text
from judge.schema import PairLabel, RatingLabel


@dataclass(frozen=True)
class ReviewItem:
    """One thing to review and how a label file names it."""

    id: str  # stable id in the store: the path relative to the review root
    path: Path  # the submission (or `fjudge score --out` item folder) the label is about
    sha256: str = ""
    kind: str = ""  # directory | html | archive | image | scored
    images: list[tuple[str, Path]] = field(default_factory=list)  # (viewport, screenshot)
    source: Path | None = None  # the submission to preview live (None: screenshots only)
    verdict_file: Path | None = None  # verdict.json of a `fjudge score --out` item


def item_ref(item: ReviewItem, dest_dir: Path | None) -> str:
    """How the label file names the item: relative to `dest_dir` when given, else absolute."""
    path = item.path.resolve()
    if dest_dir is None:
        return str(path)
    return Path(os.path.relpath(path, dest_dir.resolve())).as_posix()


def export_text(
    items: list[ReviewItem],
    ratings: list[RatingLabel],
    pairs: list[PairLabel],
    fmt: str,
    dest_dir: Path | None = None,
) -> str:
    """Stored labels (keyed by item id) as CSV/JSONL whose items `calibrate fit` resolves."""
    by_id = {it.id: it for it in items}
    out_r = []
    for r in ratings:
        it = by_id.get(r.item)
        if it is None:
            continue  # an item no longer in the folder: nothing to point at
        ref = item_ref(it, dest_dir)
        out_r.append(
            RatingLabel.model_validate({**r.model_dump(), "item": ref, "sha256": it.sha256 or None})
        )
    out_p = []
    for p in pairs:
        a, b = by_id.get(p.a), by_id.get(p.b)
        if a is None or b is None:
            continue
        out_p.append(
            PairLabel.model_validate(
                {
                    **p.model_dump(),
                    "a": item_ref(a, dest_dir),
                    "b": item_ref(b, dest_dir),
                    "a_sha256": a.sha256 or None,
                    "b_sha256": b.sha256 or None,
                }
            )
        )
    return labels_text(out_r, out_p, fmt)


def export_name(root: Path, fmt: str) -> str:
    """A download name that says what it is: review-<folder>-<UTC time>.<csv|jsonl>."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", root.resolve().name or "labels")[:40]
    when = _dt.datetime.now(_dt.UTC).strftime("%Y%m%d-%H%M%S")
    return f"review-{stem}-{when}.{fmt}"
