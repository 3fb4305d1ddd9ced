"""Many documents: assess_many(items, processes=N) → one Report per document, in order; assess_batch(...) →
a Batch of the Reports and of the documents that could not be read, each with its reason in one line.

items: paths of files or directories, Documents, or texts. A directory gives every .txt .tsv .csv .md .html
.htm .xlsx .xls .docx .pdf file below it, sorted, each named by its path relative to the directory (a/报告.txt and b/报告.txt stay
two documents); links to directories are followed (each directory read once, so a link cycle ends);
hidden files and folders (.git) and Office lock files (~$报告.xlsx) are skipped. A subdirectory that cannot
be listed, a broken link and a file larger than MAX_DOCUMENT_BYTES are failures of their own, not silently
lost. A file name that is not UTF-8 is shown decoded as GB18030 (archives unpacked from Chinese Windows)
when it decodes so, else with its odd bytes as \\xNN.

With processes = N > 1 the documents are read and assessed by this process and a pool of N − 1 worker
processes (concurrent.futures.ProcessPoolExecutor: forked on Linux when no other thread runs, else spawned:
see _start_method); with client= on a Dask cluster (docs/scale.md). A worker
that dies (killed, out of memory) stops the run with WorkerDied naming the documents not done, never a
hang. A bar on stderr shows progress for long batches (10 documents or more) when stderr is a terminal, or
when asked.
"""
from __future__ import annotations

import gc
import os
import stat
import sys
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from pydantic import BaseModel

from ..documents import Document, DocumentError, read_document
from ..judging.warning import YELLOW_MARGIN, check_margin
from ..text.context import Context, context_from
from ..text.model import built
from .report import Report, assess_document

SUFFIXES = (".txt", ".tsv", ".csv", ".md", ".html", ".htm", ".xlsx", ".xls", ".docx", ".pdf")
MAX_DOCUMENT_BYTES = 64 * 2**20   # a progress report is kilobytes; a bigger file is not one (or is hostile)
_IN_FLIGHT_PER_WORKER = 4         # documents handed to a worker ahead: bounded memory, workers kept busy


class Failure(BaseModel):
    """A document that could not be read, and why, in one line."""

    document: str
    reason: str


class WorkerDied(RuntimeError):
    """A worker process (or Dask worker) died while documents were being read: the run cannot complete."""


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
        yield from _run_pool(jobs, processes, work)


def _unfinished(jobs: list[Job], pending: Iterable[int], waiting: range) -> str:
    names = [jobs[i].name for i in sorted(pending)] + [jobs[i].name for i in waiting]
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return f"{len(names)} documents not done: {shown}"


def _run_pool(jobs: list[Job], processes: int, work: Callable[[Job], Any]) -> Iterator[tuple[int, Any]]:
    """work(job) for every job on `processes` processes: this one and processes − 1 workers. This process
    reads documents too, between handing documents to the workers and taking their results: what it reads
    is never pickled and unpickled (that was about a tenth of all the CPU time of two processes), and one
    worker fewer is started. The workers are kept a few documents ahead, so that they do not wait for this
    process while it reads a long one."""

    window = (processes - 1) * _IN_FLIGHT_PER_WORKER
    context = _start_method()
    executor = ProcessPoolExecutor(max_workers=processes - 1, mp_context=context)
    widen_result_pipe(executor)
    pending: dict[Future[Any], int] = {}
    submitted = 0  # the jobs handed out so far, to a worker or to this process, in order
    # forked workers start as copies of this process: with its objects frozen (kept out of the collector's
    # reach) the workers' garbage collections do not walk, and so copy, every page of the caller's heap
    # (not when the caller keeps objects frozen itself: unfreezing would undo that)
    frozen = context.get_start_method() == "fork" and gc.get_freeze_count() == 0
    if frozen:
        gc.freeze()
    finished = False
    # the pool's threads in this process (the one that takes the workers' results and hands them the next
    # jobs, and the one that sends those) wait for the interpreter lock while this process reads a document;
    # at the default switch interval (5 ms) a worker stood idle for about a tenth of the run, waiting for
    # its next job (83 waits of 5 to 13 ms in 115 documents). They get it sooner while the pool runs.
    switch = sys.getswitchinterval()
    sys.setswitchinterval(min(switch, _SWITCH_SECONDS))

    def died() -> WorkerDied:
        return WorkerDied("a worker process died (killed, or out of memory) while reading documents; "
                          + _unfinished(jobs, pending.values(), range(submitted, len(jobs))))

    try:
        while submitted < len(jobs) or pending:
            while submitted < len(jobs) and len(pending) < window:
                try:
                    pending[executor.submit(_packed, work, jobs[submitted])] = submitted
                except BrokenProcessPool:  # a worker died before this job could be handed out
                    raise died() from None
                submitted += 1
            if frozen:  # the workers are started at the first submit
                gc.unfreeze()
                frozen = False
            done = [future for future in pending if future.done()]
            if not done:
                if _worker_ended(executor):
                    raise died()
                if submitted < len(jobs):  # the workers are busy: read the next document here
                    submitted += 1
                    yield submitted - 1, work(jobs[submitted - 1])
                    continue
                taken = _take_back(pending)
                if taken is not None:  # all handed out: read here one that no worker has begun
                    yield taken, work(jobs[taken])
                    continue
                done, _ = wait(pending, timeout=_POLL_SECONDS, return_when=FIRST_COMPLETED)
            for future in done:
                index = pending[future]
                try:
                    outcome = _unpacked(future.result())
                except BrokenProcessPool:
                    raise died() from None
                del pending[future]
                yield index, outcome
        finished = True
    finally:
        sys.setswitchinterval(switch)
        if frozen:
            gc.unfreeze()
        if finished:
            executor.shutdown(wait=True, cancel_futures=True)
        else:
            _abandon(executor)


_SWITCH_SECONDS = 0.0002  # the interpreter's switch interval while a pool runs (see _run_pool)
_POLL_SECONDS = 1.0  # how often a wait for the workers looks whether one of them has ended


RESULT_PIPE_BYTES = 2**20  # Linux's limit for a pipe that an unprivileged process widens (fs.pipe-max-size)


def widen_result_pipe(executor: ProcessPoolExecutor, size: int = RESULT_PIPE_BYTES) -> None:
    """Let the pipe that carries the workers' results hold `size` bytes (Linux; elsewhere, or above what the
    system allows, it stays as it is). A Report is about 100 KB pickled, and the pipe holds 64 KB: a worker
    that sends one waited, its next document untouched, until this process's pool thread, itself waiting
    for the interpreter lock while this process read a document, took the first part out (about 2 % of the
    worker's time in a run of 250 documents)."""
    try:
        import fcntl

        writer = executor._result_queue._writer  # type: ignore[attr-defined]
        if fcntl.fcntl(writer.fileno(), fcntl.F_GETPIPE_SZ) < size:
            fcntl.fcntl(writer.fileno(), fcntl.F_SETPIPE_SZ, size)
    except (ImportError, AttributeError, OSError, ValueError):
        pass  # no fcntl or no pipe sizes (Windows, macOS), another pool, or a limit lower than `size`


def _take_back(pending: dict[Future[Any], int]) -> int | None:
    """The index of a job handed to the workers that none of them has begun, taken back (its future
    cancelled and dropped from `pending`), the last handed out first; None when each has begun. At the end
    of a batch this process would otherwise wait while a worker reads the few documents it was kept ahead."""
    for future, index in sorted(pending.items(), key=lambda item: -item[1]):
        if future.cancel():
            del pending[future]
            return index
    return None


def _worker_ended(executor: ProcessPoolExecutor) -> bool:
    """A worker of the pool has ended (killed, out of memory, crashed). The pool's own thread notices that
    and breaks the pool, unless the worker died while it was sending a result: that thread then waits for the
    rest of the message for ever (CPython's ProcessPoolExecutor reads the result pipe before it looks at the
    workers), and so the caller looks too (tests/test_batch.py kills a worker at that moment)."""
    return any(process.exitcode is not None for process in (getattr(executor, "_processes", None) or {}).values())


def _abandon(executor: ProcessPoolExecutor) -> None:
    """Stop a pool that failed (a worker died) or whose caller stopped early without waiting on it: a pool
    broken by a killed worker can hang for ever in shutdown(wait=True), its feeder blocked on the dead worker's
    pipe (seen once in a CI run of tests/test_batch.py). The workers left are killed and reaped, and this
    process's end of the result pipe is closed, so that the pool's thread, if it waits for the rest of a
    result a dead worker had begun to send, reads the end of the pipe and stops (else the interpreter would
    wait for that thread at exit)."""
    processes = list((getattr(executor, "_processes", None) or {}).values())  # the pool's own, by pid
    results = getattr(executor, "_result_queue", None)
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(timeout=5)
    writer = getattr(results, "_writer", None)
    if writer is not None:
        writer.close()


def _packed(work: Callable[[Job], Any], job: Job) -> bytes:
    """work(job), pickled in the worker (compactly: see pickled): the caller unpickles it in _unpacked. Then
    the worker collects what the document left in cycles and freezes what it keeps (its Readings, the
    patterns and lexicons made on first use), as assess_batch does in a single process after each document:
    else the worker's own collections walked all that again and again (29 of them at 3.5 ms each in a run of
    125 documents, about 2 % of the worker's time, a cost that one process does not have)."""
    data = pickled(work(job))
    if gc.isenabled():
        gc.collect()
        gc.freeze()
    return data


def pickled(outcome: Any) -> bytes:
    """outcome pickled as pickle.dumps does, but each pydantic model (without extra fields or private
    attributes, as every model of this package) as its class, its field names (written once per set of names),
    its values and the fields set (None: all of them), rebuilt by _model: pydantic's own state is two dicts and
    a set per model, written and read back through its Python __getstate__ and __setstate__. A Report is
    about 600 models: about 30 % faster to write and 4 % faster to read, a third smaller (the Python call
    per model on either side is most of what is left: the same Report of plain classes reads 20 % faster)."""
    import copyreg
    import io
    import pickle

    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    table = dict(copyreg.dispatch_table)  # a pickler with a table of its own looks at no other
    classes = [BaseModel]  # walked at each call (16 µs), so that a model class made since is written so too
    while classes:
        for cls in classes.pop().__subclasses__():
            table[cls] = _model_reduction
            classes.append(cls)
    pickler.dispatch_table = table
    pickler.dump(outcome)
    return out.getvalue()


_FIELD_NAMES: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple per set of names: pickled once per outcome


def _model_reduction(model: BaseModel) -> tuple[Any, ...]:
    if model.__pydantic_extra__ is not None or model.__pydantic_private__ is not None:
        return model.__reduce_ex__(5)  # pydantic's own state (at protocol 5, as the pickler writes)
    values = model.__dict__
    names = tuple(values)
    names = _FIELD_NAMES.setdefault(names, names)
    fields_set = model.__pydantic_fields_set__
    return _model, (type(model), names, tuple(values.values()),
                    None if len(fields_set) == len(names) else tuple(fields_set))


def _model(cls: type[BaseModel], names: tuple[str, ...], values: tuple[Any, ...],
           fields_set: tuple[str, ...] | None) -> BaseModel:
    """A model as _model_reduction wrote it."""
    return built(cls, dict(zip(names, values)), set(names if fields_set is None else fields_set))


def _unpacked(data: bytes) -> Any:
    """A worker's outcome, unpickled with the garbage collector paused: a Report is about a thousand small
    objects, none of them in a cycle, and collections triggered while they are made were a fifth of the
    caller's time (on the same cores as the workers). The collector runs again at the next allocations."""
    import pickle

    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if paused:
            gc.enable()


def _start_method() -> Any:
    """fork where it is safe: on Linux, in a process that runs no other thread. A worker then starts as a
    copy of this process, with perfnlp imported and its lexicons and patterns made, instead of importing
    everything again (about a third of a second of CPU per worker). spawn elsewhere: on macOS (forking a
    process that has used system frameworks can crash), on Windows, and in a process with other threads
    (a Dask client's, a notebook kernel's, one left by a closed Dask cluster): a thread that holds a lock when
    the process forks leaves that lock held for ever in the child, which then hangs at its first use."""
    import multiprocessing
    import threading

    if _FORK and sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods() \
            and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


# A worker killed from outside mid-run (tests/test_batch.py test_worker_killed_from_outside) ends in WorkerDied
# with forked workers too: the pool found broken at submit raises WorkerDied as at result(). The one hang seen
# with forking came in a test run where the kill test forked a process that an earlier test had left running a
# Dask cluster's offload thread (found: threading.enumerate() at the fork); such a process spawns its workers.
_FORK = True


def _run_dask(jobs: list[Job], client: Any, work: Callable[[Job], Any]) -> Iterator[tuple[int, Any]]:
    try:
        from distributed import as_completed
    except ImportError:
        raise ImportError("running on a Dask cluster needs the optional extra: pip install 'perfnlp[dask]'") from None
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    window = max(8, workers * _IN_FLIGHT_PER_WORKER)
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
                             f"{one_line(exc)}); " + _unfinished(jobs, [index, *index_of.values()],
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
