"""Stage 1: text normalization with an offset map.

Every later stage reads the normalized text; every span it reports is mapped back through
`Normalized.span_in_original` so that it indexes the caller's original string.

What changes:
- full-width ASCII forms (１２３，％：（）) and the decimal digits of other scripts become their ASCII twins,
  the ideographic space a space, the
  dash and tilde variants (— – － ～ 〜 −) "-" or "~", the middle-dot variants "·". These are one character
  for one character, so offsets do not move.
- invisible characters (zero-width space and joiners, BOM, soft hyphen) are removed; only then is an
  offset map kept.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

_ONE_FOR_ONE: dict[int, str] = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_ONE_FOR_ONE.update({
    0x3000: " ", 0x00A0: " ", 0x2009: " ", 0x202F: " ",
    0x2014: "-", 0x2013: "-", 0x2012: "-", 0x2212: "-", 0x2015: "-",
    0x301C: "~", 0x223C: "~",
    0x2027: "·", 0x30FB: "·", 0x2022: "·", 0x22C5: "·", 0x2219: "·",
})


class _Table(dict):
    """The one-for-one table, and any other decimal digit (٣, ౦, 𞅀 …: what str.isdecimal counts) as its ASCII
    twin, looked up once per character seen: a digit in any script is read, never left unaccounted for."""

    def __missing__(self, code: int) -> int | str:
        ch = chr(code)
        found: int | str = str(unicodedata.decimal(ch)) if code > 0x7F and ch.isdecimal() else code
        self[code] = found
        return found


_TABLE = _Table(str.maketrans(_ONE_FOR_ONE))
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
