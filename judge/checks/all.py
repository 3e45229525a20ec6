"""Imports every bundled check module so their @check decorators register them."""

from judge.checks import layout, render, runtime  # noqa: F401
from judge.checks import interaction  # noqa: F401
from judge.checks import manipulation  # noqa: F401
from judge.checks import visual  # noqa: F401
from judge.checks import a11y, contrast, responsive, task_probes  # noqa: F401
