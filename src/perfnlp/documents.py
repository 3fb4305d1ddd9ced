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

import codecs
import csv
import datetime as dt
import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:  # the lead's module; imported lazily at run time (see Document.context)
    from .periods import Context

__all__ = ["Document", "DocumentError", "Task", "html_to_text", "read_document"]


class DocumentError(ValueError):
    """The input cannot be read as a document (missing, undecodable, malformed)."""


class Task(BaseModel):
    row: int  # 1-based task number in the document (the 序号 where given, else order)
    group: str | None  # task group cell (carried forward over blank/omitted cells)
    target: str  # target text ("" for prose statements)
    progress: str  # progress text
    deadline: str | None = None
    remark: str | None = None
    line: int  # 1-based line number in the source text where the task starts


class Document(BaseModel):
    name: str | None  # file name, or the name= argument
    title: str | None  # the document title (first non-empty heading line, "## " stripped)
    kind: str  # "tsv" | "pipe" | "csv" | "prose" | "xlsx" | "docx"
    tasks: list[Task]

    @property
    def context(self) -> Context:
        # Lazy: periods is written separately and must not be a load-time dependency of this module.
        from .periods import context_from_title

        return context_from_title(self.title or "")


# --------------------------------------------------------------------------------------------- input

_OFFICE_EXTRA = "reading {ext} needs the optional extra: pip install 'perfnlp[office]'"


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
        return _read_xlsx(data, name, label or "input")
    if data is not None and ext == ".docx":
        return _read_docx(data, name, label or "input")
    if text is None:
        assert data is not None
        text = _decode(data, label or "input")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return _read_text(text, name, force_csv=(ext == ".csv"), label=label or "input")


def _decode(data: bytes, label: str) -> str:
    text: str | None = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export: UTF-16 with a BOM.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if text is None or "\x00" in text:
        raise DocumentError(f"cannot decode {label}: not UTF-8, UTF-16 or GB18030/GBK text")
    return text


# ---------------------------------------------------------------------------------------------- HTML

_HTML_HINT = re.compile(
    r"</?[A-Za-z][A-Za-z0-9]{0,15}(?:\s[^<>]*)?/?>"
    r"|&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment; block boundaries become line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Attributes (onerror=, style=, href=) are dropped: only text content is data.
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        # Also called for the content of <script>/<style>: kept as text, on purpose (a cell is data).
        self.parts.append(data)


def _normalize_lines(text: str) -> str:
    """Strip every line and drop the empty ones (the text format of ANNOTATING.md)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(s for s in (line.strip() for line in text.split("\n")) if s)


def html_to_text(fragment: str) -> str:
    """Turn an HTML fragment into plain text (tags removed, entities decoded, blocks on their own lines)."""
    parser = _TextExtractor()
    parser.feed(fragment)
    parser.close()
    return _normalize_lines("".join(parser.parts))


def _cell_text(raw: str) -> str:
    if _HTML_HINT.search(raw):
        return html_to_text(raw)
    return _normalize_lines(raw)


# --------------------------------------------------------------------------------------- header words

_ROWNO_NAMES = frozenset({"序号", "编号", "序", "行号", "No", "No.", "NO", "NO.", "#"})
_GROUP_NAMES = frozenset(
    {"绩效任务", "考评维度", "指标名称", "指标", "类别", "任务类别", "分类", "领域", "维度", "一级指标"}
)
_PROGRESS_WORDS = ("进展", "进度", "落实情况", "完成情况", "执行情况", "实施情况", "推进情况")
_DEADLINE_WORDS = ("截止", "时限", "完成时间", "时间节点", "期限")
_REMARK_WORDS = ("问题", "备注", "说明")
_TARGET_WORDS = ("目标", "任务", "计划", "指标值")
_MAX_HEADER_CELL = 20  # header cells are labels; a longer cell means a data row


def _role_of(key: str) -> str | None:
    """The column a header label names (key: the label without whitespace), or None."""
    if key in _ROWNO_NAMES:
        return "rowno"
    # Group names first: 绩效任务 is a group although it holds 任务.
    if key in _GROUP_NAMES or key.endswith(("维度", "类别")):
        return "group"
    # Progress before target: 目标完成情况 reports progress.
    if any(w in key for w in _PROGRESS_WORDS):
        return "progress"
    if any(w in key for w in _DEADLINE_WORDS):
        return "deadline"
    if any(w in key for w in _REMARK_WORDS):
        return "remark"
    if any(w in key for w in _TARGET_WORDS):
        return "target"
    return None


def _header_key(cell: str) -> str:
    return "".join(_cell_text(cell).split()).strip("*:：")


def _header_roles(cells: Sequence[str]) -> dict[int, str] | None:
    """Column index → role when the row is a header row, else None."""
    roles: dict[int, str] = {}
    labels = 0
    for index, cell in enumerate(cells):
        key = _header_key(cell)
        if not key:
            continue
        labels += 1
        if len(key) > _MAX_HEADER_CELL:
            return None
        role = _role_of(key)
        if role is not None and role not in roles.values():
            roles[index] = role
    found = set(roles.values())
    if len(roles) < 2 or not found & {"target", "progress"} or 2 * len(roles) < labels:
        return None
    if "target" not in found and "group" in found:
        # "绩效任务 | 进展情况": the only task column holds the task itself.
        roles = {i: ("target" if r == "group" else r) for i, r in roles.items()}
    return roles


# ------------------------------------------------------------------------------------------ tables

@dataclass
class _Row:
    line: int  # 1-based line (or sheet row) where the row starts
    cells: list[str]  # raw cells
    tabular: bool  # False: a line without the delimiter (one cell)


_SEPARATOR = re.compile(r"[-—=_:：.·*~+\s]+")
_ITEM = re.compile(r"\s*(?:\d{1,3}\s*[.、．)）]|[（(]\s*\d{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}\s*、)")
_FIRST_ITEM = re.compile(r"\s*(?:1\s*[.、．)）]|[（(]\s*1\s*[)）]|一\s*、)")
_GROUP_LABEL_MAX = 40  # longer first cells are not group labels
_SENTENCE_MARKS = frozenset("，。；,;")


def _is_separator(cells: Sequence[str]) -> bool:
    filled = [c for c in cells if c.strip()]
    return bool(filled) and all(_SEPARATOR.fullmatch(c) for c in filled)


def _split_pipe(line: str) -> list[str]:
    # "\|" is an escaped pipe inside a cell (markdown); keep it as "|".
    parts = line.replace("\\|", "\x00").split("|")
    stripped = line.strip()
    if stripped.startswith("|"):
        parts = parts[1:]
    if stripped.endswith("|") and parts:
        parts = parts[:-1]  # "a | b |": the cell after the closing pipe does not exist
    return [p.replace("\x00", "|").strip() for p in parts]


def _split(line: str, delimiter: str) -> list[str]:
    if delimiter == "|":
        return _split_pipe(line)
    if delimiter == ",":
        return next(csv.reader([line]), [])
    return line.split(delimiter)


def _line_rows(lines: Sequence[str], delimiter: str) -> list[_Row]:
    return [
        _Row(number, _split(line, delimiter), True) if delimiter in line else _Row(number, [line], False)
        for number, line in enumerate(lines, 1)
    ]


def _csv_rows(text: str) -> list[_Row]:
    """Rows of a CSV text; quoted cells may span lines, so the csv module tracks line numbers."""
    reader = csv.reader(io.StringIO(text))
    rows: list[_Row] = []
    consumed = 0
    try:
        for cells in reader:
            rows.append(_Row(consumed + 1, cells or [""], len(cells) > 1))
            consumed = reader.line_num
    except csv.Error as exc:
        raise DocumentError(f"malformed CSV near line {reader.line_num}: {exc}") from None
    return rows


def _clean_title(cells: Iterable[str]) -> str | None:
    parts = [_cell_text(c) for c in cells]
    title = " ".join(p.replace("\n", " ") for p in parts if p)
    title = title.lstrip("#").strip()
    return title or None


def _shift_width(cells: Sequence[str], columns: dict[int, str], direct: dict[str, str]) -> int:
    """How many leading (group) columns a row omits: 0 for a row written in place."""
    width = 0
    while columns.get(width) == "group":
        width += 1
    if width == 0:
        return 0
    filled = 0
    while filled < len(cells) and cells[filled]:
        filled += 1
    if filled < 2 or any(cells[filled:]) or filled > max(columns):
        return 0  # not a prefix, a group-only row, or the last header column is filled
    if not direct.get("target") or not direct.get("progress"):
        return width  # read in place it would lack its target or progress
    first = cells[0]
    if len(first) > _GROUP_LABEL_MAX or any(ch in _SENTENCE_MARKS for ch in first):
        return width  # a sentence where the group label should be
    return 0


def _block_task(block: Sequence[_Row]) -> tuple[str | None, str, str, int] | None:
    """(group, target, progress, line) of a plain-line block inside a table, or None."""
    runs: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for row in block:
        text = _cell_text(row.cells[0])
        if not text or _is_separator([text]):
            if current:
                runs.append(current)
                current = []
            continue
        current.extend((row.line, t) for t in text.split("\n"))
    if current:
        runs.append(current)
    if not runs:
        return None
    heading: tuple[int, str] | None = None
    first = runs[0]
    if not _ITEM.match(first[0][1]) and (len(first) > 1 or len(runs) > 1):
        heading = first[0]
        runs = [first[1:], *runs[1:]] if len(first) > 1 else runs[1:]
    if len(runs) >= 2:
        target_lines, progress_lines = runs[0], [item for run in runs[1:] for item in run]
    elif len(runs) == 1:
        items = runs[0]
        restart = next((k for k in range(1, len(items)) if _FIRST_ITEM.match(items[k][1])), None)
        if restart is None:
            return None
        target_lines, progress_lines = items[:restart], items[restart:]
    else:
        return None
    start = heading[0] if heading else target_lines[0][0]
    return (
        heading[1] if heading else None,
        "\n".join(t for _, t in target_lines),
        "\n".join(t for _, t in progress_lines),
        start,
    )


def _table_tasks(rows: Sequence[_Row], first: int = 1) -> tuple[str | None, list[Task]] | None:
    """(title, tasks) of a table, or None when no header row is found; unnumbered tasks count from `first`."""
    columns: dict[int, str] | None = None
    title: str | None = None
    group: str | None = None
    tasks: list[Task] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        roles = _header_roles(row.cells) if row.tabular else None
        if roles is not None:
            columns = roles  # the first header, or one repeated at a page break
            index += 1
            continue
        if columns is None:
            if title is None:
                title = _clean_title(row.cells)
            index += 1
            continue
        if not row.tabular:
            end = index
            while end < len(rows) and not rows[end].tabular:
                end += 1
            found = _block_task(rows[index:end])
            if found is not None:
                heading, target, progress, line = found
                group = heading or group
                tasks.append(Task(row=first + len(tasks), group=group, target=target,
                                  progress=progress, line=line))
            index = end
            continue
        index += 1
        cells = [_cell_text(c) for c in row.cells]
        if not any(cells) or _is_separator(cells):
            continue
        direct = {role: (cells[i] if i < len(cells) else "") for i, role in columns.items()}
        width = _shift_width(cells, columns, direct)
        values = direct
        if width:
            values = {role: (cells[i - width] if 0 <= i - width < len(cells) else "")
                      for i, role in columns.items() if i >= width}
        if values.get("group"):
            group = values["group"]
        target, progress = values.get("target", ""), values.get("progress", "")
        if not target and not progress:
            continue  # a group-only row: it only starts a group
        number = values.get("rowno", "")
        tasks.append(Task(
            row=int(number) if number.isascii() and number.isdigit() else first + len(tasks),
            group=group,
            target=target,
            progress=progress,
            deadline=values.get("deadline") or None,
            remark=values.get("remark") or None,
            line=row.line,
        ))
    if columns is None:
        return None
    return title, tasks


# -------------------------------------------------------------------------------------------- prose

_STATEMENT = re.compile(
    r"(?:完成|占|达到|达)了?(?:年度|全年|年初|总|全年度)?(?:目标|任务|计划)(?:任务|量|数)?的?"
    r"\s?\d{1,6}(?:\.\d{1,4})?\s?[%％]"
)
_SENTENCE_END = "。；;！？!?"
_CLAUSE_END = ",，"
_DIGIT = re.compile(r"[0-9０-９]")
_HEADING_MAX = 40


def _is_heading(line: str) -> bool:
    text = line.strip()
    return (
        0 < len(text) <= _HEADING_MAX
        and not any(ch in text for ch in "。；;")
        and not text.endswith((":", "：", ",", "，", "、"))
    )


def _statement_start(line: str, at: int) -> int:
    """Start of the nearest clause at or before `at`, within its sentence, that holds a figure."""
    sentence = max(line.rfind(ch, 0, at) for ch in _SENTENCE_END) + 1
    starts = [sentence] + [k + 1 for k in range(sentence, at) if line[k] in _CLAUSE_END]
    ends = [s - 1 for s in starts[1:]] + [at]
    for start, end in zip(reversed(starts), reversed(ends)):
        if _DIGIT.search(line, start, end):
            return start
    return starts[-1]


def _prose_tasks(lines: Sequence[str]) -> list[Task]:
    tasks: list[Task] = []
    group: str | None = None
    for number, line in enumerate(lines, 1):
        matches = list(_STATEMENT.finditer(line))
        if not matches and _is_heading(line):  # a short statement line is still a statement
            group = line.strip()
            continue
        for match in matches:
            start = _statement_start(line, match.start())
            progress = line[start:match.end()].strip()
            tasks.append(Task(row=len(tasks) + 1, group=group, target="", progress=progress,
                              line=number))
    return tasks


def _first_line(lines: Iterable[str]) -> str | None:
    return next((_clean_title([s]) for s in lines if s.strip()), None)


# --------------------------------------------------------------------------------------------- text

_KINDS = {"\t": "tsv", "|": "pipe", ",": "csv"}


def _sniff_delimiter(lines: Sequence[str]) -> str | None:
    for line in lines:
        for delimiter in _KINDS:
            if delimiter in line and _header_roles(_split(line, delimiter)) is not None:
                return delimiter
    return None


def _read_text(text: str, name: str | None, *, force_csv: bool, label: str) -> Document:
    lines = text.split("\n")
    delimiter = "," if force_csv else _sniff_delimiter(lines)
    if delimiter is not None:
        rows = _csv_rows(text) if delimiter == "," else _line_rows(lines, delimiter)
        table = _table_tasks(rows)
        if table is not None:
            title, tasks = table
            return Document(name=name, title=title, kind=_KINDS[delimiter], tasks=tasks)
        raise DocumentError(
            f"{label}: no header row naming the target or progress column (年度目标, 进展情况 …)"
        )
    return Document(name=name, title=_first_line(lines), kind="prose", tasks=_prose_tasks(lines))


# ------------------------------------------------------------------------------------------- office

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


def _read_xlsx(data: bytes, name: str | None, label: str) -> Document:
    try:
        import openpyxl
    except ImportError:
        raise ImportError(_OFFICE_EXTRA.format(ext=".xlsx")) from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise DocumentError(f"cannot read {label}: not a valid .xlsx file ({type(exc).__name__})") from None
    title: str | None = None
    tasks: list[Task] = []
    has_header = False
    try:
        for sheet in book.worksheets:
            rows = [
                _Row(number, [_excel_text(v) for v in values], True)
                for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
            ]
            table = _table_tasks(rows, first=len(tasks) + 1)
            if table is None:
                continue  # a sheet of notes or charts
            has_header = True
            title = title or table[0]
            tasks.extend(table[1])
    finally:
        book.close()
    if not has_header:
        raise DocumentError(
            f"{label}: no sheet has a header row naming the target or progress column (年度目标, 进展情况 …)"
        )
    return Document(name=name, title=title, kind="xlsx", tasks=tasks)


def _read_docx(data: bytes, name: str | None, label: str) -> Document:
    try:
        import docx
    except ImportError:
        raise ImportError(_OFFICE_EXTRA.format(ext=".docx")) from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a broken file
        raise DocumentError(f"cannot read {label}: not a valid .docx file ({type(exc).__name__})") from None
    paragraphs = [p.text for p in document.paragraphs]
    rows: list[_Row] = []
    for table in document.tables:
        for row in table.rows:
            cells: list[str] = []
            seen: list[Any] = []
            for cell in row.cells:
                # A cell spanning columns is repeated by python-docx: keep its text once.
                cells.append("" if any(cell._tc is s for s in seen) else cell.text)
                seen.append(cell._tc)
            rows.append(_Row(len(rows) + 1, cells, True))
    table_read = _table_tasks(rows)
    if table_read is not None:
        title, tasks = table_read
        return Document(name=name, title=_first_line(paragraphs) or title, kind="docx", tasks=tasks)
    return Document(name=name, title=_first_line(paragraphs), kind="prose", tasks=_prose_tasks(paragraphs))
