"""Many documents: assess_many on one machine (processes=1 and 2 agree) and the same per-document function on a
local dask.distributed cluster (docs/scale.md), when dask and distributed are installed."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

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
