"""What a document reader gives: a Document of Tasks, or a DocumentError saying why the input cannot be read."""
from __future__ import annotations

import re

from pydantic import BaseModel

from ..reading.numerals import CN_SECTION_UNITS
from ..reading.periods import context_from_title
from ..text.lexicon import alternatives
from ..text.context import Context


_AS_OF = re.compile(r"截至|截止")
# a year, not an amount that starts like one (完成投资1956.3亿元, 2019个: a magnitude, a counting unit or % after it)
_YEAR = re.compile(rf"(?<![0-9])((?:19|20)[0-9]{{2}})(?![0-9])(?!(?:\.[0-9]+)?\s?(?:[{''.join(CN_SECTION_UNITS)}%％]"
                   rf"|{alternatives('statements.tsv', 'count_unit')}))")


class DocumentError(ValueError):
    """The input cannot be read as a document (missing, undecodable, malformed)."""


class Cell(BaseModel):
    """One cell of a table row that the task's texts are made of, with what its column says about it."""

    column: int                 # 0-based column in the table
    role: str                   # "target" | "progress" | "rate" (data/columns.tsv)
    header: str                 # the column's header, levels joined by "/" (2015年目标/增速(%))
    text: str                   # the cell as plain text
    offset: int                 # where the cell starts in Task.target (role target) or Task.progress
    unit: str | None = None     # the unit of a bare value, as written where it was found (万元, 个, %)
    unit_source: str | None = None  # where that unit was written: "header" | "unit column" | "caption" | "label"


class Task(BaseModel):
    row: int  # 1-based task number in the document, in order (unique)
    group: str | None  # the row's label: its metric cell, else the group carried over blank cells
    target: str  # target text ("" for prose statements); a table row's target cells joined
    progress: str  # progress text; a table row's progress and rate cells joined
    deadline: str | None = None
    remark: str | None = None
    line: int  # 1-based line number in the source text where the task starts
    number: str | None = None  # the 序号 as written ("3", "一"), when the row has one
    category: str | None = None  # the group above the row's own label (类别 高质量发展 over 指标名称)
    cells: list[Cell] = []  # for a table row: the cells its target and progress are made of


class Document(BaseModel):
    name: str | None  # file name, or the name= argument
    title: str | None  # the document title (first non-empty heading line, "## " stripped)
    kind: str  # "tsv" | "pipe" | "csv" | "prose" | "html" | "xlsx" | "xls" | "docx" | "pdf"
    tasks: list[Task]
    period_lines: list[str] = []  # early lines and captions that may name the period (（截至2021年8月底）)
    dated_lines: list[str] = []   # early publication lines (发布日期:2019-10-17): a year only, never a period

    @property
    def context(self) -> Context:
        """The report's year and date from its title. A title with no year takes the year of the first early
        line with one, else of a publication line (30.10.2015) — a year only, never its date; a title with no
        date takes the date of the first early line or caption that names one (in the same year)."""
        year_text = next((m.group(1) for line in [self.title or ""] + self.period_lines + self.dated_lines
                          for m in [_YEAR.search(line)] if m), None)
        title = self.title or ""
        if year_text is not None and not _YEAR.search(title):
            title = f"{year_text}年{title}"
        found = context_from_title(title)
        if found.as_of is None and found.year is not None:
            for line in self.period_lines:
                # 9月19日,…通报了1-8月…进展情况,截至8月底,…: the date the report is as of, not the day it was given
                as_of = _AS_OF.search(line)
                if as_of is not None and _YEAR.search(line) is None:
                    line = line[as_of.start():]
                other = context_from_title(line if _YEAR.search(line) else f"{found.year}年{line}")
                if other.as_of is not None and other.year == found.year:
                    return other
        return found
