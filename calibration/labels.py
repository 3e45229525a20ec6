"""Read human labels (ratings or pairwise preferences) from CSV or JSONL, with line-numbered errors."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from judge.schema import LabelSet, PairLabel, RatingLabel

RATING_COLUMNS = {
    "item",
    "rating",
    "rater",
    "dimension",
    "scale_min",
    "scale_max",
    "group",
    "source",
    "sha256",
}
PAIR_COLUMNS = {"a", "b", "winner", "rater", "a_sha256", "b_sha256"}


class LabelError(ValueError):
    """A label file that cannot be used; the message names the file and line."""


def _float(value: Any, col: str, where: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise LabelError(f"{where}: {col} {value!r} is not a number") from None
    if out != out or out in (float("inf"), float("-inf")):
        raise LabelError(f"{where}: {col} {value!r} is not a finite number")
    return out


def _rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    """(line number, record) pairs from CSV (header on line 1) or JSONL."""
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        out = []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LabelError(f"{path}:{n}: invalid JSON ({exc.msg})") from None
            if not isinstance(rec, dict):
                raise LabelError(f"{path}:{n}: each line must be a JSON object")
            out.append((n, rec))
        return out
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise LabelError(f"{path}:1: empty file (expected a header row)")
    out = []
    for rec in reader:
        if None in rec:
            raise LabelError(f"{path}:{reader.line_num}: more values than header columns")
        out.append((reader.line_num, {k.strip(): v for k, v in rec.items()}))
    return out


def _check_item(
    item: Any, base: Path, where: str, require_files: bool, sha: str | None = None
) -> str:
    if not isinstance(item, str) or not item.strip():
        raise LabelError(f"{where}: item must be a non-empty string, got {item!r}")
    item = item.strip()
    # An item with a path separator or a suffix names a file: it must exist, unless its
    # content hash is given (a moved file is then found by hash, or served from the cache).
    looks_like_path = "/" in item or "\\" in item or Path(item).suffix != ""
    if (require_files or looks_like_path) and not sha and not (base / item).exists():
        raise LabelError(f"{where}: item {item!r} not found (looked for {base / item})")
    return item


def _sha(value: Any, col: str, where: str) -> str | None:
    if value in (None, ""):
        return None
    text = str(value).strip().lower()
    if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
        raise LabelError(f"{where}: {col} must be 64 hex digits, got {value!r}")
    return text


def read_labels(
    path: str | Path,
    *,
    scale: tuple[float, float] | None = None,
    require_files: bool = False,
) -> LabelSet:
    """Read a CSV/JSONL label file; `scale` is the default (min, max) when rows give none."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LabelError(f"cannot read label file {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LabelError(f"{path}: not UTF-8 text") from None
    rows = _rows(path, text)
    if not rows:
        raise LabelError(f"{path}: no labels")
    base = path.parent
    ratings: list[RatingLabel] = []
    pairs: list[PairLabel] = []
    for n, rec in rows:
        where = f"{path}:{n}"
        # Empty cells count as absent: one CSV may mix rating rows and pair rows.
        rec = {k: v for k, v in rec.items() if v is not None and v != ""}
        cols = set(rec)
        kind_cols = PAIR_COLUMNS if {"a", "b"} & cols else RATING_COLUMNS
        unknown = sorted(cols - kind_cols)
        if unknown:
            raise LabelError(
                f"{where}: unknown column(s) {', '.join(unknown)} "
                f"(ratings use {sorted(RATING_COLUMNS)}, pairs use {sorted(PAIR_COLUMNS)})"
            )
        rater = str(rec["rater"]).strip() or None if rec.get("rater") not in (None, "") else None
        if kind_cols is PAIR_COLUMNS:
            for col in ("a", "b", "winner"):
                if rec.get(col) in (None, ""):
                    raise LabelError(f"{where}: missing {col}")
            winner = str(rec["winner"]).strip().lower()
            if winner not in ("a", "b", "tie"):
                raise LabelError(f"{where}: winner must be a, b or tie, got {rec['winner']!r}")
            a_sha = _sha(rec.get("a_sha256"), "a_sha256", where)
            b_sha = _sha(rec.get("b_sha256"), "b_sha256", where)
            a = _check_item(rec["a"], base, where, require_files, a_sha)
            b = _check_item(rec["b"], base, where, require_files, b_sha)
            if a == b:
                raise LabelError(f"{where}: an item cannot be compared with itself ({a!r})")
            pairs.append(
                PairLabel(
                    a=a,
                    b=b,
                    winner=winner,  # type: ignore[arg-type]
                    rater=rater,
                    a_sha256=a_sha,
                    b_sha256=b_sha,
                    line=n,
                )
            )
            continue
        if rec.get("item") in (None, "") or rec.get("rating") in (None, ""):
            raise LabelError(f"{where}: a rating row needs item and rating")
        sha = _sha(rec.get("sha256"), "sha256", where)
        item = _check_item(rec["item"], base, where, require_files, sha)
        group = rec.get("group", rec.get("source"))
        rating = _float(rec["rating"], "rating", where)
        lo = _float(rec.get("scale_min"), "scale_min", where)
        hi = _float(rec.get("scale_max"), "scale_max", where)
        lo = lo if lo is not None else (scale[0] if scale else None)
        hi = hi if hi is not None else (scale[1] if scale else None)
        if lo is not None and hi is not None and lo >= hi:
            raise LabelError(f"{where}: scale_min {lo} must be below scale_max {hi}")
        assert rating is not None
        if (lo is not None and rating < lo) or (hi is not None and rating > hi):
            raise LabelError(f"{where}: rating {rating} is outside the scale [{lo}, {hi}]")
        dim = str(rec["dimension"]).strip() if rec.get("dimension") not in (None, "") else None
        ratings.append(
            RatingLabel(
                item=item,
                rating=rating,
                rater=rater,
                dimension=None if dim in (None, "overall") else dim,
                scale_min=lo,
                scale_max=hi,
                group=str(group).strip() if group not in (None, "") else None,
                sha256=sha,
                line=n,
            )
        )
    return LabelSet(
        path=str(path),
        sha256=hashlib.sha256(raw).hexdigest(),
        ratings=ratings,
        pairs=pairs,
        scale=_scale(ratings, scale),
    )


def _scale(
    ratings: list[RatingLabel], default: tuple[float, float] | None
) -> tuple[float, float] | None:
    """The rating scale: declared on the rows, else the default, else the observed range."""
    if not ratings:
        return default
    los = {r.scale_min for r in ratings if r.scale_min is not None}
    his = {r.scale_max for r in ratings if r.scale_max is not None}
    if los and his:
        return (min(los), max(his))
    if default:
        return default
    values = [r.rating for r in ratings]
    return (min(values), max(values))


def mean_ratings(labels: LabelSet, dimension: str | None = None) -> dict[str, float]:
    """Mean rating per item (over raters) for one dimension (None = overall)."""
    sums: dict[str, list[float]] = {}
    for r in labels.ratings:
        if r.dimension == dimension:
            sums.setdefault(r.item, []).append(r.rating)
    return {k: sum(v) / len(v) for k, v in sums.items()}


def ratings_by_rater(labels: LabelSet, dimension: str | None = None) -> dict[str, dict[str, float]]:
    """rater → item → rating (unnamed raters are grouped as '')."""
    out: dict[str, dict[str, float]] = {}
    for r in labels.ratings:
        if r.dimension == dimension:
            out.setdefault(r.rater or "", {})[r.item] = r.rating
    return out


CSV_COLUMNS = [
    "item",
    "rating",
    "rater",
    "dimension",
    "scale_min",
    "scale_max",
    "sha256",
    "a",
    "b",
    "winner",
    "a_sha256",
    "b_sha256",
]


def labels_text(ratings: list[RatingLabel], pairs: list[PairLabel], fmt: str = "jsonl") -> str:
    """Labels as CSV (one header; rating rows and pair rows leave the other columns empty)
    or JSONL, in the format `read_labels` reads."""
    recs = [r.model_dump(exclude={"line"}, exclude_none=True) for r in ratings]
    recs += [p.model_dump(exclude={"line"}, exclude_none=True) for p in pairs]
    if fmt == "csv":
        buf = io.StringIO()
        cols = [c for c in CSV_COLUMNS if any(c in r for r in recs)] or ["item", "rating"]
        w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        for r in recs:
            w.writerow({k: ("" if r.get(k) is None else r[k]) for k in cols})
        return buf.getvalue()
    return "".join(json.dumps(r, sort_keys=True) + "\n" for r in recs)


def write_labels(path: str | Path, ratings: list[RatingLabel], pairs: list[PairLabel]) -> None:
    """Write labels as CSV (`.csv`) or JSONL (anything else) in the format `read_labels` reads."""
    fmt = "csv" if Path(path).suffix.lower() == ".csv" else "jsonl"
    Path(path).write_text(labels_text(ratings, pairs, fmt), encoding="utf-8")
