"""The one fake in the project: a local OpenAI-compatible Chat Completions server (stdlib HTTP).

It speaks the wire format (tool calls, image parts, `response_format`), answers from a script,
and records every request body. Also used by benchmarks/agent_tokens.py.
"""

from __future__ import annotations

import base64
import json
import math
import re
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SUBTASK_RE = re.compile(r"^- ((?:dim|item|prompt):[^:\s]+):", re.M)
SPEC_BLOCK_RE = re.compile(r"<<<UNTRUSTED derived spec [^\n]*>>>\n(.*?)\n<<<END UNTRUSTED", re.S)
UNTRUSTED_RE = re.compile(r"<<<UNTRUSTED [^\n]*>>>\n.*?\n<<<END UNTRUSTED id=\w+>>>", re.S)


@dataclass
class Reply:
    """One scripted HTTP reply."""

    status: int = 200
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


Script = Callable[[dict[str, Any], int], Reply]


def png_size(data_url: str) -> tuple[int, int]:
    raw = base64.b64decode(data_url.split(",", 1)[1][:64] + "==")
    return struct.unpack(">II", raw[16:24])


def provider_image_tokens(w: int, h: int, detail: str) -> int:
    """How a provider bills an image (OpenAI's published rule)."""
    if detail == "low":
        return 85
    if max(w, h) > 2048:
        s = 2048 / max(w, h)
        w, h = w * s, h * s
    if min(w, h) > 768:
        s = 768 / min(w, h)
        w, h = w * s, h * s
    return 85 + 170 * math.ceil(w / 512) * math.ceil(h / 512)


def texts(body: dict[str, Any]) -> list[str]:
    """Every text string in the request's messages (system, user parts, tool results)."""
    out = []
    for m in body.get("messages", []):
        c = m.get("content")
        if isinstance(c, str):
            out.append(c)
        elif isinstance(c, list):
            out += [p["text"] for p in c if p.get("type") == "text"]
    return out


def images(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        p["image_url"]
        for m in body.get("messages", [])
        if isinstance(m.get("content"), list)
        for p in m["content"]
        if p.get("type") == "image_url"
    ]


def usage(body: dict[str, Any], message: dict[str, Any]) -> dict[str, int]:
    prompt = sum(len(t) for t in texts(body)) // 4 + len(json.dumps(body.get("tools", []))) // 4
    prompt += sum(
        provider_image_tokens(*png_size(i["url"]), i.get("detail", "high")) for i in images(body)
    )
    completion = max(1, len(json.dumps(message)) // 4)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def completion(body: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
    finish = "tool_calls" if message.get("tool_calls") else "stop"
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": usage(body, message),
    }


def tool_calls(body: dict[str, Any], *calls: tuple[str, Any]) -> Reply:
    turn = sum(1 for m in body["messages"] if m["role"] == "assistant")
    msg = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": f"call_{turn}_{i}",
                "type": "function",
                "function": {"name": n, "arguments": a if isinstance(a, str) else json.dumps(a)},
            }
            for i, (n, a) in enumerate(calls)
        ],
    }
    return Reply(body=completion(body, msg))


def content(body: dict[str, Any], text: str) -> Reply:
    return Reply(body=completion(body, {"role": "assistant", "content": text}))


def subtask_ids(body: dict[str, Any]) -> list[str]:
    for t in texts(body):
        if ids := SUBTASK_RE.findall(t):
            return ids
    return []


def sheet(body: dict[str, Any], base: int) -> dict[str, Any]:
    """Scores that vary with the run's seed, as a sampled model's would."""
    jitter = (int(body.get("seed") or 0) % 3) - 1
    return {
        "items": [
            {
                "id": i,
                "verdict": "scored",
                "score": max(0, min(10, base + jitter)),
                "rationale": f"judged {i} from s1 and s2",
                "evidence": ["s1", "s2"],
            }
            for i in subtask_ids(body)
        ]
    }


def format_name(body: dict[str, Any]) -> str:
    """The name of the requested `response_format` JSON schema ('' if none)."""
    fmt = body.get("response_format") or {}
    return (fmt.get("json_schema") or {}).get("name", "")


def checklist(body: dict[str, Any]) -> dict[str, Any]:
    """A checklist as a model would write it: one item per line of the derived spec it was
    given (so a test can see the prompt reached the model), padded to eight items."""
    block = next((m.group(1) for t in texts(body) if (m := SPEC_BLOCK_RE.search(t))), "")
    items = []
    for line in block.splitlines():
        key = re.sub(r"[^a-z0-9]+", "-", line.split(":")[0].split("(")[0].strip().lower()).strip(
            "-"
        )
        kind = (
            "design"
            if key.startswith(("colours", "fonts", "forbidden", "text-case"))
            else "layout"
            if key.startswith(("columns", "max", "text-flush"))
            else "interaction"
            if key == "behaviour"
            else "content"
        )
        items.append({"id": key[:32] or "item", "text": line[:300], "verify": f"look for {line[:200]}",
                      "kind": kind})  # fmt: skip
    while len(items) < 8:
        n = len(items) + 1
        items.append({"id": f"extra-{n}", "text": f"requirement {n} of the prompt",
                      "verify": "read the page", "kind": "content"})  # fmt: skip
    return {"items": items[:12]}


class Reviewer:
    """A scripted reviewer: screenshot, read_page, click a button, screenshot, submit scores."""

    def __init__(
        self,
        base: int = 7,
        actions: tuple[str, ...] = ("screenshot", "read_page", "click", "screenshot"),
    ) -> None:
        self.base = base
        self.actions = actions

    def __call__(self, body: dict[str, Any], n: int) -> Reply:
        if format_name(body) == "prompt_checklist":
            return content(body, json.dumps(checklist(body)))
        if "response_format" in body:
            return content(body, json.dumps(sheet(body, self.base)))
        turn = sum(1 for m in body["messages"] if m["role"] == "assistant")
        if turn >= len(self.actions):
            return tool_calls(body, ("submit_scores", sheet(body, self.base)))
        action = self.actions[turn]
        if action == "click":
            return tool_calls(body, ("click", {"selector": self.button(body)}))
        if action == "type":
            return tool_calls(
                body, ("type", {"selector": "input", "text": "a@b.co", "submit": True})
            )
        return tool_calls(body, (action, {}))

    @staticmethod
    def button(body: dict[str, Any]) -> str:
        for t in reversed(texts(body)):
            if m := re.search(r"^button \"[^\"]*\" -> (.+?)(?: \(off-screen\))?$", t, re.M):
                return m.group(1)
        return "button"


class FakeLLM:
    """Threaded HTTP server on a free loopback port; `requests` holds every parsed body."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.requests: list[dict[str, Any]] = []
        self.arrivals: list[float] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                with fake.lock:
                    n = len(fake.requests)
                    fake.requests.append(body)
                    fake.arrivals.append(time.monotonic())
                try:
                    reply = fake.script(body, n)
                except Exception as exc:  # a broken script shows up as a 500, loudly
                    reply = Reply(500, {"error": {"message": f"script error: {exc!r}"}})
                data = json.dumps(reply.body or {"error": {"message": "scripted error"}}).encode()
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeLLM:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def outside_untrusted(text: str) -> str:
    """The text with every untrusted block removed (what the model reads as instructions)."""
    return UNTRUSTED_RE.sub("", text)
