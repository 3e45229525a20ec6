"""`fjudge doctor`: can this machine judge? Browser, sandbox, mirror store, model endpoint.

Each check returns a `Finding` (ok / warn / fail / skip) with what was found and, when it is
not ok, what to do. The browser check judges a one-line page end to end (preview, Chromium,
network namespace); the model check sends one small request with a tool and an image, the two
things the agent judge needs, and names the server flag when the endpoint refuses.
"""

from __future__ import annotations

import asyncio
import base64
import json
import struct
import zlib
from dataclasses import dataclass
from typing import Literal

State = Literal["ok", "warn", "fail", "skip"]


@dataclass(frozen=True)
class Finding:
    """One doctor check: its name, state, what was found, and what to do about it."""

    name: str
    state: State
    detail: str
    fix: str = ""


async def check_browser() -> Finding:
    """Judge a tiny page for real: Chromium starts, the preview serves, a verdict comes back."""
    from judge.browser import BrowserUnavailable, find_chromium

    try:
        path = find_chromium()
    except BrowserUnavailable as exc:
        return Finding("browser", "fail", str(exc), "run `make setup` or set FJUDGE_CHROMIUM")
    from judge.api import ascore
    from judge.schema import JudgeOptions

    verdict = await ascore(
        html="<!doctype html><h1>fjudge doctor</h1>", options=JudgeOptions(workers=1)
    )
    if verdict.status != "ok":
        return Finding(
            "browser", "fail", f"{path}: a test page gave {verdict.status}: {verdict.reason}"
        )
    return Finding("browser", "ok", f"{path} judged a test page (isolation: {verdict.isolation})")


def check_sandbox() -> Finding:
    """bubblewrap for npm builds, and a network namespace for the browser."""
    from builders.sandbox import bwrap_path
    from judge.browser import netns_available

    bwrap = bwrap_path()
    netns = netns_available()
    if bwrap and netns:
        return Finding(
            "sandbox", "ok", f"bubblewrap at {bwrap}; browser runs in a network namespace"
        )
    missing = []
    if not bwrap:
        missing.append("bubblewrap (npm builds need it, or --unsafe-no-sandbox)")
    if not netns:
        missing.append("a network namespace for the browser (egress then relies on proxy flags)")
    return Finding(
        "sandbox",
        "warn" if netns or bwrap else "fail",
        "missing: " + "; ".join(missing),
        "install bubblewrap (apt-get install bubblewrap) and allow unprivileged user namespaces",
    )


def check_mirror() -> Finding:
    """The offline CDN mirror's package store (judge.mirror), when that component is present."""
    import os

    try:
        from judge.mirror import store_root
        from judge.mirror.store import Store
    except ImportError:
        return Finding("mirror store", "skip", "not installed (judge.mirror is absent)")
    if os.environ.get("FJUDGE_MIRROR", "").lower() in ("off", "0", "no", "false"):
        return Finding(
            "mirror store", "skip", "turned off (FJUDGE_MIRROR=off): CDN requests are blocked"
        )
    root = store_root()
    try:
        packages = Store(root).list()
    except OSError as exc:
        return Finding("mirror store", "fail", f"{root}: {exc}")
    if not packages:
        return Finding(
            "mirror store",
            "warn",
            f"{root} holds no packages: pages using CDN libraries fetch them on first use "
            "(or stay blocked with --offline)",
            "fjudge mirror defaults   # pre-fill the common libraries, fonts and icons",
        )
    size = sum(p.bytes for p in packages) / 1e6
    return Finding("mirror store", "ok", f"{root}: {len(packages)} packages, {size:.1f} MB")


def _png(rgb: tuple[int, int, int], size: int = 16) -> str:
    """A small solid-colour PNG as a data URL (the image the endpoint must accept)."""
    row = b"\x00" + bytes(rgb) * size
    raw = zlib.compress(row * size)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    return "data:image/png;base64," + base64.b64encode(png).decode()


PROBE_TOOL = {
    "type": "function",
    "function": {
        "name": "report_colour",
        "description": "Report the main colour of the image.",
        "parameters": {
            "type": "object",
            "properties": {"colour": {"type": "string", "description": "e.g. red"}},
            "required": ["colour"],
        },
    },
}


async def check_model(model: str | None, base_url: str | None) -> Finding:
    """One small request with an image and a tool (tool_choice auto, as the agent sends)."""
    from judge.agent.provider import Provider, ProviderDown, resolve_config

    cfg = resolve_config(model=model, base_url=base_url, temperature=0, seed=0, cache_dir=None)
    if cfg is None:
        return Finding(
            "model endpoint",
            "skip",
            "not configured (set FJUDGE_MODEL and OPENAI_BASE_URL, or --model/--base-url)",
        )
    from dataclasses import replace

    provider = Provider(replace(cfg, max_attempts=2, backoff=0.2, max_tokens=200))
    request = {
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What colour is this image? Answer with the tool."},
                    {
                        "type": "image_url",
                        "image_url": {"url": _png((220, 30, 30)), "detail": "low"},
                    },
                ],
            }
        ],
        "tools": [PROBE_TOOL],
        "tool_choice": "auto",
    }
    where = f"{cfg.model} at {cfg.endpoint_host}"
    try:
        resp, _ = await provider.complete(request)
    except ProviderDown as exc:
        return Finding("model endpoint", "fail", f"{where}: {exc}")
    finally:
        await provider.close()
    msg = resp.choices[0].message
    calls = msg.tool_calls or []
    if not calls:
        text = (msg.content or "")[:120]
        return Finding(
            "model endpoint",
            "fail",
            f"{where} answered without calling the tool: {text!r}",
            "the agent drives pages with tool calls: serve a model with tool calling enabled "
            "(vLLM --enable-auto-tool-choice --tool-call-parser …; SGLang --tool-call-parser …)",
        )
    try:
        colour = json.loads(calls[0].function.arguments or "{}").get("colour", "?")
    except json.JSONDecodeError:
        colour = calls[0].function.arguments
    return Finding(
        "model endpoint", "ok", f"{where}: tool call and image accepted (saw {colour!r})"
    )


async def run_all(model: str | None = None, base_url: str | None = None) -> list[Finding]:
    """Every check, in the order they are shown."""
    sandbox = await asyncio.to_thread(check_sandbox)
    return [await check_browser(), sandbox, check_mirror(), await check_model(model, base_url)]
