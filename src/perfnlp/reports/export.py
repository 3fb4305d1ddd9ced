"""Report rows out of perfnlp: CSV, JSON, a pandas DataFrame, an .xlsx workbook, and what they share.

- COLUMNS says once what each exported column holds; every export (and the dataset) types its cells by it.
- CSV is UTF-8 with a byte-order mark (Excel and WPS on Chinese Windows read a file without one as GBK and
  garble it) and no text cell can run as a formula: a text cell starting with = + - @, a tab or a carriage
  return gets a leading apostrophe (OWASP's advice for CSV injection). Number and date cells are written as
  numbers and dates, so a negative ratio stays a number.
- JSON holds only finite numbers: a ratio too large for a float (a target of 0.000…1) is null, not Infinity,
  which is not JSON.
- DataFrame columns are typed: numbers float64 (achieved and target_value too: the exact Decimal stays in
  row.assessment and in the CSV/JSON text), row/item int64, as_of datetime64, status and warning ordered
  categories, document/group/unit categories.
- .xlsx (openpyxl, the `office` extra): the same typed cells, text always stored as text (never a formula),
  control characters Excel refuses replaced by U+FFFD, cells cut at Excel's 32 767 characters.
Files are written whole or not at all: to a temporary file beside the target, renamed into place.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable, Literal, Sequence

from ..judging.warning import LIGHTS

ColumnKind = Literal["text", "category", "int", "float", "decimal", "date", "status", "warning"]

# every exported column of a ReportRow (all its fields but the nested assessment), in order
COLUMNS: dict[str, ColumnKind] = {
    "document": "category", "row": "int", "item": "int", "group": "category", "metric": "text",
    "target": "text", "target_text": "text", "progress": "text", "figure": "text",
    "achieved": "decimal", "target_value": "decimal", "unit": "category",
    "ratio": "float", "stated_ratio": "float", "expected_ratio": "float", "as_of": "date",
    "status": "status", "warning": "warning", "explanation": "text", "flags": "text",
}
TEXT_KINDS = ("text", "category", "status", "warning")
STATUS_ORDER = ("achieved", "on_track", "behind", "unknown")

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what makes Excel, WPS or LibreOffice run a cell
XLSX_CELL_MAX = 32767
_XLSX_ILLEGAL = {c for c in range(32) if c not in (9, 10, 13)}


# ------------------------------------------------------------------------------------------ shared pieces

def defused(text: str) -> str:
    """A text cell that no spreadsheet runs as a formula: '=1+1 for =1+1; other text as it is."""
    return "'" + text if text.startswith(FORMULA_START) else text


def finite(value: Any) -> Any:
    """The value with every non-finite float (inf, nan) inside it replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def json_text(data: Any, *, indent: int | None = 2) -> str:
    """JSON with finite numbers only (non-finite floats become null), Chinese as it is."""
    return json.dumps(finite(data), ensure_ascii=False, indent=indent, allow_nan=False)


def write_atomically(path: str | os.PathLike[str], write: Callable[[io.BufferedWriter], None]) -> None:
    """Call write(file) on a temporary file beside `path`, then rename it into place: on any failure the
    temporary file is removed and `path` is left as it was. OSError says why it could not be written."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


# ------------------------------------------------------------------------------------------------- CSV

def csv_text(rows: Iterable[dict[str, Any]], *, bom: bool = True) -> str:
    """The rows (ReportRow.plain() dicts) as CSV: a header, one line per row, text cells defused."""
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: _csv_cell(row.get(name), COLUMNS[name]) for name in COLUMNS})
    return buffer.getvalue()


def _csv_cell(value: Any, kind: ColumnKind) -> Any:
    if value is None:
        return ""
    if kind in TEXT_KINDS:
        return defused(str(value))
    if kind == "float":
        return repr(value) if isinstance(value, float) and math.isfinite(value) else ""
    return value


# ------------------------------------------------------------------------------------------- DataFrame

def data_frame(rows: Sequence[dict[str, Any]]):  # noqa: ANN201 - pandas.DataFrame, an optional dependency
    """The rows as a DataFrame with typed columns (see the module)."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("Report.to_frame() needs pandas: pip install 'perfnlp[pandas]'") from None
    frame = pd.DataFrame([{name: row.get(name) for name in COLUMNS} for row in rows], columns=list(COLUMNS))
    for name, kind in COLUMNS.items():
        column = frame[name]
        if kind == "int":
            frame[name] = column.astype("int64")
        elif kind in ("float", "decimal"):
            frame[name] = pd.to_numeric(column, errors="coerce").astype("float64")
        elif kind == "date":
            frame[name] = pd.to_datetime(column, errors="coerce")
        elif kind == "status":
            frame[name] = pd.Categorical(column, categories=STATUS_ORDER, ordered=True)
        elif kind == "warning":
            frame[name] = pd.Categorical(column, categories=LIGHTS, ordered=True)
        elif kind == "category":
            frame[name] = column.astype("category")
        else:
            frame[name] = column.astype("object")
    return frame


# ------------------------------------------------------------------------------------------------ .xlsx

def xlsx_cell_text(text: str) -> str:
    """Text Excel accepts in a cell: no control characters but tab and newlines, at most 32 767 characters."""
    if any(ord(c) in _XLSX_ILLEGAL for c in text):
        text = "".join("\ufffd" if ord(c) in _XLSX_ILLEGAL else c for c in text)
    if len(text) > XLSX_CELL_MAX:
        text = text[:XLSX_CELL_MAX - 1] + "…"
    return text


def write_xlsx(path: str | os.PathLike[str], rows: Sequence[dict[str, Any]], *,
               headers: dict[str, str] | None = None) -> None:
    """An .xlsx workbook of rows (ReportRow.plain() dicts): a sheet of every row (typed cells, a header with filters, the header row frozen)
    and a summary sheet counting rows per document by warning light and by status."""
    try:
        from openpyxl import Workbook
        from openpyxl.utils import get_column_letter
    except ImportError:
        raise ImportError("writing .xlsx needs the optional extra: pip install 'perfnlp[office]'") from None
    book = Workbook()
    sheet = book.active
    sheet.title = "items"
    names = list(COLUMNS)
    sheet.append([(headers or {}).get(name, name) for name in names])
    for row in rows:
        sheet.append([_xlsx_value(row.get(name), COLUMNS[name]) for name in names])
        for cell, name in zip(sheet[sheet.max_row], names):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text is text, whatever it starts with: never a formula
            kind = COLUMNS[name]
            if kind == "float" and cell.value is not None:
                cell.number_format = "0.0%"
            elif kind == "date" and cell.value is not None:
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(names))}{len(rows) + 1}"
    widths = {"text": 40, "category": 16, "decimal": 14, "float": 9, "date": 11, "int": 6, "status": 10,
              "warning": 8}
    for number, name in enumerate(names, 1):
        sheet.column_dimensions[get_column_letter(number)].width = widths[COLUMNS[name]]

    summary = book.create_sheet("summary")
    by_document: dict[str, Counter[str]] = {}
    for row in rows:
        by_document.setdefault(row.get("document") or "", Counter()).update(
            [f"w:{row.get('warning')}", f"s:{row.get('status')}"])
    summary.append(["document", *LIGHTS, *STATUS_ORDER, "items"])
    for document, counts in by_document.items():
        line = [counts[f"w:{w}"] for w in LIGHTS] + [counts[f"s:{s}"] for s in STATUS_ORDER]
        summary.append([xlsx_cell_text(document), *line, sum(counts[f"w:{w}"] for w in LIGHTS)])
        summary.cell(summary.max_row, 1).data_type = "s"
    summary.column_dimensions["A"].width = 40
    summary.freeze_panes = "B2"

    def save(out: io.BufferedWriter) -> None:
        book.save(out)

    write_atomically(path, save)


def _xlsx_value(plain: Any, kind: ColumnKind) -> Any:
    if plain is None:
        return None
    if kind in TEXT_KINDS:
        return xlsx_cell_text(str(plain))
    if kind == "int":
        return int(plain)
    if kind in ("float", "decimal"):
        number = float(plain)
        return number if math.isfinite(number) else None
    if kind == "date":
        return plain if isinstance(plain, dt.date) else dt.date.fromisoformat(str(plain))
    return plain
