"""Base classes and shared field types of the workbook's pydantic models."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Text = Annotated[str, Field(max_length=5000)]
ShortText = Annotated[str, Field(max_length=200)]
SCHOOL_NAME_MAX_LENGTH = 100  # characters; also the longest school name a signing key's certificate can carry


class _In(BaseModel):
    """Input models: strip whitespace, reject unknown fields."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Out(BaseModel):
    """Output models: read-only snapshots of what is stored."""

    model_config = ConfigDict(frozen=True)


class _Unchanged(Enum):
    """Marker for "leave this field as it is" in keyword arguments."""

    UNCHANGED = "unchanged"

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = _Unchanged.UNCHANGED
Unchanged = _Unchanged
