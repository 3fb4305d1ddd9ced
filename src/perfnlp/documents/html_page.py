"""Whole HTML pages to blocks: their data tables, with merged cells expanded, and their text as paragraphs.

What is guessed, and how:

* Tables: every <table> is read with its rowspan and colspan expanded (HTML's table model): a cell spanning
  rows is repeated in each row it covers (a merged group, deadline or unit cell belongs to every row), a cell
  spanning columns is written once and the columns it covers are left blank. rowspan="0" spans the rest of
  the table; spans are clamped to HTML's own bounds (colspan ≤ 1000, rowspan ≤ 65534).
* Layout tables are not data: a table that holds another table, a table with role="presentation", a table
  with fewer than two rows of two filled cells (one cell, one column, one row: a frame or a banner), and a
  navigation table (four fifths of its text inside links, read as no text at all, like <nav>) are read as
  the page text they hold, the data tables inside them as tables (so the innermost data tables of nested
  layout are the tables).
* Page text: the text outside data tables becomes paragraphs, one per line, lines being ended by block tags
  (p, div, br, li, h1-h6, tr …). The content of script, style, template, noscript, select, iframe and object
  elements, and of nav, aside and footer elements (page furniture), is no text. An element left open is
  closed by the end tag of an element that holds it, as browsers do, so an unclosed <nav> hides no more than
  its parent. Text inside a table but outside its cells is read before the table (browsers put it there).
* Title: assemble() takes the first paragraph; when no text stands before the first table and that table
  has no title row of its own (a first row with one filled cell), the page's <title> (else its first <h1>)
  is put first as the title.
* Cells: plain text by the rules of `html_to_text` (tags removed, entities decoded, block tags become line
  breaks, each line stripped). A page's scripts are code and are dropped; the script text inside a TSV
  cell's HTML fragment is kept as text, as html_to_text keeps it.

Parsing is linear (documents/html.py's LinearParser); rows, cells and characters count against the
document's limits as they are read (documents/limits.py).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Union

from .html import LinearParser, normalize_lines
from .layout import Block, Paragraph, Table, assemble
from .limits import Budget
from .model import Document

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br caption dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
_SKIP_TAGS = frozenset("script style template noscript select iframe object nav aside footer".split())
_VOID_TAGS = frozenset(
    "area base br col embed hr img input keygen link meta param source track wbr basefont bgsound frame".split()
)
_CELL_TAGS = frozenset({"td", "th"})
_ROW_ENDERS = frozenset({"tr", "thead", "tbody", "tfoot"})
_MAX_COLSPAN = 1000  # HTML's own bounds on spans
_MAX_ROWSPAN = 65534
_SPAN = re.compile(r"\s*(\d{1,9})")
_NAV_SHARE = 0.8  # a table whose cell text is this much link text is navigation


@dataclass
class _Cell:
    rowspan: int  # 0: the rest of the table
    colspan: int
    content: list["Item"] = field(default_factory=list)

    def text(self) -> str:
        return normalize_lines("".join(i[1] for i in self.content if isinstance(i, tuple)))


@dataclass
class _Row:
    line: int
    cells: list[_Cell] = field(default_factory=list)


@dataclass
class _TableNode:
    line: int
    depth: int  # its index in the open-element stack
    role: str
    rows: list[_Row] = field(default_factory=list)
    caption: list[str] = field(default_factory=list)
    nested: bool = False  # holds another table: layout
    chars: int = 0
    link_chars: int = 0
    cell_open: bool = False
    row_open: bool = False
    row_element: bool = False  # the open row has its <tr> on the stack (not one a stray cell started)
    in_caption: bool = False


Item = Union[tuple[int, str], _TableNode]  # text at its source line ("\n" ends a line), or a table


class _PageParser(LinearParser):
    def __init__(self, budget: Budget) -> None:
        super().__init__()
        self.budget = budget
        self.stack: list[str] = []  # open elements, outermost first
        self.open: Counter[str] = Counter()  # how many of each are open: an end tag finds its own in O(1)
        self.skipping = 0  # open elements whose content is no text
        self.links = 0  # open <a> elements
        self.tables: list[_TableNode] = []  # open tables, innermost last
        self.page: list[Item] = []
        self.title: list[str] = []
        self.h1: list[str] = []
        self.in_title = False
        self.in_h1 = False
        self.seen_h1 = False

    # ---------------------------------------------------------------------------- the element stack
    def _push(self, tag: str) -> None:
        self.stack.append(tag)
        self.open[tag] += 1
        if tag in _SKIP_TAGS:
            self.skipping += 1

    def _pop_to(self, tag: str) -> None:
        """Close the innermost open `tag` and every element opened inside it."""
        while self.stack:
            top = self.stack.pop()
            self.open[top] -= 1
            if top in _SKIP_TAGS:
                self.skipping -= 1
            self._closed(top)
            if top == tag:
                return

    def _closed(self, tag: str) -> None:
        table = self.tables[-1] if self.tables else None
        if tag == "a":
            self.links -= 1
        elif tag == "title":
            self.in_title = False
        elif tag == "h1":
            self.in_h1 = False
        elif table is not None and tag in _CELL_TAGS:
            table.cell_open = False
        elif table is not None and tag == "tr":
            table.row_open = table.row_element = False
        elif table is not None and tag == "caption":
            table.in_caption = False
        elif tag == "table" and table is not None and table.depth == len(self.stack):
            self.tables.pop()
            self._sink().append(table)
            if self.tables:
                self.tables[-1].nested = True
        if tag in _BLOCK_TAGS:
            self._text("\n")

    def _close_in_table(self, tags: frozenset[str], table: _TableNode) -> None:
        """Close the innermost open element of `tags` that belongs to `table` (implied end tags)."""
        for index in range(len(self.stack) - 1, table.depth, -1):
            if self.stack[index] in tags:
                self._pop_to(self.stack[index])
                return

    # ------------------------------------------------------------------------------- where text goes
    def _sink(self) -> list[Item]:
        for table in reversed(self.tables):  # the nearest open cell; text between cells goes before the table
            if table.cell_open:
                return table.rows[-1].cells[-1].content
        return self.page

    def _text(self, data: str) -> None:
        self._sink().append((self.lineno, data))

    # ------------------------------------------------------------------------------------- events
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        table = self.tables[-1] if self.tables else None
        if table is not None:
            # implied end tags: a cell ends the open cell; a row or a section ends the open cell and row
            if table.cell_open and (tag in _CELL_TAGS or tag in _ROW_ENDERS):
                self._close_in_table(_CELL_TAGS, table)
            if table.row_open and tag in _ROW_ENDERS:
                if table.row_element:
                    self._close_in_table(frozenset({"tr"}), table)
                table.row_open = False
        if tag in _VOID_TAGS:
            if tag in _BLOCK_TAGS:
                self._text("\n")
            return
        if tag in _BLOCK_TAGS:
            self._text("\n")
        self._push(tag)
        if tag == "a":
            self.links += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "h1" and not self.seen_h1:
            self.in_h1 = self.seen_h1 = True
        elif tag == "table":
            role = next((v or "" for k, v in attrs if k == "role"), "").strip().lower()
            self.tables.append(_TableNode(line=self.lineno, depth=len(self.stack) - 1, role=role))
        elif table is not None and tag == "tr":
            table.rows.append(_Row(self.lineno))
            table.row_open = table.row_element = True
        elif table is not None and tag in _CELL_TAGS:
            if not table.row_open:  # a cell outside any <tr> starts a row of its own
                table.rows.append(_Row(self.lineno))
                table.row_open, table.row_element = True, False
            values = dict(attrs)
            table.rows[-1].cells.append(_Cell(
                rowspan=_span(values.get("rowspan"), _MAX_ROWSPAN, zero=True),
                colspan=_span(values.get("colspan"), _MAX_COLSPAN, zero=False),
            ))
            table.cell_open = True
        elif table is not None and tag == "caption":
            table.in_caption = True

    def handle_endtag(self, tag: str) -> None:
        if self.open[tag] > 0:
            self._pop_to(tag)
        elif tag in _BLOCK_TAGS:  # a stray </p> or </br>: still a line break
            self._text("\n")

    def handle_data(self, data: str) -> None:
        if self.skipping and not self.in_title:
            return
        self.budget.text(len(data))  # an unclosed <title> holds the rest of the page: it counts too
        if self.in_title:
            self.title.append(data)
            return
        if self.in_h1:
            self.h1.append(data)
        table = self.tables[-1] if self.tables else None
        if table is not None:
            if table.in_caption:
                table.caption.append(data)
                return
            if table.cell_open:
                size = len(data.strip())
                table.chars += size
                if self.links:
                    table.link_chars += size
        self._text(data)

    def finish(self) -> None:
        while self.stack:
            self._pop_to(self.stack[0])


def _span(value: str | None, most: int, *, zero: bool) -> int:
    """A rowspan/colspan as browsers read it: its leading digits, clamped to HTML's bounds."""
    match = _SPAN.match(value or "")
    if match is None:
        return 1
    number = int(match.group(1))
    if number == 0:
        return 0 if zero else 1
    return min(number, most)


# ------------------------------------------------------------------------------------- to blocks

def _is_navigation(node: _TableNode) -> bool:
    return not node.nested and node.chars > 0 and node.link_chars >= _NAV_SHARE * node.chars


def _is_layout(node: _TableNode) -> bool:
    if node.nested or node.role in ("presentation", "none"):
        return True
    return sum(1 for row in node.rows if sum(1 for c in row.cells if c.text()) >= 2) < 2


def _grid(node: _TableNode, budget: Budget) -> tuple[list[list[str]], list[int]]:
    """The table's rows with spans expanded: a cell spanning rows repeats down, one spanning columns is
    written once. `below[c]` is how many more rows the cell above column c covers, `carried[c]` its text."""
    below: list[int] = []
    carried: list[str] = []
    rest_of_table = budget.limits.rows + 1
    rows: list[list[str]] = []
    lines: list[int] = []
    for row in node.rows:
        out: list[str] = []
        cells = iter(row.cells)
        cell = next(cells, None)
        column = 0
        while cell is not None or column < len(below):
            if column < len(below) and below[column] > 0:
                out.append(carried[column])  # covered by a cell from a row above
                below[column] -= 1
                column += 1
                continue
            if cell is None:  # no cell left, but a cell from above covers a column further right
                out.append("")
                column += 1
                continue
            text = cell.text()
            budget.columns(column + cell.colspan)
            covers = rest_of_table if cell.rowspan == 0 else cell.rowspan - 1
            for offset in range(cell.colspan):
                at = column + offset
                if at >= len(below):
                    below.extend([0] * (at + 1 - len(below)))
                    carried.extend([""] * (at + 1 - len(carried)))
                out.append(text if offset == 0 else "")
                if covers:
                    below[at], carried[at] = covers, (text if offset == 0 else "")
            column += cell.colspan
            cell = next(cells, None)
        budget.row(len(out))  # counted as expanded: the blank cells a span covers cost as much as any
        while out and not out[-1]:
            out.pop()
        rows.append(out)
        lines.append(row.line)
    return rows, lines


def _blocks(items: list[Item], budget: Budget) -> list[Block]:
    """The blocks of the page items in order: lines of text become paragraphs, data tables tables, and
    layout tables the blocks of their cells (an explicit stack: nesting can be deep on a hostile page)."""
    out: list[Block] = []
    text: list[str] = []
    first_line = 0

    def flush() -> None:
        nonlocal text, first_line
        for piece in "".join(text).split("\n"):
            piece = piece.strip()
            if piece:
                out.append(Paragraph(piece, first_line))
        text, first_line = [], 0

    work: list[list[Item]] = [list(reversed(items))]
    while work:
        pending = work[-1]
        if not pending:
            work.pop()
            continue
        item = pending.pop()
        if isinstance(item, tuple):
            line, data = item
            if data == "\n":
                flush()
            else:
                if not first_line and data.strip():
                    first_line = line
                text.append(data)
            continue
        flush()
        if _is_navigation(item):
            continue  # links to elsewhere: page furniture, like <nav>
        if _is_layout(item):
            inner: list[Item] = []
            for row in item.rows:
                for cell in row.cells:
                    inner.extend(cell.content)
                    inner.append((row.line, "\n"))
            work.append(list(reversed(inner)))
            continue
        rows, lines = _grid(item, budget)
        caption = normalize_lines("".join(item.caption)).replace("\n", " ") or None
        out.append(Table(rows=rows, line=item.line, caption=caption, lines=lines))
    flush()
    return out


def html_blocks(text: str, label: str, budget: Budget | None = None) -> list[Block]:
    """The blocks of an HTML page, in reading order."""
    budget = budget or Budget(label)
    parser = _PageParser(budget)
    parser.read(text)
    parser.finish()
    blocks = _blocks(parser.page, budget)
    first_table = next((i for i, b in enumerate(blocks) if isinstance(b, Table)), None)
    if first_table is not None and not any(isinstance(b, Paragraph) for b in blocks[:first_table]):
        table = blocks[first_table]
        assert isinstance(table, Table)
        has_title_row = bool(table.rows) and sum(1 for c in table.rows[0] if c.strip()) == 1
        title = " ".join(normalize_lines("".join(parser.title)).split("\n"))
        if not title:
            title = next(iter(normalize_lines("".join(parser.h1)).split("\n")), "")
        if title and not has_title_row:
            blocks.insert(0, Paragraph(title, 1))
    return blocks


def read_html(text: str, name: str | None, label: str) -> Document:
    """A whole HTML page read into tasks: its data tables, else its text as prose."""
    return assemble(html_blocks(text, label), name=name, kind="html", label=label)
