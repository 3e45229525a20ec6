"""Turn multi-file submissions into a directory: `{"files": {path: content}}` JSON, or a model
completion holding several fenced code blocks that name their files.

File names are found (first match wins) in the fence's info string (```jsx title="src/App.jsx"```,
```html index.html```, ```tsx:src/main.tsx```), in a first-line comment (`// file: src/main.js`,
`<!-- index.html -->`), or in the line just before the fence (`**src/App.jsx**`, `### index.html`,
`` `src/App.jsx`: ``). A lone unnamed ```html block becomes index.html; unnamed CSS/JS blocks fill
the stylesheet/script the page links to. Paths are untrusted: absolute, `..` and too deep or too long paths (`builders.paths`) are refused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from builders.paths import PathRefused, check_parts, shown

MAX_FILES = 500
MAX_BYTES = 20 << 20
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_ATTR = re.compile(r"""\b(?:title|file(?:name)?|name|path)\s*=\s*["']?([^"'\s}]+)""", re.I)
_EXT = r"[A-Za-z0-9]{1,10}"
_PATHLIKE = re.compile(r"(?<![\w/.@-])((?:[\w@.\-]+/)*[\w@\-][\w@.\-]*\." + _EXT + r")(?![\w/])")
_BARE_NAMES = {"Dockerfile", "Makefile", "LICENSE", ".gitignore", ".npmrc", ".env"}
_COMMENT_FILE = re.compile(
    r"^\s*(?://|#|/\*|<!--|\{/\*|--|;)\s*(?:(?:file(?:name)?|path)\s*[:=]\s*)?"
    r"(?P<path>[^\s*]+?)\s*(?:\*/|-->|\*/\})?\s*$",
    re.I,
)
_IGNORED_LANGS = {"bash", "sh", "shell", "console", "zsh", "text", "txt", "plaintext", "diff", ""}
_LANG_EXT = {
    "html": ".html",
    "css": ".css",
    "js": ".js",
    "javascript": ".js",
    "jsx": ".jsx",
    "ts": ".ts",
    "tsx": ".tsx",
}
_LINKED = {
    ".css": re.compile(r"""<link[^>]+href=["']([^"':]+\.css)["']""", re.I),
    ".js": re.compile(r"""<script[^>]+src=["']([^"':]+\.m?js)["']""", re.I),
}


class ExtractError(Exception):
    """The submission's files cannot be extracted safely: a `rejected` verdict."""


@dataclass
class Block:
    """One fenced code block."""

    lang: str
    info: str
    code: str
    before: str  # the closest non-empty line of prose above the fence
    path: str | None = None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from a JSON "\ud800" escape
        return False
    return True


def safe_path(raw: str) -> str:
    """Normalise a submitted relative path; raise ExtractError for anything that could escape."""
    p = raw.strip().strip("`'\"").replace("\\", "/")
    if not p or "\0" in p or not _encodable(p):
        raise ExtractError(f"empty or invalid file path {shown(raw)}")
    if p.startswith(("/", "~")) or re.match(r"^[A-Za-z]:", p):
        raise ExtractError(f"unsafe file path {shown(raw)}: absolute paths are not allowed")
    parts = [s for s in PurePosixPath(p).parts if s not in ("", ".")]
    if any(s == ".." for s in parts):
        raise ExtractError(f"unsafe file path {shown(raw)}: '..' is not allowed")
    if not parts or parts[0] in (".git", "node_modules"):
        raise ExtractError(f"file path {shown(raw)} is not allowed")
    try:
        check_parts(parts)
    except PathRefused as exc:
        raise ExtractError(str(exc)) from None
    return "/".join(parts)


def _pathlike(text: str) -> str | None:
    text = re.sub(r"https?://\S+", " ", text)
    found = _PATHLIKE.findall(text)
    if found:
        # Prefer a token with a directory part, else the last one named on the line.
        with_dir = [f for f in found if "/" in f]
        return (with_dir or found)[-1]
    for name in _BARE_NAMES:
        if re.search(rf"(?<![\w.]){re.escape(name)}(?![\w.])", text):
            return name
    return None


def _from_info(info: str) -> str | None:
    m = _ATTR.search(info)
    if m:
        return m.group(1)
    rest = info.strip()
    if ":" in rest.split()[0] if rest else False:  # ```tsx:src/main.tsx
        cand = rest.split()[0].split(":", 1)[1]
        if cand:
            return cand
    tokens = rest.split()
    for tok in tokens[1:] if tokens else []:
        if _PATHLIKE.fullmatch(tok.strip("{}")):
            return tok
    if tokens and "." in tokens[0] and _PATHLIKE.fullmatch(tokens[0]):
        return tokens[0]  # ```src/App.jsx
    return None


def _from_first_line(code: str) -> tuple[str | None, str]:
    first, _, rest = code.partition("\n")
    m = _COMMENT_FILE.match(first)
    if m and first.strip()[:1] in "/#<{-;" and _PATHLIKE.fullmatch(m.group("path").strip("`")):
        return m.group("path").strip("`"), rest
    return None, code


def _from_before(line: str) -> str | None:
    s = line.strip()
    # Only short heading-like lines: a sentence that merely mentions a file is not a label.
    if not s or len(s) > 120:
        return None
    labelled = (
        s.startswith(("#", "**", "`", "*", "-", "File", "file", "Path", "path"))
        or s.endswith(":")
        or re.match(r"^\d+[.)]\s", s)
    )
    return _pathlike(s) if labelled else None


def parse_blocks(text: str) -> list[Block]:
    """All top-level fenced code blocks, with their info string and the prose line above."""
    lines = text.splitlines()
    blocks: list[Block] = []
    i, last_prose = 0, ""
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            if lines[i].strip():
                last_prose = lines[i]
            i += 1
            continue
        fence, info = m.group("fence"), m.group("info").strip()
        body: list[str] = []
        i += 1
        while i < len(lines):
            c = _FENCE.match(lines[i])
            closes = c and c.group("fence")[0] == fence[0] and len(c.group("fence")) >= len(fence)
            if closes and not c.group("info").strip():
                break
            body.append(lines[i])
            i += 1
        i += 1
        lang = re.split(r"[\s:{]", info, maxsplit=1)[0].lower() if info else ""
        blocks.append(Block(lang, info, "\n".join(body) + "\n", last_prose))
        last_prose = ""
    return blocks


def extract_completion(text: str) -> dict[str, str]:
    """Files named in a model completion (path → content); raises ExtractError if none."""
    files: dict[str, str] = {}
    unnamed: list[Block] = []
    for b in parse_blocks(text):
        path = _from_info(b.info)
        code = b.code
        if path is None:
            path, code = _from_first_line(b.code)
        if path is None:
            path = _from_before(b.before)
        if path is None:
            unnamed.append(b)
            continue
        files[safe_path(path)] = code
    html = [b for b in unnamed if b.lang in ("html", "htm")]
    if "index.html" not in files and len(html) == 1:
        files["index.html"] = html[0].code
        unnamed.remove(html[0])
    page = files.get("index.html", "")
    for ext, rx in _LINKED.items():
        wanted = [safe_path(h) for h in rx.findall(page) if safe_path(h) not in files]
        for b in [b for b in unnamed if _LANG_EXT.get(b.lang) == ext]:
            if not wanted:
                break
            files[wanted.pop(0)] = b.code
    if not files:
        if any(b.lang not in _IGNORED_LANGS for b in unnamed):
            raise ExtractError("code blocks found, but none names its file (and no lone HTML)")
        raise ExtractError("no code blocks with file names found in the completion")
    return files


def extract_files_json(data: str | bytes | dict[str, Any]) -> dict[str, str]:
    """Files from `{"files": {path: content}}` (or `{"files": [{"path", "content"}]}`)."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise ExtractError(f"not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or "files" not in data:
        raise ExtractError('expected a JSON object with a "files" field')
    raw = data["files"]
    if isinstance(raw, list):
        try:
            raw = {f["path"]: f["content"] for f in raw}
        except (TypeError, KeyError) as exc:
            raise ExtractError('"files" list items need "path" and "content"') from exc
    if not isinstance(raw, dict) or not raw:
        raise ExtractError('"files" must be a non-empty object of path → content')
    out: dict[str, str] = {}
    for path, content in raw.items():
        if not isinstance(path, str) or not isinstance(content, str):
            raise ExtractError(f"file {path!r}: path and content must be strings")
        out[safe_path(path)] = content
    return out


def write_files(files: dict[str, str], dest: Path) -> Path:
    """Write files under `dest` (created), enforcing the caps; returns dest."""
    if len(files) > MAX_FILES:
        raise ExtractError(f"too many files ({len(files)} > {MAX_FILES})")
    try:
        total = sum(len(c.encode()) for c in files.values())
    except UnicodeEncodeError:
        raise ExtractError("file content is not valid Unicode (a lone surrogate)") from None
    if total > MAX_BYTES:
        raise ExtractError(f"files total {total} bytes (> {MAX_BYTES >> 20} MB)")
    dest.mkdir(parents=True, exist_ok=True)
    base = dest.resolve()
    for rel, content in files.items():
        target = base / safe_path(rel)
        if not target.resolve().is_relative_to(base) or target.is_symlink():
            raise ExtractError(f"unsafe file path {shown(rel)}")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        except (IsADirectoryError, FileExistsError, NotADirectoryError) as exc:
            raise ExtractError(
                f"file path {shown(rel)} clashes with a directory of the same name"
            ) from exc
    return dest
