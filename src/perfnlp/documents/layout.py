"""What every format reader hands on: the document as blocks in reading order, paragraphs and tables.

A format reader (HTML, .xlsx, .docx, PDF …) only finds the blocks: it expands merged cells, drops layout
furniture and turns each cell into plain text (documents/html.py's rules). `assemble` then reads the
blocks into tasks the same way whatever the format was, so that one table reads the same from every format.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .flat import unflatten
from .model import Document, DocumentError, Task
from .prose import early_lines, first_line, prose_tasks
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
    """The tasks of a document given as blocks: the rows of every table with a header row and the statements
    of the paragraphs around them, in document order (as the text reader reads a text)."""
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    title: str | None = first_line(p.text for p in paragraphs)
    # every paragraph and row gets its place in reading order; tasks are read with it as their line and get
    # their own line back at the end (formats number lines each their own way: paragraphs, rows, pages)
    source_line: list[int] = []
    tasks: list[Task] = []
    prose: list[tuple[int, str]] = []
    has_table = False
    previous: Block | None = None
    for block in blocks:
        flat = unflatten(block.text, 0) if isinstance(block, Paragraph) and len(block.text) > 80 else None
        if flat is not None:  # a table run together into one paragraph (flat.py)
            block = Table(rows=[r.cells for r in flat], line=block.line)
        if isinstance(block, Paragraph):
            prose.append((len(source_line), block.text))
            source_line.append(block.line)
        else:
            rows = []
            for i, cells in enumerate(block.rows):
                filled = [c for c in cells if c.strip()]
                # a row of one cell (a caption, a heading spanning the table) reads like a line of text does in
                # a text table, where it is a line without the delimiter
                rows.append(Row(len(source_line), list(cells), True) if len(filled) > 1
                            else Row(len(source_line), filled or [""], False))
                source_line.append(block.lines[i] if i < len(block.lines) else block.line + i)
            caption = [block.caption] if block.caption else ([previous.text] if isinstance(previous, Paragraph) else [])
            read = table_tasks(rows, first=len(tasks) + 1, caption=caption)
            if read is not None:
                has_table = True
                title = title or read[0]
                tasks.extend(read[1])
                prose += [(r.line, " ".join(c for c in r.cells if c.strip())) for r in read[2]]
            else:  # a table of notes or layout: its text is read as paragraphs
                prose += [(r.line, text) for r in rows for text in [" ".join(c for c in r.cells if c.strip())] if text]
        previous = block
    if not has_table and not paragraphs and any(isinstance(b, Table) for b in blocks):
        raise DocumentError(f"{label}: no table has a header row naming the target or progress column (年度目标, 进展情况 …)")
    prose.sort(key=lambda pair: pair[0])
    tasks += prose_tasks([text for _, text in prose], numbers=[place for place, _ in prose], title=title)
    tasks = [t.model_copy(update={"row": n, "line": source_line[t.line] if 0 <= t.line < len(source_line) else t.line})
             for n, t in enumerate(sorted(tasks, key=lambda t: t.line), 1)]
    periods, dated = early_lines([text for _, text in prose] + [b.caption for b in blocks
                                                                if isinstance(b, Table) and b.caption])
    return Document(name=name, title=title, kind=kind if has_table else "prose", tasks=tasks,
                    period_lines=periods, dated_lines=dated)
