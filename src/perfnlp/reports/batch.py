"""Many documents: assess_many(items, processes=N) → one Report per document, in order; assess_batch(...) →
a Batch of the Reports and of the documents that could not be read, each with its reason in one line.

items: paths of files or directories, Documents, or texts. A directory gives every .txt .tsv .csv .md .html
.htm .xlsx .xls .docx .pdf file below it, sorted, each named by its path relative to the directory (a/报告.txt and b/报告.txt stay
two documents); links to directories are followed (each directory read once, so a link cycle ends);
hidden files and folders (.git) and Office lock files (~$报告.xlsx) are skipped. A subdirectory that cannot
be listed, a broken link and a file larger than MAX_DOCUMENT_BYTES are failures of their own, not silently
lost. A file name that is not UTF-8 is shown decoded as GB18030 (archives unpacked from Chinese Windows)
when it decodes so, else with its odd bytes as \\xNN.

With processes = N > 1 the documents are read and assessed by this process and N − 1 worker processes
(reports/pool.py: forked on Linux when no other thread runs, else spawned); with client= on a Dask cluster
(docs/scale.md). A worker that dies (killed, out of memory) stops the run with WorkerDied naming the
documents not done, never a hang. A bar on stderr shows progress for long batches (10 documents or more)
when stderr is a terminal, or when asked.
"""
from __future__ import annotations

import gc
import os
import stat
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from pydantic import BaseModel

from ..documents import Document, DocumentError, read_document
from ..judging.warning import YELLOW_MARGIN, check_margin
from ..text.context import Context, context_from
from .pool import IN_FLIGHT_PER_WORKER, WorkerDied, run_pool, unfinished
from .report import Report, assess_document

SUFFIXES = (".txt", ".tsv", ".csv", ".md", ".html", ".htm", ".xlsx", ".xls", ".docx", ".pdf")
MAX_DOCUMENT_BYTES = 64 * 2**20   # a progress report is kilobytes; a bigger file is not one (or is hostile)


class Failure(BaseModel):
    """A document that could not be read, and why, in one line."""

    document: str
    reason: str


class Batch(BaseModel):
    """What a batch gives: the Reports of the documents read, in input order, and the failures."""

    reports: list[Report] = []
    failures: list[Failure] = []


@dataclass(frozen=True)
class Source:
    """A document file and the name it is reported by (its path below the directory it was found in)."""

    path: Path
    name: str


@dataclass(frozen=True)
class Job:
    """One document to assess, as it travels to a worker: what to read and how to judge it."""

    item: Document | str | Source
    context: Context = field(default_factory=Context)
    yellow_margin: float = YELLOW_MARGIN
    data: bytes | None = None   # the file's bytes, read by the caller (Dask workers may not see its disk)
    known_sha256: str | None = None  # the dataset's record of the file: unchanged content is not read again

    @property
    def name(self) -> str:
        if isinstance(self.item, Source):
            return self.item.name
        if isinstance(self.item, Document):
            return self.item.name or "(document)"
        return "(text)"


# ------------------------------------------------------------------------------------------ finding files

def display_name(path: str | os.PathLike[str]) -> str:
    """A path as text that can be printed and written anywhere: UTF-8 names as they are; other bytes as
    GB18030 when they decode so, else \\xNN escapes (see the module)."""
    text = os.fspath(path)
    raw = os.fsencode(text)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


def _skipped(name: str) -> bool:
    return name.startswith((".", "~$"))


def find_documents(items: Iterable[Document | str | os.PathLike[str]]) -> tuple[list[Document | str | Source], list[Failure]]:
    """The documents the items name, in order, and the places that could not be read."""
    out: list[Document | str | Source] = []
    failures: list[Failure] = []
    for item in items:
        if isinstance(item, Document):
            out.append(item)
            continue
        if isinstance(item, str) and ("\n" in item or "\r" in item):
            out.append(item)
            continue
        if not isinstance(item, (str, os.PathLike)):
            raise TypeError(f"assess_many() takes paths, texts or Documents, not {type(item).__name__}")
        path = Path(item)
        if path.is_dir():
            found, failed = _files_below(path)
            out.extend(found)
            failures.extend(failed)
        else:
            out.append(Source(path, display_name(path.name)))
    return out, failures


def _files_below(root: Path) -> tuple[list[Source], list[Failure]]:
    files: list[tuple[tuple[str, ...], Path]] = []
    failures: list[Failure] = []
    visited: set[tuple[int, int]] = set()
    stack: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    links: list[tuple[Path, tuple[str, ...]]] = []  # followed after the real directories: those keep their names
    while stack or links:
        directory, parts = stack.pop() if stack else links.pop(0)
        where = display_name("/".join(parts)) + "/" if parts else display_name(root) + "/"
        try:
            info = directory.stat()
            key = (info.st_dev, info.st_ino)
            if key in visited:
                continue  # a second link to a directory already read, or a link cycle
            visited.add(key)
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            failures.append(Failure(document=where, reason=f"cannot read directory: {exc.strerror or exc}"))
            continue
        for entry in entries:
            if _skipped(entry.name):
                continue
            rel = (*parts, entry.name)
            try:
                if entry.is_dir():  # follows a link to a directory
                    (links if entry.is_symlink() else stack).append((Path(entry.path), rel))
                    continue
                is_file = entry.is_file()
                is_link = entry.is_symlink()
            except OSError as exc:
                failures.append(Failure(document=display_name("/".join(rel)), reason=exc.strerror or str(exc)))
                continue
            if Path(entry.name).suffix.lower() not in SUFFIXES:
                continue
            if is_file:
                files.append((rel, Path(entry.path)))
            elif is_link:
                failures.append(Failure(document=display_name("/".join(rel)), reason="broken link"))
    files.sort(key=lambda f: f[0])
    return [Source(path, display_name("/".join(rel))) for rel, path in files], failures


def expand(items: Iterable[Document | str | os.PathLike[str]]) -> list[Document | str | Path]:
    """Directories become the document files below them (see the module); everything else stays as it is.
    A part of a directory that cannot be read raises DocumentError (assess_batch reports it instead)."""
    found, failures = find_documents(items)
    if failures:
        raise DocumentError(f"{failures[0].document}: {failures[0].reason}")
    return [f.path if isinstance(f, Source) else f for f in found]


# -------------------------------------------------------------------------------------------- assessing

def assess_job(job: Job) -> Report | Failure:
    """Read and assess one document; a document that cannot be read gives a Failure (never raises for it)."""
    try:
        item = job.item
        if isinstance(item, Source):
            data = job.data if job.data is not None else read_bytes(item.path)
            item = read_document(data, name=item.name)
        return assess_document(item, context=job.context, yellow_margin=job.yellow_margin)
    except (DocumentError, OSError, ImportError) as exc:
        return Failure(document=job.name, reason=one_line(exc))
    except RecursionError:
        return Failure(document=job.name, reason="too deeply nested to read")
    except MemoryError:
        return Failure(document=job.name, reason="too large to read in memory")
    except Exception as exc:  # a bug in a reader: report it on this document and read the others
        return Failure(document=job.name, reason=f"internal error, please report it: {type(exc).__name__}: "
                                                 f"{one_line(exc)}")


def read_bytes(path: Path, limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """A file's bytes; DocumentError when it cannot be read or holds more than `limit` bytes."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # before open(): opening a FIFO would wait for a writer
            raise DocumentError(f"not a regular file: {display_name(path)}")
        with open(path, "rb") as f:
            data = f.read(limit + 1) if os.fstat(f.fileno()).st_size <= limit else b"\0" * (limit + 1)
    except OSError as exc:
        raise DocumentError(f"cannot read {display_name(path)}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise DocumentError(f"{display_name(path)} is larger than {limit // 2**20} MiB: not a progress report")
    return data


def one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text or type(error).__name__


def run_jobs(jobs: list[Job], processes: int = 1, client: Any = None,
             work: Callable[[Job], Any] = assess_job) -> Iterator[tuple[int, Any]]:
    """(index, work(job)) for every job, as they complete: here, in a process pool, or on a Dask client.
    `work` must be a module-level function (it travels to the workers by name) that never raises for a
    document. Raises WorkerDied when a worker process dies."""
    if client is not None:
        yield from _run_dask(jobs, client, work)
    elif processes == 1 or len(jobs) <= 1:
        for index, job in enumerate(jobs):
            yield index, work(job)
    else:
        yield from run_pool(jobs, processes, work)


def _run_dask(jobs: list[Job], client: Any, work: Callable[[Job], Any]) -> Iterator[tuple[int, Any]]:
    try:
        from distributed import as_completed
    except ImportError:
        raise ImportError("running on a Dask cluster needs the optional extra: pip install 'perfnlp[dask]'") from None
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    window = max(8, workers * IN_FLIGHT_PER_WORKER)
    futures = as_completed()
    index_of: dict[str, int] = {}
    submitted = 0

    def fill() -> list[tuple[int, Any]]:
        """Submit jobs until `window` are in flight; a file that cannot be read here is left to the work
        function, which reports it (it reads the file itself when no bytes came)."""
        nonlocal submitted
        failed: list[tuple[int, Any]] = []
        while submitted < len(jobs) and futures.count() < window:
            index, job = submitted, jobs[submitted]
            submitted += 1
            if isinstance(job.item, Source) and job.data is None:
                # the workers may not see this machine's disk: send the bytes (bounded by the window)
                try:
                    job = replace(job, data=read_bytes(job.item.path))
                except DocumentError:
                    failed.append((index, work(job)))  # reads it again here, and reports why it cannot
                    continue
            future = client.submit(work, job, pure=False)
            index_of[future.key] = index
            futures.add(future)
        return failed

    yield from fill()
    while not futures.is_empty():
        future = next(futures)
        index = index_of.pop(future.key)
        try:
            outcome = future.result()
        except Exception as exc:  # KilledWorker: the workers running it died more often than allowed
            raise WorkerDied(f"Dask workers died while reading {jobs[index].name} ({type(exc).__name__}: "
                             f"{one_line(exc)}); " + unfinished(jobs, [index, *index_of.values()],
                                                                range(submitted, len(jobs)))) from None
        yield index, outcome
        yield from fill()


def make_jobs(found: Iterable[Document | str | Source], context: Context | dict[str, Any] | None,
              yellow_margin: float) -> list[Job]:
    given = context_from(context)
    margin = check_margin(yellow_margin)
    return [Job(item, given, margin) for item in found]


def _check_processes(processes: Any) -> int:
    if isinstance(processes, bool) or not isinstance(processes, int) or processes < 1:
        raise ValueError(f"processes must be a whole number ≥ 1, not {processes!r}")
    return processes


def assess_batch(items: Iterable[Document | str | os.PathLike[str]], processes: int = 1,
                 progress: bool | None = None, *, context: Context | dict[str, Any] | None = None,
                 yellow_margin: float = YELLOW_MARGIN, client: Any = None) -> Batch:
    """Assess many documents: the Reports in input order, and every document or directory that could not
    be read. `processes` > 1 uses that many processes (this one and processes − 1 workers); `client` a Dask
    distributed Client. Raises WorkerDied when a worker dies."""
    processes = _check_processes(processes)
    found, failures = find_documents(items)
    jobs = make_jobs(found, context, yellow_margin)
    bar = ProgressBar(len(jobs), progress)
    outcomes: dict[int, Report | Failure] = {}
    # the Reports are kept here to the end, a thousand objects each, none in a cycle: frozen as they come, the
    # collector does not walk all that came before at each of its collections (about a quarter of this
    # process's time in a run of 120 documents on two processes, and of one process's time on 250); they go back
    # to it at the end. Whatever this document left in cycles is collected first (the collection walks only
    # what came since the last freeze), so that no garbage is frozen with them: a frozen object that becomes
    # garbage later stays until the end (a Reading evicted from reading.py's cache had been kept so, 55 MiB at
    # 250 documents, until the cache broke its cycles). Not when the caller keeps objects frozen itself
    # (unfreezing would undo that).
    freezing = client is None and len(jobs) > 1 and gc.isenabled() and gc.get_freeze_count() == 0
    try:
        for index, outcome in run_jobs(jobs, processes, client):
            outcomes[index] = outcome
            if freezing:
                gc.collect()
                gc.freeze()
            bar.update(len(outcomes))
    finally:
        if freezing:
            gc.unfreeze()
        bar.close()
    reports = [o for _, o in sorted(outcomes.items()) if isinstance(o, Report)]
    failures += [o for _, o in sorted(outcomes.items()) if isinstance(o, Failure)]
    return Batch(reports=reports, failures=failures)


def assess_many(items: Iterable[Document | str | os.PathLike[str]], processes: int = 1,
                progress: bool | None = None, *, context: Context | dict[str, Any] | None = None,
                yellow_margin: float = YELLOW_MARGIN, client: Any = None) -> list[Report]:
    """Assess many documents: one Report per document, in order. The first document (or directory) that
    cannot be read raises DocumentError; assess_batch reads the others and lists the failures instead."""
    batch = assess_batch(items, processes, progress, context=context, yellow_margin=yellow_margin, client=client)
    if batch.failures:
        failure = batch.failures[0]
        raise DocumentError(f"{failure.document}: {failure.reason}")
    return batch.reports


# ---------------------------------------------------------------------------------------------- progress

class ProgressBar:
    """[#####.....] 12/40 documents on stderr, redrawn in place. Shown when asked (True), or by default
    (None) for 10 documents or more when stderr is a terminal."""

    def __init__(self, total: int, show: bool | None = None, unit: str = "documents") -> None:
        self.total = total
        self.unit = unit
        self.shown = show if show is not None else (total >= 10 and sys.stderr.isatty())
        self.drawn = False

    def update(self, done: int, note: str = "", width: int = 30) -> None:
        if not self.shown:
            return
        filled = width * done // max(self.total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} {self.unit}{note}")
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self.drawn = False
