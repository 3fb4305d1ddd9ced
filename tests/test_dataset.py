"""`perfnlp dataset DIR --out tasks.sqlite|.duckdb|.parquet`: every item of every document with its document's
metadata, in a database a researcher can query, built incrementally."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import perfnlp
from conftest import ROOT, SEEDS
from perfnlp.reports.dataset import (DOCUMENT_COLUMNS, ITEM_COLUMNS, DatasetError, build_dataset, guess_place,
                                     title_period)

SEED_000 = SEEDS / "000_b301461eb80dab25.txt"
SEED_001 = SEEDS / "001_c0e87f5e9a3fd2cb.txt"
SEED_003 = SEEDS / "003_e4283a3386ddbb3c.txt"

pytestmark = pytest.mark.skipif(not SEED_000.is_file(), reason=f"the seed documents are not at {SEEDS}")


def tree(root: Path) -> Path:
    """Three reports in two years' folders, one file that cannot be decoded, one that is no document."""
    (root / "2017").mkdir(parents=True)
    (root / "2020").mkdir()
    shutil.copy(SEED_000, root / "2017" / "daxing.txt")
    shutil.copy(SEED_001, root / "2017" / "xicheng.txt")
    shutil.copy(SEED_003, root / "2020" / "shi.txt")
    (root / "2020" / "broken.txt").write_bytes(b"\xff\xfe\x00\xd8\x81")
    (root / "notes.png").write_bytes(b"\x89PNG not read")  # no document format
    return root


# ---------------------------------------------------------------------------------------- reading back

def read_back(out: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(documents, items) as lists of dicts, sorted, whatever the format."""
    suffix = out.suffix
    if suffix == ".sqlite":
        db = sqlite3.connect(out)
        db.row_factory = sqlite3.Row
        docs = [dict(r) for r in db.execute("SELECT * FROM documents ORDER BY path")]
        items = [dict(r) for r in db.execute('SELECT * FROM items ORDER BY path, "row", item')]
        db.close()
    elif suffix == ".duckdb":
        import duckdb

        db = duckdb.connect(str(out), read_only=True)

        def rows(sql: str) -> list[dict[str, Any]]:
            cursor = db.execute(sql)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, r)) for r in cursor.fetchall()]

        docs = rows("SELECT * FROM documents ORDER BY path")
        items = rows('SELECT * FROM items ORDER BY path, "row", item')
        db.close()
    else:
        import pyarrow.parquet as pq

        table = pq.read_table(out)
        docs = sorted(json.loads(table.schema.metadata[b"perfnlp:documents"]), key=lambda d: d["path"])
        items = sorted(table.to_pylist(), key=lambda r: (r["path"], r["row"], r["item"]))
    return docs, items


FORMATS = [".sqlite", ".duckdb", ".parquet"]


def needs(suffix: str) -> None:
    if suffix == ".duckdb":
        pytest.importorskip("duckdb", reason="the db extra (duckdb) is not installed")
    if suffix == ".parquet":
        pytest.importorskip("pyarrow", reason="the parquet extra (pyarrow) is not installed")


@pytest.fixture(scope="module")
def reports() -> dict[str, perfnlp.Report]:
    return {"2017/daxing.txt": perfnlp.assess_document(SEED_000), "2017/xicheng.txt": perfnlp.assess_document(SEED_001),
            "2020/shi.txt": perfnlp.assess_document(SEED_003)}


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_item_with_its_document(tmp_path: Path, suffix: str, reports: dict[str, perfnlp.Report]):
    needs(suffix)
    root = tree(tmp_path / "docs")
    out = tmp_path / f"tasks{suffix}"
    summary = build_dataset(root, out)
    assert (summary.found, summary.read, summary.unchanged, summary.removed) == (4, 3, 0, 0)
    assert [f.document for f in summary.failures] == ["2020/broken.txt"]
    docs, items = read_back(out)
    assert [d["path"] for d in docs] == ["2017/daxing.txt", "2017/xicheng.txt", "2020/broken.txt", "2020/shi.txt"]
    assert list(docs[0]) == list(DOCUMENT_COLUMNS) and list(items[0]) == list(ITEM_COLUMNS)
    broken = docs[2]
    assert "cannot decode" in broken["error"] and broken["items"] == 0 and broken["sha256"]
    daxing = docs[0]
    assert daxing["sha256"] == __import__("hashlib").sha256(SEED_000.read_bytes()).hexdigest()
    assert (daxing["size"], daxing["mtime_ns"]) == (SEED_000.stat().st_size, (root / "2017/daxing.txt").stat().st_mtime_ns)
    assert (daxing["title"], daxing["place"], daxing["year"], daxing["period"], daxing["kind"]) == \
        ("大兴区政府2017年度绩效任务进展情况表（第二季度）", "大兴区", 2017, "第二季度", "tsv")
    assert str(daxing["report_as_of"]) == "2017-06-30" and daxing["error"] is None
    assert docs[1]["place"] == "西城区" and docs[3]["place"] is None and docs[3]["period"] == "1-8月"
    assert len(items) == sum(len(r.rows) for r in reports.values())
    for path, report in reports.items():
        mine = [i for i in items if i["path"] == path]
        assert [(i["row"], i["item"], i["status"], i["warning"]) for i in mine] == \
            [(r.row, r.item, r.status, r.warning) for r in report.rows]
        assert all(i["document"] == path and i["title"] == report.titles[0] for i in mine)
    energy = next(i for i in items if i["path"] == "2017/daxing.txt" and i["row"] == 9)
    assert energy["achieved"] == 1421300.0 and energy["achieved_exact"] == "1421300"
    assert energy["target_value"] == 2965000.0 and energy["ratio"] == pytest.approx(0.4794, abs=1e-4)
    assert str(energy["as_of"])[:10] == "2017-06-30" and energy["year"] == 2017


@pytest.mark.parametrize("suffix", FORMATS)
def test_incremental(tmp_path: Path, suffix: str):
    needs(suffix)
    root = tree(tmp_path / "docs")
    out = tmp_path / f"tasks{suffix}"
    build_dataset(root, out)
    _, before = read_back(out)
    again = build_dataset(root, out)
    assert (again.read, again.unchanged, len(again.failures)) == (0, 3, 1)  # the broken file is tried again
    assert read_back(out)[1] == before

    daxing = root / "2017" / "daxing.txt"
    os.utime(daxing, ns=(daxing.stat().st_atime_ns, daxing.stat().st_mtime_ns + 10**9))  # touched, same bytes
    touched = build_dataset(root, out)
    assert (touched.read, touched.unchanged) == (0, 3)
    docs, items = read_back(out)
    assert next(d for d in docs if d["path"] == "2017/daxing.txt")["mtime_ns"] == daxing.stat().st_mtime_ns
    assert items == before

    (root / "2017" / "xicheng.txt").unlink()
    shutil.copy(SEED_000, root / "2020" / "copy.txt")
    changed = root / "2020" / "shi.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("进展情况", "进展情况", 1) + "\n", encoding="utf-8")
    third = build_dataset(root, out)
    assert (third.read, third.unchanged, third.removed) == (2, 1, 1)
    docs, items = read_back(out)
    assert [d["path"] for d in docs] == ["2017/daxing.txt", "2020/broken.txt", "2020/copy.txt", "2020/shi.txt"]
    assert not [i for i in items if i["path"] == "2017/xicheng.txt"]
    assert len([i for i in items if i["path"] == "2020/copy.txt"]) == len([i for i in items if i["path"] == "2017/daxing.txt"])
    assert third.items == len(items)

    rebuilt = build_dataset(root, out, rebuild=True)
    assert rebuilt.read == 3 and read_back(out)[1] == items


def test_parquet_spills_new_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    pytest.importorskip("pyarrow")
    import perfnlp.reports.dataset as dataset

    root = tree(tmp_path / "docs")
    build_dataset(root, tmp_path / "whole.parquet")
    monkeypatch.setattr(dataset._ParquetStore, "BATCH", 50)  # every document goes to the side file
    out = tmp_path / "spilled.parquet"
    build_dataset(root, out)
    assert read_back(out)[1] == read_back(tmp_path / "whole.parquet")[1]
    assert build_dataset(root, out, rebuild=True).read == 3 and read_back(out)[1] == read_back(tmp_path / "whole.parquet")[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "spilled.parquet", "whole.parquet"]


def test_settings_change_reads_again(tmp_path: Path):
    root = tree(tmp_path / "docs")
    out = tmp_path / "tasks.sqlite"
    build_dataset(root, out)
    strict = build_dataset(root, out, yellow_margin=0)
    assert strict.read == 3  # the lights depend on the margin: nothing is stale
    _, items = read_back(out)
    assert not [i for i in items if i["warning"] == "yellow"]


def test_processes_give_the_same_dataset(tmp_path: Path):
    root = tree(tmp_path / "docs")
    build_dataset(root, tmp_path / "one.sqlite")
    build_dataset(root, tmp_path / "two.sqlite", processes=2)
    strip = lambda rows: [{k: v for k, v in r.items() if k != "read_at"} for r in rows]  # noqa: E731
    one, two = read_back(tmp_path / "one.sqlite"), read_back(tmp_path / "two.sqlite")
    assert strip(one[0]) == strip(two[0]) and one[1] == two[1]


@pytest.mark.parametrize("suffix", [".sqlite", ".parquet"])
def test_interrupted_run(tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch):
    needs(suffix)
    root = tree(tmp_path / "docs")
    out = tmp_path / f"tasks{suffix}"
    import perfnlp.reports.dataset as dataset

    if suffix == ".parquet":
        build_dataset(root, out)
        before = read_back(out)
        (root / "2020" / "copy.txt").write_bytes(SEED_000.read_bytes())
    calls: list[str] = []
    real = dataset.read_for_dataset

    def interrupted(job: Any) -> Any:
        calls.append(job.name)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(job)

    monkeypatch.setattr(dataset, "read_for_dataset", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_dataset(root, out, rebuild=True)
    monkeypatch.undo()
    if suffix == ".sqlite":  # each document is committed as it is read: the first one is kept
        docs, _ = read_back(out)
        assert [d["path"] for d in docs] == [calls[0]]
        finished = build_dataset(root, out)
        assert finished.unchanged == 1 and finished.read == 2
    else:  # Parquet is written whole at the end: the old file is as it was
        assert read_back(out) == before
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_bad_outputs(tmp_path: Path):
    root = tree(tmp_path / "docs")
    with pytest.raises(DatasetError, match="must end in .sqlite, .duckdb or .parquet"):
        build_dataset(root, tmp_path / "tasks.csv")
    with pytest.raises(DatasetError, match="not a directory"):
        build_dataset(root / "2017" / "daxing.txt", tmp_path / "t.sqlite")
    other = tmp_path / "other.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE items (x TEXT)")
    db.commit()
    db.close()
    with pytest.raises(DatasetError, match="not this perfnlp's dataset"):
        build_dataset(root, other)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatasetError, match="not an SQLite database"):
        build_dataset(root, junk)
    if pytest.importorskip("pyarrow"):
        fake = tmp_path / "fake.parquet"
        fake.write_bytes(b"PAR1 no")
        with pytest.raises(DatasetError, match="not a perfnlp Parquet dataset"):
            build_dataset(root, fake)


def test_missing_extra_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "duckdb", None)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    root = tree(tmp_path / "docs")
    with pytest.raises(ImportError, match=r"perfnlp\[db\]"):
        build_dataset(root, tmp_path / "t.duckdb")
    with pytest.raises(ImportError, match=r"perfnlp\[parquet\]"):
        build_dataset(root, tmp_path / "t.parquet")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "perfnlp", *args], capture_output=True, text=True, env=env, timeout=300)


def test_command(tmp_path: Path):
    root = tree(tmp_path / "docs")
    out = tmp_path / "tasks.sqlite"
    r = run("dataset", str(root), "--out", str(out), "--progress")
    assert r.returncode == 2  # one file could not be read: said, and the others are in
    lines = r.stderr.splitlines()
    assert "[" in r.stderr and "4/4 documents" in r.stderr  # the progress bar
    assert [line for line in lines if line.startswith("perfnlp: error:")] == \
        ["perfnlp: error: cannot decode 2020/broken.txt: not UTF-8, UTF-16 or GB18030/GBK text"]
    assert lines[-1] == f"{out}: {len(read_back(out)[1])} target items from 4 documents (3 read, 0 unchanged, " \
                        "0 removed, 1 could not be read)"
    (root / "2020" / "broken.txt").unlink()
    r = run("dataset", str(root), "--out", str(out))
    assert r.returncode == 0 and "(0 read, 3 unchanged, 1 removed)" in r.stderr and "[" not in r.stderr
    quiet = run("dataset", str(root), "--out", str(out), "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == ""
    bad = run("dataset", str(root), "--out", str(tmp_path / "tasks.xls"))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and ".sqlite" in bad.stderr


# ------------------------------------------------------------------------------------------ the guesses

@pytest.mark.parametrize("title, place", [
    ("大兴区政府2017年度绩效任务进展情况表（第二季度）", "大兴区"),
    ("2017年上半年市政府绩效任务进展情况汇总表(西城区 )", "西城区"),
    ("2022年度黄石市系统化全域海绵城市示范城市的申报工作经费项目自评表", "黄石市"),
    ("湖北省黄石市2022年度绩效自评", "湖北省黄石市"),
    ("通州区2019年度绩效管理工作报告", "通州区"),
    ("关于温州市2015年国民经济和社会发展计划执行情况", "温州市"),
    ("2023年度贵州省十件民生实事1至4月推进情况", "贵州省"),
    ("黑龙江500个省重点项目开工497个", "黑龙江"),
    ("北京市园林绿化局市政府工作报告重点工作", "北京市"),
    ("2024年1-9月歙县50项民生实事实施进展情况", "歙县"),
    ("2020市政府绩效任务1-8月进展情况", None),
    ("前三季度我市重点民生工程扎实推进", None),
    ("海口2018年完成省重点项目投资173亿元", None),
    ("根据省政府工作报告,2021年重点民生实事(城镇老旧小区改造)", None),
    ("全省棚户区改造基本建成5.61万套", None),
    ("", None),
    (None, None),
])
def test_guess_place(title: str | None, place: str | None):
    assert guess_place(title) == place


def test_title_period():
    assert title_period("大兴区政府2017年度绩效任务进展情况表（第二季度）", 2017) == "第二季度"
    assert title_period("2020市政府绩效任务1-8月进展情况", 2020) == "1-8月"
    assert title_period("通州区2019年度绩效管理工作报告", 2019) is None
    assert title_period(None, None) is None


def test_dataset_doc_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    pytest.importorskip("pandas")
    import re

    text = (ROOT / "docs" / "dataset.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)
    assert len(blocks) == 3
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "src"))
    namespace: dict[str, object] = {"__name__": "__doc__"}
    for block in blocks:
        exec(compile(block.replace("../shared/seeds", SEEDS.as_posix()), "dataset.md", "exec"), namespace)
    assert (tmp_path / "tasks.sqlite").is_file()
    shares = namespace["shares"]
    assert set(shares.columns) <= {"green", "yellow", "red", "grey"}  # type: ignore[attr-defined]
