"""Shared base classes for every fjudge data model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Mutable model that rejects unknown fields (inputs, configs, intermediate state)."""

    model_config = ConfigDict(extra="forbid")


class Frozen(BaseModel):
    """Immutable result model: once produced, a result is not edited in place."""

    model_config = ConfigDict(extra="forbid", frozen=True)
