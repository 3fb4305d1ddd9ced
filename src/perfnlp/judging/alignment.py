"""Stage 6: alignment. For each target item, which progress figure measures it.

Evidence, strongest first:
1. scope: a labelled part (大兴区任务：500蒸吨) looks only in the progress section with the same label
   (【大兴区】：…); a numbered target item looks in the progress item with the same number when the
   progress is numbered the same way;
2. unit dimension: a figure must be convertible to the target's unit (1.728万辆 against 24530辆; 户 never
   against 处); percentages that are stated completion ratios are not measurements; a change target
   (下降3%) takes only figures written as a change (同比下降8.57%), a level target never does;
3. metric words: jieba's segmentation of the metric against the words before each figure, with the
   synonyms of data/metric_synonyms.tsv (VOCs = 挥发性有机物); jieba is loaded only when two figures
   compete;
4. position: the earlier figure.

Figures that are not progress are left out: a figure inside a section label (【新建污水收集管网40公里】), a
figure that restates the target's own value without a completion verb (5条道路疏堵工程，已完成清单编制), a
figure equal to another item's target value (it belongs to that item), figures of another stage (已签订
合同300蒸吨) and plans (预计). When a total's figures come in parts for different areas (大兴区…4253.01万立方米，
开发区…473.9820万立方米), the parts are summed.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache

from ..reading.comparators import read_comparison
from ..text.lexicon import rows
from ..text.clauses import boundaries
from ..text.normalize import fold
from ..statements.progress import Progress
from ..reading.quantities import Quantity
from ..statements.targets import Target


@dataclass(slots=True)
class Alignment:
    """The figures chosen for one target item (several when parts are summed), and what was noticed."""

    figures: list[Quantity] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    signed_change: Decimal | None = None   # for a change target: the change in the target's direction

    @property
    def figure(self) -> Quantity | None:
        return self.figures[0] if self.figures else None


_CLAUSE = "，。；;,\n"
_AREA = re.compile(r"(?:[\u4e00-\u9fff]{1,8}(?:区|县|镇|乡|街道)|开发区)")
_COMPLETION_VERB = re.compile(r"完成|已|累计|共|实现|达到|新增|建成|拆除|淘汰|整治|清理|查处|处罚|检查|办理|发放|"
                              r"推广|改造|签约|新建|提升|安装|建设|受理|疏解|引进|推进")


@cache
def _stage_words() -> tuple[tuple[str, str], ...]:
    return tuple((r[0], r[1]) for r in rows("stages.tsv"))


@cache
def _synonyms() -> dict[str, str]:
    canonical: dict[str, str] = {}
    for row in rows("metric_synonyms.tsv"):
        for word in row:
            canonical[word] = row[0]
    return canonical


def _clause_bounds(text: str, position: int) -> tuple[int, int]:
    return boundaries(text, _CLAUSE).span_of(position)


def _sentence_bounds(text: str, position: int) -> tuple[int, int]:
    return boundaries(text, "。；;\n").span_of(position)


@lru_cache(maxsize=4096)
def _tokens(phrase: str) -> frozenset[str]:
    """Words of a phrase (jieba), folded to their canonical synonyms; single characters dropped."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # jieba announces its dictionary on stderr otherwise
    synonyms = _synonyms()
    words = set()
    for word in jieba.lcut(phrase):
        word = word.strip()
        if len(word) >= 2:
            words.add(synonyms.get(word, word))
    for synonym, canonical in synonyms.items():  # multi-word synonyms jieba may split (万元GDP能耗)
        if synonym in phrase:
            words.add(canonical)
    return frozenset(words)


def metric_similarity(metric: str, context: str) -> float:
    """The share of the metric's words (weighted by length) found among the context's words."""
    if not metric or not context:
        return 0.0
    a, b = _tokens(metric), _tokens(context)
    if not a:
        return 0.0
    common = a & b
    return sum(len(w) for w in common) / sum(len(w) for w in a)


def _scope_segments(target: Target, progress: Progress) -> tuple[int, int] | None:
    """The part of the progress text a target item may look in, or None for all of it."""
    sections = [s for s in progress.segments if s.kind == "section"]
    if target.label and sections:
        for s in sections:
            if target.label in s.label or s.label in target.label:
                return s.start, s.end
    if target.quantity is not None:
        for s in sections:
            if target.quantity.text in s.label:
                return s.start, s.end  # 【新建污水收集管网40公里】目前已完成方案编制…: the section names the item
    items = [s for s in progress.segments if s.kind == "item"]
    if target.item and items:
        # lists may restart (城南行动：1.… 平原新城发展：1.…): the k-th item 1 of the target is the k-th of the progress
        same = [s for s in items if s.label == target.item]
        if len(same) > target.item_occurrence:
            segment = same[target.item_occurrence]
            return segment.start, segment.end
    return None


class _SectionLabels:
    """Is a figure inside a section label 【…】? The brackets are found once per text, each question is a
    binary search (a figure after an unclosed 【 and before some 】, with no 】 in between)."""

    def __init__(self, text: str) -> None:
        self.opens = [i for i, ch in enumerate(text) if ch == "【"]
        self.closes = [i for i, ch in enumerate(text) if ch == "】"]

    def holds(self, q: Quantity) -> bool:
        before = bisect_left(self.opens, q.start) - 1
        if before < 0 or not self.closes or self.closes[-1] < q.end:
            return False
        open_at = self.opens[before]
        next_close = bisect_left(self.closes, open_at)
        return next_close == len(self.closes) or self.closes[next_close] >= q.start


def _change_of(folded: str, q: Quantity) -> str | None:
    """增长/下降 written right before the figure, read in the folded progress text."""
    start, end = _clause_bounds(folded, q.start)
    return read_comparison(folded, q.start, q.end, start, end).change


def _stage_flag(progress: Progress, q: Quantity) -> str | None:
    start, _ = _clause_bounds(progress.text, q.start)
    before = progress.text[start:q.start]
    for word, flag in _stage_words():
        if word in before:
            return flag
    return None


_RATE_AT_END = re.compile(r"([\u4e00-\u9fff]{0,3}率)$")
_RATE_BEFORE = re.compile(r"([\u4e00-\u9fff]{0,3}率)(?:为|达到|达|是|已达|提高到|提升至)?\s?$")


def _other_rate(target: Target, progress: Progress, q: Quantity) -> bool:
    """The target measures X率 and the figure is written as another 率 (优秀率 against 达标率)."""
    if q.unit != "%":
        return False
    want = _RATE_AT_END.search(target.metric)
    start, _ = _clause_bounds(progress.text, q.start)
    have = _RATE_BEFORE.search(progress.text, start, q.start)
    if want is None or have is None:
        return False
    synonyms = _synonyms()
    a, b = want.group(1), have.group(1)
    return a[-2:] != b[-2:] and synonyms.get(a) != synonyms.get(b, b)


def _restates(target: Target, progress: Progress, q: Quantity) -> bool:
    """5条道路疏堵工程，上半年已完成清单编制: the target's own figure as the topic, no completion verb before it."""
    if target.quantity is None or not target.cumulative:
        return False
    if q.value != target.quantity.value or q.unit != target.quantity.unit:
        return False
    start, _ = _clause_bounds(progress.text, q.start)
    return _COMPLETION_VERB.search(progress.text, start, q.start) is None


MAX_CANDIDATES = 400  # a real progress text has a few dozen figures; past this, a flag says the rest were not weighed


@dataclass(frozen=True, slots=True)
class _Figure:
    """What alignment needs to know of a progress figure, worked out once per figure."""

    quantity: Quantity
    change: str | None       # 增长/下降 written right before it
    stage: str | None        # a flag of data/stages.tsv (已签订合同 …)


def align(targets: list[Target], progress: Progress, report_year: int | None = None) -> list[Alignment]:
    """One Alignment per target item, in order. `report_year` prefers the figures written for that year."""
    stated_indexes = {s.quantity_index for s in progress.stated}
    folded = fold(progress.text)
    labels = _SectionLabels(progress.text)
    figures = [_Figure(q, _change_of(folded, q), _stage_flag(progress, q))
               for i, q in enumerate(progress.quantities)
               if i not in stated_indexes and not labels.holds(q)]
    change_of = {id(f.quantity): f.change for f in figures}
    by_dimension: dict[str, list[_Figure]] = {}
    for figure in figures:
        by_dimension.setdefault(figure.quantity.dimension, []).append(figure)
    # a count equal to another item's target belongs to that item (110家企业已对接 → the 110家 item); rates
    # and percentages coincide too often for this to mean anything
    target_values = {(t.quantity.value, t.quantity.unit): i for i, t in enumerate(targets)
                     if t.quantity is not None and t.cumulative and t.quantity.dimension.startswith("count")}
    out: list[Alignment] = []
    taken: set[int] = set()
    for index, target in enumerate(targets):
        alignment = Alignment()
        out.append(alignment)
        if target.quantity is None:
            continue
        scope = _scope_segments(target, progress)
        candidates = _candidates(target, index, progress, scope, by_dimension, target_values, alignment)
        if not candidates:
            if any(f.quantity.dimension != target.quantity.dimension for f in figures):
                alignment.flags.append("unit_mismatch")
            continue
        chosen = _choose(target, progress, candidates, taken, report_year)
        parts = [chosen]
        if target.label is None and scope is None:
            parts = _area_parts(target, progress, candidates, chosen)
            if len(parts) > 1:
                alignment.flags.append("summed_parts")
        alignment.figures = parts
        taken.update(id(q) for q in parts)
        if target.change is not None:
            # the change in the target's direction; a change the other way counts against it
            alignment.signed_change = sum(
                (q.value if change_of[id(q)] == target.change else -q.value for q in parts), Decimal(0))
    return out


def _candidates(target: Target, index: int, progress: Progress, scope: tuple[int, int] | None,
                by_dimension: dict[str, list[_Figure]], target_values: dict[tuple[Decimal, str], int],
                alignment: Alignment) -> list[Quantity]:
    """The progress figures that could measure the target item, in text order."""
    assert target.quantity is not None
    pool = by_dimension.get(target.quantity.dimension, [])
    if target.quantity.dimension == "number":
        pool = [f for f in pool if f.quantity.unit == target.unit]
    out: list[Quantity] = []
    for figure in pool:  # in text order, as the progress lists them
        q = figure.quantity
        if scope is not None and not scope[0] <= q.start < scope[1]:
            continue
        owner = target_values.get((q.value, q.unit))
        if owner is not None and owner != index:
            continue  # 110家企业已对接 restates item 2's figure: not item 1's progress
        if target.change is not None and figure.change is None:
            continue
        if target.change is None and figure.change is not None and not target.cumulative:
            continue  # 同比增长0.4% is a change, not the level of a rate
        if _other_rate(target, progress, q):
            continue  # 优秀率达93.33% does not measure 达标率
        if _restates(target, progress, q):
            alignment.flags.append("restated_target")
            continue
        if figure.stage is not None:
            alignment.flags.append(figure.stage)
            continue
        out.append(q)
        if len(out) >= MAX_CANDIDATES:
            alignment.flags.append("too_many_figures")
            break
    return out


def _window(progress: Progress, q: Quantity) -> str:
    """The words that say what a figure measures: its clause, or the previous clause too when its own
    clause has hardly any words before it (…，开发区473.98万立方米)."""
    text = progress.text
    start, end = _clause_bounds(text, q.start)
    if start > 0 and (len(re.findall(r"[\u4e00-\u9fffA-Za-z]", text[start:q.start])) < 4
                      or text.startswith("其中", start)):
        start, _ = _clause_bounds(text, start - 1)  # 其中2022年推广480辆 speaks of the clause before
    return text[start:q.start] + text[q.end:end]


_DONE = re.compile(r"已完成|完成|累计|建成|实现|已")
_UNDER_WAY = re.compile(r"开展了|开展|启动|正在|推进|进行")
_SO_FAR = re.compile(r"累计|平均|均值|上半年|[0-9]{1,2}\s?[-~至]\s?[0-9]{1,2}\s?月|截至|截止|全年")


def _choose(target: Target, progress: Progress, candidates: list[Quantity], taken: set[int],
            report_year: int | None = None) -> Quantity:
    free = [q for q in candidates if id(q) not in taken] or candidates
    if len(free) == 1:
        return free[0]
    scored = []
    for position, q in enumerate(free):
        window = _window(progress, q)
        clause_start, _ = _clause_bounds(progress.text, q.start)
        before = progress.text[clause_start:q.start]
        similarity = metric_similarity(target.metric, window)
        evidence = 0.0
        if _DONE.search(before):
            evidence += 0.3       # 已完成锅炉改造的有218台,408.6蒸吨 over 436台锅炉(共计1025.6蒸吨)开展了低氮改造
        if _UNDER_WAY.search(before + progress.text[q.end:q.end + 12]):
            evidence -= 0.3
        if _SO_FAR.search(before):
            evidence += 0.2       # 1-6月份平均降尘量 over 6月份降尘量: the year so far measures an annual target
        if target.label is None and _after_breakdown(progress, q) and not (
                report_year is not None and re.search(rf"{report_year}\s?年", before)):
            evidence -= 0.5       # …,其中蔬菜零售网点11个: a part, not the total
        if target.quantity is not None and q.value == target.quantity.value and len(free) > 1:
            evidence -= 0.2       # the target's own figure restated as scope (31家加油站中完成20家)
        if report_year is not None and re.search(rf"{report_year}\s?年", before):
            evidence += 0.8       # 累计推广565辆，其中2022年推广480辆: this year's figure measures this year's target
        same_unit = 1 if q.unit == target.unit else 0
        scored.append((-(similarity + evidence), -same_unit, position, q))
    scored.sort(key=lambda s: s[:3])
    return scored[0][3]


def _after_breakdown(progress: Progress, q: Quantity) -> bool:
    sentence_start, _ = _sentence_bounds(progress.text, q.start)
    return "其中" in progress.text[sentence_start:q.start]


def _area_parts(target: Target, progress: Progress, candidates: list[Quantity], chosen: Quantity) -> list[Quantity]:
    """Figures of one metric for different areas, to be summed: 【大兴区】…369吨。【开发区】…124吨, or
    大兴区再生水利用量4253.01万立方米，开发区再生水利用量473.9820万立方米."""
    if not target.cumulative:
        return [chosen]
    sections = [s for s in progress.segments if s.kind == "section"]
    if len(sections) >= 2:
        per_section: list[Quantity] = []
        for s in sections:
            inside = [q for q in candidates if s.start <= q.start < s.end]
            if inside:
                per_section.append(_choose(target, progress, inside, set()) if len(inside) > 1 else inside[0])
        if len(per_section) >= 2:
            return per_section
    similarity = metric_similarity(target.metric, _window(progress, chosen))
    areas: dict[str, Quantity] = {}
    for q in candidates:
        clause_start, _ = _clause_bounds(progress.text, q.start)
        area = _AREA.search(progress.text, clause_start, q.start)
        if area is None:
            continue
        if abs(metric_similarity(target.metric, _window(progress, q)) - similarity) > 1e-9 or similarity == 0:
            continue
        areas.setdefault(area.group(), q)
    return list(areas.values()) if len(areas) >= 2 else [chosen]


def stated_for(targets: list[Target], index: int, progress: Progress, figures: list[Quantity]) -> float | None:
    """The stated completion ratio that speaks of target item `index`, or None."""
    target = targets[index]
    if not progress.stated:
        return None
    scope = _scope_segments(target, progress)
    stated = [s for s in progress.stated if scope is None or scope[0] <= s.start < scope[1]]
    if not stated:
        return None
    qualified = [s for s in stated if s.qualifier]
    if target.quantity is None:
        # a target with no figure: only a single stated ratio can speak of it
        return stated[0].value if len(stated) == 1 else None
    if qualified and target.metric:
        # how much of what the ratio qualifies (人均检查量) the target's metric names
        best = max(qualified, key=lambda s: metric_similarity(s.qualifier, target.metric))
        if metric_similarity(best.qualifier, target.metric) >= 0.5:
            return best.value
    if not target.cumulative and "完成率" not in target.metric:
        return None  # an unqualified completion percentage says nothing about the level of a rate
    for figure in figures:
        sentence = _sentence_bounds(progress.text, figure.start)
        for s in stated:
            if sentence[0] <= s.start < sentence[1] + 1:
                return s.value
    figure_items = [t for t in targets if t.quantity is not None]
    if len(figure_items) <= 1 and len(stated) == 1 and not stated[0].qualifier:
        return stated[0].value  # one target, one stated ratio: they speak of each other
    return None
