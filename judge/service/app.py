"""The FastAPI app of `fjudge serve`: jobs, blocking score, batch rewards, health, metrics.

Every endpoint takes submissions as request bodies; none reads a server path named by a client.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from judge import __version__
from judge.reward import normalise_groups
from judge.schema import Reward, RewardPolicy
from judge.schema.service import (
    JobAccepted,
    JobRequest,
    JobView,
    RewardsRequest,
    RewardsResponse,
)
from judge.service.bodies import parse_body
from judge.service.docs import add_docs
from judge.service.limits import BodyLimitMiddleware, key_matches, presented_key
from judge.service.metrics import Metrics
from judge.service.redact import PathRedactor
from judge.service.settings import Settings
from judge.service.store import JobStore
from judge.service.submit import Submitter
from judge.service.workers import WorkerPool

JobId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="Job id.")]
_SUBMISSION_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": JobRequest.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "task": {"type": "string", "description": "Task as JSON"},
                        "prompt": {"type": "string", "description": "The generation prompt"},
                        "task_type": {"type": "string"},
                        "rubric": {"type": "string"},
                        "policy": {"type": "string", "description": "RewardPolicy as JSON"},
                        "signals": {"type": "string", "description": "{name: 0..1} as JSON"},
                        "step": {"type": "integer"},
                        "group": {"type": "string"},
                    },
                }
            },
        },
    }
}


class Service:
    """What the routes share: settings, store, pool, submitter, metrics."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.metrics = Metrics()
        self.store = JobStore(settings.db, redact=PathRedactor.for_settings(settings))
        self.pool = WorkerPool(self.store, settings, self.metrics)
        self.submitter = Submitter(self.store, self.pool, settings.queue_max)

    async def job(self, job_id: str) -> JobView:
        """A job's view, or 404."""
        view = await asyncio.to_thread(self.store.get, job_id)
        if view is None:
            raise HTTPException(404, f"no job {job_id}")
        return view

    async def rewards(self, req: RewardsRequest) -> RewardsResponse:
        """Queue a batch, wait for it, and return rewards in input order."""
        policy = req.policy or self.pool.default_policy or RewardPolicy()
        await self.submitter.ensure_room(len(req.items))
        items = []
        for item in req.items:
            update: dict[str, object] = {"policy": item.policy or policy}
            if req.step is not None:
                update["step"] = req.step
            items.append(item.model_copy(update=update))
        ids = await self.submitter.add_batch(items)  # the whole batch fits the queue, or 429
        jobs = await asyncio.gather(*(self.pool.wait(i, req.wait) for i in ids))
        views = [j for j in jobs if j is not None]
        pending = [i for i, j in enumerate(views) if j.status in ("queued", "running")]
        rewards: list[Reward | None] = [j.reward for j in views]
        normalised = None
        if req.normalise:
            scored = [(i, r) for i, r in enumerate(rewards) if r is not None]
            normalised = [None] * len(rewards)
            for (i, _), r in zip(
                scored, normalise_groups([r for _, r in scored], None, policy), strict=True
            ):
                normalised[i] = r.normalised
        return RewardsResponse(
            rewards=[r.value if r is not None else None for r in rewards],
            normalised=normalised,
            jobs=views,
            pending=pending,
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service app (workers start with the app's lifespan)."""
    settings = settings or Settings()
    svc = Service(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await svc.pool.start()
        try:
            yield
        finally:
            await svc.pool.stop()
            svc.store.close()

    app = FastAPI(
        title="fjudge",
        version=__version__,
        description="Judges generated frontends; rewards for RL trainers.",
        lifespan=lifespan,
        docs_url=None,  # add_docs serves them with local assets
        redoc_url=None,
    )
    add_docs(app)
    app.state.service = svc
    app.add_middleware(BodyLimitMiddleware, max_body=settings.max_body)

    def require_key(request: Request) -> None:
        if settings.api_keys and not key_matches(presented_key(request.headers), settings.api_keys):
            svc.metrics.refused.labels(reason="auth").inc()
            raise HTTPException(401, "missing or wrong API key", {"WWW-Authenticate": "Bearer"})

    api = APIRouter(dependencies=[Depends(require_key)])

    @api.post(
        "/v1/jobs", status_code=202, response_model=JobAccepted, openapi_extra=_SUBMISSION_DOC
    )
    async def submit_job(request: Request) -> JobAccepted:
        """Queue a submission (JSON html/files/completion, or a multipart file upload)."""
        return JobAccepted(id=await svc.submitter.from_request(request))

    @api.get("/v1/jobs/{job_id}", response_model=JobView)
    async def get_job(job_id: JobId) -> JobView:
        """A job's status; its verdict (and reward) once finished."""
        return await svc.job(job_id)

    @api.post(
        "/v1/score",
        response_model=JobView,
        responses={202: {"model": JobView, "description": "Not finished within `wait`."}},
        openapi_extra=_SUBMISSION_DOC,
    )
    async def score(
        request: Request, wait: Annotated[float | None, Query(gt=0, le=3600)] = None
    ) -> JSONResponse:
        """Queue a submission and wait up to `wait` seconds for its verdict."""
        job_id = await svc.submitter.from_request(request)
        view = await svc.pool.wait(job_id, wait or settings.score_wait)
        assert view is not None
        code = 202 if view.status in ("queued", "running") else 200
        return JSONResponse(view.model_dump(mode="json"), status_code=code)

    @api.post("/v1/rewards", response_model=RewardsResponse)
    async def rewards(request: Request) -> RewardsResponse:
        """Reward a batch (one job per item), group-normalised; waits up to `wait` seconds."""
        return await svc.rewards(parse_body(RewardsRequest, await request.body()))

    @api.get("/metrics", response_class=Response)
    async def metrics() -> Response:
        """Prometheus text: queue depth, jobs by status, judge seconds, browser restarts."""
        counts = await asyncio.to_thread(svc.store.counts)
        body = svc.metrics.render(counts, svc.pool.browser_restarts)
        return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")

    @app.get("/healthz")
    async def healthz() -> dict[str, object]:
        """Liveness: the store answers and the workers run."""
        counts = await asyncio.to_thread(svc.store.counts)
        return {"status": "ok", "version": __version__, "workers": settings.workers, **counts}

    from judge.service.openrlhf import openrlhf_router

    api.include_router(openrlhf_router(svc))
    app.include_router(api)
    return app
