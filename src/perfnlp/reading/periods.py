"""Stage 4a: periods and the document's time context.

Reads what the time expressions found by quantities.py (skipped spans "year", "date", "period") and the
numeral-free ones (上半年, 全年, 截至目前 …) mean: the days they cover, the day the text reports to
(`as_of`), and the share of the year elapsed by then (`elapsed`, 序时进度: whole months plus the elapsed
part of the current month, over 12).

Which periods give a progress text its `as_of` (GOLD.md): cut-offs (截至6月底, 截止6月20日), cumulative spans
from the start of the year (1-5月, 前5个月, 上半年, 前三季度, 全年), quarters (第一季度) and whole months
written 6月份. Event dates (11月17日举办, 12月完成) and plans (预计9月, 年底前, 11月底之前) do not. A period
with no year takes the context's year.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from bisect import bisect_right, insort
from functools import cache
from typing import NamedTuple

from ..text.model import BaseModel, ConfigDict

from ..text.clauses import CLAUSE_MARKS, boundaries
from ..text.context import Context
from ..text.lexicon import alternatives, rows, words
from ..text.normalize import fold
from ..text.patterns import LazyPattern
from .numerals import DIGITS_1_TO_9, TEN, TWO_DIGITS, parse_number
from .quantities import Scan, scan
from .timeexpr import CLASSIFIER, MONTH_MARK, QUARTER_MARK, RANGE_WORDS, YEAR, YEAR_MARK, ZERO_DIGITS, atom, meanings


class Period(BaseModel):
    """A time expression and the days it covers. `text == original[start:end]`."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int
    end: int
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    as_of: dt.date | None = None   # the last day covered, when the text reports progress to it
    elapsed: float | None = None   # share of the year elapsed at last_day (序时进度)
    kind: str = "period"           # "cutoff" | "cumulative" | "quarter" | "month" | "event" | "plan" | "year" | "open"
    plan: bool = False             # a deadline or an expectation (年底前, 预计9月), not progress


def elapsed_share(day: dt.date) -> float:
    """序时进度 at the end of `day`: (whole months elapsed + elapsed part of this month) / 12."""
    days_in_month = calendar.monthrange(day.year, day.month)[1]
    return round((day.month - 1 + day.day / days_in_month) / 12, 6)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


_WINDOW = 64  # how far back of a period its clause is read (reading.WINDOW)
_MONTH_TAILS = meanings("month_tail")   # 份 whole, 底 end …
_WHOLE_MONTH = next(w for w, m in _MONTH_TAILS.items() if m == "whole")  # 6月份
_QUARTER_LEADS = meanings("quarter_lead")  # 第, and 前 (前三季度: from the first quarter)


def _alternatives(role: str) -> str:
    """The words of data/period_words.tsv with this role, as alternatives (longest first)."""
    return alternatives("period_words.tsv", role)


class _Patterns(NamedTuple):
    year_in: LazyPattern             # 2017年, 二〇一七年 at the start of a span
    month_day: LazyPattern           # 6月30日, 6月底, 6月份
    range_start: LazyPattern         # the first month of 1-5月
    range: LazyPattern               # - ~ 至 到
    span_of_years: LazyPattern       # 2022-2025年
    quarter: LazyPattern             # 第二季度, 前三季度, 1-2季度
    leading_months: LazyPattern      # 前5个月
    cutoff_before: LazyPattern       # 截至, 截止到目前 … right before a period
    not_reported_after: LazyPattern  # 数据未出, 尚未 … right after one
    result_after: LazyPattern        # a review's result after a bare year (下降3.8%)
    year_right_before: LazyPattern   # 2017年 right before 上半年
    plan_if_ahead: frozenset[str]        # 于


@cache
def _patterns() -> _Patterns:
    """The patterns a period is read with, each compiled on first use (a sentence with no period needs none,
    most texts need some only)."""
    number = rf"([0-9]{{1,4}}|[{DIGITS_1_TO_9}{TEN}{ZERO_DIGITS}{TWO_DIGITS}]{{1,4}})"
    range_ = rf"(?:[-~]|{RANGE_WORDS})"
    quarter_digits = "1-4" + DIGITS_1_TO_9[:4]
    leading = "|".join(re.escape(w) for w, m in meanings("lead").items() if m == "cumulative")  # 前5个月
    return _Patterns(
        year_in=LazyPattern(rf"({YEAR})\s?{YEAR_MARK}?"),
        month_day=LazyPattern(number + rf"\s?{MONTH_MARK}(?:\s?" + number + rf"\s?{atom('day')}?)?\s?"
                              rf"({atom('month_tail')})?"),
        range_start=LazyPattern(number + rf"\s?{MONTH_MARK}?(?:{re.escape(_WHOLE_MONTH)})?\s?{range_}"),
        range=LazyPattern(range_),
        span_of_years=LazyPattern(rf"[-~—]|{RANGE_WORDS}"),
        quarter=LazyPattern(rf"({atom('quarter_lead')})?\s?(?:([{quarter_digits}])\s?{range_}\s?)?([{quarter_digits}])\s?"
                            rf"{CLASSIFIER}?{QUARTER_MARK}"),
        leading_months=LazyPattern(rf"(?:{leading})\s?" + number + rf"\s?{CLASSIFIER}?{MONTH_MARK}"),
        cutoff_before=LazyPattern(rf"(?:{_alternatives('cutoff')})\s?(?:{_alternatives('cutoff_now')})?\s?$"),
        not_reported_after=LazyPattern(rf"^\s?(?:{_alternatives('unreported_link')})?"
                                       rf"(?:{_alternatives('unreported_object')})?\s?(?:{_alternatives('unreported')})"),
        result_after=LazyPattern(rf"[^{re.escape(CLAUSE_MARKS)}]{{0,24}}?(?:{_alternatives('review_result')})\s?[0-9]"),
        year_right_before=LazyPattern(rf"((?:19|20)[0-9]{{2}})\s?{YEAR_MARK}\s?$"),
        plan_if_ahead=frozenset(words("period_words.tsv", "plan_if_ahead")),
    )


def _plan_words(place: str) -> list[str]:
    return sorted((r[0] for r in rows("plan_words.tsv") if r[1] == place), key=len, reverse=True)


@cache
def _plan_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(right before, anywhere in the clause before, right after, past) of data/plan_words.tsv."""
    def alternatives(place: str) -> str:
        return "|".join(re.escape(w) for w in _plan_words(place))
    return (re.compile(rf"(?:{alternatives('before')}|{alternatives('clause')})\s?$"),
            re.compile(alternatives("clause")),
            re.compile(rf"^\s?(?:{alternatives('deadline')})"),
            re.compile(rf"(?:{alternatives('past')})\s?$"))
# the meanings of the numeral-free periods in data/period_words.tsv, in the order they are read
_MEANINGS = ("first_half", "second_half", "whole_year", "year_end", "since", "now")


@cache
def _WORDS() -> tuple[tuple[LazyPattern, str], ...]:  # noqa: N802 - the patterns, named as before
    """(pattern, meaning) of every numeral-free period of data/period_words.tsv, in reading order."""
    found: dict[str, list[str]] = {meaning: [] for meaning in _MEANINGS}
    for row in rows("period_words.tsv"):
        if row[1] == "period":
            found[row[2]].append(row[0])
    out: list[tuple[LazyPattern, str]] = []
    for meaning in _MEANINGS:
        alternatives = "|".join(re.escape(w) for w in sorted(found[meaning], key=lambda w: (-len(w), w)))
        if meaning == "whole_year":
            # 全年任务, 全年目标的, 占全年控制指标的25%, 全年需完成: "the year's task" names the target, not a period
            alternatives = (rf"(?:{alternatives})(?![\u4e00-\u9fff]{{0,3}}?(?:{_alternatives('target_noun')}))"
                            rf"(?!{_alternatives('not_after_year')}|[0-9])")
        # every match is one of the words: a text holding none of a meaning's words never compiles its pattern
        out.append((LazyPattern(alternatives, needs=found[meaning]), "open" if meaning in ("since", "now") else meaning))
    return tuple(out)


def _number(text: str) -> int | None:
    value = parse_number(text)
    return int(value) if value is not None and value == int(value) else None


def read_periods(text: str, context: Context | None = None, scanned: Scan | None = None) -> list[Period]:
    """Every period in `text` with the days it covers, in text order."""
    context = context or Context()
    scanned = scanned if scanned is not None else scan(text)
    year = context.effective_year
    periods: list[Period] = []
    taken: list[tuple[int, int]] = []
    for span in scanned.skipped:
        if span.reason not in ("year", "date", "period"):
            continue
        period = _read_span(text, span.start, span.end, span.reason, year, context)
        if period is not None:
            periods.append(period)
            taken.append((span.start, span.end))
    taken.sort()
    starts = [s for s, _ in taken]
    for pattern, meaning in _WORDS():
        for m in pattern.finditer(text):
            at = bisect_right(starts, m.start()) - 1
            if (at >= 0 and taken[at][1] > m.start()) or (at + 1 < len(taken) and taken[at + 1][0] < m.end()):
                continue  # inside or across a span already read
            insort(taken, m.span())
            starts.insert(at + 1, m.start())
            period = _read_word(text, m.start(), m.end(), meaning, _year_before(text, m.start(), year), context)
            periods.append(period)
    periods.sort(key=lambda p: p.start)
    return periods


def _year_before(text: str, start: int, default: int | None) -> int | None:
    """2017年上半年: a year written right before a numeral-free period is its year."""
    m = _patterns().year_right_before.search(text[max(0, start - 6):start])
    return int(m.group(1)) if m else default


def _role(text: str, start: int, end: int) -> str:
    before = text[max(0, start - 6):start]
    after = text[end:end + 4]
    plan_before, plan_in_clause, deadline_after, past_before = _plan_patterns()
    patterns = _patterns()
    if patterns.cutoff_before.search(before):
        return "cutoff"
    if deadline_after.search(after):
        return "plan"
    if past_before.search(before):
        return ""  # 已于10月底竣工: a past event, not a plan
    m = plan_before.search(before)
    if m is not None:
        # 于8月份完成 in a September report is past; 于年底前 is a plan: a bare 于 waits for the period's days
        return "plan_if_ahead" if m.group().strip() in patterns.plan_if_ahead else "plan"
    if plan_in_clause.search(text, max(boundaries(text).start_of(start), start - _WINDOW), start):
        return "plan"  # 预计9月出具二季度数据: everything in a clause of expectation is a plan
    if patterns.not_reported_after.search(after):
        return "event"  # 6月份数据未出
    return ""


def _read_word(text: str, start: int, end: int, meaning: str, year: int | None, context: Context) -> Period:
    role = _role(text, start, end)
    first = last = None
    kind = "cumulative"
    if year is not None:
        if meaning == "first_half":
            first, last = dt.date(year, 1, 1), dt.date(year, 6, 30)
        elif meaning == "second_half":
            first, last = dt.date(year, 7, 1), dt.date(year, 12, 31)
        elif meaning in ("whole_year", "year_end"):
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if meaning == "open":
        kind = "open"
    if meaning == "year_end" and role != "cutoff":
        plan_before, _, deadline_after, _ = _plan_patterns()
        role = "plan" if deadline_after.search(text[end:end + 4]) or plan_before.search(text[max(0, start - 6):start]) else "event"
    return _make(text, start, end, first, last, kind, role, context)


def _make(text: str, start: int, end: int, first: dt.date | None, last: dt.date | None, kind: str,
          role: str, context: Context) -> Period:
    if role == "plan_if_ahead":
        ahead = last is None or context.as_of is None or last > context.as_of
        role = "plan" if ahead else "event"
    plan = role == "plan"
    if role == "cutoff":
        kind = "cutoff"
    elif role == "event":
        kind = "event"
    if not plan and role != "cutoff" and last is not None and context.as_of is not None and last > context.as_of:
        plan = True  # a period that ends after the report's date can only be a plan (cut-offs excepted: 截至9月26日)
    reports = kind in ("cutoff", "cumulative", "quarter", "month") and not plan
    return Period(
        text=text[start:end], start=start, end=end, first_day=first, last_day=last,
        as_of=last if reports else None, elapsed=elapsed_share(last) if last is not None else None,
        kind="plan" if plan else kind, plan=plan,
    )


def _reviews(text: str, end: int, role: str, year: int, context: Context) -> bool:
    """A bare year before a result in its clause, in a review written at or after that year's end (the
    context names no day, a December day of that year, or a later year): the result is the year's."""
    if role == "plan" or context.year is None or year != context.year:
        return False  # an earlier year's result is another year's, not the review's
    as_of = context.as_of
    if as_of is not None and not (as_of.year > year or (as_of.month == 12 and as_of.day < 31)):
        return False
    m = _patterns().result_after.match(text, end)
    return m is not None and _plan_patterns()[1].search(text, end, m.end()) is None  # 2019年计划完成10亿元: a plan


def _read_span(text: str, start: int, end: int, reason: str, year: int | None, context: Context) -> Period | None:
    written = fold(text[start:end])
    role = _role(text, start, end)
    patterns = _patterns()
    y = patterns.year_in.match(written)
    if y is not None:
        year = _number(y.group(1))
    if reason == "year":
        if year is None:
            return None
        if patterns.span_of_years.search(written[y.end():] if y else ""):
            return None  # 2022-2025年: a plan's span, not a reporting period
        year_end = dt.date(year, 12, 31)
        if _reviews(text, end, role, year, context):
            # 2019年全市单位GDP能耗下降3.8%, in a review of 2019: the result reports to that year's end (GOLD.md)
            return Period(text=text[start:end], start=start, end=end, first_day=dt.date(year, 1, 1),
                          last_day=year_end, as_of=year_end, elapsed=1.0, kind="cumulative")
        return Period(text=written, start=start, end=end, first_day=dt.date(year, 1, 1),
                      last_day=year_end, kind="year")
    if year is None:
        return None
    try:
        return _read_dated_span(text, written, start, end, reason, year, role, context)
    except ValueError:  # 2月30日: not a day
        return None


def _read_dated_span(text: str, written: str, start: int, end: int, reason: str, year: int, role: str,
                     context: Context) -> Period | None:
    patterns = _patterns()
    q = patterns.quarter.search(written)
    if q is not None:
        n = _number(q.group(3)) or 1
        first_quarter = 1 if _QUARTER_LEADS.get(q.group(1) or "") == "cumulative" else (_number(q.group(2)) if q.group(2) else n) or n
        first = dt.date(year, 3 * first_quarter - 2, 1)  # 前三季度, 1-2季度: from the first quarter named
        return _make(text, start, end, first, _month_end(year, 3 * n), "quarter", role, context)
    lead = patterns.leading_months.search(written)
    if lead is not None:
        n = _number(lead.group(1))
        if n is None or not 1 <= n <= 12:
            return None
        return _make(text, start, end, dt.date(year, 1, 1), _month_end(year, n), "cumulative", role, context)
    if re.fullmatch(r"(?:19|20)[0-9]{2}[-/.][0-9]{1,2}[-/.][0-9]{1,2}", written):
        y, mth, d = (int(x) for x in re.split(r"[-/.]", written))
        day = dt.date(y, mth, d)
        first = dt.date(y, 1, 1) if role == "cutoff" else day  # 截至2017-06-30: the year so far
        return _make(text, start, end, first, day, "event", role, context)
    points = [m for m in patterns.month_day.finditer(written)]
    if not points:
        return None  # 2年内, 近三年: a window, not a date
    days = [_point(year, m) for m in points]
    if any(d is None for d in days):
        return None
    if len(points) >= 2 or reason == "period" and patterns.range.search(written):
        if len(points) == 1:
            # "1-5月": the first month is written without 月
            year_written = patterns.year_in.match(written)
            range_start = patterns.range_start.search(written, year_written.end() if year_written else 0)
            first_month = _number(range_start.group(1)) if range_start else None
            if first_month is None or not 1 <= first_month <= 12:
                return None
            first = dt.date(year, first_month, 1)
            last = days[0][1]  # type: ignore[index]
        else:
            first = days[0][0]  # type: ignore[index]
            last = days[-1][1]  # type: ignore[index]
        kind = "cumulative" if first.month == 1 and first.day == 1 else "event"
        return _make(text, start, end, first, last, kind, role, context)
    first, last, grain = days[0]  # type: ignore[misc]
    if grain == "month" and points[0].group(3) == _WHOLE_MONTH:
        kind = "month"
    elif grain == "month":
        kind = "event"
    else:
        kind = "event"
    if role == "cutoff":
        first = dt.date(year, 1, 1)
    return _make(text, start, end, first, last, kind, role, context)


def _point(year: int, m: re.Match[str]) -> tuple[dt.date, dt.date, str] | None:
    month = _number(m.group(1))
    if month is None or not 1 <= month <= 12:
        return None
    if m.group(2):
        day = _number(m.group(2))
        if day is None:
            return None
        d = dt.date(year, month, day)
        return d, d, "day"
    tail = _MONTH_TAILS.get(m.group(3) or "", "")
    end_of_month = _month_end(year, month)
    if tail == "end":
        return end_of_month, end_of_month, "day"
    if tail == "first_ten":
        return dt.date(year, month, 1), dt.date(year, month, 10), "day"
    if tail == "middle_ten":
        return dt.date(year, month, 11), dt.date(year, month, 20), "day"
    if tail == "start":
        return dt.date(year, month, 1), dt.date(year, month, 5), "day"
    return dt.date(year, month, 1), end_of_month, "month"


def latest_as_of(periods: list[Period]) -> dt.date | None:
    """The day a text reports to: the latest day among its reporting periods; None if it names none."""
    days = [p.as_of for p in periods if p.as_of is not None]
    return max(days) if days else None


# ---------------------------------------------------------------------------------------------------------
# the document's context, from its title or heading

_TITLE_YEAR = LazyPattern(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")



def context_from_title(title: str) -> Context:
    """大兴区政府2017年度绩效任务进展情况表（第二季度） → Context(2017, 2017-06-30);
    2020市政府绩效任务1-8月进展情况 → (2020, 2020-08-31); a title naming only a year's report → 12-31."""
    if not isinstance(title, str):
        raise TypeError(f"title must be a str, not {type(title).__name__}")
    m = _TITLE_YEAR.search(title)
    if m is None:
        return Context()
    year = int(m.group(1))
    base = Context(year=year)
    periods = [p for p in read_periods(title, base) if p.kind != "year" and p.last_day is not None]
    days = [p.last_day for p in periods if p.last_day and p.last_day.year >= year]
    if days:
        # a day after the year (2017年度…截至2018年1月) means the year is over: pace it at 12-31
        return Context(year=year, as_of=min(max(days), dt.date(year, 12, 31)))
    if _whole_year_title().search(title):
        return Context(year=year, as_of=dt.date(year, 12, 31))
    return base


@cache
def _whole_year_title() -> re.Pattern[str]:
    """A title word that says the report is of the whole year (2017年度…, …工作总结), not the name of the year's
    target (18项民生工程提前或超额完成年度目标任务)."""
    return re.compile(rf"(?:{_alternatives('whole_year_title')})(?!{_alternatives('target_noun')})")
