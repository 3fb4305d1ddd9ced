"""Many documents on one machine: assess_many(items, processes=N) → one Report per document, in order.

items: paths of files or directories (every .txt .tsv .csv .md .html .htm .xlsx .xls .docx .pdf file below
a directory, sorted), Documents, or texts. With processes > 1 the documents are read and assessed in a process
pool. A bar on stderr shows progress for long batches (10 documents or more) when stderr is a terminal, or when asked.
docs/scale.md shows the same function on a Dask cluster.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterable

from ..documents import Document
from .report import Report, assess_document

SUFFIXES = (".txt", ".tsv", ".csv", ".md", ".html", ".htm", ".xlsx", ".xls", ".docx", ".pdf")


def expand(items: Iterable[Document | str | os.PathLike[str]]) -> list[Document | str | Path]:
    """Directories become the document files below them; everything else stays as it is."""
    out: list[Document | str | Path] = []
    for item in items:
        if isinstance(item, Document):
            out.append(item)
            continue
        if isinstance(item, str) and "\n" in item:
            out.append(item)
            continue
        path = Path(item)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
        else:
            out.append(path)
    return out


def _assess_one(item: Document | str | Path) -> Report:
    return assess_document(item)


def assess_many(items: Iterable[Document | str | os.PathLike[str]], processes: int = 1,
                progress: bool | None = None) -> list[Report]:
    """Assess many documents; `processes` > 1 uses that many worker processes."""
    if isinstance(processes, bool) or not isinstance(processes, int) or processes < 1:
        raise ValueError(f"processes must be a whole number ≥ 1, not {processes!r}")
    docs = expand(items)
    show = progress if progress is not None else (len(docs) >= 10 and sys.stderr.isatty())
    reports: list[Report] = []
    if processes == 1 or len(docs) <= 1:
        for done, doc in enumerate(docs, 1):
            reports.append(_assess_one(doc))
            if show:
                _bar(done, len(docs))
    else:
        from multiprocessing import get_context

        with get_context("spawn").Pool(processes) as pool:
            for done, report in enumerate(pool.imap(_assess_one, docs, chunksize=4), 1):
                reports.append(report)
                if show:
                    _bar(done, len(docs))
    if show:
        sys.stderr.write("\n")
    return reports


def _bar(done: int, total: int, width: int = 30) -> None:
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} documents")
    sys.stderr.flush()

