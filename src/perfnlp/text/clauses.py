"""Where clauses and sentences start and end.

The marks are defined once, in data/clause_marks.tsv: a clause ends at ，,。；;!?！？ or a line break; a
sentence at 。；;!?！？ or a line break. Every later stage asks this module (or a Reading, which holds the
boundaries of its text), so that no two stages disagree on where a clause ends.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from .lexicon import rows


def _marks(kind: str) -> str:
    return "".join(("\n" if r[0] == "\\n" else r[0]) for r in rows("clause_marks.tsv")
                   if kind == "clause" or r[1] == kind)


CLAUSE_MARKS = _marks("clause")        # every mark ends a clause
SENTENCE_MARKS = _marks("sentence")


class Boundaries:
    """Where clauses (or sentences) start and end in a text: one pass over the text, then each question is
    a binary search, so that reading a long text stays linear."""

    __slots__ = ("_cuts", "_length")

    def __init__(self, text: str, marks: str = CLAUSE_MARKS) -> None:
        pattern = re.compile("[" + re.escape(marks) + "]")
        # a clause starts right after a mark; keep every start, 0 included
        self._cuts = [0] + [m.end() for m in pattern.finditer(text)]
        self._length = len(text)

    def start_of(self, position: int) -> int:
        return self._cuts[bisect_right(self._cuts, position) - 1]

    def end_of(self, position: int) -> int:
        """The index of the mark that ends the clause holding `position` (or the text's end)."""
        index = bisect_right(self._cuts, position)
        return self._cuts[index] - 1 if index < len(self._cuts) else self._length

    def span_of(self, position: int) -> tuple[int, int]:
        return self.start_of(position), self.end_of(position)

    def starts(self) -> list[int]:
        """Every clause start, 0 included, in order."""
        return list(self._cuts)


_BOUNDARY_CACHE: dict[tuple[str, str], Boundaries] = {}


def boundaries(text: str, marks: str = CLAUSE_MARKS) -> Boundaries:
    """Boundaries of `text`, kept for the texts read last (a text is read by several stages in turn)."""
    key = (text, marks)
    found = _BOUNDARY_CACHE.get(key)
    if found is None:
        if len(_BOUNDARY_CACHE) > 256:
            _BOUNDARY_CACHE.clear()
        found = _BOUNDARY_CACHE[key] = Boundaries(text, marks)
    return found
