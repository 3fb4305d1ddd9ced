"""Stage 8a: whole documents. assess_document(doc) → Report: one row per target item of every task, with the
progress figure chosen, ratio, pace, status, warning light (红黄绿灯), explanation and flags, and counts per
status and per light.

Rows are plain pydantic models; `Report.to_csv()`, `to_json()`, `to_frame()` (pandas, optional extra
`perfnlp[pandas]`) and `to_xlsx()` (optional extra `perfnlp[office]`) export them (reports/export.py).

The context: a document's title gives its year and progress date (大兴区政府2017年度…（第二季度） → 2017,
06-30); a `context=` given to assess_document or assess_many overrides or fills it (Context.overridden_by).
"""
from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from typing import Any, Iterable

from pydantic import BaseModel

from ..judging.assessment import Assessment, Status, assess_parsed
from ..judging.explain import target_line
from ..judging.model import WarningLight
from ..judging.warning import LIGHTS, YELLOW_MARGIN, check_margin, warning_light
from ..documents import Document, read_document
from ..text.context import Context, context_from
from .rows import read_task, standing_goals
from ..reading.quantities import Quantity
from ..reading.reading import read
from ..statements.progress import Progress
from ..statements.targets import Target
from ..reading.numerals import format_number as _number
from .export import csv_text, data_frame, finite, json_text, write_xlsx

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
    warning: WarningLight          # 红黄绿灯: green, yellow (slightly behind), red, grey (unknown)
    explanation: str
    flags: list[str]
    assessment: Assessment

    def plain(self) -> dict[str, Any]:
        """The row without the nested assessment: what CSV and JSON exports carry (non-finite numbers as None)."""
        out = finite(self.model_dump(mode="json", exclude={"assessment"}))
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

    @property
    def warnings(self) -> dict[str, int]:
        """Rows per warning light, every light listed (green, yellow, red, grey)."""
        found = Counter(row.warning for row in self.rows)
        return {light: found.get(light, 0) for light in LIGHTS}

    def by_document(self) -> list["Report"]:
        """One Report per document, in order (a merged report split again)."""
        if len(self.documents) <= 1:
            return [self]
        out: list[Report] = []
        for number, (name, title) in enumerate(zip(self.documents, self.titles)):
            tasks = [t for t in self.tasks if t.document == name]
            first = tasks[0].first_row if tasks else 0
            rows = [row for row in self.rows if row.document == name]
            out.append(Report(documents=[name], titles=[title], context=self.context, rows=rows,
                              tasks=[t.model_copy(update={"first_row": t.first_row - first}) for t in tasks]))
        return out

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

    def to_csv(self, *, bom: bool = True) -> str:
        """One CSV line per row; starts with a byte-order mark (write it as UTF-8) unless bom=False; no
        text cell can run as a spreadsheet formula (reports/export.py)."""
        return csv_text((row.plain() for row in self.rows), bom=bom)

    def to_json(self) -> str:
        """A JSON list of row objects (ReportRow.plain()); only finite numbers."""
        return json_text([row.plain() for row in self.rows])

    def to_frame(self):  # noqa: ANN201 - pandas.DataFrame, an optional dependency
        """A pandas DataFrame with typed columns (numbers, dates, categories); needs perfnlp[pandas]."""
        return data_frame([row.plain() for row in self.rows])

    def to_xlsx(self, path: str | os.PathLike[str]) -> None:
        """Write an .xlsx workbook (a sheet of rows, a summary sheet); needs perfnlp[office]."""
        write_xlsx(path, [row.plain() for row in self.rows])


def assess_document(document: Document | str | os.PathLike[str] | bytes,
                    context: Context | dict[str, Any] | None = None, *,
                    yellow_margin: float = YELLOW_MARGIN) -> Report:
    """Assess every task of a document (a Document, or anything read_document reads).

    context: a year and/or as_of that override or fill the title's (Context.overridden_by).
    yellow_margin: how far behind, as a share of the year's target, still gets a yellow light (0.1).
    """
    given = context_from(context)
    margin = check_margin(yellow_margin)
    doc = document if isinstance(document, Document) else read_document(document)
    ctx = doc.context.overridden_by(given)
    rows: list[ReportRow] = []
    tasks: list[ReportTask] = []
    standing: list[Target] = []  # rate goals stated in prose, for the table rows after them
    for task in doc.tasks:
        targets, progress, evidence = read_task(task, ctx, standing)
        if not task.cells:
            standing.extend(standing_goals(targets))
        assessments = assess_parsed(targets, progress, ctx, evidence)
        if margin != YELLOW_MARGIN:
            assessments = [a.model_copy(update={"warning": warning_light(a, margin)}) for a in assessments]
        tasks.append(ReportTask(document=doc.name, row=task.row, group=task.group, target_text=task.target,
                                target_quantities=read(task.target).quantities, progress=progress,
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
                status=a.status, warning=a.warning, explanation=a.explanation, flags=a.flags, assessment=a,
            ))
    return Report(documents=[doc.name], titles=[doc.title], context=ctx, rows=rows, tasks=tasks)
