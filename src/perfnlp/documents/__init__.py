"""Read a performance document (progress tables, self-evaluation tables, prose reports) into tasks.

`read_document(source)` takes a path, the text itself (a str holding a newline) or bytes, and returns a
`Document` whose `tasks` are the rows of its tables and the statements of its prose that report a figure
against a goal, in document order. Nothing here judges the figures; this package only finds the texts (and,
for table rows, the cells) that the statements and judging layers read.

What is guessed, and how (each module's docstring says the details):

* Encoding (decode.py): a UTF-16 byte-order mark means UTF-16; otherwise UTF-8 (a BOM is dropped), then
  GB18030, both strict; text that decodes under neither, or holds NUL characters, raises `DocumentError`.
* Layout: the first line that reads as a table header decides the delimiter (tab, then "|", then comma);
  with none, the text is prose. Lines before the header are the title, the caption (a unit line such as
  单位:亿元 applies to the table) and prose; lines inside or after the table that form no table task are
  prose too. Columns are read by meaning (tables.py), prose by statement (prose.py).
* Title: the first non-empty line (or row), with "#" heading marks stripped and its cells joined by a space.
  The document's time context comes from the title, else from a caption or an early line that names the
  period (（截至2021年8月底）); a publication line (发布日期: …) never gives it.
* Cells: a cell holding an HTML tag or entity is turned into text (html.py): tags removed with their
  attributes, entities decoded, block boundaries become line breaks, each line stripped. A cell is data:
  the text inside <script>/<style> is kept as text; whoever renders it as HTML must escape it.
* Formats: the content decides, then the extension (a file named .xls is often an HTML page or a TSV): a
  zip archive is an .xlsx or .docx (by the parts it holds, else by its extension), an OLE2 file a legacy
  .xls workbook (a .doc, .wps or .et is refused in one line saying to save it as .docx/.xlsx), "%PDF-" a
  PDF, text that starts like a page (<!DOCTYPE html, <html, <table …; or a .html/.htm name) an HTML page,
  other text is TSV/CSV/pipe or prose as above, whatever its name, except that bytes named .xlsx, .docx or
  .pdf that are none of these are a DocumentError. Each structured format is read by its own module into blocks
  (paragraphs and tables, merged cells expanded) that layout.assemble reads into tasks the same way:
  html_page.py, office.py (.xlsx, .docx: extra perfnlp[office]), xls.py (extra perfnlp[xls]), pdf.py
  (extra perfnlp[pdf]); docs/formats.md says what each guesses. Every sheet (every table) is read in
  order; `line` is the row number within its sheet (the running row number over a .docx's tables, the
  source line of an HTML page, the page of a PDF). A document with no table that has a header is read as
  prose from its paragraphs (kind "prose").
* Limits (data/limits.tsv): a file over input_bytes is refused before it is read; archives, rows, cells and
  characters are bounded as documents/limits.py says, each with a DocumentError naming the limit.
"""

from __future__ import annotations

import os
from pathlib import Path

from .decode import decode
from .flat import unflatten
from .html import declared_charset, html_to_text, looks_like_html
from .model import Document, DocumentError, Task
from .prose import early_lines, first_line, prose_tasks
from .tables import JOINERS, KINDS, Row, csv_rows, line_rows, sniff_delimiter, table_tasks

__all__ = ["Document", "DocumentError", "Task", "html_to_text", "read_document"]

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_XLSX_NAMES = (".xlsx", ".xlsm", ".xltx", ".xltm")
_DOCX_NAMES = (".docx", ".docm", ".dotx", ".dotm")
_HTML_NAMES = (".html", ".htm", ".xhtml", ".shtml")
_LEGACY_NAMES = (".doc", ".wps", ".et", ".dps", ".ppt")


def read_document(source: str | os.PathLike[str] | bytes, *, name: str | None = None) -> Document:
    """Read a document from a path, from its text (a str with a newline) or from its bytes."""
    from .limits import limits

    label = name  # what error messages call the input
    data: bytes | None = None
    text: str | None = None
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, str) and ("\n" in source or "\r" in source):
        text = source
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        label = str(path)
        if not path.exists():
            raise DocumentError(f"no such file: {path}")
        if not path.is_file():
            raise DocumentError(f"not a file: {path}")
        try:
            size = path.stat().st_size
            if size > limits().input_bytes:
                raise DocumentError(
                    f"cannot read {path}: {size} bytes, over the limit of {limits().input_bytes} (input_bytes)")
            data = path.read_bytes()
        except OSError as exc:
            raise DocumentError(f"cannot read {path}: {exc.strerror or exc}") from None
        if name is None:
            name = path.name
    else:
        raise TypeError(
            f"read_document() needs a path, a text or bytes, not {type(source).__name__}"
        )
    label = label or "input"
    ext = os.path.splitext(name or "")[1].lower()
    if data is not None:
        if len(data) > limits().input_bytes:
            raise DocumentError(f"cannot read {label}: {len(data)} bytes, over the limit of {limits().input_bytes} (input_bytes)")
        found = _read_binary(data, ext, name, label)
        if found is not None:
            return found
        declared = declared_charset(data) if ext in _HTML_NAMES or _is_text_page(data) else None
        try:
            text = decode(data, label, declared)
        except DocumentError:
            if ext in _LEGACY_NAMES:  # neither OLE2 nor text: say what to do with it all the same
                from .xls import unsupported

                raise unsupported(ext, label) from None
            if ext == ".xls":
                raise DocumentError(f"cannot read {label}: not a valid .xls file (no workbook, no text)") from None
            raise
    assert text is not None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if ext in _HTML_NAMES or looks_like_html(text):
        from .html_page import read_html

        return read_html(text, name, label)
    if ext in _XLSX_NAMES + _DOCX_NAMES + (".pdf",):
        raise DocumentError(f"cannot read {label}: not a valid {ext} file (it holds text)")
    # a .xls, .doc … that holds text: systems export TSV and HTML under those names
    return _read_text(text, name, force_csv=(ext == ".csv"), label=label)


def _read_binary(data: bytes, ext: str, name: str | None, label: str) -> Document | None:
    """A document in a binary format, told by its first bytes (then its extension), or None for text."""
    if data.startswith(_ZIP_MAGIC) or ext in _XLSX_NAMES + _DOCX_NAMES and not _is_text_page(data):
        kind = _zip_kind(data, ext, label)
        if kind == ".xlsx":
            from .office import read_xlsx

            return read_xlsx(data, name, label)
        from .office import read_docx

        return read_docx(data, name, label)
    if data.startswith(_OLE2_MAGIC):
        from .xls import ole2_kind, read_xls, unsupported

        kind = ole2_kind(data, ext)
        if kind != "xls":
            raise unsupported(kind, label)
        return read_xls(data, name, label)
    if data[:1024].find(b"%PDF-") >= 0 and (data.startswith(b"%PDF-") or ext == ".pdf"):
        from .pdf import read_pdf

        return read_pdf(data, name, label)
    if data.startswith(b"{\\rtf"):
        raise DocumentError(f"cannot read {label}: an RTF document: save it as .docx and read that")
    return None


def _is_text_page(data: bytes) -> bool:
    """An HTML page saved under an Office name (Excel and WPS do this)."""
    return looks_like_html(data[:4096].decode("latin-1"))


def _zip_kind(data: bytes, ext: str, label: str) -> str:
    """.xlsx or .docx: by the main part the archive holds, else by the extension (a damaged archive is then
    refused by its reader, after the reader's extra is found)."""
    import io
    import zipfile

    from .limits import check_directory

    check_directory(data, label)
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        names = set()
    if "xl/workbook.xml" in names:
        return ".xlsx"
    if "word/document.xml" in names:
        return ".docx"
    if ext in _XLSX_NAMES:
        return ".xlsx"
    if ext in _DOCX_NAMES:
        return ".docx"
    if not names:
        raise DocumentError(f"cannot read {label}: a damaged zip archive")
    raise DocumentError(f"cannot read {label}: a zip archive that is neither an .xlsx nor a .docx file")


def _flattened(lines: list[str]) -> list[Row] | None:
    """The rows of a document whose table was run together into one line (see flat.py), or None."""
    rows: list[Row] = []
    found = False
    for number, line in enumerate(lines, 1):
        flat = unflatten(line, number) if len(line) > 80 else None
        if flat is not None:
            rows.extend(flat)
            found = True
        else:
            rows.append(Row(number, [line], False, line))
    return rows if found else None


def _read_text(text: str, name: str | None, *, force_csv: bool, label: str) -> Document:
    lines = text.split("\n")
    delimiter = "," if force_csv else sniff_delimiter(lines)
    title = first_line(lines)
    if delimiter is None:
        flat = _flattened(lines)
        if flat is not None:
            found = table_tasks(flat)
            if found is not None and found[1]:
                periods, dated = early_lines(lines)
                return Document(name=name, title=title, kind="flat", tasks=found[1],
                                period_lines=periods, dated_lines=dated)
        periods, dated = early_lines(lines)
        return Document(name=name, title=title, kind="prose", tasks=prose_tasks(lines, title=title),
                        period_lines=periods, dated_lines=dated)
    rows = csv_rows(text) if delimiter == "," else line_rows(lines, delimiter)
    found = table_tasks(rows, joiner=JOINERS[delimiter])
    if found is None:
        raise DocumentError(
            f"{label}: no header row naming the target or progress column (年度目标, 进展情况 …)"
        )
    title, tasks, prose_rows = found
    prose = [(r.line, r.cells[0] if r.cells else "") for r in prose_rows if not r.tabular]
    prose_found = prose_tasks([t for _, t in prose], numbers=[n for n, _ in prose], title=title)
    tasks = sorted(tasks + prose_found, key=lambda t: t.line)
    tasks = [t.model_copy(update={"row": number}) for number, t in enumerate(tasks, 1)]
    periods, dated = early_lines(lines)
    return Document(name=name, title=title, kind=KINDS[delimiter], tasks=tasks,
                    period_lines=periods, dated_lines=dated)
