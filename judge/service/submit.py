"""Turning HTTP requests into queued jobs: JSON or multipart, validated, spooled, recorded."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from fastapi import HTTPException, Request
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from builders.intake import ARCHIVE_SUFFIXES, IMAGE_SUFFIXES
from judge.schema.service import JobOptions, JobRequest
from judge.service.store import JobStore
from judge.service.workers import WorkerPool
from rubrics import available

UPLOAD_SUFFIXES = (*ARCHIVE_SUFFIXES, *IMAGE_SUFFIXES, ".html", ".htm")
FORM_FIELDS = {"file", "task", "task_type", "rubric", "policy", "signals", "step", "group"}
JSON_FORM_FIELDS = {"task", "policy", "signals"}
_CHUNK = 1 << 20


def unprocessable(exc: ValidationError | ValueError) -> HTTPException:
    """422 whose detail says what was wrong (pydantic's error list, or the message)."""
    if isinstance(exc, ValidationError):
        return HTTPException(422, json.loads(exc.json(include_url=False)))
    return HTTPException(422, str(exc))


def parse_json_request(body: bytes) -> JobRequest:
    """A JSON job; malformed JSON and unknown fields → 422 with a message."""
    try:
        return JobRequest.model_validate_json(body)
    except ValidationError as exc:
        raise unprocessable(exc) from None


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
        """429 with Retry-After when `n` more jobs would not fit in the queue."""
        queued = await asyncio.to_thread(self.store.queued)
        if queued + n > self.queue_max:
            self.pool.metrics.refused.labels(reason="queue_full").inc()
            workers = self.pool.settings.workers
            retry = max(1, round(queued * self.pool.seconds_ema / workers / 4))
            raise HTTPException(
                429,
                f"queue full ({queued} queued, max {self.queue_max}); retry later",
                headers={"Retry-After": str(retry)},
            )

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
        check_rubric(req.rubric)
        job_id = self.store.new_id()
        payload: Any = getattr(req, req.kind)
        jdir = self.store.job_dir(job_id)
        text = json.dumps(payload, ensure_ascii=False)
        await asyncio.to_thread((jdir / "payload.json").write_text, text, "utf-8")
        opts = req.model_dump(mode="json", exclude={"html", "files", "completion"})
        await asyncio.to_thread(self.store.add, job_id, req.kind, "", opts)
        self.pool.notify()
        return job_id

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
            try:
                raw[key] = json.loads(value) if key in JSON_FORM_FIELDS else value
            except json.JSONDecodeError as exc:
                raise HTTPException(422, f"form field {key!r} is not valid JSON: {exc}") from None
        try:
            opts = JobOptions.model_validate(raw)
        except ValidationError as exc:
            raise unprocessable(exc) from None
        check_rubric(opts.rubric)
        suffix = upload_suffix(upload.filename)
        job_id = self.store.new_id()
        name = "upload" + suffix
        dest = self.store.job_dir(job_id) / name
        with dest.open("wb") as out:
            while chunk := await upload.read(_CHUNK):
                await asyncio.to_thread(out.write, chunk)
        safe_name = re.sub(r"[^\w.\-]", "_", upload.filename)[-120:]
        kind = (
            "archive"
            if suffix in ARCHIVE_SUFFIXES
            else "image"
            if suffix in IMAGE_SUFFIXES
            else "html"
        )
        options = opts.model_dump(mode="json") | {"upload": name}
        await asyncio.to_thread(self.store.add, job_id, kind, safe_name, options)
        self.pool.notify()
        return job_id
