"""One Reading of a text: everything the later stages ask about a target or progress text, made once.

A Reading holds the folded text (fold(): full-width forms as ASCII, same length, same offsets), the scan
(quantities and skipped spans: time expressions, list markers, names), where clauses and sentences start and
end, and, read lazily once per context, the periods (a period written without a year takes the report's).
`read(text)` keeps the Readings of the texts read last, so that targets, progress and alignment, which read
one text in turn, do not read it again.

Questions about the words before a figure are asked through `find()`: a pattern runs once over the whole
folded text, its matches are kept in order, and each question is a binary search inside a window that ends
at the figure and reaches back at most `WINDOW` characters (never a whole clause): reading stays linear in
the length of the text however many figures a clause holds.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from ..text.clauses import CLAUSE_MARKS, SENTENCE_MARKS, Boundaries
from ..text.context import Context
from ..text.lexicon import rows
from ..text.normalize import fold
from ..text.patterns import Pattern
from .numerals import DIGITS_1_TO_9
from .quantities import Quantity, Scan, SkippedSpan, scan

if TYPE_CHECKING:
    from .periods import Period

MEMO_SIZE = 64  # results kept with one Reading (targets per group, progress per context, alignments)
WINDOW = 64   # how far back of a figure its words are read: a metric name, a verb, a comparison word


class Matches:
    """The matches of one pattern over a text, in order; questions are binary searches."""

    __slots__ = ("starts", "ends", "words")

    def __init__(self, pattern: Pattern, text: str) -> None:
        found = [(m.start(), m.end(), m.group()) for m in pattern.finditer(text) if m.end() > m.start()]
        self.starts = [s for s, _, _ in found]
        self.ends = [e for _, e, _ in found]
        self.words = [w for _, _, w in found]

    def inside(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Every match that lies wholly inside text[start:end], in order."""
        first = bisect_left(self.starts, start)
        out = []
        for i in range(first, len(self.starts)):
            if self.starts[i] >= end:
                break
            if self.ends[i] <= end:
                out.append((self.starts[i], self.ends[i], self.words[i]))
        return out

    def last(self, start: int, end: int) -> tuple[int, int, str] | None:
        """The last match that lies wholly inside text[start:end], or None."""
        i = bisect_right(self.starts, end) - 1
        while i >= 0 and self.starts[i] >= start:
            if self.ends[i] <= end:
                return self.starts[i], self.ends[i], self.words[i]
            i -= 1
        return None

    def first(self, start: int, end: int) -> tuple[int, int, str] | None:
        first = bisect_left(self.starts, start)
        for i in range(first, len(self.starts)):
            if self.starts[i] >= end:
                return None
            if self.ends[i] <= end:
                return self.starts[i], self.ends[i], self.words[i]
        return None

    def any(self, start: int, end: int) -> bool:
        return self.first(start, end) is not None


class Reading:
    """A text read once: folded text, scan, clause and sentence boundaries, periods (lazily)."""

    __slots__ = ("text", "folded", "scan", "clauses", "sentences", "_periods", "_matches", "_figures", "memo")

    def __init__(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        self.text = text
        self.folded = fold(text)
        self.scan: Scan = scan(text)
        self.clauses = Boundaries(self.folded, CLAUSE_MARKS)
        self.sentences = Boundaries(self.folded, SENTENCE_MARKS)
        self._periods: dict[Context, list[Period]] = {}
        self._matches: dict[Pattern, Matches] = {}
        self._figures: list[Quantity] | None = None
        # what a later stage worked out from this text (and a few small keys: a group, a context), kept with it
        self.memo: dict[object, object] = {}

    @property
    def quantities(self) -> list[Quantity]:
        return self.scan.quantities

    @property
    def skipped(self) -> list[SkippedSpan]:
        return self.scan.skipped

    @property
    def figures(self) -> list[Quantity]:
        """The quantities, and the shares written in words where the scan found none (七成 → 70%, 过半 → 50%,
        翻一番 → 100%; data/ratio_words.tsv), in text order. Words are not numbers the scan accounts for: they
        are read here, for targets and progress, and never reported by extract_quantities."""
        if self._figures is None:
            words = _ratio_words(self.folded, self.scan.quantities)
            self._figures = sorted(self.scan.quantities + words, key=lambda q: q.start) if words else \
                self.scan.quantities
        return self._figures

    def periods(self, context: Context | None = None) -> list[Period]:
        """The periods of the text under `context`, read once per context."""
        context = context or Context()
        found = self._periods.get(context)
        if found is None:
            from .periods import read_periods
            found = self._periods[context] = read_periods(self.text, context, self.scan)
        return found

    def find(self, pattern: Pattern) -> Matches:
        """The matches of `pattern` over the folded text, found once per Reading."""
        found = self._matches.get(pattern)
        if found is None:
            found = self._matches[pattern] = Matches(pattern, self.folded)
        return found

    def remember(self, key: object, value: object) -> object:
        """Keep `value` in `memo` under `key` and return it; at most MEMO_SIZE entries (the oldest go first),
        so that one text read under ever new keys cannot fill memory."""
        memo = self.memo
        if len(memo) >= MEMO_SIZE:
            del memo[next(iter(memo))]
        memo[key] = value
        return value

    def clause_of(self, position: int) -> tuple[int, int]:
        return self.clauses.span_of(position)

    def sentence_of(self, position: int) -> tuple[int, int]:
        return self.sentences.span_of(position)

    def back(self, position: int, limit: int | None = None) -> int:
        """Where the words before `position` start: its clause start, or `WINDOW` characters back, whichever
        is nearer; never before `limit` when given."""
        start = max(self.clauses.start_of(position), position - WINDOW)
        return max(start, limit) if limit is not None else start

    def ahead(self, position: int, window: int = WINDOW) -> int:
        """Where the words after `position` end: its clause end, or `window` characters on."""
        return min(self.clauses.end_of(position), position + window)


@cache
def _ratio_table() -> tuple[re.Pattern[str], dict[str, tuple[Decimal, str]]]:
    table: dict[str, tuple[Decimal, str]] = {}
    stops: list[str] = []
    for row in rows("ratio_words.tsv"):
        if row[2] == "not_after":
            stops.append(row[0])
            continue
        word, value, change = row[0], Decimal(row[1]), row[2]
        if "{N}" in word:
            for n, digit in enumerate(DIGITS_1_TO_9, 1):
                table[word.replace("{N}", digit)] = (value * n, change)
        else:
            table[word] = (value, change)
    words = sorted(table, key=len, reverse=True)
    stop = "(?!" + "|".join(re.escape(w) for w in stops) + ")" if stops else ""
    return re.compile("|".join(re.escape(w) for w in words) + stop), table


def _ratio_words(folded: str, quantities: list[Quantity]) -> list[Quantity]:
    pattern, table = _ratio_table()
    starts = [q.start for q in quantities]
    out: list[Quantity] = []
    for m in pattern.finditer(folded):
        at = bisect_right(starts, m.start()) - 1
        if at >= 0 and quantities[at].end > m.start():
            continue  # the scan read a number here (三分之二 …)
        if at + 1 < len(quantities) and quantities[at + 1].start < m.end():
            continue
        value, _ = table[m.group()]
        out.append(Quantity(text=m.group(), start=m.start(), end=m.end(), value=value, unit="%", dimension="ratio"))
    return out


def ratio_word_change(q: Quantity) -> str | None:
    """The change a figure written in words makes (翻一番 → increase), or None."""
    found = _ratio_table()[1].get(q.text)
    return found[1] if found is not None and found[1] != "-" else None


_CACHE: OrderedDict[str, Reading] = OrderedDict()
# The Readings of the texts read last, bounded by count and by characters: a Reading takes about 100 (table
# cells) to 450 (whole documents) bytes a character of its text, its figures, clauses and kept results, so a
# bound by count alone let a few hundred long texts fill memory (100 progress texts of 20,000 characters:
# 384 MiB). 262,144 characters are 25 to 120 MiB, or a few thousand table cells: what the documents of a
# folder repeat (the task texts of each quarter's report) stays while the next documents are read, also when
# one process of several reads only some of them (reports/pool.py, docs/performance.md stop 22).
_CACHE_SIZE = 4096
_CACHE_CHARS = 262_144
_cached_chars = 0


def read(text: str) -> Reading:
    """The Reading of `text`, made once and kept for the texts read last."""
    global _cached_chars
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    found = _CACHE.get(text)
    if found is not None:
        _CACHE.move_to_end(text)
        return found
    found = Reading(text)
    _CACHE[text] = found
    _cached_chars += len(text)
    # the newest stays, however long: the stages after this one read the same text in turn
    while len(_CACHE) > 1 and (len(_CACHE) > _CACHE_SIZE or _cached_chars > _CACHE_CHARS):
        # what later stages kept in memo may point back at the Reading: emptied, the evicted Reading is freed
        # at once instead of waiting as a cycle for the collector (or for ever, if it was frozen: reports/batch)
        evicted, reading = _CACHE.popitem(last=False)
        _cached_chars -= len(evicted)
        reading.memo.clear()
    return found


def clear_cache() -> None:
    """Forget every kept Reading (benchmarks measure reading, not the cache)."""
    global _cached_chars
    for reading in _CACHE.values():
        reading.memo.clear()
    _CACHE.clear()
    _cached_chars = 0
