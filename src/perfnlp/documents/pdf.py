"""PDF files: the optional extra perfnlp[pdf] (pdfplumber). Text and ruled tables, page by page.

A PDF holds characters at positions, not paragraphs or cells, so most of this is guessed:

* Tables are the ruled tables pdfplumber finds (its "lines" strategy: cells bounded by drawn lines). A table
  without rules is read as text lines. A cell's grid place and spans come from its bounding box among the
  table's column and row edges; a cell spanning rows is repeated in each row it covers, one spanning
  columns is written once (as for HTML and Office files). A table that starts a page, right after a table
  that ended the previous page with as many columns, continues it (a repeated header is kept: the table
  reader re-reads it).
* Lines: characters whose vertical middles lie within 3 points are one line; a gap wider than 3 points
  between characters is a space.
* Wrapped lines are joined: a line that reaches the right edge of its text (the page's text column: its
  rightmost character, or its left margin mirrored; or its cell less the cell's left padding) within 3 character widths runs on into the next line, unless the next
  line is indented (a first-line indent starts a paragraph) or stands more than 1.8 line pitches below. They
  are joined without a space, except between two Latin letters or digits. Other line breaks stay line
  breaks: each text line outside tables is one paragraph, in a cell they are "\\n".
* Reading order: top to bottom on each page, tables among the text by their top edge; one column of text
  is assumed. A line holding only a page number ("3", "- 3 -", "第3页", "3/12") is dropped.
* Each page's characters count against the chars limit before the page is laid out, and the pages against
  the pages limit; pdfminer's errors on a damaged file become a DocumentError.
"""
from __future__ import annotations

import bisect
import io
import logging
import re
import statistics
import warnings
from dataclasses import dataclass
from typing import Any

from .layout import Block, Paragraph, Table, assemble
from .limits import Budget, limits, reason
from .model import Document, DocumentError

_PDF_EXTRA = "reading .pdf needs the optional extra: pip install 'perfnlp[pdf]'"
PDF_MAGIC = b"%PDF-"

_LINE_TOLERANCE = 3.0  # points: characters this close vertically share a line
_SPACE_GAP = 3.0  # points between characters that make a space
_FULL_LINE = 3.0  # character widths from the right edge that still count as a full (wrapped) line (CJK
# line breaking keeps closing punctuation off a line start, so wrapped lines end up to two characters short)
_INDENT = 0.8  # character widths of indent that start a paragraph
_PARAGRAPH_GAP = 1.8  # line pitches of vertical gap that start a paragraph
_EDGE_TOLERANCE = 2.0  # points: cell edges this close are one grid line
_PAGE_NUMBER = re.compile(r"\s*(?:[-—–]\s*)?(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?(?:\s*[-—–])?\s*")
_LATIN = re.compile(r"[0-9A-Za-z]")


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # the characters' median width: the unit for indents and edges


def _lines(chars: list[dict[str, Any]]) -> list[_Line]:
    """Characters grouped into lines, top to bottom, each left to right with spaces at wide gaps."""
    chars = sorted((c for c in chars if c.get("upright", True) and c.get("text")),
                   key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"]))
    groups: list[list[dict[str, Any]]] = []
    middle = None
    for char in chars:
        mid = (char["top"] + char["bottom"]) / 2
        if middle is None or mid - middle > _LINE_TOLERANCE:
            groups.append([])
            middle = mid
        groups[-1].append(char)
    out: list[_Line] = []
    for group in groups:
        group.sort(key=lambda c: c["x0"])
        parts: list[str] = []
        last_x1 = None
        for char in group:
            if last_x1 is not None and char["x0"] - last_x1 > _SPACE_GAP:
                parts.append(" ")
            parts.append(char["text"])
            last_x1 = char["x1"]
        text = "".join(parts).strip()
        if text:
            widths = [c["x1"] - c["x0"] for c in group if c["text"].strip()]
            out.append(_Line(text, group[0]["x0"], group[-1]["x1"], min(c["top"] for c in group),
                             max(c["bottom"] for c in group), statistics.median(widths) if widths else 5.0))
    return out


def _join(before: str, after: str) -> str:
    gap = " " if _LATIN.fullmatch(before[-1:] or "") and _LATIN.fullmatch(after[:1] or "") else ""
    return before + gap + after


def _paragraphs(lines: list[_Line], left: float, right: float) -> list[tuple[_Line, str]]:
    """Wrapped lines joined into paragraphs (each with its first line)."""
    out: list[tuple[_Line, str]] = []
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:]) if b.top > a.top]
    pitch = statistics.median(pitches) if pitches else 0.0
    previous: _Line | None = None
    for line in lines:
        runs_on = (
            previous is not None
            and previous.x1 >= right - _FULL_LINE * previous.size
            and line.x0 <= left + _INDENT * line.size
            and (not pitch or line.top - previous.top <= _PARAGRAPH_GAP * pitch)
        )
        if runs_on and out:
            first, text = out[-1]
            out[-1] = (first, _join(text, line.text))
        else:
            out.append((line, line.text))
        previous = line
    return out


def _edges(values: list[float]) -> list[float]:
    """Distinct edge positions, those within the tolerance taken as one."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > _EDGE_TOLERANCE:
            out.append(value)
    return out


def _place(edges: list[float], value: float) -> int:
    return max(bisect.bisect_right(edges, value + _EDGE_TOLERANCE) - 1, 0)


@dataclass
class _PageTable:
    top: float
    rows: list[list[str]]
    columns: int


def _table(cells: list[tuple[float, float, float, float]], chars: list[dict[str, Any]],
           budget: Budget) -> tuple[_PageTable, list[dict[str, Any]]]:
    """A ruled table from its cell boxes and the page's characters; the characters outside it are returned."""
    xs = _edges([c[0] for c in cells] + [c[2] for c in cells])
    ys = _edges([c[1] for c in cells] + [c[3] for c in cells])
    width, height = max(len(xs) - 1, 1), max(len(ys) - 1, 1)
    budget.columns(width)
    x0, top, x1, bottom = min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells)
    placed: list[tuple[int, int, int, int]] = []  # row, column, rowspan, colspan of each cell
    for cx0, ctop, cx1, cbottom in cells:
        r, c = _place(ys, ctop), _place(xs, cx0)
        placed.append((r, c, max(_place(ys, cbottom) - r, 1), max(_place(xs, cx1) - c, 1)))
    for _ in range(height):
        budget.row(width)
    owner: dict[tuple[int, int], int] = {}  # grid slot → the cell covering it
    for index, (r, c, rs, cs) in enumerate(placed):
        for row in range(r, min(r + rs, height)):
            for column in range(c, min(c + cs, width)):
                owner.setdefault((row, column), index)
    contents: list[list[dict[str, Any]]] = [[] for _ in cells]
    outside: list[dict[str, Any]] = []
    for char in chars:
        h, v = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        if not (x0 <= h < x1 and top <= v < bottom):
            outside.append(char)
            continue
        slot = (min(max(bisect.bisect_right(ys, v) - 1, 0), height - 1),
                min(max(bisect.bisect_right(xs, h) - 1, 0), width - 1))
        if slot in owner:
            contents[owner[slot]].append(char)
    texts = [_cell_text(contents[i], cells[i]) for i in range(len(cells))]
    grid: list[list[str]] = [[""] * width for _ in range(height)]
    for (r, c, rs, cs), text in zip(placed, texts):
        for row in range(r, min(r + rs, height)):
            if c < width:
                grid[row][c] = text  # spanning rows: repeated; spanning columns: written once
    for row in grid:
        while row and not row[-1]:
            row.pop()
    return _PageTable(top, grid, width), outside


def _cell_text(chars: list[dict[str, Any]], box: tuple[float, float, float, float]) -> str:
    lines = _lines(chars)
    if not lines:
        return ""
    padding = max(min(line.x0 for line in lines) - box[0], 0.0)
    return "\n".join(text for _, text in _paragraphs(lines, box[0] + padding, box[2] - padding))


def read_pdf(data: bytes, name: str | None, label: str) -> Document:
    try:
        import pdfplumber
    except ImportError:
        raise ImportError(_PDF_EXTRA) from None
    logging.getLogger("pdfminer").addHandler(logging.NullHandler())  # its warnings are not ours to print
    budget = Budget(label)
    lim = limits()
    blocks: list[Block] = []
    last_table: Table | None = None  # the last table of the previous page, when it ended the page
    last_columns = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            pdf = pdfplumber.open(io.BytesIO(data))
        except Exception as exc:  # pdfminer raises many kinds for a broken file
            raise DocumentError(f"cannot read {label}: not a valid PDF file ({reason(exc)})") from None
        try:
            if len(pdf.pages) > lim.pages:
                raise DocumentError(f"cannot read {label}: {len(pdf.pages)} pages, over the limit of {lim.pages} (pages)")
            for number, page in enumerate(pdf.pages, 1):
                chars = page.chars
                budget.text(len(chars))
                tables: list[_PageTable] = []
                for found in page.find_tables():
                    if len(found.cells) < 2:
                        continue
                    table, chars = _table(list(found.cells), chars, budget)
                    tables.append(table)
                lines = [ln for ln in _lines(chars) if not _PAGE_NUMBER.fullmatch(ln.text)]
                left = min((ln.x0 for ln in lines), default=0.0)
                # the text column's right edge: the rightmost character (tables included), or the left
                # margin mirrored, for a page whose lines are all short
                right = max([ln.x1 for ln in lines] + [c["x1"] for c in page.chars] + [float(page.width) - left])
                items: list[tuple[float, Block | _PageTable]] = [
                    (first.top, Paragraph(text, number)) for first, text in _paragraphs(lines, left, right)]
                items += [(t.top, t) for t in tables]
                items.sort(key=lambda item: item[0])
                for position, (_, item) in enumerate(items):
                    if isinstance(item, Paragraph):
                        blocks.append(item)
                        continue
                    if position == 0 and last_table is not None and item.columns == last_columns:
                        last_table.rows.extend(item.rows)  # the table runs on from the previous page
                        last_table.lines.extend([number] * len(item.rows))
                    else:
                        blocks.append(Table(rows=item.rows, line=number, lines=[number] * len(item.rows)))
                ends_with_table = bool(items) and isinstance(items[-1][1], _PageTable)
                last_table = blocks[-1] if ends_with_table and isinstance(blocks[-1], Table) else None
                last_columns = items[-1][1].columns if ends_with_table else 0  # type: ignore[union-attr]
                page.close()  # drop the page's parsed objects: memory stays one page
        except DocumentError:
            raise
        except Exception as exc:  # a damaged page or content stream
            raise DocumentError(f"cannot read {label}: damaged PDF file ({reason(exc)})") from None
        finally:
            pdf.close()
    return assemble(blocks, name=name, kind="pdf", label=label)
