"""Stage 6: alignment. For each target item, which progress figure measures it.

Evidence, strongest first:
1. scope: a labelled part (大兴区任务：500蒸吨) looks only in the progress section with the same label
   (【大兴区】：…); a numbered target item looks in the progress item with the same number when the
   progress is numbered the same way;
2. unit dimension: a figure must be convertible to the target's unit (1.728万辆 against 24530辆; 户 never
   against 处); percentages that are stated completion ratios are not measurements; a change target
   (下降3%) takes only figures written as a change (同比下降8.57%), a level target never does;
3. what the figure is: not a plan (预计, 力争, 计划), not another year's result (2019年… in a 2020 report),
   not an earlier step of the work than the target asks for (data/stages.tsv: 已签约, 已开工 against 建成);
4. metric words: the character bigrams of the metric against the words around each figure, synonyms
   folded (judging/similarity.py), each bigram weighted by how rare it is among the figures (花生 tells
   the 花生播种面积 figure from the 大豆播种面积 one, 播种面积 does not);
5. position: a part (其中大豆播种面积12400亩) takes a part (其中大豆1.8万亩), a total a total; items and
   figures listed in the same order pair in that order; the earlier figure.

Items are paired with figures best pair first over the whole target (not item by item in order), so that
one item's loose match does not take the figure another item names exactly.

Figures that are not progress are left out: a figure inside a section label (【新建污水收集管网40公里】), a
figure that restates the target's own value with no completion word on either side (5条道路疏堵工程，已完成
清单编制; but 12所学校已全部建成 is the achieved figure), a figure equal to another item's target value (it
belongs to that item). When a total's figures come in parts for different areas (大兴区…4253.01万立方米，
开发区…473.9820万立方米), the parts are summed.

Every fact about a progress figure (its change word, step, the words around it) is read once per figure, in
a window of at most WINDOW characters around it (reading/reading.py): linear in the length of the text.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import cache
from itertools import islice
from typing import Iterable

from ..reading.comparators import change_words, per_key, read_comparison
from ..reading.quantities import Quantity
from ..reading.reading import WINDOW, Reading, read
from ..statements.progress import Progress, Segment, node_goals
from ..statements.targets import THRESHOLD, Target, names_a_ceiling
from ..text.lexicon import alternation, rows, words
from ..text.patterns import CJK_CHAR, LazyPattern
from ..text.records import SlotRecord
from .similarity import canonical, grams, similarity
from .words import alt, listed, word

metric_similarity = similarity  # the name earlier releases used


class Alignment(SlotRecord):
    """The figures chosen for one target item (several when parts are summed), and what was noticed."""

    __slots__ = ("figures", "flags", "signed_change", "stated", "stated_index", "claim", "per", "adopted")

    figures: list[Quantity]
    flags: list[str]
    signed_change: Decimal | None   # for a change target: the change in the target's direction
    stated: float | None            # the completion share the progress states of this item
    stated_index: int | None        # which of Progress.stated it is
    claim: str | None               # "claim" or "partial": a claim of completion that speaks of it
    per: frozenset[str]             # the figures are per these (人, 月), as the target is: compare as written
    adopted: dict                   # what an item that names nothing takes from its figure (目标10.5% /
                                    # 地区生产总值增长58.3%: the change; 居民消费价格涨幅: a ceiling)

    def __init__(self, figures: list[Quantity] | None = None, flags: list[str] | None = None,
                 signed_change: Decimal | None = None, stated: float | None = None, stated_index: int | None = None,
                 claim: str | None = None, per: frozenset[str] = frozenset(), adopted: dict | None = None) -> None:
        self.figures = figures if figures is not None else []  # a list of its own for each, as a default factory
        self.flags = flags if flags is not None else []
        self.signed_change, self.stated, self.stated_index, self.claim = signed_change, stated, stated_index, claim
        self.per = per
        self.adopted = adopted if adopted is not None else {}

    @property
    def figure(self) -> Quantity | None:
        return self.figures[0] if self.figures else None

    def copy(self) -> Alignment:
        """The same, with lists and dict of its own (its figures are frozen)."""
        return Alignment(list(self.figures), list(self.flags), self.signed_change, self.stated, self.stated_index,
                         self.claim, self.per, dict(self.adopted))


_AREA = LazyPattern(rf"(?:[\u4e00-\u9fff]{{1,8}}(?:{alt('area_suffix')})|{alt('dev_zone')})",
                    needs=(*listed("area_suffix"), *listed("dev_zone")))
_BREAKDOWN_WORD = LazyPattern(alt("breakdown"))
_YEAR = LazyPattern(rf"((?:19|20)[0-9]{{2}})\s?{alt('year_char')}(?!\s?[-~{''.join(listed('span_to'))}])")


@cache
def _steps() -> dict[str, int]:
    return {r[0]: int(r[1]) for r in rows("stages.tsv")}


@cache
def _step_pattern(target_side: bool = False) -> re.Pattern[str]:
    """The step words of data/stages.tsv; those marked "target" only on the target side."""
    found = [r[0] for r in rows("stages.tsv") if target_side or len(r) < 3 or r[2] != "target"]
    return re.compile("|".join(re.escape(w) for w in sorted(found, key=len, reverse=True)))


@cache
def _not_plan() -> frozenset[str]:
    """Words that hold a plan word but make no plan (预计为, 按照计划): matched with the plan words (the
    longest first), then left out."""
    return frozenset(words("plan_words.tsv", "not_plan"))


class _Scopes:
    """Where in the progress each target item may look: the sections (【大兴区】：…) and numbered items of the
    progress, indexed once."""

    LOOKED_AT = 64  # sections compared by containment per item; beyond, only exact labels are looked up

    def __init__(self, progress: Progress, targets: list[Target] | None = None) -> None:
        self.sections = [s for s in progress.segments if s.kind == "section"]
        self.by_label: dict[str, Segment] = {}
        for s in self.sections:
            self.by_label.setdefault(s.label, s)
        self.items: dict[str, list[Segment]] = {}
        for s in progress.segments:
            if s.kind == "item":
                self.items.setdefault(s.label, []).append(s)
        self.structured = [(s.start, s.end) for s in progress.segments if s.kind in ("item", "section")]
        # numbered items bind a target item to the progress item of its number only when the progress is
        # numbered as the target is (as many items); otherwise the number is a hint (see `numbered`)
        listed = sum(len(v) for v in self.items.values())
        keys = {(t.item, t.item_occurrence) for t in targets or [] if t.item}
        self.mirrored = targets is None or (bool(keys) and len(keys) == listed)

    def numbered(self, target: Target) -> tuple[int, int] | None:
        """The progress item with the target item's number, mirrored or not."""
        same = self.items.get(target.item or "", [])
        if len(same) > target.item_occurrence:
            return same[target.item_occurrence].start, same[target.item_occurrence].end
        return None

    def of(self, target: Target) -> tuple[int, int] | None:
        """The part of the progress text a target item may look in, or None for all of it."""
        if target.label and self.sections:
            exact = self.by_label.get(target.label)
            if exact is not None:
                return exact.start, exact.end
            for s in self.sections[:self.LOOKED_AT]:
                if target.label in s.label or s.label in target.label:
                    return s.start, s.end
        if target.quantity is not None:
            for s in self.sections[:self.LOOKED_AT]:
                if target.quantity.text in s.label:
                    return s.start, s.end  # 【新建污水收集管网40公里】目前已完成方案编制…: the section names the item
        if target.item and self.items and self.mirrored:
            # lists may restart (城南行动：1.… 平原新城发展：1.…): the k-th item 1 of the target is the k-th of the progress
            return self.numbered(target)
        return None

    def outside(self, position: int) -> bool:
        """Whether a position lies outside every section and numbered item (a preamble)."""
        return not any(a <= position < b for a, b in self.structured[:self.LOOKED_AT])


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


_RATE_AT_END = LazyPattern(rf"([\u4e00-\u9fff]{{0,3}}{alt('rate_char')})$", needs=listed("rate_char"))
_RATE_BEFORE = LazyPattern(rf"([\u4e00-\u9fff]{{0,3}}{alt('rate_char')})(?:{alt('rate_verb')})?\s?$",
                           needs=listed("rate_char"))


def _numerator(q: Quantity) -> str:
    return q.dimension.split("/")[0]


class _Figure(SlotRecord):
    """What alignment needs to know of a progress figure, worked out once per figure."""

    __slots__ = ("quantity", "index", "change", "step", "plan", "year", "before", "near", "window", "rate",
                 "after_breakdown", "done_after", "stated", "verb_before", "per", "scope_after", "near_before",
                 "pending", "rank", "names_work")

    quantity: Quantity
    index: int               # its position among the progress figures
    change: str | None       # 增长/下降 written right before it
    step: int | None         # the step of the work it counts (data/stages.tsv), None when no word says
    plan: bool               # 预计, 计划, 力争 … before it in its clause
    year: int | None         # a year written before it in its clause (2019年完成…)
    before: str              # the words of its clause before it (at most WINDOW characters)
    near: str                # the words between it and its neighbouring figures in its clause
    window: str              # the wider words that say what it measures
    rate: str | None         # the 率 it is written as (优秀率达93.33%)
    after_breakdown: bool    # a 其中 earlier in its sentence
    done_after: bool         # a completion word right after it (12所学校已全部建成)
    stated: str | None       # the phrase, when the figure is a stated completion share (投资完成率37.44%)
    verb_before: bool        # a completion verb earlier in its clause (新建成…等7所: reaching back 2 windows)
    per: frozenset[str]      # what it is per (900元/月/人 → 月, 人)
    scope_after: bool        # 31家加油站中完成20家: the figure is the scope of what follows
    near_before: str         # the words before it back to the previous figure (into the clause before, when
                             # its own is elliptical: …已完成锅炉改造的有218台,408.6蒸吨)
    pending: bool            # work still going on is what it counts (目前1家正在施工; 正在开展前期手续7所)
    rank: int                # its order among the figures of its dimension
    names_work: bool         # 工程/项目 right after it: it sizes the work named (改造…管线5公里工程)

    def __init__(self, quantity: Quantity, index: int, change: str | None, step: int | None, plan: bool,
                 year: int | None, before: str, near: str, window: str, rate: str | None, after_breakdown: bool,
                 done_after: bool, stated: str | None = None, verb_before: bool = False,
                 per: frozenset[str] = frozenset(), scope_after: bool = False, near_before: str = "",
                 pending: bool = False, rank: int = 0, names_work: bool = False) -> None:
        self.quantity, self.index, self.change, self.step, self.plan = quantity, index, change, step, plan
        self.year, self.before, self.near, self.window, self.rate = year, before, near, window, rate
        self.after_breakdown, self.done_after, self.stated, self.verb_before = after_breakdown, done_after, stated, verb_before
        self.per, self.scope_after, self.near_before, self.pending = per, scope_after, near_before, pending
        self.rank, self.names_work = rank, names_work


class _Facts:
    """The figures of one progress text with their facts, read once."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        reading = read(progress.text)
        self.reading = reading
        stated_phrases = {s.quantity_index: s.text for s in progress.stated}
        quoted_targets = {s.target_index for s in progress.stated if s.target_index is not None} | set(node_goals(reading))
        labels = _SectionLabels(progress.text)
        steps = reading.find(_step_pattern())
        plans = reading.find(alternation("plan_words.tsv", "clause", "not_plan"))
        done = reading.find(alternation("completion_words.tsv", "done"))
        verbs = reading.find(alternation("completion_words.tsv", "verb"))
        pending = reading.find(alternation("completion_words.tsv", "pending"))
        breakdowns = reading.find(_BREAKDOWN_WORD)
        years = reading.find(_YEAR)
        changes = reading.find(change_words())
        quantities = progress.quantities
        # 下半年开学后尽快覆盖50%以上 in an August report: a period still to come makes its clause a plan
        plan_periods = [p for p in progress.periods if p.plan][:MAX_CANDIDATES]
        self.figures: list[_Figure] = []
        for i, q in enumerate(quantities):
            if labels.holds(q) or i in quoted_targets or _QUOTED_TARGET.search(reading.folded, max(0, q.start - 40), q.start):
                continue  # 为上半年投资目标(610亿元)的113.39%: a target written in the progress is no progress
            start = reading.back(q.start)
            clause_start, clause_end = reading.clause_of(q.start)
            previous_end = quantities[i - 1].end if i and quantities[i - 1].end > clause_start else clause_start
            if i and previous_end == quantities[i - 1].end:
                threshold = THRESHOLD.match(reading.folded, previous_end, q.start)
                if threshold is not None and threshold.group()[0] in listed("threshold_lead"):
                    # 10亿元以上项目24个: the class the figure counts is named with a figure of its own
                    previous_end = max(clause_start, quantities[i - 1].start)
            next_start = quantities[i + 1].start if i + 1 < len(quantities) and quantities[i + 1].start < clause_end \
                else clause_end
            near_start, near_end = max(previous_end, start), min(next_start, reading.ahead(q.end))
            if next_start < clause_end:  # 城镇616元/人月、农村459元/人月: after a separator the words are the next figure's
                separator = _SEPARATOR.search(reading.folded, q.end, near_end)
                near_end = separator.start() if separator else near_end
            after_unit = q.end + 1 if q.unit.endswith(word("per_head_unit")) and _PER_TAIL.match(reading.folded, q.end) else q.end
            elliptical = _elliptical(reading, q)
            window = _window(reading, q, elliptical)
            if elliptical:  # its words are those of the clause before
                near_start = reading.back(clause_start - 1, q.start - WINDOW)
            colon = max(reading.folded.rfind(":", near_start, q.start), reading.folded.rfind("：", near_start, q.start))
            if colon >= 0:
                near_start = colon + 1  # 小额贷款公司、融资担保公司风险防控：已完成本区6家…: a heading is no metric
            step = steps.last(near_start, q.start) or steps.first(q.end, near_end)
            year = years.last(start, q.start)
            rate = _RATE_BEFORE.search(reading.folded, start, q.start)
            sentence_start = max(reading.sentence_of(q.start)[0], q.start - 4 * WINDOW)
            self.figures.append(_Figure(
                quantity=q, index=i,
                change=read_comparison(reading.folded, q.start, q.end, start, reading.ahead(q.end)).change
                if changes.any(start, q.start) else None,
                step=_steps()[step[2]] if step is not None else None,
                plan=any(w not in _not_plan() for _, _, w in plans.inside(start, q.start))
                or any(start <= p.start < q.start for p in plan_periods),
                year=int(year[2][:4]) if year is not None else None,
                before=progress.text[start:q.start],
                near=progress.text[near_start:q.start] + " " + progress.text[after_unit:near_end],
                window=window,
                rate=rate.group(1) if rate else None,
                after_breakdown=_after_breakdown(reading, breakdowns, sentence_start, q.start),
                done_after=done.any(q.end, min(clause_end, q.end + 12)),
                stated=stated_phrases.get(i),
                verb_before=verbs.any(max(clause_start, q.start - 2 * WINDOW), q.start) or _breakdown_of_done(
                    reading, breakdowns, verbs, q.start) or (elliptical and verbs.any(near_start, clause_start)),
                pending=pending.any(start if elliptical else near_start, q.start),
                per=per_key(q, reading.folded[start:q.start], reading.folded[q.end:q.end + 1]),
                scope_after=_scope_after(reading, quantities, i, clause_end),
                near_before=progress.text[near_start:q.start],
                names_work=_NAMES_WORK.match(reading.folded, q.end) is not None,
            ))
        self.by_per: dict[tuple[str, frozenset[str]], list[_Figure]] = {}
        for figure in self.figures:
            if figure.per:
                self.by_per.setdefault((_numerator(figure.quantity), figure.per), []).append(figure)
        self.sections = [s for s in progress.segments if s.kind == "section"]
        self.section_starts = [s.start for s in self.sections]
        self.by_dimension: dict[str, list[_Figure]] = {}
        self.plain: dict[str, list[_Figure]] = {}  # per nothing (not 每人每月…)
        for figure in self.figures:
            if not figure.per:
                self.plain.setdefault(figure.quantity.dimension, []).append(figure)
            same = self.by_dimension.setdefault(figure.quantity.dimension, [])
            figure.rank = len(same)
            same.append(figure)
        # how many figures' words hold each bigram: a bigram most figures share tells none of them apart
        self.named: Counter[str] = Counter()   # how many target items name each bigram (set by align)
        self.frequency: Counter[str] = Counter()
        for figure in self.figures:
            self.frequency.update(grams(figure.window))


_LATIN_LETTER = LazyPattern(r"[A-Za-z]")  # with CJK_CHAR, the characters that make words


_CLOSE = LazyPattern(r"[)）]")
_NUMBER_RUN = LazyPattern(r"\s+[0-9]")
_BARE_DONE = LazyPattern(rf"(?:{alt('bare_done')})\s?$")
_FULL_STOP = LazyPattern(r"[。\n!?！？]")
_QUOTED_TARGET = LazyPattern(rf"(?:{alt('quoted_goal')})\s?\([^()]{{0,40}}$")
_SEPARATOR = LazyPattern(rf"[、，,;；]|{alt('item_joiner')}")
_SCOPE_AFTER = LazyPattern(rf"[\u4e00-\u9fff“”]{{0,12}}?(?:{alt('scope_within')})?[,，]?(?:{alt('scope_done')})"
                          r"[\u4e00-\u9fff]{0,4}$")


def _scope_after(reading: Reading, quantities: list[Quantity], i: int, clause_end: int) -> bool:
    """31家加油站中完成20家, 170个新开项目已开工145个: a figure followed in its clause by another of the same unit
    that counts what is done within it is the scope of that one, not the achieved figure."""
    q = quantities[i]
    if i + 1 >= len(quantities):
        return False
    following = quantities[i + 1]
    if following.start >= clause_end or following.unit != q.unit or following.start - q.end > 20:
        return False
    return _SCOPE_AFTER.match(reading.folded, q.end, following.start) is not None
_PER_TAIL = LazyPattern(f"[{''.join(listed('per_time'))}]")


def _after_breakdown(reading: Reading, breakdowns, start: int, position: int) -> bool:  # noqa: ANN001 - Matches
    """A 其中 earlier in the sentence (a breakdown runs over its ；-separated parts to the 。: 其中,146个续建项目已全面
    复工;170个新开项目已开工145个), and not one inside a bracket that closed before the figure (小麦5200亩（其中冬小麦
    3100亩），玉米1900亩: 1900亩 is no part)."""
    last = breakdowns.last(max(0, position - 4 * WINDOW), position)
    if last is None or _FULL_STOP.search(reading.folded, last[1], position):
        return False
    opened = last[0] > 0 and reading.folded[last[0] - 1] == "("
    return not (opened and _CLOSE.search(reading.folded, last[1], position))


def _breakdown_of_done(reading: Reading, breakdowns, verbs, position: int) -> bool:  # noqa: ANN001 - Matches
    """共完成预算资金89.97万元。其中:30万元用于…: the parts of a 其中 breakdown share the verb of what it breaks down."""
    last = breakdowns.last(max(0, position - 4 * WINDOW), position)
    if last is None or _FULL_STOP.search(reading.folded, last[1], position):
        return False
    return verbs.any(max(0, last[0] - WINDOW), last[0])


def _facts(progress: Progress) -> _Facts:
    """The facts of a progress text's figures, worked out once per text (kept with its Reading)."""
    reading = read(progress.text)
    key = ("alignment.facts", tuple(q.start for q in progress.quantities), tuple(s.start for s in progress.stated))
    found = reading.memo.get(key)  # type: ignore[call-overload]
    if not isinstance(found, _Facts):
        found = reading.memo[key] = _Facts(progress)  # type: ignore[index]
    return found


def _elliptical(reading: Reading, q: Quantity) -> bool:
    """Its clause has hardly any words around the figure, or starts with 其中: it speaks of the clause before
    (…，开发区473.98万立方米; 其中2022年推广480辆; but 29.99万元用于基建工程项目设计 names its own)."""
    start = reading.back(q.start)
    clause_start = reading.clause_of(q.start)[0]
    if clause_start == 0 or start != clause_start:
        return False
    if reading.text.startswith(word("breakdown"), start):
        return True
    return _few_word_characters(reading.text, start, q.start) and \
        _few_word_characters(reading.text, q.end, reading.ahead(q.end, 16))


def _few_word_characters(text: str, start: int, end: int) -> bool:
    """text[start:end] holds fewer than 4 CJK characters and Latin letters together (counted with two small
    patterns, one of which every reader compiles anyway, in place of one whose class would be compiled for
    this alone; the letters are counted only when the CJK characters are not already 4)."""
    cjk = len(CJK_CHAR.findall(text, start, end))
    return cjk < 4 and cjk + len(_LATIN_LETTER.findall(text, start, end)) < 4


def _window(reading: Reading, q: Quantity, elliptical: bool) -> str:
    """The words that say what a figure measures: its clause, or the previous clause too when its own
    clause is elliptical, at most WINDOW characters either side."""
    text = reading.text
    start = reading.back(q.start)
    end = reading.ahead(q.end)
    if elliptical:
        start = reading.back(start - 1, q.start - WINDOW)
    return text[start:q.start] + " " + text[q.end:end]


def _other_rate(target: Target, figure: _Figure) -> bool:
    """The target measures X率 and the figure is written as another 率 (优秀率 against 达标率)."""
    if figure.quantity.unit != "%" or figure.rate is None:
        return False
    want = _RATE_AT_END.search(target.metric)
    if want is None:
        return False
    a, b = want.group(1), figure.rate
    if a[-2:] == b[-2:] or canonical(a) == canonical(b):
        return False
    # 走访宣导率 against 走访宣传企业覆盖率: the rate's own words (a bigram before its last two characters) in the
    # target's metric name the same thing under another word
    words_of_rate = b[:-2]
    return not any(words_of_rate[i:i + 2] in target.metric for i in range(len(words_of_rate) - 1))


def _restates(target: Target, figure: _Figure) -> bool:
    """5条道路疏堵工程，上半年已完成清单编制: the target's own figure as the topic, no completion word before it
    in its clause nor right after it (12所学校已全部建成 is the achieved figure, not a restatement)."""
    q = figure.quantity
    if target.quantity is None or not target.cumulative:
        return False
    same_unit = q.unit == target.quantity.unit or (
        q.dimension.startswith("count:") and target.quantity.dimension.startswith("count:"))  # 5项 / 5条
    if q.value != target.quantity.value or not same_unit or q.dimension == "ratio":
        return False  # a share equal to the target's share (完成率100%) is no restatement
    if figure.names_work:
        return True  # 改造雨污水合流管线5公里工程，完成施工监理招标: the figure names the project, done or not
    return not (figure.verb_before or figure.done_after)


# a figure followed by the word for the work it sizes (5公里工程, 40公里项目) names that work
_NAMES_WORK = LazyPattern(rf"\s?(?:{alt('work_noun')})(?![\u4e00-\u9fff]{{0,3}}(?:{alt('work_done_after')}))",
                          needs=listed("work_noun"))
_RATE_WORD = LazyPattern(rf"[\u4e00-\u9fff]{alt('rate_char')}", needs=listed("rate_char"))


def _rates(metric: str) -> list[str]:
    """The rates a metric names, by their last two characters (任务清单完成率和隐患整改率 → 成率, 改率)."""
    return _RATE_WORD.findall(metric)


def target_step(target: Target) -> int | None:
    """The step of the work a target item asks for (开工改造小区1500个 → 4; 新建70所 → 5), None when it names none:
    the step words of its clause within WINDOW characters of its figure."""
    if target.quantity is None:
        return None
    at, end = target.quantity.start - target.start, target.quantity.end - target.start
    pattern = _step_pattern(True)
    found = [_steps()[m.group()] for m in pattern.finditer(target.text, max(0, at - WINDOW), at)]
    found += [_steps()[m.group()] for m in pattern.finditer(target.text, end, end + WINDOW)]
    return min(found) if found else None


# A real progress text has a few dozen figures. An item weighs at most this many, those nearest its own place
# in the list (its rank among the items of its dimension); past it, a flag says the others were not weighed.
MAX_CANDIDATES = 48
REUSE_SIMILARITY = 0.9  # an item reuses a figure another item took only when it names it this closely
_DONE_STEP = 5   # the work done (data/stages.tsv); a target that names no step takes figures of steps 4 and 5


def align(targets: list[Target], progress: Progress, report_year: int | None = None) -> list[Alignment]:
    """One Alignment per target item, in order. `report_year` prefers the figures written for that year."""
    facts = _facts(progress)
    facts.named = Counter(g for metric in {t.metric for t in targets if t.quantity is not None} for g in grams(metric))
    scopes_index = _Scopes(progress, targets)
    # a count equal to another item's target belongs to that item (110家企业已对接 → the 110家 item); rates
    # and percentages coincide too often for this to mean anything
    owners: dict[tuple[Decimal, str], list[int]] = {}
    for i, t in enumerate(targets):
        if t.quantity is not None and t.cumulative and t.quantity.dimension.startswith("count"):
            owners.setdefault((t.quantity.value, t.quantity.unit), []).append(i)
    target_values = {key: found[0] for key, found in owners.items() if len(found) == 1}
    ranks: dict[int, int] = {}
    per_dimension: Counter[str] = Counter()
    for i, t in enumerate(targets):
        if t.quantity is not None:
            ranks[i] = per_dimension[t.quantity.dimension]
            per_dimension[t.quantity.dimension] += 1
    steps: list[int | None] = []
    for t in targets:  # a part asks for the step its total asks for (大兴区任务：500蒸吨 of 完成…改造)
        steps.append(steps[t.part_of] if t.part_of is not None and t.part_of < len(steps) else target_step(t))
    out = [Alignment() for _ in targets]
    scored: list[tuple[float, int, int, _Figure]] = []   # (-score, item, figure order, figure)
    options: dict[int, list[tuple[float, _Figure]]] = {}
    scopes: dict[int, tuple[int, int] | None] = {}
    refused: dict[int, list[_Figure]] = {}  # item → the figures it refused for what they are
    pools: dict[int, list[_Figure]] = {}
    for index, target in enumerate(targets):
        if target.quantity is None:
            continue
        scope = scopes[index] = scopes_index.of(target)
        pools[index] = _candidates(target, index, _pool(target, facts, scope, ranks[index], out[index]),
                                   target_values, out[index], report_year, steps[index], refused.setdefault(index, []))
    refusers: dict[int, list[int]] = {}  # figure index → the items that refused it
    for index, found in refused.items():
        for f in found:
            refusers.setdefault(f.index, []).append(index)
    for index, target in enumerate(targets):
        if target.quantity is None:
            continue
        scope = scopes[index]
        candidates = [f for f in pools[index] if not _owned_restatement(index, f, targets, target_values)
                      and not _refused_by_its_own(index, f, targets, refusers.get(f.index, ()), facts)]
        if not candidates:
            if any(dimension != target.quantity.dimension for dimension in facts.by_dimension):
                out[index].flags.append("unit_mismatch")
            continue
        if not target.breakdown and target.label is None:
            # a total takes a part (…，其中蔬菜零售网点11个) only when nothing else measures it, or when the part is
            # of the very step the target asks for (报送…不少于2个 / 其中5个案例筛选上报)
            totals = [f for f in candidates if not f.after_breakdown or (report_year is not None and f.year == report_year)
                      or (steps[index] is not None and f.step == steps[index] and steps[index] < _DONE_STEP)]
            candidates = totals or candidates
        parallel = per_dimension[target.quantity.dimension] > 1
        if len(ranks) > 1 and scope is None and len(grams(target.metric)) >= 4:
            # among several items, a figure whose words share nothing with this item's metric is another's
            named = [f for f in candidates if _weighted_similarity(target.metric, f, facts) > 0
                     or similarity(target.metric, _sentence_words(facts.reading, f.quantity)) > 0]
            if not named:
                out[index].flags.append("unnamed")
            candidates = named
            if not candidates:
                continue
        hint = scopes_index.numbered(target) if scope is None and target.item else None
        weighed = [(_score(target, f, facts, report_year, ranks[index] if parallel else None)
                    + (0.2 if hint is not None and hint[0] <= f.quantity.start < hint[1] else 0.0)
                    + _owner(index, f, target_values), f)
                   for f in candidates]
        options[index] = weighed
        scored.extend((-score, index, order, f) for order, (score, f) in enumerate(weighed))
    # best pair first over the whole target; an item whose figures were all taken takes its best anyway when it
    # names that figure (or has no other item to compete with)
    scored.sort(key=lambda s: s[:3])
    chosen: dict[int, _Figure] = {}
    taken: set[int] = set()
    for _, index, _, figure in scored:
        if index in chosen or figure.index in taken:
            continue
        chosen[index] = figure
        taken.add(figure.index)
    for index, weighed in options.items():
        if index not in chosen:
            best = max(weighed, key=lambda pair: pair[0])[1]
            labelled = targets[index].label is not None and scopes.get(index) is not None
            if labelled or _weighted_similarity(targets[index].metric, best, facts) >= REUSE_SIMILARITY:
                # a labelled part takes its section's figure even when its total summed the sections
                chosen[index] = best
            else:
                out[index].flags.append("figure_taken")
    for index, figure in chosen.items():
        target, alignment = targets[index], out[index]
        parts = [figure]
        if target.label is None and scopes[index] is None:
            parts = _area_parts(target, facts, [f for _, f in options[index]], figure)
            if len(parts) > 1:
                alignment.flags.append("summed_parts")
        elif target.label is None and target.cumulative:
            works = _work_parts(target, [f for _, f in options[index]])  # inside a numbered item's scope too
            if len(works) >= 2 and figure in works:
                parts = works
                alignment.flags.append("summed_parts")
        alignment.figures = [f.quantity for f in parts]
        alignment.per = target_per(target)
        if generic_metric(target):
            if target.change is None and figure.change is not None:
                alignment.adopted["change"] = figure.change
            if not target.written and target.comparator == "ge" and names_a_ceiling(figure.near_before):
                alignment.adopted["comparator"] = "le"
        if target.change is not None:
            # the change in the target's direction, in the target's unit (减排3.5千克 against 减排1吨); a change the
            # other way counts against it
            alignment.signed_change = sum(
                (_in_unit(f.quantity, target) * (1 if f.change == target.change else -1) for f in parts), Decimal(0))
    said = _Statements(progress, scopes_index)
    for index, target in enumerate(targets):
        scope = scopes[index] if index in scopes else scopes_index.of(target)
        at = said.stated_for(targets, index, scope, out[index].figures, ranks.get(index, 0),
                             sum(per_dimension.values()))
        if at is not None and any(q.start == progress.quantities[progress.stated[at].quantity_index].start
                                  for q in out[index].figures):
            at = None  # 投资完成率37.44% against 投资完成率达到50%: the share is the item's achieved figure, not a share of it
        if at is not None:
            out[index].stated, out[index].stated_index = progress.stated[at].value, at
            figure = progress.stated[at].figure_index
            if target.quantity is None and figure is not None:
                out[index].figures = [progress.quantities[figure]]  # the figure the share is of
        out[index].claim = said.claim_for(targets, index, scope)
    return out


def _refused_by_its_own(index: int, figure: _Figure, targets: list[Target], refusers: Iterable[int],
                        facts: _Facts) -> bool:
    """已开工建设公办幼儿园63所 against 新建70所公办幼儿园 and 遴选…强校500所: a figure the item it names best refused
    (an earlier step, a plan, work under way) measures no other item either."""
    others = [other for other in islice(refusers, MAX_CANDIDATES + 1) if other != index]
    if not others:
        return False
    own = _weighted_similarity(targets[index].metric, figure, facts)
    return any(_weighted_similarity(targets[other].metric, figure, facts) > own for other in others)


def _pool(target: Target, facts: _Facts, scope: tuple[int, int] | None, rank: int,
          alignment: Alignment) -> list[_Figure]:
    """The figures of the target's dimension (and scope), at most MAX_CANDIDATES of them, nearest its rank."""
    assert target.quantity is not None
    per = target_per(target)
    if per:  # 每人每月609元 against 609元/人月: the same thing per the same things
        pool = facts.by_per.get((_numerator(target.quantity), per), [])
    else:
        pool = facts.plain.get(target.quantity.dimension, [])
    if not pool and target.quantity.dimension.startswith("count:"):
        # 急救站点23处 against 标准化急救站23个: counting words for the same thing compare when the counted noun is
        # the same (GOLD.md); the figure's words must name the target's metric
        pool = [f for dimension, figures in facts.plain.items() if dimension.startswith("count:")
                and dimension not in listed("people_dimension") for f in figures[:MAX_CANDIDATES]
                if _weighted_similarity(target.metric, f, facts) >= 0.25 and _names_counted(target.metric, f)]
        if pool:
            alignment.flags.append("counted_alike")
    if not pool and target.unit and target.cumulative:
        # 完成2150 against 3000户, 42亿 against 42亿元: a bare number takes the target's unit when no figure of that
        # unit is written, nothing follows it that could be a unit we do not read (65岁), and work done is reported
        # right before it
        text = facts.reading.folded
        pool = [f for f in facts.by_dimension.get("number", [])[:MAX_CANDIDATES] if f.quantity.unit == ""
                and _BARE_DONE.search(f.near_before) and not CJK_CHAR.match(text, f.quantity.end)
                and not _NUMBER_RUN.match(text, f.quantity.end)]  # 实际完成 1 2 0 3 6: a table's row, no figure
        if pool:
            alignment.flags.append("unit_assumed")
    if scope is not None:
        starts = [f.quantity.start for f in pool] if len(pool) > MAX_CANDIDATES else None
        if starts is not None:
            pool = pool[bisect_left(starts, scope[0]):bisect_left(starts, scope[1])]
        else:
            pool = [f for f in pool if scope[0] <= f.quantity.start < scope[1]]
    if len(pool) > MAX_CANDIDATES:
        alignment.flags.append("too_many_figures")
        low = max(0, min(rank - MAX_CANDIDATES // 2, len(pool) - MAX_CANDIDATES))
        pool = pool[low:low + MAX_CANDIDATES]
    return pool


@cache
def _trailing_work() -> re.Pattern[str]:
    """Words of work at the end of a metric (建设, 改造, 开工建设): step words and work verbs."""
    found = {r[0] for r in rows("stages.tsv")} | set(words("completion_words.tsv", "verb"))
    return re.compile("(?:" + "|".join(re.escape(w) for w in sorted(found, key=len, reverse=True)) + ")+$")


def _names_counted(metric: str, figure: _Figure) -> bool:
    """Whether the figure's own words name the noun the target counts (the head of its metric, by a bigram of
    its last three characters): 急救站点 / 标准化急救站23个, but not 环保技改项目 / 已完成技改5家."""
    noun = _trailing_work().sub("", metric.rstrip()) or metric  # 急救站点建设: the noun before its work words
    head = noun[-3:]
    return any(head[i:i + 2] in figure.near for i in range(len(head) - 1))


def _sentence_words(reading: Reading, q: Quantity) -> str:
    """The words of a figure's sentence, at most 2 windows either side."""
    start, end = reading.sentence_of(q.start)
    return reading.text[max(start, q.start - 2 * WINDOW):min(end, q.end + 2 * WINDOW)]


def _owned_restatement(index: int, figure: _Figure, targets: list[Target],
                       target_values: dict[tuple[Decimal, str], int]) -> bool:
    """110家企业已对接 restates item 2's 110家 (no completion word): it is no progress of item 1 either."""
    owner = target_values.get((figure.quantity.value, figure.quantity.unit))
    return owner is not None and owner != index and _restates(targets[owner], figure)


def _owner(index: int, figure: _Figure, target_values: dict[tuple[Decimal, str], int]) -> float:
    """A count equal to one item's target value leans to that item (110家企业已对接 → the 110家 item), but the
    words decide (完成4家加油站贯标改造任务 is the 21家加油站 item's, not the 4家危险化学品企业 item's)."""
    owner = target_values.get((figure.quantity.value, figure.quantity.unit))
    if owner is None:
        return 0.0
    return 0.3 if owner == index else -0.3


_GENERIC = LazyPattern(f"(?:{alt('generic_period')})?(?:{alt('generic_goal')})?")


def generic_metric(target: Target) -> bool:
    """An item that names no measure of its own (目标10.5%, 年度目标(50场)): its figure's words say what it is."""
    return target.quantity is not None and _GENERIC.fullmatch(target.metric) is not None


def _in_unit(figure: Quantity, target: Target) -> Decimal:
    """A figure's value in its target's unit, when the units differ and convert (千克 → 吨); else as written."""
    unit = target.quantity.unit if target.quantity is not None else ""
    if figure.unit in (unit, "") or not unit or figure.unit.split("/")[0] == unit.split("/")[0]:
        return figure.value
    try:
        return Decimal(str(figure.to(unit).magnitude))
    except (ValueError, InvalidOperation):
        return figure.value


def target_per(target: Target) -> frozenset[str]:
    """What a target item's figure is per (Target.per: 提高到每人每月609元 → {人, 月})."""
    return frozenset(target.per)


_TITLE = LazyPattern(r"《([^《》]{2,40})》")  # a named document or list the item asks for


def _candidates(target: Target, index: int, pool: list[_Figure],
                target_values: dict[tuple[Decimal, str], int], alignment: Alignment,
                report_year: int | None, step: int | None, refused: list[_Figure] | None = None) -> list[_Figure]:
    """The progress figures of `pool` that could measure the target item, in text order; those it refuses for
    what they are (a plan, an earlier step, work under way) are added to `refused`."""
    assert target.quantity is not None
    if target.quantity.dimension == "number":
        pool = [f for f in pool if f.quantity.unit == target.unit]

    rates = _rates(target.metric) if target.unit == "%" else []
    titles = [m.group(1)[:4] for m in _TITLE.finditer(target.metric)][:4]
    out: list[_Figure] = []
    for figure in pool:  # in text order, as the progress lists them
        q = figure.quantity
        if titles and not any(t in figure.window for t in titles):
            alignment.flags.append("title_not_named")
            continue  # 纳入《资深时尚类重点零售企业名录》 against 纳入统计部门联网直报平台: the named list is not this one
        if figure.stated is not None and not any(r in figure.stated for r in rates):
            continue  # a stated share is no measurement, unless the item is that share (投资完成率达到50%)
        if target.change is not None and figure.change is None:
            continue
        if target.change is None and figure.change is not None and not target.cumulative and not generic_metric(target):
            continue  # 同比增长0.4% is a change, not the level of a rate
        if _other_rate(target, figure):
            continue  # 优秀率达93.33% does not measure 达标率
        if _restates(target, figure):
            alignment.flags.append("restated_target")
            continue
        if figure.plan:
            alignment.flags.append("plan_not_progress")
            if refused is not None:
                refused.append(figure)
            continue  # 计划完成剩余的15公顷: a plan, not what was done
        if figure.year is not None and report_year is not None and figure.year < report_year:
            alignment.flags.append("other_year")
            continue  # 在2019年已完成28公顷的基础上: last year's work, not this year's progress
        if figure.step is not None and figure.step < (step if step is not None else _DONE_STEP - 1):
            alignment.flags.append("different_stage")
            if refused is not None:
                refused.append(figure)
            continue  # 已开工63所 against 新建70所, 联合审批755台 against 加装电梯300台; 报名52847名 against anything
        if figure.pending and target.cumulative:
            alignment.flags.append("under_way")
            if refused is not None:
                refused.append(figure)
            continue  # 目前1家正在施工: not done yet
        out.append(figure)
    return out


_DONE = LazyPattern(alt("done_evidence"))
_UNDER_WAY = LazyPattern(alt("under_way_evidence"))
_SO_FAR = LazyPattern(rf"{alt('so_far')}|[0-9]{{1,2}}\s?[-~{alt('month_range_to')}]\s?[0-9]{{1,2}}\s?{alt('month_char')}")


def _weighted_similarity(metric: str, figure: _Figure, facts: _Facts) -> float:
    """How much of the metric the figure's words name: each bigram weighs 1 / (how many figures hold it) and
    1 / (how many of the target's items name it: 挥发性有机物排放 shared by …执法检查 and …监测 tells neither item's
    figure), found near the figure (between it and its neighbours) in full, only in its wider window by half."""
    wanted = grams(metric)
    if not wanted:
        return 0.0
    near, wide = grams(figure.near), grams(figure.window)
    total = found = 0.0
    own = own_found = 0   # the item's own words (no other item names them) that some figure's words hold
    for g in wanted:
        held = facts.frequency[g]
        # a bigram no figure's words hold tells none apart: it counts a quarter, so that one shared word
        # among many absent ones is not a full match
        weight = (1.0 / held if held else 0.25) / max(1, facts.named.get(g, 1))
        total += weight
        if held and facts.named.get(g, 1) <= 1:
            own += 1
        if g in near:
            found += weight
        elif g in wide:
            found += weight / 2
        else:
            continue
        if held and facts.named.get(g, 1) <= 1:
            own_found += 1
    score = found / total
    if own_found or len(facts.named) <= len(wanted):
        return score
    if own or any(facts.named.get(g, 0) == 1 and g not in wanted for g in near):
        # 挥发性有机物排放监测 against 检查VOCs…134家次, 亿元以上项目 against 10亿元以上项目24个: only the words it
        # shares with another item are there, none of its own, or the other item's own words too
        score /= 2
    return score


def _score(target: Target, figure: _Figure, facts: _Facts, report_year: int | None, rank: int | None) -> float:
    q, before = figure.quantity, figure.near_before or figure.before
    evidence = 0.0
    if _DONE.search(before):
        evidence += 0.15      # 已完成锅炉改造的有218台,408.6蒸吨 over 436台锅炉(共计1025.6蒸吨)开展了低氮改造
    if _UNDER_WAY.search(before + figure.window[len(before):len(before) + 12]):
        evidence -= 0.3
    if _SO_FAR.search(before):
        evidence += 0.2       # 1-6月份平均降尘量 over 6月份降尘量: the year so far measures an annual target
    in_this_year = report_year is not None and figure.year == report_year
    asked = target_step(target)
    step_named = figure.step is not None and figure.step == asked and figure.step < _DONE_STEP
    if figure.after_breakdown and not in_this_year and not step_named:
        # …,其中蔬菜零售网点11个: a part, not the total; but a part of the target takes a part
        evidence += 0.3 if target.breakdown else (-0.5 if target.label is None else 0.0)
    if figure.scope_after:
        evidence -= 0.3       # the scope of what was done (31家加油站中完成20家, 170个新开项目已开工145个)
    elif target.quantity is not None and q.value == target.quantity.value and not target.cumulative:
        evidence += 0.2       # a level reached exactly (提高到每人每月609元 / 山区县…609元/人月)
    if in_this_year:
        evidence += 0.8       # 累计推广565辆，其中2022年推广480辆: this year's figure measures this year's target
    if q.unit == target.unit:
        evidence += 0.01
    if rank is not None and figure.rank == rank:
        evidence += 0.1       # items and figures listed in the same order
    if step_named:
        evidence += 0.3       # 报送…2个 / 5个案例筛选上报: the step the target asks for, named
    if target.subject and target.subject in figure.near:
        evidence += 0.3       # 城镇、农村…分别提高到609元、300元 / …农村300元/人月: the item's own subject
    return _weighted_similarity(target.metric, figure, facts) + evidence


def _area_parts(target: Target, facts: _Facts, candidates: list[_Figure], chosen: _Figure) -> list[_Figure]:
    """Figures of one metric for different areas or kinds, to be summed: 【大兴区】…369吨。【开发区】…124吨;
    大兴区再生水利用量4253.01万立方米，开发区再生水利用量473.9820万立方米; 引进世界500强企业投资项目3个;引进中国500强
    企业投资项目1个;… against 引进世界500强、中国500强、…投资项目不少于3个. A total written before its parts
    (全市新增就业1.2万人。【甲区】5000人…; …1.2万人，其中甲区5000人) is taken, not summed with them."""
    if not target.cumulative:
        return [chosen]
    sections, section_starts = facts.sections, facts.section_starts
    if len(sections) >= 2:
        if chosen.quantity.start < section_starts[0]:
            return [chosen]  # the total before the sections
        by_section: dict[int, list[_Figure]] = {}
        for f in candidates:  # each candidate's section, by binary search
            at = bisect_right(section_starts, f.quantity.start) - 1
            if at >= 0 and f.quantity.start < sections[at].end:
                by_section.setdefault(at, []).append(f)
        per_section = [max(inside, key=lambda f: _score(target, f, facts, None, None))
                       for _, inside in sorted(by_section.items())]
        if len(per_section) >= 2:
            return per_section
    kinds = _kind_parts(target, candidates)
    if len(kinds) >= 2:
        return kinds
    works = _work_parts(target, candidates)
    if len(works) >= 2 and chosen in works:
        return works
    chosen_similarity = similarity(target.metric, chosen.window)
    if chosen_similarity == 0:
        return [chosen]
    areas: dict[str, _Figure] = {}
    for figure in candidates:
        if figure.after_breakdown and not chosen.after_breakdown:
            continue  # …1.2万人，其中甲区5000人: parts of the total chosen
        area = _AREA.search(figure.before)
        if area is None:
            continue
        if abs(similarity(target.metric, figure.window) - chosen_similarity) > 1e-9:
            continue
        areas.setdefault(area.group(), figure)
    return list(areas.values()) if len(areas) >= 2 else [chosen]


def _work_parts(target: Target, candidates: list[_Figure]) -> list[_Figure]:
    """A target that asks for work of any kind on a thing (建设高标准农田9900亩) and figures that each count one
    kind of work on that very thing (新建高标准农田4900亩, 提质改造高标准农田5000亩): summed. Not when the target
    names the kind (新建农村公路 against 新建…、改造…), nor parts after 其中."""
    lead = _GENERIC_WORK.match(target.metric)
    if lead is None:
        return []
    noun = target.metric[lead.end():]
    if len(noun) < 3:
        return []
    found: dict[str, _Figure] = {}
    for figure in candidates:
        if figure.after_breakdown or figure.plan:
            continue
        at = figure.near_before.rfind(noun)
        if at < 0:
            continue
        verb = _trailing_work().search(figure.near_before[:at])
        if verb is None:
            continue
        found.setdefault(verb.group(), figure)
    return list(found.values()) if len(found) >= 2 else []


# a work word that names no kind of work (建设高标准农田: new or improved, either counts)
_GENERIC_WORK = LazyPattern(alt("generic_work"))


_MEMBERS = LazyPattern(r"、")


def _kind_parts(target: Target, candidates: list[_Figure]) -> list[_Figure]:
    """A target that lists the kinds it counts (世界500强、中国500强、上市公司或行业龙头企业投资项目) and figures that
    each count one kind under the shared noun (引进世界500强企业投资项目3个; …中国500强企业投资项目1个; …): summed."""
    members = [m for m in _MEMBERS.split(target.metric) if m]
    if len(members) < 2:
        return []
    tail = members[-1][-4:]
    verbs = alternation("completion_words.tsv", "verb")
    keys = []
    for m in members:
        lead = verbs.match(m)
        keys.append(m[lead.end():][:2] if lead is not None and len(m) - lead.end() >= 2 else m[:2])
    found: dict[int, _Figure] = {}
    for figure in candidates:
        if tail not in figure.near_before:
            continue
        hits = [k for k, key in enumerate(keys) if key in figure.near_before]
        if len(hits) == 1 and hits[0] not in found:
            found[hits[0]] = figure
    return list(found.values()) if len(found) >= 2 else []


class _Statements:
    """The stated completion shares and the claims of a progress text, indexed once by position, so that
    each target item finds its own with binary searches."""

    def __init__(self, progress: Progress, scopes: _Scopes) -> None:
        self.progress = progress
        self.scopes = scopes
        self.reading = read(progress.text)
        self.ratios = progress.stated
        self.stated_starts = [s.start for s in progress.stated]
        self.claims = progress.claims
        self.claim_starts = [c.start for c in progress.claims]
        self._generals: list[bool] | None = None

    def _in(self, starts: list[int], scope: tuple[int, int] | None) -> tuple[int, int]:
        if scope is None:
            return 0, len(starts)
        return bisect_left(starts, scope[0]), bisect_left(starts, scope[1])

    def stated_for(self, targets: list[Target], index: int, scope: tuple[int, int] | None,
               figures: list[Quantity], rank: int, figure_items: int) -> int | None:
        """Which stated completion ratio (an index into Progress.stated) speaks of target item `index`, or None."""
        target = targets[index]
        low, high = self._in(self.stated_starts, scope)
        if low >= high:
            return None
        stated = self.ratios[low:high]
        if target.quantity is None:
            # a target with no figure: the first stated ratio (the others become items of their own); but when
            # the progress lists its parts (1.… 2.…) and a part states no share, the shares are of single parts
            # and none speaks of the whole task
            items = [s for s in self.progress.segments if s.kind == "item"][:MAX_CANDIDATES]
            if scope is None and len(items) > 1 and any(
                    bisect_left(self.stated_starts, s.start) == bisect_left(self.stated_starts, s.end) for s in items):
                return None
            return low
        rates = _rates(target.metric) if target.quantity is not None else []
        if rates:
            # 任务清单完成率和问题隐患整改率达到100% / 完成率达到100%: the share the item itself names
            for i in range(low, min(high, low + MAX_CANDIDATES)):
                if any(r in self.ratios[i].text for r in rates):
                    return i
        def own_target(i: int) -> bool:  # 为上半年投资目标(610亿元)的113.39%: a share of a target of its own
            goal = self.ratios[i].target_index
            return goal is not None and (target.quantity is None or
                                         self.progress.quantities[goal].value != target.quantity.value)

        if target.quantity is not None:
            # 110家企业已对接，已完成30%: a share of the item's own figure restated is the item's share
            for i in range(low, min(high, low + MAX_CANDIDATES)):
                figure = self.ratios[i].figure_index
                q = self.progress.quantities[figure] if figure is not None else None
                if q is not None and q.value == target.quantity.value and q.unit == target.quantity.unit:
                    return i
        if target.metric:
            first, last = low, high
            if last - first > MAX_CANDIDATES:  # only the stated ratios nearest the item's place are weighed
                first = low + max(0, min(rank - MAX_CANDIDATES // 2, last - first - MAX_CANDIDATES))
                last = first + MAX_CANDIDATES
            qualified = [i for i in range(first, last) if self.ratios[i].qualifier]
            if qualified:
                # how much of what the ratio qualifies (人均检查量) the target's metric names
                best = max(qualified, key=lambda i: similarity(self.ratios[i].qualifier, target.metric))
                if similarity(self.ratios[best].qualifier, target.metric) >= 0.5:
                    return best
        if not target.cumulative and word("completion_rate") not in target.metric:
            return None  # an unqualified completion percentage says nothing about the level of a rate

        def of_another_measure(i: int) -> bool:  # 39个工业项目…，完成投资165.3亿元，完成年度投资计划的72.06%
            figure_index = self.ratios[i].figure_index
            return figure_index is not None and self.progress.quantities[figure_index].dimension != target.quantity.dimension

        for figure in figures:
            sentence_start, sentence_end = self.reading.sentence_of(figure.start)
            at = bisect_left(self.stated_starts, max(sentence_start, self.stated_starts[low]))
            if at < high and self.stated_starts[at] < sentence_end + 1 and not of_another_measure(at) \
                    and not own_target(at):
                return at
        if figure_items <= 1 and len(stated) == 1 and not of_another_measure(low) and not own_target(low) and (
                not stated[0].qualifier or _overall().search(stated[0].qualifier)):
            # one target, one stated ratio: they speak of each other (an overall share too: …等工作整体进度已完成
            # 年度目标任务的55%)
            return low
        return None

    def _general(self, claim: Segment) -> bool:
        """年度目标值已完成: a claim that names nothing but the year's target speaks of every item."""
        text = self.progress.text[claim.start:claim.end].replace(claim.label, "")
        return len(_GENERAL.sub("", text)) < 3

    def _general_flags(self) -> list[bool]:
        """Which of the first MAX_CANDIDATES claims are general, found once (every target item asks)."""
        if self._generals is None:
            self._generals = [self._general(c) for c in self.claims[:MAX_CANDIDATES]]
        return self._generals

    def claim_for(self, targets: list[Target], index: int, scope: tuple[int, int] | None) -> str | None:
        """"claim" or "partial" when a claim of completion speaks of target item `index`: the only item's;
        when there are several, one in the item's own section or numbered item, one in a sentence that names
        the item's metric, or a general one (年度目标值已完成) outside every section."""
        if not self.claims:
            return None
        target = targets[index]
        if scope is not None:
            low, high = self._in(self.claim_starts, scope)
            claims = list(self.claims[low:high])
            claims += [c for c, general in zip(self.claims, self._general_flags())
                       if general and self.scopes.outside(c.start)]
        elif len(targets) > 1:
            claims = [c for c, general in zip(self.claims, self._general_flags())
                      if general or similarity(target.metric, self.progress.text[c.start:c.end]) >= 0.5]
        else:
            claims = list(self.claims)
        if not claims:
            return None
        return "claim" if any(c.kind == "claim" for c in claims) else "partial"


@cache
def _overall() -> re.Pattern[str]:
    """Words that make a stated share the whole task's (整体进度, 总体进度, 形象进度)."""
    return re.compile(alt("overall_share"))


# 34个子项已完成年度目标任务: a count of the task's own parts as the subject names no one of them
_GENERAL = LazyPattern(rf"[0-9]+\s?(?:{alt('claim_count_unit')})?(?:{alt('claim_parts')})|{alt('general_claim')}|[\s。，,；;!！]")


def stated_for(targets: list[Target], index: int, progress: Progress, figures: list[Quantity]) -> float | None:
    """The stated completion ratio that speaks of target item `index`, or None (what align() finds for it)."""
    scopes = _Scopes(progress, targets)
    figure_items = sum(1 for t in targets if t.quantity is not None)
    at = _Statements(progress, scopes).stated_for(targets, index, scopes.of(targets[index]), figures, 0, figure_items)
    return progress.stated[at].value if at is not None else None


def claim_for(targets: list[Target], index: int, progress: Progress) -> str | None:
    """"claim" or "partial" when a claim of completion speaks of target item `index` (what align() finds)."""
    scopes = _Scopes(progress, targets)
    return _Statements(progress, scopes).claim_for(targets, index, scopes.of(targets[index]))
