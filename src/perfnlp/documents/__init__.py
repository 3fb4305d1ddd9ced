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
* Office files (.xlsx, .docx) need the optional extra `perfnlp[office]`; every format reader hands its
  blocks (paragraphs, tables) to layout.assemble, so that a table reads the same from every format.
"""

from __future__ import annotations

import os
from pathlib import Path

from .decode import decode
from .flat import unflatten
from .html import html_to_text
from .model import Document, DocumentError, Task
from .prose import early_lines, first_line, prose_tasks
from .tables import JOINERS, KINDS, Row, csv_rows, line_rows, sniff_delimiter, table_tasks

__all__ = ["Document", "DocumentError", "Task", "html_to_text", "read_document"]


def read_document(source: str | os.PathLike[str] | bytes, *, name: str | None = None) -> Document:
    """Read a document from a path, from its text (a str with a newline) or from its bytes."""
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
            data = path.read_bytes()
        except OSError as exc:
            raise DocumentError(f"cannot read {path}: {exc.strerror or exc}") from None
        if name is None:
            name = path.name
    else:
        raise TypeError(
            f"read_document() needs a path, a text or bytes, not {type(source).__name__}"
        )

    ext = os.path.splitext(name or "")[1].lower()
    if data is not None and ext == ".xlsx":
        from .office import read_xlsx

        return read_xlsx(data, name, label or "input")
    if data is not None and ext == ".docx":
        from .office import read_docx

        return read_docx(data, name, label or "input")
    if text is None:
        assert data is not None
        text = decode(data, label or "input")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return _read_text(text, name, force_csv=(ext == ".csv"), label=label or "input")



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
                return Document(name=name, title=title, kind="prose", tasks=found[1],
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
