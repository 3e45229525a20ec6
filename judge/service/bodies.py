"""Request bodies → validated models, or a 422 that says what was wrong.

Strict on what pydantic lets through or chokes on: a body must be UTF-8, every JSON number must
be a finite double or a 64-bit integer (no `NaN`, `Infinity`, `1e400`, 30-digit integers), and
no number may become non-finite through lax coercion either (`"Infinity"` as a weight). Error
details are built so they always serialise: a 422 never turns into a 500.
"""

from __future__ import annotations

import json
import math
from typing import Any, NoReturn, TypeVar

from fastapi import HTTPException
from pydantic import BaseModel, ValidationError

MAX_INT = 2**63 - 1  # what SQLite and every trainer can hold
_MAX_INPUT_ECHO = 200
M = TypeVar("M", bound=BaseModel)


class BadNumber(ValueError):
    """A JSON number no consumer can hold."""


def unprocessable(exc: ValidationError | ValueError) -> HTTPException:
    """422 whose detail says what was wrong (pydantic's error list, or the message)."""
    if not isinstance(exc, ValidationError):
        return HTTPException(422, str(exc))
    detail = []
    for err in exc.errors(include_url=False):
        item: dict[str, Any] = {"type": err["type"], "loc": list(err["loc"]), "msg": err["msg"]}
        if "ctx" in err:
            item["ctx"] = {k: _json_safe(v) for k, v in err["ctx"].items()}
        echo = _echo(err.get("input"))
        if echo is not None:
            item["input"] = echo
        detail.append(item)
    return HTTPException(422, detail)


def _echo(value: Any) -> Any:
    """The offending input when it is short and plain JSON; else nothing."""
    if isinstance(value, bool | int) and abs(int(value)) <= MAX_INT:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str) and len(value) <= _MAX_INPUT_ECHO:
        return value
    return None


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _no_constant(name: str) -> NoReturn:
    raise BadNumber(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadNumber(f"number {text[:40]} is out of range (not a finite double)")
    return value


def _bounded_int(text: str) -> int:
    digits = text.lstrip("-")
    if len(digits) > 19 or int(digits) > MAX_INT:
        raise BadNumber(f"integer {text[:40]}{'…' if len(text) > 40 else ''} is out of range")
    return int(text)


def strict_json(body: bytes, what: str = "request body") -> Any:
    """Parse JSON that must be UTF-8 and hold only finite, 64-bit-safe numbers (else 422)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPException(
            422, f"{what} is not valid UTF-8 (byte 0x{body[exc.start]:02x} at offset {exc.start})"
        ) from None
    try:
        return json.loads(
            text, parse_constant=_no_constant, parse_float=_finite_float, parse_int=_bounded_int
        )
    except BadNumber as exc:
        raise HTTPException(422, f"{what}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise HTTPException(422, f"Invalid JSON in the {what}: {exc}") from None
    except RecursionError:
        raise HTTPException(422, f"{what} is nested too deeply") from None


def check_numbers(value: Any, loc: tuple[str | int, ...] = ()) -> None:
    """422 for a non-finite float or an integer past 64 bits anywhere in a validated value."""
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, float) and not math.isfinite(value):
        raise HTTPException(422, f"{'.'.join(map(str, loc)) or 'value'}: {value} is not finite")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
        raise HTTPException(422, f"{'.'.join(map(str, loc)) or 'value'}: integer out of range")
    if isinstance(value, dict):
        for k, v in value.items():
            check_numbers(v, (*loc, str(k)))
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            check_numbers(v, (*loc, i))


def parse_body(model: type[M], body: bytes) -> M:
    """A request body as `model`: strict JSON first, then pydantic, then the number check."""
    strict_json(body)
    try:
        parsed = model.model_validate_json(body)
    except ValidationError as exc:
        raise unprocessable(exc) from None
    check_numbers(parsed)
    return parsed


def parse_value(model: type[M], data: Any) -> M:
    """An already-parsed value as `model` (multipart fields), with the same checks."""
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        raise unprocessable(exc) from None
    check_numbers(parsed)
    return parsed
