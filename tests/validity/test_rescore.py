"""--rescore's seam on real verdicts: re-aggregating a verdict's own check results under the
rubric it was judged with reproduces its score exactly."""

from __future__ import annotations

import pytest

from benchmarks.validity.rescore import rescore_verdict
from rubrics import load_rubric

# The first test to ask for `validity_judgments` judges every page under
# tests/fixtures/validity (over a hundred, two at a time): its set-up alone takes minutes.
pytestmark = pytest.mark.timeout(900)


@pytest.mark.browser
async def test_rescore_with_the_same_rubric_reproduces_every_score(validity_judgments):
    rubric = load_rubric("frontend")
    for key, j in validity_judgments.items():
        v = j.verdict.model_dump(mode="json")
        assert rescore_verdict(v, rubric) == pytest.approx(v["score"], abs=1e-9), key
