"""Save, load and apply calibration files (refused for another rubric version)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from calibration import models
from calibration.fit import apply_map, feature_row
from judge.schema import CALIBRATION_FORMAT, CalibrationApplied, CalibrationFile, Verdict


class CalibrationMismatch(ValueError):
    """A calibration file that does not belong to this rubric (id or version) or format."""


def save_calibration(cal: CalibrationFile, path: str | Path) -> str:
    """Write the calibration as JSON; returns its sha256."""
    data = json.dumps(cal.model_dump(mode="json"), indent=1, sort_keys=True).encode()
    Path(path).write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def load_calibration(path: str | Path) -> CalibrationFile:
    """Read and validate a calibration file (its sha256 is kept in `source_sha256`)."""
    raw = Path(path).read_bytes()
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CalibrationMismatch(
            f"{path}: not a calibration file (invalid JSON: {exc.msg})"
        ) from None
    if not isinstance(data, dict) or data.get("format") != CALIBRATION_FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise CalibrationMismatch(
            f"{path}: unsupported calibration format {found!r} (expected {CALIBRATION_FORMAT!r})"
        )
    cal = CalibrationFile.model_validate(data)
    return cal.model_copy(update={"source_sha256": hashlib.sha256(raw).hexdigest()})


def check_rubric(cal: CalibrationFile, rubric_id: str, rubric_version: str) -> None:
    """Refuse a calibration fitted for another rubric or rubric version."""
    if (cal.rubric.id, cal.rubric.version) != (rubric_id, rubric_version):
        raise CalibrationMismatch(
            f"calibration was fitted for rubric {cal.rubric.id!r} version {cal.rubric.version}, "
            f"but this verdict uses rubric {rubric_id!r} version {rubric_version}; "
            "refit it with `fjudge calibrate fit` for this rubric version"
        )


def apply(verdict: Verdict, cal: CalibrationFile) -> Verdict:
    """Verdict with `calibration` filled in (raw score kept); refuses another rubric version."""
    check_rubric(cal, verdict.rubric.id, verdict.rubric.version)
    if verdict.score is None or verdict.status in ("infra_error", "rejected"):
        return verdict
    row = feature_row(verdict)
    names = cal.model.features
    have = sum(n in row for n in names)
    if have < max(1, len(names) // 2):
        raise CalibrationMismatch(
            f"the verdict has only {have} of the {len(names)} features the calibration uses "
            f"(feature version {cal.feature_version or '?'}); refit the calibration"
        )
    X = np.array([[row.get(n, np.nan) for n in names]], dtype=float)
    raw = float(models.predict(cal.model, X)[0])
    lo, hi = cal.scale
    interval: tuple[float, float] | None = None
    human: float | None = None
    if cal.model.kind == "bradley_terry":
        calibrated = float(1 / (1 + np.exp(-raw)))  # utility → chance of beating an average item
    else:
        human = float(apply_map(cal.mapping, np.array([raw]))[0]) if cal.mapping else raw
        human = float(np.clip(human, lo, hi))
        if cal.mapping:
            interval = (
                float(np.clip(human + cal.mapping.resid_low, lo, hi)),
                float(np.clip(human + cal.mapping.resid_high, lo, hi)),
            )
        calibrated = (human - lo) / (hi - lo) if hi > lo else 0.0
    applied = CalibrationApplied(
        file_sha256=cal.source_sha256 or "",
        raw_score=verdict.score,
        calibrated_score=float(np.clip(calibrated, 0.0, 1.0)),
        human_value=human,
        human_interval=interval,
        human_scale=(lo, hi) if human is not None else None,
    )
    return verdict.model_copy(update={"calibration": applied})
