"""The verdict on one target item: what was compared, how it stands, and why."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ..text.model import BaseModel

from ..reading.quantities import Quantity
from ..statements.targets import Target

Status = Literal["achieved", "on_track", "behind", "unknown"]
WarningLight = Literal["green", "yellow", "red", "grey"]  # 红黄绿灯: judging/warning.py


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
    warning: WarningLight = "grey"
    implied_target: Decimal | None = None     # achieved ÷ stated ratio, when the target names no figure
    explanation: str = ""
    flags: list[str] = []
