"""Stage 2c: units. Which unit is written at a position, what it measures, and how to convert it.

The lexicon is data/units.tsv (surface → pint unit, dimension); pint's own registry is extended by
data/units.pint. Reading a unit needs no pint: the registry is built only when a conversion asks for it
(`registry()`), once per process.

Compound units are read as written: a unit, "/" and a unit, then "·" and more units in the denominator
(元/平方公里, 吨/月·平方公里, 吨/平方公里·月, 微克/立方米).
"""
from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from ..text.lexicon import data_path, rows

if TYPE_CHECKING:
    import pint


# named tuples, not dataclasses: importing dataclasses (inspect, ast …) would cost the command line's start
class UnitEntry(NamedTuple):
    surface: str
    pint: str
    dimension: str
    not_before: str
    denominator_only: bool


class UnitMatch(NamedTuple):
    surface: str      # as written, e.g. "吨/月·平方公里"
    end: int          # position right after it
    pint: str         # pint expression, e.g. "(tonne)/((month)*(kilometer ** 2))"
    dimension: str    # e.g. "mass/time·area", "count:户", "ratio"


@cache
def _entries_by_first_char() -> dict[str, tuple[UnitEntry, ...]]:
    by_char: dict[str, list[UnitEntry]] = {}
    for row in rows("units.tsv"):
        surface, pint_unit, dimension = row[0], row[1], row[2]
        extra = row[3] if len(row) > 3 else ""
        entry = UnitEntry(surface, pint_unit, dimension,
                          "" if extra.startswith("*") else extra, extra == "*denominator")
        by_char.setdefault(surface[0], []).append(entry)
    return {c: tuple(sorted(es, key=lambda e: -len(e.surface))) for c, es in by_char.items()}


def _simple_unit_at(text: str, pos: int, *, denominator: bool) -> UnitEntry | None:
    if pos >= len(text):
        return None
    for entry in _entries_by_first_char().get(text[pos], ()):
        if entry.denominator_only and not denominator:
            continue
        end = pos + len(entry.surface)
        if text.startswith(entry.surface, pos):
            if end < len(text) and text[end] in entry.not_before:
                continue
            return entry
    return None


def unit_at(text: str, pos: int, limit: int | None = None) -> UnitMatch | None:
    """The unit written at text[pos:], compound units included; None if none is."""
    limit = len(text) if limit is None else limit
    head = _simple_unit_at(text, pos, denominator=False)
    if head is None or pos + len(head.surface) > limit:
        return None
    end = pos + len(head.surface)
    denominators: list[UnitEntry] = []
    if end < limit and text[end] == "/":
        first = _simple_unit_at(text, end + 1, denominator=True)
        if first is not None and end + 1 + len(first.surface) <= limit:
            denominators.append(first)
            end = end + 1 + len(first.surface)
            while end < limit and text[end] in "·/":  # 吨/平方公里·月, 吨/平方公里/月
                more = _simple_unit_at(text, end + 1, denominator=True)
                if more is None or end + 1 + len(more.surface) > limit:
                    break
                denominators.append(more)
                end = end + 1 + len(more.surface)
    if not denominators:
        return UnitMatch(head.surface, end, head.pint, head.dimension)
    pint_expr = f"({head.pint})/(" + "*".join(f"({d.pint})" for d in denominators) + ")"
    dimension = head.dimension + "/" + "·".join(d.dimension for d in denominators)
    return UnitMatch(text[pos:end], end, pint_expr, dimension)


def _whole(unit: str) -> UnitMatch | None:
    match = unit_at(unit, 0)
    return match if match is not None and match.end == len(unit) else None


def pint_expression(unit: str) -> str | None:
    """The pint expression of a unit as written ("吨/月·平方公里"), or None if it is not one we know."""
    if unit == "":
        return "dimensionless"
    match = _whole(unit)
    return match.pint if match else None





@cache
def registry() -> "pint.UnitRegistry":
    """pint's registry with perfnlp's units, exact (Decimal) magnitudes. Built on first use only."""
    import decimal

    import pint

    ureg = pint.UnitRegistry(non_int_type=decimal.Decimal)
    ureg.load_definitions(str(data_path("units.pint")))
    return ureg
