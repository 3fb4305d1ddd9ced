"""What an officer reads: one line describing a target item, and one sentence explaining an assessment, in
the source's own units and words."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..reading.comparators import CHANGE_WORDS, COMPARATOR_SIGNS
from ..reading.numerals import format_number as _number
from ..reading.quantities import display

if TYPE_CHECKING:
    from ..statements.progress import Progress
    from ..statements.targets import Target
    from .model import Assessment


def target_line(t: Target) -> str:
    sign = COMPARATOR_SIGNS[t.comparator]
    change = CHANGE_WORDS.get(t.change or "", "")
    if t.zero_ceiling:
        figure = "0 (不发生/无)"
    elif t.quantity is None:
        figure = "(无数值)"
    else:
        figure = t.quantity.text
    label = f"[{t.label}] " if t.label else ""
    base = f" 基期:{t.baseline}" if t.baseline else ""
    kind = "累计" if t.cumulative else "水平"
    return f"{label}{t.metric or '(未识别指标)'}  {change}{sign} {figure}  ({kind}{base})"


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


_UNSET = object()


def explain(a: Assessment, progress: Progress, reporting=_UNSET) -> str:  # noqa: ANN001 - Period | None
    """One sentence a performance officer would write: 1-4月完成11570辆，为年度目标19000辆的60.9%，高于序时进度33.3%。
    `reporting` is the period the progress reports to (found here when not given)."""
    t = a.target
    if reporting is _UNSET:
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
