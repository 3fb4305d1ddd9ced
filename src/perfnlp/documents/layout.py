"""What every format reader hands on: the document as blocks in reading order, paragraphs and tables.

A format reader (HTML, .xlsx, .docx, PDF …) only finds the blocks: it expands merged cells, drops layout
furniture and turns each cell into plain text (documents/html.py's rules). `assemble` then reads the
blocks into tasks the same way whatever the format was, so that one table reads the same from every format.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .model import Document, DocumentError, Task
from .prose import first_line, prose_tasks
from .tables import Row, table_tasks


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph or heading line of running text."""

    text: str
    line: int = 0          # where it starts in the source (line, sheet row or paragraph number), 1-based


@dataclass(frozen=True, slots=True)
class Table:
    """A table: rows of plain-text cells, merged cells already expanded (a cell spanning columns or rows is
    repeated in every position it covers when `repeated` is True, else written once and left blank after)."""

    rows: list[list[str]]
    line: int = 0          # where its first row stands in the source, 1-based
    caption: str | None = None
    name: str | None = None  # the sheet's name, for workbooks
    lines: list[int] = field(default_factory=list)  # the source line of each row, when known


Block = Paragraph | Table


def assemble(blocks: Sequence[Block], *, name: str | None, kind: str, label: str) -> Document:
    """The tasks of a document given as blocks: every table with a header row, in order; a document with no
    such table is read as prose from its paragraphs."""
    paragraphs = [b.text for b in blocks if isinstance(b, Paragraph)]
    title: str | None = first_line(paragraphs)
    tasks: list[Task] = []
    has_table = False
    for block in blocks:
        if not isinstance(block, Table):
            continue
        rows = [Row(block.lines[i] if i < len(block.lines) else block.line + i, list(cells), True)
                for i, cells in enumerate(block.rows)]
        read = table_tasks(rows, first=len(tasks) + 1, caption=[block.caption] if block.caption else ())
        if read is None:
            continue  # a table of notes or layout
        has_table = True
        title = title or read[0]
        tasks.extend(read[1])
    if has_table:
        return Document(name=name, title=title, kind=kind, tasks=tasks)
    if not paragraphs and any(isinstance(b, Table) for b in blocks):
        raise DocumentError(f"{label}: no table has a header row naming the target or progress column (年度目标, 进展情况 …)")
    return Document(name=name, title=title, kind="prose", tasks=prose_tasks(paragraphs))
