"""Many documents: assess_many on one machine (processes=1 and 2 agree) and the same per-document function on a
local dask.distributed cluster (docs/scale.md), when dask and distributed are installed."""
from __future__ import annotations

import re
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


def test_dask_cluster(single: list[Report]):
    db = pytest.importorskip("dask.bag")
    distributed = pytest.importorskip("distributed")
    paths = [str(p) for p in PAIR]
    # the docs/scale.md recipe: the per-document function mapped over the paths on a cluster
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        reports = db.from_sequence(paths, npartitions=len(paths)).map(perfnlp.assess_document).compute()
    assert dumped(reports) == dumped(single)


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", path.read_text(encoding="utf-8"), flags=re.S | re.M)


def test_scale_doc_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    pytest.importorskip("dask.bag")
    pytest.importorskip("distributed")
    pytest.importorskip("pandas")
    blocks = python_blocks(ROOT / "docs" / "scale.md")
    assert len(blocks) == 4
    monkeypatch.chdir(ROOT)
    expected = Report.merge(perfnlp.assess_many([SEEDS]))
    for block in blocks:
        namespace: dict[str, object] = {"__name__": "__main__"}
        exec(compile(block.replace("../shared/seeds", SEEDS.as_posix()), "scale.md", "exec"), namespace)
        if "everything" in namespace:
            assert dumped([namespace["everything"]]) == dumped([expected])  # type: ignore[list-item]
    out = capsys.readouterr().out
    assert out.count(f"{len(expected.rows)} target items") == 2


# ------------------------------------------------------------------------------------------------ faults

import json
import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from typing import Iterator

from perfnlp.reports.batch import (Job, WorkerDied, assess_batch, assess_job, display_name, find_documents,
                                   read_bytes, run_jobs)

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


def dies_on_b(job: Job) -> object:
    """A worker that is killed (os._exit: no clean-up, as the OOM killer does) when it reaches b.txt."""
    if job.name == "b.txt":
        os._exit(9)
    return assess_job(job)


def test_dead_worker_fails_loudly_not_for_ever(tmp_path: Path):
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        shutil.copy(TABLE, tmp_path / name)
    found, _ = find_documents([tmp_path])
    jobs = [Job(item) for item in found]
    with deadline(120), pytest.raises(WorkerDied, match="worker process died") as died:
        list(run_jobs(jobs, processes=2, work=dies_on_b))
    assert "b.txt" in str(died.value) and "documents not done" in str(died.value)


def switch_interval_of(job: Job) -> tuple[int, float]:
    """The process that read the job and the interpreter's switch interval there."""
    return os.getpid(), sys.getswitchinterval()


def test_pool_threads_get_the_lock_soon_while_the_pool_runs():
    # the caller reads documents itself; the pool's threads in it wait for the interpreter lock meanwhile,
    # and a worker that waits for its next job stood idle for a tenth of the run at the default interval
    from perfnlp.reports.batch import _SWITCH_SECONDS

    before = sys.getswitchinterval()
    jobs = [Job(f"text {k}") for k in range(12)]
    with deadline(120):
        seen = [outcome for _, outcome in run_jobs(jobs, processes=2, work=switch_interval_of)]
    caller = [interval for pid, interval in seen if pid == os.getpid()]
    assert caller and all(interval == pytest.approx(min(before, _SWITCH_SECONDS), abs=1e-6) for interval in caller)
    assert sys.getswitchinterval() == before  # given back when the pool is done


def test_the_result_pipe_holds_a_whole_report(single: list[Report]):
    # a worker that sends a Report into a pipe too small for it waits for this process to take it out
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    from perfnlp.reports.batch import RESULT_PIPE_BYTES, widen_result_pipe

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

    from perfnlp.reports.batch import _unpacked, pickled

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

    from perfnlp.reports.batch import _packed

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
# unsafe case that reports/batch.py never forks in, and would test that instead of the kill
_KILL_SCENARIO = r"""
import multiprocessing, os, signal, sys
from pathlib import Path
import perfnlp.reports.batch as batch
from perfnlp.reports.batch import Job, WorkerDied, find_documents, run_jobs
method = sys.argv[1]
batch._start_method = lambda: multiprocessing.get_context(method)
found, _ = find_documents([Path(sys.argv[2])])
executors = []
original = batch.ProcessPoolExecutor
class Watched(original):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        executors.append(self)
batch.ProcessPoolExecutor = Watched
try:
    for done, _ in enumerate(run_jobs([Job(item) for item in found], processes=2), 1):
        if done == 1:
            os.kill(list(executors[0]._processes)[0], signal.SIGKILL)
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


def test_forks_only_where_no_other_thread_runs():
    """A thread holding a lock when the process forks would leave it held in the worker for ever: a process
    with another thread spawns its workers; one without forks them on Linux."""
    import sys
    import threading

    import perfnlp.reports.batch as batch

    alone = threading.active_count() == 1
    if alone:
        expected = "fork" if sys.platform.startswith("linux") else "spawn"
        assert batch._start_method().get_start_method() == expected
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert batch._start_method().get_start_method() == "spawn"
    finally:
        stop.set()
        other.join()
    if alone:
        assert batch._start_method().get_start_method() == expected


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
