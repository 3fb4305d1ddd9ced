"""Tables: which rows are headers, what each column means, and the task each data row holds.

What is guessed, and how:

* Columns by meaning: each header cell is read against data/columns.tsv (target, progress, completion rate,
  metric, group, unit, responsible unit, deadline, score, remark …); the words decide, not the position.
  A header row is a row of short labels that names at least two roles, one of them a target, progress or
  rate column, and no figure outside brackets or time words (2015年目标, 1-8月进展情况, 得分(20分)).
* A header cell left blank continues the one to its left (a cell spanning two columns, written once); a
  blank first cell is an unnamed group column. A first cell that repeats a role named later in the same
  header is the block's label (预算执行情况(万元), 年度绩效目标(80分)): a metric column, or a group column
  when the header has a metric of its own.
* Two header rows: a row of labels right under the header, below value columns (绝对值 | 增速(%)), is a
  second level; a column's header is then "2015年目标/增速(%)".
* Units of bare values: from the column's header ((万元), (个), %), else the row's unit cell (单位), else
  the table's caption or unit line (单位:亿元、% — % goes to rate columns, a count word to count columns,
  the rest to value columns), else the label of the header block (项目资金(万元)). Each Cell says where its
  unit came from.
* A header further down replaces the columns (self-evaluation tables have a budget block and an indicator
  block, each with its own header); a header repeated at a page break is re-read, not taken as a task.
* Rows: a row that fills only group cells starts a group and is no task; a row with no target, progress or
  rate cell is no task (指标2, ……). A row with fewer cells than the header (a sub-row under one 序号, a merged
  序号 cell, a lost merged cell) is read onto the columns that carry the task, in order: target, progress,
  rate and remark columns (one more cell than those is the row's label); when the table's first column is
  the group, a row written one column left is read as such (see `_shift_width`).
* Two rows that are one: a pipe row broken after its first cell (a label line, then a line opening with
  "|"); a standard written with its figure in brackets (农村标准(760元/月)) and the sub-row that reports on
  it below (农村保障人次 | 83342 | 持续推进中). A label column split by a second header row (行业类别 over
  三次产业 | 行业) is that many label columns.
* Several progress columns written for periods (1-10月推进情况 | 1-11月推进情况): the latest is the progress.
* Texts: a task's target is its target cells joined by the table's delimiter, its progress its progress and
  rate cells; `Task.cells` says which part of the text each cell is.
* Plain lines inside a table (a block of lines without the delimiter) are one task when they read as
  numbered target lines and numbered progress lines (see `_block_task`); otherwise they are prose.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from ..reading.numerals import MULTIPLIERS
from ..reading.units import unit_at
from ..reading.numerals import CN_DIGIT_CHARS, CN_SMALL_UNITS
from ..text.lexicon import alternatives, rows as data_rows, words
from ..text.normalize import fold
from .html import cell_text
from .model import Cell, DocumentError, Task

# ------------------------------------------------------------------------------------------ header words

NUMERALS = CN_DIGIT_CHARS + "".join(CN_SMALL_UNITS)  # what a list or row number (一、 十二) is written with


def table_words(kind: str) -> str:
    """The words of data/table_words.tsv of one kind, as alternatives of a pattern."""
    return alternatives("table_words.tsv", kind)


_MAX_HEADER_CELL = 20  # header cells are labels; a longer cell means a data row
_VALUE_ROLES = frozenset({"target", "progress", "rate"})
_TASK_ROLES = ("target", "progress", "rate", "remark")  # the columns a short row is read onto, in order
_NOT_IN_HEADER = re.compile(
    r"[(（][^()（）]{0,24}[)）]"                                   # (万元), (20分), (B/A)
    r"|(?:19|20)[0-9]{2}\s?年度?|[0-9]{1,2}\s?[-—~至到]\s?[0-9]{1,2}\s?月|[0-9]{1,2}\s?月"
    rf"|[{NUMERALS}1-4](?:{table_words('quarter')})"
    r"|(?<=[目指]标)[0-9](?=(?:[(（][^()（）]{0,24}[)）])?$)"         # 年度绩效目标1, 指标1, 年度绩效目标1(80分)
)
_TRAILING_UNIT = re.compile(r"(?:[(（]([^()（）]{1,8})[)）]|(%|％|‰))\s*$")
_UNIT_LINE = re.compile(rf"^\s*[(（]?\s*(?:{table_words('unit_label')})\s*[:：]\s*([^()（）\n]{{1,30}}?)\s*[)）]?\s*$")
_KEY_DROP = re.compile(r"[\s*:：]")


@cache
def _column_words() -> tuple[tuple[str, str, str], ...]:
    ordered = [(r[1], r[2], r[0]) for r in data_rows("columns.tsv")]
    exact = [w for w in ordered if w[0] == "exact"]
    return tuple(exact + [w for w in ordered if w[0] != "exact"])


def header_key(cell: str) -> str:
    """A header label without spaces, "*", ":" and a trailing unit: 全年任务目标(个) → 全年任务目标."""
    key = _KEY_DROP.sub("", fold(cell_text(cell)))
    while True:
        m = _TRAILING_UNIT.search(key)
        if m is None or m.start() == 0:
            return key
        key = key[:m.start()]


def column_role(cell: str) -> str | None:
    """The role a header cell names (data/columns.tsv), or None."""
    key = header_key(cell)
    if not key:
        return None
    for match, word, role in _column_words():
        if (match == "exact" and key == word) or (match == "prefix" and key.startswith(word)) \
                or (match == "contains" and word in key):
            return role
    return None


def header_unit(cell: str) -> str | None:
    """The unit a header writes after its words: 计划投资额(万元) → 万元, 完成比例% → %, 增速(%) → %."""
    text = _KEY_DROP.sub("", fold(cell_text(cell)))
    found = None
    for m in re.finditer(r"[(（]([^()（）]{1,8})[)）]|(%|％|‰)", text):
        unit = m.group(1) or m.group(2)
        if _is_unit_label(unit):
            found = unit
    return _plain_unit(found) if found else None


def _plain_unit(unit: str) -> str:
    return "%" if unit == "％" or unit in words("table_words.tsv", "percent_word") else unit


def _is_unit_label(text: str) -> bool:
    """万元, 亿元, 个, %, 人, 亿美元, 万吨标准煤: a unit, perhaps after a multiplier."""
    text = _plain_unit(fold(text).strip())
    if text in ("%", "‰"):
        return True
    for multiplier in sorted(MULTIPLIERS, key=len, reverse=True):
        if text.startswith(multiplier) and len(text) > len(multiplier):
            text = text[len(multiplier):]
            break
    unit = unit_at(text, 0)
    return unit is not None and unit.end == len(text)


def is_label(cell: str) -> bool:
    """A short label with no figure outside brackets and time words: a header cell can be one."""
    key = _KEY_DROP.sub("", cell)
    return bool(key) and len(key) <= _MAX_HEADER_CELL and not re.search(r"[0-9]", _NOT_IN_HEADER.sub("", key))


@dataclass
class Column:
    index: int
    role: str | None
    header: str                    # the label as written (levels joined by "/")
    unit: str | None = None        # unit from the header itself
    inherited: bool = False        # a blank header cell continuing the one to its left


def header_columns(cells: Sequence[str]) -> list[Column] | None:
    """The columns a header row names, or None when the row is no header."""
    texts = [cell_text(c) for c in cells]
    labels = [t for t in texts if _KEY_DROP.sub("", t)]
    if len(labels) < 2 or not all(is_label(t) for t in labels):
        return None
    columns: list[Column] = []
    for index, text in enumerate(texts):
        if _KEY_DROP.sub("", text):
            columns.append(Column(index, column_role(text), text.replace("\n", ""), header_unit(text)))
        elif columns:
            left = columns[-1]
            columns.append(Column(index, left.role, left.header, left.unit, inherited=True))
        else:
            columns.append(Column(index, "group", "", None, inherited=True))  # an unnamed first column
    named = [c for c in columns if c.role is not None and not c.inherited]
    roles = {c.role for c in named}
    if len(roles) < 2 or not roles & _VALUE_ROLES or 2 * len(named) < len(labels):
        return None
    first = columns[0]
    if not first.inherited and first.role is not None and any(c.role == first.role for c in named[1:]):
        # 预算执行情况(万元) | 预算数 | 执行数: the first cell labels the block and its rows
        label_role = "group" if "metric" in roles else "metric"
        for c in columns:
            if c.index == 0 or (c.inherited and c.header == first.header):
                c.role = label_role
    if not {c.role for c in columns} & {"target"}:
        # "绩效任务 | 进展情况", "实事项目名称 | 完成情况": the only task column holds the task itself
        for source in ("metric", "group"):
            found = [c for c in columns if c.role == source and c.header]
            if found:
                for c in columns:
                    if c.role == source and c.header == found[0].header:
                        c.role = "target"
                break
    return columns


def _sub_header(columns: list[Column], cells: Sequence[str]) -> list[Column] | None:
    """A second header level right under the first (绝对值 | 增速(%) under 2015年目标), or None."""
    texts = [cell_text(c) for c in cells]
    if columns and len(texts) > len(columns):
        # the last header cell spans the columns after it (written once, the blanks after it not written)
        last = columns[-1]
        columns = list(columns) + [Column(i, last.role, last.header, last.unit, inherited=True)
                                   for i in range(len(columns), len(texts))]
    # a header cell spanning both levels (指标名称) is repeated below it by formats that expand spans
    texts = [("" if i < len(columns) and t.replace("\n", "") == columns[i].header else t) for i, t in enumerate(texts)]
    filled = [(i, t) for i, t in enumerate(texts) if t.strip()]
    if len(filled) < 2 or not all(is_label(t) for _, t in filled):
        return None
    if not all(i < len(columns) and columns[i].role in _VALUE_ROLES for i, _ in filled):
        return None
    if not any(columns[i].inherited for i, _ in filled):
        return None  # a second level splits a header cell that spans columns
    out = []
    for c in columns:
        sub = texts[c.index].strip() if c.index < len(texts) else ""
        if sub:
            out.append(Column(c.index, c.role, f"{c.header}/{sub.replace(chr(10), '')}",
                              header_unit(sub) or c.unit))
        else:
            out.append(c)
    return out


_LABEL_ROLES = ("group", "metric")


def split_label(columns: list[Column], cells: Sequence[str], following: Sequence[str]) -> list[Column] | None:
    """The label column split in two by a second header level (行业类别 over 三次产业 | 行业, the data rows one
    cell longer than the header): its labels name the levels of the label, the coarser ones groups, the last
    the row's own name; the value columns move right. None when the row is no such split."""
    texts = [cell_text(c).strip() for c in cells]
    width = 0
    while width < len(texts) and texts[width]:
        width += 1
    if width < 2 or any(texts[width:]) or not columns or columns[0].role not in _LABEL_ROLES:
        return None
    if not all(is_label(t) and column_role(t) is None for t in texts[:width]):
        return None  # labels of their own, not names of roles (a header repeated is no second level)
    if any(c.inherited for c in columns[1:width]) or any(c.role in _LABEL_ROLES for c in columns[1:width]):
        return None  # a header cell spanning the columns below (read by _sub_header), or labels in place
    below = [cell_text(c).strip() for c in following]
    if len(below) < width or re.search(r"[0-9]", below[width - 1]) or not below[width - 1]:
        return None  # the first data row writes a label, not a value, under the last level
    shift = width - 1
    out = [Column(k, "group" if k < shift else "metric", f"{columns[0].header}/{texts[k]}", None)
           for k in range(width)]
    out += [Column(c.index + shift, c.role, c.header, c.unit, c.inherited) for c in columns[1:]]
    while len(out) > len(below) and out[-1].inherited:
        out.pop()  # a blank cell closing the header (| |) is no column once the label takes its place
    return out


# ----------------------------------------------------------------------------------------------- rows

@dataclass
class Row:
    line: int  # 1-based line (or sheet row) where the row starts
    cells: list[str]  # raw cells
    tabular: bool  # False: a line without the delimiter (one cell)
    raw: str = ""  # the line as written, for text tables


_SEPARATOR = re.compile(r"[-—=_:：.·*~+\s]+")
_ITEM = re.compile(rf"\s*(?:\d{{1,3}}\s*[.、．)）]|[（(]\s*\d{{1,3}}\s*[)）]|[{NUMERALS}]{{1,3}}\s*、)")
_FIRST_ITEM = re.compile(r"\s*(?:1\s*[.、．)）]|[（(]\s*1\s*[)）]|一\s*、)")
_ROW_NUMBER = re.compile(rf"\s*(?:[0-9]{{1,4}}|[{NUMERALS}]{{1,3}})\s*[.、]?\s*")
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


def split(line: str, delimiter: str) -> list[str]:
    if delimiter == "|":
        return _split_pipe(line)
    if delimiter == ",":
        return next(csv.reader([line]), [])
    return line.split(delimiter)


def line_rows(lines: Sequence[str], delimiter: str) -> list[Row]:
    rows = [
        Row(number, split(line, delimiter), True, line) if delimiter in line else Row(number, [line], False, line)
        for number, line in enumerate(lines, 1)
    ]
    return _join_broken_rows(_join_cell_lines(rows)) if delimiter == "|" else rows


def _join_broken_rows(rows: list[Row]) -> list[Row]:
    """A pipe row broken after its first cell ("成本指标" on a line, then "| 省级宣传片制作费… | 200万 | …"): a
    short label line between table rows, right before a line that opens with the delimiter, is that row's
    first cell."""
    out: list[Row] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        following = rows[index + 1] if index + 1 < len(rows) else None
        text = row.cells[0].strip() if row.cells else ""
        if not row.tabular and out and out[-1].tabular and following is not None and following.tabular \
                and following.raw.lstrip().startswith("|") \
                and is_label(text) and not re.search(r"[0-9]", text):
            out.append(Row(row.line, [text, *following.cells], True, f"{row.raw} {following.raw}"))
            index += 2
            continue
        out.append(row)
        index += 1
    return out


_ONE_CELL = re.compile(r"^[^|]*\|\s*\|?\s*$")


def _join_cell_lines(rows: list[Row]) -> list[Row]:
    """A pipe table written one cell per line ("序号 |", "主要任务 |" … "24 |" … "||"): the header runs up to
    the first row number, each row from its number to a line holding only "|" or "||" (or the next number)."""
    out: list[Row] = []
    index = 0
    while index < len(rows):
        run_end = index
        while run_end < len(rows) and rows[run_end].tabular and len(rows[run_end].cells) <= 1 \
                and _ONE_CELL.match(_raw(rows[run_end])):
            run_end += 1
        if run_end - index < 6:
            out.append(rows[index])
            index += 1
            continue
        run = rows[index:run_end]
        cells = [r.cells[0].strip() if r.cells else "" for r in run]
        first_number = next((k for k, c in enumerate(cells) if re.fullmatch(r"[0-9]{1,4}", c)), None)
        if first_number is None or first_number < 2:
            out.extend(run)
            index = run_end
            continue
        out.append(Row(run[0].line, cells[:first_number], True))
        current: list[str] = []
        start_line = run[first_number].line
        for k in range(first_number, len(run)):
            raw = _raw(run[k]).strip()
            cell = cells[k]
            terminator = raw in ("|", "||") or (not cell and raw.endswith("||"))
            if terminator:
                if raw == "||" and current:
                    current.append("")
                if current:
                    out.append(Row(start_line, current, True))
                current = []
                continue
            if not current:
                start_line = run[k].line
            current.append(cell)
        if current:
            out.append(Row(start_line, current, True))
        index = run_end
    return out


def _raw(row: Row) -> str:
    return row.raw or (" | ".join(row.cells) + " |" if row.cells else "|")


def csv_rows(text: str) -> list[Row]:
    """Rows of a CSV text; quoted cells may span lines, so the csv module tracks line numbers."""
    reader = csv.reader(io.StringIO(text))
    rows: list[Row] = []
    consumed = 0
    try:
        for cells in reader:
            rows.append(Row(consumed + 1, cells or [""], len(cells) > 1))
            consumed = reader.line_num
    except csv.Error as exc:
        raise DocumentError(f"malformed CSV near line {reader.line_num}: {exc}") from None
    return rows


def clean_title(cells: Iterable[str]) -> str | None:
    parts = [cell_text(c) for c in cells]
    title = " ".join(p.replace("\n", " ") for p in parts if p)
    title = title.lstrip("#").strip()
    return title or None


# ----------------------------------------------------------------------------------------------- units

@dataclass
class _Units:
    """Units the table writes outside its columns: the caption's unit line and a header block's label."""

    caption: list[str] = field(default_factory=list)   # 单位:亿元、% → ["亿元", "%"]
    label: str | None = None                           # 项目资金(万元) → 万元

    def for_column(self, column: Column) -> tuple[str | None, str | None]:
        if column.unit:
            return column.unit, "header"
        if self.caption:
            if column.role == "rate":
                return ("%", "caption") if "%" in self.caption else (None, None)
            if column.role == "count":
                counts = [u for u in self.caption if _is_count(u)]
                return (counts[0], "caption") if counts else (None, None)
            values = [u for u in self.caption if u != "%" and not _is_count(u)] or \
                [u for u in self.caption if u != "%"]
            if values:
                return values[0], "caption"
        if self.label and column.role in ("target", "progress"):
            return self.label, "label"
        if column.role == "rate":
            return "%", "header"  # a completion rate is a percentage even when the % is not written
        return None, None


def _is_count(unit: str) -> bool:
    found = unit_at(unit, 0)
    return found is not None and found.dimension.startswith("count")


def unit_line(text: str) -> list[str] | None:
    """单位:亿元、% → ["亿元", "%"]; None when the text is no unit line."""
    m = _UNIT_LINE.match(fold(cell_text(text)))
    if m is None:
        return None
    units = [_plain_unit(u.strip()) for u in re.split(r"[、,，/;；\s]+", m.group(1)) if u.strip()]
    return units if units and all(_is_unit_label(u) for u in units) else None


# ----------------------------------------------------------------------------------------------- tasks

_SCORE = re.compile(r"\s*[0-9]{1,3}(?:\.[0-9]{1,2})?\s*")


def _shift_width(cells: Sequence[str], columns: Sequence[Column], direct: dict[str, str]) -> int:
    """How many leading (group) columns a row omits: 0 for a row written in place."""
    width = 0
    while width < len(columns) and columns[width].role == "group":
        width += 1
    if width == 0:
        return 0
    filled = 0
    while filled < len(cells) and cells[filled]:
        filled += 1
    if filled < 2 or any(cells[filled:]) or filled >= len(columns):
        return 0  # not a prefix, a group-only row, or the last header column is filled
    named = len(columns)
    while named and columns[named - 1].inherited:
        named -= 1  # the blank header cells at its end (| |||) carry the last name on, no column of their own
    if 0 < named - filled < width and columns[named - 1].role == "score" and _SCORE.fullmatch(cells[filled - 1]):
        # 质量指标 | 通过专家评审 | 通过 | 通过 | 10 under 一级指标 | 二级指标 | 三级指标 | 目标值 | 完成值 | 得分: the
        # cells merged down from the rows above are left out at the start, the row ends under the last column
        return named - filled
    if not direct.get("target") or not direct.get("progress"):
        return width  # read in place it would lack its target or progress
    first = cells[0]
    if len(first) > _GROUP_LABEL_MAX or any(ch in _SENTENCE_MARKS for ch in first):
        return width  # a sentence where the group label should be
    return 0


def _block_task(block: Sequence[Row]) -> tuple[str | None, str, str, int] | None:
    """(group, target, progress, line) of a plain-line block inside a table, or None: an optional heading,
    then numbered target lines and numbered progress lines (split by a blank line, or where the numbering
    starts again at 1)."""
    runs: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for row in block:
        text = cell_text(row.cells[0]) if row.cells else ""
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
    runs = [r for r in runs if r]
    if not runs or not all(_ITEM.match(t) for run in runs for _, t in run[:1]):
        return None  # paragraphs of prose, not numbered target and progress lines
    if len(runs) >= 2:
        target_lines, progress_lines = runs[0], [item for run in runs[1:] for item in run]
    else:
        items = runs[0]
        restart = next((k for k in range(1, len(items)) if _FIRST_ITEM.match(items[k][1])), None)
        if restart is None:
            return None
        target_lines, progress_lines = items[:restart], items[restart:]
    start = heading[0] if heading else target_lines[0][0]
    return (
        heading[1] if heading else None,
        "\n".join(t for _, t in target_lines),
        "\n".join(t for _, t in progress_lines),
        start,
    )


_DATED_HEADER = re.compile(rf"([0-9]{{1,2}})\s?月(?:{table_words('month_suffix')})?")
_PERIOD_HEAD = re.compile(rf"^[0-9{NUMERALS}\s\-—~至到]*")


def _latest_progress(columns: Sequence[Column]) -> set[int]:
    """Progress columns written for periods (1-10月推进情况, 1-11月推进情况): all but the latest, to drop."""
    dated: dict[str, list[tuple[int, int]]] = {}
    for c in columns:
        if c.role == "progress" and not c.inherited:
            m = _DATED_HEADER.search(c.header)
            if m:
                # the same report for two periods: the header is the same once its period is taken out
                words = fold(c.header[:m.start()] + c.header[m.end():])
                words = _PERIOD_HEAD.sub("", words)
                dated.setdefault(words, []).append((int(m.group(1)), c.index))
    drop: set[int] = set()
    for found in dated.values():
        if len(found) >= 2:
            latest = max(found)[1]
            drop.update(index for _, index in found if index != latest)
    return drop


@dataclass
class _Table:
    """The reading state of one table while its rows are read."""

    columns: list[Column]
    units: _Units
    dropped: set[int]


def _place(cells: list[str], columns: Sequence[Column]) -> list[str]:
    """The cells of a short row written onto the columns that carry the task (see the module docstring)."""
    filled = list(cells)
    while filled and not filled[-1]:
        filled.pop()
    first = filled[0] if filled else ""
    numbered = columns[0].role == "rowno" if columns else False
    if len(cells) >= len(columns) and not (numbered and first and not _ROW_NUMBER.fullmatch(first)
                                           and len(filled) < len(columns)):
        return cells  # a full row, unless it is a sub-row (no 序号, cells written from the left)
    if not cells or not cells[0]:
        return cells  # a row that starts blank stands in its columns; only its last cells are missing
    if numbered and _ROW_NUMBER.fullmatch(first or "x"):
        # numbered but short: a merged cell lost (主要任务 | 全年目标任务 written once)
        roles = [c.role for c in columns]
        for k in range(1, len(columns)):
            if roles[k] == roles[k - 1] and roles[k] in ("target", "progress") and not columns[k].inherited \
                    and (len(cells) == len(columns) - 1 or (roles[k] == "target" and len(cells) < len(columns))):
                # two target columns merged, its last cells perhaps missing too (a row cut at the page's end)
                return cells[:k] + [""] + cells[k:]
        return cells
    task_columns = [c.index for c in columns if c.role in _TASK_ROLES]
    if not task_columns:
        return cells
    placed = [""] * len(columns)
    values = filled
    if len(values) == len(task_columns) + 1:
        label = next((c.index for c in columns if c.role in ("metric", "group") and not c.inherited), None)
        if label is not None:
            placed[label] = values[0]
        values = values[1:]
    if len(values) > len(task_columns):
        return cells
    for index, value in zip(task_columns, values):
        placed[index] = value
    return placed


def table_tasks(rows: Sequence[Row], first: int = 1, *, caption: Sequence[str] = (),
                joiner: str = "\t") -> tuple[str | None, list[Task], list[Row]] | None:
    """(title, tasks, prose rows) of a table, or None when no header row is found. Tasks are numbered from
    `first`; `caption` is the text written just before the table (a unit line there applies to it);
    `joiner` joins a row's cells into its texts; prose rows are plain lines that are no table task."""
    table: _Table | None = None
    title: str | None = None
    group: str | None = None
    label: str | None = None  # the last metric cell: a blank one below continues it
    tasks: list[Task] = []
    prose: list[Row] = []
    caption_units: list[str] = []
    for text in caption:
        caption_units = unit_line(text) or caption_units
    index = 0
    while index < len(rows):
        row = rows[index]
        columns = header_columns(row.cells) if row.tabular else None
        if columns is not None:
            label_unit = header_unit(row.cells[0]) if columns[0].role in ("group", "metric") else None
            table = _Table(columns, _Units(caption_units, label_unit), _latest_progress(columns))
            index += 1
            if index < len(rows) and rows[index].tabular:
                sub = _sub_header(table.columns, rows[index].cells)
                group, label = None, None  # a new header starts new groups
                if sub is None and index + 1 < len(rows) and rows[index + 1].tabular:
                    sub = split_label(table.columns, rows[index].cells, rows[index + 1].cells)
                if sub is not None:
                    table.columns = sub
                    index += 1
            continue
        if table is None:
            found_units = None
            for cell in row.cells:
                found_units = unit_line(cell) or found_units
            if found_units:
                caption_units = found_units
            elif title is None and not _is_paragraph(row):
                title = clean_title(row.cells)
            elif not row.tabular or sum(1 for c in row.cells if c.strip()) == 1:
                text = next((c for c in row.cells if c.strip()), "")
                if text:
                    prose.append(Row(row.line, [text], False, row.raw))  # a paragraph before the table
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
            else:
                found_units = unit_line(row.cells[0]) if end == index + 1 else None
                if found_units:
                    table.units.caption = found_units
                else:
                    prose.extend(rows[index:end])
            index = end
            continue
        index += 1
        report = rows[index] if index < len(rows) and rows[index].tabular else None
        paired = _goal_with_report(row, report, table, group, label, first + len(tasks), joiner) \
            if report is not None else None
        if paired is not None:
            index += 1  # the report row below is this task's progress, no task of its own
            label = paired.group if paired.group != group else label
            tasks.append(paired)
            continue
        task = _row_task(row, table, group, label, first + len(tasks), joiner)
        if isinstance(task, str):
            group, label = task, None  # a group-only row starts a group
        elif task is not None:
            if task.category is not None and task.category != group:
                group, label = task.category, None
            if task.category is None and _carried_group(table):
                group = task.group
            else:
                label = task.group
            tasks.append(task)
    if table is None:
        return None
    return title, tasks, prose


def _is_paragraph(row: Row) -> bool:
    """A long line of sentences before a table is prose, not its title."""
    return not row.tabular and len(" ".join(row.cells)) > 60 and \
        bool(re.search(r"[。；;]|[，,].*[，,]", " ".join(row.cells)))


def _carried_group(table: _Table) -> bool:
    return not any(c.role == "metric" for c in table.columns)


def placed_cells(cells: list[str], columns: Sequence[Column]) -> list[str]:
    """A data row's cells as they stand in the header's columns: a row written one column left (see
    `_shift_width`) or a short row (see `_place`) is put back where it belongs; a full row stays."""
    direct = {c.role: cells[c.index] for c in reversed(columns)
              if c.role is not None and c.index < len(cells) and cells[c.index]}
    width = _shift_width(cells, columns, direct)
    if width:
        return [""] * width + cells
    return _place(cells, columns)


def _row_task(row: Row, table: _Table, group: str | None, label: str | None, number: int,
              joiner: str) -> Task | str | None:
    """The task a data row holds; a str when the row only names a group; None when it holds nothing."""
    cells = [cell_text(c) for c in row.cells]
    if not any(cells) or _is_separator(cells):
        return None
    columns = table.columns
    by_role: dict[str, list[tuple[Column, str]]] = {}

    def read(values: Sequence[str], offset: int = 0) -> dict[str, list[tuple[Column, str]]]:
        found: dict[str, list[tuple[Column, str]]] = {}
        for c in columns:
            k = c.index - offset
            if c.role is None or c.index in table.dropped or not 0 <= k < len(values) or not values[k]:
                continue
            found.setdefault(c.role, []).append((c, values[k]))
        return found

    by_role = read(placed_cells(cells, columns))
    filled = [c for c in cells if c]
    if filled and column_role(filled[0]) == "score" and is_label(filled[0]):
        return None  # 总分 | 99.55分: the self-evaluation's total score, no task
    if len(filled) == 1 and not re.search(r"[0-9]", _NOT_IN_HEADER.sub("", filled[0])) and len(columns) > 2:
        return filled[0] if _is_group_label(filled[0]) else None  # a caption or a category line inside the table
    groups = [v for _, v in by_role.get("group", [])]
    metrics = [v for _, v in by_role.get("metric", [])]
    row_group = groups[-1] if groups else group
    carrying = [c for c in columns if c.role in _VALUE_ROLES]
    if not any(by_role.get(role) for role in _VALUE_ROLES):
        if groups and not metrics:
            return groups[-1]
        if metrics and not carrying:
            return None
        return groups[-1] if groups else None
    target_cells = by_role.get("target", [])
    progress_cells = sorted(by_role.get("progress", []) + by_role.get("rate", []), key=lambda p: p[0].index)
    unit_cell = next((v for _, v in by_role.get("unit", [])), None)
    task_cells: list[Cell] = []

    def join(pairs: list[tuple[Column, str]]) -> str:
        out = ""
        for c, value in pairs:
            if out:
                out += joiner
            unit, source = _cell_unit(c, table.units, unit_cell)
            task_cells.append(Cell(column=c.index, role=c.role or "", header=c.header, text=value,
                                   offset=len(out), unit=unit, unit_source=source))
            out += value
        return out

    target = join(target_cells)
    progress = join(progress_cells)
    metric = " ".join(_strip_number(m) for m in metrics) or None
    if metric is None and not groups and label is not None and any(c.role == "metric" for c in columns):
        metric = label  # a blank metric cell under a merged one
    written = next((v for _, v in by_role.get("rowno", [])), None)
    return Task(
        row=number,
        group=metric or row_group,
        category=row_group if metric else None,
        target=target,
        progress=progress,
        deadline=next((v for _, v in by_role.get("deadline", [])), None),
        remark=next((v for _, v in by_role.get("remark", [])), None),
        line=row.line,
        number=written.strip() if written and len(written.strip()) <= 9 else None,
        cells=task_cells if _has_values(task_cells) else [],
    )


_IN_BRACKETS = re.compile(r"[(（][^()（）]*[)）]")


def _has_figure(text: str, *, brackets: bool = True) -> bool:
    return bool(re.search(r"[0-9]", text if brackets else _IN_BRACKETS.sub("", text)))


def _report_cells(cells: Sequence[str]) -> list[str] | None:
    """农村保障人次 | 83342 | 持续推进中: a sub-row that only reports (a label with no figure, a bare value, perhaps
    a note), written from the left; its filled cells, or None."""
    filled = [cell_text(c).strip() for c in cells]
    while filled and not filled[-1]:
        filled.pop()
    if not 2 <= len(filled) <= 3 or not all(filled):
        return None
    name, value, *note = filled
    if not is_label(name) or _has_figure(name) or not _is_value(value) or any(_has_figure(n) for n in note):
        return None
    return filled


def _goal_with_report(row: Row, report: Row, table: _Table, group: str | None, label: str | None, number: int,
                      joiner: str) -> Task | None:
    """A goal written in a row of its own and reported on in the sub-row below it (城市标准(788元/月), then
    城市保障人次 | 8584 | 持续推进中; or 最低生活保障 | 农村标准(760元/月) | 县民政局 in a numbered row): one task, the
    goal the last cell of the row that holds a figure, the cells before it the goal's label. None when the
    row below is no report or the row reports itself."""
    progress = _report_cells(report.cells)
    cells = [cell_text(c).strip() for c in row.cells]
    if progress is None or _report_cells(row.cells) is not None or _is_separator(cells):
        return None
    columns = table.columns
    start = 1 if columns and columns[0].role == "rowno" and cells and _ROW_NUMBER.fullmatch(cells[0] or "x") else 0
    written = cells[start:]
    goals = [k for k, c in enumerate(written) if _has_figure(c)]
    if not goals or any(_has_figure(c, brackets=False) for c in written[goals[-1] + 1:]):
        return None
    if len(goals) != 1 or not _IN_BRACKETS.search(written[goals[0]]) or _has_figure(written[goals[0]], brackets=False):
        return None  # the goal is a standard written as a label with its figure in brackets (农村标准(760元/月))
    goal = goals[0]
    placed = _read_roles(placed_cells(list(cells), columns), columns)
    if any(_has_figure(v, brackets=False) for v in placed.get("progress", []) + placed.get("rate", [])):
        return None  # the row reports on its own goal
    before = [c for c in written[:goal] if c and not _has_figure(c)]
    own = before[-1] if before else None
    metric_column = next((c.index for c in columns if c.role == "metric"), None)
    if own is not None and metric_column is not None and start and metric_column < len(cells) \
            and cells[metric_column] == own:
        own = None  # the numbered row's own name: the group, not the goal's label
    name = own or (label if not start else None) or group
    if start and metric_column is not None and metric_column < len(cells) and cells[metric_column]:
        group = cells[metric_column]
        name = own or group
    return Task(row=number, group=name, category=group if name != group else None, target=written[goal],
                progress=joiner.join(progress), line=row.line,
                number=cells[0].strip() if start else None)


def _read_roles(cells: Sequence[str], columns: Sequence[Column]) -> dict[str, list[str]]:
    """The filled cells of a row by the role of their column."""
    found: dict[str, list[str]] = {}
    for c in columns:
        if c.role is not None and c.index < len(cells) and cells[c.index]:
            found.setdefault(c.role, []).append(cells[c.index])
    return found


def _is_group_label(text: str) -> bool:
    return len(text) <= _GROUP_LABEL_MAX and not text.endswith(words("table_words.tsv", "caption_end")) \
        and not any(ch in _SENTENCE_MARKS for ch in text)


def _has_values(cells: Sequence[Cell]) -> bool:
    """Cells are kept for rows the judging reads by column: value columns (a bare number somewhere)."""
    return any(_is_value(c.text) for c in cells)


_VALUE = re.compile(r"\s*[-+]?[0-9][0-9,.]*\s*([^\s0-9]{0,8})\s*")


def _is_value(text: str) -> bool:
    """A bare number (4620, 51%), or one figure with its multiplier or unit and nothing else (200万, 195.5万元)."""
    m = _VALUE.fullmatch(text)
    if m is None:
        return False
    rest = m.group(1)
    return not rest or rest in ("%", "％") or rest in MULTIPLIERS or _is_unit_label(rest)


def _cell_unit(column: Column, units: _Units, unit_cell: str | None) -> tuple[str | None, str | None]:
    if column.unit:
        return column.unit, "header"
    if unit_cell and column.role in ("target", "progress") and _is_unit_label(unit_cell):
        return _plain_unit(unit_cell.strip()), "unit column"
    return units.for_column(column)


_LIST_MARKER = re.compile(rf"^\s*(?:[0-9]{{1,3}}\s*[、.．]|[（(][0-9{NUMERALS}]{{1,3}}[)）])\s*")


def _strip_number(label: str) -> str:
    """2、区级财政收入增长率 → 区级财政收入增长率: a list marker is no part of the metric."""
    return _LIST_MARKER.sub("", label).strip()


KINDS = {"\t": "tsv", "|": "pipe", ",": "csv"}


def _csv_like(lines: Sequence[str], header: int) -> bool:
    """A comma header is a CSV header only when it has three cells or more, no sentence mark, and the next
    lines have about as many cells: Chinese prose written with "," (从投资完成率看,各县均已完成…) is no table."""
    cells = split(lines[header], ",")
    if len(cells) < 3 or any(re.search(r"[。；;]", c) for c in cells):
        return False
    following = [line for line in lines[header + 1:header + 6] if line.strip()][:3]
    return bool(following) and sum(abs(len(split(line, ",")) - len(cells)) <= 1 for line in following) >= \
        min(2, len(following))
JOINERS = {"\t": "\t", "|": " | ", ",": "\t"}


def sniff_delimiter(lines: Sequence[str]) -> str | None:
    for index, line in enumerate(lines):
        for delimiter in KINDS:
            if delimiter in line and header_columns(split(line, delimiter)) is not None \
                    and (delimiter != "," or _csv_like(lines, index)):
                return delimiter
    if sum(1 for line in lines if _ONE_CELL.match(line)) >= 6:
        # a pipe table written one cell per line: its header shows only once the cells are joined
        if any(row.tabular and header_columns(row.cells) for row in line_rows(lines, "|")):
            return "|"
    return None
