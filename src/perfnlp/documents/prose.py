"""Prose reports: the statements that report a figure against a goal, grouped under their headings."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .model import Task
from .tables import clean_title


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


def prose_tasks(lines: Sequence[str]) -> list[Task]:
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


def first_line(lines: Iterable[str]) -> str | None:
    return next((clean_title([s]) for s in lines if s.strip()), None)

