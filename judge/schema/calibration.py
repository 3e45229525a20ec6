"""Human labels, agreement figures and calibration files (models for the `calibration` package)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from judge.schema.base import Frozen
from judge.schema.verdict import RubricRef

CALIBRATION_FORMAT = "fjudge-calibration/1"


class RatingLabel(Frozen):
    """One human rating of one item (optionally of one rubric dimension)."""

    item: str = Field(description="Path relative to the label file, or an id.")
    rating: float
    rater: str | None = None
    dimension: str | None = Field(None, description="Rubric dimension; None = overall.")
    scale_min: float | None = None
    scale_max: float | None = None
    group: str | None = Field(
        None, description="Source the item shares with others (kept in one fold together)."
    )
    sha256: str | None = Field(
        None, description="Content hash of the item, so a moved file still matches."
    )
    line: int = Field(0, description="Line of the label file it came from.")


class PairLabel(Frozen):
    """One human preference between two items."""

    a: str
    b: str
    winner: Literal["a", "b", "tie"]
    rater: str | None = None
    a_sha256: str | None = Field(None, description="Content hash of item a.")
    b_sha256: str | None = Field(None, description="Content hash of item b.")
    line: int = 0


class LabelSet(Frozen):
    """All labels read from one file."""

    path: str
    sha256: str
    ratings: list[RatingLabel] = Field(default_factory=list)
    pairs: list[PairLabel] = Field(default_factory=list)
    scale: tuple[float, float] | None = Field(None, description="Rating scale (min, max).")
    resolved: dict[str, str] = Field(
        default_factory=dict,
        description="Label item → path actually judged (relative to the label file or absolute).",
    )

    def items(self) -> list[str]:
        """Every distinct item, in first-seen order."""
        seen: dict[str, None] = {}
        for r in self.ratings:
            seen.setdefault(r.item)
        for p in self.pairs:
            seen.setdefault(p.a)
            seen.setdefault(p.b)
        return list(seen)


class Interval(Frozen):
    """A point estimate with its bootstrap 95% interval."""

    value: float | None
    low: float | None = None
    high: float | None = None
    n: int = 0

    def __str__(self) -> str:
        if self.value is None:
            return "n/a"
        if self.low is None or self.high is None:
            return f"{self.value:.3f}"
        return f"{self.value:.3f} [{self.low:.3f}, {self.high:.3f}]"


class AgreementReport(Frozen):
    """Agreement between judge and humans, and among the humans themselves."""

    n_items: int
    metrics: dict[str, Interval] = Field(default_factory=dict)
    human_ceiling: dict[str, Interval] = Field(
        default_factory=dict, description="Leave-one-rater-out: each rater vs the others' mean."
    )
    per_dimension: dict[str, dict[str, Interval]] = Field(default_factory=dict)
    raters: int = 0
    note: str = ""


class FittedModel(Frozen):
    """A fitted predictor stored as plain JSON (no pickles: a calibration file is data)."""

    kind: Literal["linear", "gbm", "ordinal", "blend", "bradley_terry", "identity", "monotone"]
    features: list[str]
    fill: list[float] = Field(default_factory=list, description="Training medians for gaps.")
    params: dict[str, Any] = Field(default_factory=dict)


class IsotonicMap(Frozen):
    """Monotone map from a model output to the human scale, with residual quantiles."""

    x: list[float]
    y: list[float]
    resid_low: float = Field(0.0, description="2.5% quantile of held-out residuals.")
    resid_high: float = Field(0.0, description="97.5% quantile of held-out residuals.")


class CalibrationFile(Frozen):
    """A versioned calibration: what was fitted, on which labels, and how well it held out."""

    format: str = CALIBRATION_FORMAT
    rubric: RubricRef
    judge_version: str
    feature_version: str = ""
    label_sha256: str
    label_file: str = ""
    n_items: int
    scale: tuple[float, float]
    folds: int
    model: FittedModel
    mapping: IsotonicMap | None = None
    cv: dict[str, Interval] = Field(
        default_factory=dict,
        description="Nested cross-validated figures (model choice, tuning, feature selection and "
        "normalisation refitted in every outer fold): the expected agreement on new items.",
    )
    candidates: dict[str, dict[str, float]] = Field(
        default_factory=dict,
        description="Flat (non-nested) CV figures of every configuration on all items; "
        "optimistic for the best one, shown for comparison only.",
    )
    train: dict[str, Interval] = Field(
        default_factory=dict, description="In-sample figures of the final model (optimistic)."
    )
    selection: dict[str, Any] = Field(
        default_factory=dict,
        description="How the model was chosen: rule, parameter budget, configurations tried.",
    )
    created: str = ""
    source_sha256: str | None = Field(None, exclude=True, description="Set when loaded.")
