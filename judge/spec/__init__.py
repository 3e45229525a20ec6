"""The design spec of a prompt, derived deterministically (no model).

    spec = derive_spec(prompt_text)          # DesignSpec; unknown phrasing → fewer items
    info = prompt_info(task)                 # PromptInfo for the Verdict (hash + spec), or None

`effective_spec` merges a task file's explicit `design:` block over the derived spec: each
section the block states replaces the derived one. Derivation is cached by the prompt's text,
so the checks of one judgment (and every sample of one prompt) read the same object.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from judge.schema.spec import DesignSpec, PromptInfo
from judge.schema.task import Task
from judge.spec import content, palette, rules
from judge.spec.text import clauses

__all__ = ["derive_spec", "effective_spec", "prompt_info", "prompt_sha256"]

MAX_PROMPT_CHARS = 200_000  # a longer prompt is read up to here (derivation is linear anyway)


@lru_cache(maxsize=256)
def derive_spec(prompt: str) -> DesignSpec:
    """Everything checkable the prompt asks for (see the modules of this package)."""
    cl = clauses(prompt[:MAX_PROMPT_CHARS])
    colours, closed = palette.colours(cl)
    comps = content.components(cl)
    return DesignSpec(
        colours=colours,
        palette="closed" if closed else "open",
        fonts=palette.fonts(cl),
        forbidden=rules.forbidden(cl),
        case=rules.case(cl),
        layout=rules.layout(cl),
        components=comps,
        texts=content.texts(cl),
        interactions=content.interactions(cl),
    )


def prompt_sha256(prompt: str) -> str:
    return hashlib.sha256(prompt.encode("utf-8", "surrogatepass")).hexdigest()


def effective_spec(task: Task | None) -> tuple[DesignSpec, str]:
    """(spec, source): the derived spec with the task's `design:` sections laid over it."""
    if task is None:
        return DesignSpec(), "none"
    derived = derive_spec(task.prompt) if task.prompt.strip() else None
    design = task.design
    if design is None:
        return (derived or DesignSpec()), ("prompt" if derived is not None else "none")
    if derived is None:
        return design, "task"
    stated = {k: getattr(design, k) for k in design.model_fields_set}
    return derived.model_copy(update=stated), "task+prompt"


def prompt_info(task: Task | None) -> PromptInfo | None:
    """What the Verdict records about the prompt, or None without prompt and design block."""
    if task is None or (not task.prompt.strip() and task.design is None):
        return None
    spec, source = effective_spec(task)
    return PromptInfo(
        sha256=prompt_sha256(task.prompt) if task.prompt else "",
        chars=len(task.prompt),
        source=source,  # type: ignore[arg-type]
        spec=spec,
        rules=spec.rule_count(),
    )
