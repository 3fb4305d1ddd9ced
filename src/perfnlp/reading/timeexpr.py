"""Stage 2b: the written forms of years, dates and periods ("2017年", "6月30日", "1-5月份", "前5个月",
"第二季度"). They hold numerals but are not quantities: quantities.py reports them as skipped spans
(reason "year", "date" or "period") and periods.py reads what they mean.

All patterns work on normalized text (normalize.py): dashes are "-", full-width digits ASCII.
"""
from __future__ import annotations

import re

_CN_D = "一二三四五六七八九"
MONTH = rf"(?:1[0-2]|0?[1-9]|十[一二]?|[{_CN_D}])"
DAY = rf"(?:3[01]|[12][0-9]|0?[1-9]|[二三]?十[{_CN_D}]?|[{_CN_D}])"
YEAR = r"(?:(?:19|20)[0-9]{2}|[〇零一二][〇零一二三四五六七八九]{3})"
SEP = r"\s?[-~至到]\s?"
_MONTH_TAIL = r"(?:份|底|末|初|上旬|中旬|下旬)?"
_DAY_MARK = r"[日号]"

# (pattern, reason); all are tried and the longest non-overlapping matches kept
TIME_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), reason) for p, reason in (
        # 2017年6月30日, 2020-01-10, 2017.6.30
        (rf"{YEAR}\s?年\s?{MONTH}\s?月\s?{DAY}\s?{_DAY_MARK}", "date"),
        (rf"(?<![0-9.]){YEAR}[-/.]{MONTH}[-/.]{DAY}(?![0-9])", "date"),
        # 2020年1月至8月, 2020年1-8月
        (rf"{YEAR}\s?年\s?{MONTH}\s?月?{_MONTH_TAIL}{SEP}(?:{YEAR}\s?年\s?)?{MONTH}\s?月{_MONTH_TAIL}", "period"),
        (rf"{YEAR}\s?年\s?{MONTH}\s?月{_MONTH_TAIL}", "date"),
        # 2022-2025年, 2019至2020年度
        (rf"{YEAR}\s?年?{SEP}{YEAR}\s?年(?:度)?", "year"),
        (rf"{YEAR}\s?年(?:度|底|初|末|中)?", "year"),
        # 7月23-8月28日, 6月1日至6月30日, 8月1-15日
        (rf"{MONTH}\s?月\s?{DAY}\s?{_DAY_MARK}?{SEP}(?:{MONTH}\s?月\s?)?{DAY}\s?{_DAY_MARK}", "period"),
        # 1-5月, 1—5月份, 1月至8月, 1月-12月
        (rf"(?<![0-9]){MONTH}\s?月?(?:份)?{SEP}{MONTH}\s?月{_MONTH_TAIL}", "period"),
        (rf"{MONTH}\s?月\s?{DAY}\s?{_DAY_MARK}", "date"),
        (rf"(?<![0-9]){MONTH}\s?月{_MONTH_TAIL}", "period"),
        # 第二季度, 前三季度, 一季度, 2季度
        (rf"[第前]?\s?[1-4一二三四]\s?(?:{SEP}[1-4一二三四]\s?)?个?季度", "period"),
        # 前5个月, 近三年, 最近3个月, 2年内, 三年来
        (rf"(?:前|近|最近|后)\s?(?:[0-9]{{1,2}}|[{_CN_D}十两]{{1,3}})\s?个?(?:月|年)", "period"),
        (rf"(?:[0-9]{{1,2}}|[{_CN_D}十两]{{1,3}})\s?个?年(?:内|来|以来)", "period"),
        # a day of the month on its own: 15日 (not 15日内, a duration)
        (rf"(?<![0-9.]){DAY}\s?日(?![内前后])", "date"),
    )
)


def find_time_expressions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, reason) of every time expression, longest first where they overlap."""
    found: list[tuple[int, int, str]] = []
    for pattern, reason in TIME_PATTERNS:
        for m in pattern.finditer(text):
            if m.end() > m.start():
                found.append((m.start(), m.end(), reason))
    return found
