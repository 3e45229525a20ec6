"""The Verdict and its parts: the stable, documented output of every judgment.

Stability rule: add fields, never rename or remove them. Every new field needs a default.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from judge.schema.base import Frozen
from judge.schema.spec import PromptInfo

Status = Literal["ok", "build_failed", "render_failed", "rejected", "infra_error"]
InputKind = Literal["directory", "html", "archive", "image", "files", "completion"]

SCHEMA_VERSION = "1"


class BBox(Frozen):
    """A box in CSS pixels relative to the top-left of the page (document coordinates)."""

    x: float
    y: float
    width: float
    height: float


class Evidence(Frozen):
    """Where a finding was seen."""

    viewport: str | None = Field(None, description="Viewport name, e.g. 'mobile'.")
    selector: str | None = Field(None, description="CSS selector of the element concerned.")
    bbox: BBox | None = None
    screenshot: str | None = Field(
        None, description="Screenshot file (relative to the --out directory) or screenshot id."
    )
    detail: str | None = Field(None, description="Short extra fact (rule id, measured value).")


class CheckResult(Frozen):
    """One scored (or explicitly unscored) check outcome."""

    id: str = Field(description="Check id, e.g. 'layout.overflow'.")
    dimension: str = Field(description="Rubric dimension this check feeds.")
    score: float | None = Field(description="0..1, or null when the check could not score.")
    weight: float = 1.0
    message: str = ""
    viewport: str | None = Field(None, description="Viewport the result is about, if any.")
    severity: Literal["info", "minor", "major", "critical"] = "info"
    evidence: list[Evidence] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict, description="Measured values.")
    gate: str | None = Field(
        None, description="Rubric gate this finding raises: it caps the score and every dimension."
    )
    fatal: bool = Field(
        False, description="Nothing can be judged: status render_failed, score and dimensions 0."
    )


class RubricRef(Frozen):
    id: str
    version: str


class InputInfo(Frozen):
    kind: InputKind
    sha256: str = Field(description="Hash of the input bytes (tree hash for directories).")
    name: str = ""


class JudgeInfo(Frozen):
    """What judged: name, version and provenance (for the agent: model, endpoint, prompt hash)."""

    name: str = "fjudge"
    version: str = ""
    mode: Literal["deterministic", "agent", "hybrid", "image"] = "deterministic"
    note: str | None = None
    provenance: dict[str, Any] = Field(default_factory=dict)


class BlockedRequest(Frozen):
    """A request from the page to anything other than its own preview: stopped, or answered
    locally (a neutral image placeholder, or the CDN mirror's copy of a published file)."""

    url: str
    channel: str = Field(description="fetch/xhr, websocket, navigation, image, form, …")
    action: Literal["blocked", "placeholder", "mirrored"] = "blocked"
    package: str | None = Field(
        None, description="mirrored: the npm package answered, `name@exact-version`."
    )
    file: str | None = Field(None, description="mirrored: the file inside the package.")
    reason: str | None = Field(
        None,
        description="Why there was no local answer: external_api (live data, a server's API), "
        "remote_media (images/media/fonts from elsewhere; images get a placeholder), "
        "external_resource (scripts/styles/frames from a host that is no known CDN), "
        "cross_site "
        "(another submission), offline (CDN file not in the store, --offline), not_found "
        "(no such package/version/file), too_large, unsafe_package, registry_error, "
        "unsupported (a CDN form the mirror does not answer).",
    )
    detail: str | None = Field(None, description="A short human-readable explanation.")

    @property
    def unanswerable(self) -> bool:
        """The page wanted something external that has no local equivalent."""
        return self.action != "mirrored" and self.reason not in (None, "cross_site")


class BuildInfo(Frozen):
    """How the submission was built (npm projects) or that it needed no build (static)."""

    status: Literal[
        "ok",
        "skipped",
        "engine_mismatch",
        "invalid_manifest",
        "install_failed",
        "build_failed",
        "build_timeout",
        "no_output",
        "output_too_large",
        "sandbox_violation",
        "infra_error",
    ] = "skipped"
    reason: str | None = None
    log_tail: str | None = None
    tool: str | None = Field(None, description="vite, webpack, …, or 'static'.")
    framework: str | None = None
    framework_version: str | None = None
    command: str | None = None
    sandbox: str | None = Field(None, description="'bwrap' or 'none (--unsafe-no-sandbox)'.")
    cache_hit: bool | None = None
    seconds: float | None = None


class ProbeStep(Frozen):
    action: str
    ok: bool
    message: str = ""


class ProbeResult(Frozen):
    """A task checklist item: passed/failed by its executable probe, or left unscored."""

    id: str
    text: str
    status: Literal["passed", "failed", "unscored", "error"]
    failed_step: int | None = None
    message: str = ""
    steps: list[ProbeStep] = Field(default_factory=list)


class Interaction(Frozen):
    """One action of the interaction prober and what it changed."""

    action: str
    selector: str
    effect: list[str] = Field(default_factory=list, description="dom, url, pixels, focus, …")
    errors: list[str] = Field(default_factory=list)
    blocked: list[str] = Field(default_factory=list)
    bbox: BBox | None = None
    before: str | None = None
    after: str | None = None
    setup: str | None = Field(
        None, description="The action whose resulting state this one used (replayed first)."
    )


class ItemScore(Frozen):
    """The agent judge's score for one sub-task, aggregated over runs."""

    id: str
    mean: float | None = Field(description="0..1 mean over runs that scored it; null if none did.")
    std: float | None = None
    ci95: tuple[float, float] | None = None
    runs: list[float | None] = Field(default_factory=list)
    unstable: bool = False
    rationale: str = ""
    evidence: list[str] = Field(default_factory=list)


class PromptCheckItem(Frozen):
    """One item of the checklist the agent derived from the prompt (ArtifactsBench-style)."""

    id: str
    text: str = Field(description="What the page must do or show, in the prompt's terms.")
    verify: str = Field("", description="How to verify it on the live page.")
    dimension: str = Field("task", description="Rubric dimension its score feeds.")


class AgentReport(Frozen):
    """What the multimodal agent judge did and concluded."""

    model: str
    endpoint_host: str
    runs: int
    temperature: float | None = None
    seed: int | None = None
    prompt_hash: str = ""
    items: list[ItemScore] = Field(default_factory=list)
    score: float | None = None
    tokens: dict[str, int] = Field(default_factory=dict)
    tokens_per_run: list[dict[str, int]] = Field(default_factory=list)
    budget_hits: list[str] = Field(default_factory=list)
    cached: bool = False
    dimensions: dict[str, float] = Field(
        default_factory=dict, description="Agent score per rubric dimension (0..1)."
    )
    steps_per_run: list[int] = Field(default_factory=list, description="Tool steps taken per run.")
    errors: list[str] = Field(default_factory=list, description="Invalid answers, tool faults.")
    unscored_reason: str | None = Field(
        None,
        description="Why the agent contributed nothing (endpoint down, fatal render failure); "
        "the deterministic verdict then stands.",
    )
    checklist: list[PromptCheckItem] = Field(
        default_factory=list,
        description="The checklist derived from the prompt (same list for every sample of it).",
    )
    checklist_key: str = Field(
        "", description="Cache key of that checklist (prompt sha256 + model + template)."
    )


class CalibrationApplied(Frozen):
    """A calibration file applied to this verdict."""

    file_sha256: str
    raw_score: float
    calibrated_score: float
    human_value: float | None = None
    human_interval: tuple[float, float] | None = None
    human_scale: tuple[float, float] | None = None


class Verdict(Frozen):
    """The judgment of one submission. See README 'Verdict JSON' for the documented schema."""

    schema_version: str = SCHEMA_VERSION
    status: Status
    reason: str | None = Field(None, description="Why the status is not 'ok' (or a note).")
    score: float | None = Field(description="0..1; null only for infra_error.")
    dimensions: dict[str, float] = Field(default_factory=dict)
    viewports: dict[str, dict[str, float]] = Field(
        default_factory=dict, description="Per viewport: dimension scores seen at that viewport."
    )
    checks: list[CheckResult] = Field(default_factory=list)
    rubric: RubricRef
    input: InputInfo
    judge: JudgeInfo = Field(default_factory=JudgeInfo)
    build: BuildInfo | None = None
    blocked_requests: list[BlockedRequest] = Field(default_factory=list)
    isolation: str | None = Field(None, description="How page egress was prevented.")
    features: dict[str, float] = Field(default_factory=dict, description="Visual features.")
    probes: list[ProbeResult] = Field(default_factory=list)
    interactions: list[Interaction] = Field(default_factory=list)
    agent: AgentReport | None = None
    calibration: CalibrationApplied | None = None
    screenshots: dict[str, str] = Field(default_factory=dict)
    timings: dict[str, float] = Field(
        default_factory=dict, description="Seconds per stage, and per check as 'check:<id>'."
    )
    gates: list[str] = Field(
        default_factory=list, description="Rubric gates applied (each caps score and dimensions)."
    )
    prompt: PromptInfo | None = Field(
        None,
        description="The generation prompt judged against: its sha256 and the design spec "
        "derived from it (null when the judgment had no prompt and no design block).",
    )

    def stable_dict(self) -> dict[str, Any]:
        """The verdict minus run-dependent fields, for determinism comparisons."""
        d = self.model_dump(mode="json")
        d.pop("timings", None)
        if d.get("build"):
            d["build"].pop("seconds", None)
            d["build"].pop("cache_hit", None)
        if d.get("agent"):
            d["agent"].pop("cached", None)
        return d
