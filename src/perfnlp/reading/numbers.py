"""Stage 2d: numbers. Every number of a text in any written form, whether or not a unit follows it.

`extract_numbers(text)` returns each number with its span, exact value, kind and approximation;
`scan_numbers(text)` also says why every other numeral is not a number (ordinal, name, date, list marker …),
as `quantities.scan` does; `parse_number(text)` reads a text that is one whole number.

What is read (numerals.py reads the digits and magnitudes):
- Arabic, Chinese, formal (壹贰叁 … 拾佰仟萬億) and mixed numerals (5亿1万4千6百, 两万两千, 1亿2345万), in
  any script's digits (normalize.py turns them into ASCII), with groups split by commas or spaces;
- decimals (3.5, 三点一), fractions (三分之二, 一又二分之一), percentages (6.9%, 百分之五十), per mille (千分之三,
  8‰) and per ten thousand (万分之五);
- 成 and 折 as percentages: 九成 = 90 %, 三成半 = 35 %, 9.5成 = 95 %, 半成 = 5 %, 七五折 = 75 %, 八折 = 80 %,
  打对折 = 50 %; 一打 = 12, 半打 = 6;
- ranges (1-5万 = 10000 to 50000, 三四个 = 3 or 4, 七八十 = 70 to 80) and vague amounts, as approximate
  values with bounds: 十余 = more than 10, below 20 (value 10, high 20); 3.5万多 = 35000 to 36000; 十几 = 11
  to 19; 数十 and 几十 = 20 to 90; 上千 = 1000 to 10000; 十多万 = 100000 to 200000; 近万 = about 10000.

What is guessed, and so documented: 数 and 几 stand for a digit from 2 to 9 (一 to 9 after a magnitude: 十几);
上 + a magnitude reaches at most ten times it; X余 and X多 lie below X plus one of X's last written place. A
lone Chinese numeral character right before a Chinese character that is no unit is part of a word (一直,
三星, 百姓), and so is a run of magnitudes alone (千万不要); a set phrase or name of data/non_quantities.tsv is
a name (一带一路, 十四五); 第 makes an ordinal, 号/级/期 … (data/number_suffixes.tsv) a name or level, a hotline
number (12345) without a unit a name. Years, dates, periods, list markers, codes and document numbers are
never numbers (the protected spans below, shared with quantities.py).

Linear time: the text is cut into sentences (at 。；;!?! and line breaks, never inside a 《title》 or a
“quote”); in each sentence a protected-span pattern runs only when the characters it needs are there.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from decimal import Decimal
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any, Callable, Iterator, Literal, TypeVar

from ..text.model import BaseModel, ConfigDict

from . import numerals
from . import timeexpr
from . import units
from ..text.lexicon import pairs, rows
from ..text.normalize import Normalized, normalize, normalize_changes, normalize_surveyed
from ..text.patterns import chars_in

_Model = TypeVar("_Model", bound=BaseModel)
NumberKind = Literal["integer", "decimal", "fraction", "percent", "permille", "permyriad", "cheng", "zhe"]


class SkippedSpan(BaseModel):
    """A numeral that is not a quantity (or not a number), and why (year, date, period, list marker, name …)."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int
    end: int
    reason: str


class Number(BaseModel):
    """A number as written. `text == original[start:end]`; the unit after it is not part of it, except for
    the signs and words of a percentage (%, ‰, 成, 折, 百分之)."""

    # built on first use: reading quantities (the command line) never makes one
    model_config = ConfigDict(frozen=True, defer_build=True)

    text: str
    start: int
    end: int
    value: Decimal            # exact; a percentage as written (九成 → 90, 6.9% → 6.9); the low end of a range
    kind: NumberKind          # integer or decimal (by the value), fraction, percent, permille, permyriad, cheng (成), zhe (折)
    unit: str = ""            # "%" for percent, cheng and zhe; "‰" permille; "‱" permyriad; else ""
    approx: bool = False      # 约, 近, 超, 余, 多, 来, 左右, 数十, 上千 …
    high: Decimal | None = None   # the high end of a range (1-5万 → 50000) or the bound of a vague amount (十余 → 20)


def trusted_constructor(model: type[_Model], sample: dict[str, Any]) -> Callable[..., _Model]:
    """A constructor of `model` for values that this package has made itself, of the right types already:
    what pydantic's model_construct does with every field given, without its per-call Python work (a
    quantity or number is made for every figure read, and validating them was a sixth of the reading
    time). Checked once against validation on `sample`; where pydantic works otherwise, validation it is."""
    fields = frozenset(model.model_fields)
    new = object.__new__
    setattr_ = object.__setattr__
    pydantic = hasattr(model, "__pydantic_fields__")  # else a plain model (text/model.py)

    def slot(name: str) -> Callable[[Any, Any], None]:
        """The setter of an instance slot (or of __dict__) itself: a third of the time of object.__setattr__."""
        return next(vars(c)[name] for c in model.__mro__ if name in vars(c)).__set__

    def construct(**values: Any) -> _Model:
        instance = new(model)
        set_dict(instance, values)
        set_fields_set(instance, set(fields))  # a set of its own, as pydantic's: model_copy updates it
        set_extra(instance, None)
        set_private(instance, None)
        return instance

    def construct_plain(**values: Any) -> _Model:
        instance = new(model)
        setattr_(instance, "__dict__", values)
        setattr_(instance, "__plain_fields_set__", set(fields))
        return instance

    if pydantic:
        try:
            set_dict, set_fields_set, set_extra, set_private = [slot(name) for name in (
                "__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")]
        except StopIteration:  # a pydantic that keeps them otherwise: validation it is
            return model
    else:
        construct = construct_plain

    try:
        made, validated = construct(**sample), model(**sample)
        same = made == validated and (not pydantic or made.model_dump(mode="json") == validated.model_dump(mode="json")) \
            and repr(made) == repr(validated) and hash(made) == hash(validated)
    except Exception:  # noqa: BLE001 - any difference means: do not take the short way
        same = False
    return construct if same and set(sample) == fields else model


class NumberScan(BaseModel):
    """Everything scan_numbers() found in a text: numbers and skipped spans, both in text order."""

    model_config = ConfigDict(defer_build=True)

    text: str
    numbers: list[Number]
    skipped: list[SkippedSpan]


@cache
def _number_constructor() -> Callable[..., Number]:
    return trusted_constructor(Number, {"text": "1.5万", "start": 0, "end": 4, "value": Decimal(15000),
                                        "kind": "integer", "unit": "", "approx": True, "high": Decimal(16000)})


# ---------------------------------------------------------------------------------------------------------
# protected spans: never numbers (shared with quantities.py). Each pattern names the characters it needs:
# a tuple of groups, and the pattern runs only when every group has a character in the sentence.

_CN_NUM = numerals.CN_NUMERAL_CHARS
_CN_DIG = numerals.CN_DIGIT_CHARS
# "7.20个村": at the head of an item, N. before a whole count is a list marker (a count has no decimals)
_S = r"[^\S\n\r]"  # whitespace that is no line break: no protected span runs over a line
_COUNTED = rf"[0-9]{{1,5}}{_S}?(?:个|家|户|项|条|处|辆|所|座|名|人|次|件|栋|台|场|套|村)"
# Patterns that only some texts need, compiled on first use (named_pattern(name)): compiling every one of them
# at import would cost the command line's start more than reading its sentence does.
_SOURCES: dict[str, str] = {
    # where a number may start (半成, 打对折); a protected span with a numeral is reported
    "number start": rf"[0-9{_CN_NUM}半折]",
    "numeral": rf"[0-9{_CN_NUM}]",
    # Latin letters next to digits make a code or a name (PM2.5, DB11/139-2015, S1, HICOOL2022, 1+X+N)
    "ascii token": r"(?<![A-Za-z0-9μµ])[A-Za-z0-9μµ][A-Za-z0-9μµ³².+/_\-]{0,48}",
    "letter": r"[A-Za-z]",
    "non-space": r"\S",
    "digit": r"[0-9]",
    "scientific": r"[0-9]+(?:\.[0-9]+)?[eE][-+]?[0-9]{1,3}",
    "leading number": r"[0-9]+(?:\.[0-9]+)?",
    # list markers at the head of an item (after a line break, a sentence mark or a bracket: see
    # _item_markers) …
    "markers": rf"[0-9]{{1,2}}{_S}?[.、](?![0-9])"
               rf"|[0-9]{{1,2}}\.(?=[0-9]{{1,2}}{_S}?(?:[-~至]{_S}?[0-9]{{1,2}}{_S}?)?月|(?:19|20)[0-9]{{2}}{_S}?年|{_COUNTED})"
               r"|[一二三四五六七八九十]{1,3}[、.]",
    # … and a head of an item with the digit after it …
    "item head": r"[\n\r。;:!?)\]】>\s][0-9一二三四五六七八九十]",
    # … or anywhere: (2), （三）, ①, 一是
    "markers anywhere": r"[(][0-9]{1,2}[)]|[(][一二三四五六七八九十]{1,3}[)]|[①-⑳]|[一二三四五六七八九十]{1,2}是(?!否)",
    # spans that may hold a sentence mark: found in the whole text first, and never cut into sentences
    "title": r"《[^《》\n]{0,80}》",
    "quoted name": r"“[^“”\n]{0,20}”|\"[^\"\n]{0,20}\"|「[^「」\n]{0,20}」|‘[^‘’\n]{0,20}’",
    "document number": rf"[〔\[【(]{_S}?(?:19|20)[0-9]{{2}}{_S}?[〕\]】)]{_S}?第?{_S}?[0-9]{{1,6}}{_S}?号",
    "reference list": rf"[(][0-9]{{1,4}}(?:-[0-9]{{1,3}})?(?:{_S}?[、,]{_S}?[0-9]{{1,4}}(?:-[0-9]{{1,3}})?)+{_S}?[)]",
    "section number": r"[0-9]{1,9}(?:\.[0-9]{1,9}){2,}",
    "version": r"[0-9]{1,3}\.[0-9]{1,2}(?=版|新政)",
    # a telephone number: 010-12345678, not the range 100-1000000.0
    "identifier": r"[0-9]{3,4}-[0-9]{7,8}(?![0-9]|\.[0-9])",
    "chinese run": rf"[{_CN_NUM}]+",
    # the characters a CANDIDATE match starts with (extract_numbers; quantities.py reads runs of them)
    "candidate first": rf"[0-9{_CN_NUM}数几上半打]",
    "digits": r"[0-9]{1,4300}",
    # where a text is cut into sentences for the protected-span patterns (normalized: ；→; ！→! ？→?)
    "sentence mark": r"[。;!?\n\r]",
}


@cache
def named_pattern(name: str) -> re.Pattern[str]:
    """The compiled pattern _SOURCES[name] (the same object every time)."""
    if name == "survey":
        return re.compile("[" + re.escape("".join(sorted(_SURVEY_CHARS))) + "]")
    return re.compile(_SOURCES[name])


_ITEM_HEAD_AFTER = frozenset("\n\r。;:!?)]】>")
_MARKER_FIRST = frozenset("0123456789一二三四五六七八九十")
# what can stand before a list marker inside a sentence (whitespace aside): asked for by the survey
_HEAD_CHARS = frozenset(":)]】>")
_WIDE_PROTECTED: tuple[str, ...] = ("title", "quoted name")
# (pattern name, reason, gate, not_after, min_count): gate, not_after and min_count as in timeexpr.TimePattern
_OTHER_PROTECTED: tuple[tuple[str, str, tuple[str, ...], str, int], ...] = (
    ("document number", "document number", ("〔[【(", "号"), "", 1),
    ("reference list", "reference list", ("(", "、,"), "", 1),
    ("section number", "section number", (".",), "0123456789", 2),
    ("version", "version", (".", "版新"), "", 1),
    ("identifier", "identifier", ("-",), "0123456789.", 1),
)
_MARKER_GATE = ("、.",)
_MARKER_ANYWHERE_GATE = ("()是①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳",)
_LATIN_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzμµ")
_CN_NUMERAL_SET = frozenset(_CN_NUM)
_PUNCT_GATES = frozenset("".join(c for _, _, gate, _, _ in _OTHER_PROTECTED for group in gate for c in group)
                         + "".join(_MARKER_GATE + _MARKER_ANYWHERE_GATE) + timeexpr.GATE_CHARS)
_SENTENCE_MARKS = frozenset("。;!?\n\r")
_WIDE_FIRST = frozenset("《“\"「‘")
_NUMBER_START = frozenset("0123456789半折") | _CN_NUMERAL_SET
# one search tells what a text holds: a number's first character, a gate character, a sentence mark, the
# start of a title or quote
# every character that str.isspace() and the regular expressions' \s take for whitespace
_WHITESPACE = frozenset("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                        "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
# what may stand before the head of a list item inside a piece (_item_markers)
_BEFORE_HEAD = _HEAD_CHARS | _WHITESPACE | _SENTENCE_MARKS
_SURVEY_CHARS = _PUNCT_GATES | _LATIN_LETTERS | _NUMBER_START | _SENTENCE_MARKS | _WIDE_FIRST | _HEAD_CHARS \
    | (_WHITESPACE - frozenset(map(chr, normalize_changes())))


@cache
def _lexicon_pattern() -> re.Pattern[str] | None:
    """The names and set phrases of data/non_quantities.tsv (hotline numbers aside: they are names only
    without a unit, see _hotlines), longest first. No look-behind, so that the engine can skip ahead: the
    character before a match is checked by the caller (a name is no name inside a longer numeral:
    一万一千户, 零点一一, 十分之一)."""
    names = sorted((n for n, reason in pairs("non_quantities.tsv").items() if reason != "hotline"), key=len, reverse=True)
    if not names:
        return None
    return re.compile("(?:" + "|".join(re.escape(n) for n in names) + ")(?![0-9十百千万亿拾佰仟萬億点之])")


_NOT_BEFORE_NAME = frozenset("0123456789" + _CN_NUM + "点")


@cache
def _hotlines() -> frozenset[str]:
    """Hotline numbers (12345, 120): names when written bare, quantities when a unit follows (12345元)."""
    return frozenset(n for n, reason in pairs("non_quantities.tsv").items() if reason == "hotline")


@cache
def _suffixes() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((r[0], r[1]) for r in rows("number_suffixes.tsv")), key=lambda p: -len(p[0])))


class _FirstChars:
    """The first characters of data/number_suffixes.tsv, loaded on first use (`ch in _SUFFIX_FIRST`)."""

    def __contains__(self, ch: str) -> bool:
        return ch in _suffix_first()


@cache
def _suffix_first() -> frozenset[str]:
    return frozenset(suffix[0] for suffix, _ in _suffixes())


_SUFFIX_FIRST = _FirstChars()


@cache
def _number_words() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """data/number_words.tsv: word → (characters it may not follow, characters it may not precede)."""
    table: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for row in rows("number_words.tsv"):
        table[row[0]] = (frozenset(row[2] if len(row) > 2 else ""), frozenset(row[3] if len(row) > 3 else ""))
    return table


def _word_fits(text: str, word: str, at: int, limit: int) -> bool:
    """The number word (成, 折, 打, 半, 数, 几, 上) at text[at] is not part of another word."""
    not_after, not_before = _number_words()[word]
    after = at + 1
    if after < limit and text[after] in not_before:
        return False
    return not (at > 0 and text[at - 1] in not_after)


@lru_cache(maxsize=512)
def _patterns_for(gates: frozenset[str]) -> tuple[tuple[timeexpr.TimePattern, ...],
                                                 tuple[tuple[re.Pattern[str], str, str, str, int], ...], bool]:
    """The time-pattern families, the other protected-span patterns (pattern, reason, not_after, the
    characters to count, min_count) whose characters are all among `gates`, and whether list markers at
    the head of an item may occur (cached: few combinations occur)."""
    families = timeexpr.families_for(gates)
    chosen: list[tuple[re.Pattern[str], str, str, str, int]] = []
    if all(not gates.isdisjoint(group) for group in _MARKER_ANYWHERE_GATE):
        chosen.append((named_pattern("markers anywhere"), "list marker", "", "", 1))
    for name, reason, gate, not_after, min_count in _OTHER_PROTECTED:
        if all(not gates.isdisjoint(group) for group in gate):
            chosen.append((named_pattern(name), reason, not_after, "".join(gate), min_count))
    return families, tuple(chosen), all(not gates.isdisjoint(group) for group in _MARKER_GATE)


def wide_spans(text: str) -> list[tuple[int, int, str]]:
    """Titles and quoted names in the whole text (they may hold a sentence mark)."""
    found: list[tuple[int, int, str]] = []
    for reason in _WIDE_PROTECTED:
        found.extend((m.start(), m.end(), reason) for m in named_pattern(reason).finditer(text))
    found.sort()
    return found


def sentences(text: str, wide: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """(start, end) of each piece of `text` cut at sentence marks, none cut inside a wide span. A mark
    itself belongs to no piece."""
    cuts = [m.start() for m in named_pattern("sentence mark").finditer(text)]
    if not cuts:
        return [(0, len(text))]
    if wide:
        inside = set()
        for start, end, _ in wide:
            at = bisect_left(cuts, start)
            while at < len(cuts) and cuts[at] < end:
                inside.add(at)
                at += 1
        if inside:
            cuts = [c for i, c in enumerate(cuts) if i not in inside]
    pieces: list[tuple[int, int]] = []
    start = 0
    for cut in cuts:
        if cut > start:
            pieces.append((start, cut))
        start = cut + 1
    if start < len(text):
        pieces.append((start, len(text)))
    return pieces


def _item_markers(text: str, start: int, end: int, heads: bool = True) -> list[tuple[int, int, str]]:
    """List markers at the head of an item (1. 2、 三、): tried only where an item can start, at the start of
    the piece and after a line break, a sentence mark, a bracket or a space, before a digit (`heads`: whether
    the text may hold such a head past its start)."""
    found: list[tuple[int, int, str]] = []
    match = named_pattern("markers").match
    reach = start
    if text[start] in _MARKER_FIRST and (start == 0 or text[start - 1] in _ITEM_HEAD_AFTER or text[start - 1].isspace()):
        m = match(text, start, end)
        if m is not None and m.end() > start:
            found.append((start, m.end(), "list marker"))
            reach = m.end()
    if not heads:
        return found
    for head in named_pattern("item head").finditer(text, start, end):
        at = head.end() - 1
        if at < reach:
            continue
        m = match(text, at, end)
        if m is not None and m.end() > at:
            found.append((at, m.end(), "list marker"))
            reach = m.end()
    return found


def normalized(text: str) -> tuple[Normalized, set[str]]:
    """normalize(text), and the characters of _SURVEY in the normalized text (one search for both)."""
    return normalize_surveyed(text, _SURVEY_CHARS)


def pieces(text: str, present: set[str] | None = None) -> tuple[list[tuple[int, int, set[str]]], list[tuple[int, int, str]]]:
    """The pieces of `text` (a sentence, or a few short ones) that hold a numeral (start, end, the
    characters of the survey in them), and the wide spans of the text (titles and quotes). One search for a
    text of one sentence, none when the caller has `present` (the characters of the survey in text)."""
    if present is None:
        present = chars_in(named_pattern("survey"), text)
    if present.isdisjoint(_NUMBER_START):
        return [], []
    wide = wide_spans(text) if not present.isdisjoint(_WIDE_FIRST) else []
    if present.isdisjoint(_SENTENCE_MARKS):
        return [(0, len(text), present)], wide
    # a few sentences at a time: no protected span runs over a sentence mark, so that this reads as one
    # sentence at a time would, with fewer calls; a piece stays short enough for its gates to matter
    found: list[tuple[int, int, set[str]]] = []
    survey = named_pattern("survey")
    piece_start = piece_end = -1
    for start, end in sentences(text, wide):
        if piece_start >= 0 and end - piece_start <= _PIECE:
            piece_end = end
            continue
        if piece_start >= 0:
            here = chars_in(survey, text, piece_start, piece_end)
            if not here.isdisjoint(_NUMBER_START):
                found.append((piece_start, piece_end, here))
        piece_start, piece_end = start, end
    if piece_start >= 0:
        here = chars_in(survey, text, piece_start, piece_end)
        if not here.isdisjoint(_NUMBER_START):
            found.append((piece_start, piece_end, here))
    return found, wide


# characters: the longest piece of several sentences read together. Short pieces open fewer gates each (a
# 年 in one sentence does not send its neighbours through the year patterns): callgrind counts 6.10M
# instructions for the 3 KB text and 37.0M for the 26 KB one at 60, against 6.39M and 42.0M at 500 (and
# 7.2M / 47.6M at 2000); below 60 it is flat. The results do not depend on it (see above).
_PIECE = 60


def protected_spans(text: str, start: int, end: int, wide: list[tuple[int, int, str]],
                    present: set[str] | None = None) -> list[tuple[int, int, str]]:
    """Spans of text[start:end] that are never read as numbers, longest first where they overlap, in text
    order. `wide` holds the spans of wide_spans(text); those inside [start, end) take part. `present`: the
    characters of _SURVEY in text[start:end], when the caller has them."""
    if wide:  # sorted by start: take those that start in [start, end)
        first = bisect_left(wide, (start, -1, ""))
        last = bisect_left(wide, (end, -1, ""), first)
        found: list[tuple[int, int, str]] = wide[first:last]
    else:
        found = []
    if present is None:
        present = chars_in(named_pattern("survey"), text, start, end)
    if not present.isdisjoint(_CN_NUMERAL_SET):
        lexicon = _lexicon_pattern()
        if lexicon is not None:
            names = pairs("non_quantities.tsv")
            for m in _matches_not_after(lexicon, text, start, end, _NOT_BEFORE_NAME):
                found.append((m.start(), m.end(), names[m.group()]))
    families, others, markers = _patterns_for(frozenset(present & _PUNCT_GATES))
    timed: dict[tuple[int, int, str], timeexpr.TimePattern] = {}
    for family in families:
        for span in timeexpr.matches(family, text, start, end):
            found.append(span)
            timed[span] = family
    if markers:
        found.extend(_item_markers(text, start, end, not present.isdisjoint(_BEFORE_HEAD)))
    for pattern, reason, not_after, counted, min_count in others:
        if min_count > 1:
            seen = 0
            for c in counted:
                seen += text.count(c, start, end)
            if seen < min_count:
                continue
        if not not_after:
            for m in pattern.finditer(text, start, end):
                if m.end() > m.start():
                    found.append((m.start(), m.end(), reason))
            continue
        for m in _matches_not_after(pattern, text, start, end, not_after):
            found.append((m.start(), m.end(), reason))
    if not present.isdisjoint(_LATIN_LETTERS):
        letter, digit, scientific = named_pattern("letter").search, named_pattern("digit").search, named_pattern("scientific").fullmatch
        for m in named_pattern("ascii token").finditer(text, start, end):
            token = m.group().rstrip(".-/")
            if letter(token) and digit(token) and not _is_latin_quantity(token) \
                    and not scientific(token) and not _is_latin_unit(token):
                found.append((m.start(), m.start() + len(token), "code or name"))
    if len(found) < 2:
        return found
    for _ in range(8):  # a few more time expressions at most; 8 rounds is more than any real text needs
        # leftmost first, the longest first of those that start together (two stable sorts by C keys)
        found.sort(key=_END, reverse=True)
        found.sort(key=_START)
        kept: list[tuple[int, int, str]] = []
        reach = start
        again: list[tuple[timeexpr.TimePattern, int, int]] = []
        for span in found:
            if span[0] >= reach:
                kept.append(span)
                reach = span[1]
            elif span[1] > reach and span in timed:
                # a time expression that loses to an overlapping span: what it covers after that span may
                # hold another one (the date 12月23日 of 2021年12月16日至12月23日), which a search that went on
                # after it passed by
                again.append((timed.pop(span), reach, span[1]))
        if not again:
            return kept
        for family, after, before in again:
            for span in timeexpr.matches(family, text, after, end):
                if span[0] >= before:
                    break
                found.append(span)
                timed[span] = family
    return kept


_START, _END = itemgetter(0), itemgetter(1)


def _is_latin_unit(token: str) -> bool:
    """'m3/d' after 5万: a Latin unit on its own is no code."""
    unit = units.unit_at(token, 0)
    return unit is not None and unit.end == len(token)


def _is_latin_quantity(token: str) -> bool:
    """'35mg/m3', '300kW': a number followed by a Latin unit is a quantity, not a code."""
    m = named_pattern("leading number").match(token)
    if m is None or m.end() == len(token):
        return False
    unit = units.unit_at(token, m.end())
    return unit is not None and unit.end == len(token)


# ---------------------------------------------------------------------------------------------------------
# reading one number

CANDIDATE = re.compile(
    r"(?P<ar>[0-9]{1,3}(?:[, ][0-9]{3}(?![0-9]))+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
    r"(?P<exp>[eE][-+]?[0-9]{1,3}(?![A-Za-z0-9]))?"
    rf"|(?P<cn>[{_CN_NUM}])"
    r"|(?P<vague>[数几](?=[十百千万亿])|上(?=[百千万亿]))"
    r"|(?P<half>半(?=[成打]))"
    r"|(?P<dui>打对折)"
)
CANDIDATE_RUN = re.compile(rf"[0-9{_CN_NUM}数几上半打]+")   # runs of them
_MAGNITUDE_OR_CN = frozenset(_CN_NUM)
_CN_OR_ARABIC = frozenset(_CN_NUM + "0123456789点")
_PAIRS = frozenset({(1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 8), (8, 9), (3, 5)})
_RANGE_SEP = "-~至到"


def _approx_words() -> tuple[frozenset[str], frozenset[str], dict[str, frozenset[str]], frozenset[str], frozenset[str]]:
    """data/approx_words.tsv: (one-character words before, two-character words before, the characters each
    may not follow, inner words, words after)."""
    table = rows("approx_words.tsv")
    before = [r[0] for r in table if r[1] == "before"]
    assert all(len(w) <= 2 for w in before) and all(w[-1] in before for w in before if len(w) == 2), \
        "approx_words.tsv: a two-character word before a number must end with a one-character one"
    return (frozenset(w for w in before if len(w) == 1), frozenset(w for w in before if len(w) == 2),
            {r[0]: frozenset(r[2]) for r in table if len(r) > 2 and r[2]},
            frozenset(r[0] for r in table if r[1] == "inner"), frozenset(r[0] for r in table if r[1] == "after"))


# read once at import: the file is small, and the words are looked at for every number
_APPROX_BEFORE_1, _APPROX_BEFORE_2, _APPROX_NOT_AFTER, _APPROX_INNER, _APPROX_AFTER = _approx_words()
_PERCENT_SIGNS = {"%": "percent", "‰": "permille", "‱": "permyriad"}
_PER_BASE = {"百": ("percent", "%"), "千": ("permille", "‰"), "万": ("permyriad", "‱")}
_TEN = Decimal(10)


class Reading:
    """One number being read; plain attributes, turned into a Number, a Quantity or a SkippedSpan at the end."""

    __slots__ = ("start", "end", "number_end", "value", "high", "bound", "approx", "kind", "percent", "skip",
                 "multiplier", "chinese", "lone", "unit", "unit_end", "dimension", "counted")

    def __init__(self, start: int, end: int, value: Decimal | None) -> None:
        self.start, self.end, self.value = start, end, value
        self.number_end = end          # where the number ends (the unit after it is not part of it)
        self.high: Decimal | None = None    # the high end of a written range (1-5万, 三四个)
        self.bound: Decimal | None = None   # the bound of a vague amount (十余 → 20, 数十 → 90)
        self.approx = False
        self.kind = ""                 # "" (integer or decimal, by the value), or a kind of NumberKind
        self.percent = ""              # "%", "‰", "‱" for the percentage kinds
        self.skip: str | None = None
        self.multiplier = ""           # the magnitudes written after the last digit: 万 in 1.728万
        self.chinese = False           # a Chinese numeral (needs a unit to be a quantity)
        self.lone = False              # magnitudes only: 百, 千万
        self.unit: units.UnitMatch | None = None  # its surface, pint unit and dimension (its `end`: see unit_end)
        self.unit_end = end
        self.dimension = "number"
        self.counted = False           # 一打: a count with no unit


def read_at(text: str, m: re.Match[str], limit: int) -> Reading | None:
    """The number that the candidate match `m` starts, with its multiplier and the words of a percentage,
    fraction, range or vague amount written with it. None when the candidate starts no number (上 not
    before a magnitude)."""
    start = m.start()
    group = m.lastgroup
    if group == "ar" or group == "exp":
        if group == "ar":  # no exponent: the whole match is the number
            written, end = m.group(), m.end()
        else:
            return Reading(start, m.end(), numerals.parse_arabic(m.group("ar") + m.group("exp")))
        if len(written) >= 10:
            whole = written.replace(",", "").replace(" ", "").split(".")[0]
            # ten digits or more in a row, with no unit or magnitude after them, are an identifier (a
            # telephone or ID number); more than thirty always are
            if len(whole) > 30 or (len(whole) >= 10 and whole == written and not (start and text[start - 1] in "0123456789.")
                                   and not text.startswith(".", end)
                                   and (end >= limit or (text[end] not in _MAGNITUDE_OR_CN
                                                         and unit_here(text, end, limit) is None))):
                reading = Reading(start, end, None)
                reading.skip = "identifier"
                return reading
        if end + 2 < limit and text[end] == " " and text[end + 1] in _MAGNITUDE_OR_CN:
            spaced = numerals.multiplier_at(text, end + 1, limit)
            if spaced and unit_here(text, end + 1 + len(spaced), limit) is not None:
                end += 1  # "1.17 亿元": a stray space before the magnitude, a unit after it (text from PDF pages)
        if end < limit and text[end] in _MAGNITUDE_OR_CN:
            multiplier = numerals.multiplier_at(text, end, limit)
            after = end + len(multiplier)
            if multiplier and (after >= limit or text[after] not in _CN_OR_ARABIC):  # 1.728万: the common case
                reading = Reading(start, after, numerals.shifted(written, multiplier))
                reading.multiplier = multiplier
            else:  # 5亿1万4千6百, 2十万, 3千米
                numeral = numerals.read_numeral(text, start, limit)
                if numeral is None:
                    return Reading(start, end, None)
                reading = Reading(start, numeral.end, numeral.value)
                reading.multiplier = numeral.multiplier
        else:
            reading = Reading(start, end, numerals.parse_arabic(written))
    elif group == "cn":
        reading = _read_chinese(text, start, limit)
    elif group == "vague":
        return _read_vague(text, start, limit)
    elif group == "half":
        if text[start + 1] == "成" and _word_fits(text, "成", start + 1, limit):
            reading = Reading(start, start + 2, Decimal(5))
            reading.kind, reading.percent = "cheng", "%"
        elif text[start + 1] == "打" and _word_fits(text, "打", start + 1, limit):
            reading = Reading(start, start + 2, Decimal(6))
            reading.counted = True
        else:
            return None
        reading.number_end = reading.end
        return reading
    else:  # 打对折
        reading = Reading(start, m.end(), Decimal(50))
        reading.kind, reading.percent = "zhe", "%"
        reading.number_end = reading.end
        return reading
    end = reading.end
    if end < limit and text[end] in _WORD_AFTER and reading.skip is None and reading.value is not None:
        _read_number_words(text, reading, limit)
        end = reading.end
    reading.number_end = end
    return reading


def _read_chinese(text: str, start: int, limit: int) -> Reading:
    numeral = numerals.read_numeral(text, start, limit)
    if numeral is not None and (numeral.end >= limit or text[numeral.end] not in _NEXT_DIGIT):
        reading = Reading(start, numeral.end, numeral.value)
        reading.chinese, reading.lone, reading.multiplier = numeral.chinese, numeral.magnitudes_only, numeral.multiplier
        return reading
    # two Chinese digits in a row: 七五折 (75 %), a range (三四个, 十五六岁, 七八十), or 十几 (11 to 19)
    stop = numeral.end if numeral is not None else start
    if numeral is None and start + 2 <= limit and text[start + 2:start + 3] == "折" \
            and text[start] in _CN_DIG and text[start + 1] in _CN_DIG and numerals.CN_DIGITS[text[start]] > 0 \
            and _word_fits(text, "折", start + 2, limit):
        reading = Reading(start, start + 3, Decimal(numerals.CN_DIGITS[text[start]] * 10 + numerals.CN_DIGITS[text[start + 1]]))
        reading.kind, reading.percent, reading.chinese = "zhe", "%", True
        return reading
    if numeral is not None and text[stop] == "几":
        ranged = _substituted(text, start, limit, stop, 1, "一", "九")
        if ranged is not None:
            end, low, high, multiplier = ranged
            reading = Reading(start, end, low)
            reading.bound, reading.approx, reading.chinese, reading.multiplier = high, True, True, multiplier
            return reading
    pair_at = stop - 1 if numeral is not None else start
    if pair_at + 1 < limit and text[pair_at] in _CN_DIG and text[pair_at + 1] in _CN_DIG \
            and (numerals.CN_DIGITS[text[pair_at]], numerals.CN_DIGITS[text[pair_at + 1]]) in _PAIRS:
        ranged = _substituted(text, start, limit, pair_at, 2, text[pair_at], text[pair_at + 1])
        if ranged is not None:
            end, low, high, multiplier = ranged
            reading = Reading(start, end, low)
            reading.high, reading.approx, reading.chinese, reading.multiplier = high, True, True, multiplier
            return reading
    run = named_pattern("chinese run").match(text, start, limit)
    reading = Reading(start, run.end() if run else start + 1, None)
    reading.skip = "word"  # 一五一十, 三三两两, 一二三
    return reading


_NEXT_DIGIT = frozenset(_CN_DIG + "几")
_WORD_AFTER = frozenset("分成折打余多又")  # the first characters of what _read_number_words reads


def _substituted(text: str, start: int, limit: int, at: int, width: int, low_char: str, high_char: str
                 ) -> tuple[int, Decimal, Decimal, str] | None:
    """Read text[start:…] twice, with text[at:at+width] replaced by low_char and by high_char: 十五六 → 十五
    and 十六, 二三十万 → 二十万 and 三十万, 十几 → 十一 and 十九. (end, low, high, multiplier), or None when the
    two readings do not end at the same place or do not rise."""
    run = named_pattern("chinese run").match(text, at + width, limit)
    stop = run.end() if run else at + width
    head, tail = text[start:at], text[at + width:stop]
    low = numerals.read_numeral(head + low_char + tail, 0)
    high = numerals.read_numeral(head + high_char + tail, 0)
    if low is None or high is None:
        return None
    low_tail, high_tail = low.end - len(head) - 1, high.end - len(head) - 1
    if low_tail != high_tail or low_tail < 0 or high.value <= low.value:
        return None
    return at + width + low_tail, low.value, high.value, high.multiplier


def _read_vague(text: str, start: int, limit: int) -> Reading | None:
    """数十, 几百, 数十万 (2 to 9 of the magnitude), 上千, 上百万 (up to ten times it)."""
    word = text[start]
    if not _word_fits(text, word, start, limit):
        return None
    if word == "上":
        numeral = numerals.read_numeral(text, start + 1, limit)
        if numeral is None or not numeral.magnitudes_only or numeral.end >= start + 4:
            return None
        reading = Reading(start, numeral.end, numeral.value)
        reading.bound = numerals.scale(numeral.value, 10)
    else:
        ranged = _substituted(text, start, limit, start, 1, "二", "九")
        if ranged is None:
            return None
        end, low, high, multiplier = ranged
        reading = Reading(start, end, low)
        reading.bound, reading.multiplier = high, multiplier
    reading.approx = reading.chinese = True
    reading.number_end = reading.end
    return reading


def _read_number_words(text: str, reading: Reading, limit: int) -> None:
    """What is written right after the numeral and changes its value: 分之 (a fraction, or 百分之 a
    percentage), 成 and 折, 打 (a dozen), 余/多 before a magnitude (十多万), 又 before a fraction."""
    end = reading.end
    ch = text[end]
    value = reading.value
    assert value is not None
    if ch == "分" and text.startswith("分之", end):
        numerator = numerals.read_numeral(text, end + 2, limit)
        if numerator is None:
            return
        written = text[reading.start:end]
        if written in _PER_BASE:
            reading.kind, reading.percent = _PER_BASE[written]
            reading.value = numerator.value
        else:
            reading.kind = "fraction"
            reading.value = None if value.is_zero() else numerals.divide(numerator.value, value)
        reading.high = None
        reading.end = numerator.end
        reading.chinese = reading.chinese or numerator.chinese
        reading.lone = False
        reading.multiplier = ""
    elif ch == "成" and not reading.multiplier and 0 < value <= 10 and _word_fits(text, "成", end, limit):
        reading.kind, reading.percent = "cheng", "%"
        reading.value = numerals.scale(value, 10)
        reading.high = None if reading.high is None else numerals.scale(reading.high, 10)
        reading.end = end + 1
        reading.lone = False
        if reading.high is None and text.startswith("半", end + 1) and _word_fits(text, "半", end + 1, limit):
            reading.value = numerals.EXACT.add(reading.value, Decimal(5))  # 三成半 = 35 %
            reading.end += 1
    elif ch == "折" and not reading.multiplier and reading.high is None and 0 < value < 100 \
            and _word_fits(text, "折", end, limit):
        if value < 10:
            reading.value = numerals.scale(value, 10)  # 八折 = 80 %, 7.5折 = 75 %
        elif value != value.to_integral_value():
            return
        reading.kind, reading.percent = "zhe", "%"
        reading.end = end + 1
        reading.lone = False
    elif ch == "打" and not reading.multiplier and reading.high is None and value == value.to_integral_value() \
            and 0 < value < 100 and _word_fits(text, "打", end, limit):
        reading.value = numerals.scale(value, 12)
        reading.end = end + 1
        reading.counted = True
        reading.lone = False
    elif ch in "余多" and end + 1 < limit and text[end + 1] in "十百千万亿萬億":
        multiplier = numerals.multiplier_at(text, end + 1, limit)
        if multiplier:  # 十多万 = 100000 to 200000
            scale = numerals.MULTIPLIERS[multiplier]
            reading.bound = numerals.scale(numerals.EXACT.add(value, place(value)), scale)
            reading.value = numerals.scale(value, scale)
            reading.high = None
            reading.approx = True
            reading.end = end + 1 + len(multiplier)
            reading.multiplier = multiplier
            reading.lone = False
    elif ch == "又" and reading.high is None:
        denominator = numerals.read_numeral(text, end + 1, limit)
        if denominator is None or not text.startswith("分之", denominator.end) or denominator.value.is_zero():
            return
        numerator = numerals.read_numeral(text, denominator.end + 2, limit)
        if numerator is None:
            return
        if value != value.to_integral_value():
            return
        # one division of the whole: 两又三分之一 = 7/3, to 28 significant digits
        reading.value = numerals.divide(numerals.EXACT.add(numerals.EXACT.multiply(value, denominator.value),
                                                           numerator.value), denominator.value)
        reading.kind = "fraction"
        reading.end = numerator.end
        reading.lone = False


def place(value: Decimal) -> Decimal:
    """One of the last written place of `value`: 100 → 100, 120 → 10, 3.5 → 0.1 (十余: below 10 + 10)."""
    if value.is_zero():
        return Decimal(1)
    exponent = value.normalize(numerals.EXACT).as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(1).scaleb(exponent, numerals.EXACT)


_UNIT_WIDTHS: dict[str, int] = {}  # filled on first use by _unit_widths (looked up for every number)


def _unit_widths() -> dict[str, int]:
    """First character of a unit → the longest surface starting with it, plus one (its not_before character)."""
    if not _UNIT_WIDTHS:
        for first, entries in units._entries_by_first_char().items():  # noqa: SLF001 - the same floor
            _UNIT_WIDTHS[first] = max(len(e.surface) for e in entries) + 1
    return _UNIT_WIDTHS


@lru_cache(maxsize=8192)
def _unit_in(written: str, limit: int) -> units.UnitMatch | None:
    return units.unit_at(written, 0, limit)


@cache
def _compound_reach() -> tuple[int, int]:
    """How many characters a compound unit is read from at once (four units of the longest surface, each
    with its mark, and the character after them), and how far from that reach a unit must end for the
    reading to have looked at nothing beyond it (a mark, the next unit's longest surface and its character)."""
    longest = max(_unit_widths().values())  # the longest surface, and its character after it
    return 4 * longest + 1, longest + 1


def unit_here(text: str, pos: int, limit: int) -> tuple[units.UnitMatch, int] | None:
    """The unit written at text[pos:limit] and where it ends; units.unit_at, read once per written form:
    the unit at a position depends on no more than its longest surface and the character after it, and a
    compound unit (a "/" within that reach) on no more than a few units, their marks and the character after
    the last. The UnitMatch's own `end` is relative: use the end given."""
    if pos >= limit:
        return None
    width = (_UNIT_WIDTHS or _unit_widths()).get(text[pos])
    if width is None:
        return None
    written = text[pos:pos + width]
    if "/" in written:  # perhaps a compound unit, which may reach beyond `written`
        reach, margin = _compound_reach()
        unit = _unit_in(text[pos:pos + reach], min(limit - pos, reach))
        if unit is not None and unit.end + margin >= reach:
            # it may go on beyond what was read (or a denominator beyond it was not tried): read it in full
            whole = units.unit_at(text, pos, limit)
            return None if whole is None else (whole, whole.end)
    else:
        unit = _unit_in(written, min(limit - pos, width))
    return None if unit is None else (unit, pos + unit.end)


_PERCENT_UNITS = {"%": units.UnitMatch("%", 1, "percent", "ratio"), "‰": units.UnitMatch("‰", 1, "permille", "ratio"),
                  "‱": units.UnitMatch("‱", 1, "permyriad", "ratio")}


def read_inner_approx_and_unit(text: str, reading: Reading, limit: int, *, chinese: bool) -> None:
    """余/多/来 after the number (part of its surface: 百余户), then the unit (data/units.tsv)."""
    pos = reading.end
    if pos < limit and text[pos] in _APPROX_INNER and reading.high is None:
        unit_after = unit_here(text, pos + 1, limit)
        if unit_after is not None or (text[pos] != "来" and (pos + 1 >= limit or not is_cjk(text[pos + 1]))):
            reading.approx = True
            if text[pos] != "来" and reading.value is not None and reading.bound is None:
                reading.bound = numerals.EXACT.add(reading.value, place(reading.value))
            pos += 1
            reading.end = reading.number_end = pos
    if reading.percent:
        reading.unit, reading.unit_end = _PERCENT_UNITS[reading.percent], pos
        reading.dimension = "ratio"
        return
    found = unit_here(text, pos, limit)
    if found is None and pos + 1 < limit and text[pos] == " " and not chinese:
        found = unit_here(text, pos + 1, limit)  # "103 个": a stray space before the unit
    if found is not None:
        reading.unit, reading.unit_end = found
        reading.dimension = found[0].dimension
        reading.end = found[1]


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


_ORDINAL = "第"  # before a number: an ordinal
_SIGNS = frozenset("-负負")  # before a number: its sign


def read_context(text: str, reading: Reading, limit: int, gap_start: int) -> None:
    """What stands around the number: sign, 第, approximations, name suffixes, hotline numbers."""
    start = reading.start
    before = text[start - 1] if start > gap_start else ""
    if before == _ORDINAL:
        reading.start -= 1
        reading.skip = "ordinal"
        return
    if before in _SIGNS and reading.value is not None:
        before2 = text[start - 2] if start - 1 > gap_start else ""
        if not before2 or not (before2.isdigit() or before2 in _CN_NUM or before2.isascii() and before2.isalpha()):
            reading.value = -reading.value
            if reading.high is not None:
                reading.high = -reading.high
            if reading.bound is not None:
                reading.bound = -reading.bound
            reading.start -= 1
    if before and before in _APPROX_BEFORE_1:
        if start - 2 >= gap_start and text[start - 2:start] in _APPROX_BEFORE_2:
            reading.approx = True  # 大约, 将近, 接近
        elif not (start - 2 >= 0 and text[start - 2] in _APPROX_NOT_AFTER.get(before, ())):
            reading.approx = True
    end = reading.end
    if reading.unit is None and not reading.kind and not reading.counted:
        if end < limit and text[end] in _SUFFIX_FIRST:
            reading.skip = suffix_reason(text, reading, limit)
            if reading.skip:
                return
        if end - start in (3, 5) and text[start:end] in _hotlines() and (
                named_pattern("non-space").search(text, 0, start) or named_pattern("non-space").search(text, end)):
            # alone in its text (a table cell: 商贸流通 | 120 | 28) it is the number its digits write
            reading.skip = "hotline"
            return
    if end + 1 < limit and text[end:end + 2] in _APPROX_AFTER:
        reading.approx = True


# the plain figure: Arabic digits with at most one point, perhaps a multiplier (万, 亿 …), nothing around them
# that the general reading would act on. Most figures of a document are plain (30家, 1.5%, 120吨, 296.5万吨标准煤);
# read_plain reads them in one go.
_PLAIN = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,9})?")
_MULTIPLIER_FIRST = frozenset(m[0] for m in numerals.MULTIPLIERS)
# after the number: more of it (separators, an exponent, a Chinese numeral), the words of a number (成 折 分之
# …, 余 多 来) or a range mark; before it: a sign, 第 or an approximation word
_NOT_PLAIN_AFTER = frozenset("0123456789,. eE" + _CN_NUM + _RANGE_SEP) | _WORD_AFTER | _APPROX_INNER
_NOT_PLAIN_BEFORE = frozenset(_ORDINAL) | _SIGNS | _APPROX_BEFORE_1


def read_plain(text: str, start: int, gap_start: int, limit: int, not_after_unit: frozenset[str]
               ) -> tuple[int, Decimal, units.UnitMatch | None, bool] | None:
    """The plain figure at text[start] (an ASCII digit) as read_at, read_inner_approx_and_unit and
    read_context would read it: (end, value, unit, approx after it). None when the figure is not plain and
    wants the general reading: ten digits or more, a character of _NOT_PLAIN_BEFORE before it or of
    _NOT_PLAIN_AFTER after it, a multiplier followed by a numeral (5亿1万), a name suffix or hotline with no
    unit, or after the unit a character of `not_after_unit` (the caller's: what it reads after a unit) or a
    range mark."""
    m = _PLAIN.match(text, start, limit)
    assert m is not None
    end = m.end()
    if end - start >= 10 or (start > gap_start and text[start - 1] in _NOT_PLAIN_BEFORE):
        return None
    after = text[end] if end < limit else ""  # ("" is in none of the sets below)
    if after in _MULTIPLIER_FIRST and (multiplier := numerals.multiplier_at(text, end, limit)):
        end += len(multiplier)
        after = text[end] if end < limit else ""
        if after in _CN_OR_ARABIC:  # 5亿1万: the general reading's
            return None
        value = numerals.shifted(m.group(), multiplier)
        if value is None:
            return None
    else:
        value = Decimal(m.group())
    if after in _NOT_PLAIN_AFTER:
        return None
    found = unit_here(text, end, limit) if after in (_UNIT_WIDTHS or _unit_widths()) else None
    if found is None:
        if after in _SUFFIX_FIRST or (end - start in (3, 5) and text[start:end] in _hotlines()):
            return None
        unit = None
    else:
        unit, end = found
        if end < limit and (text[end] in not_after_unit or text[end] in _RANGE_SEP):
            return None
    return end, value, unit, end + 1 < limit and text[end:end + 2] in _APPROX_AFTER


def suffix_reason(text: str, reading: Reading, limit: int) -> str | None:
    """号, 级, 期 … after a number make it a name (5号楼, 三级医院); extend the reading over the suffix."""
    for suffix, reason in _suffixes():
        if text.startswith(suffix, reading.end) and reading.end + len(suffix) <= limit:
            reading.end += len(suffix)
            return reason
    return None


def approx_before(text: str, start: int) -> bool:
    """近百户, 约千人: an approximation word before a lone 百/千 makes it a number."""
    return start > 0 and text[start - 1] in _APPROX_BEFORE_1


def kind_of(reading: Reading) -> str:
    if reading.kind:
        return reading.kind
    value = reading.value
    assert value is not None
    return "integer" if value == value.to_integral_value() else "decimal"


# ---------------------------------------------------------------------------------------------------------
# the number reader

def _read_one(text: str, m: re.Match[str], limit: int) -> Reading | None:
    """A number with what is written right after it: 余/多/来, a percent sign (part of the number), the
    unit (read, not part of the number)."""
    reading = read_at(text, m, limit)
    if reading is None or reading.skip is not None or reading.value is None:
        return reading
    read_inner_approx_and_unit(text, reading, limit, chinese=reading.chinese)
    unit = reading.unit
    if unit is not None and unit.surface in _PERCENT_SIGNS and not reading.kind:
        reading.kind, reading.percent = _PERCENT_SIGNS[unit.surface], unit.surface
        reading.number_end = reading.unit_end
    elif unit is None and not reading.kind and text.startswith("‱", reading.number_end):
        reading.kind, reading.percent = "permyriad", "‱"  # no unit of data/units.tsv (pint has none)
        reading.end = reading.number_end = reading.number_end + 1
    return reading


def _read_range(text: str, reading: Reading, limit: int) -> None:
    """1-5万, 3至5, 10~15, 两到三, 5%-8%: extend the number over the high end. No range across a unit
    other than a percent sign (2家-3家 are two numbers)."""
    pos = reading.number_end
    if pos + 1 >= limit or text[pos] not in _RANGE_SEP or reading.value is None or reading.high is not None \
            or reading.bound is not None:
        return
    m = CANDIDATE.match(text, pos + 1, limit)
    if m is None or m.lastgroup not in ("ar", "exp", "cn"):
        return
    high = _read_one(text, m, limit)
    if high is None or high.value is None or high.skip is not None or high.high is not None or high.bound is not None:
        return
    if reading.chinese != high.chinese:
        return  # 3-五: no range
    if reading.kind and reading.kind != high.kind:
        return
    low = reading.value
    if not reading.kind:
        low_scaled = any(ch in "万亿千百萬億" for ch in text[reading.start:reading.number_end])  # 1万-5万
        if high.multiplier and not low_scaled and high.kind in ("", "percent", "permille"):
            low = numerals.apply_multiplier(low, high.multiplier)
        if high.kind in ("cheng", "zhe"):
            low = numerals.scale(low, 10)  # 七到八成
        elif high.kind == "fraction":
            return
    if high.value < low:
        return  # 58-1 is no range
    reading.value, reading.high = low, high.value
    reading.kind, reading.percent = high.kind, high.percent
    reading.approx = reading.approx or high.approx
    reading.unit, reading.unit_end, reading.dimension = high.unit, high.unit_end, high.dimension
    reading.end, reading.number_end = high.end, high.number_end


def _lone_in_a_word(text: str, reading: Reading, limit: int) -> bool:
    """一直, 三星, 百姓, 千万不要: one Chinese numeral character, or magnitudes alone, right before a Chinese
    character that is no unit."""
    if not reading.chinese or reading.kind or reading.counted or reading.approx or reading.high is not None:
        return False
    if not (reading.end - reading.start == 1 or reading.lone):
        return False
    after = reading.end
    if after >= limit or not is_cjk(text[after]):
        return False
    return unit_here(text, after, limit) is None


def _matches_not_after(pattern: re.Pattern[str], text: str, start: int, end: int,
                       not_after: frozenset[str] | str) -> list[re.Match[str]]:
    """The non-empty matches of `pattern` in text[start:end] that do not follow a character of `not_after`
    (checked on each match rather than by a leading look-behind, which would stop the engine skipping ahead);
    a refused match is tried again one character on."""
    found: list[re.Match[str]] = []
    search = pattern.search
    pos = start
    while (m := search(text, pos, end)) is not None:
        at = m.start()
        if at > 0 and text[at - 1] in not_after:
            pos = at + 1
            continue
        if m.end() > at:
            found.append(m)
        pos = max(m.end(), at + 1)
    return found


def scan_numbers(text: str) -> NumberScan:
    """Every number in `text` and every numeral that is not one, with spans into `text`."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    found, skipped = _scan(text, want_skipped=True)
    return NumberScan(text=text, numbers=found, skipped=skipped)


def extract_numbers(text: str) -> list[Number]:
    """Every number in `text`, in order, in any written form, whether or not a unit follows. See the
    module docstring for what is read how."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    return _scan(text, want_skipped=False)[0]


def parse_number(text: str) -> Decimal | None:
    """The value of a text that is one whole, exact number in any written form ("拾万零五十六" → 100056,
    "九成" → 90, "三分之二" → 0.666…7 to 28 digits, "1.728万" → 17280, "-3.2" → -3.2); spaces around it are
    ignored. None when the text is anything more or less than one number: a word, a name or a date, two
    numbers or a range (1-5万, 三四), an approximate amount (十余, 数十, 约300: extract_numbers gives their
    bounds), a number with a unit (十五户)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    stripped = text.strip()
    norm = normalize(stripped)
    if not stripped or not named_pattern("number start").search(norm.text):
        return None
    readings = list(iter_readings(norm.text))
    if len(readings) != 1:
        return None
    reading = readings[0]
    if reading.skip in ("identifier", "hotline") and named_pattern("digits").fullmatch(norm.text):
        return Decimal(norm.text)  # alone, a telephone or hotline number is still the number its digits write
    if reading.skip is not None or reading.value is None or reading.high is not None or reading.bound is not None \
            or reading.approx:
        return None  # not a number, two of them (1-5万, 三四), or an amount given by bounds (十余, 数十, 约300)
    if norm.span_in_original(reading.start, reading.end) != (0, len(stripped)):
        return None
    return reading.value


def _scan(text: str, *, want_skipped: bool) -> tuple[list[Number], list[SkippedSpan]]:
    norm, present = normalized(text)
    work = norm.text
    found: list[Number] = []
    skipped: list[SkippedSpan] = []
    if present.isdisjoint(_NUMBER_START):
        return found, skipped
    new_number = _number_constructor()
    for reading in iter_readings(work, present):
        o_start, o_end = norm.span_in_original(reading.start, reading.end)
        if reading.skip is not None or reading.value is None:
            if want_skipped:
                skipped.append(SkippedSpan(text=text[o_start:o_end], start=o_start, end=o_end,
                                           reason=reading.skip or "unreadable number"))
            continue
        high = reading.high if reading.high is not None else reading.bound
        found.append(new_number(text=text[o_start:o_end], start=o_start, end=o_end, value=reading.value,
                                 kind=kind_of(reading), unit=reading.percent, approx=reading.approx, high=high))
    skipped.sort(key=lambda s: s.start)
    return found, skipped


def iter_readings(work: str, present: set[str] | None = None) -> Iterator[Reading]:
    """Every number reading and skipped span of the normalized text `work`, in text order of each sentence.
    `present`: the characters of _SURVEY in work, when the caller has them."""
    found, wide = pieces(work, present)
    for s_start, s_end, present in found:
        protected = protected_spans(work, s_start, s_end, wide, present)
        cursor = s_start
        for p_start, p_end, reason in protected:
            if named_pattern("numeral").search(work, p_start, p_end):
                skip = Reading(p_start, p_end, None)
                skip.skip = reason
                yield skip
            if cursor < p_start:
                yield from _read_gap(work, cursor, p_start)
            cursor = p_end
        if cursor < s_end:
            yield from _read_gap(work, cursor, s_end)


def candidates(work: str, gap_start: int, gap_end: int, cursor: list[int]) -> Iterator[re.Match[str]]:
    """The candidate matches of work[gap_start:gap_end] in order, each starting at or after cursor[0], which
    the caller moves past what it has read: the matches a search of CANDIDATE from the cursor would find
    each time. CANDIDATE is an alternation of named groups, which the engine cannot skip ahead in (it tries
    every alternative at every position); so the characters a candidate can start with are found first,
    with one finditer, and CANDIDATE is matched only there."""
    match = CANDIDATE.match
    for first in named_pattern("candidate first").finditer(work, gap_start, gap_end):
        at = first.start()
        if at < cursor[0]:
            continue
        m = match(work, at, gap_end)
        if m is not None:
            yield m


def _read_gap(work: str, gap_start: int, gap_end: int):
    cursor = [gap_start]
    for m in candidates(work, gap_start, gap_end, cursor):
        try:
            reading = _read_one(work, m, gap_end)
            if reading is None:
                cursor[0] = m.start() + 1
                continue
            if reading.skip is None and reading.value is not None:
                _read_range(work, reading, gap_end)
                read_context(work, reading, gap_end, gap_start)
                if reading.skip is None:
                    reading.end = reading.number_end  # the unit is not part of the number
                    if _lone_in_a_word(work, reading, gap_end):
                        reading.skip = "word"
        except (ArithmeticError, ValueError):  # an absurd numeral is reported, never raised
            reading = Reading(m.start(), m.end(), None)
            reading.skip = "unreadable number"
        cursor[0] = max(reading.end, m.end())
        yield reading
        unit_start = reading.number_end
        if reading.skip is None and reading.unit is not None and reading.unit_end > unit_start >= reading.end \
                and named_pattern("numeral").search(work, unit_start, reading.unit_end):
            # a unit that holds a numeral (千米, 兆瓦, m2) is passed over, its numeral accounted for
            in_unit = Reading(unit_start, reading.unit_end, None)
            in_unit.skip = "unit"
            cursor[0] = reading.unit_end
            yield in_unit
