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
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import BaseModel

from .alignment import align, stated_for
from .periods import Context, context_from, elapsed_share
from .progress import Progress, parse_progress
from .quantities import Quantity, display
from .comparators import CHANGE_WORDS, COMPARATOR_SIGNS
from .numerals import format_number as _number
from .targets import Target, parse_target

Status = Literal["achieved", "on_track", "behind", "unknown"]
APPROX_TOLERANCE = 0.05       # "about" (左右, 约) accepts 5% either side
STATED_TOLERANCE = 0.01       # a stated ratio more than one percentage point off the computed one is flagged


class Assessment(BaseModel):
    """How one target item stands."""

    target: Target
    achieved: Quantity | None = None          # the progress figure chosen (the first part when summed)
    parts: list[Quantity] = []                # every figure used (several when parts were summed)
    achieved_value: Decimal | None = None     # in the target's unit (summed, converted)
    ratio: float | None = None
    stated_ratio: float | None = None
    expected_ratio: float | None = None
    as_of: dt.date | None = None
    status: Status = "unknown"
    implied_target: Decimal | None = None     # achieved ÷ stated ratio, when the target names no figure
    explanation: str = ""
    flags: list[str] = []

    def _repr_html_(self) -> str:
        from .html_report import assessment_html
        return assessment_html(self)


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
    return assess_parsed(targets, read, ctx)


def assess_parsed(targets: list[Target], progress: Progress, context: Context) -> list[Assessment]:
    as_of = progress.as_of or context.as_of
    expected = elapsed_share(as_of) if as_of is not None else None
    plan_only = progress.as_of is None and any(p.plan for p in progress.periods)
    alignments = align(targets, progress, context.effective_year)
    deadline_passed = _deadline_passed(targets, context, as_of)
    results = []
    for index, (target, alignment) in enumerate(zip(targets, alignments)):
        flags = list(dict.fromkeys(alignment.flags))
        if plan_only:
            flags.append("plan_not_progress")
        figures = alignment.figures
        achieved_value = _achieved_value(target, figures, alignment.signed_change, flags)
        ratio = _ratio(target, achieved_value)
        stated = stated_for(targets, index, progress, figures)
        if ratio is not None and stated is not None and abs(ratio - stated) > STATED_TOLERANCE:
            flags.append("stated_differs")
        implied = None
        if target.quantity is None and not target.zero_ceiling and stated and figures:
            implied = _implied(figures[0].value, stated)
            flags.append("inferred_target")
        if expected is None:
            flags.append("no_date")
        status = _status(target, ratio, achieved_value, stated, expected, progress)
        if status == "unknown" and deadline_passed and not _DONE_STRONG.search(progress.text):
            status = "behind"  # 上半年投入运行, and at 06-30 only 开工建设
            flags.append("deadline_passed")
        a = Assessment(
            target=target, achieved=figures[0] if figures else None, parts=figures if len(figures) > 1 else [],
            achieved_value=achieved_value, ratio=ratio, stated_ratio=stated, expected_ratio=expected,
            as_of=as_of, status=status, implied_target=implied, flags=flags,
        )
        results.append(a.model_copy(update={"explanation": explain(a, progress)}))
    return results


def _achieved_value(target: Target, figures: list[Quantity], signed_change: Decimal | None,
                    flags: list[str]) -> Decimal | None:
    if not figures or target.quantity is None:
        return None
    if target.change is not None and signed_change is not None:
        return signed_change
    total = Decimal(0)
    for figure in figures:
        if figure.unit == target.quantity.unit:
            total += figure.value
            continue
        try:
            converted = figure.to(target.quantity.unit).magnitude
            total += Decimal(str(converted))
        except (ValueError, InvalidOperation):
            flags.append("unit_mismatch")
            return None
    return total


def _ratio(target: Target, achieved: Decimal | None) -> float | None:
    if achieved is None or target.quantity is None or target.quantity.value == 0:
        return None
    return float(achieved / target.quantity.value)


def _implied(achieved: Decimal, stated: float) -> Decimal | None:
    if stated <= 0:
        return None
    return (achieved / Decimal(str(stated))).quantize(Decimal(1))


_DONE_AT_YEAR_END = re.compile(r"已完成|完成|建成|实现|投入运营|投运|已|出台|印发")
_NOT_DONE = re.compile(r"未完成|尚未|正在|推进中|进行中|待|将于|未能|暂未|未启动|拟|近期")
_DONE_STRONG = re.compile(r"已完成|完成了|全部完成|建成|投入运行|投入使用|投运|已实现")


def _deadline_passed(targets: list[Target], context: Context, as_of: dt.date | None) -> bool:
    """A target due within the year (上半年投入运行, 6月底前) whose day has come by the progress date."""
    if as_of is None or not targets:
        return False
    from .periods import read_periods

    text = targets[0].text if len(targets) == 1 else ""
    for period in read_periods(text, context):
        if period.kind in ("year", "open", "event"):
            continue
        if period.last_day is not None and period.last_day <= as_of and period.last_day.month < 12:
            return True
    return False
_NOT_HAPPENED = re.compile(r"未发生|没有发生|无[\u4e00-\u9fff]{0,12}发生|零发生|未出现|无违规|无劣")


def _status(target: Target, ratio: float | None, achieved: Decimal | None, stated: float | None,
            expected: float | None, progress: Progress) -> Status:
    year_end = expected is not None and expected >= 0.999
    if target.zero_ceiling:
        if _NOT_HAPPENED.search(progress.text):
            return "achieved" if year_end else "on_track"
        return "unknown"
    if ratio is None or achieved is None:
        if stated is not None:
            if not target.cumulative and target.quantity is not None:
                # a level stated as a share of its goal (人均检查量已完成126.44%)
                return ("achieved" if year_end else "on_track") if stated >= 1 else "behind"
            return _cumulative_status("ge", stated, expected)
        if progress.claims_completion:
            return "achieved"
        if progress.claims_on_pace:
            return "on_track"
        if year_end and _DONE_AT_YEAR_END.search(progress.text) and not _NOT_DONE.search(progress.text):
            return "achieved"  # a year-end report that says the task was done, with no figure to weigh
        return "unknown"
    if target.cumulative:
        return _cumulative_status(target.comparator, ratio, expected)
    status = _level_status(target, achieved, year_end)
    if status == "on_track" and progress.claims_completion:
        return "achieved"  # 年度目标值已完成: the text itself closes the year's target
    return status


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
    if comparator == "approx" and "控制" in target.text:
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


# ---------------------------------------------------------------------------------------------------------

def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def explain(a: Assessment, progress: Progress) -> str:
    """One sentence a performance officer would write: 1-4月完成11570辆，为年度目标19000辆的60.9%，高于序时进度33.3%。"""
    t = a.target
    reporting = next((p for p in reversed(progress.periods) if p.as_of == a.as_of and p.as_of), None)
    period = ("截至" + reporting.text if reporting.kind == "cutoff" else reporting.text) if reporting else ""
    pace = ""
    if a.expected_ratio is not None:
        pace = f"序时进度{_percent(a.expected_ratio)}"
    goal = t.quantity.text if t.quantity is not None else ""
    if t.zero_ceiling:
        said = "进展写明未发生" if a.status in ("achieved", "on_track") else "进展未说明是否发生"
        return f"目标为不发生{t.metric}，{said}。"
    if a.ratio is not None and a.achieved_value is not None:
        single = a.achieved is not None and not a.parts and a.achieved.unit == t.unit and t.change is None
        achieved = a.achieved.text if single else display(a.achieved_value, t.quantity)  # type: ignore[union-attr,arg-type]
        summed = "（各部分合计）" if a.parts else ""
        if t.change is not None:
            word = CHANGE_WORDS[t.change]
            verdict = "已达到" if a.status in ("achieved", "on_track") else "未达到"
            return f"{period}{t.metric}{word}{achieved}，目标{word}{goal}，{verdict}目标。"
        if not t.cumulative:
            sign = COMPARATOR_SIGNS[t.comparator]
            verdict = "满足" if a.status in ("achieved", "on_track") else "不满足"
            return f"{period}{t.metric}为{achieved}，目标{sign}{goal}，{verdict}目标。"
        if t.comparator in ("le", "lt"):
            relation = "未超过" if a.expected_ratio is None or a.ratio <= a.expected_ratio else "超过"
            tail = f"，{relation}{pace}" if pace else ""
            return f"{period}累计{achieved}{summed}，占上限{goal}的{_percent(a.ratio)}{tail}。"
        if a.ratio >= 1:
            return f"{period}完成{achieved}{summed}，为年度目标{goal}的{_percent(a.ratio)}，已完成年度目标。"
        relation = ""
        if a.expected_ratio is not None:
            relation = "，高于" if a.ratio > a.expected_ratio else ("，等于" if a.ratio == a.expected_ratio else "，低于")
        return f"{period}完成{achieved}{summed}，为年度目标{goal}的{_percent(a.ratio)}{relation}{pace}。"
    if a.stated_ratio is not None:
        implied = f"，据此推算年度目标约{_number(a.implied_target)}{a.achieved.unit if a.achieved else ''}" \
            if a.implied_target is not None else ""
        relation = f"，{pace}" if pace else ""
        return f"进展自述完成{_percent(a.stated_ratio)}{implied}{relation}。"
    if "deadline_passed" in a.flags:
        return "目标要求的完成时间已到，进展未写明已完成。"
    if a.status == "achieved":
        return "进展写明任务已完成，未给出可比数据。"
    if a.status == "on_track" and progress.claims_on_pace:
        return "进展自述“时间过半、任务过半”，未给出可比数据。"
    reason = "不同阶段的数据" if "different_stage" in a.flags else "可比的数据"
    what = f"与“{t.metric}”" if t.metric else ""
    return f"进展未给出{what}{reason}，无法判断。"
