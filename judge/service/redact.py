"""Keep the server's own paths out of what clients read.

Verdict reasons and job errors are written by code that names files freely ("no such file …
/srv/jobs.db.spool/<id>/payload.json", a build's log). The store keeps them as they are (for
the operator); texts returned by the API pass through a `PathRedactor` that swaps every known
server directory for a placeholder.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

import judge
from judge.service.settings import Settings


class PathRedactor:
    """Replaces given directories (and anything under them) with short placeholders."""

    def __init__(self, roots: dict[str, Path]) -> None:
        labels: dict[str, str] = {}
        for label, root in roots.items():
            for variant in (str(root), str(Path(root).resolve())):
                if len(variant) > 1:  # never "/" itself
                    labels.setdefault(variant.rstrip("/"), label)
        self._labels = labels
        # Longest first, so the spool wins over the data dir that holds it.
        alts = "|".join(re.escape(v) for v in sorted(labels, key=len, reverse=True))
        self._rx = re.compile(rf"(?<![\w.\-])(?:{alts})(?![\w.\-])") if alts else None

    def __call__(self, text: str) -> str:
        if self._rx is None:
            return text
        return self._rx.sub(lambda m: self._labels[m.group(0)], text)

    @classmethod
    def for_settings(cls, settings: Settings) -> PathRedactor:
        """The service's directories: spool, data, cache, temp, home, Python and fjudge."""
        db = Path(settings.db)
        return cls(
            {
                "<spool>": db.with_name(db.name + ".spool"),
                "<data>": db.parent,
                "<cache>": Path(settings.cache_dir),
                "<tmp>": Path(tempfile.gettempdir()),
                "<python>": Path(sys.prefix),
                "<fjudge>": Path(judge.__file__).resolve().parents[1],
                "~": Path.home(),
            }
        )
