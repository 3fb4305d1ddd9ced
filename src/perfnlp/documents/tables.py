"""Tables: which row is the header, what each column means, and the task each data row holds."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .html import cell_text
from .model import DocumentError, Task

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
    return "".join(cell_text(cell).split()).strip("*:：")


def header_roles(cells: Sequence[str]) -> dict[int, str] | None:
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
class Row:
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


def split(line: str, delimiter: str) -> list[str]:
    if delimiter == "|":
        return _split_pipe(line)
    if delimiter == ",":
        return next(csv.reader([line]), [])
    return line.split(delimiter)


def line_rows(lines: Sequence[str], delimiter: str) -> list[Row]:
    return [
        Row(number, split(line, delimiter), True) if delimiter in line else Row(number, [line], False)
        for number, line in enumerate(lines, 1)
    ]


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


def _block_task(block: Sequence[Row]) -> tuple[str | None, str, str, int] | None:
    """(group, target, progress, line) of a plain-line block inside a table, or None."""
    runs: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for row in block:
        text = cell_text(row.cells[0])
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


def table_tasks(rows: Sequence[Row], first: int = 1) -> tuple[str | None, list[Task]] | None:
    """(title, tasks) of a table, or None when no header row is found; unnumbered tasks count from `first`."""
    columns: dict[int, str] | None = None
    title: str | None = None
    group: str | None = None
    tasks: list[Task] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        roles = header_roles(row.cells) if row.tabular else None
        if roles is not None:
            columns = roles  # the first header, or one repeated at a page break
            index += 1
            continue
        if columns is None:
            if title is None:
                title = clean_title(row.cells)
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
        cells = [cell_text(c) for c in row.cells]
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
            row=int(number) if number.isascii() and number.isdigit() and len(number) <= 9 else first + len(tasks),
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





KINDS = {"\t": "tsv", "|": "pipe", ",": "csv"}


def sniff_delimiter(lines: Sequence[str]) -> str | None:
    for line in lines:
        for delimiter in KINDS:
            if delimiter in line and header_roles(split(line, delimiter)) is not None:
                return delimiter
    return None

