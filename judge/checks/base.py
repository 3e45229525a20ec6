"""The Check extension point: a small Protocol plus a registry decorator.

A new check is one decorated async function in one file under judge/checks/.
Phases: 'capture' checks read only the captures and the load-time events, both frozen before
any check runs (so they may run in a thread beside the live checks); 'live' checks drive the
page (interaction probing, axe, task probes) one at a time and record their own events.
A check that can cap the score declares its gates at registration; they are validated
against the rubric's gate names then, so a misspelt gate fails at import, never silently.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from judge.schema import (
    CheckResult,
    DesignSpec,
    Interaction,
    PageEvents,
    ProbeResult,
    Task,
    ViewportCapture,
)
from rubrics.schema import Gates

if TYPE_CHECKING:
    from PIL.Image import Image
    from playwright.async_api import Page

    from rubrics import Rubric

Phase = Literal["capture", "live"]
Kind = Literal["page", "image"]


@dataclass
class CheckContext:
    """Everything a check may look at, and the typed things checks leave for the verdict.

    `events` is the load-time snapshot: nothing appends to it while checks run. `page` is None
    for image inputs.
    """

    rubric: Rubric
    captures: dict[str, ViewportCapture]
    events: PageEvents
    page: Page | None = None
    url: str | None = None
    task: Task | None = None
    image: Image | None = None
    deadline: float = field(default_factory=lambda: time.monotonic() + 60)
    interactions: list[Interaction] = field(default_factory=list)
    probes: list[ProbeResult] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)
    images: dict[str, bytes] = field(default_factory=dict)  # id -> PNG, for the report
    check_seconds: dict[str, float] = field(default_factory=dict)
    spec: DesignSpec | None = None  # the prompt's design spec; None: the spec.* checks skip

    def seconds_left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    @property
    def external_api(self) -> bool:
        """The page asked a live data API that cannot be answered while judging (sealed)."""
        return any(b.reason == "external_api" for b in self.events.blocked)


class Check(Protocol):
    async def __call__(self, ctx: CheckContext) -> list[CheckResult]: ...


@dataclass(frozen=True)
class CheckSpec:
    id: str
    dimension: str
    phase: Phase
    kinds: tuple[Kind, ...]
    fn: Callable[[CheckContext], Awaitable[list[CheckResult]]]
    order: int = 100
    gates: frozenset[str] = frozenset()
    may_be_fatal: bool = False
    doc: str = ""

    def validate(self, r: CheckResult) -> None:
        """A result stays in its check's family (`render.blank` may report `render.fatal`,
        never `layout.x`), raises only declared gates, and is fatal only if declared."""
        if r.id.split(".")[0] != self.id.split(".")[0]:
            raise ValueError(f"check {self.id!r} returned a result with id {r.id!r}")
        if r.gate is not None and r.gate not in self.gates:
            raise ValueError(f"check {self.id!r} raised undeclared gate {r.gate!r}")
        if r.fatal and not self.may_be_fatal:
            raise ValueError(f"check {self.id!r} returned a fatal result without declaring it")


REGISTRY: dict[str, CheckSpec] = {}


def check(
    id: str,
    dimension: str,
    *,
    phase: Phase = "capture",
    kinds: tuple[Kind, ...] = ("page",),
    order: int = 100,
    gates: tuple[str, ...] = (),
    may_be_fatal: bool = False,
) -> Callable[[Check], Check]:
    """Register a check under `id` (results may use `id` or `id.<sub>` ids).

    `gates` names the rubric gates its results may raise; `may_be_fatal` allows results that
    end the judgment (render_failed). Both are checked here and for every result.
    """
    unknown = set(gates) - Gates.names()
    if unknown:
        raise ValueError(f"check {id!r} declares unknown gate(s) {sorted(unknown)}")

    def deco(fn: Check) -> Check:
        if id in REGISTRY:
            raise ValueError(f"check {id!r} registered twice")
        doc = (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else ""
        REGISTRY[id] = CheckSpec(
            id, dimension, phase, kinds, fn, order, frozenset(gates), may_be_fatal, doc
        )
        return fn

    return deco


def result(
    spec_id: str,
    dimension: str,
    score: float | None,
    message: str = "",
    **kw: Any,
) -> CheckResult:
    """Build a CheckResult with the score clamped to [0, 1]."""
    if score is not None:
        score = min(1.0, max(0.0, float(score)))
    return CheckResult(id=spec_id, dimension=dimension, score=score, message=message, **kw)
