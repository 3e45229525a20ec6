"""Find CDN URLs in pages (HTML, CSS, JS) and fetch what they need into the store ahead of time.

`fjudge mirror prefill PAGES…` and `make demo` use this, so a batch judged later with `--offline`
finds everything it asks for. Fetching goes through the same resolver the preview uses (same
pins in the lock, same safety rules).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from judge.mirror.tables import KNOWN_HOSTS
from judge.schema import BlockedRequest

_URL = re.compile(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?/?[^\s"'`<>()\\]*""")
_TEXT_EXT = {".html", ".htm", ".css", ".js", ".mjs", ".jsx", ".tsx", ".ts", ".vue", ".svelte"}
MAX_FILE = 4 * 1024 * 1024


def cdn_urls(text: str) -> list[str]:
    """CDN URLs in a text, https-qualified, in order of appearance, without duplicates."""
    out = []
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(".,;")
        if url.startswith("//"):
            url = "https:" + url
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        # A bare origin (`<link rel=preconnect>`) asks for nothing; the Play CDN's does.
        bare = parts.path in ("", "/") and not parts.query and host != "cdn.tailwindcss.com"
        if host in KNOWN_HOSTS and not bare:
            out.append(url.replace("&amp;", "&"))
    return list(dict.fromkeys(out))


def scan_paths(paths: list[Path], limit: int = 20_000) -> list[str]:
    """CDN URLs in every text file under `paths` (files or directories)."""
    urls: list[str] = []
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for f in files[:limit]:
            if f.suffix.lower() not in _TEXT_EXT or "node_modules" in f.parts:
                continue
            try:
                if f.stat().st_size <= MAX_FILE:
                    urls += cdn_urls(f.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                continue
    return list(dict.fromkeys(urls))


@dataclass
class Recorder:
    """Stands in for a preview Site when warming: keeps what would have been recorded."""

    blocked: list[BlockedRequest] = field(default_factory=list)

    def block(self, url: str, channel: str, action: str = "blocked", **extra: object) -> None:
        self.blocked.append(BlockedRequest(url=url[:500], channel=channel, action=action, **extra))
