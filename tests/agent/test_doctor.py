"""`fjudge doctor`'s model check and the provider's refusal hints, against the fake endpoint
(tests/agent/fakellm.py, the project's one fake): one request with a tool and an image."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any

from fakellm import Reply, content, tool_calls

from judge.agent.provider import explain_refusal
from judge.doctor import check_model, check_sandbox

VLLM_400 = '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set'


def colour_tool(body: dict[str, Any], n: int) -> Reply:
    assert body["tool_choice"] == "auto" and body["tools"][0]["function"]["name"]
    parts = body["messages"][0]["content"]
    assert any(p.get("type") == "image_url" for p in parts)  # the image reached the endpoint
    return tool_calls(body, ("report_colour", {"colour": "red"}))


def test_doctor_model_check_passes_with_tools_and_images(fake_llm) -> None:
    fake_llm.script = colour_tool
    fake_llm.requests.clear()
    got = asyncio.run(check_model("fake-vl", fake_llm.url))
    assert got.state == "ok" and "'red'" in got.detail
    assert len(fake_llm.requests) == 1  # one cheap request


def test_doctor_names_the_missing_vllm_flag(fake_llm) -> None:
    fake_llm.script = lambda body, n: Reply(400, {"error": {"message": VLLM_400}})
    got = asyncio.run(check_model("fake-vl", fake_llm.url))
    assert got.state == "fail" and "--enable-auto-tool-choice --tool-call-parser" in got.detail


def test_doctor_fails_a_model_that_will_not_call_tools(fake_llm) -> None:
    fake_llm.script = lambda body, n: content(body, "It is red.")
    got = asyncio.run(check_model("fake-vl", fake_llm.url))
    assert got.state == "fail" and "without calling the tool" in got.detail
    assert "--tool-call-parser" in got.fix


def test_refusal_hints() -> None:
    assert "--enable-auto-tool-choice" in (explain_refusal(VLLM_400) or "")
    assert "SGLang" in (explain_refusal("Tool call parser is not set") or "")
    ollama = explain_refusal("registry.ollama.ai/library/llama3:latest does not support tools")
    assert ollama and "tool" in ollama
    assert "vision" in (explain_refusal("Qwen2.5-7B is not a multimodal model") or "")
    assert "json_schema" in (explain_refusal("response_format json_schema is not supported") or "")
    assert explain_refusal("model not found") is None


def test_doctor_command_runs(fake_llm) -> None:
    fake_llm.script = colour_tool
    r = subprocess.run(
        [sys.executable, "-m", "judge", "doctor", "--model", "fake-vl", "--base-url", fake_llm.url],
        capture_output=True,
        text=True,
        timeout=240,
    )
    lines = r.stdout.splitlines()
    assert any(ln.startswith("[ok  ] browser") for ln in lines), r.stdout + r.stderr
    assert any("model endpoint" in ln and "ok" in ln for ln in lines)
    assert any(ln.startswith("[") and "sandbox" in ln for ln in lines)
    assert any("mirror store" in ln for ln in lines)
    sandbox = check_sandbox()
    assert r.returncode == (1 if sandbox.state == "fail" else 0)
    assert json.dumps(sandbox.detail)
