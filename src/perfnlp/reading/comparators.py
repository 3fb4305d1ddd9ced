"""Stage 4b: comparison words. How a figure is to be compared (达到 → at least, 控制在…以内 → at most,
左右 → about, 下降 → a decrease of), read from the words around it. The vocabulary is data/comparators.tsv.

Rules, in order: a word after the figure (以上, 以内, 左右) decides the comparator; otherwise the nearest
comparator word before it in the same clause; otherwise "ge" (a plain figure to complete), "eq" for an index
named as an exact value (食品安全指数96), "le" for a figure of zero (劣V类水体比例0%). A change word (下降,
增长 …) before the figure makes it the size of a change. A baseline (比2015年, 同比) is kept as written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from ..text.lexicon import rows

ComparatorName = Literal["ge", "gt", "le", "lt", "approx", "eq"]
ChangeName = Literal["increase", "decrease"]
COMPARATOR_SIGNS: dict[str, str] = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "approx": "≈", "eq": "="}
CHANGE_WORDS: dict[str, str] = {"increase": "增长", "decrease": "下降"}


@dataclass(frozen=True, slots=True)
class Comparison:
    comparator: ComparatorName
    change: ChangeName | None
    baseline: str | None
    words: tuple[tuple[int, int], ...]   # spans of the words that decided it
    explicit: bool                       # a comparator word was written (not the default)


@cache
def _vocabulary() -> dict[str, tuple[str, str, str]]:
    return {r[0]: (r[1], r[2], r[3]) for r in rows("comparators.tsv")}


@cache
def _pattern(position: str) -> re.Pattern[str]:
    words = sorted((w for w, v in _vocabulary().items() if v[2] == position), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


_AFTER_SPACE = re.compile(r"\s{0,2}")
# 下降3.5%, 同比下降 3%, 水耗下降率达到3%: what may stand between a change word and its figure
_CHANGE_GAP = re.compile(r"(?:率|幅度|幅)?(?:达到|不低于|不少于|超过|为|达)?[\s了约近超]{0,3}")
_BASELINE = re.compile(r"(?:比|较|相比)\s?((?:19|20)[0-9]{2}\s?年度?|上年|去年|上一年|同期)|同比|环比")


def read_comparison(text: str, start: int, end: int, clause_start: int, clause_end: int, *,
                    is_index: bool = False, is_zero: bool = False) -> Comparison:
    """The comparison for the figure text[start:end], reading its clause text[clause_start:clause_end]."""
    vocabulary = _vocabulary()
    comparator: str | None = None
    change: str | None = None
    spans: list[tuple[int, int]] = []
    gap = _AFTER_SPACE.match(text, end, clause_end)
    after = _pattern("after").match(text, gap.end() if gap else end, clause_end)
    if after is not None:
        comparator = vocabulary[after.group()][0]
        spans.append(after.span())
    before_comparator: re.Match[str] | None = None
    before_change: re.Match[str] | None = None
    for m in _pattern("before").finditer(text, clause_start, start):
        kind_comparator, kind_change, _ = vocabulary[m.group()]
        if kind_comparator == "-" and kind_change == "-":
            continue  # 签约: a word that only looks like a comparison word
        if kind_comparator != "-":
            before_comparator = m
        if kind_change != "-":
            before_change = m
    if before_change is not None and _CHANGE_GAP.fullmatch(text, before_change.end(), start):
        # a change word counts only right before its figure: 下降3.5%, 同比下降 3%; not 提升改造…70个
        change = vocabulary[before_change.group()][1]
        spans.append(before_change.span())
    if comparator is None and before_comparator is not None:
        word = before_comparator.group()
        comparator = vocabulary[word][0]
        if comparator == "eq" and not is_index:
            comparator = "ge"  # 为 names an exact value only for an index; elsewhere it is a figure to reach
        spans.append(before_comparator.span())
    explicit = comparator is not None
    if comparator is None:
        comparator = "le" if is_zero else ("eq" if is_index and change is None else "ge")
    elif is_zero and comparator == "ge" and change is None:
        comparator = "le"
    baseline = None
    for m in _BASELINE.finditer(text, clause_start, start):
        baseline = m.group()
    return Comparison(comparator, change, baseline, tuple(sorted(spans)), explicit)  # type: ignore[arg-type]


def comparator_words_before(text: str, clause_start: int, position: int) -> list[re.Match[str]]:
    """Every comparison word between the clause start and a position (used to cut metric names)."""
    vocabulary = _vocabulary()
    return [m for m in _pattern("before").finditer(text, clause_start, position)
            if vocabulary[m.group()][:2] != ("-", "-")]
