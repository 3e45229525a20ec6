"""Turning HTTP requests into queued jobs: JSON or multipart, validated, spooled, recorded."""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import Sequence
from typing import Any

from fastapi import HTTPException, Request
from starlette.datastructures import UploadFile

from builders.intake import ARCHIVE_SUFFIXES, IMAGE_SUFFIXES
from judge.schema.service import JobOptions, JobRequest
from judge.service.bodies import parse_body, parse_value, strict_json, unprocessable
from judge.service.store import JobStore, NewJob, QueueFull
from judge.service.workers import WorkerPool
from rubrics import available

__all__ = ["Submitter", "parse_json_request", "unprocessable"]

UPLOAD_SUFFIXES = (*ARCHIVE_SUFFIXES, *IMAGE_SUFFIXES, ".html", ".htm")
FORM_FIELDS = {
    "file",
    "task",
    "prompt",
    "task_type",
    "rubric",
    "policy",
    "signals",
    "step",
    "group",
}
JSON_FORM_FIELDS = {"task", "policy", "signals", "step"}
_CHUNK = 1 << 20


def parse_json_request(body: bytes) -> JobRequest:
    """A JSON job; malformed JSON, bad numbers and unknown fields → 422 with a message."""
    return parse_body(JobRequest, body)


def check_rubric(name: str | None) -> None:
    """Only bundled rubrics: a request never names a file on the server."""
    if name is not None and name not in available():
        raise HTTPException(422, f"unknown rubric {name!r} (bundled: {', '.join(available())})")


def upload_suffix(filename: str) -> str:
    """The accepted suffix of an uploaded file name (the rest of the name is not used)."""
    low = filename.lower()
    for suf in sorted(UPLOAD_SUFFIXES, key=len, reverse=True):
        if low.endswith(suf):
            return suf
    raise HTTPException(
        422, f"unsupported upload {filename!r}: expected {', '.join(UPLOAD_SUFFIXES)}"
    )


class Submitter:
    """Creates jobs in the store and wakes the pool; refuses with 429 when the queue is full."""

    def __init__(self, store: JobStore, pool: WorkerPool, queue_max: int) -> None:
        self.store, self.pool, self.queue_max = store, pool, queue_max

    async def ensure_room(self, n: int = 1) -> None:
        """Early 429 when `n` more jobs would not fit (the insert itself re-checks, atomically)."""
        queued = await asyncio.to_thread(self.store.queued)
        if queued + n > self.queue_max:
            raise self._full(queued)

    def _full(self, queued: int) -> HTTPException:
        self.pool.metrics.refused.labels(reason="queue_full").inc()
        workers = self.pool.settings.workers
        retry = max(1, round(queued * self.pool.seconds_ema / workers / 4))
        return HTTPException(
            429,
            f"queue full ({queued} queued, max {self.queue_max}); retry later",
            headers={"Retry-After": str(retry)},
        )

    async def _insert(self, jobs: Sequence[NewJob]) -> None:
        """Record spooled jobs all-or-none under the queue cap; 429 (spool cleaned) when full."""
        try:
            await asyncio.to_thread(self.store.add, jobs, self.queue_max)
        except QueueFull as exc:
            await asyncio.to_thread(self.store.drop_dirs, [j[0] for j in jobs])
            raise self._full(exc.queued) from None
        except BaseException:
            await asyncio.to_thread(self.store.drop_dirs, [j[0] for j in jobs])
            raise
        self.pool.notify()

    async def from_request(self, request: Request) -> str:
        """Parse a JSON or multipart submission and queue it; returns the job id."""
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        await self.ensure_room()
        if ctype == "multipart/form-data":
            return await self._multipart(request)
        if ctype in ("application/json", ""):
            return await self.add(parse_json_request(await request.body()))
        raise HTTPException(415, "send application/json or multipart/form-data")

    async def add(self, req: JobRequest) -> str:
        """Queue a JSON submission."""
        [job_id] = await self.add_batch([req])
        return job_id

    async def add_batch(self, reqs: Sequence[JobRequest]) -> list[str]:
        """Queue JSON submissions together: all are accepted, or none (429)."""
        for req in reqs:
            check_rubric(req.rubric)
        ids = [self.store.new_id() for _ in reqs]
        jobs: list[NewJob] = []
        try:
            for job_id, req in zip(ids, reqs, strict=True):
                text = json.dumps(getattr(req, req.kind), ensure_ascii=False)
                path = self.store.job_dir(job_id) / "payload.json"
                await asyncio.to_thread(path.write_text, text, "utf-8")
                opts = req.model_dump(mode="json", exclude={"html", "files", "completion"})
                jobs.append((job_id, req.kind, "", opts))
        except BaseException:
            await asyncio.to_thread(self.store.drop_dirs, ids)
            raise
        await self._insert(jobs)
        return ids

    async def _multipart(self, request: Request) -> str:
        form = await request.form(max_files=1, max_fields=len(FORM_FIELDS))
        unknown = set(form.keys()) - FORM_FIELDS
        if unknown:
            raise HTTPException(422, f"unknown form fields: {', '.join(sorted(unknown))}")
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise HTTPException(422, "multipart submissions need a 'file' part with a filename")
        raw: dict[str, Any] = {}
        for key in FORM_FIELDS - {"file"}:
            value = form.get(key)
            if value is None:
                continue
            if not isinstance(value, str):
                raise HTTPException(422, f"form field {key!r} must be text")
            if key in JSON_FORM_FIELDS:
                raw[key] = strict_json(
                    value.encode("utf-8", "surrogatepass"), f"form field {key!r}"
                )
            else:
                raw[key] = value
        opts = parse_value(JobOptions, raw)
        check_rubric(opts.rubric)
        suffix = upload_suffix(upload.filename)
        job_id = self.store.new_id()
        name = "upload" + suffix
        try:
            await _spool_upload(upload, self.store.job_dir(job_id) / name)
        except BaseException:
            await asyncio.to_thread(self.store.drop_dirs, [job_id])
            raise
        safe_name = re.sub(r"[^\w.\-]", "_", upload.filename)[-120:]
        kind = (
            "archive"
            if suffix in ARCHIVE_SUFFIXES
            else "image"
            if suffix in IMAGE_SUFFIXES
            else "html"
        )
        options = opts.model_dump(mode="json") | {"upload": name}
        await self._insert([(job_id, kind, safe_name, options)])
        return job_id


async def _spool_upload(upload: UploadFile, dest: Any) -> None:
    """Copy an upload into the spool, private to the service user."""
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := await upload.read(_CHUNK):
            await asyncio.to_thread(out.write, chunk)
