"""Office files (.xlsx, .docx): the optional extra perfnlp[office]. Every sheet or table is read as rows."""
from __future__ import annotations

import datetime as dt
import io
from typing import Any

from .model import Document, DocumentError, Task
from .prose import first_line, prose_tasks
from .tables import Row, table_tasks

_OFFICE_EXTRA = "reading {ext} needs the optional extra: pip install 'perfnlp[office]'"

def _excel_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 序号 stored as 1.0
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_xlsx(data: bytes, name: str | None, label: str) -> Document:
    try:
        import openpyxl
    except ImportError:
        raise ImportError(_OFFICE_EXTRA.format(ext=".xlsx")) from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise DocumentError(f"cannot read {label}: not a valid .xlsx file ({type(exc).__name__})") from None
    title: str | None = None
    tasks: list[Task] = []
    has_header = False
    try:
        for sheet in book.worksheets:
            rows = [
                Row(number, [_excel_text(v) for v in values], True)
                for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
            ]
            table = table_tasks(rows, first=len(tasks) + 1)
            if table is None:
                continue  # a sheet of notes or charts
            has_header = True
            title = title or table[0]
            tasks.extend(table[1])
    finally:
        book.close()
    if not has_header:
        raise DocumentError(
            f"{label}: no sheet has a header row naming the target or progress column (年度目标, 进展情况 …)"
        )
    return Document(name=name, title=title, kind="xlsx", tasks=tasks)


def read_docx(data: bytes, name: str | None, label: str) -> Document:
    try:
        import docx
    except ImportError:
        raise ImportError(_OFFICE_EXTRA.format(ext=".docx")) from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a broken file
        raise DocumentError(f"cannot read {label}: not a valid .docx file ({type(exc).__name__})") from None
    paragraphs = [p.text for p in document.paragraphs]
    rows: list[Row] = []
    for table in document.tables:
        for row in table.rows:
            cells: list[str] = []
            seen: list[Any] = []
            for cell in row.cells:
                # A cell spanning columns is repeated by python-docx: keep its text once.
                cells.append("" if any(cell._tc is s for s in seen) else cell.text)
                seen.append(cell._tc)
            rows.append(Row(len(rows) + 1, cells, True))
    table_read = table_tasks(rows)
    if table_read is not None:
        title, tasks = table_read
        return Document(name=name, title=first_line(paragraphs) or title, kind="docx", tasks=tasks)
    return Document(name=name, title=first_line(paragraphs), kind="prose", tasks=prose_tasks(paragraphs))
