"""The adapters against the real trainer packages, when they are installed (skipped otherwise).

The contract tests in test_adapters.py reproduce each library's call shape; these check that the
installed library still has that shape, so a trainer upgrade that changes it fails here loudly.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_verl_loads_our_functions_and_manager() -> None:
    pytest.importorskip("verl")
    from verl.utils.import_utils import load_extern_object

    fn = load_extern_object(str(ROOT / "judge" / "adapters" / "verl.py"), "compute_score_async")
    assert inspect.iscoroutinefunction(fn)
    from verl.experimental.reward_loop.reward_manager import batch, naive

    assert "extra_info=extra_info" in inspect.getsource(naive.NaiveRewardManager)
    assert "_extract_sample" in inspect.getsource(batch.BatchRewardManager)
    from judge.adapters.verl import FjudgeRewardManager

    assert issubclass(FjudgeRewardManager, batch.BatchRewardManager)


def test_trl_calls_reward_functions_as_the_adapter_expects() -> None:
    pytest.importorskip("trl")
    from trl.trainer import grpo_trainer

    src = inspect.getsource(grpo_trainer.GRPOTrainer)
    assert "completion_ids=completion_ids_list" in src
    assert 'reward_kwargs["trainer_state"]' in src
    assert "iscoroutinefunction" in src  # async reward functions are awaited


def test_openrlhf_reads_rewards_scores_and_extra_logs() -> None:
    pytest.importorskip("openrlhf")
    import openrlhf

    pkg = Path(openrlhf.__file__).parent
    sources = "\n".join(p.read_text(errors="ignore") for p in pkg.rglob("*.py"))
    assert '"extra_logs"' in sources and '"scores"' in sources and '"rewards"' in sources
