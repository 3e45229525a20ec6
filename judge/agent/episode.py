"""One agent run: explore the live page with tools, then score every sub-task.

Budgets (steps, wall time, tokens) end the exploration with what was gathered; scoring still
happens (a final structured call), and the hit is recorded. Images are sent in exactly one
request (the one right after they were taken) and then replaced by a text stub: the model is
told to note what it sees, and the bill for a screenshot is paid once, not once per turn.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

from judge.agent import prompts
from judge.agent.images import AgentImage
from judge.agent.provider import Provider
from judge.agent.subtasks import ParsedSheet, merge, parse_sheet
from judge.agent.tools import PageTools, tool_specs
from judge.schema import ItemAnswer, ScoreSheet, SubTask


@dataclass(frozen=True)
class Budget:
    """Limits of one run."""

    steps: int
    seconds: float
    tokens: int


@dataclass
class RunResult:
    """What one run concluded and what it cost."""

    answers: dict[str, ItemAnswer | None]
    tokens: dict[str, int]
    steps: int = 0
    requests: int = 0
    budget_hits: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    all_cached: bool = True


def response_format() -> dict[str, Any]:
    """`response_format` for the score sheet: the pydantic model's JSON schema."""
    return {
        "type": "json_schema",
        "json_schema": {"name": "score_sheet", "schema": ScoreSheet.model_json_schema()},
    }


class Conversation:
    """Message history where each image is rendered as an image part in one request only."""

    def __init__(self, system: str) -> None:
        self.messages: list[dict[str, Any]] = [{"role": "system", "content": system}]
        self.fresh: set[str] = set()

    def add(self, msg: dict[str, Any]) -> None:
        self.messages.append(msg)

    def add_images(self, text: str, images: list[tuple[str, AgentImage]]) -> None:
        parts: list[Any] = [{"type": "text", "text": text}]
        for ident, img in images:
            parts.append({"type": "text", "text": f"Image {ident}:"})
            parts.append({"_image": ident, "img": img})
            self.fresh.add(ident)
        self.add({"role": "user", "content": parts})

    def render(self) -> tuple[list[dict[str, Any]], int]:
        """Wire messages plus the estimated image tokens they carry; marks images as shown."""
        out, image_tokens = [], 0
        for msg in self.messages:
            content = msg.get("content")
            if isinstance(content, list):
                parts = []
                for p in content:
                    if "_image" not in p:
                        parts.append(p)
                    elif p["_image"] in self.fresh:
                        parts.append(p["img"].part())
                        image_tokens += p["img"].tokens
                    else:
                        parts.append(
                            {"type": "text", "text": f"[image {p['_image']} shown earlier]"}
                        )
                msg = {**msg, "content": parts}
            out.append(msg)
        self.fresh.clear()
        return out, image_tokens


def _assistant(message: Any) -> dict[str, Any]:
    msg: dict[str, Any] = {"role": "assistant", "content": message.content or ""}
    if message.tool_calls:
        msg["tool_calls"] = [
            {
                "id": c.id,
                "type": "function",
                "function": {"name": c.function.name, "arguments": c.function.arguments or ""},
            }
            for c in message.tool_calls
        ]
    return msg


class Episode:
    """State of one run (so the budget bookkeeping lives in one place)."""

    def __init__(
        self,
        provider: Provider,
        tools: PageTools,
        subtasks: list[SubTask],
        budget: Budget,
        run: int,
    ) -> None:
        self.provider, self.tools, self.subtasks = provider, tools, subtasks
        self.budget, self.run = budget, run
        self.tokens = {"prompt": 0, "completion": 0, "image": 0, "total": 0}
        self.result = RunResult(answers={}, tokens=self.tokens)
        self.deadline = time.monotonic() + budget.seconds
        self.conv = Conversation(prompts.SYSTEM)

    async def _request(self, extra: dict[str, Any], limit: float | None) -> Any:
        messages, image_tokens = self.conv.render()
        req = {"messages": messages, "tools": tool_specs(), **extra}
        call = self.provider.complete(req, run=self.run)
        resp, cached = await (asyncio.wait_for(call, limit) if limit else call)
        self.result.requests += 1
        self.result.all_cached &= cached
        usage = resp.usage
        self.tokens["prompt"] += usage.prompt_tokens if usage else 0
        self.tokens["completion"] += usage.completion_tokens if usage else 0
        self.tokens["image"] += image_tokens
        self.tokens["total"] = self.tokens["prompt"] + self.tokens["completion"]
        return resp.choices[0].message if resp.choices else None

    def _out_of_budget(self) -> str | None:
        if self.result.steps >= self.budget.steps:
            self.result.budget_hits.append("steps")
            return f"the step budget of {self.budget.steps} was reached"
        if time.monotonic() >= self.deadline:
            self.result.budget_hits.append("wall_time")
            return f"the time budget of {self.budget.seconds:.0f}s ran out"
        if self.tokens["total"] >= self.budget.tokens:
            self.result.budget_hits.append("tokens")
            return f"the token budget of {self.budget.tokens} was used"
        return None

    async def explore(self, brief: str, sheet: AgentImage) -> tuple[str | None, str]:
        """Tool loop; returns (raw submit_scores arguments or None, why exploration ended)."""
        self.conv.add_images(brief, [("s1", sheet)])
        while (why := self._out_of_budget()) is None:
            left = max(1.0, self.deadline - time.monotonic())
            try:
                message = await self._request({"tool_choice": "auto"}, left)
            except TimeoutError:
                self.result.budget_hits.append("wall_time")
                return None, "the time budget ran out"
            if message is None:
                return None, "your reply was empty"
            self.conv.add(_assistant(message))
            if not message.tool_calls:
                return None, "you replied without calling a tool"
            images: list[tuple[str, AgentImage]] = []
            sheet_args, finished = None, False
            for call in message.tool_calls:
                self.result.steps += 1
                out = await self.tools.call(call.function.name, call.function.arguments)
                self.conv.add({"role": "tool", "tool_call_id": call.id, "content": out.text})
                if out.image is not None and out.image_id:
                    images.append((out.image_id, out.image))
                if out.sheet_args is not None:
                    sheet_args = out.sheet_args
                finished |= out.finished
            if images:
                self.conv.add_images("Screenshots from your tool calls:", images)
            if sheet_args is not None:
                return sheet_args, "you submitted scores"
            if finished:
                return None, "you called finish"
        return None, why

    async def _structured(self, text: str) -> str:
        self.conv.add({"role": "user", "content": text})
        message = await self._request(
            {"tool_choice": "none", "response_format": response_format()}, None
        )
        content = (message.content or "") if message is not None else ""
        self.conv.add({"role": "assistant", "content": content})
        return content

    async def score(self, sheet_args: str | None, why: str) -> ParsedSheet:
        """Parse submitted scores (or ask for them); one retry with the validation error."""
        raw = sheet_args if sheet_args is not None else await self._structured(prompts.scoring(why))
        parsed = parse_sheet(raw, self.subtasks)
        if parsed.errors:
            error = "; ".join(parsed.errors)
            self.result.errors.append(f"run {self.run}: invalid answer: {error[:300]}")
            retry = parse_sheet(await self._structured(prompts.retry(error)), self.subtasks)
            if retry.errors:
                self.result.errors.append(
                    f"run {self.run}: still invalid: {'; '.join(retry.errors)[:300]}"
                )
            parsed = merge(parsed, retry)
        return parsed


async def run_episode(
    provider: Provider,
    tools: PageTools,
    subtasks: list[SubTask],
    brief: str,
    sheet: AgentImage,
    budget: Budget,
    run: int,
) -> RunResult:
    """One independent run: explore, score, and report the answers per sub-task."""
    ep = Episode(provider, tools, subtasks, budget, run)
    sheet_args, why = await ep.explore(brief, sheet)
    parsed = await ep.score(sheet_args, why)
    ep.result.answers = {s.id: parsed.answers.get(s.id) for s in subtasks}
    return ep.result


def dumps(obj: Any) -> str:
    """Compact JSON (used by tests and the fake server scripts)."""
    return json.dumps(obj, separators=(",", ":"))
