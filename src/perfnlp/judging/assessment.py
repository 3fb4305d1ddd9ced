"""Stage 7: assessment. assess(target, progress, context) → one Assessment per target item, in order.

ratio: achieved ÷ target, units converted (pint) where the units differ; for a change target the achieved
change ÷ the target change (a change in the other direction counts negative); for a ceiling the used share.
expected_ratio: the share of the year elapsed (序时进度) at the progress's own date, else the context's.
status (GOLD.md):
- cumulative totals (at least / about / exactly): achieved when ratio ≥ 1 (≥ 0.95 for "about": the
  documented tolerance `APPROX_TOLERANCE`), on_track when ratio ≥ expected_ratio, else behind;
- cumulative ceilings (at most): behind once the ceiling is passed or when the used share runs ahead of
  the year; achieved at the year's end within the ceiling; otherwise on_track;
- levels (rates, indices, concentrations, changes): on_track when the current value satisfies the
  comparator (achieved at the year's end), behind when it does not; "about" allows APPROX_TOLERANCE of the
  target either side, and "控制在…左右" reads as a ceiling with that tolerance;
- zero ceilings (不发生…): on_track (achieved at the year's end) when the progress says it did not happen;
- no comparable figure: the stated ratio decides when there is one (and, for a target with no figure, the
  implied target achieved ÷ stated is reported); a claim of completion (提前完成, 超额完成) is achieved;
  otherwise unknown.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from .alignment import Alignment, align, target_step
from .similarity import similarity
from .explain import explain
from .model import Assessment, Status
from .warning import warning_light
from .words import alt, listed, word
from ..reading.periods import elapsed_share, read_periods
from ..text.context import Context, context_from
from ..text.lexicon import alternation, pairs, rows
from ..text.model import copied
from ..text.patterns import LazyPattern
from ..text.records import SlotRecord
from ..reading.reading import WINDOW, read
from ..statements.progress import Progress, StatedRatio, early_steps, node_goals, parse_progress, part_claims, read_grid
from ..reading.quantities import Quantity
from ..statements.targets import Target, is_level, parse_target

APPROX_TOLERANCE = 0.05       # "about" (左右, 约) accepts 5% either side
STATED_TOLERANCE = 0.01       # a stated ratio more than one percentage point off the computed one is flagged


def assess(target: str, progress: str, context: Context | dict[str, Any] | None = None, *,
           group: str | None = None) -> list[Assessment]:
    """Assess a progress text against a target text: one Assessment per target item, in order."""
    if not isinstance(target, str):
        raise TypeError(f"target must be a str, not {type(target).__name__}")
    if not isinstance(progress, str):
        raise TypeError(f"progress must be a str, not {type(progress).__name__}")
    ctx = context_from(context)
    targets = parse_target(target, ctx, group=group)
    read = parse_progress(progress, ctx)
    return assess_parsed(targets, read, ctx, alignments=_aligned(target, group, targets, read, ctx))


def _aligned(target: str, group: str | None, targets: list[Target], progress: Progress,
             context: Context) -> list[Alignment]:
    """align() of the items of `target` (under `group`) with `progress` read under `context`: a function of
    those four alone, so worked out once and kept with the progress text's Reading; copies for each caller."""
    reading = read(progress.text)
    key = ("alignment", target, group, context)
    found = reading.memo.get(key)
    if found is None:
        found = reading.remember(key, tuple(align(targets, progress, context.effective_year)))  # kept, never handed out
    return [a.copy() for a in found]  # type: ignore[attr-defined]


class Evidence(SlotRecord):
    """What a reader already knows pairs with a target item, so that alignment need not guess: a table row's
    achieved cell for its target-value cell, and its completion-rate cell. Frozen, hashable by its fields."""

    __slots__ = ("figures", "stated_ratio", "flags")

    figures: tuple[Quantity, ...]
    stated_ratio: float | None
    flags: tuple[str, ...]

    def __init__(self, figures: tuple[Quantity, ...] = (), stated_ratio: float | None = None,
                 flags: tuple[str, ...] = ()) -> None:
        _set = object.__setattr__
        _set(self, "figures", figures)
        _set(self, "stated_ratio", stated_ratio)
        _set(self, "flags", flags)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Evidence is frozen: cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Evidence is frozen: cannot delete field {name!r}")

    def __hash__(self) -> int:
        return hash(self.fields())

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return Evidence, self.fields()  # a frozen record is rebuilt through __init__ (pickle, copy)


def assess_parsed(targets: list[Target], progress: Progress, context: Context,
                  evidence: list[Evidence | None] | None = None, *,
                  alignments: list[Alignment] | None = None) -> list[Assessment]:
    """Assess parsed targets against a parsed progress. `evidence[i]`, when given, is the known progress
    figure(s) and stated ratio of item i (from a table's columns); the other items are aligned (`alignments`:
    align()'s answer for these, when the caller has it already)."""
    text_as_of = progress.as_of or context.as_of
    plan_only = progress.as_of is None and any(p.plan for p in progress.periods)
    said = _Said(progress)
    dates = _ItemDates(progress, context)
    if alignments is None:
        alignments = align(targets, progress, context.effective_year)
    if evidence is not None:
        for index, known in enumerate(evidence[:len(alignments)]):
            if known is not None:
                alignments[index] = Alignment(figures=list(known.figures), flags=list(known.flags),
                                              claim=alignments[index].claim)
    progress = _rates_listed(targets, progress)
    targets, alignments = _numbered_parts(targets, alignments, progress)
    targets, alignments = _grid_items(targets, alignments, progress)
    targets, alignments = _node_items(targets, alignments, progress, context)
    targets, alignments = _plan_items(targets, alignments, progress)
    targets, alignments = _with_statements(targets, alignments, progress)
    deadline_passed = _deadline_passed(targets, context, text_as_of)
    results = []
    for index, (target, alignment) in enumerate(zip(targets, alignments)):
        if alignment.adopted:
            target = target.model_copy(update=alignment.adopted)
        as_of = dates.of(alignment.figures[0] if alignment.figures else None) or text_as_of
        expected = elapsed_share(as_of) if as_of is not None else None
        if "node_target" in alignment.flags and expected is not None:
            expected = 1.0  # a node target set for the progress date is due at it: met or not (GOLD.md)
        flags = list(dict.fromkeys(alignment.flags))
        if plan_only:
            flags.append("plan_not_progress")
        figures = alignment.figures
        if target.quantity is not None and target.quantity.value == 0 and target.comparator in ("le", "lt") \
                and said.none_of(target):
            figures = []  # 劣V类水体比例0% / 无劣V类水体: the text says none is left; 优良水体比例71% is another measure
            flags.append("none_left")
        achieved_value = _achieved_value(target, figures, alignment.signed_change, flags, bool(alignment.per))
        ratio = _ratio(target, achieved_value)
        known = evidence[index] if evidence is not None and index < len(evidence) else None
        stated = known.stated_ratio if known is not None else alignment.stated
        if ratio is not None and stated is not None and abs(ratio - stated) > STATED_TOLERANCE:
            flags.append("stated_differs")
        implied = None
        if target.quantity is None and not target.zero_ceiling and stated and figures:
            implied = _implied(figures[0].value, stated)
            flags.append("inferred_target")
        if expected is None:
            flags.append("no_date")
        claimed = alignment.claim
        status = _status(target, ratio, achieved_value, stated, expected, progress, said, claimed,
                         other_branch="figure_taken" in flags and _alternative(targets, index),
                         among_others=target.quantity is None and len(targets) > 1)
        if ratio is not None and stated is not None and target.cumulative and "stated_differs" in flags \
                and _stated_more_precise(ratio, stated, figures, target):
            # 29 / 14 (whole 亿元) with 完成进度50%: the share was worked out from unrounded figures (GOLD.md)
            status = _cumulative_status(target.comparator, stated, expected)
            flags.append("stated_more_precise")
        if claimed == "partial" and ratio is None and stated is None:
            flags.append("partial_claim")
        if ratio is None and stated is None and claimed is None and target.quantity is None \
                and _same_result(target.text, progress.text):
            flags.append("same_result")
        if status in ("unknown", "achieved") and ratio is None and stated is None and target.quantity is not None \
                and target.quantity.value == 1 \
                and target.cumulative and said.one_done(target):
            # 建成并运营加氢站不少于1座 / 海泊尔加氢站已正式运营: the one thing the target asks for is named done
            status, ratio = "achieved", 1.0
            achieved_value = Decimal(1)
            flags.append("named_done")
        if status == "unknown" and ratio is None and stated is None:
            versus = said.versus_for(target, len(targets))
            if versus is not None:  # 增幅高于年度目标0.3个百分点 / 低于年度目标: the text compares with the target itself
                status = ("achieved" if expected is not None and expected >= 0.999 else "on_track") \
                    if versus == "above" else "behind"
                flags.append(f"{versus}_target")
        if status == "achieved" and ratio is not None and target.cumulative and expected is not None \
                and expected < 0.999 and said.pending_after(figures[0] if figures else None):
            # 合计1721套，其中…已完成总工程量的90%，计划12月底前完成: the figures reach the target, the work is not done
            status = "on_track" if ratio >= expected else "behind"
            flags.append("work_pending")
        if status == "unknown" and ratio is None and stated is None and not target.cumulative \
                and target.quantity is not None and target.quantity.unit == "%" and target.comparator in ("ge", "gt") \
                and said.none_to_rate(target):
            # 污染地块安全利用率达到90% / 暂无疑似污染地块和污染地块: with none of what the rate is of, it holds
            status = "achieved" if expected is not None and expected >= 0.999 else "on_track"
            flags.append("none_to_rate")
        if status == "unknown" and deadline_passed and not said.closed:
            status = "behind"  # 上半年投入运行, and at 06-30 only 开工建设
            flags.append("deadline_passed")
        a = Assessment(
            target=target, achieved=figures[0] if figures else None, parts=figures if len(figures) > 1 else [],
            achieved_value=achieved_value, ratio=ratio, stated_ratio=stated, expected_ratio=expected,
            as_of=as_of, status=status, implied_target=implied, flags=flags,
        )
        results.append(copied(a, {"explanation": explain(a, progress, said.reporting(as_of)),
                                  "warning": warning_light(a)}))
    return results


# 11个市完成率由高到低分别为 / 长治124.9%、忻州86.3%…: the target names the share, the progress lists it per subject
@cache
def _rate_tail() -> re.Pattern[str]:
    return re.compile(f"(?:{alt('rate_named')})(?:{alt('rate_order')})?(?:{alt('respectively')})?(?:{alt('copula')})?"
                      r"[:：]?\s*$")
_NAME_BEFORE = LazyPattern(r"([\u4e00-\u9fff]{2,6})\s*$")


def _rates_listed(targets: list[Target], progress: Progress) -> Progress:
    """A target that ends naming a completion share (…完成率由高到低分别为) makes the bare percentages its
    progress lists, each after a name, the shares of those names."""
    if progress.stated or len(targets) != 1 or not _rate_tail().search(targets[0].text):
        return progress
    reading = read(progress.text)
    listed = []
    for index, q in enumerate(progress.quantities[:_MAX_STATEMENTS]):
        if q.unit != "%":
            continue
        name = _NAME_BEFORE.search(reading.folded, max(0, q.start - 8), q.start)
        if name is None:
            continue
        listed.append(StatedRatio(value=round(float(q.value / Decimal(100)), 6), text=progress.text[q.start:q.end],
                                  start=q.start, end=q.end, quantity_index=index, subject=name.group(1)))
    return progress.model_copy(update={"stated": listed, "stated_ratios": [x.value for x in listed]}) if listed \
        else progress


def _with_statements(targets: list[Target], alignments: list[Alignment],
                     progress: Progress) -> tuple[list[Target], list[Alignment]]:
    """The target items, and items of the progress's own statements (a stated share with the figure it is the
    share of) that no item took: after the items when some item found its progress (39个工业项目全部开工建设，
    完成投资165.3亿元，完成年度投资计划的72.06%), or of a target with no figure that states several shares
    (分别完成年度目标任务的81.73%、111.13%、91.34%); before them when no item found any (500个省重点项目 /
    完成投资1856.1亿元，投资完成率90.1%: the count is the task's scope, the shares are what is reported)."""
    if not progress.stated:
        return targets, alignments
    used = {a.stated_index for a in alignments if a.stated_index is not None}
    used_figures = {(q.start, q.end) for a in alignments for q in a.figures}
    own = [t for t in targets if not t.from_progress]  # a node target the progress names is none of the target's
    dimensions = {t.quantity.dimension for t in own if t.quantity is not None}
    no_figure = all(t.quantity is None and not t.zero_ceiling for t in own)
    found = [bool(a.figures or a.stated_index is not None or a.claim) for t, a in zip(targets, alignments)
             if not t.from_progress]
    free: list[int] = []
    for i, s in enumerate(progress.stated[:_MAX_STATEMENTS]):
        if i in used:
            continue
        figure = progress.quantities[s.figure_index] if s.figure_index is not None else None
        if figure is not None and (figure.start, figure.end) in used_figures and s.target_index is None:
            continue  # its figure is an item's (a share against a target of its own is an item even so)
        if no_figure or not any(found) or s.target_index is not None or (
                figure is not None and figure.dimension not in dimensions):
            free.append(i)
    if not free or (no_figure and not used):
        return targets, alignments
    made_targets: list[Target] = []
    made: list[Alignment] = []
    for i in free:
        s = progress.stated[i]
        figure = progress.quantities[s.figure_index] if s.figure_index is not None else None
        subjects = s.subject.split("、") if s.shared > 1 else [s.subject or s.qualifier]
        goal = progress.quantities[s.target_index] if s.target_index is not None else None
        for subject in subjects:
            made_targets.append(Target(text=s.text, start=s.start, end=s.end, comparator="ge", metric=subject,
                                       quantity=goal, cumulative=goal is None or not is_level(subject, goal.unit, None),
                                       from_progress=True))
            made.append(Alignment(figures=[figure] if figure is not None else [], stated=s.value, stated_index=i,
                                  flags=["from_progress"]))
    made_targets, made = _with_part_claims(made_targets, made, progress)
    if any(found) or no_figure or not all(d.startswith("count") for d in dimensions):
        return targets + made_targets, alignments + made
    return made_targets + targets, made + alignments  # the counted items are the scope of what is reported


_MAX_STATEMENTS = 256  # items made of a progress's statements, at most


def _with_part_claims(made_targets: list[Target], made: list[Alignment],
                      progress: Progress) -> tuple[list[Target], list[Alignment]]:
    """其中长海县已全部完工,普兰店区完成95%,…: among the sub-areas whose shares are items, a sub-area that claims its
    part done is an item too (achieved), in its place in the list."""
    areas = [t for t in made_targets if _AREA_NAME.search(t.metric)]
    if not areas:
        return made_targets, made
    reading = read(progress.text)
    sentences = {reading.sentence_of(t.start) for t in areas}
    pairs = list(zip(made_targets, made))
    for claim in part_claims(reading):
        if reading.sentence_of(claim.start) not in sentences or any(t.metric == claim.label for t, _ in pairs):
            continue
        pairs.append((Target(text=progress.text[claim.start:claim.end], start=claim.start, end=claim.end,
                             comparator="ge", metric=claim.label, label=claim.label, from_progress=True),
                      Alignment(claim="claim", flags=["from_progress", "part_claim"])))
    pairs.sort(key=lambda pair: pair[0].start)
    return [t for t, _ in pairs], [a for _, a in pairs]


_AREA_NAME = LazyPattern(rf"[\u4e00-\u9fff]{{1,8}}(?:{alt('area_name_suffix')})$")


def _grid_items(targets: list[Target], alignments: list[Alignment],
                progress: Progress) -> tuple[list[Target], list[Alignment]]:
    """新辟公交线路10条 / 鄞州 … 合计 新辟线路年度目标 2 5 1 2 10 实际完成 1 2 0 3 6: a target item whose value a goal
    row of the progress's flattened table holds (in its total column when there is one) is judged on the next
    row that is no goal, in that column; each other column of the pair of rows is an item of its own (the
    part of the target one area or kind has), after the target's items, in the table's order."""
    if not progress.quantities or not any(t.quantity is not None for t in targets):
        return targets, alignments
    grid = read_grid(progress.text, progress.quantities)
    if grid is None:
        return targets, alignments
    quantities = progress.quantities
    alignments = list(alignments)
    parts: list[tuple[Target, Alignment]] = []
    used: set[int] = set()
    # the results row after each row (one pass from the end), so that no goal row scans the rows after it
    results_after: list[int | None] = [None] * len(grid.rows)
    following: int | None = None
    for n in range(len(grid.rows) - 1, -1, -1):
        results_after[n] = following
        if not grid.rows[n].goal:
            following = n
    columns = [grid.total] if grid.total is not None else range(len(grid.columns))
    for index, target in enumerate(targets):
        if target.quantity is None or alignments[index].figures or not target.cumulative:
            continue
        for n, row in enumerate(grid.rows):
            if not row.goal or n in used or results_after[n] is None:
                continue
            column = next((c for c in columns if quantities[row.cells[c]].value == target.quantity.value), None)
            if column is None:
                continue
            done = grid.rows[results_after[n]]
            used.add(n)
            alignments[index] = Alignment(figures=[quantities[done.cells[column]]], flags=["from_grid"],
                                          claim=alignments[index].claim)
            for c, name in enumerate(grid.columns):
                if c == column:
                    continue
                # a bare cell counts in the unit of the target it is a part of (新辟公交线路10条: 2 → 2条)
                goal = quantities[row.cells[c]].model_copy(update={"unit": target.quantity.unit,
                                                                   "dimension": target.quantity.dimension})
                parts.append((Target(text=progress.text[goal.start:goal.end], start=goal.start, end=goal.end,
                                     comparator=target.comparator, change=target.change, quantity=goal, metric=name,
                                     label=name, from_progress=True),
                              Alignment(figures=[quantities[done.cells[c]]], flags=["from_grid", "from_progress"])))
            break
    if not parts:
        return targets, alignments
    return targets + [t for t, _ in parts], alignments + [a for _, a in parts]


def _node_items(targets: list[Target], alignments: list[Alignment], progress: Progress,
                context: Context) -> tuple[list[Target], list[Alignment]]:
    """累计完成供热管网改造23.4公里,超额完成9月份设置的累计完成供热管网改造20公里的节点目标: a node target the progress
    names is an item of its own, after the target's, judged on the nearest figure of its unit before it (what the
    text reports against it), due at the progress date."""
    reading = read(progress.text)
    found = node_goals(reading)
    if not found:
        return targets, alignments
    quantities = progress.quantities
    goals = set(found)
    made_targets: list[Target] = []
    made: list[Alignment] = []
    for g in found[:_MAX_STATEMENTS]:
        q = quantities[g]
        clause_start, _ = reading.clause_of(q.start)
        achieved = next((quantities[i] for i in range(g - 1, max(-1, g - 1 - _NODE_LOOKBACK), -1)
                         if i not in goals and quantities[i].unit == q.unit), None)
        metric = progress.text[clause_start:q.start]
        verb = reading.find(_completion_verbs()).last(clause_start, q.start - 1)  # the last verb ending before it
        if verb is not None:
            metric = progress.text[verb[1]:q.start]  # 超额完成9月份设置的累计完成供热管网改造: what is done, after its verb
        metric = metric.strip(" ,，")
        made_targets.append(Target(text=progress.text[clause_start:q.end], start=clause_start, end=q.end,
                                   comparator="ge", quantity=q, metric=metric,
                                   cumulative=not is_level(metric, q.unit, None) or q.unit == "%",
                                   from_progress=True))
        made.append(Alignment(figures=[achieved] if achieved is not None else [],
                              flags=["from_progress", "node_target"]))
    return targets + made_targets, alignments + made


@cache
def _completion_verbs() -> re.Pattern[str]:
    return alternation("completion_words.tsv", "verb")


# 今年我局计划实施“留白增绿”866.7公顷, 计划竣工1个: a figure the progress plans (not 为计划的…, 按计划…)
@cache
def _progress_plan() -> re.Pattern[str]:
    return re.compile(rf"(?<!{alt('plan_not_after')})(?:{alt('progress_plan')})(?!{alt('possessive')})"
                      r"[^\s0-9，。；;,、]{0,12}$")


def _plan_items(targets: list[Target], alignments: list[Alignment],
                progress: Progress) -> tuple[list[Target], list[Alignment]]:
    """今年我局计划实施“留白增绿”866.7公顷、“战略留白”临时绿化2348公顷,目前“留白增绿”…已完成栽植面积10387亩; 计划竣工1个,
    实际竣工1个: a figure the progress plans itself (not the target's own value) is an item of its own after the
    target's, judged on the figure after it in its sentence that reports the same measure (its words shared
    most, each figure reporting one plan), unknown when none does."""
    reading = read(progress.text)
    quantities = progress.quantities[:_MAX_STATEMENTS]
    own_values = {(t.quantity.value, t.quantity.unit) for t in targets if t.quantity is not None}
    stated_figures = {s.quantity_index for s in progress.stated}
    shares_of = {s.target_index for s in progress.stated if s.target_index is not None}  # items of their own already
    plans: list[int] = []
    for i, q in enumerate(quantities):
        if not q.unit or q.unit == "%" or (q.value, q.unit) in own_values or i in shares_of:
            continue
        listed = bool(plans) and plans[-1] == i - 1 and _LISTED_AFTER.fullmatch(
            reading.folded, quantities[i - 1].end, q.start) is not None  # …866.7公顷、“战略留白”临时绿化2348公顷
        if listed or _progress_plan().search(reading.folded, max(reading.clause_of(q.start)[0], q.start - 16), q.start):
            plans.append(i)
    if not plans:
        return targets, alignments
    planned = set(plans)
    words = {i: progress.text[max(reading.clause_of(quantities[i].start)[0],
                                  quantities[i - 1].end if i else 0, quantities[i].start - 16):quantities[i].start]
             for i in plans}
    pairs: list[tuple[float, int, int]] = []  # (-similarity, plan, figure)
    for i in plans:
        sentence_end = reading.sentence_of(quantities[i].start)[1]
        for j in range(i + 1, min(len(quantities), i + 1 + _NODE_LOOKBACK)):
            q = quantities[j]
            if q.start >= sentence_end:
                break
            if j in planned or j in stated_figures or q.dimension != quantities[i].dimension:
                continue
            before = progress.text[max(quantities[j - 1].end, q.start - 24):q.start]
            score = similarity(words[i], before) + (1.0 if before.lstrip(" ,，").startswith(word("actual")) else 0.0)
            if score > 0:
                pairs.append((-score, i, j))
    pairs.sort()
    achieved: dict[int, int] = {}
    for _, i, j in pairs:
        if i not in achieved and j not in achieved.values():
            achieved[i] = j
    made_targets: list[Target] = []
    made: list[Alignment] = []
    for i in plans:
        q = quantities[i]
        metric = _PLAN_HEAD.sub("", words[i]).strip(" ,，、") or words[i]
        made_targets.append(Target(text=progress.text[q.start:q.end], start=q.start, end=q.end, comparator="ge",
                                   quantity=q, metric=metric, cumulative=not is_level(metric, q.unit, None),
                                   from_progress=True))
        figure = quantities[achieved[i]] if i in achieved else None
        made.append(Alignment(figures=[figure] if figure is not None else [], flags=["from_progress", "progress_plan"]))
    return targets + made_targets, alignments + made


_LISTED_AFTER = LazyPattern(r"、[^\s0-9，。；;,、]{1,16}")
_PLAN_HEAD = LazyPattern(rf"^.*?(?:{alt('progress_plan')})")


_NODE_LOOKBACK = 8  # figures before a node target among which its achieved figure is looked for, at most


_PART_WORDS = 60  # characters of a numbered part that name its item, at most


def _numbered_parts(targets: list[Target], alignments: list[Alignment],
                    progress: Progress) -> tuple[list[Target], list[Alignment]]:
    """关于提升基层医疗卫生服务能力 / (1)…完成年度目标任务的98.03%…;(2)…经费补助现已拨付…: a target with no figure
    reported in numbered parts, some stating a share, is one item per part, each judged on its own share (or
    claim); a part that states none says nothing of the others. A target that lists the things it covers
    (新机场北线高速、京开高速拓宽工程、…等前期工作) stays one item: its parts are shares of single things, none of
    the whole (seed s000-56)."""
    if len(targets) != 1 or targets[0].quantity is not None or targets[0].zero_ceiling or not progress.stated \
            or "、" in targets[0].text:
        return targets, alignments
    parts = [s for s in progress.segments if s.kind == "item"][:_MAX_STATEMENTS]
    if len(parts) < 2:
        return targets, alignments
    starts = [s.start for s in progress.stated]
    claims = [c for c in progress.claims if c.kind == "claim"]
    made_targets: list[Target] = []
    made: list[Alignment] = []
    for part in parts:
        low, high = bisect_left(starts, part.start), bisect_left(starts, part.end)
        share = progress.stated[low] if low < high else None
        figure = progress.quantities[share.figure_index] if share is not None and share.figure_index is not None else None
        metric = share.subject if share is not None and share.subject else \
            progress.text[part.start:part.end][:_PART_WORDS].strip(" ;；。，,")
        claim = "claim" if share is None and any(part.start <= c.start < part.end for c in claims) else None
        made_targets.append(Target(text=progress.text[part.start:part.end], start=part.start, end=part.end,
                                   comparator="ge", metric=metric, from_progress=True))
        made.append(Alignment(figures=[figure] if figure is not None else [], stated=share.value if share else None,
                              stated_index=low if share is not None else None, claim=claim,
                              flags=["from_progress"]))
    if not any(a.stated is not None for a in made):
        return targets, alignments
    return made_targets, made


def _achieved_value(target: Target, figures: list[Quantity], signed_change: Decimal | None,
                    flags: list[str], per: bool = False) -> Decimal | None:
    if not figures or target.quantity is None:
        return None
    if target.change is not None and signed_change is not None:
        return signed_change
    total = Decimal(0)
    for figure in figures:
        alike = figure.dimension.startswith("count:") and target.quantity.dimension.startswith("count:")
        if figure.unit == target.quantity.unit or figure.unit == "" or alike or (
                per and figure.unit.split("/")[0] == target.quantity.unit.split("/")[0]):
            total += figure.value  # 每人每月609元 against 609元/人月, 完成2150 against 3000户: the target's unit
            continue
        try:
            converted = figure.to(target.quantity.unit).magnitude
            total += Decimal(str(converted))
        except (ValueError, InvalidOperation):
            flags.append("unit_mismatch")
            return None
    return total


_WRITTEN_NUMBER = LazyPattern(r"[0-9]+(?:\.([0-9]+))?")


def _rounding(q: Quantity) -> float | None:
    """How far a figure may be from its true value because of how it is written, relative to it: half its
    last written digit over the number written (14 → 0.5/14; 215.4 → 0.05/215.4); None for a figure not
    written in digits."""
    m = _WRITTEN_NUMBER.search(q.text)
    if m is None:
        return None
    written = Decimal(m.group())
    if written == 0:
        return None
    half_digit = Decimal(5) / Decimal(10) ** (len(m.group(1) or "") + 1)
    return float(half_digit / written)


def _stated_more_precise(ratio: float, stated: float, figures: list[Quantity], target: Target) -> bool:
    """Whether a stated share that differs from the computed ratio is the better of the two (GOLD.md): the
    figures' rounding explains the difference and allows more error than the share's own last digit."""
    if target.quantity is None or len(figures) != 1:
        return False
    errors = [_rounding(figures[0]), _rounding(target.quantity)]
    if any(e is None for e in errors):
        return False
    allowed = ratio * sum(errors)  # type: ignore[arg-type]
    percent = Decimal(str(stated)) * 100
    decimals = max(0, -percent.normalize().as_tuple().exponent)  # type: ignore[operator]
    stated_error = 0.5 * 10 ** -decimals / 100
    return abs(ratio - stated) <= allowed and stated_error < allowed


def _ratio(target: Target, achieved: Decimal | None) -> float | None:
    if achieved is None or target.quantity is None or target.quantity.value == 0:
        return None
    return float(achieved / target.quantity.value)


def _implied(achieved: Decimal, stated: float) -> Decimal | None:
    if stated <= 0:
        return None
    return (achieved / Decimal(str(stated))).quantize(Decimal(1))


# 未发生, 无…发生: none occurred; but 未发生因防控措施不到位而发生的聚集性疫情 denies only some (a cause given)
@cache
def _not_happened() -> LazyPattern:
    return LazyPattern(rf"(?:{alt('not_happened')}|(?:{alt('none_word')})[\u4e00-\u9fff]{{0,12}}(?:{alt('happened')}))"
                       f"(?!{alt('cause')})", needs=(*listed("not_happened"), *listed("happened")))
# 已无燃煤锅炉和“散乱污”企业, 无劣V类水体: what follows 无 (up to the clause's end) is what none of is left
@cache
def _none_of() -> re.Pattern[str]:
    return re.compile(f"(?:{alt('none_lead')})" r"([^，。；;,\n]{2,24})")
RATE_NOUN = 4  # characters of the noun a rate is of, at least, to find it in a 无 phrase
# the phrase of a rate after its noun: 安全利用率, 处置率, 覆盖率 (a verb and 率, at most four characters)
@cache
def _rate_phrase() -> re.Pattern[str]:
    return re.compile(r"[\u4e00-\u9fff]{1,4}" f"(?:{alt('rate_char')})$")


@cache
def _metric_core() -> re.Pattern[str]:
    return re.compile(alt("metric_core"))


# what a target of one asks for: its metric without the work words after the noun (开工建设, 建设, 建成并运营)
@cache
def _asked() -> re.Pattern[str]:
    return re.compile(f"(?:{alt('asked_tail')})+$|^(?:{alt('asked_head')})")
_HEAD_NOUN = LazyPattern(r"[\u4e00-\u9fff]{3,6}$")


@cache
def _STEP_WORDS() -> re.Pattern[str]:  # noqa: N802 - a pattern, named as the others
    words = [r[0] for r in rows("stages.tsv") if len(r) < 3 or r[2] != "target"]
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _step_of(word: str) -> int:
    return int(pairs("stages.tsv")[word])


class _ItemDates:
    """The day each item's figure is reported to, when the progress is a numbered list whose items carry their
    own dates (1.截至11月，…；2.…；4.重点建设用地安全利用率达到100%): the latest reporting day inside the figure's
    numbered item, the report's own day for an undated item. Elsewhere the text's day for every item."""

    def __init__(self, progress: Progress, context: Context) -> None:
        items = [s for s in progress.segments if s.kind == "item"]
        self.items = items if len(items) >= 2 else []
        self.item_starts = [s.start for s in self.items]
        self.context = context
        self.periods = [(p.start, p.as_of) for p in progress.periods if p.as_of is not None]
        self.starts = [start for start, _ in self.periods]

    def of(self, figure: Quantity | None) -> dt.date | None:
        if not self.items or figure is None:
            return None
        at = bisect_right(self.item_starts, figure.start) - 1
        if at < 0:
            return None
        segment = self.items[at]
        inside = [day for start, day in self.periods[bisect_left(self.starts, segment.start):
                                                      bisect_left(self.starts, segment.end)]]
        return max(inside) if inside else self.context.as_of


# 计划12月底前完成, 计划于年底建成: work planned to be done (not 为计划的100%, 完成年度投资计划的72.06%)
@cache
def _planned_done() -> re.Pattern[str]:
    return re.compile(f"(?:{alt('plan_lead')})(?!{alt('possessive')})" r"[^，。；;,\n]{0,12}?" f"(?:{alt('planned_end')})")


class _Said:
    """What a progress text says as a whole, read once for all the items it is assessed against."""

    def __init__(self, progress: Progress) -> None:
        text = progress.text
        self.closed = alternation("completion_words.tsv", "closed").search(text) is not None
        reading = read(text)
        early = reading.find(early_steps())
        # a completion word counts unless its clause speaks of an earlier step (其余项目已全部完成道路方案批复)
        self.done_at_year_end = any(not early.any(*reading.clause_of(start)) for start, _, _ in
                                    reading.find(alternation("completion_words.tsv", "reported")).inside(0, len(text))[:64])
        self.pending = alternation("completion_words.tsv", "pending").search(text) is not None
        self.not_happened = _not_happened().search(text) is not None
        # 无违法经营方面，加大…整治: a heading that quotes the target is no statement that none is left
        self._none_of = [m.group(1) for m in _none_of().finditer(reading.folded) if word("heading_word") not in m.group(1)][:64]
        self._periods = progress.periods
        self._reporting: dict[dt.date | None, object] = {}
        self._reading = reading
        self._versus = progress.versus
        self._pending = reading.find(alternation("completion_words.tsv", "pending"))
        self._done = reading.find(alternation("completion_words.tsv", "done"))
        self._plans = reading.find(_planned_done())

    def none_of(self, target: Target) -> bool:
        """The text says none of what a zero item counts is left (我区已无燃煤锅炉和“散乱污”企业; 无劣V类水体)."""
        core = _metric_core().sub("", target.metric.replace("“", "").replace("”", ""))
        if len(core) < 2:
            return False
        return any(core in phrase.replace("“", "").replace("”", "") for phrase in self._none_of)

    def none_to_rate(self, target: Target) -> bool:
        """The text says there is none of what a rate item is the rate of (暂无…污染地块 for 污染地块安全利用率): the
        run of the metric before its rate phrase, at least RATE_NOUN characters, inside a 无 phrase."""
        rate = _rate_phrase().search(target.metric)
        if rate is None:
            return False
        noun = target.metric[:rate.start()]
        for phrase in self._none_of:
            for length in range(min(len(noun), 8), RATE_NOUN - 1, -1):
                if noun[-length:] in phrase or noun[:length] in phrase:
                    return True
        return False

    def one_done(self, target: Target) -> bool:
        """A clause of the progress names the thing a target of one asks for (its metric's last noun) and a step
        of the work at least as late as the target's, or a completion word (海户新村社区卫生服务中心项目封顶 for
        社区卫生服务中心开工建设达到1个)."""
        noun = _HEAD_NOUN.search(_asked().sub("", target.metric))
        if noun is None:
            return False
        asked = target_step(target) or 5
        text = self._reading.folded
        at = text.find(noun.group(), 0, 4 * 1024)
        while at >= 0:
            clause_start, clause_end = self._reading.clause_of(at)
            # the step may come before the noun too (作为…启动的环保技改项目)
            steps = [_step_of(m.group()) for m in _STEP_WORDS().finditer(text, clause_start, clause_end)]
            if any(step >= asked for step in steps) or self._done.any(at, clause_end):
                if not self._pending.any(at, clause_end):
                    return True
            at = text.find(noun.group(), at + 1, 4 * 1024)
        return False

    def versus_for(self, target: Target, items: int) -> str | None:
        """"above" or "below" when the text compares the item with its target (高于年度目标, 低于年度目标)."""
        for v in self._versus[:64]:
            if items == 1 or similarity(target.metric, self._reading.text[v.start:v.end]) >= 0.5:
                return v.kind
        return None

    def pending_after(self, figure: Quantity | None) -> bool:
        """Whether the figure's clause, or a 其中 breakdown right after it, goes on to say work is still to be done
        (合计1721套,其中…已完成总工程量的90%,计划12月底前完成; not …6家…接入工作，全市融资担保公司的系统正在建设)."""
        if figure is None:
            return False
        reading = self._reading
        end = reading.clause_of(figure.end)[1]
        if reading.folded.startswith(word("breakdown"), end + 1):
            stop = reading.folded.find("。", figure.end, figure.end + 2 * WINDOW)
            end = stop if stop >= 0 else min(len(reading.folded), figure.end + 2 * WINDOW)
        return self._pending.any(figure.end, end) or self._plans.any(figure.end, end)

    def reporting(self, as_of: dt.date | None):  # noqa: ANN201 - Period | None
        """The period the text reports to, when it is the assessment's date."""
        if as_of not in self._reporting:
            self._reporting[as_of] = next((p for p in reversed(self._periods) if p.as_of == as_of and p.as_of), None)
        return self._reporting[as_of]


@cache
def _or() -> re.Pattern[str]:
    return re.compile(alt("or_word"))


def _alternative(targets: list[Target], index: int) -> bool:
    """Whether item `index` is one branch of an either-or with another item of its clause (达到100%或者同比增长5%)."""
    t = targets[index]
    if _or().search(t.text) is None:
        return False
    return any(j != index and (o.start, o.end) == (t.start, t.end) for j, o in enumerate(targets[:_MAX_STATEMENTS]))


def _deadline_passed(targets: list[Target], context: Context, as_of: dt.date | None) -> bool:
    """A target due within the year (上半年投入运行, 6月底前) whose day has come by the progress date."""
    if as_of is None or not targets:
        return False
    if len(targets) != 1 or not targets[0].text:
        return False
    for period in read(targets[0].text).periods(context):
        if period.kind in ("year", "open", "event"):
            continue
        if period.last_day is not None and period.last_day <= as_of and period.last_day.month < 12:
            return True
    return False


def _status(target: Target, ratio: float | None, achieved: Decimal | None, stated: float | None,
            expected: float | None, progress: Progress, said: _Said, claimed: str | None, *,
            other_branch: bool = False, among_others: bool = False) -> Status:
    year_end = expected is not None and expected >= 0.999
    if target.zero_ceiling or (target.quantity is not None and target.quantity.value == 0
                               and target.comparator in ("le", "lt") and said.none_of(target)):
        if said.none_of(target) or (target.zero_ceiling and said.not_happened):
            return "achieved" if year_end else "on_track"
        return "unknown"
    if ratio is None or achieved is None:
        if stated is not None:
            if not target.cumulative and target.quantity is not None:
                # a level stated as a share of its goal (人均检查量已完成126.44%)
                return ("achieved" if year_end else "on_track") if stated >= 1 else "behind"
            return _cumulative_status("ge", stated, expected)
        if claimed == "claim":
            return "achieved"
        if target.quantity is None and not target.zero_ceiling and _same_result(target.text, progress.text):
            return "achieved" if year_end else "on_track"  # 通过 / 通过: the result the target names, reported
        if claimed == "partial":
            return "behind" if year_end else "on_track"  # 除…外，其余均已完成: most of the work, not all
        if progress.claims_on_pace:
            return "on_track"
        if year_end and said.done_at_year_end and not said.pending and not other_branch and not among_others:
            # a year-end report that says the task was done, with no figure to weigh; but not of an item whose
            # only figure another item took (达到100%或者同比增长5%: the branch the text reports is the other's),
            # nor of a sentence with no figure among the target's items (the completion words are the others')
            return "achieved"
        return "unknown"
    if target.cumulative:
        return _cumulative_status(target.comparator, ratio, expected)
    # a level met before the year's end is on_track even when the text says 年度目标值已完成 (GOLD.md: at the
    # year's end that is achieved); with no date to judge by, a claim of completion closes it
    status = _level_status(target, achieved, year_end)
    if status == "on_track" and expected is None and claimed == "claim":
        return "achieved"
    return status


_RESULT_WORD = 8  # characters of a qualitative target value (通过, 合格, 优良), at most
_NOT_WORDS = LazyPattern(r"[\s。．.，,；;!！]")


def _same_result(target: str, progress: str) -> bool:
    """A qualitative value (a 自评表 cell: 指标值 通过, 实际完成值 通过) that the progress writes back exactly."""
    a, b = _NOT_WORDS.sub("", target), _NOT_WORDS.sub("", progress)
    return 0 < len(a) <= _RESULT_WORD and a == b and not any(ch.isdigit() for ch in a)


def _cumulative_status(comparator: str, ratio: float, expected: float | None) -> Status:
    if comparator in ("le", "lt"):
        if ratio > 1 or (comparator == "lt" and ratio >= 1):
            return "behind"
        if expected is None:
            return "unknown"
        if expected >= 0.999:
            return "achieved"
        return "on_track" if ratio <= expected + 1e-9 else "behind"
    needed = 1 - APPROX_TOLERANCE if comparator == "approx" else 1
    if ratio >= needed - 1e-9 and (comparator != "gt" or ratio > 1):
        return "achieved"
    if expected is None:
        return "unknown"
    return "on_track" if ratio >= expected - 1e-9 else "behind"


def _level_status(target: Target, achieved: Decimal, year_end: bool) -> Status:
    goal = target.quantity.value if target.quantity is not None else Decimal(0)
    comparator = target.comparator
    if comparator == "approx" and word("control") in target.text:
        comparator = "le_approx"
    tolerance = abs(goal) * Decimal(str(APPROX_TOLERANCE))
    satisfied = {
        "ge": achieved >= goal, "eq": achieved >= goal, "gt": achieved > goal,
        "le": achieved <= goal, "lt": achieved < goal,
        "approx": abs(achieved - goal) <= tolerance,
        "le_approx": achieved <= goal + tolerance,
    }[comparator]
    if not satisfied:
        return "behind"
    return "achieved" if year_end else "on_track"
