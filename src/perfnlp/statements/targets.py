"""Stage 5a: targets. parse_target(text) → one Target per target item, in order.

An item is a figure the target commits to, or a target with no figure that is a ceiling of zero
(不发生重特大事故, 杜绝…, 实现无违法经营、无…). Items are read clause by clause (clauses end at ，。；, a new
line or a list marker):
- every quantity is an item, except a figure after 每 (每3万人口配置1辆: the base of a rate), a figure that
  only describes the metric of a later figure in its clause (8项基本便民服务在社区覆盖率达到60%), and a figure
  inside a zero-ceiling clause (杜绝…2年内两次发生…);
- a figure labelled inside a breakdown (（大兴区任务：500蒸吨；北京经济技术开发区任务：1500蒸吨）) is a part of
  the item before it: `label` names the part and `part_of` points at the total;
- slash pairs share a metric (一般公共预算收入及支出 84.7亿元/166.3亿元 → 收入, 支出), split from `group`.

The metric is the noun phrase before the figure in its clause, without leading verbs (完成, 实现 …) and
comparison words; when that is only a verb, the phrase after the figure (完成2000蒸吨以上燃气锅炉低氮改造);
when both are empty, the previous item's metric or the task group.

`cumulative` says how progress is judged (docs/semantics.md): a level (rates, percentages, scores, indices,
concentrations, per-area and per-capita figures, averages, changes) is judged by its current value; a
cumulative total (counts, amounts, areas done during the year) by the share done.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache
from typing import Any

from ..text.model import BaseModel, ConfigDict

from ..reading.comparators import ChangeName, ComparatorName, comparator_words_before, per_key, read_comparison
from ..reading.quantities import Quantity, Scan
from ..reading.reading import WINDOW, Reading, read, ratio_word_change
from ..text.clauses import CLAUSE_MARKS
from ..text.context import Context, context_from
from ..text.lexicon import rows, words
from ..text.patterns import CJK_CHAR, LazyPattern
from .words import alt as _alt, listed as _listed, word as _word


class Target(BaseModel):
    """One target item: what is to be compared, how, against which figure."""

    model_config = ConfigDict(frozen=True)

    text: str                         # the clause the item was read from
    start: int
    end: int
    comparator: ComparatorName
    change: ChangeName | None = None
    quantity: Quantity | None = None  # None for a target with no figure (a zero ceiling has value 0 here)
    metric: str = ""
    cumulative: bool = True
    baseline: str | None = None       # 同比, 比2015年
    label: str | None = None          # the sub-area of a part (大兴区)
    part_of: int | None = None        # index of the total this item is a part of
    zero_ceiling: bool = False        # 不发生…, 杜绝…, 无…
    item: str | None = None           # the number of the list item it stands in (1. … 2. …), as written
    item_occurrence: int = 0          # how many earlier list items carry the same number (lists that restart)
    breakdown: bool = False           # it stands after 其中 in its sentence: a part of the figure before it
    # what the figure is per, beyond its unit (每人每月609元, 人均…元/月 → 人, 月); a tuple, since parsed Targets
    # are kept with their text's Reading and handed to every caller
    per: tuple[str, ...] = ()
    written: bool = True              # a comparison word was written; False for a plain figure (ge by default)
    subject: str | None = None        # the one of a 分别 list it belongs to (城镇、农村…分别提高到609元、300元 → 农村)
    from_progress: bool = False       # an item the target names only through its progress (a stated share of a
                                      # measure the target text gives no figure for); text/start/end then index
                                      # the progress text

    @property
    def value(self):  # noqa: ANN201 - Decimal | None, a shortcut for notebooks
        return self.quantity.value if self.quantity is not None else (0 if self.zero_ceiling else None)

    @property
    def unit(self) -> str:
        return self.quantity.unit if self.quantity is not None else ""


_CLAUSE_END = CLAUSE_MARKS
# the words before a metric that are not part of it (并且, 确保, 完成 but not 完成率 …)
_LEADING = LazyPattern(rf"(?:\s|[、:：)）]|{_alt('lead_word')}|(?:{_alt('lead_not_rate')})(?!{_alt('rate_char')})|"
                      rf"{_alt('lead_word2')})+")
_TRAILING_SPAN = LazyPattern(rf"(?:\s|[、:：(（。；;，,]|{_alt('trailing_word')})+$")
_AFTER_FIGURE = LazyPattern(rf"(?:{_alt('after_figure')}|\s|{_alt('possessive')})+")
_LABEL = LazyPattern(rf"([^\s（(：:；;，,。]{{2,20}}?)(?:{_alt('label_goal')})?\s?[：:]\s?$")
_CLAUSE_MARK = LazyPattern("[" + _CLAUSE_END + "]")
_ELEMENT_END = LazyPattern("[、" + _word("chars_element_joiner") + _CLAUSE_END + "]")
_BREAKDOWN_WORD = LazyPattern(_alt("breakdown"))
_FULL_STOP = LazyPattern(r"[。\n!?！？]")
_FROM_TO = LazyPattern(rf"(?:{_alt('from_word')})(?P<base>[^，。；;,\n]{{1,40}}?)(?:{_alt('respectively')})?"
                      rf"(?:{_alt('change_verb')})(?:{_alt('to_word')})")
_SECTION_LABEL = LazyPattern(rf"【([^【】\n]{{1,20}})】\s?[:：]?\s?(?:{_alt('label_goal')})?\s?[:：]?\s?$")
_QUOTED = LazyPattern(r"“[^“”\n]{1,30}”")
_CONJUNCTION = LazyPattern(_alt("conjunction"))
_SUB_CLAUSE = LazyPattern(rf"[（(](?={_alt('breakdown')}|[^）)]{{1,20}}?[：:])")
_BASELINE_TAIL = LazyPattern(rf"(?:(?:{_alt('compare_word')})\s?(?:(?:19|20)[0-9]{{2}}\s?{_alt('year_char')}"
                            rf"(?:{_alt('year_suffix')})?|{_alt('last_year')})|{_alt('yoy')})+$")


@cache
def _metric_words() -> tuple[tuple[str, str], ...]:
    """data/metric_words.tsv, the longest word first."""
    return tuple(sorted(((r[0], r[1]) for r in rows("metric_words.tsv")), key=lambda p: -len(p[0])))


def metric_kind(metric: str) -> str | None:
    """The kind (level, cumulative, share, flow) of the longest word of data/metric_words.tsv in the metric."""
    for word, kind in _metric_words():
        if word in metric and kind != "ceiling":
            return kind
    return None


def names_a_ceiling(metric: str) -> bool:
    """Whether the metric names something that should stay low (data/metric_words.tsv, kind ceiling)."""
    return any(word in metric for word, kind in _metric_words() if kind == "ceiling")


@cache
def _zero_words() -> LazyPattern:
    none = _word("none_word")
    words = [r[0] for r in rows("zero_ceilings.tsv") if r[0] != none]
    # 无 starts an item only at the head of a list element: 实现无违法经营、无违法出租房屋
    heads = "|".join(f"(?<={re.escape(w)})" for w in _listed("zero_lead"))
    return LazyPattern("|".join(re.escape(w) for w in words) + f"|(?:{heads}){re.escape(none)}" + r"(?=[\u4e00-\u9fff“])",
                       needs=(*words, none))


_LEVEL_UNITS = frozenset(_listed("level_unit"))


def is_level(metric: str, unit: str, change: str | None) -> bool:
    """A level metric is judged by its current value, a cumulative one by the share done (docs/semantics.md):
    a completion share of the year's work (投资完成率) is cumulative although written in %; a per-head or
    per-area figure is a level unless it measures a flow (地均产出率, 人均可支配收入)."""
    kind = metric_kind(metric)
    if kind == "share" and change is None:
        return False
    if unit in _LEVEL_UNITS:
        return True
    if "/" in unit:
        return kind != "flow"
    if change is not None:
        return unit == ""  # 减排849吨 is a total done during the year; 下降3.5% is a level
    if kind is not None:
        return kind == "level"
    return unit == "" and (_word("index_word") in metric)


class _Clauses:
    """The clauses of a target text: punctuation, list markers and breakdown brackets cut them."""

    def __init__(self, work: str, scanned: Scan) -> None:
        cuts = {0, len(work)}
        cuts.update(m.end() for m in _CLAUSE_MARK.finditer(work))
        for span in scanned.skipped:
            if span.reason == "list marker":
                cuts.update((span.start, span.end))
        # (其中蔬菜零售网点3个), （大兴区任务：500蒸吨）: a breakdown is its own clause
        cuts.update(m.start() for m in _SUB_CLAUSE.finditer(work))
        self.cuts = sorted(cuts)

    def index_of(self, position: int) -> int:
        return bisect_right(self.cuts, position) - 1

    def bounds(self, index: int) -> tuple[int, int]:
        return self.cuts[index], self.cuts[min(index + 1, len(self.cuts) - 1)]


def _strip_clause_punct(text: str, a: int, b: int) -> tuple[int, int]:
    while b > a and text[b - 1] in _CLAUSE_END + " ":
        b -= 1
    while a < b and text[a] in " \n":
        a += 1
    return a, b


def parse_target(text: str, context: Context | dict[str, Any] | None = None, *, group: str | None = None) -> list[Target]:
    """Every target item of `text`, in order. `group` (the task group cell, e.g. 一般公共预算收入及支出) names
    the metric when the text gives none."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    context_from(context)  # validates; targets do not depend on the date
    reading = read(text)
    # the items depend on the text and the group only: read once, kept with the text's Reading (frozen models;
    # each caller gets a list of its own)
    key = ("targets", group)
    found = reading.memo.get(key)
    if found is None:
        found = reading.remember(key, tuple(_parse_target(text, reading, group)))
    return list(found)  # type: ignore[arg-type]


def _parse_target(text: str, reading: Reading, group: str | None) -> list[Target]:
    work = reading.folded  # same length: ＞ reads as >, offsets unchanged
    scanned = reading.scan
    clauses = _Clauses(work, scanned)
    quotes = [(m.start(), m.end()) for m in _QUOTED.finditer(work)]

    zero_by_clause: dict[int, list[re.Match[str]]] = {}
    for m in _zero_words().finditer(work):
        zero_by_clause.setdefault(clauses.index_of(m.start()), []).append(m)
    items: list[tuple[int, Target]] = []  # (position, target)
    for index, matches in zero_by_clause.items():
        a, b = _strip_clause_punct(text, *clauses.bounds(index))
        clause_text = text[a:b]  # one string for every item of the clause (a copy each was quadratic)
        for m in matches:
            reach = min(b, m.end() + WINDOW)
            element = _ELEMENT_END.search(work, m.end(), reach)
            metric = _clean(text[m.end():element.start() if element else reach])
            items.append((m.start(), Target(text=clause_text, start=a, end=b, comparator="le", metric=metric,
                                            cumulative=False, zero_ceiling=True)))

    # 由800元、600元分别提高到850元、650元: the figures after 由/从 are the baselines, not items (GOLD.md)
    baselines = [(m.start(), m.end("base"), m.group()) for m in _FROM_TO.finditer(work)]
    base_starts = [a for a, _, _ in baselines]
    by_clause: dict[int, list[Quantity]] = {}
    context_figures: set[int] = set()
    for q in reading.figures:
        at = bisect_right(base_starts, q.start) - 1
        if at >= 0 and q.end <= baselines[at][1]:
            continue
        if _names_kinds(work, q) and len(reading.figures) > 1:
            continue  # 49255户4类重点对象危房改造: the kinds name who is counted; the other figure is the item
        if not _is_rate_base(work, q):
            by_clause.setdefault(clauses.index_of(q.start), []).append(q)
    for index, figures in by_clause.items():
        if index in zero_by_clause:
            continue  # 杜绝同一企业在2年内两次发生…: the figures describe what must not happen
        clause_start, clause_end = clauses.bounds(index)
        a, b = _strip_clause_punct(text, clause_start, clause_end)
        span = (a, b, text[a:b])  # one string for every item of the clause (a copy each was quadratic)
        kept = [q for q, following in zip(figures, figures[1:] + [None])
                if (following is None or not (_describes(work, q, following) or _modifies(work, q, following)))
                and not _threshold(work, q, following, clause_end)]
        context_figures.update(q.start for q in kept if _higher_level(work, q, clause_start))
        for position, q in enumerate(kept):
            # the words of a figure: back to the previous figure or the clause start, on to the next figure or
            # the clause end, never more than WINDOW characters either way (linear however long the clause)
            head = max(kept[position - 1].end if position else clause_start, q.start - WINDOW)
            at = bisect_right(base_starts, q.start) - 1
            if not position and at >= 0 and head <= baselines[at][0] < q.start:
                head = max(clause_start, baselines[at][0] - WINDOW)
                tail_of_metric = baselines[at][0]  # the metric ends where the baseline starts (…补差水平从…)
            else:
                tail_of_metric = None
            tail = min(kept[position + 1].start if position + 1 < len(kept) else clause_end, q.end + WINDOW)
            item = _figure_item(text, work, q, clause_start, span, head, tail, group, quotes, position > 0)
            if tail_of_metric is not None:
                a, b = _clean_span(work, head, tail_of_metric)
                item = item.model_copy(update={"metric": text[a:b] or item.metric,
                                               "baseline": text[baselines[at][0]:baselines[at][1]]})
            items.append((q.start, item))
    items.sort(key=lambda pair: pair[0])
    if context_figures and any(t.quantity is not None and t.quantity.start not in context_figures for _, t in items):
        # （全省8000公里以上），本县年度任务120公里: the higher level's figure is context, not this target's item
        items = [(p, t) for p, t in items if t.quantity is None or t.quantity.start not in context_figures]
    items = _distributed(work, items)
    items = _each(work, items)
    items = _rate_pairs(items)
    items = _without_project_totals(items)
    breakdowns = reading.find(_BREAKDOWN_WORD)
    for n, (position, target) in enumerate(items):
        # a breakdown runs over its ；-separated parts to the 。 (其中:30万元用于…;30万元用于…)
        last = breakdowns.last(max(0, position - 4 * WINDOW), position)
        if last is not None and not _FULL_STOP.search(work, last[1], position):
            items[n] = (position, target.model_copy(update={"breakdown": True}))
    if not items:
        # a target with no figure (完成方案编制) is still a target: one item, no quantity
        a, b = _strip_clause_punct(text, 0, len(text))
        return [Target(text=text[a:b], start=a, end=b, comparator="ge", metric=_clean(text[a:b])[:60] or (group or ""),
                       cumulative=True)]
    items = _with_sentences_of_no_figure(text, work, items)
    return _settle(text, [t for _, t in items], scanned, group)


_SENTENCE = LazyPattern(r"[^。；;！？!?\n]+[。；;！？!?]?")
_MAX_SENTENCES = 64


def _with_sentences_of_no_figure(text: str, work: str, items: list[tuple[int, Target]]) -> list[tuple[int, Target]]:
    """对槐安路、二环路10处路口进行渠化改造…。提升改造主城区100条次干道和小街巷。…完善交通诱导系统,…建立区域微循环。: a
    sentence of a target with figures before it that holds no item of its own is an item with no figure, in its
    place (GOLD.md: every target item, in order); a sentence before the first figure introduces the task."""
    if not items:
        return items
    starts = sorted(p for p, _ in items)
    spans = [(t.start, t.end) for _, t in items]
    out = list(items)
    for number, m in enumerate(_SENTENCE.finditer(work)):
        if number >= _MAX_SENTENCES:
            break
        a, b = _strip_clause_punct(text, m.start(), m.end())
        at = bisect_right(starts, a)
        if at < len(starts) and starts[at] < b or any(x < b and a < y for x, y in spans[:_MAX_SENTENCES]):
            # an item stands in it; but a clause joined by 且 that compares with no figure (…的1.6倍,且不低于当地现行
            # 特困人员基本生活标准) is a further item of the sentence
            for c in _AND_CLAUSE.finditer(work, m.start(), m.end()):
                ca, cb = _strip_clause_punct(text, c.start("clause"), c.end("clause"))
                if not any(ca <= p < cb for p in starts[:_MAX_SENTENCES]) and comparator_words_before(work, ca, cb):
                    out.append((ca, Target(text=text[ca:cb], start=ca, end=cb, comparator="ge",
                                           metric=_clean(text[ca:cb])[:60], cumulative=True)))
            continue
        if a < starts[0]:
            continue  # a sentence before the first figure introduces the task (its figures' items come first)
        metric = _clean(text[a:b])
        if len(CJK_CHAR.findall(metric)) < _SENTENCE_WORDS:
            continue
        out.append((a, Target(text=text[a:b], start=a, end=b, comparator="ge", metric=metric[:60], cumulative=True)))
    out.sort(key=lambda pair: pair[0])
    return out


_AND_CLAUSE = LazyPattern(rf"[,，](?P<clause>(?:{_alt('and_clause')})[^,，。；;！？!?\n0-9]{{2,40}})")
_SENTENCE_WORDS = 6  # characters a sentence needs to state work of its own


def _figure_item(text: str, work: str, q: Quantity, clause_start: int, span: tuple[int, int, str], head: int,
                 tail: int, group: str | None, quotes: list[tuple[int, int]], follows_figure: bool) -> Target:
    """The target item of figure `q` in its clause; `span`: the clause without its end marks (start, end, text)."""
    a, b, clause_text = span
    metric = _metric(text, work, q, head, tail, quotes, follows_figure)
    comparison = read_comparison(work, q.start, q.end, head, tail, is_zero=q.value == 0,
                                 is_index=_word("index_word") in (metric or group or ""))
    label = None
    label_from = max(clause_start, q.start - 26)  # a label is at most 20 characters and its 任务：
    label_match = _LABEL.search(work, label_from, q.start) if label_from < q.start else None
    if label_match is not None and (_word("task_word") in label_match.group() or "(" in work[max(0, clause_start - 12, q.start - 40):q.start]):
        label = label_match.group(1).lstrip("(")
        metric = ""
    section = _SECTION_LABEL.search(work, max(0, q.start - 30), q.start)
    if label is None and section is not None:
        label = section.group(1).strip()  # 全区新增就业1.2万人（【甲区】5000人，【乙区】7000人）: a part
        metric = ""
    change = comparison.change or ratio_word_change(q)  # 翻一番: an increase of 100%
    comparator = comparison.comparator
    if not comparison.explicit and change is None and comparator == "ge" and names_a_ceiling(metric or group or ""):
        comparator = "le"  # 成本指标200万元, 城镇登记失业率3.5%: a plain figure for what should stay low
    per = tuple(sorted(per_key(q, work[max(clause_start, q.start - WINDOW):q.start], work[q.end:q.end + 1])))
    return Target(text=clause_text, start=a, end=b, comparator=comparator, change=change,
                  quantity=q, metric=metric, baseline=comparison.baseline, label=label, per=per,
                  written=comparison.explicit)


def _settle(text: str, targets: list[Target], scanned: Scan, group: str | None) -> list[Target]:
    """What one item takes from the items around it: implicit metrics, slash pairs, the comparison of a
    part's total, `part_of`, and the list item each stands in."""
    figures = [t for t in targets if t.quantity is not None]
    slash = _slash_pair_metrics(text, figures, group)
    markers = [(sp.start, re.sub(f"[^0-9{_word('chars_marker_numerals')}①-⑳]", "", sp.text))
               for sp in scanned.skipped if sp.reason == "list marker"]
    marker_starts = [start for start, _ in markers]
    occurrences: list[int] = []
    seen: dict[str, int] = {}
    for _, label in markers:
        occurrences.append(seen.get(label, 0))
        seen[label] = seen.get(label, 0) + 1
    result: list[Target] = []
    previous_metric = ""
    last_total: int | None = None
    figure_number = -1
    for target in targets:
        update: dict[str, Any] = {}
        if target.quantity is not None:
            figure_number += 1
            metric = slash[figure_number] if slash is not None else target.metric
            metric = metric or previous_metric or (group or "")
            update["metric"] = metric
            previous_metric = metric
            change = target.change
            if target.label is not None and last_total is not None:
                # a part is compared the way its total is: 减排849吨（大兴区任务：403吨）
                total = result[last_total]
                change = total.change
                update.update(comparator=total.comparator, change=change, baseline=total.baseline, part_of=last_total)
            update["cumulative"] = not is_level(metric, target.quantity.unit, change)
            if target.quantity.unit == "%" and change is None and text.startswith(_word("share_of_work"), target.quantity.end):
                update["cumulative"] = True  # 100%完成备案公共停车场动态数据接入: a share of the work to complete
            if not target.per and result and result[-1].quantity is not None and result[-1].per and \
                    text[result[-1].quantity.end:target.quantity.start].strip() in _listed("per_list_joiner"):
                update["per"] = result[-1].per  # 每人每月609元、300元: the list shares what it is per
        at = bisect_right(marker_starts, target.start if target.quantity is None else target.quantity.start) - 1
        if at >= 0:
            update.update(item=markers[at][1], item_occurrence=occurrences[at])
        result.append(target.model_copy(update=update))
        if target.quantity is not None and target.label is None:
            last_total = len(result) - 1
    return result


_KINDS_OF = LazyPattern(rf"(?:(?:{_alt('and_word')})?(?:{_alt('above')}))?(?:{_alt('possessive')})?" r"[\u4e00-\u9fff“]{2}")


def _names_kinds(text: str, q: Quantity) -> bool:
    """4类重点对象, 4类以上中医药技术方法的…: a number of kinds before the noun it classes names a class, not
    an amount to reach (a figure of its own, such as 开展4类专项行动 alone, stays an item)."""
    return q.unit == _word("kinds_unit") and _KINDS_OF.match(text, q.end) is not None


def _is_rate_base(text: str, q: Quantity) -> bool:
    return q.start > 0 and text[q.start - 1] == _word("per_word")


# a class threshold: 10亿元以上项目, 65岁及以上老年人, 65蒸吨/小时以下燃煤锅炉, 10千伏及以下配电网
THRESHOLD = LazyPattern(rf"[\u4e00-\u9fff]{{0,2}}?(?:{_alt('and_word')})?(?:{_alt('threshold_word')})(?=[\u4e00-\u9fff])"
                        rf"(?!(?:{_alt('possessive')})?(?:{_alt('threshold_not')}))", needs=_listed("threshold_word"))
_HIGHER_LEVEL = LazyPattern(rf"[(（]\s?(?:{_alt('higher_level')})[^()（）]{{0,12}}$")


def _threshold(work: str, q: Quantity, following: Quantity | None, clause_end: int) -> bool:
    """A figure that names a class, not an amount to reach: followed by 以上/以下 and a noun, and then by the
    figure that counts that class (投资10亿元以上项目10个, 5000万元以上项目12个); or written without a unit we read,
    or per unit of time, before 以上/以下 and a noun (65岁及以上老年人, 65蒸吨/小时以下燃煤锅炉)."""
    m = THRESHOLD.match(work, q.end, clause_end)
    if m is None:
        return False
    if q.unit == "" or "/" in q.unit:
        return True
    return following is not None and m.end() <= following.start and m.end() == q.end + len(m.group()) and \
        m.group()[0] in _word("chars_threshold_lead")


def _higher_level(work: str, q: Quantity, clause_start: int) -> bool:
    """（全省8000公里以上）: a higher level's figure quoted as context inside brackets."""
    return _HIGHER_LEVEL.search(work, max(clause_start - 1, q.start - 16, 0), q.start) is not None


_PROJECT_TOTAL = LazyPattern(rf"^(?:{_alt('project_word')})?{_alt('total_char')}(?:{_alt('project_total')})")
_THIS_YEAR = LazyPattern(_alt("this_year"))


def _without_project_totals(items: list[tuple[int, Target]]) -> list[tuple[int, Target]]:
    """安排产业类项目265项,总投资2093.8亿元,年度预计投资636.5亿元: a project set's total (总投资) beside this year's
    figure of the same kind describes the projects; the year's figure is the item."""
    annual = {t.quantity.dimension for _, t in items if t.quantity is not None and _THIS_YEAR.search(t.metric)}
    if not annual:
        return items
    return [(p, t) for p, t in items if t.quantity is None or t.quantity.dimension not in annual
            or not _PROJECT_TOTAL.match(t.metric)]


_RATE_PAIR = LazyPattern(rf"^(.+?{_alt('rate_char')})(?:{_alt('pair_joiner')})(.{{2,}}?{_alt('rate_char')})$")


def _rate_pairs(items: list[tuple[int, Target]]) -> list[tuple[int, Target]]:
    """任务清单完成率和问题隐患整改率达到100%: one figure for two rates is two items (GOLD.md, seed 002 row 18)."""
    out: list[tuple[int, Target]] = []
    for position, t in items:
        m = _RATE_PAIR.match(t.metric) if t.quantity is not None and t.quantity.unit == "%" else None
        if m is None:
            out.append((position, t))
            continue
        out.append((position, t.model_copy(update={"metric": m.group(1)})))
        out.append((position, t.model_copy(update={"metric": m.group(2)})))
    return out


_SUBJECTS = LazyPattern(r"([\u4e00-\u9fff]{1,8}(?:、[\u4e00-\u9fff]{1,8})+)")
_RESPECTIVELY = LazyPattern(_alt("respectively_word"))
_LIST_HEAD = LazyPattern(rf"^(?:{_alt('list_head')})+")


def _distributed(work: str, items: list[tuple[int, Target]]) -> list[tuple[int, Target]]:
    """城镇、农村低保…分别提高到609元、300元: the k-th figure after 分别 belongs to the k-th of the listed subjects."""
    out = list(items)
    figures = [(n, t) for n, (_, t) in enumerate(items) if t.quantity is not None]
    for m in _RESPECTIVELY.finditer(work):
        after = [(n, t) for n, t in figures if t.quantity is not None and t.quantity.start > m.start()
                 and t.start <= m.start()]
        if len(after) < 2:
            continue
        head = work[after[0][1].start:m.start()]
        lists = _SUBJECTS.findall(head)
        if not lists:
            continue
        names = lists[0].split("、")
        if len(names) != len(after):
            continue
        # the list's first name may carry a verb before it (将城镇), its last the noun they share (农村低保…):
        # parallel names are as long as the middle ones, or the first one
        names[0] = _LIST_HEAD.sub("", names[0])
        size = max((len(x) for x in names[1:-1]), default=len(names[0]))
        names[0], names[-1] = names[0][-size:], names[-1][:size]
        for (n, t), name in zip(after, names):
            out[n] = (out[n][0], t.model_copy(update={"subject": name}))
    return out


_EACH_JOIN = LazyPattern(_alt("each_join"))
_EACH_LEAD = LazyPattern(rf"^.*(?:{_alt('each_lead')})")


def _each(work: str, items: list[tuple[int, Target]]) -> list[tuple[int, Target]]:
    """南关、太守河段整治工程和南河石狗河段整治工程各1.5公里, 甲、乙、丙三镇各5个: a figure after 各 is one item per name
    listed before it (joined by 和/与/及, else by 、), each with that name as its metric and subject."""
    out: list[tuple[int, Target]] = []
    for position, t in items:
        q = t.quantity
        each = t.metric.rfind(_word("each_word"))
        after = t.metric[each + 1:] if each >= 0 else ""
        if q is None or t.subject is not None or each < 0 or not _right_before(work, q.start, t.metric) or (
                after and not _work_verbs().fullmatch(after)):
            out.append((position, t))  # 各 right before the figure, or before the verb of the work (各新建5个)
            continue
        names_text = t.metric[:each]
        names = _EACH_JOIN.split(names_text)
        if len(names) != 2:
            names = names_text.split("、")
        names = [n.strip() for n in names]
        if len(names) < 2 or len(names) > _MAX_EACH or any(len(n) < 2 for n in names):
            out.append((position, t))
            continue
        names[0] = _EACH_LEAD.sub("", names[0]) or names[0]  # 及时将任务分解到宾阳县…: the verb before the first name
        out.extend((position, t.model_copy(update={"metric": name, "subject": name})) for name in names)
    return out


_MAX_EACH = 12  # names one 各 figure is given to, at most


def _right_before(work: str, at: int, words: str) -> bool:
    """`words` stand right before position `at`, but for whitespace (work[:at].rstrip().endswith(words),
    without a copy of all that comes before: that was one per figure)."""
    end = at
    while end > 0 and work[end - 1].isspace():
        end -= 1
    return work.endswith(words, 0, end)


def _describes(work: str, q: Quantity, following: Quantity) -> bool:
    """8项基本便民服务在社区覆盖率达到60%: 8项 describes the metric of the next figure; it is no item. But
    税收收入达到42亿元、增长7%: a figure, a separator and the next figure's own comparison are two items."""
    if _CONJUNCTION.search(work, q.end, following.start):
        return False  # 达到100%或者同比增长5%: two alternatives, two items
    words = [w for w in comparator_words_before(work, q.end, following.start) if w.group() != _word("copula_word")]
    if not words:
        return False
    rest = work[q.end:following.start]
    for w in reversed(words):
        rest = rest[:w.start() - q.end] + rest[w.end() - q.end:]
    return _ITEM_GAP.fullmatch(rest) is None


_MODIFIER_GAP = LazyPattern(rf"[^、，,；;。\n]{{1,{WINDOW}}}(?:{_alt('possessive')})\s?")


def _modifies(work: str, q: Quantity, following: Quantity) -> bool:
    """只有一套住房且鉴定为危房的6086户, 年收入低于3000元的200户: a figure inside the 的-phrase that describes the next
    figure's noun names the class counted, not an amount to reach (no separator and no comparison word between)."""
    if _MODIFIER_GAP.fullmatch(work, q.end, following.start) is None:
        return False
    return not [w for w in comparator_words_before(work, q.end, following.start) if w.group() != _word("copula_word")]


# what may stand between two items of one clause besides their comparison words (、增长, ，同比增长, 以上、提高)
_ITEM_GAP = LazyPattern(r"[\s、,，" + _word("chars_item_gap") + "]*")


def _metric(text: str, work: str, q: Quantity, head: int, tail: int, quotes: list[tuple[int, int]],
            follows_figure: bool = False) -> str:
    """The noun phrase the figure measures, as written in `text`: before it (from the clause start or the
    previous figure), else after it (up to the next figure or the clause end). A phrase that ends with a
    conjunction (危险化学品企业退出及21家加油站…) belongs to the figure before; this figure takes the phrase after it.
    Comparison words inside quotes (“疏解整治促提升”) are part of a name, not a comparison."""
    colon = max(work.rfind("：", head, q.start), work.rfind(":", head, q.start))
    if colon >= 0:
        head = colon + 1  # 小额贷款公司、融资担保公司 风险防控：完成本区6家…: the heading is no metric of the figure
    words = [w for w in comparator_words_before(work, head, q.start)
             if not any(a <= w.start() < b for a, b in quotes)]
    a, b = head, q.start
    if words:
        # the nearest comparison word ends the metric (市容环境建设指数为87: 为); a change word right before it
        # belongs to the comparison too (同比下降)
        nearest = words[-1]
        cut = nearest.start()
        for earlier in reversed(words[:-1]):
            if earlier.end() == cut:
                cut = earlier.start()
        a, b = (head, cut) if cut > head else (nearest.end(), q.start)
    joined = follows_figure and work[head:q.start].rstrip(" ").endswith(_JOINERS)
    a, b = _clean_span(work, a, b)
    after_a, after_b = _clean_span(work, q.end + _after_figure(work, q.end, tail), tail)
    if b - a >= 3 and not joined and not (after_b > after_a and _work_verbs().fullmatch(work, a, b)):
        # one or two characters before the figure are a verb (实施10项疏堵工程), and so are words of work alone
        # (启动实施1项环保技改项目)
        return text[a:b]
    if after_b > after_a:
        return text[after_a:after_b]
    return text[a:b]


_JOINERS = _listed("joiner")


@cache
def _work_verbs() -> re.Pattern[str]:
    """A run of words of work that names no measure: step words, work verbs, bare verbs (data files)."""
    found = {r[0] for r in rows("stages.tsv")} | set(words("completion_words.tsv", "verb")) \
        | set(words("statement_words.tsv", "bare_verb"))
    verbs = "|".join(re.escape(w) for w in sorted(found, key=len, reverse=True))
    return re.compile(f"(?:{verbs})(?:、?(?:{verbs}))*")  # 新建、改扩建70所公办幼儿园: a list of work verbs names no measure


def _after_figure(work: str, end: int, tail: int) -> int:
    m = _AFTER_FIGURE.match(work, end, tail)
    return m.end() - end if m else 0


def _clean_span(work: str, a: int, b: int) -> tuple[int, int]:
    """work[a:b] without the leading verbs, trailing function words, baselines and punctuation around it."""
    for _ in range(3):
        before = (a, b)
        m = _LEADING.match(work, a, b)
        if m is not None and m.end() > a:
            a = m.end()
        for pattern in (_TRAILING_SPAN, _BASELINE_TAIL):
            # looked for in the last _TAIL_WINDOW characters only: a search of the whole span for a run
            # anchored at its end tries that run from every start (quadratic on 其中,其中,… cut short)
            m = pattern.search(work, max(a, b - _TAIL_WINDOW), b)
            if m is not None and m.start() < b:
                b = m.start()
        while a < b and work[a] in _EDGE:
            a += 1
        while b > a and work[b - 1] in _EDGE:
            b -= 1
        if (a, b) == before:
            break
    return a, b


_EDGE = frozenset(" 、，,:：'/（(。；;.!！?？\n\t")
_TAIL_WINDOW = 64  # characters: no run of trailing function words or baseline words is longer


def _clean(phrase: str) -> str:
    a, b = _clean_span(phrase, 0, len(phrase))
    return phrase[a:b]


def _slash_pair_metrics(text: str, targets: list[Target], group: str | None) -> list[str] | None:  # noqa: D103
    """84.7亿元/166.3亿元 under 一般公共预算收入及支出 → [一般公共预算收入, 一般公共预算支出]."""
    if len(targets) != 2 or targets[0].quantity is None or targets[1].quantity is None:
        return None
    first, second = targets[0].quantity, targets[1].quantity
    if text[first.end:second.start].strip() != "/":
        return None
    names = group or targets[0].metric or ""
    m = re.fullmatch(rf"(.+)(?:{_alt('slash_joiner')})([^{_word('chars_slash_joiner')}]{{1,6}})", names)
    if m is None or len(m.group(1)) <= len(m.group(2)):
        return [names, names]
    left, right = m.group(1), m.group(2)
    return [left, left[:-len(right)] + right]
