"""Corpus documents (../shared/corpus, TSV/pipe/prose text) rewritten as HTML, .xlsx, .xls, .docx and PDF, for
the round-trip tests of tests/test_formats.py.

The text is read as lines: a line holding the document's delimiter (a tab; else "|") is a table row, split as
the text reader splits it; consecutive rows are one table; every other non-blank line is a paragraph. Cells
that the text writes the same in consecutive rows of a column become one cell spanning those rows, and a
filled cell followed by empty cells in its row becomes one cell spanning those columns: the structured
formats' readers repeat a cell spanning rows and write a cell spanning columns once, so the merged document
says what the text says. Every format gets the same paragraphs and tables; HTML adds page furniture (a
layout table around the content, a navigation table, a script, a style sheet).
"""
from __future__ import annotations

import html
import io
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@dataclass
class Span:
    row: int
    column: int
    rows: int = 1
    columns: int = 1


@dataclass
class TextTable:
    rows: list[list[str]]
    spans: list[Span] = field(default_factory=list)  # every cell that is written, with its extent

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


Block = str | TextTable  # a paragraph, or a table


def delimiter_of(text: str) -> str | None:
    if "\t" in text:
        return "\t"
    if any("|" in line for line in text.split("\n")):
        return "|"
    return None


def split_row(line: str, delimiter: str) -> list[str]:
    if delimiter == "\t":
        return line.split("\t")
    parts = line.replace("\\|", "\x00").split("|")
    stripped = line.strip()
    if stripped.startswith("|"):
        parts = parts[1:]
    if stripped.endswith("|") and parts:
        parts = parts[:-1]
    return [p.replace("\x00", "|").strip() for p in parts]


DELIMITERS = {"tsv": "\t", "pipe": "|"}


def text_blocks(text: str, kind: str) -> list[Block]:
    """The blocks of a corpus text that the text reader read as `kind` ("tsv", "pipe" or "prose"). Up to
    three short lines without the delimiter between two table rows (section headings such as 一、经济发展)
    are rows of the table, one cell spanning its width; other lines are paragraphs."""
    delimiter = DELIMITERS.get(kind)
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    if delimiter == "|":
        # a pipe table written one cell per line is one row a line once the reader has joined its cells
        from perfnlp.documents.tables import line_rows

        lines = ["| " + " | ".join(r.cells) + " |" if r.tabular else r.raw for r in line_rows(lines, "|")]
    is_row = [delimiter is not None and delimiter in line for line in lines]
    in_table = list(is_row)
    for index in range(1, len(lines)):
        if is_row[index - 1] and not is_row[index]:
            end = index
            while end < len(lines) and not is_row[end] and end - index < 3 and len(lines[end].strip()) <= 40:
                end += 1
            if end < len(lines) and is_row[end]:
                in_table[index:end] = [True] * (end - index)
    from perfnlp.documents.tables import header_columns, placed_cells, split_label

    blocks: list[Block] = []
    rows: list[list[str]] = []
    columns = None
    header_at = -2
    for index, line in enumerate(lines):
        if in_table[index]:
            cells = split_row(line, delimiter) if is_row[index] else [line.strip()]
            found = header_columns(cells) if is_row[index] else None
            split = None
            if found is None and columns is not None and index == header_at + 1 and index + 1 < len(lines) \
                    and is_row[index] and is_row[index + 1]:
                split = split_label(columns, cells, split_row(lines[index + 1], delimiter))
            if found is not None:
                columns = found
                header_at = index
            elif split is not None:
                columns = split  # a second header level that splits the label column: written as it stands
            elif columns is not None and is_row[index]:
                # a ragged text row (a sub-row written from the left, a merged cell lost) is written into a
                # format with cells in their columns, where the text reader would have placed it
                cells = placed_cells(cells, columns)
            rows.append(cells)
            continue
        if rows:
            blocks.append(_merged(rows))
            rows = []
        blocks.append(line.strip())
    if rows:
        blocks.append(_merged(rows))
    return blocks


def _merged(rows: list[list[str]]) -> TextTable:
    """The table's cells with spans: equal consecutive cells of a column span rows, a filled cell followed by
    empty cells spans columns (a row of one cell spans the table's width)."""
    rows = [[c.strip() for c in r] for r in rows]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - 1) if len(r) == 1 else r for r in rows]
    covered: set[tuple[int, int]] = set()
    spans: list[Span] = []
    down: dict[tuple[int, int], int] = {}
    for c in range(width):
        r = 0
        while r < len(rows):
            value = rows[r][c] if c < len(rows[r]) else ""
            end = r + 1
            while value and end < len(rows) and c < len(rows[end]) and rows[end][c] == value:
                end += 1
            if end - r > 1:
                down[(r, c)] = end - r
                covered.update((k, c) for k in range(r + 1, end))
            r = end
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if (r, c) in covered:
                c += 1
                continue
            if (r, c) in down:
                spans.append(Span(r, c, rows=down[(r, c)]))
                c += 1
                continue
            end = c + 1
            while row[c] and end < len(row) and not row[end] and (r, end) not in covered and (r, end) not in down:
                end += 1
            spans.append(Span(r, c, columns=end - c))
            c = end
    return TextTable(rows, spans)


def has_table(blocks: list[Block]) -> bool:
    return any(isinstance(b, TextTable) for b in blocks)


def title_of(blocks: list[Block]) -> str:
    return next((b for b in blocks if isinstance(b, str)), "")


def spans_used(blocks: list[Block]) -> tuple[int, int]:
    """How many cells span rows and how many span columns: the merged-cell paths a document exercises."""
    tables = [b for b in blocks if isinstance(b, TextTable)]
    return (sum(1 for t in tables for s in t.spans if s.rows > 1),
            sum(1 for t in tables for s in t.spans if s.columns > 1))


# -------------------------------------------------------------------------------------------- HTML

def to_html(blocks: list[Block], encoding: str = "utf-8") -> bytes:
    def table_html(table: TextTable) -> str:
        by_row: dict[int, list[Span]] = {}
        for s in table.spans:
            by_row.setdefault(s.row, []).append(s)
        out = ['<table border="1" class="data">']
        for r in range(len(table.rows)):
            out.append("<tr>")
            for s in by_row.get(r, []):
                attrs = (f' rowspan="{s.rows}"' if s.rows > 1 else "") + (f' colspan="{s.columns}"' if s.columns > 1 else "")
                out.append(f"<td{attrs}>{html.escape(table.rows[s.row][s.column])}</td>")
            out.append("</tr>")
        out.append("</table>")
        return "\n".join(out)

    body: list[str] = []
    for index, block in enumerate(blocks):
        if isinstance(block, TextTable):
            body.append(table_html(block))
        elif index == 0:
            body.append(f"<h1>{html.escape(block)}</h1>")
        else:
            body.append(f"<p>{html.escape(block)}</p>")
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{encoding}">
<title>{html.escape(title_of(blocks) + " - 政府门户网站" if title_of(blocks) else "")}</title>
<style>table.data td {{ border: 1px solid #999; }}</style>
<script>var banner = "<table><tr><td>脚本里的表格</td><td>不是数据</td></tr></table>";</script>
</head><body>
<table class="layout" width="100%" role="presentation">
<tr><td colspan="2"><table class="nav"><tr><td><a href="/">首页</a></td><td><a href="/gk/">政务公开</a></td><td><a href="/hd/">互动交流</a></td></tr></table></td></tr>
<tr><td class="main">
{chr(10).join(body)}
</td><td class="side"><nav><a href="/a">相关文章</a></nav></td></tr>
</table>
<footer>版权所有 © 2021 某市人民政府办公室 京ICP备05000000号</footer>
</body></html>
"""
    return page.encode(encoding)


# ------------------------------------------------------------------------------------- workbooks

def _sheet_lines(blocks: list[Block]) -> list[tuple[list[str], list[Span]]]:
    """The blocks as sheet rows: a paragraph is a row of one cell, a table its rows (with its spans)."""
    out: list[tuple[list[str], list[Span]]] = []
    for block in blocks:
        if isinstance(block, str):
            out.append(([block], [Span(0, 0)]))
            continue
        by_row: dict[int, list[Span]] = {}
        for s in block.spans:
            by_row.setdefault(s.row, []).append(s)
        for r, row in enumerate(block.rows):
            out.append((row, by_row.get(r, [])))
    return out


def to_xlsx(blocks: list[Block]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "表1"
    base = 0  # sheet row of the current table's first row, 0-based
    for block in blocks:
        if isinstance(block, str):
            sheet.cell(row=base + 1, column=1, value=block)
            base += 1
            continue
        for s in block.spans:
            value = block.rows[s.row][s.column]
            sheet.cell(row=base + s.row + 1, column=s.column + 1, value=value or None)
            if s.rows > 1 or s.columns > 1:
                sheet.merge_cells(start_row=base + s.row + 1, start_column=s.column + 1,
                                  end_row=base + s.row + s.rows, end_column=s.column + s.columns)
        base += len(block.rows)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def to_xls(blocks: list[Block]) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("表1")
    base = 0
    for block in blocks:
        if isinstance(block, str):
            sheet.write(base, 0, block)
            base += 1
            continue
        for s in block.spans:
            value = block.rows[s.row][s.column]
            if s.rows > 1 or s.columns > 1:
                sheet.write_merge(base + s.row, base + s.row + s.rows - 1, s.column, s.column + s.columns - 1, value)
            elif value:
                sheet.write(base + s.row, s.column, value)
        base += len(block.rows)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


# ------------------------------------------------------------------------------------------- docx

def to_docx(blocks: list[Block]) -> bytes:
    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        width = block.width
        table = document.add_table(rows=len(block.rows), cols=width)
        table.style = "Table Grid"
        for s in block.spans:
            cell = table.cell(s.row, s.column)
            if s.rows > 1 or s.columns > 1:
                cell = cell.merge(table.cell(s.row + s.rows - 1, s.column + s.columns - 1))
            cell.text = block.rows[s.row][s.column]
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


# -------------------------------------------------------------------------------------------- PDF

def cjk_font() -> str | None:
    """A font reportlab can write Chinese with: a CJK TrueType font on the machine, else the built-in CID
    font STSong-Light (no file needed; PDF readers map it to Unicode); None when neither works."""
    try:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfbase.ttfonts import TTFont
    except ImportError:
        return None
    for path in ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/arphic/uming.ttc",
                 "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"):
        if Path(path).is_file():
            try:
                pdfmetrics.registerFont(TTFont("CJK", path))
                return "CJK"
            except Exception:
                pass
    try:
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        return "STSong-Light"
    except Exception:
        return None


def to_pdf(blocks: list[Block], font: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    text_style = ParagraphStyle("text", fontName=font, fontSize=10, leading=14, wordWrap="CJK", firstLineIndent=20,
                                spaceAfter=4)
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10.5, wordWrap="CJK")
    page_width = landscape(A4)[0] - 72

    def markup(text: str) -> str:
        return html.escape(text, quote=False)

    story = []
    for block in blocks:
        if isinstance(block, str):
            story.append(Paragraph(markup(block), text_style))
            continue
        width = block.width
        grid = [["" for _ in range(width)] for _ in block.rows]
        commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        for s in block.spans:
            value = block.rows[s.row][s.column]
            grid[s.row][s.column] = Paragraph(markup(value), cell_style) if value else ""
            if s.rows > 1 or s.columns > 1:
                commands.append(("SPAN", (s.column, s.row), (s.column + s.columns - 1, s.row + s.rows - 1)))
        table = Table(grid, colWidths=[page_width / width] * width)
        table.setStyle(TableStyle(commands))
        story.append(table)
    stream = io.BytesIO()
    SimpleDocTemplate(stream, pagesize=landscape(A4), leftMargin=36, rightMargin=36, topMargin=36,
                      bottomMargin=36).build(story)
    return stream.getvalue()
