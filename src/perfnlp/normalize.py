"""Stage 1: text normalization with an offset map.

Every later stage reads the normalized text; every span it reports is mapped back through
`Normalized.span_in_original` so that it indexes the caller's original string.

What changes:
- full-width ASCII forms (１２３，％：（）) become their ASCII twins, the ideographic space a space, the
  dash and tilde variants (— – － ～ 〜 −) "-" or "~", the middle-dot variants "·". These are one character
  for one character, so offsets do not move.
- invisible characters (zero-width space and joiners, BOM, soft hyphen) are removed; only then is an
  offset map kept.
"""
from __future__ import annotations

from dataclasses import dataclass

_ONE_FOR_ONE: dict[int, str] = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_ONE_FOR_ONE.update({
    0x3000: " ", 0x00A0: " ", 0x2009: " ", 0x202F: " ",
    0x2014: "-", 0x2013: "-", 0x2012: "-", 0x2212: "-", 0x2015: "-",
    0x301C: "~", 0x223C: "~",
    0x2027: "·", 0x30FB: "·", 0x2022: "·", 0x22C5: "·", 0x2219: "·",
})
_TABLE = str.maketrans(_ONE_FOR_ONE)
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


@dataclass(frozen=True, slots=True)
class Normalized:
    """The normalized text and how to get back to the original."""

    original: str
    text: str
    # original index of each normalized character; None when the two strings align one to one
    origin: tuple[int, ...] | None = None

    def span_in_original(self, start: int, end: int) -> tuple[int, int]:
        if self.origin is None:
            return start, end
        if start >= end:
            at = self.origin[start] if start < len(self.origin) else len(self.original)
            return at, at
        return self.origin[start], self.origin[end - 1] + 1


def fold(text: str) -> str:
    """The one-for-one part of normalization only: same length, same offsets."""
    return text.translate(_TABLE)


def normalize(text: str) -> Normalized:
    translated = text.translate(_TABLE)
    if not any(ch in _INVISIBLE for ch in translated):
        return Normalized(text, translated)
    kept: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(translated):
        if ch not in _INVISIBLE:
            kept.append(ch)
            origin.append(i)
    return Normalized(text, "".join(kept), tuple(origin))


CLAUSE_MARKS = "，。；;,\n!?！？"
SENTENCE_MARKS = "。；;\n!?！？"


class Boundaries:
    """Where clauses (or sentences) start and end in a text: one pass over the text, then each question is
    a binary search, so that reading a long text stays linear."""

    __slots__ = ("_cuts", "_length")

    def __init__(self, text: str, marks: str = CLAUSE_MARKS) -> None:
        import re

        pattern = re.compile("[" + re.escape(marks) + "]")
        # a clause starts right after a mark; keep every start, 0 included
        self._cuts = [0] + [m.end() for m in pattern.finditer(text)]
        self._length = len(text)

    def start_of(self, position: int) -> int:
        from bisect import bisect_right

        return self._cuts[bisect_right(self._cuts, position) - 1]

    def end_of(self, position: int) -> int:
        """The index of the mark that ends the clause holding `position` (or the text's end)."""
        from bisect import bisect_right

        index = bisect_right(self._cuts, position)
        return self._cuts[index] - 1 if index < len(self._cuts) else self._length

    def span_of(self, position: int) -> tuple[int, int]:
        return self.start_of(position), self.end_of(position)


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
