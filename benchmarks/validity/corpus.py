"""The corpus: working apps whose better side is known.

- `../shared/data/real-apps` (relative to the project root): 50 small apps made by people
  (MIT, see its README). Read in place, never copied into the repository; absent → skipped.
- The bundled examples that are meant to be good: `examples/sites/polished`, `examples/todo`
  (the other example sites are deliberately broken and are not originals).

Every app is copied into a scratch directory before anything mutates it (`materialise`).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REAL_APPS = ROOT.parent / "shared" / "data" / "real-apps"
GOOD_EXAMPLES = ("examples/sites/polished", "examples/todo")
_SKIP = {"node_modules", ".git", "__pycache__"}


@dataclass(frozen=True)
class App:
    """One working app of the corpus."""

    name: str
    path: Path
    source: str  # "real-apps" or "examples"


def real_apps(root: Path = REAL_APPS) -> list[App]:
    """The shared real-app corpus (empty when it is not there)."""
    if not root.is_dir():
        return []
    return [
        App(d.name, d, "real-apps")
        for d in sorted(root.iterdir())
        if d.is_dir() and (d / "index.html").is_file()
    ]


def examples(root: Path = ROOT) -> list[App]:
    """The bundled examples meant to be good (named `example-<dir>` to keep names unique)."""
    out = []
    for rel in GOOD_EXAMPLES:
        p = root / rel
        if (p / "index.html").is_file():
            out.append(App(f"example-{p.name}", p, "examples"))
    return out


def discover() -> list[App]:
    """Every app of the corpus, sorted by name."""
    return sorted(real_apps() + examples(), key=lambda a: a.name)


def materialise(app: App, dest: Path) -> Path:
    """Copy the app's files to `dest` (which must not exist) and return it."""
    shutil.copytree(app.path, dest, ignore=shutil.ignore_patterns(*_SKIP), symlinks=False)
    return dest
