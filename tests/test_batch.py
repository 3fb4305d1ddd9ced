"""Many documents: assess_many on one machine (processes=1 and 2 agree), its pool of worker processes, and the
walk of directories. The same per-document function on a dask.distributed cluster: tests/test_batch_dask.py
(a file of its own, run after this one: a closed Dask cluster leaves threads running in this process, and
a process with other threads spawns its workers instead of forking them, so that the forked pool's tests
here would be skipped)."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pydantic
import pytest

import perfnlp
from perfnlp.reports.batch import expand
from perfnlp.reports.report import Report

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
PAIR = [SEEDS / "000_b301461eb80dab25.txt", SEEDS / "001_c0e87f5e9a3fd2cb.txt"]

pytestmark = pytest.mark.skipif(not all(p.is_file() for p in PAIR), reason=f"the seed documents are not at {SEEDS}")


def dumped(reports: list[Report]) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in reports]


@pytest.fixture(scope="module")
def single() -> list[Report]:
    return perfnlp.assess_many(PAIR, processes=1)


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    for path in PAIR:
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_one_report_per_document_in_order(single: list[Report]):
    assert len(single) == 2
    assert [r.documents for r in single] == [[p.name] for p in PAIR]
    assert dumped(single) == dumped([perfnlp.assess_document(p) for p in PAIR])
    assert all(r.rows for r in single)


def test_two_processes_give_the_same_rows(single: list[Report]):
    assert dumped(perfnlp.assess_many(PAIR, processes=2)) == dumped(single)
    assert dumped(perfnlp.assess_many([str(p) for p in PAIR], processes=2)) == dumped(single)


def test_directory(single: list[Report], seed_dir: Path):
    assert expand([seed_dir]) == sorted(seed_dir / p.name for p in PAIR)
    assert dumped(perfnlp.assess_many([seed_dir])) == dumped(single)
    assert dumped(perfnlp.assess_many([seed_dir], processes=2)) == dumped(single)
    merged = Report.merge(perfnlp.assess_many([seed_dir]))
    assert len(merged.rows) == sum(len(r.rows) for r in single)
    assert merged.documents == [p.name for p in PAIR]


def test_texts_and_documents_mix(single: list[Report]):
    doc = perfnlp.read_document(PAIR[1])
    reports = perfnlp.assess_many([PAIR[0], doc])
    assert dumped(reports) == dumped(single)


@pytest.mark.parametrize("bad", [0, -1, 1.5, "2", None])
def test_bad_processes(bad: object):
    with pytest.raises(ValueError, match="processes"):
        perfnlp.assess_many(PAIR, processes=bad)  # type: ignore[arg-type]


def test_progress_bar_when_asked(single: list[Report], capsys: pytest.CaptureFixture[str]):
    assert dumped(perfnlp.assess_many(PAIR, progress=True)) == dumped(single)
    assert "2/2 documents" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------------ faults

import json
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from perfnlp.reports.batch import (Job, WorkerDied, assess_batch, assess_job, display_name, find_documents,
                                   read_bytes, run_jobs)
from perfnlp.reports import pool

TABLE = PAIR[0]


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: SIGALRM after `seconds`."""
    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds}s: a hang")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def dies_in_a_worker(job: Job) -> object:
    """A worker is killed (os._exit: no clean-up, as the OOM killer does) at the first document it reads,
    after it wrote that document's name to the file $PERFNLP_TEST_DIED; the caller reads slowly, so that a
    worker gets a document to die on (the caller reads documents too)."""
    if str(os.getpid()) != os.environ["PERFNLP_TEST_CALLER"]:
        Path(os.environ["PERFNLP_TEST_DIED"]).write_text(job.name, encoding="utf-8")
        os._exit(9)
    time.sleep(0.05)
    return assess_job(job)


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")  # no traceback after it
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_dead_worker_fails_loudly_not_for_ever(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str):
    import multiprocessing

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} on this platform")
    if method == "fork" and threading.active_count() > 1:
        pytest.skip("an earlier test left a thread running: reports/pool.py would not fork here")
    monkeypatch.setattr(pool, "_start_method", lambda: multiprocessing.get_context(method))
    monkeypatch.setenv("PERFNLP_TEST_CALLER", str(os.getpid()))
    monkeypatch.setenv("PERFNLP_TEST_DIED", str(tmp_path / "died"))
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        shutil.copy(TABLE, tmp_path / name)
    found, _ = find_documents([tmp_path])
    jobs = [Job(item) for item in found]
    with deadline(120), pytest.raises(WorkerDied, match="worker process died") as died:
        list(run_jobs(jobs, processes=2, work=dies_in_a_worker))
    assert "documents not done" in str(died.value)
    assert (tmp_path / "died").read_text(encoding="utf-8") in str(died.value)  # the one the worker had


def pid_and_switch_interval(job: Job) -> tuple[int, float, int]:
    """The process that read the job, the interpreter's switch interval there and its number of threads
    (after a few milliseconds: long enough for every process to get some of the jobs)."""
    time.sleep(0.005)
    return os.getpid(), sys.getswitchinterval(), threading.active_count()


def test_spawned_pool_threads_get_the_lock_soon_while_the_pool_runs(monkeypatch: pytest.MonkeyPatch):
    # with spawned workers the caller reads documents itself while the pool's threads in it wait for the
    # interpreter lock, and a worker that waits for its next job stood idle for a tenth of the run at the
    # default interval
    import multiprocessing

    from perfnlp.reports.pool import _SWITCH_SECONDS

    monkeypatch.setattr(pool, "_start_method", lambda: multiprocessing.get_context("spawn"))
    before = sys.getswitchinterval()
    jobs = [Job(f"text {k}") for k in range(12)]
    with deadline(120):
        seen = [outcome for _, outcome in run_jobs(jobs, processes=2, work=pid_and_switch_interval)]
    caller = [interval for pid, interval, _ in seen if pid == os.getpid()]
    assert caller and all(interval == pytest.approx(min(before, _SWITCH_SECONDS), abs=1e-6) for interval in caller)
    assert sys.getswitchinterval() == before  # given back when the pool is done


def test_forked_workers_and_the_caller_share_the_jobs_without_threads():
    # the caller and the forked workers take the jobs from one pipe: each job once, and no thread in the
    # caller (nothing waits there for the interpreter lock)
    if pool._start_method().get_start_method() != "fork":
        pytest.skip("this process would not fork its workers")
    before = others_children()
    jobs = [Job(f"text {k}") for k in range(40)]
    with deadline(120):
        seen = dict(run_jobs(jobs, processes=3, work=pid_and_switch_interval))
    assert sorted(seen) == list(range(40))
    pids = {pid for pid, _, _ in seen.values()}
    assert os.getpid() in pids and len(pids) >= 2
    assert all(threads == 1 for pid, _, threads in seen.values() if pid == os.getpid())
    assert others_children() <= before  # every worker ended and was reaped


def test_the_callers_objects_stay_frozen_while_forked_workers_run():
    # a forked worker shares this process's pages until one of the two writes to them: a full collection in
    # this process while the workers run would walk, and so copy, every page of the heap. What this process
    # held before the pool stays out of the collector's walks until the workers have ended, then goes back.
    import gc

    if pool._start_method().get_start_method() != "fork":
        pytest.skip("this process would not fork its workers")
    if gc.get_freeze_count() or not gc.isenabled():
        pytest.skip("this process freezes objects itself, or runs without the collector")
    held = [_Node() for _ in range(3)]
    jobs = [Job(f"text {k}") for k in range(6)]
    during: list[bool] = []
    with deadline(120):
        for _ in run_jobs(jobs, processes=2, work=pid_and_switch_interval):
            during.append(gc.get_freeze_count() > 0 and not any(obj is held[0] for obj in gc.get_objects()))
    assert len(during) == 6 and all(during)
    assert gc.get_freeze_count() == 0 and any(obj is held[0] for obj in gc.get_objects())


def others_children() -> set[Any]:
    """The child processes that run now (an earlier test's, such as a Dask cluster's, may still be ending)."""
    import multiprocessing

    return set(multiprocessing.active_children())


def index_of(job: Job) -> int:
    return int(job.item)


def test_more_jobs_than_the_claims_pipe_holds():
    # the claims pipe holds 16,384 indices (64 KiB): the caller writes the rest as the pipe empties
    if pool._start_method().get_start_method() != "fork":
        pytest.skip("this process would not fork its workers")
    count = 40_000
    jobs = [Job(str(k)) for k in range(count)]
    with deadline(240):
        seen = list(run_jobs(jobs, processes=2, work=index_of))
    assert sorted(index for index, _ in seen) == list(range(count))
    assert all(index == outcome for index, outcome in seen)


def test_a_caller_that_stops_early_leaves_no_worker():
    before = others_children()
    jobs = [Job(f"text {k}") for k in range(400)]
    with deadline(120):
        outcomes = run_jobs(jobs, processes=2, work=pid_and_switch_interval)
        next(outcomes)
        outcomes.close()
    assert others_children() <= before


def test_the_result_pipe_holds_a_whole_report(single: list[Report]):
    # a worker that sends a Report into a pipe too small for it waits for this process to take it out
    import multiprocessing
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    from perfnlp.reports.pool import RESULT_PIPE_BYTES, _widen_pipe, widen_result_pipe

    fcntl = pytest.importorskip("fcntl")
    limit = Path("/proc/sys/fs/pipe-max-size")
    if not hasattr(fcntl, "F_GETPIPE_SZ") or not limit.is_file() or int(limit.read_text()) < RESULT_PIPE_BYTES:
        pytest.skip("pipes cannot be widened to RESULT_PIPE_BYTES here")
    executor = ProcessPoolExecutor(max_workers=1)  # no worker starts before a submit
    try:
        widen_result_pipe(executor)
        size = fcntl.fcntl(executor._result_queue._writer.fileno(), fcntl.F_GETPIPE_SZ)
    finally:
        executor.shutdown()
    assert size >= RESULT_PIPE_BYTES
    reader, writer = multiprocessing.Pipe(duplex=False)  # a forked worker's own results pipe
    try:
        _widen_pipe(writer.fileno())
        assert fcntl.fcntl(writer.fileno(), fcntl.F_GETPIPE_SZ) >= RESULT_PIPE_BYTES
    finally:
        reader.close()
        writer.close()
    assert all(64 * 1024 < len(pickle.dumps(r, pickle.HIGHEST_PROTOCOL)) < size for r in single)


def _fields_sets(value: Any) -> list[tuple[str, list[str]]]:
    """Every model below `value`, by class, with the fields set on it, in order."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return [(type(value).__name__, sorted(value.model_fields_set))] + \
            [found for field in value.__dict__.values() for found in _fields_sets(field)]
    if isinstance(value, (list, tuple)):
        return [found for item in value for found in _fields_sets(item)]
    return []


class _WithExtra(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")
    name: str


def test_a_report_travels_compactly_and_comes_back_the_same(single: list[Report]):
    import pickle

    from perfnlp.reports.pool import _unpacked, pickled

    for report in single:
        data = pickled(report)
        back = _unpacked(data)
        assert back == report and back.model_dump() == report.model_dump()
        assert _fields_sets(back) == _fields_sets(report)  # what model_dump(exclude_unset=True) reads
        assert len(data) < 0.8 * len(pickle.dumps(report, pickle.HIGHEST_PROTOCOL))
    partly = single[0].rows[0].model_copy()
    object.__setattr__(partly, "__pydantic_fields_set__", {"metric", "status"})
    assert _unpacked(pickled(partly)).model_fields_set == {"metric", "status"}
    loose = _WithExtra(name="甲", more=1)  # extra fields: pydantic's own state
    assert _unpacked(pickled([loose]))[0].model_extra == {"more": 1}


class _Node:
    pass


def test_a_worker_collects_and_then_freezes_after_each_document():
    # a worker keeps what a single process keeps (its Readings, the patterns made on first use); frozen after
    # each document, as assess_batch does in one process, its collections stop walking all that. What the
    # document left in cycles is collected first, never frozen (it would stay until the worker ends).
    import gc
    import pickle
    import weakref

    from perfnlp.reports.pool import _packed

    if gc.get_freeze_count() or not gc.isenabled():
        pytest.skip("this process freezes objects itself, or runs without the collector")
    left: list[weakref.ref[_Node]] = []
    kept: list[_Node] = []

    def work(job: Job) -> str:
        garbage = _Node()
        garbage.itself = garbage  # a cycle: only the collector frees it
        left.append(weakref.ref(garbage))
        kept.append(_Node())
        return job.name

    try:
        assert pickle.loads(_packed(work, Job("a text"))) == "(text)"
        assert left[0]() is None
        assert gc.get_freeze_count() > 0
        assert not any(obj is kept[0] for obj in gc.get_objects())  # out of the collector's walks
    finally:
        gc.unfreeze()


# run in a fresh interpreter: forking a process in which an earlier test left a thread running (Dask's) is the
# unsafe case that reports/pool.py never forks in, and would test that instead of the kill
_KILL_SCENARIO = r"""
import multiprocessing, os, signal, sys
from pathlib import Path
import perfnlp.reports.pool as pool
from perfnlp.reports.batch import Job, WorkerDied, find_documents, run_jobs
method = sys.argv[1]
pool._start_method = lambda: multiprocessing.get_context(method)
found, _ = find_documents([Path(sys.argv[2])])
try:
    for done, _ in enumerate(run_jobs([Job(item) for item in found], processes=2), 1):
        if done == 1:
            os.kill(multiprocessing.active_children()[0].pid, signal.SIGKILL)
except WorkerDied as died:
    print("WorkerDied:", died)
else:
    print("no WorkerDied")
"""


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_worker_killed_from_outside(tmp_path: Path, method: str):
    """A worker SIGKILLed mid-run (the OOM killer) stops the run with WorkerDied, never a hang, with forked
    workers and with spawned ones."""
    import multiprocessing

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} on this platform")
    for n in range(12):
        shutil.copy(TABLE, tmp_path / f"{n:02}.txt")
    done = subprocess.run([sys.executable, "-c", _KILL_SCENARIO, method, str(tmp_path)], capture_output=True,
                          text=True, timeout=180)
    assert done.stdout.startswith("WorkerDied: a worker process died"), (done.stdout, done.stderr[-2000:])


_CTRL_C_SCENARIO = r"""
import multiprocessing, os, signal, sys, time
from pathlib import Path
from perfnlp.reports.batch import Job, find_documents, run_jobs
found, _ = find_documents([Path(sys.argv[1])])
outcomes = run_jobs([Job(item) for item in found], processes=3)
try:
    for done, _ in enumerate(outcomes, 1):
        if done == 1:
            os.killpg(os.getpgid(0), signal.SIGINT)  # Ctrl-C: the whole process group, workers too
            signal.pause()
except KeyboardInterrupt:
    time.sleep(1)  # what the workers do with Ctrl-C, before the caller stops them
    outcomes.close()
    print("interrupted;", len(multiprocessing.active_children()), "workers left")
"""


def test_ctrl_c_stops_the_caller_and_its_workers_quietly(tmp_path: Path):
    """Ctrl-C reaches the workers too: the caller stops (KeyboardInterrupt) and stops its workers, and no
    worker prints a traceback of its own."""
    for n in range(12):
        shutil.copy(TABLE, tmp_path / f"{n:02}.txt")
    done = subprocess.run([sys.executable, "-c", _CTRL_C_SCENARIO, str(tmp_path)], capture_output=True,
                          text=True, timeout=180, start_new_session=True)
    assert done.stdout.strip() == "interrupted; 0 workers left", (done.stdout, done.stderr[-2000:])
    assert "Traceback" not in done.stderr, done.stderr[-2000:]


def test_more_processes_than_jobs():
    before = others_children()
    jobs = [Job(str(k)) for k in range(3)]
    with deadline(120):
        assert sorted(run_jobs(jobs, processes=8, work=index_of)) == [(0, 0), (1, 1), (2, 2)]
    assert others_children() <= before


def test_forks_only_where_no_other_thread_runs():
    """A thread holding a lock when the process forks would leave it held in the worker for ever: a process
    with another thread spawns its workers; one without forks them on Linux."""
    alone = threading.active_count() == 1
    if alone:
        expected = "fork" if sys.platform.startswith("linux") else "spawn"
        assert pool._start_method().get_start_method() == expected
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert pool._start_method().get_start_method() == "spawn"
    finally:
        stop.set()
        other.join()
    if alone:
        assert pool._start_method().get_start_method() == expected


def _tree(root: Path) -> None:
    """a/报告.txt and b/报告.txt (one name, two folders), a link to a folder, a link cycle, a broken link, an
    undecodable file, hidden files and an Office lock file."""
    for folder in ("a", "b", "real"):
        (root / folder).mkdir()
    shutil.copy(PAIR[0], root / "a" / "报告.txt")
    shutil.copy(PAIR[1], root / "b" / "报告.txt")
    shutil.copy(PAIR[0], root / "real" / "linked.txt")
    (root / "via_link").symlink_to(root / "real", target_is_directory=True)
    (root / "real" / "loop").symlink_to(root, target_is_directory=True)
    (root / "gone.txt").symlink_to(root / "nowhere.txt")
    (root / "broken.txt").write_bytes(b"\xff\xfe\x00\xd8\x81")  # not UTF-16 (odd length), not UTF-8, not GB18030
    (root / ".hidden.txt").write_text("隐藏", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "x.txt").write_text("x", encoding="utf-8")
    (root / "~$报告.xlsx").write_bytes(b"lock")


def test_walk_keeps_every_document_and_says_what_it_could_not_read(tmp_path: Path):
    _tree(tmp_path)
    found, failures = find_documents([tmp_path])
    names = [f.name for f in found]
    # the link to real/ and real/ itself are one directory: read once, under its real name; the loop back to
    # the root ends; a link to a directory outside is followed (test_link_to_a_directory_outside)
    assert names == ["a/报告.txt", "b/报告.txt", "broken.txt", "real/linked.txt"]
    assert [(f.document, f.reason) for f in failures] == [("gone.txt", "broken link")]
    batch = assess_batch([tmp_path])
    assert [r.documents for r in batch.reports] == [["a/报告.txt"], ["b/报告.txt"], ["real/linked.txt"]]
    assert [f.document for f in batch.failures] == ["gone.txt", "broken.txt"]
    assert "cannot decode" in batch.failures[1].reason
    with pytest.raises(perfnlp.DocumentError, match="gone.txt"):
        perfnlp.assess_many([tmp_path])


def test_link_to_a_directory_outside(tmp_path: Path):
    outside, root = tmp_path / "elsewhere", tmp_path / "root"
    outside.mkdir()
    root.mkdir()
    shutil.copy(PAIR[1], outside / "x.txt")
    (root / "2017").symlink_to(outside, target_is_directory=True)
    found, failures = find_documents([root])
    assert [f.name for f in found] == ["2017/x.txt"] and not failures


def test_unreadable_subdirectory_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _tree(tmp_path)
    import perfnlp.reports.batch as batch

    real_scandir = os.scandir

    def scandir(path: object) -> object:  # as root, chmod 000 would not stop us: refuse as the kernel would
        if Path(str(path)).name == "b":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(batch.os, "scandir", scandir)
    found, failures = find_documents([tmp_path])
    assert "b/报告.txt" not in [f.name for f in found] and "a/报告.txt" in [f.name for f in found]
    assert ("b/", "cannot read directory: Permission denied") in [(f.document, f.reason) for f in failures]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a directory whatever its mode")
def test_unreadable_subdirectory_by_mode(tmp_path: Path):
    _tree(tmp_path)
    (tmp_path / "b").chmod(0)
    try:
        _, failures = find_documents([tmp_path])
    finally:
        (tmp_path / "b").chmod(0o755)
    assert any(f.document == "b/" for f in failures)


def test_names_that_are_not_utf8(tmp_path: Path):
    gbk = "大兴".encode("gb18030") + b".txt"
    odd = b"\xff\xfe.txt"
    for raw in (gbk, odd):
        with open(os.path.join(os.fsencode(tmp_path), raw), "wb") as f:
            f.write(TABLE.read_bytes())
    found, _ = find_documents([tmp_path])
    assert sorted(f.name for f in found) == sorted(["大兴.txt", "\\xff\\xfe.txt"])
    assert display_name(os.fsdecode(odd)) == "\\xff\\xfe.txt"
    for name in (f.name for f in found):
        name.encode("utf-8")  # printable and writable anywhere


def test_read_bytes_refuses_what_is_no_document(tmp_path: Path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 100)
    with pytest.raises(perfnlp.DocumentError, match="larger than"):
        read_bytes(big, limit=99)
    assert read_bytes(big, limit=100) == b"x" * 100
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with deadline(30), pytest.raises(perfnlp.DocumentError, match="not a regular file"):
        read_bytes(fifo)  # would block for a writer if opened


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "perfnlp", *args], capture_output=True, text=True, env=env,
                          timeout=300, cwd=cwd)


def test_table_directory_reads_the_rest_and_exits_2(tmp_path: Path):
    _tree(tmp_path)
    with open(os.path.join(os.fsencode(tmp_path), b"\xff\xfe.txt"), "wb") as f:
        f.write(TABLE.read_bytes())
    out = tmp_path / "out.html"
    r = _cli("table", str(tmp_path), "--html", str(out))
    assert r.returncode == 2, r.stderr
    errors = [line for line in r.stderr.splitlines() if line.startswith("perfnlp: error:")]
    assert len(errors) == 2 and "gone.txt" in errors[0] and "broken.txt" in errors[1]
    assert "Traceback" not in r.stderr
    page = out.read_text(encoding="utf-8")
    assert "\\xff\\xfe.txt" in page and "a/报告.txt" in page and "b/报告.txt" in page
    r = _cli("table", str(tmp_path), "--json", "--processes", "2")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 2
    documents = list(dict.fromkeys(row["document"] for row in json.loads(r.stdout)))
    assert documents[:2] == ["a/报告.txt", "b/报告.txt"] and "\\xff\\xfe.txt" in documents
