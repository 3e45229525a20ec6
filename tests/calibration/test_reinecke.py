"""Real human ratings (Reinecke & Gajos 2014): features + calibrator agree with people, held out.

Reads ../shared/data/reinecke-aesthetics beside the repository; skipped when it is absent.
The full 300-item figure comes from `fjudge calibrate fit` (nested CV; see
benchmarks/calibration_bench.py); this test uses every other item to stay quick.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from PIL import Image

from calibration import fit_ratings, read_labels
from judge.schema import InputInfo, RubricRef, Verdict
from judge.visual import image_features
from judge.visual.model import VisualModel

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "reinecke-aesthetics"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (DATA / "labels.csv").is_file(), reason="Reinecke data not present"),
]


def test_cross_validated_agreement_on_real_ratings(tmp_path):
    from rubrics import load_rubric

    rows = list(csv.DictReader((DATA / "labels.csv").open()))[::2]
    sub = tmp_path / "labels.csv"
    # Items stay paths into the shared folder (never copied), relative to the subset file.
    sub.write_text(
        "item,rating\n" + "".join(f"{(DATA / r['item']).resolve()},{r['rating']}\n" for r in rows)
    )
    labels = read_labels(sub, scale=(1, 9), require_files=True)
    weights = load_rubric("screenshot").visual_features
    verdicts = {}
    for r in labels.ratings:
        with Image.open(r.item) as im:
            f = image_features(im)
        s = VisualModel(weights=dict(weights)).score(f)
        verdicts[r.item] = Verdict(
            status="ok",
            score=s,
            dimensions={"visual": s},
            features=f,
            rubric=RubricRef(id="screenshot", version="t"),
            input=InputInfo(kind="image", sha256=hashlib.sha256(r.item.encode()).hexdigest()),
        )
    cal = fit_ratings(
        labels,
        verdicts,
        rubric=RubricRef(id="screenshot", version="t"),
        judge_version="t",
        resamples=200,
    )
    print({k: str(v) for k, v in cal.cv.items()}, cal.candidates)
    assert cal.n_items == 150
    # Nested (honest) held-out agreement well above chance on real human ratings.
    assert cal.cv["pearson"].value > 0.5
    assert cal.cv["pearson"].low > 0.3
    # The in-sample figure is recorded beside it and is not below it.
    assert cal.train["pearson"].value >= cal.cv["pearson"].value
