"""Work on many processes: run_pool(jobs, processes, work) → (index, work(job)) for every job, as they
complete, on this process and processes − 1 workers. This process reads documents too, between taking the
workers' results: what it reads is never pickled and unpickled, and one worker fewer is started.

Where forking is safe (Linux, and no other thread in this process: see _start_method) the workers are
forked copies of this process (_run_forked): each starts with perfnlp imported, the jobs and the work
function in its memory, and takes the next job by reading its index from one pipe, as this process does
when no result is waiting; each sends its results on a pipe of its own. Elsewhere a ProcessPoolExecutor of
spawned workers, kept a few documents ahead (_run_executor). Results travel as compact pickles (pickled).
A worker that dies (killed, out of memory) stops the run with WorkerDied naming the documents not done,
never a hang.
"""
from __future__ import annotations

import gc
import os
import sys
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterable, Iterator, Protocol, Sequence

from pydantic import BaseModel

from ..text.model import built

IN_FLIGHT_PER_WORKER = 4  # documents handed ahead to a spawned or Dask worker: bounded memory, busy workers
_POLL_SECONDS = 1.0  # how often a wait for the workers looks whether one of them has ended
RESULT_PIPE_BYTES = 2**20  # Linux's limit for a pipe that an unprivileged process widens (fs.pipe-max-size)
_SWITCH_SECONDS = 0.0002  # the interpreter's switch interval while a spawned pool runs (see _run_executor)


class WorkerDied(RuntimeError):
    """A worker process (or Dask worker) died while documents were being read: the run cannot complete."""


class Named(Protocol):
    @property
    def name(self) -> str: ...


def run_pool(jobs: Sequence[Named], processes: int, work: Callable[[Any], Any]) -> Iterator[tuple[int, Any]]:
    """(index, work(job)) for every job, as they complete, on `processes` processes (see the module).
    `work` never raises for a job; on spawned workers it travels by name (a module-level function)."""
    context = _start_method()
    if context.get_start_method() == "fork":
        return _run_forked(jobs, processes, work, context)
    return _run_executor(jobs, processes, work, context)


def unfinished(jobs: Sequence[Named], pending: Iterable[int], waiting: range = range(0)) -> str:
    names = [jobs[i].name for i in sorted(pending)] + [jobs[i].name for i in waiting]
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return f"{len(names)} documents not done: {shown}"


def _died(jobs: Sequence[Named], pending: Iterable[int], waiting: range = range(0)) -> WorkerDied:
    return WorkerDied("a worker process died (killed, or out of memory) while reading documents; "
                      + unfinished(jobs, pending, waiting))


# ---------------------------------------------------------------------------------------- forked workers

_CLAIM_BYTES = 4  # a job's index in the claims pipe
try:
    from select import PIPE_BUF as _PIPE_BUF
except ImportError:  # pragma: no cover - no fork there either
    _PIPE_BUF = 512  # POSIX's least
_CLAIMS_AT_ONCE = _PIPE_BUF // _CLAIM_BYTES  # a write of at most PIPE_BUF bytes is whole or not at all


class _Claims:
    """The jobs' indices in a pipe, in order; whoever reads one does that job. Reads are of one index and
    writes of whole indices at most PIPE_BUF bytes at a time (atomic), so that no index is ever split between
    two readers. Both ends are non-blocking (the reading end is one open file shared by every process): this
    process takes an index only when one is there, and writes more as the pipe has room (64 KiB, 16,384
    indices); a worker waits in select(). The writing end is closed once everything is written: a worker then
    reads the end of the pipe when it is empty, and stops."""

    def __init__(self, count: int) -> None:
        self.reader, self.writer = os.pipe()
        os.set_blocking(self.reader, False)
        os.set_blocking(self.writer, False)
        self.unwritten = memoryview(b"".join(i.to_bytes(_CLAIM_BYTES, "little") for i in range(count)))
        self.fill()

    def fill(self) -> None:
        """Write what the pipe has room for; close the writing end when everything is written."""
        while self.writer >= 0 and self.unwritten:
            try:
                os.write(self.writer, self.unwritten[:_CLAIMS_AT_ONCE * _CLAIM_BYTES])
            except BlockingIOError:  # no room for the whole chunk: nothing was written
                return
            self.unwritten = self.unwritten[_CLAIMS_AT_ONCE * _CLAIM_BYTES:]
        self.close_writer()

    def take(self) -> int | None:
        """The next job's index; None when the pipe is empty now (the workers took the rest, or it is
        not written yet) or has ended."""
        try:
            data = os.read(self.reader, _CLAIM_BYTES)
        except BlockingIOError:
            return None
        return int.from_bytes(data, "little") if data else None

    def next_in_worker(self) -> int | None:
        """The next job's index, waiting for one; None at the end of the pipe."""
        import select

        while True:
            try:
                data = os.read(self.reader, _CLAIM_BYTES)
            except BlockingIOError:  # another process took the last one there
                select.select([self.reader], [], [])
                continue
            return int.from_bytes(data, "little") if data else None

    def close_writer(self) -> None:
        if self.writer >= 0:
            os.close(self.writer)
            self.writer = -1

    def close(self) -> None:
        self.close_writer()
        os.close(self.reader)


def _run_forked(jobs: Sequence[Named], processes: int, work: Callable[[Any], Any],
                context: Any) -> Iterator[tuple[int, Any]]:
    """The forked pool (see the module). Against a ProcessPoolExecutor it has no threads in this process
    (theirs waited for the interpreter lock while this process read a document, and a worker for its next
    job meanwhile), pickles no job, and no job is handed out before a process is free for it: nothing to
    take back at the end. A worker's death shows as the end of its results pipe (only it holds the writing
    end: this process closes its copy right after the fork, before it forks the next worker) with an exit
    code other than 0, or, when this process waits for results, as an exit code seen at a poll."""
    from multiprocessing.connection import wait as ready

    claims = _Claims(len(jobs))
    workers: dict[Any, Any] = {}  # a worker's results Connection → its Process
    ended: list[Any] = []  # the Processes whose results pipe has ended
    pending = set(range(len(jobs)))  # not yielded yet
    # a forked worker starts as a copy of this process, sharing its pages until one of the two writes to one
    # (a page copied then costs 6.4 µs here, a new one 1.8 µs). What was there at the fork stays frozen (out of
    # the collector's reach) until the workers have ended, so that neither process's collections walk it, and
    # copy its pages (this process's first full collection after the fork walked all of it, when it was
    # unfrozen right after the fork: 3,800 of its 59,700 page faults in a run after an earlier batch).
    # Not when the caller keeps objects frozen itself: unfreezing would undo that.
    frozen = gc.get_freeze_count() == 0
    try:
        if frozen:
            gc.freeze()
        for _ in range(min(processes, len(jobs)) - 1):
            results, sending = context.Pipe(duplex=False)
            _widen_pipe(sending.fileno())
            process = context.Process(target=_serve, args=(claims, sending, results, jobs, work), daemon=True,
                                      name="perfnlp-worker")
            process.start()
            sending.close()
            workers[results] = process
        while pending:
            claims.fill()
            arrived = ready(list(workers), timeout=0)
            if not arrived:
                index = claims.take()
                if index is not None:  # no result waits: read a document here
                    pending.discard(index)
                    yield index, work(jobs[index])
                    continue
                if claims.writer >= 0:
                    continue  # the workers emptied the pipe: write the next indices
                if not workers:  # every worker ended, and what it had taken never came
                    raise _died(jobs, pending)
                arrived = ready(list(workers), timeout=_POLL_SECONDS)
                if not arrived and any(p.exitcode not in (None, 0) for p in workers.values()):
                    raise _died(jobs, pending)
            for results in arrived:
                try:
                    data = results.recv_bytes()
                except EOFError:  # the worker ended, after the last index or killed (also mid-message)
                    process = workers.pop(results)
                    results.close()
                    ended.append(process)
                    process.join(timeout=_POLL_SECONDS)  # None still: it is ending after the last index
                    if process.exitcode not in (None, 0):
                        raise _died(jobs, pending) from None
                    continue
                index = int.from_bytes(data[:_CLAIM_BYTES], "little")
                pending.discard(index)
                yield index, _unpacked(memoryview(data)[_CLAIM_BYTES:])
    finally:
        try:
            _end_forked(claims, workers, ended, bool(pending))
        finally:  # the workers have ended (or Ctrl-C came while they did): nothing is shared any more
            if frozen:
                gc.unfreeze()


def _end_forked(claims: _Claims, workers: dict[Any, Any], ended: list[Any], stopped_early: bool) -> None:
    claims.close_writer()  # the workers read the end of the pipe once it is empty
    for process in workers.values():
        if stopped_early and process.is_alive():  # stopped early or failed: no one waits for the rest
            process.kill()
    for process in [*workers.values(), *ended]:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()
    for results in workers:
        results.close()
    claims.close()


def _serve(claims: _Claims, sending: Any, results: Any, jobs: Sequence[Named],
           work: Callable[[Any], Any]) -> None:
    """A forked worker: the next job's index from the claims pipe, its outcome on the results pipe (the
    index, then the compact pickle), until the claims end. Ctrl-C is the caller's to handle (it stops the
    workers); a caller that is gone (its end of the results pipe closed) ends the worker quietly."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    claims.close_writer()  # else the pipe would never end
    results.close()
    try:
        while (index := claims.next_in_worker()) is not None:
            sending.send_bytes(index.to_bytes(_CLAIM_BYTES, "little") + _packed(work, jobs[index]))
    except BrokenPipeError:
        pass
    sending.close()


def _widen_pipe(fd: int, size: int = RESULT_PIPE_BYTES) -> None:
    """Let the pipe hold `size` bytes (Linux; elsewhere, or above what the system allows, it stays as it
    is). A Report is about 100 KB pickled, and a pipe holds 64 KB: a worker that sends one waited, its next
    document untouched, until this process took the first part out, between two documents of its own."""
    try:
        import fcntl

        if fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ) < size:
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, size)
    except (ImportError, AttributeError, OSError, ValueError):
        pass  # no fcntl or no pipe sizes (Windows, macOS), or a limit lower than `size`


# ------------------------------------------------------------------------------------ spawned workers

def _run_executor(jobs: Sequence[Named], processes: int, work: Callable[[Any], Any],
                  context: Any) -> Iterator[tuple[int, Any]]:
    """The pool of spawned workers (see the module). The workers are kept a few documents ahead, so that
    they do not wait for this process while it reads a long one."""
    window = (processes - 1) * IN_FLIGHT_PER_WORKER
    executor = ProcessPoolExecutor(max_workers=processes - 1, mp_context=context)
    widen_result_pipe(executor)
    pending: dict[Future[Any], int] = {}
    submitted = 0  # the jobs handed out so far, to a worker or to this process, in order
    finished = False
    # the pool's threads in this process (the one that takes the workers' results and hands them the next
    # jobs, and the one that sends those) wait for the interpreter lock while this process reads a document;
    # at the default switch interval (5 ms) a worker stood idle for about a tenth of the run, waiting for
    # its next job (83 waits of 5 to 13 ms in 115 documents). They get it sooner while the pool runs.
    switch = sys.getswitchinterval()
    sys.setswitchinterval(min(switch, _SWITCH_SECONDS))

    def died() -> WorkerDied:
        return _died(jobs, pending.values(), range(submitted, len(jobs)))

    try:
        while submitted < len(jobs) or pending:
            while submitted < len(jobs) and len(pending) < window:
                try:
                    pending[executor.submit(_packed, work, jobs[submitted])] = submitted
                except BrokenProcessPool:  # a worker died before this job could be handed out
                    raise died() from None
                submitted += 1
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
        if finished:
            executor.shutdown(wait=True, cancel_futures=True)
        else:
            _abandon(executor)


def widen_result_pipe(executor: ProcessPoolExecutor, size: int = RESULT_PIPE_BYTES) -> None:
    """Let the pipe that carries the pool's results hold `size` bytes (see _widen_pipe): else a worker that
    sent a Report waited until this process's pool thread, itself waiting for the interpreter lock while
    this process read a document, took the first part out (about 2 % of the worker's time)."""
    writer = getattr(getattr(executor, "_result_queue", None), "_writer", None)
    if writer is not None:
        _widen_pipe(writer.fileno(), size)


def _take_back(pending: dict[Future[Any], int]) -> int | None:
    """The index of a job handed to the workers that none of them has begun, taken back (its future
    cancelled and dropped from `pending`), the last handed out first; None when each has begun. At the end
    of a batch this process would otherwise wait while a worker reads the few documents it was kept ahead."""
    for future, index in sorted(pending.items(), key=lambda item: -item[1]):
        if future.cancel():
            del pending[future]
            # it stays in the pool's own table until the pool's thread drops it; a pool that breaks before
            # (a worker died) has that thread set an error on it, which raised InvalidStateError there, a
            # traceback on stderr after the WorkerDied (CPython gh-107219, fixed in 3.12)
            future.set_exception = _ignored  # type: ignore[method-assign]
            return index
    return None


def _ignored(error: BaseException | None) -> None:
    pass


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
    wait for that thread at exit). The futures are not cancelled: the pool's thread, when it finds the pool
    broken, sets an error on each future it holds (see _take_back)."""
    processes = list((getattr(executor, "_processes", None) or {}).values())  # the pool's own, by pid
    results = getattr(executor, "_result_queue", None)
    executor.shutdown(wait=False)
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(timeout=5)
    writer = getattr(results, "_writer", None)
    if writer is not None:
        writer.close()


def _packed(work: Callable[[Any], Any], job: Any) -> bytes:
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
    attributes, as every model of this package) as its class, its own dict of values and the fields set
    (None: all of them), rebuilt by _model: pydantic's own state is two dicts and a set per model, written and
    read back through its Python __getstate__ and __setstate__. The five seeds' Reports (about 840 models
    each): written in 6.7 ms against 12.8, read in 9.2 against 11.5, 374 KB against 474 (the Python call per
    model on either side is most of what is left: the same Reports of plain classes read 20 % faster)."""
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


def _model_reduction(model: BaseModel) -> tuple[Any, ...]:
    if model.__pydantic_extra__ is not None or model.__pydantic_private__ is not None:
        return model.__reduce_ex__(5)  # pydantic's own state (at protocol 5, as the pickler writes)
    values = model.__dict__
    fields_set = model.__pydantic_fields_set__
    return _model, (type(model), values, None if len(fields_set) == len(values) else tuple(fields_set))


def _model(cls: type[BaseModel], values: dict[str, Any], fields_set: tuple[str, ...] | None) -> BaseModel:
    """A model as _model_reduction wrote it. The field values come as the dict that becomes the model's
    own, made by the unpickler: a dict made here of names and values took half the time of a model."""
    return built(cls, values, set(values if fields_set is None else fields_set))


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


# The one hang seen with forking came in a test run where the kill test forked a process that an earlier test had
# left running a Dask cluster's offload thread (found: threading.enumerate() at the fork); such a process spawns
# its workers.
_FORK = True


