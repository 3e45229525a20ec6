"""Ray scale-out on a local instance (2 CPUs): in-order results, an actor killed mid-batch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from judge.scale.ray_runner import RayScorer, score_with_ray  # noqa: E402
from judge.schema import JudgeOptions  # noqa: E402

PAGE = "<!doctype html><title>r{n}</title><h1>Ray page {n}</h1><p>Body text {n}.</p>"


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _inputs(tmp: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        if i % 3 == 2:  # some directories too: shipped as tar, judged as directories
            d = tmp / f"site{i}"
            d.mkdir()
            (d / "index.html").write_text(PAGE.format(n=i))
            paths.append(d)
        else:
            p = tmp / f"page{i}.html"
            p.write_text(PAGE.format(n=i))
            paths.append(p)
    return paths


@pytest.mark.slow
def test_actor_killed_mid_batch_every_input_gets_one_verdict_in_order(
    local_ray: None, tmp_path: Path
) -> None:
    paths = _inputs(tmp_path, 8)
    scorer = RayScorer(JudgeOptions(workers=1), num_actors=2, concurrency=1, max_in_flight=4)
    victim = scorer.actors[0]
    pid_before = ray.get(victim.pid.remote())
    verdicts = []
    try:
        for v in scorer.score(paths):
            verdicts.append(v)
            if len(verdicts) == 1:
                ray.kill(victim, no_restart=False)  # dies with tasks in flight; Ray restarts it
        pid_after = ray.get(victim.pid.remote())
    finally:
        scorer.close()
    assert len(verdicts) == len(paths)
    assert [v.input.name for v in verdicts] == [p.name for p in paths]
    assert [v.status for v in verdicts] == ["ok"] * len(paths)
    assert [v.input.kind for v in verdicts] == [
        "directory" if p.is_dir() else "html" for p in paths
    ]
    assert pid_after != pid_before


@pytest.mark.slow
def test_score_with_ray_matches_input_order_and_rejects_unsafe(
    local_ray: None, tmp_path: Path
) -> None:
    paths = _inputs(tmp_path, 3)
    bad = tmp_path / "bad.tar.gz"
    import io
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        info = tarfile.TarInfo("../../escape.html")
        info.size = 3
        tf.addfile(info, io.BytesIO(b"bad"))
    bad.write_bytes(buf.getvalue())
    got = list(score_with_ray([*paths, bad], JudgeOptions(workers=1)))
    assert [v.input.name for v in got] == [p.name for p in [*paths, bad]]
    assert [v.status for v in got] == ["ok", "ok", "ok", "rejected"]
    assert "outside" in (got[-1].reason or "")
