"""Imports every bundled check module so their @check decorators register them."""

from judge.checks import (  # noqa: F401
    a11y,
    contrast,
    external,
    interaction,
    keyboard,
    layout,
    manipulation,
    palette,
    reading,
    render,
    responsive,
    runtime,
    spec_behaviour,
    spec_layout,
    spec_live,
    spec_states,
    spec_style,
    style,
    task_probes,
    visual,
)
