"""Turning inputs into servable sites: safe intake, detection, sandboxed cached npm builds."""

from builders.build import build_submission, prepare_site
from builders.extract import ExtractError, extract_completion, extract_files_json, write_files
from judge.schema import BuildOutcome

__all__ = [
    "BuildOutcome",
    "ExtractError",
    "build_submission",
    "extract_completion",
    "extract_files_json",
    "prepare_site",
    "write_files",
]
