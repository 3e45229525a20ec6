"""Imports every bundled check module so their @check decorators register them."""

from judge.checks import layout, render, runtime  # noqa: F401
