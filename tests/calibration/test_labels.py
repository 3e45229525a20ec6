"""Label readers: formats, scales and errors with line numbers."""

from __future__ import annotations

import json

import pytest

from calibration import LabelError, read_labels, write_labels
from calibration.labels import mean_ratings, ratings_by_rater


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_csv_ratings_with_raters_and_dimensions(tmp_path):
    (tmp_path / "a.png").write_bytes(b"x")
    p = write(
        tmp_path,
        "l.csv",
        "item,rating,rater,dimension,scale_min,scale_max\n"
        "a.png,4,ann,,1,5\na.png,2,bob,,1,5\nsite-b,5,ann,visual,1,5\n",
    )
    ls = read_labels(p)
    assert [r.line for r in ls.ratings] == [2, 3, 4]
    assert ls.scale == (1, 5)
    assert mean_ratings(ls) == {"a.png": 3.0}
    assert mean_ratings(ls, "visual") == {"site-b": 5.0}
    assert ratings_by_rater(ls) == {"ann": {"a.png": 4.0}, "bob": {"a.png": 2.0}}
    assert len(ls.sha256) == 64


def test_jsonl_pairs(tmp_path):
    p = write(
        tmp_path,
        "p.jsonl",
        '{"a": "x", "b": "y", "winner": "a", "rater": "ann"}\n\n{"a": "y", "b": "z", "winner": "tie"}\n',
    )
    ls = read_labels(p)
    assert [(q.a, q.b, q.winner, q.line) for q in ls.pairs] == [
        ("x", "y", "a", 1),
        ("y", "z", "tie", 3),
    ]
    assert ls.items() == ["x", "y", "z"]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("l.csv", "item,rating,colour\nx,3,red\n", "l.csv:2: unknown column(s) colour"),
        ("l.csv", "item,rating\nx,3\nmissing.png,4\n", "l.csv:3: item 'missing.png' not found"),
        (
            "l.csv",
            "item,rating,scale_min,scale_max\nx,3,1,5\ny,7,1,5\n",
            "l.csv:3: rating 7.0 is outside",
        ),
        ("l.csv", "item,rating\nx,three\n", "l.csv:2: rating 'three' is not a number"),
        ("l.csv", "item,rating\nx,\n", "l.csv:2: a rating row needs item and rating"),
        (
            "l.jsonl",
            '{"item": "x", "rating": 1}\n{"item": "y", "rating": 2\n',
            "l.jsonl:2: invalid JSON",
        ),
        (
            "l.jsonl",
            '{"a": "x", "b": "y", "winner": "left"}\n',
            "l.jsonl:1: winner must be a, b or tie",
        ),
        ("l.jsonl", '{"a": "x", "b": "x", "winner": "a"}\n', "cannot be compared with itself"),
        ("l.jsonl", "[1, 2]\n", "l.jsonl:1: each line must be a JSON object"),
        ("l.csv", "", "empty file"),
    ],
)
def test_errors_name_the_line(tmp_path, name, text, message):
    p = write(tmp_path, name, text)
    with pytest.raises(LabelError) as exc:
        read_labels(p)
    assert message in str(exc.value)


def test_default_scale_and_require_files(tmp_path):
    p = write(tmp_path, "l.csv", "item,rating\nx,3\ny,10\n")
    with pytest.raises(LabelError, match=r"l.csv:3: rating 10.0 is outside the scale \[1, 9\]"):
        read_labels(p, scale=(1, 9))
    with pytest.raises(LabelError, match="l.csv:2: item 'x' not found"):
        read_labels(p, require_files=True)
    assert read_labels(p).scale == (3, 10)  # observed range when nothing declares one


def test_write_then_read_round_trip(tmp_path):
    p = write(
        tmp_path,
        "l.jsonl",
        json.dumps({"item": "x", "rating": 4, "rater": "ann", "dimension": "visual"})
        + "\n"
        + json.dumps({"a": "x", "b": "y", "winner": "b", "rater": "bob"})
        + "\n",
    )
    ls = read_labels(p)
    out = tmp_path / "out.jsonl"
    write_labels(out, ls.ratings, ls.pairs)
    again = read_labels(out)
    assert [r.model_dump(exclude={"line"}) for r in again.ratings] == [
        r.model_dump(exclude={"line"}) for r in ls.ratings
    ]
    assert again.pairs[0].winner == "b"
