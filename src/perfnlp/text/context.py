"""The time context of a document: the report's year and the day its progress is reported to.

It sits below every layer that uses it (readers of periods, statements, judging, documents, reports).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator, model_validator


class Context(BaseModel):
    """What a document says about its time: the report's year and the day its progress is reported to."""

    model_config = ConfigDict(frozen=True)

    year: int | None = None
    as_of: dt.date | None = None

    @field_validator("year")
    @classmethod
    def _plausible_year(cls, year: int | None) -> int | None:
        if year is not None and not 1900 <= year <= 2100:
            raise ValueError(f"year {year} is outside 1900-2100")
        return year

    @model_validator(mode="after")
    def _consistent(self) -> "Context":
        if self.year is not None and self.as_of is not None and self.as_of.year not in (self.year, self.year + 1):
            raise ValueError(f"as_of {self.as_of} does not belong to year {self.year}")
        return self

    @property
    def effective_year(self) -> int | None:
        return self.year if self.year is not None else (self.as_of.year if self.as_of else None)


def context_from(value: Any) -> Context:
    """Accepts a Context, a mapping such as {"year": 2017, "as_of": "2017-06-30"}, or None."""
    if value is None:
        return Context()
    if isinstance(value, Context):
        return value
    if isinstance(value, dict):
        return Context(**value)
    raise TypeError(f"context must be a perfnlp.Context or a dict, not {type(value).__name__}")
