"""Agent-judge fixtures: one fake LLM server and one warm hybrid Judge for the module."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import pytest_asyncio

sys.path.insert(0, str(Path(__file__).parent))

from fakellm import FakeLLM, Reviewer  # noqa: E402

AGENT_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "agent"


@pytest.fixture(scope="session")
def fake_llm():
    """The scripted OpenAI-compatible server; tests swap `fake_llm.script` and read `requests`."""
    with FakeLLM(Reviewer()) as fake:
        yield fake


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def agent_judge(fake_llm, tmp_path_factory):
    """A hybrid Judge pointed at the fake server (options, not env: other tests stay clean)."""
    from judge.pipeline import Judge
    from judge.schema import JudgeOptions

    opts = JudgeOptions(
        workers=1,
        model="fake-vl",
        base_url=fake_llm.url,
        cache_dir=tmp_path_factory.mktemp("agent-cache"),
    )
    async with Judge(opts) as j:
        yield j


@pytest.fixture
def use_agent(agent_judge, fake_llm, tmp_path, monkeypatch):
    """Reconfigure the warm judge for one test: script, runs, own cache dir, fast retries."""
    from judge.agent.service import resolve

    def configure(script=None, *, runs: int = 1, judge: str = "auto", **env: str):
        for k, v in {"FJUDGE_AGENT_BACKOFF": "0.01", **env}.items():
            monkeypatch.setenv(k, v)
        fake_llm.script = script or Reviewer()
        fake_llm.requests.clear()
        fake_llm.arrivals.clear()
        opts = agent_judge.options.model_copy(
            update={"runs": runs, "cache_dir": tmp_path / "cache", "judge": judge}
        )
        agent_judge.agent = resolve(opts)
        return agent_judge

    return configure
