"""Deterministic checks. Importing `judge.checks.all` registers every bundled check."""

from judge.checks.base import REGISTRY, CheckContext, CheckSpec, check, result

__all__ = ["REGISTRY", "CheckContext", "CheckSpec", "check", "result"]
