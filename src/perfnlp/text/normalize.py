"""Stage 1: text normalization with an offset map.

Every later stage reads the normalized text; every span it reports is mapped back through
`Normalized.span_in_original` so that it indexes the caller's original string.

What changes:
- traditional characters become their simplified twins (data/traditional.tsv: 計劃 → 计划), one for one;
- full-width ASCII forms (１２３，％：（）．) become their ASCII twins, the ideographic space a space, the
  dash and tilde variants (— – － ～ 〜 −) "-" or "~", the middle-dot variants "·". These are one character
  for one character, so offsets do not move.
- the decimal digits of every other script (Arabic-Indic ٣, Devanagari ३, Thai ๓, Lao ໓, Khmer ៣ …, every
  character of Unicode category Nd) become ASCII digits, one for one too, so that every digit is read.
- invisible characters (zero-width space and joiners, BOM, soft hyphen) are removed; only then is an
  offset map kept.

No loop over the characters in Python: str.translate and regular expressions do the work.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from .lexicon import rows, traditional_to_simplified
from .patterns import chars_in

_ONE_FOR_ONE: dict[int, str] = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_ONE_FOR_ONE.update({
    0x3000: " ", 0x00A0: " ", 0x2009: " ", 0x202F: " ",
    0x2014: "-", 0x2013: "-", 0x2012: "-", 0x2212: "-", 0x2015: "-",
    0x301C: "~", 0x223C: "~",
    0x2027: "·", 0x30FB: "·", 0x2022: "·", 0x22C5: "·", 0x2219: "·",
})
_ONE_FOR_ONE.update(traditional_to_simplified())
_FOLDS: dict[str, str] = {chr(c): folded for c, folded in _ONE_FOR_ONE.items()}
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]+")


def _bmp_digits() -> str:
    """The decimal digits (Unicode Nd) of the Basic Multilingual Plane other than 0-9: data/digits.tsv when
    it was read from this Python's Unicode version, else unicodedata's own (a few milliseconds)."""
    table = rows("digits.tsv")
    if table and table[0] == ("unicode", unicodedata.unidata_version):
        return "".join(chr(int(row[0], 16) + i) for row in table[1:] for i in range(10))
    return "".join(re.findall(r"[^\D0-9]", "".join(map(chr, range(0x80, 0x10000)))))


# what normalization changes: a one-for-one character, a decimal digit (Unicode Nd) that is not ASCII, or an
# invisible character. One search finds them all; most texts hold only a few distinct ones (，（）％), which
# str.replace handles much faster than str.translate goes over every character. The digits are one class with
# the rest: the BMP's by name, and beyond the BMP two ranges that hold all its digits, of which the digits are
# told apart by _digits_beyond (a class of characters and a range or two takes a third of the time of a class
# and a category test, which the engine makes for every character of the text). The ranges leave out the
# emoji and the CJK extensions (U+1F000 on, U+20000 on), so that a text full of them is not collected.
_BEYOND_BMP = "\U00010000-\U0001e95f\U0001fbf0-\U0001fbf9"
_CHANGE_CLASS = re.escape("".join(map(chr, _ONE_FOR_ONE))) + _INVISIBLE_CHARS + _bmp_digits() + _BEYOND_BMP
_CHANGED = re.compile(f"[{_CHANGE_CLASS}]")
_REPLACE_AT_MOST = 12  # more distinct characters than this: one str.translate is faster
_LAST_BMP = "\uffff"


def _digits_beyond(found: set[str]) -> set[str]:
    """`found` without its characters beyond the BMP that are no decimal digits (the patterns' ranges there
    take more than the digits); `found` itself when it holds none beyond the BMP (nearly every text)."""
    if not found or max(found) <= _LAST_BMP:
        return found
    return {ch for ch in found if ch <= _LAST_BMP or unicodedata.category(ch) == "Nd"}


class Normalized(NamedTuple):
    """The normalized text and how to get back to the original (immutable; made for every text read)."""

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


def _fold(text: str, found: set[str] | None = None) -> tuple[str, bool]:
    """The one-for-one changes, and whether an invisible character is left to remove. `found`: the
    characters of text that normalization changes, when the caller has them."""
    if found is None:
        found = _digits_beyond(chars_in(_CHANGED, text))
    if not found:
        return text, False
    invisible = not found.isdisjoint(_INVISIBLE_CHARS)
    if invisible:
        found.difference_update(_INVISIBLE_CHARS)
    if len(found) > _REPLACE_AT_MOST:
        return text.translate({ord(ch): _folded(ch) for ch in found}), invisible
    for ch in found:
        text = text.replace(ch, _folded(ch))
    return text, invisible


def _folded(ch: str) -> str:
    """What a character that normalization changes (no invisible one) becomes."""
    return _FOLDS.get(ch) or str(unicodedata.decimal(ch))


def normalize_changes() -> frozenset[int]:
    """The code points that normalization changes one for one (digits of other scripts aside)."""
    return frozenset(_ONE_FOR_ONE)


def fold(text: str) -> str:
    """The one-for-one part of normalization only: same length, same offsets."""
    return _fold(text)[0]


def normalize(text: str) -> Normalized:
    return _normalized(text, *_fold(text))


@lru_cache(maxsize=16)
def _survey_pattern(survey: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + re.escape("".join(sorted(survey))) + _CHANGE_CLASS + "]")


def normalize_surveyed(text: str, survey: frozenset[str]) -> tuple[Normalized, set[str]]:
    """normalize(text), and which characters of `survey` the normalized text holds: one search of the text
    for both (a reader that looks for some characters first saves a pass). `survey` must hold the ASCII
    digits and no character that normalization changes."""
    present = chars_in(_survey_pattern(survey), text)
    if present <= survey:  # nothing to change (about half of all sentences)
        return _new_normalized(Normalized, (text, text, None)), present
    changed = present - survey
    present -= changed
    changed = _digits_beyond(changed)
    translated, invisible = _fold(text, changed)  # (changed loses its invisible characters)
    present.update(survey.intersection(map(_folded, changed)))
    return _normalized(text, translated, invisible), present


# a Normalized made without the Python frame of a named tuple's __new__: one is made for every text read
_new_normalized = tuple.__new__


def _normalized(text: str, translated: str, invisible: bool) -> Normalized:
    if not invisible:
        return _new_normalized(Normalized, (text, translated, None))
    kept: list[str] = []
    origin: list[int] = []
    cursor = 0
    for m in _INVISIBLE.finditer(translated):
        kept.append(translated[cursor:m.start()])
        origin.extend(range(cursor, m.start()))
        cursor = m.end()
    kept.append(translated[cursor:])
    origin.extend(range(cursor, len(translated)))
    return Normalized(text, "".join(kept), tuple(origin))
