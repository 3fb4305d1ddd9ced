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

from ..text.lexicon import rows

if TYPE_CHECKING:
    from .quantities import Quantity

ComparatorName = Literal["ge", "gt", "le", "lt", "approx", "eq"]
ChangeName = Literal["increase", "decrease"]
COMPARATOR_SIGNS: dict[str, str] = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "approx": "≈", "eq": "="}
CHANGE_WORDS: dict[str, str] = {"increase": "增长", "decrease": "下降"}


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


_AFTER_SPACE = re.compile(r"\s{0,2}")
# 下降3.5%, 同比下降 3%, 水耗下降率达到3%: what may stand between a change word and its figure
_CHANGE_GAP = re.compile(r"(?:率|幅度|幅|比例)?(?:达到|不低于|不少于|超过|为|达)?[\s了约近超]{0,3}")
# 压减燃煤消费量15万吨: the object between a change word and its figure (a noun phrase, no other verb or mark)
_OBJECT_GAP = re.compile(r"[\u4e00-\u9fffA-Za-z0-9.()（）“”]{1,16}?(?:达到|为|达)?[\s约近]{0,2}")
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
    if before_change is not None and (
            _CHANGE_GAP.fullmatch(text, before_change.end(), start)
            or (before_change.group() in _before_object() and _OBJECT_GAP.fullmatch(text, before_change.end(), start)
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
    for m in _BASELINE.finditer(text, clause_start, start):
        baseline = m.group()
    return Comparison(comparator, change, baseline, tuple(sorted(spans)), explicit)  # type: ignore[arg-type]


def comparator_words_before(text: str, clause_start: int, position: int) -> list[re.Match[str]]:
    """Every comparison word between the clause start and a position (used to cut metric names)."""
    vocabulary = _vocabulary()
    return [m for m in _pattern("before").finditer(text, clause_start, position)
            if vocabulary[m.group()][:2] != ("-", "-")]


_PER_WORDS = re.compile(r"每(?P<a>人|户)(?:每(?P<b>月|年|天|日))?|每(?P<c>月|年)(?!度)|(?P<d>人|户)均")
_PER_UNIT = {"人": "人", "户": "户", "月": "月", "年": "年", "天": "天", "日": "天", "人月": "人月", "人年": "人年"}


def per_key(q: "Quantity", words: str, after: str) -> frozenset[str]:
    """What a figure is per (元/人月, 每人每月609元, 人均养老金900元/月/人 → {人, 月}): the denominators of its
    unit, a 月/年 right after a unit per head (元/人月 is read as 元/人 then 月), 每人每月 … in the words before it,
    and 人均/户均 there when it is per something already (人均公园绿地面积16平方米 stays per nothing)."""
    per: set[str] = set()
    for part in re.split(r"[/·]", q.unit)[1:]:
        if part in _PER_UNIT:
            per.update(_PER_UNIT[part])
    if q.unit.endswith("/人") and after[:1] in ("月", "年"):
        per.add(after[0])
    heads: set[str] = set()
    for m in _PER_WORDS.finditer(words):
        if m.group("d"):
            heads.add(m.group("d"))
        else:
            per.update(x for x in (m.group("a"), m.group("b"), m.group("c")) if x)
    if per:
        per.update(heads)
    return frozenset("天" if p == "日" else p for p in per)
