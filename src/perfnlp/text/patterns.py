"""Regular expressions compiled when first used, not when their module is imported.

`re` builds a pattern in Python: a character class with a CJK range ([\\u4e00-\\u9fff]) alone costs about a
millisecond and a half, and the library holds some 150 patterns, most of which one command never runs
(`python -m perfnlp assess …` reads one target and one progress). A `LazyPattern` is written where the pattern
is (`_NAMES = LazyPattern(r"…")`), so that call sites stay `_NAMES.search(text)`; it compiles on the first
call of a matching method and then puts the compiled pattern's own bound methods on itself, so that every
later call costs what a call on the compiled pattern costs (an instance attribute shadows a method of its
class).
"""
from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any, Union

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """A pattern compiled on first use; `pattern` (its source) and `flags` are known without compiling."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        if not isinstance(pattern, str):
            raise TypeError(f"pattern must be a str, not {type(pattern).__name__}")
        self.pattern = pattern
        self.flags = flags
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

    # each of these runs once, at the first use; compiled() puts the compiled pattern's method in its place
    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled().findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled().sub(repl, string, count)

    def subn(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> tuple[str, int]:
        return self.compiled().subn(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled().split(string, maxsplit)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}{', ' + str(self.flags) if self.flags else ''})"


# what a function that only runs a pattern's methods accepts
Pattern = Union[re.Pattern[str], LazyPattern]
