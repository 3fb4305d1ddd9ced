"""Loads the data files under perfnlp/data once. Every lexicon lives there, none in code."""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from functools import cache

# the package's data folder as a plain path: importlib.resources (with pathlib, zipfile, tempfile …) would
# cost the command line's start a tenth; the package is installed as files (pyproject.toml package-data)
_DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")


class DataFile(str):
    """A data file's path, with read_text as a pathlib path has it."""

    def read_text(self, encoding: str = "utf-8") -> str:
        with open(self, encoding=encoding) as f:
            return f.read()


def data_path(name: str) -> DataFile:
    return DataFile(os.path.join(_DATA, name))


@cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The non-comment rows of a tab-separated data file, each split into its fields."""
    text = data_path(name).read_text(encoding="utf-8")
    out: list[tuple[str, ...]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        out.append(tuple(field.strip() for field in line.split("\t")))
    return tuple(out)


@cache
def pairs(name: str) -> dict[str, str]:
    """A two-column data file as a mapping from its first to its second field."""
    return {row[0]: (row[1] if len(row) > 1 else "") for row in rows(name)}


@cache
def traditional_to_simplified() -> dict[int, str]:
    """data/traditional.tsv as a translation table (code point → character), one for one."""
    lines = [line for line in data_path("traditional.tsv").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    traditional, simplified = lines[0], lines[1]
    if len(traditional) != len(simplified):
        raise ValueError("data/traditional.tsv: the two lines differ in length")
    return {ord(t): s for t, s in zip(traditional, simplified)}


@cache
def by_role(name: str) -> dict[str, tuple[str, ...]]:
    """A (word, role, …) data file's words by role, each role's in the file's order, read in one pass (the
    statement and judging readers ask some hundred roles each of their file)."""
    found: dict[str, list[str]] = {}
    for row in rows(name):
        if len(row) > 1:
            found.setdefault(row[1], []).append(row[0])
    return {role: tuple(listed) for role, listed in found.items()}


@cache
def words(name: str, *kinds: str) -> tuple[str, ...]:
    """The first field of every row of a data file whose second field is one of `kinds` (every row when none
    is given), longest first."""
    found = {row[0] for row in rows(name) if not kinds or (len(row) > 1 and row[1] in kinds)}
    return tuple(sorted(found, key=lambda w: (-len(w), w)))


def alternatives(name: str, *kinds: str) -> str:
    """The source of a pattern that matches any of `words(name, *kinds)`, the longest first, to be placed
    inside a larger pattern (wrap it in a group); "(?!)", which matches nothing, when no word is listed."""
    found = words(name, *kinds)
    return "|".join(re.escape(w) for w in found) if found else "(?!)"


def atom(name: str, *kinds: str) -> str:
    """`words(name, *kinds)` as one atom of a larger pattern: one character as itself, several characters as a
    class, else a non-capturing group, so that a quantifier after it ("?") takes all of it."""
    found = words(name, *kinds)
    if len(found) == 1 and len(found[0]) == 1:
        return re.escape(found[0])
    if found and all(len(w) == 1 for w in found):
        return "[" + "".join(re.escape(w) for w in found) + "]"
    return f"(?:{alternatives(name, *kinds)})"


def characters(name: str, *kinds: str) -> str:
    """The words of `words(name, *kinds)`, which must be single characters, as the inside of a character class."""
    found = words(name, *kinds)
    longer = [w for w in found if len(w) != 1]
    if longer:
        raise ValueError(f"data/{name}: {kinds} must list single characters, not {longer}")
    return "".join(re.escape(w) for w in found)


@cache
def alternation(name: str, *kinds: str) -> re.Pattern[str]:
    """A pattern that matches any of `words(name, *kinds)`, the longest first (no word when none is listed)."""
    return re.compile(alternatives(name, *kinds))


class LazyMapping(Mapping[str, str]):
    """A mapping made from data on first use (a module-level name that costs the command line's start
    nothing until something reads it)."""

    __slots__ = ("_load", "_table")

    def __init__(self, load: Callable[[], dict[str, str]]) -> None:
        self._load = load
        self._table: dict[str, str] | None = None

    def _loaded(self) -> dict[str, str]:
        if self._table is None:
            self._table = self._load()
        return self._table

    def __getitem__(self, key: str) -> str:
        return self._loaded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())

    def __repr__(self) -> str:
        return f"LazyMapping({self._loaded()!r})"
