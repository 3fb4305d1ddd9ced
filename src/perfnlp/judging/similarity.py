"""How much two phrases speak of the same thing: the share of one phrase's character bigrams found in the
other's, after synonyms are folded to one word (data/metric_synonyms.tsv: VOCs = 挥发性有机物, 淘汰 = 报废).

Character bigrams need no dictionary (jieba's costs half a second to load) and read names jieba cuts in
odd places (供热管网, 口袋公园) just as well; Latin words and numbers count as whole tokens (PM2.5, VOCs).
"""
from __future__ import annotations

import re
from functools import cache, lru_cache

from ..text.lexicon import rows
from ..text.patterns import LazyPattern

_TOKEN = LazyPattern(r"[\u4e00-\u9fff]{2,}|[A-Za-z][A-Za-z0-9.]*|[0-9][0-9.]*")


@cache
def _synonyms() -> tuple[dict[str, str], re.Pattern[str] | None]:
    canonical: dict[str, str] = {}
    for row in rows("metric_synonyms.tsv"):
        for word in row:
            canonical.setdefault(word, row[0])
    words = sorted((w for w in canonical if w != canonical[w]), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(w) for w in words)) if words else None
    return canonical, pattern


def canonical(phrase: str) -> str:
    """The phrase with every synonym written as its row's first word."""
    table, pattern = _synonyms()
    return pattern.sub(lambda m: table[m.group()], phrase) if pattern is not None else phrase


@lru_cache(maxsize=8192)
def grams(phrase: str) -> frozenset[str]:
    """The bigrams of the phrase's Chinese runs and its Latin and numeric tokens, synonyms folded."""
    out: set[str] = set()
    for m in _TOKEN.finditer(canonical(phrase)):
        token = m.group()
        if 0x4E00 <= ord(token[0]) <= 0x9FFF:  # a run of Chinese characters
            out.update(token[i:i + 2] for i in range(len(token) - 1))
        else:
            out.add(token.lower())
    return frozenset(out)


def similarity(metric: str, context: str) -> float:
    """The share of the metric's bigrams found in the context (0 when either is empty)."""
    if not metric or not context:
        return 0.0
    a = grams(metric)
    if not a:
        return 0.0
    return len(a & grams(context)) / len(a)

