"""OpenRLHF remote reward endpoint: `POST /get_reward` → `{"rewards", "scores", "extra_logs"}`.

OpenRLHF (`--remote_rm_url http://host:port/get_reward`, checked against OpenRLHF 0.9–0.11:
`openrlhf/utils/remote_rm_utils.py` and the rollout executors) posts `query` (prompt + response
text), `prompts` and `labels`, and reads `rewards`, `scores` (default: the rewards) and
`extra_logs` ({name: one value per query}). Here `rewards` are the policy's rewards, `scores` the
verdict scores (calibrated when a calibration is configured) and `extra_logs` the verdict score
(`fjudge/score`), whether a gate fixed the reward (`fjudge/gated`) and each reward component any
sample has (`fjudge/judge`, `fjudge/verifiable`, `fjudge/preference`; 0 where a sample lacks it,
with `fjudge/<component>_n` saying which samples have it).

The prompt is cut off the query when it is a prefix, so code in the prompt is never judged as
the answer, and reaches the judgment as `Task(prompt=...)`. A label that is a JSON object may
carry `task_type`, `signals`, `group` and `step` for the reward policy. Unknown body keys are
ignored (not 422) so a newer trainer keeps working. The batch is queued all-or-none
(`Submitter.add_batch`: 429 with Retry-After when it does not fit).

OpenRLHF's client gives up on a request after 180 s and re-posts it a second later, whatever
Retry-After says. So this endpoint answers within `openrlhf_wait` seconds (170 by default): when
the batch is not finished by then it answers 503 + Retry-After and keeps the jobs, and a re-post
of the same samples attaches to the jobs already queued instead of judging them again. Skipped
(infra_error) samples are retried once; if any is still skipped the request gets 503 — never a
made-up 0. `judge.adapters.openrlhf` is a client that honours Retry-After and time-outs.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import time
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, ValidationError

from judge.finish import task_type_of
from judge.schema import Task
from judge.schema.service import JobRequest, JobView

if TYPE_CHECKING:
    from judge.service.app import Service

COMPONENTS = ("verifiable", "judge", "preference")


class RewardQuery(BaseModel):
    """OpenRLHF's request body."""

    model_config = ConfigDict(extra="ignore")
    query: list[str]
    prompts: list[str] | None = None
    labels: list[Any] | None = None


def _label_options(label: Any) -> dict[str, Any]:
    if isinstance(label, str):
        try:
            label = json.loads(label)
        except json.JSONDecodeError:
            return {}
    if not isinstance(label, dict):
        return {}
    return {k: label[k] for k in ("task_type", "signals", "group", "step") if k in label}


def to_requests(body: RewardQuery, policy: Any) -> list[JobRequest]:
    """One completion job per query (prompt stripped and passed as the task's prompt)."""
    out = []
    for i, q in enumerate(body.query):
        prompt = body.prompts[i] if body.prompts and i < len(body.prompts) else ""
        response = q[len(prompt) :] if prompt and q.startswith(prompt) else q
        opts = _label_options(body.labels[i]) if body.labels and i < len(body.labels) else {}
        opts.setdefault(
            "group", hashlib.sha256(prompt.encode()).hexdigest()[:16] if prompt else None
        )
        task = Task(prompt=prompt) if prompt else None
        if task is not None:
            # the Task's default type must not stand in for FJUDGE_TASK_TYPE / a label's type
            opts.setdefault("task_type", task_type_of(None, None))
        out.append(JobRequest(completion=response, policy=policy, task=task, **opts))
    return out


def payload(views: list[JobView]) -> dict[str, Any]:
    """The response OpenRLHF reads: rewards, scores and per-component extra_logs."""
    rewards = [v.reward.value for v in views]  # type: ignore[union-attr]
    scores = []
    for v in views:
        verdict = v.verdict
        assert verdict is not None and verdict.score is not None
        cal = verdict.calibration
        scores.append(cal.calibrated_score if cal is not None else verdict.score)
    logs: dict[str, list[float]] = {
        "fjudge/score": scores,
        "fjudge/gated": [1.0 if v.reward.gate else 0.0 for v in views],  # type: ignore[union-attr]
    }
    for name in COMPONENTS:
        values = [_component(v, name) for v in views]
        if any(x is not None for x in values):
            # OpenRLHF averages each column over the batch and a tensor cannot hold a gap: a
            # sample without the component (gated, or no signal) counts 0 in `fjudge/<name>`
            # and in `fjudge/<name>_n`, so mean(<name>) / mean(<name>_n) is the true mean.
            logs[f"fjudge/{name}"] = [x if x is not None else 0.0 for x in values]
            logs[f"fjudge/{name}_n"] = [0.0 if x is None else 1.0 for x in values]
    return {"rewards": rewards, "scores": scores, "extra_logs": logs}


def _component(view: JobView, name: str) -> float | None:
    c = view.reward.components.get(name) if view.reward is not None else None
    if c is None or c.value is None or math.isnan(c.value):
        return None
    return c.value


class InFlight:
    """Jobs of requests not yet answered, by request content: a client's re-post attaches."""

    TTL = 3600.0

    def __init__(self) -> None:
        self.jobs: dict[str, tuple[str, float]] = {}

    @staticmethod
    def key(req: JobRequest) -> str:
        return hashlib.sha256(req.model_dump_json().encode()).hexdigest()

    def expire(self) -> None:
        old = time.monotonic() - self.TTL
        for k in [k for k, (_, t) in self.jobs.items() if t < old]:
            del self.jobs[k]


def openrlhf_router(svc: Service) -> APIRouter:
    """The `/get_reward` route bound to a running service."""
    router = APIRouter()
    inflight = InFlight()

    async def queue(reqs: list[JobRequest]) -> list[str]:
        """Job ids for the requests: attached to in-flight jobs, the rest queued together."""
        inflight.expire()
        keys = [inflight.key(r) for r in reqs]
        new: dict[str, JobRequest] = {}
        for k, r in zip(keys, reqs, strict=True):
            if k not in inflight.jobs:
                new.setdefault(k, r)  # identical samples in one batch share one judgment
        if new:
            ids = await svc.submitter.add_batch(list(new.values()))  # all-or-none, else 429
            now = time.monotonic()
            for k, job_id in zip(new, ids, strict=True):
                inflight.jobs[k] = (job_id, now)
        return [inflight.jobs[k][0] for k in keys]

    async def wait(ids: list[str], seconds: float) -> list[JobView]:
        unique = list(dict.fromkeys(ids))
        views = await asyncio.gather(*(svc.pool.wait(i, seconds) for i in unique))
        by_id = {i: v for i, v in zip(unique, views, strict=True) if v is not None}
        return [by_id[i] for i in ids]

    def forget(reqs: list[JobRequest]) -> None:
        for r in reqs:
            inflight.jobs.pop(inflight.key(r), None)

    @router.post("/get_reward")
    async def get_reward(request: Request) -> dict[str, Any]:
        """OpenRLHF-compatible rewards for a batch of prompt+response strings."""
        from judge.reward import load_policy
        from judge.service.submit import unprocessable

        try:
            body = RewardQuery.model_validate_json(await request.body())
        except ValidationError as exc:
            raise unprocessable(exc) from None
        deadline = time.monotonic() + svc.settings.openrlhf_wait
        policy = svc.pool.default_policy or load_policy(None)
        reqs = to_requests(body, policy)
        views = await wait(await queue(reqs), max(1.0, deadline - time.monotonic()))
        unfinished = [i for i, v in enumerate(views) if v.status in ("queued", "running")]
        if unfinished:
            raise HTTPException(
                503,
                f"{len(unfinished)} of {len(views)} sample(s) still being judged; "
                "re-post the same body to collect them",
                headers={"Retry-After": str(max(1, round(svc.pool.seconds_ema)))},
            )
        retry = [i for i, v in enumerate(views) if v.reward is None or v.reward.skipped]
        if retry:
            forget([reqs[i] for i in retry])  # a skipped sample is judged again, once
            ids = await queue([reqs[i] for i in retry])
            again = await wait(ids, max(1.0, deadline - time.monotonic()))
            for i, v in zip(retry, again, strict=True):
                views[i] = v
        missing = [i for i, v in enumerate(views) if v.reward is None or v.reward.value is None]
        if missing:
            forget([reqs[i] for i in missing])
            reasons = "; ".join(f"{i}: {views[i].error or views[i].status}" for i in missing[:5])
            raise HTTPException(
                503,
                f"no reward for {len(missing)} sample(s) (environment fault): {reasons}",
                headers={"Retry-After": "10"},
            )
        forget(reqs)
        return payload(views)

    return router
