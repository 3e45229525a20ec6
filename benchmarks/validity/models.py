"""Data of the workbench: what is cached per judged input, and the report's rows."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ViewObs(_M):
    """What the workbench keeps of one viewport capture (for the naive judge and for diffs)."""

    width: int
    height: int
    doc_width: float
    doc_height: float
    uniformity: float = Field(description="Share of pixels of the dominant colour (96x96, /8).")
    thumb: str = Field(description="Base64 of a 96x96 greyscale thumbnail of the viewport.")
    look: list[str] = Field(
        default_factory=list,
        description="Short hashes of each element's tag, text, visibility and computed style "
        "(colours, font size, opacity, disabled): what it looks like, wherever it is.",
    )
    geometry: list[str] = Field(
        default_factory=list, description="Short hashes of each element's tag, text and box."
    )


class Record(_M):
    """One judged input (an original or a mutant), as cached on disk."""

    app: str
    operator: str = Field(description="'' for the original, else the operator name.")
    input_sha: str
    source_sha: str
    rubric: str = Field(description="id@version+hash of the rubric the verdict was made with.")
    status: str
    score: float | None
    verdict: dict[str, Any] = Field(description="The Verdict JSON, as the pipeline returned it.")
    views: dict[str, ViewObs] = Field(default_factory=dict)
    seconds: float = Field(0.0, description="verdict timings.total")


class Pair(_M):
    """An original and one of its mutants, both scored."""

    app: str
    operator: str
    original: float
    mutant: float
    naive_original: float
    naive_mutant: float
    pixel_diff: float = Field(description="Max over viewports of the share of changed pixels.")
    look_diff: float = Field(description="Max over viewports: Jaccard distance of element looks.")
    geometry_diff: float = Field(description="Max over viewports: same for element boxes.")
    verdict_diff: bool = Field(description="Any check score or interaction differs.")

    @property
    def drop(self) -> float:
        return self.original - self.mutant


class Dist(_M):
    """Five-number summary plus the mean."""

    n: int
    min: float | None = None
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    max: float | None = None
    mean: float | None = None


class OpStats(_M):
    """How one operator fared: does the original score above its mutant?"""

    operator: str
    category: str = ""
    shows_in: str = "render"
    side: str = "train"
    n: int
    accuracy: float | None = Field(description="Original above mutant; ties count half.")
    accuracy_band: float | None = Field(
        description="Same, but |drop| <= 0.03 (fjudge compare's tie band) counts half."
    )
    mean_drop: float | None
    naive_accuracy: float | None
    missed: list[str] = Field(
        default_factory=list, description="Apps where the mutant scored >= the original."
    )
    detecting_checks: list[tuple[str, float]] = Field(
        default_factory=list, description="Checks with the largest mean drop on these pairs."
    )


class CheckStats(_M):
    """How often one check fires on the working originals."""

    check: str
    n: int = Field(description="Originals where the check produced a score.")
    fp_below_1: float
    fp_below_09: float
    fp_below_05: float
    mean: float
    apps_below_05: list[str] = Field(default_factory=list)


class Group(_M):
    """Summary of a set of pairs (e.g. held-out apps x held-out operators)."""

    name: str
    apps: int
    operators: int
    pairs: int
    mean_accuracy: float | None = Field(description="Mean over operators of their accuracy.")
    pair_accuracy: float | None = Field(description="Over all pairs at once.")
    worst_operator: str | None = None
    worst_accuracy: float | None = None
    naive_mean_accuracy: float | None = None
    naive_worst_operator: str | None = None
    naive_worst_accuracy: float | None = None


class Identical(_M):
    """A mutant that rendered like its original (within the app's null-control noise)."""

    app: str
    operator: str
    shows_in: str
    pixel_diff: float
    look_diff: float
    geometry_diff: float
    verdict_diff: bool


class Report(_M):
    """Everything one workbench run measured (written as report.json next to report.md)."""

    created: str
    source_sha: str
    rubric: str
    mode: str = Field(description="'judge' or 'rescore:<rubric file>'.")
    selection: dict[str, Any]
    originals: Dist
    naive_originals: Dist
    original_scores: dict[str, float | None]
    groups: list[Group]
    operators: list[OpStats]
    control: OpStats | None = None
    control_moved: list[str] = Field(
        default_factory=list, description="Apps whose null-control copy scored differently."
    )
    checks: list[CheckStats]
    identical: list[Identical] = Field(default_factory=list)
    unstable: dict[str, dict[str, float]] = Field(
        default_factory=dict,
        description="Apps whose null-control copy rendered differently (pixels, looks, boxes).",
    )
    not_applicable: dict[str, dict[str, str]] = Field(default_factory=dict)
    infra_errors: list[str] = Field(default_factory=list)
    blocked_hosts: dict[str, list[str]] = Field(
        default_factory=dict, description="Originals whose outside requests were blocked."
    )
    throughput: dict[str, float] = Field(default_factory=dict)
