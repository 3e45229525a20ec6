"""The shape of the code, kept by tests: import direction and function size.

- No library module imports the CLI (`judge.cli`): the CLI is the sync edge, nothing leans on it.
- `judge.agent` never imports the pipeline: the pipeline composes the agent, not the reverse.
- `builders`, `rubrics` and `calibration` never import each other (only `judge.schema`).
- No function over 80 lines in builders/, judge/pipeline.py, judge/scoring.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("judge", "builders", "rubrics", "calibration")
MAX_LINES = 80


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = path
    return out


def _imports(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the package
                base = (
                    module.split(".")[: -node.level]
                    if path.stem != "__init__"
                    else (module.split(".")[: len(module.split(".")) - node.level + 1])
                )
                found.add(".".join([*base, node.module or ""]).strip("."))
            elif node.module:
                found.add(node.module)
    return found


def _violations(rule) -> list[str]:
    bad = []
    for module, path in _modules().items():
        for imp in _imports(path, module):
            if rule(module, imp):
                bad.append(f"{module} imports {imp}")
    return sorted(bad)


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def test_no_library_module_imports_the_cli():
    assert (
        _violations(
            lambda m, imp: (
                _under(imp, "judge.cli") and not _under(m, "judge.cli") and m != "judge.__main__"
            )
        )
        == []
    )


def test_agent_never_imports_the_pipeline():
    assert (
        _violations(lambda m, imp: _under(m, "judge.agent") and _under(imp, "judge.pipeline")) == []
    )


def test_builders_rubrics_calibration_do_not_import_each_other():
    sides = ("builders", "rubrics", "calibration")

    def crosses(m: str, imp: str) -> bool:
        mine = next((s for s in sides if _under(m, s)), None)
        other = next((s for s in sides if _under(imp, s)), None)
        return mine is not None and other is not None and mine != other

    assert _violations(crosses) == []


def test_no_function_over_80_lines_in_the_core():
    targets = [*sorted((ROOT / "builders").rglob("*.py")), ROOT / "judge" / "pipeline.py",
               ROOT / "judge" / "scoring.py"]  # fmt: skip
    long = []
    for path in targets:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > MAX_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({n} lines)")
    assert long == []
