"""Legacy Excel workbooks (.xls, BIFF in an OLE2 file): the optional extra perfnlp[xls] (xlrd).

Read as an .xlsx is (documents/office.py): every sheet in order, empty rows dropped, `line` the row number
within the sheet, numbers stored as 1.0 read "1", dates read 2021-12-31, a merged range's top-left value
repeated down its first column and its other columns blank. xlrd reads a whole file (and each sheet) into
memory, so the file's size is bounded first (the xls_bytes limit); sheets are loaded one at a time.

Other OLE2 files (.doc, .wps, .et and .xls that hold no workbook) get a one-line DocumentError saying what
to save them as.
"""
from __future__ import annotations

import datetime as dt
import warnings

from .layout import Block, Table, assemble
from .limits import Budget, limits, reason
from .model import Document, DocumentError
from .office import _excel_text

_XLS_EXTRA = "reading .xls needs the optional extra: pip install 'perfnlp[xls]'"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# the stream names (UTF-16LE in the OLE2 directory) that tell a Word or WPS document from a workbook
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_WPS_STREAM = "WpsDocument".encode("utf-16-le")
_BOOK_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))

_SAVE_AS = {
    ".doc": "a Word 97-2003 document (.doc): save it as .docx and read that",
    ".wps": "a WPS text document (.wps): save it as .docx and read that",
    ".et": "a WPS spreadsheet (.et): save it as .xlsx and read that",
    ".dps": "a WPS presentation (.dps): not a document perfnlp reads",
    ".ppt": "a PowerPoint 97-2003 file (.ppt): not a document perfnlp reads",
}


def ole2_kind(data: bytes, ext: str) -> str:
    """What an OLE2 file holds: "xls" for a workbook, else the extension to name in the error."""
    if ext in (".doc", ".wps", ".et", ".dps", ".ppt"):
        return ext
    if _WORD_STREAM in data or _WPS_STREAM in data:
        return ".doc"
    if any(name in data for name in _BOOK_STREAMS):
        return "xls"
    return ext or ".doc"


def unsupported(ext: str, label: str) -> DocumentError:
    what = _SAVE_AS.get(ext, "a legacy Office file that is not an .xls workbook: save it as .docx or .xlsx")
    return DocumentError(f"cannot read {label}: {what}")


def _cell(book, sheet, row: int, column: int) -> str:  # type: ignore[no-untyped-def]
    import xlrd

    cell = sheet.cell(row, column)
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return _excel_text(cell.value)
        return _excel_text(value.date() if value.time() == dt.time() else value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERROR")
    return _excel_text(cell.value)


def read_xls(data: bytes, name: str | None, label: str) -> Document:
    try:
        import xlrd
    except ImportError:
        raise ImportError(_XLS_EXTRA) from None
    lim = limits()
    if len(data) > lim.xls_bytes:
        raise DocumentError(f"cannot read {label}: an .xls of {len(data)} bytes, over the limit of {lim.xls_bytes} (xls_bytes)")
    budget = Budget(label)
    tables: list[Block] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = xlrd.open_workbook(file_contents=data, on_demand=True, formatting_info=True,
                                      logfile=_Silent(), ragged_rows=True)
        except Exception as exc:  # xlrd raises many kinds for a broken file
            raise DocumentError(f"cannot read {label}: not a valid .xls file ({reason(exc)})") from None
        try:
            for index in range(book.nsheets):
                sheet = book.sheet_by_index(index)
                budget.columns(sheet.ncols)
                rows: list[list[str]] = []
                lines: list[int] = []
                for r in range(sheet.nrows):
                    cells = [_cell(book, sheet, r, c) for c in range(sheet.row_len(r))]
                    while cells and not cells[-1]:
                        cells.pop()
                    if not cells:
                        continue
                    budget.row(len(cells))
                    budget.text(sum(len(c) for c in cells))
                    rows.append(cells)
                    lines.append(r + 1)
                _merge(rows, lines, sheet.merged_cells, budget)
                tables.append(Table(rows=rows, line=lines[0] if lines else 1, name=sheet.name, lines=lines))
                book.unload_sheet(index)
        except DocumentError:
            raise
        except Exception as exc:  # a damaged sheet
            raise DocumentError(f"cannot read {label}: damaged .xls file ({reason(exc)})") from None
        finally:
            book.release_resources()
    return assemble(tables, name=name, kind="xls", label=label)


def _merge(rows: list[list[str]], lines: list[int], merged: list[tuple[int, int, int, int]], budget: Budget) -> None:
    """xlrd's ranges are (row_low, row_high, col_low, col_high), 0-based, high ends excluded."""
    from .office import _apply_merges

    _apply_merges(rows, lines, [(c0 + 1, r0 + 1, c1, r1) for r0, r1, c0, c1 in merged], budget)


class _Silent:
    """xlrd writes its warnings to a log file (stdout by default): the CLI prints one line, on stderr."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass
