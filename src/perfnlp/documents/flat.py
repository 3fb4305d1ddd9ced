"""Tables whose cells were run together into one line, separated by spaces (a self-evaluation table copied
out of a PDF: "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 产出指标(50分) 数量指标 …").

What is guessed, and how:

* A header is a run of three or more tokens that each name a column (data/columns.tsv), with a target or
  progress column among them; a token in brackets right after a label belongs to it (项目资金 (万元)).
* The tokens between two headers are that header's rows, cut by the shape of the header:
  - a header that ends in score columns (分值 得分, 偏差原因…): a row ends with as many numbers as there are
    score columns; the three tokens before them are the indicator, its target and its result, and any
    tokens before those are group labels (产出指标(50分), 数量指标);
  - a header whose value columns are figures (年初预算数 全年预算数 全年执行数 …): a row is a label and the
    figures after it (年度资金总额: 0 0 0 10 0 0; 其中:本年财政拨款 90 89.974 89.974);
  - otherwise the tokens fill the value columns in order (预期目标 | 实际完成情况: two sentences).
* The rows are then read as any table's rows (tables.table_tasks).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from .tables import Row, column_role, header_columns, is_label

_MIN_TOKENS = 12
_NUMBER = re.compile(r"[-+]?[0-9][0-9,.]*%?")
_BRACKETED = re.compile(r"[(（][^()（）]{1,12}[)）]")
_ROLES_OF_VALUES = ("target", "progress", "rate")


def unflatten(line: str, number: int) -> list[Row] | None:
    """The rows of a table run together into one line, or None when the line is no such table."""
    tokens = _tokens(line)
    if len(tokens) < _MIN_TOKENS:
        return None
    headers = _header_runs(tokens)
    if not headers:
        return None
    rows: list[Row] = []
    if headers[0][0] > 0:
        rows.append(Row(number, [" ".join(tokens[:headers[0][0]])], False))  # the title and notes before
    for k, (start, end) in enumerate(headers):
        header = tokens[start:end]
        data_end = headers[k + 1][0] if k + 1 < len(headers) else len(tokens)
        rows.append(Row(number, header, True))
        rows.extend(Row(number, cells, True) for cells in _rows(header, tokens[end:data_end]))
    return rows


def _tokens(line: str) -> list[str]:
    out: list[str] = []
    for token in line.split():
        if out and _BRACKETED.fullmatch(token):
            out[-1] += token  # 项目资金 (万元): the unit belongs to the label
        else:
            out.append(token)
    return out


def _header_runs(tokens: Sequence[str]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    k = 0
    while k < len(tokens):
        end = k
        while end < len(tokens) and is_label(tokens[end]) and column_role(tokens[end]) is not None:
            end += 1
        roles = {column_role(t) for t in tokens[k:end]}
        if end - k >= 3 and roles & {"target", "progress"}:
            runs.append((k, end))
            k = end
        else:
            k += 1
    return runs


def _rows(header: Sequence[str], data: Sequence[str]) -> list[list[str]]:
    columns = header_columns(header)
    roles = [c.role for c in columns] if columns else [column_role(t) for t in header]
    scores = 0
    for role in reversed(roles):
        if role == "remark" and scores == 0:
            continue
        if role != "score":
            break
        scores += 1
    if sum(1 for t in data if _NUMBER.fullmatch(t)) >= len(data) / 2:
        return _labelled_rows(len(header), data)
    if scores:
        return _scored_rows(roles, data, scores)
    values = [i for i, r in enumerate(roles) if r in _ROLES_OF_VALUES]
    if not values or not data:
        return []
    out = []
    for at in range(0, len(data) - len(data) % len(values), len(values)):  # a token left over labels what follows
        cells = [""] * len(header)
        for column, token in zip(values, data[at:at + len(values)]):
            cells[column] = token
        out.append(cells)
    return out


def _scored_rows(roles: Sequence[str | None], data: Sequence[str], scores: int) -> list[list[str]]:
    """Rows that end with their score figures: [groups…] indicator target result score score."""
    value_columns = [i for i, r in enumerate(roles) if r in ("target", "progress")]
    score_columns = [i for i, r in enumerate(roles) if r == "score"]
    label_columns = [i for i, r in enumerate(roles) if r in ("group", "metric") and i < min(value_columns or [0])]
    out: list[list[str]] = []
    current: list[str] = []
    for k, token in enumerate(data):
        current.append(token)
        following = data[k + 1] if k + 1 < len(data) else None
        tail = current[-scores:]
        if len(current) >= scores + 3 and all(_NUMBER.fullmatch(t) for t in tail) \
                and (following is None or not _NUMBER.fullmatch(following)):
            cells = [""] * len(roles)
            body = current[:-scores]
            values = body[-len(value_columns):] if value_columns else []
            labels = body[:len(body) - len(values)]
            for column, token_ in zip(value_columns, values):
                cells[column] = token_
            for column, token_ in zip(score_columns, tail):
                cells[column] = token_
            for column, token_ in zip(label_columns[len(label_columns) - len(labels):], labels):
                cells[column] = token_
            out.append(cells)
            current = []
    return out


def _labelled_rows(width: int, data: Sequence[str]) -> list[list[str]]:
    """Rows of a label and the figures after it."""
    out: list[list[str]] = []
    for token in data:
        if not _NUMBER.fullmatch(token) or not out:
            out.append([token])
        else:
            out[-1].append(token)
    return [cells + [""] * (width - len(cells)) for cells in out if len(cells) <= width]
