"""Label items → what to judge: moved files found by hash, `score --out` folders, CSV round trip."""

from __future__ import annotations

import hashlib

import pytest
from PIL import Image

from calibration import LabelError, read_labels, write_labels
from judge.labelled import content_sha256, resolve_items
from judge.schema import PairLabel, RatingLabel


def test_moved_file_is_found_by_its_hash(tmp_path):
    Image.new("RGB", (40, 30), "red").save(tmp_path / "a.png")
    sha = hashlib.sha256((tmp_path / "a.png").read_bytes()).hexdigest()
    assert content_sha256(tmp_path / "a.png") == sha
    (tmp_path / "labels.csv").write_text(f"item,rating,sha256\nshots/old/a.png,4,{sha}\n")
    # The label names a path that no longer exists; the file now lives elsewhere.
    (tmp_path / "moved").mkdir()
    (tmp_path / "a.png").rename(tmp_path / "moved" / "a.png")
    labels = read_labels(tmp_path / "labels.csv", require_files=True)
    res = resolve_items(labels)
    assert res.paths == {"shots/old/a.png": tmp_path / "moved" / "a.png"}
    assert res.hashes["shots/old/a.png"] == sha and not res.missing


def test_changed_file_prefers_the_copy_with_the_rated_content(tmp_path):
    Image.new("RGB", (40, 30), "blue").save(tmp_path / "b.png")
    sha = content_sha256(tmp_path / "b.png")
    (tmp_path / "keep").mkdir()
    (tmp_path / "keep" / "b.png").write_bytes((tmp_path / "b.png").read_bytes())
    Image.new("RGB", (40, 30), "green").save(tmp_path / "b.png")  # edited after rating
    (tmp_path / "l.csv").write_text(f"item,rating,sha256\nb.png,2,{sha}\n")
    res = resolve_items(read_labels(tmp_path / "l.csv"))
    assert res.paths["b.png"] == tmp_path / "keep" / "b.png"


def test_missing_item_without_hash_is_reported(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<h1>x</h1>")
    (tmp_path / "l.csv").write_text("item,rating\nsite,3\nghost-site,4\n")
    res = resolve_items(read_labels(tmp_path / "l.csv"))
    assert res.missing == ["ghost-site"] and "site" in res.paths


def test_csv_mixes_ratings_and_pairs_and_reads_back(tmp_path):
    sha = "a" * 64
    ratings = [
        RatingLabel(item="x.png", rating=3, rater="ann", scale_min=1, scale_max=5, sha256=sha)
    ]
    pairs = [
        PairLabel(a="x.png", b="y.png", winner="b", rater="bob", a_sha256=sha, b_sha256="b" * 64)
    ]
    write_labels(tmp_path / "l.csv", ratings, pairs)
    back = read_labels(tmp_path / "l.csv")
    assert [(r.item, r.rating, r.sha256) for r in back.ratings] == [("x.png", 3.0, sha)]
    assert [(p.a, p.b, p.winner, p.a_sha256) for p in back.pairs] == [("x.png", "y.png", "b", sha)]
    # Without a hash, a file-like item must exist: the reader says which line names it.
    (tmp_path / "bad.csv").write_text("a,b,winner\nx.png,y.png,a\n")
    with pytest.raises(LabelError, match=r"bad.csv:2: item 'x.png' not found"):
        read_labels(tmp_path / "bad.csv")
