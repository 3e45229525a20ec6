"""Text submissions (HTML, `{"files"}`, model completions) → a directory the Judge can take.

Used by the service, the trainer adapters and the Ray runner. Extraction itself lives in
`builders.extract`; this module only places the result and turns its refusals into verdicts.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from judge import __version__
from judge.schema import InputInfo, JudgeInfo, RubricRef, Verdict


class InputRejected(Exception):
    """The text submission cannot be turned into files safely: a `rejected` verdict."""


def materialise(kind: str, payload: str | dict[str, str], dest: Path) -> Path:
    """Write the submission under `dest` (created) and return the path to judge."""
    from builders.extract import ExtractError, extract_completion, extract_files_json, write_files

    try:
        if kind == "html":
            assert isinstance(payload, str)
            files = {"index.html": payload}
        elif kind == "files":
            files = extract_files_json({"files": payload})
        elif kind == "completion":
            assert isinstance(payload, str)
            files = extract_completion(payload)
        else:
            raise InputRejected(f"unknown submission kind {kind!r}")
        return write_files(files, dest)
    except ExtractError as exc:
        raise InputRejected(str(exc)) from exc


def payload_sha256(payload: str | dict[str, str]) -> str:
    """Stable hash of a text submission (files hashed in sorted path order)."""
    if isinstance(payload, dict):
        data = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    else:
        data = payload.encode()
    return hashlib.sha256(data).hexdigest()


def rejected_verdict(
    kind: str, payload: str | dict[str, str], reason: str, rubric: RubricRef
) -> Verdict:
    """The verdict for a text submission refused before judging (unsafe paths, no files)."""
    return Verdict(
        status="rejected",
        reason=reason,
        score=0.0,
        rubric=rubric,
        input=InputInfo(kind=kind, sha256=payload_sha256(payload)),  # type: ignore[arg-type]
        judge=JudgeInfo(name="fjudge", version=__version__, mode="deterministic"),
    )


def infra_verdict(reason: str, rubric: RubricRef, kind: str = "directory") -> Verdict:
    """An environment-fault verdict (score null): the sample is skipped, never scored 0."""
    return Verdict(
        status="infra_error",
        reason=reason,
        score=None,
        rubric=rubric,
        input=InputInfo(kind=kind, sha256=""),  # type: ignore[arg-type]
        judge=JudgeInfo(name="fjudge", version=__version__, mode="deterministic"),
    )
