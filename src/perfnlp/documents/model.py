"""What a document reader gives: a Document of Tasks, or a DocumentError saying why the input cannot be read."""
from __future__ import annotations

from pydantic import BaseModel

from ..reading.periods import context_from_title
from ..text.context import Context


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
    kind: str  # "tsv" | "pipe" | "csv" | "prose" | "html" | "xlsx" | "xls" | "docx" | "pdf"
    tasks: list[Task]

    @property
    def context(self) -> Context:
        return context_from_title(self.title or "")
