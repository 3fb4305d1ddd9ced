"""Stage 2b: the written forms of years, dates and periods ("2017年", "6月30日", "1-5月份", "前5个月",
"第二季度"). They hold numerals but are not quantities: quantities.py reports them as skipped spans
(reason "year", "date" or "period") and periods.py reads what they mean.

All patterns work on normalized text (normalize.py): dashes are "-", full-width digits ASCII.
"""
from __future__ import annotations

import re
from typing import NamedTuple
from functools import cache

from ..text.lexicon import atom as lexicon_atom, rows, words
from .numerals import DIGITS_1_TO_9, PLAIN_DIGITS, TEN, TWO_DIGITS


def atom(role: str) -> str:
    """The words of data/time_words.tsv with this role as one regular-expression atom (lexicon.atom)."""
    return lexicon_atom("time_words.tsv", role)


def _firsts(role: str) -> str:
    """The characters the words with this role start with (an anchor, or a gate)."""
    return "".join(sorted({w[0] for w in words("time_words.tsv", role)}))


def _lasts(role: str) -> str:
    """The characters the words with this role end with: one of them is in every one of the words."""
    return "".join(sorted({w[-1] for w in words("time_words.tsv", role)}))


def meanings(role: str) -> dict[str, str]:
    """word → meaning of the words with this role (data/time_words.tsv's third column)."""
    return {r[0]: (r[2] if len(r) > 2 else "") for r in rows("time_words.tsv") if r[1] == role}


_CN_D = DIGITS_1_TO_9
_ONE_TWO = DIGITS_1_TO_9[:2]     # 十一, 十二 (months)
_TWO_THREE = DIGITS_1_TO_9[1:3]  # 二十, 三十 (days)
ZERO_DIGITS = _ZEROS = "".join(c for c, v in PLAIN_DIGITS.items() if v == 0)
_ONE_TO_FOUR = DIGITS_1_TO_9[:4]  # quarters
COUNT_DIGITS = _CN_D + TEN + TWO_DIGITS  # a count of months or years in words (三个月, 十年, 两年)
YEAR_MARK = atom("year")
MONTH_MARK = atom("month")
RANGE_WORDS = atom("range")
MONTH = rf"(?:1[0-2]|0?[1-9]|{TEN}[{_ONE_TWO}]?|[{_CN_D}])"
DAY = rf"(?:3[01]|[12][0-9]|0?[1-9]|[{_TWO_THREE}]?{TEN}[{_CN_D}]?|[{_CN_D}])"
YEAR = rf"(?:(?:19|20)[0-9]{{2}}|[{_ZEROS}{_ONE_TWO}][{_ZEROS}{_CN_D}]{{3}})"
# whitespace that is no line break: a time expression never runs over a line (nor over 。；!?, which no
# pattern matches), so that a text can be read sentence by sentence or a few sentences at a time alike
_S = r"[^\S\n\r]"
SEP = rf"{_S}?(?:[-~]|{RANGE_WORDS}){_S}?"
_MONTH_TAIL = rf"{atom('month_tail')}?"
_DAY_MARK = atom("day")
_WHOLE_MONTH = "(?:" + re.escape(next(w for w, m in meanings("month_tail").items() if m == "whole")) + ")"  # 份
CLASSIFIER = atom("classifier")
QUARTER_MARK = atom("quarter")
_Y, _M, _CL, _QUARTER = YEAR_MARK, MONTH_MARK, CLASSIFIER, QUARTER_MARK
_COUNT = rf"(?:[0-9]{{1,2}}|[{COUNT_DIGITS}]{{1,3}})"


class TimePattern(NamedTuple):
    """A family of time expressions in one regular expression: its alternatives, in order, are named groups
    (see `alternatives`); at a position the first that matches wins, and each family lists its forms longest
    first, so that this is the longest form written there.

    gate: the characters the family needs, a tuple of groups, each of which must have a character in the
    text (min_count of them in all), so that a sentence with no 年, 月, 日 or 季 runs none of them (most
    sentences). An alternative's not_after: characters that may not stand right before its match (a
    look-behind, checked on each match instead of at every position).

    Where to look: every match holds a match of `anchor` (a pattern: 年 for the year family) that starts at
    most `before` characters after its own start. A regular expression of alternatives cannot skip ahead (the
    engine tries each of them at each position of the text, which made these families the slowest part of
    reading a sentence); the reader finds an anchor instead and searches the pattern from `before` characters
    before it (matches()). A family whose every
    match starts with the same short pattern (`lead`: a year, 2017 or 二〇一七) is looked for by that pattern
    instead: a sentence with 全年 or 年度 and no year then costs one search. A lead starts with a character
    class, so that the engine skips ahead to its characters."""

    pattern: re.Pattern[str]
    alternatives: dict[str, tuple[str, str]]  # group name → (reason, not_after)
    gate: tuple[str, ...]
    anchor: re.Pattern[str]
    before: int
    min_count: int = 1
    lead: re.Pattern[str] | None = None


class _Family(NamedTuple):
    """What a TimePattern is made of, before its regular expressions are compiled (on first use: compiling
    them all costs a tenth of a second of the command line's start, and most sentences need none)."""

    gate: tuple[str, ...]
    anchor: str  # a pattern (mostly a character class)
    before: int
    forms: tuple[tuple[str, str, str], ...]  # (pattern, reason, not_after), longest first
    min_count: int = 1
    lead: str = ""  # what every match starts with (a pattern), if that is selective enough to be searched for


def _family(gate: tuple[str, ...], anchor: str, before: int, *forms: tuple[str, str, str],
            min_count: int = 1, lead: str = "") -> _Family:
    return _Family(gate, anchor, before, forms, min_count, lead)


@cache
def compiled(index: int) -> TimePattern:
    """The family TIME_FAMILIES[index], compiled (once)."""
    spec = TIME_FAMILIES[index]
    alternatives = {f"t{i}": (reason, not_after) for i, (_, reason, not_after) in enumerate(spec.forms)}
    pattern = re.compile("|".join(f"(?P<t{i}>{form})" for i, (form, _, _) in enumerate(spec.forms)))
    return TimePattern(pattern, alternatives, spec.gate, re.compile(spec.anchor),
                       spec.before, spec.min_count, re.compile(spec.lead) if spec.lead else None)


_YEAR_FIRST = "12" + _ZEROS + _ONE_TWO
# YEAR written to start with one character class (so that a search skips ahead to 1, 2, 〇, 零, 一, 二)
_YEAR_LEAD = rf"[{_YEAR_FIRST}](?:(?<=1)9[0-9]{{2}}|(?<=2)0[0-9]{{2}}|(?<=[{_ZEROS}{_ONE_TWO}])[{_ZEROS}{_CN_D}]{{3}})"

TIME_FAMILIES: tuple[_Family, ...] = (
    # before: YEAR SEP YEAR 年 puts the first 年 13 characters after the start (2022 - 2025年)
    _family(
        (_firsts("year"),), f"[{_firsts('year')}]", 13,
        # 2017年6月30日
        (rf"{YEAR}{_S}?{_Y}{_S}?{MONTH}{_S}?{_M}{_S}?{DAY}{_S}?{_DAY_MARK}", "date", ""),
        # 2020年1月至8月, 2020年1-8月
        (rf"{YEAR}{_S}?{_Y}{_S}?{MONTH}{_S}?{_M}?{_MONTH_TAIL}{SEP}(?:{YEAR}{_S}?{_Y}{_S}?)?{MONTH}{_S}?{_M}{_MONTH_TAIL}",
         "period", ""),
        (rf"{YEAR}{_S}?{_Y}{_S}?{MONTH}{_S}?{_M}{_MONTH_TAIL}", "date", ""),
        # 2022-2025年, 2019至2020年度
        (rf"{YEAR}{_S}?{_Y}?{SEP}{YEAR}{_S}?{_Y}{atom('fiscal_year_tail')}?", "year", ""),
        (rf"{YEAR}{_S}?{_Y}{atom('year_tail')}?", "year", ""),
        lead=_YEAR_LEAD,
    ),
    # 2020-01-10, 2017.6.30, 2017/6/30
    # (anchored on the month between its two marks: the gate opens on any two decimal points)
    _family(("-/.",), rf"[-/.]{MONTH}[-/.]", 4,
            (rf"{YEAR}[-/.]{MONTH}[-/.]{DAY}(?![0-9])", "date", "0123456789."), min_count=2),
    # before: MONTH 份 SEP MONTH 月 puts the first 月 10 characters after the start (12 份 - 12 月)
    _family(
        (_firsts("month"),), f"[{_firsts('month')}]", 10,
        # 7月23-8月28日, 6月1日至6月30日, 8月1-15日
        (rf"{MONTH}{_S}?{_M}{_S}?{DAY}{_S}?{_DAY_MARK}?{SEP}(?:{MONTH}{_S}?{_M}{_S}?)?{DAY}{_S}?{_DAY_MARK}", "period", ""),
        # 6月30日
        (rf"{MONTH}{_S}?{_M}{_S}?{DAY}{_S}?{_DAY_MARK}", "date", ""),
        # 1-5月, 1—5月份, 1月至8月, 1月-12月
        (rf"{MONTH}{_S}?{_M}?{_WHOLE_MONTH}?{SEP}{MONTH}{_S}?{_M}{_MONTH_TAIL}", "period", "0123456789"),
        # 6月, 6月份, 6月底
        (rf"{MONTH}{_S}?{_M}{_MONTH_TAIL}", "period", "0123456789"),
    ),
    # 第二季度, 前三季度, 一季度, 2季度 (a match may start with a space: 第 absent, whitespace present)
    _family((_firsts("quarter"),), f"[{_firsts('quarter')}]", 10,
            (rf"{atom('quarter_lead')}?{_S}?[1-4{_ONE_TO_FOUR}]{_S}?(?:{SEP}[1-4{_ONE_TO_FOUR}]{_S}?)?{_CL}?{_QUARTER}",
             "period", "")),
    # 前5个月, 近三年, 最近3个月
    _family((_lasts("lead"), _firsts("month") + _firsts("year")), f"[{_firsts('month')}{_firsts('year')}]", 8,
            (rf"{atom('lead')}{_S}?{_COUNT}{_S}?{_CL}?(?:{_M}|{_Y})", "period", "")),
    # 2年内, 三年来, 三年以来
    _family((_firsts("year"), _lasts("span_tail")), f"[{_firsts('year')}]", 5,
            (rf"{_COUNT}{_S}?{_CL}?{_Y}{atom('span_tail')}", "period", "")),
    # a day of the month on its own: 15日 (not 15日内, a duration)
    _family((_firsts("lone_day"),), f"[{_firsts('lone_day')}]", 3,
            (rf"{DAY}{_S}?{atom('lone_day')}(?!{atom('not_after_day')})", "date", "0123456789.")),
)
# every character some gate asks for
GATE_CHARS = "".join(sorted({c for family in TIME_FAMILIES for group in family.gate for c in group}))


def gate_open(family: TimePattern | _Family, present: set[str] | frozenset[str]) -> bool:
    return all(not present.isdisjoint(group) for group in family.gate)


def families_for(present: set[str] | frozenset[str]) -> tuple[TimePattern, ...]:
    """The compiled families whose gates `present` opens, in order."""
    return tuple(compiled(i) for i, family in enumerate(TIME_FAMILIES) if gate_open(family, present))


def matches(family: TimePattern, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, reason) of the family's non-overlapping matches in text[start:end], leftmost first and
    at each start the longest form. A form that starts inside an earlier match is not looked for: where
    that matters (the earlier match loses to an overlapping span of another kind, in 2021年12月16日至12月23日
    the period 12月16日至12月23日 to the date 2021年12月16日), the caller asks again from where that span
    ends (numbers.protected_spans)."""
    if family.min_count > 1:
        seen = 0
        for group in family.gate:
            for c in group:
                seen += text.count(c, start, end)
        if seen < family.min_count:
            return []
    if family.lead is not None:
        return _matches_by_lead(family, text, start, end)
    found: list[tuple[int, int, str]] = []
    anchor, search = family.anchor.search, family.pattern.search
    pos = start
    while pos < end:
        a = anchor(text, pos, end)
        if a is None:
            break
        # the leftmost match from the first start the anchor allows: the engine tries the starts in one
        # search (no match starts earlier: every match holds an anchor at most `before` after its start)
        m = search(text, max(pos, a.start() - family.before), end)
        if m is None:
            break
        hit = _hit(family, text, m)
        if hit is None:
            pos = m.start() + 1
        else:
            found.append(hit)
            pos = hit[1]
    return found


def _matches_by_lead(family: TimePattern, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """matches() for a family with a lead: the pattern is tried where the lead is found, leftmost first."""
    assert family.lead is not None
    found: list[tuple[int, int, str]] = []
    lead, match = family.lead.search, family.pattern.match
    pos = start
    while pos < end:
        found_lead = lead(text, pos, end)
        if found_lead is None:
            break
        at = found_lead.start()
        m = match(text, at, end)
        hit = _hit(family, text, m) if m is not None else None
        if hit is None:
            pos = at + 1
        else:
            found.append(hit)
            pos = hit[1]
    return found


def _hit(family: TimePattern, text: str, m: re.Match[str]) -> tuple[int, int, str] | None:
    """(start, end, reason) of a match of the family's pattern; None when it is empty or its form may not
    follow the character before it."""
    at = m.start()
    reason, not_after = family.alternatives[m.lastgroup or ""]
    if m.end() == at or (not_after and at > 0 and text[at - 1] in not_after):
        return None
    return at, m.end(), reason


def find_time_expressions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, reason) of every time expression, longest first where they overlap."""
    found: list[tuple[int, int, str]] = []
    for family in families_for(set(text)):
        spans = matches(family, text, 0, len(text))
        # the forms inside each match, as separate patterns would find them
        for start, end, _ in list(spans):
            spans.extend(m for m in matches(family, text, start + 1, len(text)) if m[0] < end)
        found.extend(spans)
    return found
