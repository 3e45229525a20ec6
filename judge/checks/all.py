"""Imports every bundled check module so their @check decorators register them."""

from judge.checks import (  # noqa: F401
    a11y,
    contrast,
    external,
    interaction,
    keyboard,
    layout,
    manipulation,
    render,
    responsive,
    runtime,
    style,
    task_probes,
    visual,
)
