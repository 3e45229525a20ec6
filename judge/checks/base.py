"""The Check extension point: a small Protocol plus a registry decorator.

A new check is one decorated async function in one file under judge/checks/.
Phases: 'capture' checks read only the captures (no browser); 'live' checks drive the page
(interaction probing, axe, task probes) and run after the captures, one at a time.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from judge.schema import CheckResult, PageEvents, Task, ViewportCapture

if TYPE_CHECKING:
    from PIL.Image import Image
    from playwright.async_api import Page

    from rubrics import Rubric

Phase = Literal["capture", "live"]
Kind = Literal["page", "image"]


@dataclass
class CheckContext:
    """Everything a check may look at. `page` is None for image inputs."""

    rubric: Rubric
    captures: dict[str, ViewportCapture]
    events: PageEvents
    page: Page | None = None
    url: str | None = None
    task: Task | None = None
    image: Image | None = None
    deadline: float = field(default_factory=lambda: time.monotonic() + 60)
    # Checks may leave things for the verdict: interactions, probes, features, extra images.
    extras: dict[str, Any] = field(default_factory=dict)
    images: dict[str, bytes] = field(default_factory=dict)  # id -> PNG, for the report

    def seconds_left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())


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


REGISTRY: dict[str, CheckSpec] = {}


def check(
    id: str,
    dimension: str,
    *,
    phase: Phase = "capture",
    kinds: tuple[Kind, ...] = ("page",),
    order: int = 100,
) -> Callable[[Check], Check]:
    """Register a check under `id` (results may use `id` or `id.<sub>` ids)."""

    def deco(fn: Check) -> Check:
        if id in REGISTRY:
            raise ValueError(f"check {id!r} registered twice")
        REGISTRY[id] = CheckSpec(id, dimension, phase, kinds, fn, order)
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
