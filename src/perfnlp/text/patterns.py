"""Regular expressions compiled when first used, not when their module is imported.

`re` builds a pattern in Python: a character class with a CJK range ([\\u4e00-\\u9fff]) alone costs about a
millisecond and a half, and the library holds some 150 patterns, most of which one command never runs
(`python -m perfnlp assess …` reads one target and one progress). A `LazyPattern` is written where the pattern
is (`_NAMES = LazyPattern(r"…")`), so that call sites stay `_NAMES.search(text)`; it compiles on the first
call of a matching method and then puts the compiled pattern's own bound methods on itself, so that every
later call costs what a call on the compiled pattern costs (an instance attribute shadows a method of its
class).

`needs`, when given, are words one of which every match of the pattern consumes (the pattern requires one
of them outside any look-around): until the pattern is compiled, a text that holds none of them in the part
searched gets the answer "no match" without compiling it (`re` has to read the whole text for that anyway).
A pattern keyed to 率, 以上 or 工程 is then never compiled for the many texts that do not hold the word. The
gate reads at most `GATE_SPAN` characters per call (a longer part compiles the pattern instead), so that a
pattern asked once per figure of a long text stays linear in it.
tests/test_patterns.py checks each `needs` against the parsed pattern.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Union

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")
GATE_SPAN = 2048  # characters a gate looks through at most; a target or progress text is shorter


class LazyPattern:
    """A pattern compiled on first use; `pattern` (its source), `flags` and `needs` are known without
    compiling."""

    def __init__(self, pattern: str, flags: int = 0, *, needs: Iterable[str] = ()) -> None:
        if not isinstance(pattern, str):
            raise TypeError(f"pattern must be a str, not {type(pattern).__name__}")
        self.pattern = pattern
        self.flags = flags
        self.needs = tuple(needs)
        if any(not isinstance(w, str) or not w for w in self.needs):
            raise ValueError(f"needs must be non-empty strings: {self.needs!r}")
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if it was not yet)."""
        found = self._compiled
        if found is None:
            found = self._compiled = re.compile(self.pattern, self.flags)
            vars(self).update((name, getattr(found, name)) for name in _METHODS)
        return found

    @property
    def groups(self) -> int:
        return self.compiled().groups

    @property
    def groupindex(self) -> Any:
        return self.compiled().groupindex

    def _absent(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> bool:
        """None of `needs` is in string[pos:endpos] (positions as re reads them): the pattern cannot match."""
        if not self.needs or not isinstance(string, str):
            return False
        pos, endpos = max(pos, 0), min(max(endpos, 0), len(string))  # re reads a negative position as 0
        if endpos - pos > GATE_SPAN:
            return False
        return not any(string.find(w, pos, endpos) >= 0 for w in self.needs)

    # each of these runs only until the first compilation; compiled() puts the compiled pattern's method in
    # its place
    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self._absent(string, pos, endpos):
            return None
        return self.compiled().search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self._absent(string, pos, endpos):
            return None
        return self.compiled().match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self._absent(string, pos, endpos):
            return None
        return self.compiled().fullmatch(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        if self._absent(string, pos, endpos):
            return iter(())
        return self.compiled().finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        if self._absent(string, pos, endpos):
            return []
        return self.compiled().findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        if self._absent(string):
            return string
        return self.compiled().sub(repl, string, count)

    def subn(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> tuple[str, int]:
        if self._absent(string):
            return string, 0
        return self.compiled().subn(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        if self._absent(string):
            return [string]
        return self.compiled().split(string, maxsplit)

    def __repr__(self) -> str:
        flags = f", {self.flags}" if self.flags else ""
        needs = f", needs={self.needs!r}" if self.needs else ""
        return f"LazyPattern({self.pattern!r}{flags}{needs})"


# what a function that only runs a pattern's methods accepts
Pattern = Union[re.Pattern[str], LazyPattern]

# a CJK ideograph (the CJK Unified Ideographs block, as every reader's patterns write it): one pattern for
# the readers that ask only this, since a class with this range costs more than a millisecond to compile
CJK_CHAR = LazyPattern(r"[\u4e00-\u9fff]")

CHARS_AT_ONCE = 1 << 14  # characters that chars_in reads in one findall


def chars_in(pattern: Pattern, text: str, start: int = 0, end: int | None = None) -> set[str]:
    """The characters of text[start:end] that `pattern`, a pattern of one character ([…]), matches: as
    set(pattern.findall(text, start, end)), read CHARS_AT_ONCE characters at a time. findall makes one
    string per match before the set keeps one of each, and a character outside Latin-1 is a new string of
    about 80 bytes: a text of a million numerals or mathematical digits (a hostile file) held 80 MB at once."""
    end = len(text) if end is None else min(end, len(text))
    findall = pattern.findall
    if end - start <= CHARS_AT_ONCE:
        return set(findall(text, start, end))
    found: set[str] = set()
    for at in range(start, end, CHARS_AT_ONCE):
        found.update(findall(text, at, min(at + CHARS_AT_ONCE, end)))
    return found
