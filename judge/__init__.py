"""fjudge: judges generated frontends the way a careful human reviewer would.

The Python API (documented in `judge.api` and the README):

    import judge
    verdict = judge.score("site/")                       # or html=, files=, completion=
    summary = judge.evaluate("results.jsonl")            # one Verdict line per input line
    async with judge.Judge(judge.JudgeOptions()) as j:   # one warm browser for many calls
        verdict = await judge.ascore("site/", using=j)

Kept import-light on purpose: the names above load on first use, and Playwright, FastAPI and
openai load only in the modules using them, so `import judge` costs almost nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY = {
    "score": "judge.api",
    "ascore": "judge.api",
    "evaluate": "judge.api",
    "aevaluate": "judge.api",
    "EvalSummary": "judge.api",
    "Judge": "judge.pipeline",
    "Judgment": "judge.pipeline",
    "JudgeOptions": "judge.schema",
    "Task": "judge.schema",
    "Verdict": "judge.schema",
}
__all__ = [
    "EvalSummary",
    "Judge",
    "JudgeOptions",
    "Judgment",
    "Task",
    "Verdict",
    "__version__",
    "aevaluate",
    "ascore",
    "evaluate",
    "score",
]

if TYPE_CHECKING:
    from judge.api import EvalSummary, aevaluate, ascore, evaluate, score
    from judge.pipeline import Judge, Judgment
    from judge.schema import JudgeOptions, Task, Verdict


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'judge' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
