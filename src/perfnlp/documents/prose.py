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


def prose_tasks(lines: Sequence[str], *, numbers: Sequence[int] | None = None,
                title: str | None = None) -> list[Task]:
    """The statements of prose lines; `numbers` are the lines' numbers in the source (1, 2 … by default);
    a line that is the document's title is not read."""
    tasks: list[Task] = []
    group: str | None = None
    for index, line in enumerate(lines):
        number = numbers[index] if numbers is not None else index + 1
        if title is not None and clean_title([line]) == title:
            continue
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


_PUBLICATION = re.compile(r"发布|来源|浏览|日期|时间\s*[:：]|更新|作者|编辑|点击")
_NAMES_PERIOD = re.compile(r"截至|截止|[0-9一二三四五六七八九十]\s*月|季度|上半年|前三季度|全年|年度")


def early_lines(lines: Iterable[str], limit: int = 12) -> tuple[list[str], list[str]]:
    """The first lines that may say which period the document reports, and the publication lines among
    them (发布日期: …), which may give a year but never a period."""
    periods: list[str] = []
    dated: list[str] = []
    for line in lines:
        text = line.strip()
        if not text:
            continue
        limit -= 1
        if limit < 0:
            break
        if len(text) > 60:
            continue
        if _PUBLICATION.search(text) or re.fullmatch(r"[0-9.:\s/-]+", text):
            dated.append(text)
        elif _NAMES_PERIOD.search(text) or re.search(r"(?:19|20)[0-9]{2}\s?年", text):
            periods.append(text)
    return periods, dated


def first_line(lines: Iterable[str]) -> str | None:
    return next((clean_title([s]) for s in lines if s.strip()), None)

