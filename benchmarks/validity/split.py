"""The fixed held-out split: one third of the apps and one third of the operators.

Membership is decided per name by a stable hash (SHA-256 of a salted name), not by hand and not
by position, so adding an app or an operator never moves another one between the sides. Whoever
tunes scoring tunes on train apps x train operators and reports held-out apps x held-out
operators separately.
"""

from __future__ import annotations

import hashlib
from typing import Literal

SALT = "fjudge-validity-split-v1"
HOLDOUT_SHARE = 1 / 3
Side = Literal["train", "holdout"]


def side(name: str) -> Side:
    """'holdout' for about a third of all names, 'train' for the rest; stable forever."""
    digest = hashlib.sha256(f"{SALT}:{name}".encode()).digest()
    u = int.from_bytes(digest[:8], "big") / 2**64
    return "holdout" if u < HOLDOUT_SHARE else "train"


def select(names: list[str], which: str) -> list[str]:
    """Names on one side ('train' / 'holdout'), or all of them ('all')."""
    if which == "all":
        return list(names)
    if which not in ("train", "holdout"):
        raise ValueError(f"unknown split {which!r} (train, holdout, all)")
    return [n for n in names if side(n) == which]
