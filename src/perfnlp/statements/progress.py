"""Stage 5b: progress statements. parse_progress(text, context) → Progress: the figures, the periods and
the day the text reports to, the completion ratios the text states itself, whether it claims the task is
done, and the structure it keeps (numbered items, labelled sub-area sections 【大兴区】：…).

Stated ratios are read in every form of the seeds: 完成全年任务的74.6%, 完成年度任务81%, 完成率100%,
完成进度155%, 完成比率300%, 超过任务量200%, 占全年任务的167%, 完成全年目标的201.28%, 已完成30%,
完成年度预算任务的57.6%, 全年任务处罚量的69.1%, 完成任务量达全年57.1%: the fraction is the percentage
over 100, except 超额完成N%, which is 1 + N/100 (GOLD.md). Each keeps the words it qualifies
(`qualifier`: 人均处罚量 in 人均处罚量已完成45.3%).
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import cache
from typing import Any

from ..text.model import BaseModel, ConfigDict, copied

from ..reading.periods import Period, latest_as_of
from ..reading.quantities import Quantity
from ..reading.reading import Reading, read
from ..text.context import Context, context_from
from ..text.lexicon import alternation, rows, words
from ..text.patterns import CJK_CHAR, LazyPattern
from .words import alt as _alt, listed as _listed, word as _word


class StatedRatio(BaseModel):
    """A completion fraction the text states itself, with the words it is tied to."""

    model_config = ConfigDict(frozen=True)

    value: float                 # 0.6089 for 60.89%
    text: str                    # the phrase, e.g. "完成全年任务量的60.89%"
    start: int
    end: int
    qualifier: str = ""          # the metric words before the phrase (人均检查量)
    quantity_index: int          # index of the percentage in Progress.quantities
    figure_index: int | None = None   # the achieved figure it is the share of (新增城镇就业66289人,为任务的116.3%)
    target_index: int | None = None   # the target figure it is a share of, when the text writes it (为上半年投资
                                      # 目标(610亿元)的113.39%; 其中1-2月计划开工10个,实际开工11个,开工率达110%)
    subject: str = ""            # what that figure counts, in the text's words (新增城镇就业)
    shared: int = 1              # 张家界市、怀化市、郴州市开工率均达100%: one share stated for this many subjects


class Segment(BaseModel):
    """A part of the text that keeps its own structure: a numbered item or a labelled section."""

    model_config = ConfigDict(frozen=True)

    kind: str                    # "item" (1. …), "section" (【大兴区】：…), "breakdown" (其中…) or "sentence"
    label: str                   # "1", "大兴区"
    start: int
    end: int


class Progress(BaseModel):
    """A progress statement read."""

    text: str
    quantities: list[Quantity]
    periods: list[Period]
    as_of: dt.date | None                 # the latest day the text reports to; None when it names none
    stated_ratios: list[float]            # every stated completion fraction, in order
    stated: list[StatedRatio]             # the same with their phrases and spans
    claims_completion: bool = False       # 提前完成, 超额完成, 已全部完成 … with no figure needed
    claims_on_pace: bool = False          # 时间过半、任务过半
    segments: list[Segment] = []
    claims: list[Segment] = []            # every claim with the sentence it stands in: kind "claim" (it holds) or
                                          # "partial" (除…外，其余均已完成; …超额完成，…进行中: most of the work)
    versus: list[Segment] = []            # the text compared with the target itself, kind "above" (增幅高于年度目标
                                          # 0.3个百分点, 比全年预期增长目标高1.2个百分点) or "below" (低于年度目标)


def _stated_pattern() -> re.Pattern[str]:
    """The phrases of data/stated_ratio_words.tsv that end right before a stated share (anchored at its start)."""
    def any_of(kind: str) -> str:
        return "|".join(re.escape(w) for w in words("stated_ratio_words.tsv", kind))
    verb, obj, rate, phrase, adverb = (any_of(k) for k in ("verb", "object", "rate", "phrase", "adverb"))
    bracket = r"(?:[(][^()]{0,20}[)])?"  # 为年度投资目标(1237.6亿元)的55.98%
    return re.compile(
        rf"(?:(?P<exceed>{_alt('exceed_word')}(?:[^，。；,;\s%{_word('possessive')}]{{0,12}}?(?:{obj})"
        rf"(?:{_alt('quantity_char')})?)?)"
        rf"|(?:{verb})(?:{_alt('perfect_particle')})?[^，。；,;\s%]{{0,12}}?(?:{obj})[\u4e00-\u9fff]{{0,3}}?{bracket}"
        rf"(?:{_alt('share_link')})?(?:{_alt('whole_year')})?"
        rf"|(?:{_alt('year_scope')})?(?:{_alt('task_plan')})[\u4e00-\u9fff]{{0,3}}(?:{_alt('quantity_char')})"
        rf"(?:{_alt('possessive')})"
        rf"|(?:{rate})|(?:{phrase}))"
        rf"(?:\s?(?:{adverb})){{0,2}}\s?$"
    )


_STATED = _stated_pattern()
# 分别完成年度目标任务的81.73%、111.13%、91.34%: a share right after a stated share in a list is stated too
_PART_SHARE = LazyPattern(rf"(?:{_alt('share_word')})\s?(?:{_alt('share_link2')})?\s?$")
_BREAKDOWN_WORD = LazyPattern(_alt("breakdown"))
_LIST_GAP = LazyPattern(rf"\s?(?:{_alt('list_gap')})\s?")
_SCHEDULE = LazyPattern(_alt("schedule"))  # 完成序时进度计划的119.9%: a share of the schedule to date, not of the year


@cache
def _claims() -> re.Pattern[str]:
    """The claims of data/completion_words.tsv ("claim"); 超额完成 before a figure is a stated share instead."""
    listed = "|".join(re.escape(w) + (r"(?!\s?[0-9])" if w == _word("exceed_word") else "")
                      for w in words("completion_words.tsv", "claim"))
    # 已于10月底竣工: the work closed on a day already past (a plan says 将于 / 计划于, never 已于)
    closed = "|".join(re.escape(w) for w in sorted(words("completion_words.tsv", "closed"), key=len, reverse=True))
    return re.compile(f"{listed}|(?:{_alt('done_on')})" r"[^，。；;,\n]{1,12}?" f"(?:{_alt('all_word')})?(?:{closed})"
                      f"(?![{_word('rate_char')}{_word('possessive')}])")


# words before a stated ratio that do not say what it qualifies (目前完成首批推进任务量的50%)
_FILLER = LazyPattern(rf"^[\s0-9.、,，]*(?:{_alt('filler_lead')}|[,，\s])*|(?:{_alt('filler_tail')})$")
_ON_PACE = LazyPattern(rf"(?:{_alt('time_half')})[、，,\s]?(?:{_alt('task_half')})|(?:{_alt('task_word')})(?:{_alt('already')})?"
                      rf"(?:{_alt('half')})|(?:{_alt('pace_verb')})(?:{_alt('perfect_particle')})?(?:{_alt('pace_kind')})"
                      rf"(?:{_alt('progress_word')})|{_alt('by_pace')}")
_BREAKDOWN = LazyPattern(rf"(?:{_alt('breakdown')})" r"[^。；;\n]*")
_SENTENCE = LazyPattern(r"[^。；;！？!?\n]+[。；;！？!?]?")
_SECTION = LazyPattern(r"【([^【】\n]{1,30})】\s?[:：]?")


def parse_progress(text: str, context: Context | dict[str, Any] | None = None) -> Progress:
    """Read a progress text. `context` gives the year for periods written without one."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    reading = read(text)
    ctx = context_from(context)
    # read once per (text, context), kept with the text's Reading; a Progress is not frozen, so each caller
    # gets a copy with lists of its own (their members are frozen models)
    key = ("progress", ctx)
    found = reading.memo.get(key)
    if found is None:
        found = reading.remember(key, _parse_progress(text, reading, ctx))
    return copied(found, {name: list(getattr(found, name)) for name in _LIST_FIELDS})


_LIST_FIELDS = ("quantities", "periods", "stated_ratios", "stated", "segments", "claims", "versus")


def _parse_progress(text: str, reading: Reading, ctx: Context) -> Progress:
    periods = list(reading.periods(ctx))
    goals = set(node_goals(reading))
    stated = [x for x in _stated_ratios(reading) if x.quantity_index not in goals]
    claims = _read_claims(reading, ctx.effective_year, [(x.start, x.end) for x in stated])
    return Progress(
        text=text, quantities=list(reading.figures), periods=periods, as_of=latest_as_of(periods),
        stated_ratios=[s.value for s in stated], stated=stated,
        claims_completion=any(c.kind == "claim" for c in claims), claims_on_pace=_ON_PACE.search(text) is not None,
        segments=_segments(reading), claims=claims, versus=_versus(reading),
    )


def node_goals(reading: Reading) -> tuple[int, ...]:
    """Indexes into the figures of the node targets a progress text names itself (超额完成9月份设置的累计完成供热管网
    改造20公里的节点目标): neither progress nor a stated share. Found once per Reading and kept with it: the
    progress reader, alignment and the assessment's node items each ask it of the same text."""
    found = reading.memo.get(node_goals)
    if found is None:
        found = reading.remember(node_goals, tuple(
            i for i, q in enumerate(reading.figures[:_MAX_NODE_GOALS]) if _NODE_GOAL.match(reading.folded, q.end)))
    return found  # type: ignore[return-value]


# …20公里的节点目标, …30%的阶段目标: a node target quoted in the progress, neither progress nor a stated share
_NODE_GOAL = LazyPattern(rf"\s?(?:{_alt('possessive')})?(?:{_alt('node_goal')})")
_MAX_NODE_GOALS = 256


def _versus_pattern() -> re.Pattern[str]:
    above = "|".join(re.escape(w) for w in words("completion_words.tsv", "above"))
    below = "|".join(re.escape(w) for w in words("completion_words.tsv", "below"))
    goal = f"(?:{_alt('goal_period')})?(?:{_alt('goal_kind')})?(?:{_alt('goal_growth')})?(?:{_alt('goal_word')})"
    return re.compile(rf"(?P<above>{above}){goal}|(?P<below>{below}){goal}|(?:{_alt('than_word')}){goal}"
                      rf"(?:(?P<high>{_alt('more_word')})|(?P<low>{_alt('less_word')}))")


_VERSUS = _versus_pattern()


def _versus(reading: Reading) -> list[Segment]:
    """高于年度目标, 比全年预期增长目标高1.2个百分点, 低于年度目标: what the text says of the target itself."""
    out = []
    for m in _VERSUS.finditer(reading.folded):
        kind = "above" if (m.group("above") or m.group("high")) else "below"
        start, end = reading.sentence_of(m.start())
        out.append(Segment(kind=kind, label=m.group(), start=start, end=end))
    return out


@cache
def early_steps() -> re.Pattern[str]:
    """Words of the steps before the work is done (data/stages.tsv, step < 5): 批复, 招标, 方案 …"""
    early = sorted((r[0] for r in rows("stages.tsv") if int(r[1]) < 5 and (len(r) < 3 or r[2] != "target")),
                   key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in early))


@cache
def _not_plan() -> frozenset[str]:
    return frozenset(words("plan_words.tsv", "not_plan"))


_EXCEPT = LazyPattern(rf"(?:{_alt('except_lead')})" r"[^，。；;,\n]{0,40}?" rf"(?:{_alt('except_tail')})|{_alt('except_word')}")
_PART_SUBJECT = LazyPattern(r"[\u4e00-\u9fff]{1,6}" rf"(?:{_alt('area_suffix')})(?:{_alt('part_adverb')})")


_YEAR_NAMED = LazyPattern(rf"((?:19|20)[0-9]{{2}})\s?{_alt('year_char')}(?!\s?[-~{''.join(_listed('span_to'))}])")


_BARE_CLAIM = LazyPattern(rf"\s*(?:{_alt('bare_claim_lead')})?(?:{_alt('share_of_work')})[。.！!]?\s*")


def _read_claims(reading: Reading, year: int | None = None,
                 stated: list[tuple[int, int]] | None = None) -> list[Segment]:
    """The claims of completion. A claim is only "partial" when its sentence excepts part of the work
    (除…外，其余…均已完成) or says part is still to come (正在, 进行中, 将于 …); it is no claim when its clause
    speaks of an earlier step than the work itself (其余项目已全部完成道路方案批复, 招标采购工作已经完成), of a
    plan (计划年底前全部完成), or when a sub-area is its subject (甲市已提前完成: a part, not the whole task)."""
    claims = reading.find(_claims())
    out: list[Segment] = []
    for number, m in enumerate(_SENTENCE.finditer(reading.text)):
        if number >= 64:
            break
        if _BARE_CLAIM.fullmatch(m.group()):  # 已完成。 standing alone: the task is done
            out.append(Segment(kind="claim", label=m.group().strip(), start=m.start(), end=m.end()))
    if not claims.starts:
        return out
    pending = reading.find(alternation("completion_words.tsv", "pending"))
    excepted = reading.find(_EXCEPT)
    early = reading.find(early_steps())
    parts = reading.find(_PART_SUBJECT)
    plans = reading.find(alternation("plan_words.tsv", "clause", "not_plan"))
    years = reading.find(_YEAR_NAMED)
    for start, end, word in claims.inside(0, len(reading.text)):
        sentence_start, sentence_end = reading.sentence_of(start)
        clause_start, clause_end = reading.clause_of(start)
        partial = pending.any(sentence_start, sentence_end + 1) or excepted.any(sentence_start, sentence_end + 1)
        if early.any(max(clause_start, start - 24), min(clause_end, end + 12)):
            continue
        if any(w not in _not_plan() for _, _, w in plans.inside(max(clause_start, start - 24), start)):
            continue  # 计划年底前全部完成: a plan
        if parts.any(max(clause_start, start - 10), end):
            continue
        if stated and any(a <= start < b or a < end <= b for a, b in stated):
            continue  # 已完成年度目标任务的55%: part of a stated share, not a claim
        named = years.last(max(clause_start, start - 2 * 64), start)
        if named is not None and year is not None and int(named[2][:4]) != year:
            continue  # 2019年…比例超额完成任务, in a 2020 report: another year's result
        out.append(Segment(kind="partial" if partial else "claim", label=word, start=sentence_start, end=sentence_end))
    out.sort(key=lambda c: c.start)
    return out


_AREA_SUBJECT = LazyPattern(r"[\u4e00-\u9fff]{1,6}" rf"(?:{_alt('area_suffix')})(?=(?:{_alt('part_adverb')}))")


def part_claims(reading: Reading) -> list[Segment]:
    """The claims whose subject is one sub-area (其中长海县已全部完工): no claim of the whole task, but a claim of
    that part; kind "part", label the sub-area, the span its clause."""
    out: list[Segment] = []
    areas = reading.find(_AREA_SUBJECT)
    for start, end, _ in reading.find(_claims()).inside(0, len(reading.text))[:_MAX_NODE_GOALS]:
        clause_start, clause_end = reading.clause_of(start)
        area = areas.last(max(clause_start, start - 10), start)
        if area is None or (out and out[-1].start == clause_start):
            continue
        label = area[2].removeprefix(_word("breakdown"))
        out.append(Segment(kind="part", label=label, start=clause_start, end=clause_end))
    return out


def _stated_ratios(reading: Reading) -> list[StatedRatio]:
    text, folded = reading.text, reading.folded
    out: list[StatedRatio] = []
    quantities = reading.figures
    time_spans = [(s.start, s.end) for s in reading.skipped if s.reason in ("year", "date", "period", "list marker")]
    for index, q in enumerate(quantities):
        fraction = q.unit == "" and _word("fraction_word") in q.text  # 完成全年任务的三分之二
        if q.unit != "%" and not fraction:
            continue
        start = reading.back(q.start)
        m = _STATED.search(folded, start, q.start)
        if m is not None and _SCHEDULE.search(folded, m.start(), q.start):
            continue
        if m is None and out:
            # 现已完成整体进度的76%。其中乔木栽植6035株,占比约75%;…: the parts of a stated share's breakdown state
            # their own shares with 占比
            part = _PART_SHARE.search(folded, max(0, q.start - 8), q.start)
            head = reading.find(_BREAKDOWN_WORD).last(max(0, q.start - 4 * 64), q.start)
            whole = next((x for x in reversed(out) if x.end <= head[0]), None) if head is not None else None
            if part is not None and whole is not None and head[0] - whole.end <= 64 and \
                    "。" not in folded[head[1]:q.start]:
                out.append(StatedRatio(value=round(float(q.value / Decimal(100)), 6), text=text[part.start():q.end],
                                       start=part.start(), end=q.end, quantity_index=index))
                continue
        if m is None:
            previous = out[-1] if out else None
            if previous is None or previous.quantity_index != index - 1 or \
                    not _LIST_GAP.fullmatch(folded, quantities[index - 1].end, q.start):
                continue
            percent = q.value / Decimal(100)
            out.append(StatedRatio(value=round(float(percent), 6), text=text[q.start:q.end], start=q.start,
                                   end=q.end, qualifier=previous.qualifier, quantity_index=index))
            continue
        percent = q.value if fraction else q.value / Decimal(100)
        value = float(1 + percent) if m.group("exceed") else float(percent)
        qualifier = _qualifier(folded, start, m.start(), time_spans)
        out.append(StatedRatio(value=round(value, 6), text=text[m.start():q.end], start=m.start(), end=q.end,
                               qualifier=qualifier, quantity_index=index))
    return _with_figures(reading, out, time_spans)


_SUBJECT_VERBS = LazyPattern(rf"^(?:[\s,，、:：]|{_alt('subject_lead')})+"
                            rf"|(?:[\s,，、:：{_word('possessive')}]|{_alt('subject_tail_verbs')})+$")
_DISTRIBUTED = LazyPattern(_alt("distributed"))
_BASE_AFTER = LazyPattern(rf"(?:{_alt('possessive')})?(?:{_alt('base_word')})")  # 在2019年已完成28公顷的基础上: a base, not what the share is of
_PLANNED = LazyPattern(rf"(?:{_alt('planned_lead')})" r"[\u4e00-\u9fff]{0,6}$", needs=_listed("planned_lead"))  # 计划开工10个: a planned figure before the share
_NAMES = LazyPattern(r"[\u4e00-\u9fff]{2,8}(?:、[\u4e00-\u9fff]{2,8})+")


def _with_figures(reading: Reading, stated: list[StatedRatio],
                  time_spans: list[tuple[int, int]]) -> list[StatedRatio]:
    """Each stated share with the figure it is the share of and what that figure counts. In a list
    (…新增技能人才166.7万人,新增高技能人才82.21万人,分别完成年度目标任务的…、111.13%、91.34%) the k-th share
    belongs to the k-th of the figures before the list; otherwise the nearest figure before it in its sentence,
    after the previous share."""
    quantities = reading.figures
    stated_indexes = {s.quantity_index for s in stated}
    out: list[StatedRatio] = []
    n = 0
    while n < len(stated):
        head = stated[n]
        length = 1
        while n + length < len(stated) and stated[n + length].start == stated[n + length].end - len(
                quantities[stated[n + length].quantity_index].text):
            length += 1  # the shares listed after the head (their phrase is the figure alone)
        sentence_start = max(reading.sentence_of(head.start)[0], head.start - 4 * 64)
        floor = max(sentence_start, out[-1].end if out else 0)
        before: list[int] = []
        for i in range(head.quantity_index - 1, -1, -1):
            if quantities[i].start < floor or len(before) >= length * 2 + 2:
                break
            before.append(i)
        quoted = [i for i in before if quantities[i].start >= head.start]  # 为年度目标(610亿元)的: in the phrase
        planned = [i for i in before if i not in quoted and _PLANNED.search(
            reading.folded, max(floor, quantities[i].start - 9), quantities[i].start)]
        figures = [i for i in reversed(before)
                   if i not in stated_indexes and quantities[i].unit != "%" and i not in quoted and i not in planned
                   and not _BASE_AFTER.match(reading.folded, quantities[i].end)]
        chosen = figures[-length:] if len(figures) >= length else ([None] * (length - len(figures)) + figures)
        if length == 1 and chosen[-1] is None and out and out[-1].figure_index is not None and \
                quoted and out[-1].end >= sentence_start:
            chosen = [out[-1].figure_index]  # 完成投资691.77亿元,为年度目标(…)的55.98%,为上半年目标(610亿元)的113.39%
        target_of = quoted[-1] if length == 1 and quoted else None
        if target_of is None and length == 1 and planned:
            # 2020年计划完成剩余的15公顷建设任务…现已完成整体进度的76%: the plan is the target the share is of
            same = [i for i in planned if chosen[-1] is None or
                    (quantities[i].unit == quantities[chosen[-1]].unit and i < chosen[-1])]
            target_of = same[-1] if same else None
        names = _NAMES.search(head.qualifier) if head.qualifier else None
        for k in range(length):
            share = stated[n + k]
            figure = chosen[k] if k < len(chosen) else None
            subject = _subject(reading, figure, time_spans) if figure is not None else ""
            shared = 1
            if names is not None and figure is None:
                listed = names.group().split("、")
                if length == len(listed):
                    subject = listed[k]       # 湘西州、衡阳市、邵阳市开工率分别为35.29%、39.73%、43.17%
                elif length == 1 and _DISTRIBUTED.search(reading.folded, share.start, share.end):
                    subject, shared = names.group(), len(listed)  # …、…、…开工率均达100%
            out.append(share.model_copy(update={"figure_index": figure, "subject": subject, "shared": shared,
                                                "target_index": target_of}))
        n += length
    return out


def _subject(reading: Reading, index: int, time_spans: list[tuple[int, int]]) -> str:
    """What figure `index` counts, as written: the words of its clause before it (from the previous figure or
    the last date on), else those after it up to the clause end (完成 155公里 河道综合整治 → 河道综合整治)."""
    quantities = reading.figures
    q = quantities[index]
    clause_start, clause_end = reading.clause_of(q.start)
    start = max(clause_start, quantities[index - 1].end if index else 0, q.start - 32)
    start = max([start] + [b for a, b in time_spans if start <= b <= q.start])  # after 截至10月底 …
    end = min(clause_end, quantities[index + 1].start if index + 1 < len(quantities) else clause_end, q.end + 32)
    text = reading.text
    before = _trimmed(text, start, q.start)
    if len(CJK_CHAR.findall(before)) >= 3:
        return before
    after = _trimmed(text, q.end, end)
    return after or before




def _trimmed(text: str, start: int, end: int) -> str:
    m = _SUBJECT_VERBS.match(text, start, end)
    if m is not None and m.end() > start:
        start = m.end()
    phrase = text[start:end]
    return _SUBJECT_VERBS.sub("", phrase).strip()


def _qualifier(folded: str, start: int, end: int, time_spans: list[tuple[int, int]]) -> str:
    """The words before a stated share that say what it is a share of (人均处罚量 in 人均处罚量已完成45.3%), without
    the dates and periods that only say when (截至10月31日，…完成率)."""
    words_before = "".join(ch for i, ch in enumerate(folded[start:end], start)
                           if not any(a <= i < b for a, b in time_spans))
    return _FILLER.sub("", words_before).strip(" ，,、")


def _segments(reading: Reading) -> list[Segment]:
    text = reading.text
    heads: list[tuple[int, int, str, str]] = []
    for span in reading.skipped:
        if span.reason == "list marker":
            label = re.sub(f"[^0-9{_word('chars_marker_numerals')}①-⑳]", "", span.text)
            heads.append((span.start, span.end, "item", label))
    for m in _SECTION.finditer(text):
        heads.append((m.start(), m.end(), "section", m.group(1).strip()))
    heads.sort()
    segments: list[Segment] = []
    next_start = {"item": len(text), "section": len(text)}
    for start, _end, kind, label in reversed(heads):  # each segment runs to the next head of its kind
        segments.append(Segment(kind=kind, label=label, start=start, end=next_start[kind]))
        next_start[kind] = start
    segments.reverse()
    for m in _BREAKDOWN.finditer(text):
        segments.append(Segment(kind="breakdown", label=_word("breakdown"), start=m.start(), end=m.end()))
    for number, m in enumerate(_SENTENCE.finditer(text), 1):
        if m.group().strip():
            segments.append(Segment(kind="sentence", label=str(number), start=m.start(), end=m.end()))
    return segments


class GridRow(BaseModel):
    """One row of a table flattened into a progress text: its label and one cell per column."""

    model_config = ConfigDict(frozen=True)

    label: str                   # 新辟线路年度目标, 实际完成
    cells: list[int]             # for each column, the index of its figure in Progress.quantities
    goal: bool                   # the label names a goal (目标, 计划, 任务) rather than what was done


class Grid(BaseModel):
    """A table flattened into a progress text (鄞州 海曙、江东、江北 镇海 北仑 合计 新辟线路年度目标 2 5 1 2 10 实际完成
    1 2 0 3 6 …): the column names written once, then rows of a label and one bare number per column."""

    model_config = ConfigDict(frozen=True)

    columns: list[str]
    total: int | None            # the column that totals the others (合计), if one is named
    rows: list[GridRow]


_TOKEN = LazyPattern(r"\S+")
_BARE_NUMBER = LazyPattern(r"-?[0-9]+(?:\.[0-9]+)?")
_GRID_ROWS = 2      # rows a flattened table has at least
_GRID_COLUMNS = 2   # and columns


def read_grid(text: str, quantities: list[Quantity]) -> Grid | None:
    """The flattened table of a progress text, or None: k names, then at least two rows of a label followed by
    k bare numbers (each a figure of `quantities` with no unit), one row after the other. Guessed: the names
    just before the first row's label are the columns; a label naming 目标/计划/任务 is a goal row."""
    by_start = {q.start: i for i, q in enumerate(quantities) if q.unit == ""}
    tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(text, 0, 64 * 1024)]
    runs: list[tuple[int, list[int]]] = []  # (label token index, figure indexes)
    k = 0
    while k < len(tokens):
        start, token = tokens[k]
        if _BARE_NUMBER.fullmatch(token) or k + 1 >= len(tokens) or not _BARE_NUMBER.fullmatch(tokens[k + 1][1]):
            k += 1
            continue
        cells: list[int] = []
        j = k + 1
        while j < len(tokens) and _BARE_NUMBER.fullmatch(tokens[j][1]) and tokens[j][0] in by_start:
            cells.append(by_start[tokens[j][0]])
            j += 1
        if len(cells) >= _GRID_COLUMNS:
            runs.append((k, cells))
        k = j
    if len(runs) < _GRID_ROWS:
        return None
    width = len(runs[0][1])
    first = runs[0][0]
    if first < width or any(len(cells) != width for _, cells in runs):
        return None
    if any(runs[n + 1][0] != runs[n][0] + 1 + width for n in range(len(runs) - 1)):
        return None  # the rows follow each other, nothing between
    columns = [token for _, token in tokens[first - width:first]]
    if any(_BARE_NUMBER.fullmatch(c) for c in columns):
        return None
    totals = _listed("grid_total")
    total = next((n for n, c in enumerate(columns) if any(w in c for w in totals)), None)
    goal_words = _listed("grid_goal")
    rows = [GridRow(label=tokens[at][1], cells=cells, goal=any(w in tokens[at][1] for w in goal_words))
            for at, cells in runs]
    return Grid(columns=columns, total=total, rows=rows)
