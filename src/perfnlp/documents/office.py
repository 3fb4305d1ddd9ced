"""Office files (.xlsx, .docx): the optional extra perfnlp[office]. Every sheet or table is read as rows."""
from __future__ import annotations

import datetime as dt
import io
from typing import Any

from .layout import Paragraph, Table, assemble
from .model import Document, DocumentError

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
    tables: list[Table] = []
    try:
        for sheet in book.worksheets:
            rows = [[_excel_text(v) for v in values] for values in sheet.iter_rows(values_only=True)]
            tables.append(Table(rows=rows, line=1, name=sheet.title))
    finally:
        book.close()
    return assemble(tables, name=name, kind="xlsx", label=label)


def read_docx(data: bytes, name: str | None, label: str) -> Document:
    try:
        import docx
    except ImportError:
        raise ImportError(_OFFICE_EXTRA.format(ext=".docx")) from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a broken file
        raise DocumentError(f"cannot read {label}: not a valid .docx file ({type(exc).__name__})") from None
    blocks: list[Paragraph | Table] = [Paragraph(p.text, number) for number, p in enumerate(document.paragraphs, 1)]
    row_number = 1
    for table in document.tables:
        rows: list[list[str]] = []
        for row in table.rows:
            cells: list[str] = []
            seen: list[Any] = []
            for cell in row.cells:
                # A cell spanning columns is repeated by python-docx: keep its text once.
                cells.append("" if any(cell._tc is s for s in seen) else cell.text)
                seen.append(cell._tc)
            rows.append(cells)
        blocks.append(Table(rows=rows, line=row_number))
        row_number += len(rows)  # rows are numbered over all the tables of a .docx
    return assemble(blocks, name=name, kind="docx", label=label)
