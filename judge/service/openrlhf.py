"""OpenRLHF remote reward endpoint: `POST /get_reward` {"query": [...]} → {"rewards": [...]}.

OpenRLHF (`--remote_rm_url http://host:port/get_reward`) posts `query` (prompt + response text),
and in recent versions `prompts` and `labels`. The prompt is cut off the query when it is a
prefix, so code in the prompt is never judged as the answer; the prompt itself goes with the job
(`prompt`), so the design-spec checks and the agent's checklist judge against it. A label that is a JSON object may
carry `task_type`, `signals` and `group` for the reward policy. Unknown keys are ignored (not
422) so a newer trainer version keeps working. Rewards are raw: OpenRLHF normalises advantages
itself. Skipped (infra_error) samples are retried once; if any is still skipped the whole
request gets 503 + Retry-After, which OpenRLHF's client retries — never a made-up 0.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, ValidationError

from judge.schema.service import JobRequest, JobView

if TYPE_CHECKING:
    from judge.service.app import Service


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
    """One completion job per query (prompt stripped, label options applied)."""
    out = []
    for i, q in enumerate(body.query):
        prompt = body.prompts[i] if body.prompts and i < len(body.prompts) else ""
        response = q[len(prompt) :] if prompt and q.startswith(prompt) else q
        opts = _label_options(body.labels[i]) if body.labels and i < len(body.labels) else {}
        opts.setdefault(
            "group", hashlib.sha256(prompt.encode()).hexdigest()[:16] if prompt else None
        )
        # The prompt drives the design-spec checks and the agent's checklist (issue 13).
        out.append(JobRequest(completion=response, policy=policy, prompt=prompt or None, **opts))
    return out


def openrlhf_router(svc: Service) -> APIRouter:
    """The `/get_reward` route bound to a running service."""
    router = APIRouter()

    async def run(reqs: list[JobRequest]) -> list[JobView]:
        await svc.submitter.ensure_room(len(reqs))
        ids = [await svc.submitter.add(r) for r in reqs]
        wait = svc.settings.job_timeout * 4 + 60
        views = await asyncio.gather(*(svc.pool.wait(i, wait) for i in ids))
        return [v for v in views if v is not None]

    @router.post("/get_reward")
    async def get_reward(request: Request) -> dict[str, Any]:
        """OpenRLHF-compatible rewards for a batch of prompt+response strings."""
        from judge.reward import load_policy
        from judge.service.submit import unprocessable

        try:
            body = RewardQuery.model_validate_json(await request.body())
        except ValidationError as exc:
            raise unprocessable(exc) from None
        policy = svc.pool.default_policy or load_policy(None)
        reqs = to_requests(body, policy)
        views = await run(reqs)
        retry = [i for i, v in enumerate(views) if v.reward is None or v.reward.skipped]
        if retry:
            again = await run([reqs[i] for i in retry])
            for i, v in zip(retry, again, strict=True):
                views[i] = v
        missing = [i for i, v in enumerate(views) if v.reward is None or v.reward.value is None]
        if missing:
            reasons = "; ".join(f"{i}: {views[i].error or views[i].status}" for i in missing[:5])
            raise HTTPException(
                503,
                f"no reward for {len(missing)} sample(s) (environment fault): {reasons}",
                headers={"Retry-After": "10"},
            )
        return {"rewards": [v.reward.value for v in views]}  # type: ignore[union-attr]

    return router
