"""Many documents on a local dask.distributed cluster (docs/scale.md), when dask and distributed are installed:
the same Reports as one process. A file of its own, after tests/test_batch.py (see there)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from test_batch import PAIR, ROOT, SEEDS, dumped, single  # noqa: F401 - single: the fixture, used here too

import perfnlp
from perfnlp.reports.report import Report

pytestmark = pytest.mark.skipif(not all(p.is_file() for p in PAIR), reason=f"the seed documents are not at {SEEDS}")


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
