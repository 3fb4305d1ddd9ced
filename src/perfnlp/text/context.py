"""The time context of a document: the report's year and the day its progress is reported to.

It sits below every layer that uses it (readers of periods, statements, judging, documents, reports).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from .years import FIRST_YEAR, LAST_YEAR
from .model import BaseModel, ConfigDict, ValidationError, field_validator, model_validator


class Context(BaseModel):
    """What a document says about its time: the report's year and the day its progress is reported to.

    `as_of` must lie in `year`: 序时进度 is the share of *that* year elapsed, so a 2017 report paced at
    2018-03-01 would read 16.9 % where the year is over. A report written after its year ends says so with
    as_of = 12-31 of its year.
    """

    model_config = ConfigDict(frozen=True)

    year: int | None = None
    as_of: dt.date | None = None

    @field_validator("year", mode="before")
    @classmethod
    def _whole_year(cls, year: Any) -> Any:
        if isinstance(year, bool):  # True is an int to Python, never a year
            raise ValueError(f"year must be a whole number such as 2017, not {year!r}")
        return year

    @field_validator("year")
    @classmethod
    def _plausible_year(cls, year: int | None) -> int | None:
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"year {year} is outside {FIRST_YEAR}-{LAST_YEAR}")
        return year

    @field_validator("as_of")
    @classmethod
    def _plausible_day(cls, as_of: dt.date | None) -> dt.date | None:
        if as_of is not None and not FIRST_YEAR <= as_of.year <= LAST_YEAR:
            raise ValueError(f"as_of {as_of} is outside the years {FIRST_YEAR}-{LAST_YEAR}")
        return as_of

    @model_validator(mode="after")
    def _consistent(self) -> "Context":
        if self.year is not None and self.as_of is not None and self.as_of.year != self.year:
            raise ValueError(f"as_of {self.as_of} does not belong to year {self.year}: the progress date must "
                             f"lie in the report's year (use {self.year}-12-31 for a report on the whole year)")
        return self

    @property
    def effective_year(self) -> int | None:
        return self.year if self.year is not None else (self.as_of.year if self.as_of else None)

    def overridden_by(self, given: "Context | None") -> "Context":
        """This context (a document's, read from its title) with what the caller gave put first.

        A given year or as_of wins. A given as_of without a year brings its own year. A given year without
        an as_of keeps this context's as_of when that lies in the given year, and drops it otherwise (a
        2017 title's 06-30 says nothing about 2018)."""
        if given is None or (given.year is None and given.as_of is None):
            return self
        year = given.year if given.year is not None else (given.as_of.year if given.as_of else self.year)
        as_of = given.as_of
        if as_of is None and self.as_of is not None and (year is None or self.as_of.year == year):
            as_of = self.as_of
        return Context(year=year, as_of=as_of)


def context_from(value: Any) -> Context:
    """Accepts a Context, a mapping such as {"year": 2017, "as_of": "2017-06-30"}, or None."""
    if value is None:
        return Context()
    if isinstance(value, Context):
        return value
    if isinstance(value, dict):
        return Context(**value)
    raise TypeError(f"context must be a perfnlp.Context or a dict, not {type(value).__name__}")


def context_problem(error: ValidationError | ValueError) -> str:
    """The reason a Context was refused, in one line ("year 17 is outside 1900-2100"), without pydantic's
    "1 validation error for Context" heading."""
    if isinstance(error, ValidationError):
        reasons = []
        for item in error.errors(include_url=False):
            message = str(item.get("msg", "")).removeprefix("Value error, ")
            where = ".".join(str(part) for part in item.get("loc", ()))
            reasons.append(message if not where or where in message else f"{where}: {message}")
        if reasons:
            return "; ".join(reasons)
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
