"""The prompt's checklist (ArtifactsBench-style): 8–12 requirements, each with how to verify it.

Derived once per prompt by the model — with the deterministic design spec as a starting point
— and cached by (prompt sha256, model, template hash) under FJUDGE_CACHE/checklists/, so every
sample of the same prompt is judged on the same list, in this process and the next. The answer
is validated like every model answer (schema, one retry with the error shown); a prompt the
model cannot turn into a valid list gets no checklist, and the agent scores the rubric's
dimensions as it does without a prompt.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from judge.agent import prompts
from judge.agent.subtasks import strip_fence
from judge.schema import ChecklistDraft, DesignSpec, DraftItem, PromptCheckItem, Task
from judge.spec import effective_spec, prompt_sha256

if TYPE_CHECKING:
    from judge.agent.provider import Provider

FORMAT = {
    "type": "json_schema",
    "json_schema": {"name": "prompt_checklist", "schema": ChecklistDraft.model_json_schema()},
}
_memory: dict[str, list[DraftItem]] = {}
_locks: dict[str, asyncio.Lock] = {}


@dataclass
class Checklist:
    """The derived list, its cache key, and what went wrong if there is none."""

    items: list[PromptCheckItem] = field(default_factory=list)
    key: str = ""
    errors: list[str] = field(default_factory=list)
    cached: bool = False


def cache_key(prompt: str, model: str) -> str:
    """One list per prompt text, model and prompt templates."""
    blob = f"{prompt_sha256(prompt)}|{model}|{prompts.template_hash()}"
    return hashlib.sha256(blob.encode()).hexdigest()[:24]


def dimension_for(kind: str, spec: DesignSpec, dims: list[str]) -> str:
    """Design and layout items feed `spec` when there is one (else `visual`/`layout`)."""
    if kind in ("design", "layout"):
        if "spec" in dims and not spec.is_empty():
            return "spec"
        fallback = "visual" if kind == "design" else "layout"
        return fallback if fallback in dims else "task"
    return "task" if "task" in dims else dims[0]


def _path(cache_dir: Path, key: str) -> Path:
    return cache_dir / "checklists" / f"{key}.json"


def _load(cache_dir: Path | None, key: str) -> list[DraftItem] | None:
    if cache_dir is None:
        return None
    try:
        raw = json.loads(_path(cache_dir, key).read_text(encoding="utf-8"))
        return [DraftItem.model_validate(x) for x in raw]
    except (OSError, ValueError, TypeError):
        return None


def _store(cache_dir: Path | None, key: str, items: list[DraftItem]) -> None:
    if cache_dir is None:
        return
    path = _path(cache_dir, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps([i.model_dump() for i in items], indent=1), encoding="utf-8")
    tmp.replace(path)  # atomic: a reader sees the old list or the new one


async def _ask(
    provider: Provider, task: Task, spec: DesignSpec
) -> tuple[ChecklistDraft | None, list[str]]:
    messages = [
        {"role": "system", "content": prompts.CHECKLIST_SYSTEM},
        {"role": "user", "content": prompts.checklist_request(task, spec)},
    ]
    errors: list[str] = []
    for _attempt in range(2):  # one retry with the validation error, then no checklist
        resp, _ = await provider.complete({"messages": messages, "response_format": FORMAT})
        content = (resp.choices[0].message.content or "") if resp.choices else ""
        try:
            return ChecklistDraft.model_validate_json(strip_fence(content)), errors
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ())) or "answer"
            error = f"{where}: {first.get('msg')}"[:300]
            errors.append(f"checklist: invalid answer ({error})")
            messages = [
                *messages,
                {"role": "assistant", "content": content},
                {"role": "user", "content": prompts.retry(error)},
            ]
    return None, errors


async def derive_checklist(
    provider: Provider, task: Task, model: str, cache_dir: Path | None, dims: list[str]
) -> Checklist:
    """The prompt's checklist: from memory, from disk, or asked once (ProviderDown propagates)."""
    if not task.prompt.strip():
        return Checklist()
    key = cache_key(task.prompt, model)
    spec, _ = effective_spec(task)
    mem = f"{cache_dir}|{key}"  # one cache per cache directory, as on disk
    lock = _locks.setdefault(mem, asyncio.Lock())
    async with lock:  # two samples of one prompt judged at once ask the model once
        drafts = _memory.get(mem)
        cached, errors = drafts is not None, []
        if drafts is None:
            drafts = await asyncio.to_thread(_load, cache_dir, key)
            cached = drafts is not None
        if drafts is None:
            draft, errors = await _ask(provider, task, spec)
            if draft is None:
                return Checklist([], key, errors)
            drafts = list({d.id: d for d in reversed(draft.items)}.values())[::-1]  # first id wins
            await asyncio.to_thread(_store, cache_dir, key, drafts)
        _memory[mem] = drafts
    items = [
        PromptCheckItem(
            id=d.id, text=d.text, verify=d.verify, dimension=dimension_for(d.kind, spec, dims)
        )
        for d in drafts
    ]
    return Checklist(items, key, errors, cached)
