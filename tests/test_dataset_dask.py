"""The dataset built on a Dask cluster (distributed.LocalCluster, worker processes): the same rows as on one
machine; a worker killed mid-run is replaced and its documents read again (the run completes); with no
failures allowed, the run fails loudly with WorkerDied and keeps what it had committed."""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
from pathlib import Path
from typing import Any, Iterator

import pytest

from conftest import SEEDS

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")

from perfnlp.reports.batch import WorkerDied  # noqa: E402
from perfnlp.reports.dataset import build_dataset  # noqa: E402

SEED_FILES = sorted(SEEDS.glob("*.txt"))
pytestmark = pytest.mark.skipif(not SEED_FILES, reason=f"the seed documents are not at {SEEDS}")
COPIES = 6  # documents per seed: enough that work is in flight on both workers when one is killed


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("docs")
    for n in range(COPIES):
        folder = root / f"batch{n}"
        folder.mkdir()
        for seed in SEED_FILES:
            shutil.copy(seed, folder / seed.name)
    return root


@pytest.fixture(scope="module")
def local(docs: Path, tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Any, ...]]:
    out = tmp_path_factory.mktemp("local") / "tasks.sqlite"
    build_dataset(docs, out)
    return items(out)


def items(out: Path) -> list[tuple[Any, ...]]:
    db = sqlite3.connect(out)
    rows = db.execute('SELECT * FROM items ORDER BY path, "row", item').fetchall()
    db.close()
    return rows


def paths(out: Path) -> list[str]:
    db = sqlite3.connect(out)
    found = [r[0] for r in db.execute("SELECT path FROM documents WHERE error IS NULL ORDER BY path")]
    db.close()
    return found


@pytest.fixture
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c, \
            distributed.Client(c) as client:
        client.wait_for_workers(2, timeout=60)
        yield client


def killer(client: Any) -> Any:
    """on_document: after the first document, SIGKILL a worker that has work in flight (as the OOM killer)."""
    killed: list[int] = []

    def kill(path: str) -> None:
        if killed:
            return
        busy = [address for address, keys in client.processing().items() if keys]
        pids = client.run(os.getpid)
        address = busy[0] if busy else next(iter(pids))
        killed.append(pids[address])
        os.kill(pids[address], signal.SIGKILL)

    kill.killed = killed  # type: ignore[attr-defined]
    return kill


def test_same_rows_on_a_cluster(cluster: Any, docs: Path, local: list[tuple[Any, ...]], tmp_path: Path):
    out = tmp_path / "tasks.sqlite"
    summary = build_dataset(docs, out, client=cluster)
    assert summary.read == COPIES * len(SEED_FILES) and not summary.failures
    assert items(out) == local


def test_worker_killed_mid_run_is_replaced(cluster: Any, docs: Path, local: list[tuple[Any, ...]], tmp_path: Path):
    out = tmp_path / "tasks.sqlite"
    kill = killer(cluster)
    summary = build_dataset(docs, out, client=cluster, on_document=kill)
    assert kill.killed  # a worker did die mid-run
    # the scheduler gave the dead worker's documents to the other worker (and the nanny restarted it)
    assert summary.read == COPIES * len(SEED_FILES) and not summary.failures
    assert items(out) == local


def test_worker_killed_with_no_retries_fails_loudly(docs: Path, tmp_path: Path):
    out = tmp_path / "tasks.sqlite"
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c, \
            distributed.Client(c) as client:
        client.wait_for_workers(2, timeout=60)
        kill = killer(client)
        with pytest.raises(WorkerDied, match="Dask workers died while reading") as died:
            build_dataset(docs, out, client=client, on_document=kill)
    assert kill.killed and "documents not done" in str(died.value)
    done = paths(out)  # what was committed before the failure stays, and a new run finishes the rest
    assert 1 <= len(done) < COPIES * len(SEED_FILES)
    again = build_dataset(docs, out)
    assert again.unchanged == len(done) and again.read == COPIES * len(SEED_FILES) - len(done)


def test_command_on_a_scheduler(cluster: Any, docs: Path, local: list[tuple[Any, ...]], tmp_path: Path):
    import subprocess
    import sys

    from conftest import ROOT

    out = tmp_path / "tasks.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    r = subprocess.run([sys.executable, "-m", "perfnlp", "dataset", str(docs), "--out", str(out), "--scheduler",
                        cluster.scheduler.address], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert f"({COPIES * len(SEED_FILES)} read, 0 unchanged, 0 removed)" in r.stderr
    assert items(out) == local
