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
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict

from .comparators import ChangeName, ComparatorName, comparator_words_before, read_comparison
from .lexicon import rows
from .periods import Context, context_from
from .quantities import Quantity, Scan, scan


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

    @property
    def value(self):  # noqa: ANN201 - Decimal | None, a shortcut for notebooks
        return self.quantity.value if self.quantity is not None else (0 if self.zero_ceiling else None)

    @property
    def unit(self) -> str:
        return self.quantity.unit if self.quantity is not None else ""

    def _repr_html_(self) -> str:
        from .render import target_html
        return target_html(self)


_CLAUSE_END = "，。；;,\n"
_LEADING = re.compile(r"^(?:\s|[、:：)）]|并且|并|且|其中|年内|全年|确保|力争|争取|要|完成|实现|全面|基本|累计|总计|共计|共|对|"
                      r"在|将|使|力争达到|持续|保持|巩固)+")
_TRAILING = re.compile(r"(?:\s|[、:：(（]|的|等|为|要|在|于|从|由|至|共|累计|总计|其中|任务|达到|达)+$")
_AFTER_FIGURE = re.compile(r"^(?:以上|以下|以内|之内|左右|上下|及以上|及以下|\s|的)+")
_LABEL = re.compile(r"([^\s（(：:；;，,。]{2,20}?)(?:任务|目标)?\s?[：:]\s?$")
_CONJUNCTION = re.compile(r"或者|或|并且|以及|同时")
_SUB_CLAUSE = re.compile(r"[（(](?=其中|[^）)]{1,20}?[：:])")
_BASELINE_TAIL = re.compile(r"(?:(?:比|较)\s?(?:(?:19|20)[0-9]{2}\s?年度?|上年|去年|同期)|同比|环比)+$")


@cache
def _level_words() -> tuple[tuple[str, str], ...]:
    return tuple((r[0], r[1]) for r in rows("metric_words.tsv"))


@cache
def _zero_words() -> re.Pattern[str]:
    words = [r[0] for r in rows("zero_ceilings.tsv") if r[0] != "无"]
    # 无 starts an item only at the head of a list element: 实现无违法经营、无违法出租房屋
    return re.compile("|".join(re.escape(w) for w in words) + r"|(?:(?<=实现)|(?<=即)|(?<=、)|(?<=确保)|(?<=做到))无(?=[\u4e00-\u9fff“])")


_LEVEL_UNITS = frozenset({"%", "‰", "个百分点", "百分点", "分", "倍"})


def is_level(metric: str, unit: str, change: str | None) -> bool:
    """A level metric is judged by its current value, a cumulative one by the share done (docs/semantics.md)."""
    if unit in _LEVEL_UNITS or "/" in unit:
        return True
    if change is not None:
        return unit == ""  # 减排849吨 is a total done during the year; 下降3.5% is a level
    for word, kind in _level_words():
        if word in metric:
            return kind == "level"
    return unit == "" and ("指数" in metric)


def _clauses(text: str, scanned: Scan) -> list[tuple[int, int]]:
    """(start, end) of each clause; list markers and clause punctuation separate them."""
    cuts = {0, len(text)}
    for i, ch in enumerate(text):
        if ch in _CLAUSE_END:
            cuts.add(i + 1)
    for span in scanned.skipped:
        if span.reason == "list marker":
            cuts.add(span.start)
            cuts.add(span.end)
    for m in _SUB_CLAUSE.finditer(text):
        cuts.add(m.start())  # (其中蔬菜零售网点3个), （大兴区任务：500蒸吨）: a breakdown is its own clause
    ordered = sorted(cuts)
    return [(a, b) for a, b in zip(ordered, ordered[1:]) if text[a:b].strip(" \n" + _CLAUSE_END)]


def _clause_of(clauses: list[tuple[int, int]], position: int) -> tuple[int, int]:
    for a, b in clauses:
        if a <= position < b:
            return a, b
    return 0, 0


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
    scanned = scan(text)
    clauses = _clauses(text, scanned)
    zero = _zero_words()
    zero_clauses: dict[tuple[int, int], list[re.Match[str]]] = {}
    for m in zero.finditer(text):
        clause = _clause_of(clauses, m.start())
        zero_clauses.setdefault(clause, []).append(m)

    items: list[tuple[int, Target]] = []  # (sort position, target)
    quantities = [q for q in scanned.quantities if not _is_rate_base(text, q)]
    for clause, matches in zero_clauses.items():
        if any(clause[0] <= q.start < clause[1] for q in quantities) and not any(m.group() == "无" for m in matches):
            # 不发生…，合格率达到90.2%: the figure belongs to its own clause; here the clause holds both
            pass
        for m in matches:
            a, b = _strip_clause_punct(text, *clause)
            element_end = _element_end(text, m.end(), b)
            metric = _clean(text[m.end():element_end])
            items.append((m.start(), Target(text=text[a:b], start=a, end=b, comparator="le", metric=metric,
                                            cumulative=False, zero_ceiling=True)))
    kept = [q for q in quantities
            if not any(c[0] <= q.start < c[1] for c in zero_clauses)
            and not _describes_later_figure(text, q, quantities, clauses)]
    previous_metric = ""
    last_total_index: int | None = None
    pending: list[tuple[int, Target]] = []
    for q in kept:
        clause_start, clause_end = _clause_of(clauses, q.start)
        a, b = _strip_clause_punct(text, clause_start, clause_end)
        metric = _metric(text, q, clause_start, clause_end, kept)
        is_zero = q.value == 0
        comparison = read_comparison(text, q.start, q.end, clause_start, clause_end,
                                     is_index="指数" in (metric or previous_metric or group or ""), is_zero=is_zero)
        label_match = _LABEL.search(text, clause_start, q.start) if clause_start < q.start else None
        label = None
        if label_match is not None and ("任务" in label_match.group() or "（" in text[max(0, clause_start - 12):q.start]
                                        or "(" in text[max(0, clause_start - 12):q.start]):
            label = label_match.group(1).lstrip("（(")
            metric = ""
        pending.append((q.start, Target(
            text=text[a:b], start=a, end=b, comparator=comparison.comparator, change=comparison.change,
            quantity=q, metric=metric, baseline=comparison.baseline, label=label,
            cumulative=True,  # settled below, once the metric is known
        )))
    # metrics that the text leaves implicit, labels and slash pairs
    finished: list[tuple[int, Target]] = []
    slash_metrics = _slash_pair_metrics(text, [t for _, t in pending], group)
    for index, (position, target) in enumerate(pending):
        metric = target.metric
        if slash_metrics is not None:
            metric = slash_metrics[index]
        if not metric:
            metric = previous_metric or (group or "")
        update: dict[str, Any] = {"metric": metric}
        if target.label is not None and last_total_index is not None:
            # a part is compared the way its total is: 减排849吨（大兴区任务：403吨）
            total = finished[last_total_index][1]
            update.update(comparator=total.comparator, change=total.change, baseline=total.baseline)
        unit = target.quantity.unit if target.quantity else ""
        update["cumulative"] = not is_level(metric, unit, update.get("change", target.change))
        finished.append((position, target.model_copy(update=update)))
        previous_metric = metric
        if target.label is None:
            last_total_index = index
    combined = sorted(items + finished, key=lambda pair: pair[0])
    markers = [(sp.start, re.sub(r"[^0-9一二三四五六七八九十①-⑳]", "", sp.text))
               for sp in scanned.skipped if sp.reason == "list marker"]
    if markers:
        def marker_at(pos: int) -> dict[str, Any]:
            before = [label for start, label in markers if start <= pos]
            if not before:
                return {}
            return {"item": before[-1], "item_occurrence": before[:-1].count(before[-1])}
        combined = [(pos, t.model_copy(update=marker_at(pos))) for pos, t in combined]
    if not combined:
        # a target with no figure (完成方案编制) is still a target: one item, no quantity
        a, b = _strip_clause_punct(text, 0, len(text))
        return [Target(text=text[a:b], start=a, end=b, comparator="ge", metric=_clean(text[a:b])[:60] or (group or ""),
                       cumulative=True)]
    # part_of indexes the final order
    order = {id(t): i for i, (_, t) in enumerate(combined)}
    pending_targets = [t for _, t in combined if not t.zero_ceiling]
    result: list[Target] = []
    for _, target in combined:
        if target.part_of is None and target.label is not None:
            # find the nearest preceding unlabelled figure item
            own = order[id(target)]
            total = next((order[id(t)] for t in reversed(pending_targets)
                          if t.label is None and t.quantity is not None and order[id(t)] < own), None)
            target = target.model_copy(update={"part_of": total})
        result.append(target)
    return result


def _element_end(text: str, start: int, clause_end: int) -> int:
    for i in range(start, clause_end):
        if text[i] in "、和及" + _CLAUSE_END:
            return i
    return clause_end


def _is_rate_base(text: str, q: Quantity) -> bool:
    return q.start > 0 and text[q.start - 1] == "每"


def _describes_later_figure(text: str, q: Quantity, quantities: list[Quantity], clauses: list[tuple[int, int]]) -> bool:
    """8项基本便民服务在社区覆盖率达到60%: 8项 describes the metric of 60%, it is no item of its own."""
    clause = _clause_of(clauses, q.start)
    for later in quantities:
        if later.start <= q.end or not clause[0] <= later.start < clause[1]:
            continue
        if _CONJUNCTION.search(text, q.end, later.start):
            continue  # 达到100%或者同比增长5%: two alternatives, two items
        between = comparator_words_before(text, q.end, later.start)
        if any(w.group() != "为" for w in between):
            return True
    return False


def _metric(text: str, q: Quantity, clause_start: int, clause_end: int, kept: list[Quantity]) -> str:
    # the metric before the figure: from the clause start or the previous figure in the clause
    head = clause_start
    for other in kept:
        if clause_start <= other.end <= q.start and other is not q:
            head = max(head, other.end)
    before = text[head:q.start]
    words = comparator_words_before(text, head, q.start)
    if words:
        # the nearest comparison word ends the metric (市容环境建设指数为87: 为, not 建设); a change word before
        # it belongs to the comparison too (同比下降)
        nearest = words[-1]
        cut = nearest.start()
        for earlier in reversed(words[:-1]):
            if earlier.end() == cut:
                cut = earlier.start()
        before = text[head:cut] if cut > head else text[nearest.end():q.start]
    before = _clean(before)
    if len(before) >= 3 or (before and not _only_verb(before)):
        return before
    after_start = q.end
    tail = text[after_start:clause_end]
    tail = _AFTER_FIGURE.sub("", tail)
    # stop at the next figure or a bracket that opens a breakdown
    stop = len(tail)
    for other in kept:
        if after_start <= other.start < clause_end:
            stop = min(stop, other.start - after_start - (len(text[after_start:clause_end]) - len(tail)))
    after = _clean(tail[:max(stop, 0)])
    return after or before


def _clean(phrase: str) -> str:
    phrase = phrase.replace("“", "").replace("”", "").replace('"', "")
    phrase = _LEADING.sub("", phrase.strip())
    phrase = _BASELINE_TAIL.sub("", _TRAILING.sub("", phrase))
    phrase = _TRAILING.sub("", phrase)
    return phrase.strip(" 、，,:：'/（(")


def _only_verb(phrase: str) -> bool:
    return len(phrase) <= 2


def _slash_pair_metrics(text: str, targets: list[Target], group: str | None) -> list[str] | None:
    """84.7亿元/166.3亿元 under 一般公共预算收入及支出 → [一般公共预算收入, 一般公共预算支出]."""
    if len(targets) != 2 or targets[0].quantity is None or targets[1].quantity is None:
        return None
    first, second = targets[0].quantity, targets[1].quantity
    if text[first.end:second.start].strip() != "/":
        return None
    names = group or targets[0].metric or ""
    m = re.fullmatch(r"(.+)(?:及|和|与|、)([^及和与、]{1,6})", names)
    if m is None or len(m.group(1)) <= len(m.group(2)):
        return [names, names]
    left, right = m.group(1), m.group(2)
    return [left, left[:-len(right)] + right]
