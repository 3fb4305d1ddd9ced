"""Office files (.xlsx, .docx): the optional extra perfnlp[office]. Every sheet or table is read as rows.

What is guessed, and how:

* The archive is checked before anything is parsed (documents/limits.py): entry count, every entry's
  declared uncompressed size, the total, the compression ratio, every CRC read in bounded pieces, the size
  of every XML part a library parses whole (all but an .xlsx's sheets and shared strings), and no XML part
  with a DTD (Office Open XML has none; a DTD is how entity bombs are made).
* .xlsx: every worksheet, in order, streamed row by row (openpyxl read-only), stopping with a DocumentError
  at the rows, cells or characters limit; a row number past Excel's 1,048,576 is a damaged file. The
  shared-string table is counted before openpyxl loads it whole. Empty rows are dropped; `line` is the row
  number within the sheet. Merged cells (read from the sheet's <mergeCells>, after its rows): a range
  spanning rows repeats its top-left value in the first column of each row it covers (a merged group or
  unit cell belongs to every row); the columns it spans stay blank. Numbers stored as 1.0 read "1", dates
  read 2021-12-31.
* .docx: the body in document order: paragraphs (text of runs, hyperlinks, content controls, insertions;
  deleted text, field codes, text boxes and the fallback copy of alternate content left out; a line break
  starts a new paragraph) and tables. A table's grid follows Word's rules: w:gridBefore leaves leading
  columns blank, w:gridSpan writes a cell once over the columns it spans, a w:vMerge continuation repeats the
  text of the cell where the vertical merge started (the text above it in that grid column). Damage is read
  as Word repairs it: a span that is not a whole number ≥ 1 spans one column, a continuation with no start
  above it is blank; a span wider than the columns limit is a DocumentError. A table inside a cell adds its
  cells' text to the cell, line by line. `line` is the paragraph number, and for table rows the running row
  number over all the tables of the document.
* Every error of the underlying libraries on a damaged file becomes a DocumentError naming the file.
"""
from __future__ import annotations

import bisect
import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

from .layout import Block, Paragraph, Table, assemble
from .limits import Budget, limits, open_zip, reason
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


# -------------------------------------------------------------------------------------------- xlsx

_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_CONTENT_TYPES_MOST = 1 << 20
_SI = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s>/]")


_WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def _streamed_parts(archive: zipfile.ZipFile, label: str) -> dict[str, set[str]]:
    """The worksheet and shared-string parts named by [Content_Types].xml (openpyxl finds them there,
    whatever their names): the parts read in pieces, not whole."""
    found: dict[str, set[str]] = {_WORKSHEET_TYPE: set(), _SHARED_STRINGS_TYPE: set()}
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return found
    if info.file_size > _CONTENT_TYPES_MOST:
        raise DocumentError(f"cannot read {label}: [Content_Types].xml of {info.file_size} bytes is no real one")
    try:
        root = ElementTree.fromstring(archive.read(info))
    except ElementTree.ParseError as exc:
        raise DocumentError(f"cannot read {label}: not a valid .xlsx file ({reason(exc)})") from None
    for element in root.iter():
        kind = element.get("ContentType")
        if element.tag.endswith("Override") and kind in found:
            found[kind].add(element.get("PartName", "").lstrip("/"))
    return found


def _count_shared_strings(archive: zipfile.ZipFile, part: str, label: str) -> None:
    """Count the <si> elements of a shared-string part in 1 MiB pieces; over the limit, refuse the file
    (openpyxl would build every string, slowly: 416 KB of them took 80 s and 1 GB)."""
    most = limits().shared_strings
    count = 0
    tail = b""
    try:
        with archive.open(part) as stream:
            while piece := stream.read(1 << 20):
                chunk = tail + piece
                count += len(_SI.findall(chunk, 0, max(len(chunk) - 64, 0)))
                tail = chunk[max(len(chunk) - 64, 0):]
                if count > most:
                    break
        count += len(_SI.findall(tail))
    except KeyError:
        return  # named but absent: openpyxl reads no strings
    if count > most:
        raise DocumentError(
            f"cannot read {label}: more than {most} shared strings (the shared_strings limit)")


def _merged_ranges(archive: zipfile.ZipFile, path: str | None, budget: Budget) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of every merged range of a sheet, streamed from its XML: openpyxl's
    read-only sheets do not give them, and a sheet's <mergeCells> comes after its rows."""
    if path is None:
        return []
    from openpyxl.utils.cell import range_boundaries

    ranges: list[tuple[int, int, int, int]] = []
    with archive.open(path.lstrip("/")) as stream:
        rows_parent: ElementTree.Element | None = None
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            name = element.tag.rpartition("}")[2]
            if event == "start":
                if name == "sheetData":
                    rows_parent = element
                continue
            if name == "row" and rows_parent is not None:
                rows_parent.clear()  # rows are read by openpyxl; keep none of them here
            elif name == "mergeCell":
                bounds = range_boundaries(element.get("ref", ""))
                if None in bounds:
                    raise ValueError(f"bad merged range {element.get('ref')!r}")
                ranges.append(bounds)  # type: ignore[arg-type]
                if len(ranges) > budget.limits.cells:
                    raise DocumentError(f"cannot read {budget.label}: more than {budget.limits.cells} merged ranges (the cells limit)")
    return ranges


def _apply_merges(rows: list[list[str]], lines: list[int], ranges: list[tuple[int, int, int, int]],
                  budget: Budget) -> None:
    """Repeat each range's top-left value down its first column, in the rows that were kept."""
    index = {line: i for i, line in enumerate(lines)}
    writes = 0
    for min_col, min_row, _max_col, max_row in ranges:
        top = index.get(min_row)
        value = rows[top][min_col - 1] if top is not None and min_col - 1 < len(rows[top]) else ""
        if not value:
            continue
        start = bisect.bisect_right(lines, min_row)
        stop = bisect.bisect_right(lines, max_row)
        for i in range(start, stop):
            row = rows[i]
            if len(row) < min_col:
                budget.columns(min_col)
                row.extend([""] * (min_col - len(row)))
            row[min_col - 1] = value
            writes += 1
        if writes > budget.limits.cells:
            raise DocumentError(f"cannot read {budget.label}: merged ranges cover more than {budget.limits.cells} cells (the cells limit)")


def read_xlsx(data: bytes, name: str | None, label: str) -> Document:
    try:
        import openpyxl
    except ImportError:
        raise ImportError(_OFFICE_EXTRA.format(ext=".xlsx")) from None
    parts: dict[str, set[str]] = {}

    def streamed(archive: zipfile.ZipFile) -> set[str]:
        parts.update(_streamed_parts(archive, label))
        return parts[_WORKSHEET_TYPE] | parts[_SHARED_STRINGS_TYPE]

    archive = open_zip(data, label, ".xlsx", streamed)
    for part in sorted(parts[_SHARED_STRINGS_TYPE]):
        _count_shared_strings(archive, part, label)
    budget = Budget(label)
    lim = budget.limits
    tables: list[Block] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns on stderr about features it drops; the CLI prints one line
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        except DocumentError:
            raise
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise DocumentError(f"cannot read {label}: not a valid .xlsx file ({reason(exc)})") from None
        if not book.worksheets:  # openpyxl skips a sheet whose part is missing, with a warning
            book.close()
            raise DocumentError(f"cannot read {label}: not a valid .xlsx file (no worksheet can be read)")
        try:
            for sheet in book.worksheets:
                sheet.reset_dimensions()  # a <dimension> claiming A1:XFD1048576 would pad every row
                rows: list[list[str]] = []
                lines: list[int] = []
                scanned = 0
                for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
                    if number > lim.sheet_rows:
                        raise DocumentError(
                            f"cannot read {label}: sheet {sheet.title!r} has a row past row {lim.sheet_rows} (the sheet_rows limit)")
                    scanned += len(values)
                    if scanned > lim.cells:
                        raise DocumentError(f"cannot read {label}: more than {lim.cells} table cells (the cells limit)")
                    cells = [_excel_text(v) for v in values]
                    while cells and not cells[-1]:
                        cells.pop()
                    if not cells:
                        continue
                    budget.row(len(cells))
                    budget.text(sum(len(c) for c in cells))
                    rows.append(cells)
                    lines.append(number)
                _apply_merges(rows, lines, _merged_ranges(archive, getattr(sheet, "_worksheet_path", None), budget), budget)
                tables.append(Table(rows=rows, line=lines[0] if lines else 1, name=sheet.title, lines=lines))
        except DocumentError:
            raise
        except Exception as exc:  # a damaged sheet: bad XML, a bad cell reference, a string index out of range
            raise DocumentError(f"cannot read {label}: damaged .xlsx file ({reason(exc)})") from None
        finally:
            book.close()
    return assemble(tables, name=name, kind="xlsx", label=label)


# -------------------------------------------------------------------------------------------- docx

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_TEXT_SKIPPED = frozenset({_W + "del", _W + "txbxContent", _MC + "Fallback", _W + "instrText", _W + "delText",
                           _W + "rPr", _W + "pPr"})
_WRAPPERS = frozenset({_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins", _W + "smartTag"})
_VAL = _W + "val"


def _paragraph_text(p: Any) -> str:
    """The text of a w:p: its runs (also inside hyperlinks, fields, insertions) in order."""
    parts: list[str] = []
    stack = [iter(p)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag
        if not isinstance(tag, str) or tag in _TEXT_SKIPPED:
            continue
        if tag == _W + "t":
            parts.append(child.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
        elif len(child):
            stack.append(iter(child))
    return "".join(parts)


def _children(element: Any) -> Iterator[Any]:
    """The children of an element, with content controls and custom-XML wrappers opened."""
    stack = [iter(element)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag in _WRAPPERS:
            stack.append(iter(child))
        elif child.tag != _W + "sdtPr" and child.tag != _W + "sdtEndPr":
            yield child


def _whole(value: str | None) -> int | None:
    try:
        number = int(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and number >= 1 else None


def _property(element: Any, props: str, name: str) -> Any:
    pr = element.find(_W + props)
    return None if pr is None else pr.find(_W + name)


def _cell_text(tc: Any, budget: Budget) -> str:
    """A cell's paragraphs, one a line; a table inside adds its cells' text, line by line."""
    lines: list[str] = []
    stack = [_children(tc)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if child.tag == _W + "p":
            lines.append(_paragraph_text(child))
        elif child.tag in (_W + "tbl", _W + "tr", _W + "tc"):
            stack.append(_children(child))
    text = "\n".join(lines)
    budget.text(len(text))
    return text


def _docx_table(tbl: Any, budget: Budget) -> list[list[str]]:
    rows: list[list[str]] = []
    merged: dict[int, str] = {}  # grid column → text of the vertical merge running down it
    for tr in _children(tbl):
        if tr.tag != _W + "tr":
            continue
        before = _property(tr, "trPr", "gridBefore")
        column = _whole(before.get(_VAL)) if before is not None else None
        cells: list[str] = [""] * (column or 0)
        column = column or 0
        for tc in _children(tr):
            if tc.tag != _W + "tc":
                continue
            span_el = _property(tc, "tcPr", "gridSpan")
            span = (_whole(span_el.get(_VAL)) if span_el is not None else None) or 1
            budget.columns(column + span)
            vmerge = _property(tc, "tcPr", "vMerge")
            if vmerge is not None and vmerge.get(_VAL, "continue") != "restart":
                text = merged.get(column, "")  # a continuation: the text where the merge started
            else:
                text = _cell_text(tc, budget)
                if vmerge is not None:
                    merged[column] = text
                else:
                    merged.pop(column, None)
            cells.append(text)
            cells.extend([""] * (span - 1))
            column += span
        budget.row(len(cells))
        rows.append(cells)
    return rows


def read_docx(data: bytes, name: str | None, label: str) -> Document:
    try:
        import docx
    except ImportError:
        raise ImportError(_OFFICE_EXTRA.format(ext=".docx")) from None
    open_zip(data, label, ".docx")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            body = docx.Document(io.BytesIO(data)).element.body
    except Exception as exc:  # python-docx raises many kinds for a broken file
        raise DocumentError(f"cannot read {label}: not a valid .docx file ({reason(exc)})") from None
    budget = Budget(label)
    blocks: list[Block] = []
    paragraph_number = 0
    row_number = 1
    try:
        for child in _children(body):
            if child.tag == _W + "p":
                paragraph_number += 1
                text = _paragraph_text(child)
                budget.text(len(text))
                blocks.extend(Paragraph(line, paragraph_number) for line in text.split("\n"))
            elif child.tag == _W + "tbl":
                rows = _docx_table(child, budget)
                blocks.append(Table(rows=rows, line=row_number))
                row_number += len(rows)  # rows are numbered over all the tables of a .docx
    except DocumentError:
        raise
    except Exception as exc:  # a damaged body
        raise DocumentError(f"cannot read {label}: damaged .docx file ({reason(exc)})") from None
    return assemble(blocks, name=name, kind="docx", label=label)
