"""What an officer reads: one line describing a target item, and one sentence explaining an assessment, in
the source's own units and words. The wording of each case is data (data/explanations.tsv); this module picks
the case from the assessment's own figures and status, so that a sentence never says what the figures do not
(a reduction of 493吨 against 849吨 at mid-year is on pace, not achieved)."""
from __future__ import annotations

from decimal import Decimal

import re
from functools import cache
from typing import TYPE_CHECKING

from ..reading.comparators import CHANGE_WORDS, COMPARATOR_SIGNS
from ..reading.numerals import format_number as _number
from ..reading.quantities import display
from ..text.lexicon import pairs
from .words import alt

if TYPE_CHECKING:
    from ..reading.periods import Period
    from ..statements.progress import Progress
    from ..statements.targets import Target
    from .model import Assessment


def target_line(t: Target) -> str:
    sign = COMPARATOR_SIGNS[t.comparator]
    change = CHANGE_WORDS.get(t.change or "", "")
    if t.zero_ceiling:
        figure = _say("line_zero")
    elif t.quantity is None:
        figure = _say("line_no_figure")
    else:
        figure = t.quantity.text
    label = f"[{t.label or t.subject}] " if (t.label or t.subject) else ""
    base = " " + _say("line_baseline", baseline=t.baseline) if t.baseline else ""
    kind = _say("line_cumulative" if t.cumulative else "line_level")
    return f"{label}{t.metric or _say('line_no_metric')}  {change}{sign} {figure}  ({kind}{base})"


@cache
def _wording() -> dict[str, str]:
    return pairs("explanations.tsv")


def _say(key: str, **fields: str) -> str:
    return _wording()[key].format(**fields)


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


_UNSET = object()


@cache
def _generic() -> re.Pattern[str]:
    """目标, 年度任务 …: words that name no measure of their own (data/judging_words.tsv)."""
    return re.compile(f"(?:{alt('generic_period')})?(?:{alt('generic_goal')})")


def _relation(ratio: float, expected: float) -> str:
    if abs(ratio - expected) < 5e-4:
        return _say("relation_equal")
    return _say("relation_above" if ratio > expected else "relation_below")


_SHOWN = Decimal("0.01")  # a converted value (10387亩 → 692.4666…公顷) is shown to two decimals
_SHOWN_DIGITS = 3          # and one below 1 (30平方米 → 0.003公顷) to three significant digits, never as 0


def _shown(value: Decimal) -> Decimal:
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent >= -2:
        return value
    if abs(value) >= 1:
        return value.quantize(_SHOWN)
    if value == 0:
        return value
    return value.quantize(Decimal(1).scaleb(value.adjusted() - _SHOWN_DIGITS + 1))


def explain(a: Assessment, progress: Progress, reporting: Period | None | object = _UNSET) -> str:
    """One sentence a performance officer would write: 1-4月完成11570辆，为年度目标19000辆的60.9%，高于序时进度33.3%。
    `reporting` is the period the progress reports to (found here when not given)."""
    t = a.target
    if reporting is _UNSET:
        reporting = next((p for p in reversed(progress.periods) if p.as_of == a.as_of and p.as_of), None)
    period = ""
    if reporting is not None:
        period = _say("period_cutoff", period=reporting.text) if reporting.kind == "cutoff" \
            else reporting.text  # type: ignore[union-attr]
    pace = _percent(a.expected_ratio) if a.expected_ratio is not None else ""
    goal = t.quantity.text if t.quantity is not None else ""
    if t.quantity is not None and t.unit and not goal.endswith(t.unit):
        goal = display(t.quantity.value, t.quantity)  # a table's bare cell that counts in its target's unit (2 → 2条)
    metric = "" if _generic().fullmatch(t.metric) else t.metric  # 目标10.5%: the item names no measure of its own
    if t.zero_ceiling or "none_left" in a.flags:
        return _say("zero_held" if a.status in ("achieved", "on_track") else "zero_unknown", metric=metric)
    if a.ratio is not None and a.achieved_value is not None and t.quantity is not None:
        single = a.achieved is not None and not a.parts and a.achieved.unit == t.unit and t.change is None
        achieved = a.achieved.text if single else display(_shown(a.achieved_value), t.quantity)
        fields = dict(period=period, metric=metric, achieved=achieved, goal=goal, ratio=_percent(a.ratio), pace=pace,
                      summed=_say("summed") if a.parts else "", sign=COMPARATOR_SIGNS[t.comparator],
                      change=CHANGE_WORDS.get(t.change or "", ""),
                      relation=_relation(a.ratio, a.expected_ratio) if a.expected_ratio is not None else "")
        met = a.status in ("achieved", "on_track")
        if not t.cumulative:
            kind = "change" if t.change is not None else "level"
            if not met:
                return _say(f"{kind}_missed", **fields)
            return _say(f"{kind}_met" if a.status == "achieved" else f"{kind}_met_early", **fields)
        if t.comparator in ("le", "lt"):
            if a.status == "behind" and (a.ratio > 1 or (t.comparator == "lt" and a.ratio >= 1)):
                return _say("ceiling_over", **fields)
            return _say("ceiling_pace" if a.expected_ratio is not None and a.status != "achieved" else "ceiling_within",
                        **fields)
        if "stated_more_precise" in a.flags and a.stated_ratio is not None and a.expected_ratio is not None:
            # the status follows the stated share (the figures are rounded coarsely): say so, with its relation
            fields.update(stated=_percent(a.stated_ratio), relation=_relation(a.stated_ratio, a.expected_ratio))
            return _say("total_stated", **fields)
        if "progress_plan" in a.flags:  # a plan the progress names itself, not the year's target
            return _say("plan_done" if a.status == "achieved" else "plan_pace" if a.expected_ratio is not None
                        else "plan_no_pace", **fields)
        if "node_target" in a.flags:  # a node target due at the progress date: met or not, no pace
            return _say("node_done" if a.status == "achieved" else "node_missed", **fields)
        prefix = "change_total" if t.change is not None else "total"
        if a.status == "achieved":
            return _say(f"{prefix}_done", **fields)
        if a.ratio >= 1 and a.expected_ratio is not None:
            return _say("total_pending", **fields)  # the figures reach the target, the text says work remains
        if a.expected_ratio is None:
            return _say("total_no_pace", **fields)
        return _say(f"{prefix}_pace", **fields)
    if a.stated_ratio is not None:
        implied = _say("implied", value=_number(a.implied_target), unit=a.achieved.unit if a.achieved else "") \
            if a.implied_target is not None else ""
        fields = dict(stated=_percent(a.stated_ratio), implied=implied, pace=pace, metric=metric,
                      relation=_relation(a.stated_ratio, a.expected_ratio) if a.expected_ratio is not None else "")
        if not t.cumulative and t.quantity is not None:
            return _say("stated_level_met" if a.status in ("achieved", "on_track") else "stated_level_missed", **fields)
        if a.status == "achieved":
            return _say("stated_done", **fields)
        return _say("stated_pace" if a.expected_ratio is not None else "stated_no_pace", **fields)
    if "none_to_rate" in a.flags:
        return _say("none_to_rate", metric=metric)
    if "deadline_passed" in a.flags:
        return _say("deadline")
    if "above_target" in a.flags:
        return _say("above_target")
    if "below_target" in a.flags:
        return _say("below_target")
    if "same_result" in a.flags:
        return _say("same_result", metric=t.metric or t.text)  # 通过 / 通过
    if a.status == "achieved" and "part_claim" in a.flags:
        return _say("part_claimed", metric=metric)  # 其中长海县已全部完工: this part's claim, not the task's
    if a.status == "achieved":
        return _say("claimed")
    if "partial_claim" in a.flags:
        return _say("partial_claim")
    if a.status == "on_track" and progress.claims_on_pace:
        return _say("on_pace_claim")
    reason = _say("reason_stage" if "different_stage" in a.flags else "reason_comparable")
    what = _say("what_metric", metric=metric) if metric else ""
    return _say("no_figure", what=what, reason=reason)
