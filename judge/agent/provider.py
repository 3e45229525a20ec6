"""The model provider: any OpenAI-compatible Chat Completions endpoint through the `openai` SDK.

Adds what a grading harness needs on top of the SDK: retries with exponential backoff and
jitter that honour `Retry-After` (the SDK's own retries are off so there is one policy), a
concurrency limit per endpoint, and a SQLite response cache keyed by model + settings + messages
(images by hash) so that re-judging the same submission costs no requests and gives the same
result. A provider that stays down raises `ProviderDown`, which the pipeline turns into
`infra_error`, never into a low score.
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import json
import os
import random
import re
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504, 529}

# What a server's refusal means for fjudge, and the server flag that fixes it (vLLM, SGLang,
# Ollama wordings). Matched on the error text of a non-retryable 4xx.
REFUSALS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"enable-auto-tool-choice|auto\W+tool\W+choice", re.I),
        "the server does not accept tool_choice='auto': start vLLM with "
        "--enable-auto-tool-choice --tool-call-parser <parser for the model, e.g. hermes>",
    ),
    (
        re.compile(r"tool[-_ ]call[-_ ]parser|tool[-_ ]parser", re.I),
        "the server has no tool-call parser: start SGLang with --tool-call-parser <parser, "
        "e.g. qwen25> (vLLM: --enable-auto-tool-choice --tool-call-parser <parser>)",
    ),
    (
        re.compile(r"does not support tools|tools? (are|is) not supported|tool_choice", re.I),
        "the model or server does not support tool calling (fjudge's agent needs it): pick a "
        "model with tool support (Ollama: one listed with the 'tools' capability)",
    ),
    (
        re.compile(
            r"not a multimodal|does not support (image|vision)|image input|at most 0 image"
            r"|images? (are|is) not supported|multi-?modal",
            re.I,
        ),
        "the model does not take images: use a vision-language model (vLLM: check "
        "--limit-mm-per-prompt allows an image)",
    ),
    (
        re.compile(r"json_schema|response_format|structured|guided|grammar", re.I),
        "the server cannot enforce response_format json_schema: vLLM has structured outputs "
        "on by default (do not disable them; older: --guided-decoding-backend xgrammar), "
        "SGLang needs --grammar-backend xgrammar",
    ),
]


def explain_refusal(text: str) -> str | None:
    """The server flag or capability a refusal points to, in plain words, if recognised."""
    for pattern, advice in REFUSALS:
        if pattern.search(text):
            return advice
    return None


class ProviderDown(Exception):
    """The endpoint failed after every retry (or refused the request outright)."""


@dataclass(frozen=True)
class ProviderConfig:
    """Where and how to call the model; everything that changes an answer is in the cache key."""

    model: str
    base_url: str
    api_key: str = "sk-none"
    temperature: float = 0.3
    seed: int = 0
    max_attempts: int = 5
    backoff: float = 1.0
    max_backoff: float = 30.0
    timeout: float = 90.0
    concurrency: int = 4
    max_tokens: int = 1500
    cache_dir: Path | None = None

    @property
    def endpoint_host(self) -> str:
        """Host (and port) of the endpoint, for provenance; never the key."""
        return urlparse(self.base_url).netloc or self.base_url


def resolve_config(
    *,
    model: str | None,
    base_url: str | None,
    temperature: float | None,
    seed: int | None,
    cache_dir: Path | None,
) -> ProviderConfig | None:
    """Config from options, else environment (FJUDGE_MODEL, OPENAI_BASE_URL); None if unset."""
    model = model or os.environ.get("FJUDGE_MODEL")
    base_url = base_url or os.environ.get("OPENAI_BASE_URL")
    if not model or not base_url:
        return None
    env = os.environ.get
    return ProviderConfig(
        model=model,
        base_url=base_url,
        api_key=env("OPENAI_API_KEY") or "sk-none",
        temperature=0.3 if temperature is None else temperature,
        seed=0 if seed is None else seed,
        max_attempts=int(env("FJUDGE_AGENT_ATTEMPTS", "5")),
        backoff=float(env("FJUDGE_AGENT_BACKOFF", "1.0")),
        timeout=float(env("FJUDGE_AGENT_TIMEOUT", "90")),
        concurrency=int(env("FJUDGE_AGENT_CONCURRENCY", "4")),
        cache_dir=cache_dir,
    )


class ResponseCache:
    """SQLite key → completion JSON. Sync sqlite runs in a thread, off the event loop."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=30)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute(
            "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, body TEXT, created REAL)"
        )
        return con

    def _get(self, key: str) -> str | None:
        with self._connect() as con:
            row = con.execute("SELECT body FROM responses WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def _put(self, key: str, body: str) -> None:
        with self._connect() as con:
            con.execute(
                "INSERT OR REPLACE INTO responses VALUES (?, ?, ?)", (key, body, time.time())
            )

    async def get(self, key: str) -> str | None:
        return await asyncio.to_thread(self._get, key)

    async def put(self, key: str, body: str) -> None:
        await asyncio.to_thread(self._put, key, body)


def _hash_images(obj: Any) -> Any:
    """Replace data URLs by their hash so cache keys stay small and stable."""
    if isinstance(obj, dict):
        if obj.get("type") == "image_url":
            url = obj["image_url"]["url"]
            digest = hashlib.sha256(url.encode()).hexdigest()
            return {"type": "image_url", "sha256": digest, "detail": obj["image_url"].get("detail")}
        return {k: _hash_images(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_hash_images(v) for v in obj]
    return obj


def cache_key(cfg: ProviderConfig, request: dict[str, Any], run: int) -> str:
    """Model + settings + messages (images by hash) + tools/format + run index."""
    blob = json.dumps(
        {
            "model": cfg.model,
            "endpoint": cfg.base_url,
            "temperature": cfg.temperature,
            "seed": cfg.seed,
            "run": run,
            "request": _hash_images(request),
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def retry_after(headers: Any) -> float | None:
    """Seconds from `retry-after-ms` / `Retry-After` (seconds or HTTP date), if present."""
    if headers is None:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time()) if when else None


_SEMAPHORES: dict[tuple[int, str], asyncio.Semaphore] = {}


@dataclass
class ProviderStats:
    """Counters for tests, benchmarks and the Verdict."""

    requests: int = 0
    cache_hits: int = 0
    retries: int = 0
    waits: list[float] = field(default_factory=list)


class Provider:
    """Chat Completions with retries, an endpoint-wide concurrency limit and a response cache."""

    def __init__(self, cfg: ProviderConfig) -> None:
        from openai import AsyncOpenAI

        self.cfg = cfg
        self.client = AsyncOpenAI(
            base_url=cfg.base_url, api_key=cfg.api_key, max_retries=0, timeout=cfg.timeout
        )
        self.cache = (
            ResponseCache(cfg.cache_dir / "agent" / "responses.sqlite") if cfg.cache_dir else None
        )
        self.stats = ProviderStats()

    def _semaphore(self) -> asyncio.Semaphore:
        key = (id(asyncio.get_running_loop()), self.cfg.base_url)
        if key not in _SEMAPHORES:
            _SEMAPHORES[key] = asyncio.Semaphore(self.cfg.concurrency)
        return _SEMAPHORES[key]

    async def complete(self, request: dict[str, Any], *, run: int = 0) -> tuple[Any, bool]:
        """One completion (`request` = messages/tools/...); returns (ChatCompletion, cached)."""
        from openai.types.chat import ChatCompletion

        key = cache_key(self.cfg, request, run)
        if self.cache is not None and (body := await self.cache.get(key)) is not None:
            self.stats.cache_hits += 1
            return ChatCompletion.model_validate_json(body), True
        completion = await self._call(request, run)
        if self.cache is not None:
            await self.cache.put(key, completion.model_dump_json())
        return completion, False

    async def _call(self, request: dict[str, Any], run: int) -> Any:
        import openai

        cfg = self.cfg
        last = ""
        for attempt in range(cfg.max_attempts):
            wait: float | None = None
            try:
                async with self._semaphore():
                    self.stats.requests += 1
                    return await self.client.chat.completions.create(
                        model=cfg.model,
                        temperature=cfg.temperature,
                        seed=cfg.seed + run,
                        max_tokens=cfg.max_tokens,
                        **request,
                    )
            except openai.APIStatusError as exc:
                last = f"HTTP {exc.status_code}: {str(exc)[:200]}"
                if exc.status_code not in RETRY_STATUS:
                    hint = explain_refusal(str(exc))
                    why = f" — {hint}" if hint else ""
                    raise ProviderDown(
                        f"{cfg.endpoint_host} refused the request: {last}{why}"
                    ) from exc
                wait = retry_after(exc.response.headers)
            except (openai.APITimeoutError, openai.APIConnectionError) as exc:
                last = f"{type(exc).__name__}: {str(exc)[:200]}"
            if attempt + 1 == cfg.max_attempts:
                break
            if wait is None:
                # Exponential backoff with equal jitter: spreads retries of concurrent judges.
                ceiling = min(cfg.max_backoff, cfg.backoff * 2**attempt)
                wait = ceiling / 2 + random.uniform(0, ceiling / 2)
            wait = min(wait, 120.0)
            self.stats.retries += 1
            self.stats.waits.append(wait)
            await asyncio.sleep(wait)
        raise ProviderDown(
            f"model endpoint {cfg.endpoint_host} unavailable after {cfg.max_attempts} attempts: {last}"
        )

    async def close(self) -> None:
        await self.client.close()
