"""Calibration of the judge against human labels: readers, agreement metrics, fitted calibrators.

Imports only `judge.schema` (never `builders` or `rubrics`); the CLI in `judge.cli` composes it.
"""

from calibration.apply import (
    CalibrationMismatch,
    apply,
    check_rubric,
    load_calibration,
    save_calibration,
)
from calibration.fit import CalibrationError, CalibrationRefused, fit_ratings
from calibration.labels import LabelError, read_labels, write_labels
from calibration.pairs import fit_pairs

__all__ = [
    "CalibrationError",
    "CalibrationMismatch",
    "CalibrationRefused",
    "LabelError",
    "apply",
    "check_rubric",
    "fit_pairs",
    "fit_ratings",
    "load_calibration",
    "read_labels",
    "save_calibration",
    "write_labels",
]
