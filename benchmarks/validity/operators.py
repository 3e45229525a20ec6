"""Defect operators: small, documented transforms of a working app, registered by name.

An operator edits a *copy* of an app (HTML/CSS/JS text edits, or an injected `<style>`/`<script>`)
so that a careful person would notice the defect and mark the app down — not cartoonish, not
invisible. Each registers with a one-line description of what a person would see. An operator
that does not apply to an app (no text field, no images, no navigation ...) raises
`NotApplicable` instead of producing an identical copy; `apply` also refuses a transform that left
the files unchanged.

The operators themselves live in `defects_visual.py` (what the page looks like) and
`defects_behaviour.py` (what it does); `registry()` imports both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from benchmarks.validity.corpus import App, materialise
from benchmarks.validity.htmledit import Site
from builders.intake import tree_sha256

ASSETS = Path(__file__).parent / "assets"
NULL = "null"  # the control operator: a harmless edit, measures the judge's noise floor

Seen = Literal["render", "behaviour", "console", "none"]


class NotApplicable(Exception):
    """The operator has nothing to break in this app (the reason says why)."""


@dataclass(frozen=True)
class Operator:
    """One kind of defect."""

    name: str
    category: str  # the defect family, e.g. "broken input"
    seen: str  # what a person would see, one line
    shows_in: Seen  # where the defect shows: the rendering, behaviour only, or the console only
    fn: Callable[[Site], None]

    @property
    def control(self) -> bool:
        """The null control is not a defect: kept out of accuracy means and of the split."""
        return self.name == NULL


_REGISTRY: dict[str, Operator] = {}


def operator(name: str, category: str, seen: str, shows_in: Seen = "render"):
    """Register a defect operator under `name`."""

    def deco(fn: Callable[[Site], None]) -> Callable[[Site], None]:
        if name in _REGISTRY:
            raise ValueError(f"operator {name!r} registered twice")
        _REGISTRY[name] = Operator(name, category, seen, shows_in, fn)
        return fn

    return deco


def registry() -> dict[str, Operator]:
    """Every operator by name (the null control first, then alphabetical)."""
    import benchmarks.validity.defects_behaviour  # noqa: F401  (registers)
    import benchmarks.validity.defects_visual  # noqa: F401  (registers)

    return dict(sorted(_REGISTRY.items(), key=lambda kv: (kv[0] != NULL, kv[0])))


def locate_js() -> str:
    """The runtime helpers (`window.__vd`) that operators working on the live page rely on."""
    return (ASSETS / "locate.js").read_text(encoding="utf-8")


def runtime(site: Site, body: str, *, early: bool = False) -> None:
    """Inject `body` with the locate helpers available as `V` (e.g. `V.ready(() => ...)`)."""
    site.add_script(f"{locate_js()}\n(() => {{ const V = window.__vd;\n{body}\n}})();", early=early)


@dataclass(frozen=True)
class Mutant:
    """A mutated copy of an app, ready to judge."""

    app: str
    operator: str
    path: Path


def apply(op: Operator, app: App, dest: Path) -> Mutant:
    """Copy `app` to `dest` and apply `op`; NotApplicable if it does not apply or changes nothing."""
    materialise(app, dest)
    before = tree_sha256(dest)
    site = Site(dest)
    op.fn(site)
    site.save()
    if tree_sha256(dest) == before:
        raise NotApplicable("the transform changed no file")
    return Mutant(app.name, op.name, dest)


@operator(NULL, "control", "nothing: an HTML comment is added (noise floor of the judge)", "none")
def null(site: Site) -> None:
    """A harmless edit: the score and rendering should not move at all."""
    site.html = site.html.rstrip() + "\n<!-- validity: null control -->\n"
