"""Read a performance document (a progress table or a prose report) into tasks.

`read_document(source)` takes a path, the text itself (a str holding a newline) or bytes, and returns a
`Document` whose `tasks` are the rows of the document's progress table, or, for a prose report, the
statements that report a figure against an annual goal. Nothing here interprets the figures: that is the
job of the quantity/target/progress parsers; this module only finds the texts they read.

What is guessed, and how:

* Encoding (bytes and files): a UTF-16 byte-order mark means UTF-16; otherwise UTF-8 (a BOM is dropped),
  then GB18030 (a superset of GBK and GB2312), both strict. Text that decodes under neither, or that holds
  NUL characters (a binary file that happens to decode), raises `DocumentError`.
* Layout: the first line that reads as a header row decides the delimiter (tab, then "|", then comma).
  A header row is one whose cells are short and name at least two known columns, one of them the target
  or the progress column; the names are matched by vocabulary, not by position (see `_role_of`):
  绩效任务/考评维度/指标名称 → group, 年度目标/年度目标值/自查任务/…任务/…目标 → target,
  进展情况/落实情况/完成情况/1-8月进展情况 → progress, 截止时间/完成时限 → deadline, 序号 → row number,
  存在问题及原因/备注 → remark. Other columns (责任单位 …) are ignored. A header repeated further down
  (a page break in the source) is re-read, not taken as a task. With no header at all the text is prose.
  A table with a group column but no target column reads the group column as the target.
* Title: the first non-empty line (or row) before the first header, with "#" heading marks stripped and
  its cells joined by a space; for prose, the first non-empty line.
* Group carry-over: a blank group cell continues the previous row's group; a row that fills only the
  group cell starts a new group and is not a task.
* Shifted rows: when the table's first column is the group and a row's filled cells are a prefix that
  leaves the last header column empty, the row is read as written without its group cell (shifted one
  column left) if, read in place, its target or progress would be empty (pipe tables that write a group
  once), or its first cell is too long or too punctuated to be a group label (a row pasted one column
  left, as in a self-check table). Such a row keeps the carried group.
* Plain-line blocks: lines without the delimiter inside a table form a block: a first lone, unnumbered
  line is the group; the first run of lines (up to a blank line) is the target and the remaining runs
  the progress, each joined with "\\n". With no blank line, the list is split where the numbering starts
  again at 1. A block that splits into no target and progress is not a task (a note, a heading).
  Separator lines (------) are skipped.
* Cells: a cell holding an HTML tag or entity is turned into text with the stdlib `html.parser`: tags are
  removed with their attributes, entities decoded, block boundaries (p, br, li, div, ol, ul, tr, h1-h6 …)
  become line breaks; every cell (HTML or not) then has each line stripped and empty lines dropped. A cell
  is data: the text inside <script>/<style> is kept as text ("<script>alert(1)</script>" → "alert(1)");
  whoever renders it as HTML must escape it. Text such as "<大兴区…计划>" is not a tag and stays as written.
* Prose statements: a statement is a clause reporting completion against an annual goal (完成年度目标的
  160.6%, 完成总目标的114.59%, 完成全年目标的201.28%, 占全年任务的167%, 占全年目标的111.88%, …); its progress
  text runs from the start of the nearest clause at or before it (within the sentence: 。；;！？ end
  sentences, "," and "，" end clauses) that holds an Arabic figure, up to the percentage sign, a
  contiguous substring of its line. Its target is "". Its group is the nearest preceding heading line (a
  short line without sentence punctuation, such as "(一)高质量发展"), not the paragraph's lead phrase,
  because lead phrases are not reliably delimited (大气污染防治取得成效我区… lacks its 。).
* Office files (.xlsx, .docx) need the optional extra `perfnlp[office]`. Every sheet (every table) is
  read in order; `line` is the row number within its sheet (the running row number over a .docx's
  tables). A .docx with no table that has a header is read as prose from its paragraphs (kind "prose").
"""

from __future__ import annotations

import os
from pathlib import Path

from .decode import decode
from .html import html_to_text
from .model import Document, DocumentError, Task
from .prose import first_line, prose_tasks
from .tables import KINDS, csv_rows, line_rows, sniff_delimiter, table_tasks

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



def _read_text(text: str, name: str | None, *, force_csv: bool, label: str) -> Document:
    lines = text.split("\n")
    delimiter = "," if force_csv else sniff_delimiter(lines)
    if delimiter is not None:
        rows = csv_rows(text) if delimiter == "," else line_rows(lines, delimiter)
        table = table_tasks(rows)
        if table is not None:
            title, tasks = table
            return Document(name=name, title=title, kind=KINDS[delimiter], tasks=tasks)
        raise DocumentError(
            f"{label}: no header row naming the target or progress column (年度目标, 进展情况 …)"
        )
    return Document(name=name, title=first_line(lines), kind="prose", tasks=prose_tasks(lines))

