"""Stage 8a: whole documents. assess_document(doc) → Report: one row per target item of every task, with the
progress figure chosen, ratio, pace, status, explanation and flags, and counts per status.

Rows are plain pydantic models; `Report.to_csv()`, `to_json()` and `to_frame()` (pandas, optional extra
`perfnlp[pandas]`) export them.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from collections import Counter
from typing import Any, Iterable

from pydantic import BaseModel

from ..judging.assessment import Assessment, Status, assess_parsed
from ..judging.explain import target_line
from ..documents import Document, read_document
from ..text.context import Context
from .rows import read_task
from ..reading.quantities import Quantity, extract_quantities
from ..statements.progress import Progress
from ..reading.numerals import format_number as _number

STATUSES: tuple[Status, ...] = ("achieved", "on_track", "behind", "unknown")


class ReportRow(BaseModel):
    """One target item of one task, assessed."""

    document: str | None
    row: int                       # the task's number in its document
    item: int                      # the item's number within the task (1-based)
    group: str | None
    metric: str
    target: str                    # the item as read: "能源消费总量 ≤ 2965000吨标准煤"
    target_text: str               # the task's whole target text
    progress: str                  # the task's whole progress text
    figure: str | None             # the progress figure chosen, as written ("1.728万辆"; parts joined by "+")
    achieved: str | None           # its value in the target's unit
    target_value: str | None
    unit: str
    ratio: float | None
    stated_ratio: float | None
    expected_ratio: float | None
    as_of: dt.date | None
    status: Status
    explanation: str
    flags: list[str]
    assessment: Assessment

    def plain(self) -> dict[str, Any]:
        """The row without the nested assessment: what CSV and JSON exports carry."""
        out = self.model_dump(mode="json", exclude={"assessment"})
        out["flags"] = ";".join(self.flags)
        return out


class ReportTask(BaseModel):
    """One task as it was read: what views show around its rows (the figures of its target, the reading of its
    progress), so that no view has to read a text again. Its rows are `Report.rows[first_row:first_row + items]`."""

    document: str | None
    row: int
    group: str | None
    target_text: str
    target_quantities: list[Quantity]
    progress: Progress
    first_row: int
    items: int


class Report(BaseModel):
    """The assessment of one or more documents."""

    documents: list[str | None] = []
    titles: list[str | None] = []
    context: Context | None = None
    rows: list[ReportRow] = []
    tasks: list[ReportTask] = []

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(row.status for row in self.rows)
        return {status: found.get(status, 0) for status in STATUSES}

    @classmethod
    def merge(cls, reports: Iterable["Report"]) -> "Report":
        reports = list(reports)
        if len(reports) == 1:
            return reports[0]
        contexts = {r.context for r in reports}
        tasks: list[ReportTask] = []
        offset = 0
        for r in reports:
            tasks.extend(t.model_copy(update={"first_row": t.first_row + offset}) for t in r.tasks)
            offset += len(r.rows)
        return cls(documents=[d for r in reports for d in r.documents], titles=[t for r in reports for t in r.titles],
                   context=contexts.pop() if len(contexts) == 1 else None, rows=[row for r in reports for row in r.rows],
                   tasks=tasks)

    def to_csv(self) -> str:
        buffer = io.StringIO()
        names = [n for n in ReportRow.model_fields if n != "assessment"]
        writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        for row in self.rows:
            writer.writerow(row.plain())
        return buffer.getvalue()

    def to_json(self) -> str:
        return json.dumps([row.plain() for row in self.rows], ensure_ascii=False, indent=2)

    def to_frame(self):  # noqa: ANN201 - pandas.DataFrame, an optional dependency
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("Report.to_frame() needs pandas: pip install 'perfnlp[pandas]'") from None
        return pd.DataFrame([row.plain() for row in self.rows])


def assess_document(document: Document | str | os.PathLike[str] | bytes, context: Context | None = None) -> Report:
    """Assess every task of a document (a Document, or anything read_document reads)."""
    doc = document if isinstance(document, Document) else read_document(document)
    ctx = context or doc.context
    rows: list[ReportRow] = []
    tasks: list[ReportTask] = []
    for task in doc.tasks:
        targets, progress, evidence = read_task(task, ctx)
        assessments = assess_parsed(targets, progress, ctx, evidence)
        tasks.append(ReportTask(document=doc.name, row=task.row, group=task.group, target_text=task.target,
                                target_quantities=extract_quantities(task.target), progress=progress,
                                first_row=len(rows), items=len(assessments)))
        for number, a in enumerate(assessments, 1):
            t = a.target
            figure = "+".join(q.text for q in (a.parts or ([a.achieved] if a.achieved else []))) or None
            rows.append(ReportRow(
                document=doc.name, row=task.row, item=number, group=task.group, metric=t.metric,
                target=target_line(t), target_text=task.target, progress=task.progress, figure=figure,
                achieved=_number(a.achieved_value) if a.achieved_value is not None else None,
                target_value=_number(t.quantity.value) if t.quantity is not None else None, unit=t.unit,
                ratio=a.ratio, stated_ratio=a.stated_ratio, expected_ratio=a.expected_ratio, as_of=a.as_of,
                status=a.status, explanation=a.explanation, flags=a.flags, assessment=a,
            ))
    return Report(documents=[doc.name], titles=[doc.title], context=ctx, rows=rows, tasks=tasks)
