"""Stage 4b: comparison words. How a figure is to be compared (达到 → at least, 控制在…以内 → at most,
左右 → about, 下降 → a decrease of), read from the words around it. The vocabulary is data/comparators.tsv.

Rules, in order: a word after the figure (以上, 以内, 左右) decides the comparator; otherwise the nearest
comparator word before it in the same clause; otherwise "ge" (a plain figure to complete), "eq" for an index
named as an exact value (食品安全指数96), "le" for a figure of zero (劣V类水体比例0%). A change word (下降,
增长 …) before the figure makes it the size of a change. A baseline (比2015年, 同比) is kept as written.
"""
from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Literal, NamedTuple

from ..text.lexicon import LazyMapping, alternatives, characters, rows, words
from ..text.patterns import LazyPattern

if TYPE_CHECKING:
    from .quantities import Quantity

ComparatorName = Literal["ge", "gt", "le", "lt", "approx", "eq"]
ChangeName = Literal["increase", "decrease"]
COMPARATOR_SIGNS: dict[str, str] = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "approx": "≈", "eq": "="}
# the word an explanation writes for each change (data/comparison_words.tsv, role change_name)
CHANGE_WORDS: LazyMapping = LazyMapping(
    lambda: {r[2]: r[0] for r in rows("comparison_words.tsv") if r[1] == "change_name"})


class Comparison(NamedTuple):  # not a dataclass: importing dataclasses would cost the command line's start
    comparator: ComparatorName
    change: ChangeName | None
    baseline: str | None
    words: tuple[tuple[int, int], ...]   # spans of the words that decided it
    explicit: bool                       # a comparator word was written (not the default)


@cache
def _vocabulary() -> dict[str, tuple[str, str, str]]:
    return {r[0]: (r[1], r[2], r[3]) for r in rows("comparators.tsv")}


@cache
def change_words() -> re.Pattern[str]:
    """Any change word of data/comparators.tsv (下降, 增长 …): where none is, no figure is a change."""
    found = sorted((w for w, v in _vocabulary().items() if v[1] != "-"), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in found))


@cache
def _before_object() -> frozenset[str]:
    """Change words that may stand before the object they change (data/comparators.tsv, column object)."""
    return frozenset(r[0] for r in rows("comparators.tsv") if len(r) > 4 and r[4] == "object")


@cache
def _pattern(position: str) -> re.Pattern[str]:
    words = sorted((w for w, v in _vocabulary().items() if v[2] == position), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


_AFTER_SPACE = LazyPattern(r"\s{0,2}")


def _alternatives(role: str) -> str:
    """The words of data/comparison_words.tsv with this role, as alternatives (longest first)."""
    return alternatives("comparison_words.tsv", role)


def _class(role: str) -> str:
    """The single characters of data/comparison_words.tsv with this role, for a character class."""
    return characters("comparison_words.tsv", role)


@cache
def _gaps() -> tuple[LazyPattern, LazyPattern, LazyPattern]:
    """(change gap, object gap, baseline) patterns, each compiled on first use."""
    from .timeexpr import YEAR_MARK, atom
    # 下降3.5%, 同比下降 3%, 水耗下降率达到3%: what may stand between a change word and its figure
    change_gap = LazyPattern(rf"(?:{_alternatives('gap_noun')})?(?:{_alternatives('gap_verb')})?"
                             rf"[\s{_class('gap_char')}]{{0,3}}")
    # 压减燃煤消费量15万吨: the object between a change word and its figure (a noun phrase, no other verb or mark)
    object_gap = LazyPattern(rf"[\u4e00-\u9fffA-Za-z0-9.()（）“”]{{1,16}}?(?:{_alternatives('object_verb')})?"
                             rf"[\s{_class('object_char')}]{{0,2}}")
    baseline = LazyPattern(rf"(?:{_alternatives('baseline_lead')})\s?((?:19|20)[0-9]{{2}}\s?{YEAR_MARK}"
                           rf"{atom('fiscal_year_tail')}?|{_alternatives('baseline')})|{_alternatives('baseline_alone')}")
    return change_gap, object_gap, baseline


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
    change_gap, object_gap, baseline_pattern = _gaps()
    if before_change is not None and (
            change_gap.fullmatch(text, before_change.end(), start)
            or (before_change.group() in _before_object() and object_gap.fullmatch(text, before_change.end(), start)
                and not _pattern("before").search(text, before_change.end(), start))):
        # a change word counts right before its figure (下降3.5%, 同比下降 3%), and a reduction before its object
        # (压减燃煤消费量15万吨); not 提升改造…70个
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
    for m in baseline_pattern.finditer(text, clause_start, start):
        baseline = m.group()
    return Comparison(comparator, change, baseline, tuple(sorted(spans)), explicit)  # type: ignore[arg-type]


def comparator_words_before(text: str, clause_start: int, position: int) -> list[re.Match[str]]:
    """Every comparison word between the clause start and a position (used to cut metric names)."""
    vocabulary = _vocabulary()
    return [m for m in _pattern("before").finditer(text, clause_start, position)
            if vocabulary[m.group()][:2] != ("-", "-")]


@cache
def _per() -> tuple[re.Pattern[str], frozenset[str], dict[str, str], str, frozenset[str]]:
    """(the words of what a figure is per, the denominators of a unit that name it, the name of each day word,
    the unit ending of a figure per person, the periods), from data/comparison_words.tsv on first use."""
    each, average = _alternatives("per"), _alternatives("average")
    head, period, day = _class("head"), _class("period"), _class("day")
    pattern = re.compile(rf"(?:{each})(?P<a>[{head}])(?:(?:{each})(?P<b>[{period}{day}]))?"
                         rf"|(?:{each})(?P<c>[{period}])(?!{_alternatives('not_after_period')})|(?P<d>[{head}])(?:{average})")
    denominators = frozenset(words("comparison_words.tsv", "head", "period", "day", "per_unit"))
    day_names = {r[0]: r[2] for r in rows("comparison_words.tsv") if r[1] == "day"}
    per_person = "/" + words("comparison_words.tsv", "person")[0]
    return pattern, denominators, day_names, per_person, frozenset(period)


def per_key(q: "Quantity", words: str, after: str) -> frozenset[str]:
    """What a figure is per (元/人月, 每人每月609元, 人均养老金900元/月/人 → {人, 月}): the denominators of its
    unit, a 月/年 right after a unit per head (元/人月 is read as 元/人 then 月), 每人每月 … in the words before it,
    and 人均/户均 there when it is per something already (人均公园绿地面积16平方米 stays per nothing)."""
    per_words, denominators, day_names, per_person, periods = _per()
    per: set[str] = set()
    for part in re.split(r"[/·]", q.unit)[1:]:
        if part in denominators:
            per.update(part)  # 人月: per head and per month
    if q.unit.endswith(per_person) and after[:1] in periods:
        per.add(after[0])
    heads: set[str] = set()
    for m in per_words.finditer(words):
        if m.group("d"):
            heads.add(m.group("d"))
        else:
            per.update(x for x in (m.group("a"), m.group("b"), m.group("c")) if x)
    if per:
        per.update(heads)
    return frozenset(day_names.get(p, p) for p in per)
