"""红黄绿灯: the warning light an officer puts on a target item, from its status and how far it is off.

- green   达标/符合序时进度: achieved or on track;
- yellow  slightly behind: behind, by at most `margin` (default `YELLOW_MARGIN`, 10 percentage points of the
          year's target); a margin of 0 gives no yellow at all;
- red     behind by more, or behind in a way that has no size (a cumulative ceiling already passed, a
          deadline passed with nothing done, no figure to measure the gap by);
- grey    unknown: nothing comparable was reported, which is a gap in the report, not a verdict on the work.

How far behind, as a share of the year's target:
- cumulative totals (完成…19000辆): 序时进度 minus the share done (expected_ratio − ratio, or the stated share
  when no ratio could be computed): 42 % done against a 50 % pace is 8 points behind;
- cumulative ceilings (控制在…以内): the share used minus 序时进度, while the ceiling itself holds;
- levels (rates, indices, changes), judged by their current value: the distance from the goal as a share of
  the goal ((goal − current) ÷ |goal| for "at least", the other way for "at most", either way for "about").
"""
from __future__ import annotations

import math
from decimal import Decimal

from .model import Assessment, WarningLight

YELLOW_MARGIN = 0.10
LIGHTS: tuple[WarningLight, ...] = ("green", "yellow", "red", "grey")


def check_margin(margin: float) -> float:
    """The margin as a float in [0, 1]; a clear ValueError otherwise."""
    if isinstance(margin, bool) or not isinstance(margin, (int, float, Decimal)):
        raise TypeError(f"yellow margin must be a number (0.1 for 10 percentage points), not {type(margin).__name__}")
    value = float(margin)
    if not math.isfinite(value) or not 0 <= value <= 1:
        raise ValueError(f"yellow margin must lie between 0 and 1 (0.1 for 10 percentage points), not {margin}")
    return value


def warning_light(a: Assessment, margin: float = YELLOW_MARGIN) -> WarningLight:
    """The light for an assessment; `margin` is a share of the year's target (0.1 = 10 percentage points)."""
    if a.status in ("achieved", "on_track"):
        return "green"
    if a.status != "behind":
        return "grey"
    gap = shortfall(a)
    allowed = check_margin(margin)
    if gap is None or allowed == 0:
        return "red"
    return "yellow" if gap <= allowed + 1e-9 else "red"


def shortfall(a: Assessment) -> float | None:
    """How far behind an item is, as a share of the year's target (see the module); None when that has no
    size (no figure, a passed deadline, a cumulative ceiling already exceeded)."""
    if "deadline_passed" in a.flags:
        return None
    target = a.target
    ceiling = target.comparator in ("le", "lt")
    done = a.ratio if a.ratio is not None else a.stated_ratio
    if target.cumulative or a.ratio is None:
        if done is None or a.expected_ratio is None or not math.isfinite(done):
            return None
        if ceiling:
            return None if done > 1 else max(0.0, done - a.expected_ratio)
        return max(0.0, a.expected_ratio - done)
    goal = target.quantity.value if target.quantity is not None else None
    if goal is None or goal == 0 or a.achieved_value is None:
        return None
    if target.comparator == "approx":
        off = abs(a.achieved_value - goal)
    else:
        off = (a.achieved_value - goal) if ceiling else (goal - a.achieved_value)
    return max(0.0, float(off / abs(goal)))
