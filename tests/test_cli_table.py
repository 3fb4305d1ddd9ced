"""`perfnlp table`: standard input, the exports (CSV with a BOM and defused cells, --xlsx), --year/--as-of,
--yellow-margin, Chinese-only labels and a directory reported per document."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import perfnlp
from conftest import ROOT, SEEDS

SEED_000 = SEEDS / "000_b301461eb80dab25.txt"
SEED_001 = SEEDS / "001_c0e87f5e9a3fd2cb.txt"

pytestmark = pytest.mark.skipif(not SEED_000.is_file(), reason=f"the seed documents are not at {SEEDS}")

HOSTILE = ("大兴区政府2017年度绩效任务进展情况表（第二季度）\n序号\t绩效任务\t年度目标\t进展情况\n"
           "1\t=HYPERLINK(\"http://x\",\"点击\")\t完成改造300户\t截至6月底完成改造126户\n"
           "2\t@SUM(A1)\t-完成改造300户\t+截至6月底完成改造60户\n")


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "perfnlp", *args], input=stdin, capture_output=True, env=env,
                          timeout=300, cwd=cwd)


@pytest.fixture(scope="module")
def report() -> perfnlp.Report:
    return perfnlp.assess_document(SEED_000)


def test_document_on_standard_input(report: perfnlp.Report):
    r = run("table", "-", "--json", stdin=SEED_000.read_bytes())
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [row["document"] for row in rows] == ["-"] * len(report.rows)
    assert [(row["row"], row["item"], row["status"], row["ratio"]) for row in rows] == \
        [(row.row, row.item, row.status, row.ratio) for row in report.rows]
    # the same file as GB18030 bytes (a Chinese Windows export)
    gbk = run("table", "-", "--json", stdin=SEED_000.read_text(encoding="utf-8").encode("gb18030"))
    assert gbk.returncode == 0 and [r["status"] for r in json.loads(gbk.stdout)] == [r["status"] for r in rows]


def test_workbook_on_standard_input(tmp_path: Path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["大兴区政府2017年度绩效任务进展情况表（第二季度）"])
    sheet.append(["序号", "绩效任务", "年度目标", "进展情况"])
    sheet.append([1, "改造", "完成改造300户", "截至6月底完成改造126户"])
    path = tmp_path / "t.xlsx"
    book.save(path)
    r = run("table", "-", "--json", stdin=path.read_bytes())
    assert r.returncode == 0, r.stderr
    (row,) = json.loads(r.stdout)
    assert (row["status"], row["warning"], row["ratio"]) == ("behind", "yellow", 0.42)


def test_empty_or_binary_standard_input():
    for data in (b"", b"\x00\x01\x02" * 100):
        r = run("table", "-", stdin=data)
        assert r.returncode in (0, 2) and b"Traceback" not in r.stderr
        if r.returncode == 2:
            assert len(r.stderr.strip().splitlines()) == 1


def test_csv_has_a_bom_and_no_formula_cells(tmp_path: Path):
    path = tmp_path / "=cmd.txt"  # a file name is a text cell too
    path.write_text(HOSTILE, encoding="utf-8")
    r = run("table", str(path), "--csv")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel and WPS on Chinese Windows read it as UTF-8
    lines = list(csv.DictReader(io.StringIO(r.stdout.decode("utf-8-sig"))))
    assert len(lines) == 2
    for line in lines:
        for name, cell in line.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
    assert lines[0]["group"] == "'=HYPERLINK(\"http://x\",\"点击\")" and lines[0]["document"] == "'=cmd.txt"
    assert lines[1]["group"] == "'@SUM(A1)" and lines[1]["progress"].startswith("'+截至")
    assert float(lines[0]["ratio"]) == pytest.approx(0.42)  # numbers stay numbers
    assert lines[0]["warning"] == "yellow" and lines[1]["warning"] == "red"


def test_xlsx_export(tmp_path: Path, report: perfnlp.Report):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "report.xlsx"
    r = run("table", str(SEED_000), "--xlsx", str(out))
    assert r.returncode == 0, r.stderr
    book = openpyxl.load_workbook(out)
    sheet = book["items"]
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(report.rows)
    col = {name: header.index(name) for name in header}
    first = next(r for r in rows if r[col["row"]] == 9)
    assert isinstance(first[col["ratio"]], float) and first[col["ratio"]] == pytest.approx(0.4794, abs=1e-4)
    assert isinstance(first[col["achieved"]], (int, float)) and first[col["achieved"]] == 1421300
    assert first[col["as_of"]].date().isoformat() == "2017-06-30"
    assert [r[col["warning"]] for r in rows] == [row.warning for row in report.rows]
    summary = book["summary"]
    assert [c.value for c in summary[1]][:5] == ["document", "green", "yellow", "red", "grey"]
    assert list(summary.iter_rows(min_row=2, values_only=True))[0][1:5] == tuple(report.warnings.values())


def test_xlsx_text_is_never_a_formula(tmp_path: Path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE.replace("完成改造300户", "完成改造300户\x01\x02"), encoding="utf-8")
    out = tmp_path / "hostile.xlsx"
    r = run("table", str(path), "--xlsx", str(out))
    assert r.returncode == 0, r.stderr
    import zipfile

    xml = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in xml and "HYPERLINK" in xml
    cells = [c for row in openpyxl.load_workbook(out)["items"].iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]


def test_unwritable_output_leaves_no_file(tmp_path: Path):
    target = tmp_path / "dir_not_file"
    target.mkdir()
    for flag in ("--html", "--xlsx"):
        r = run("table", str(SEED_000), flag, str(target))
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir_not_file"]  # no temporary file left behind


def test_year_and_as_of_override_the_title(report: perfnlp.Report):
    r = run("table", str(SEED_000), "--as-of", "2017-09-30", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    # rows whose progress names no date of its own are paced to the given day
    undated = [i for t in report.tasks if t.progress.as_of is None for i in range(t.first_row, t.first_row + t.items)]
    dated = [i for t in report.tasks if t.progress.as_of is not None for i in range(t.first_row, t.first_row + t.items)]
    assert undated and dated
    assert all(rows[i]["as_of"] == "2017-09-30" and rows[i]["expected_ratio"] == 0.75 for i in undated)
    assert all(rows[i]["as_of"] == report.rows[i].as_of.isoformat() for i in dated)  # its own date still wins
    bad = run("table", str(SEED_000), "--year", "2018", "--as-of", "2017-09-30")
    assert bad.returncode == 2 and b"does not belong to year 2018" in bad.stderr


def test_yellow_margin(report: perfnlp.Report):
    strict = json.loads(run("table", str(SEED_000), "--json", "--yellow-margin", "0").stdout)
    lenient = json.loads(run("table", str(SEED_000), "--json", "--yellow-margin", "100%").stdout)
    assert report.warnings["yellow"] > 0
    assert sum(r["warning"] == "yellow" for r in strict) < report.warnings["yellow"]
    assert sum(r["warning"] == "yellow" for r in lenient) >= report.warnings["yellow"]
    assert [r["status"] for r in strict] == [r["status"] for r in lenient] == [r.status for r in report.rows]


def test_chinese_only_labels(tmp_path: Path):
    bilingual = run("table", str(SEED_000)).stdout.decode("utf-8")
    chinese = run("table", str(SEED_000), "--lang", "zh").stdout.decode("utf-8")
    assert "target items" in bilingual and "on_track" in bilingual
    head = "\n".join(chinese.splitlines()[:3])
    assert not re.search(r"[A-Za-z]", head), head
    assert "符合序时进度" in chinese and "on_track" not in chinese and "behind" not in chinese
    out = tmp_path / "zh.html"
    assert run("table", str(SEED_000), "--lang", "zh", "--html", str(out)).returncode == 0
    page = out.read_text(encoding="utf-8")
    for english in ("share of year elapsed", "target items", "on track", "figure used", "performance assessment"):
        assert english not in page
    assert "序时进度" in page and "黄灯" in page


def test_directory_is_reported_per_document(tmp_path: Path):
    folder = tmp_path / "docs"  # the HTML report is written beside it, not read back as a document
    (folder / "2017").mkdir(parents=True)
    shutil.copy(SEED_000, folder / "2017" / "daxing.txt")
    shutil.copy(SEED_001, folder / "2017" / "xicheng.txt")
    reports = [perfnlp.assess_document(p) for p in (SEED_000, SEED_001)]
    text = run("table", str(folder)).stdout.decode("utf-8")
    sections = [line for line in text.splitlines() if line.startswith("== ")]
    assert sections == [f"== 2017/daxing.txt · {reports[0].titles[0]}", f"== 2017/xicheng.txt · {reports[1].titles[0]}"]
    for r in reports:
        assert f"{len(r.rows)} 个目标项 target items" in text
    out = tmp_path / "all.html"
    assert run("table", str(folder), "--html", str(out)).returncode == 0
    page = out.read_text(encoding="utf-8")
    matrix = re.findall(r'<tr data-document="([^"]+)">(.*?)</tr>', page)
    assert [name for name, _ in matrix] == ["2017/daxing.txt", "2017/xicheng.txt"]
    for (name, cells), r in zip(matrix, reports):
        counts = [int(re.sub(r"<.*?>", "", c)) for c in re.findall(r'data-document-warning="[a-z]+">(.*?)</td>', cells)]
        assert counts == list(r.warnings.values())
    # 需关注 names the document of every item behind
    attention = re.findall(r'<li data-warning="[a-z]+">.*?<a href="#task-\d+">(.*?) · ', page)
    assert attention == ["2017/daxing.txt"] * reports[0].counts["behind"] + ["2017/xicheng.txt"] * reports[1].counts["behind"]
    rows = list(csv.DictReader(io.StringIO(run("table", str(folder), "--csv").stdout.decode("utf-8-sig"))))
    assert {row["document"] for row in rows} == {"2017/daxing.txt", "2017/xicheng.txt"}


def test_empty_directory(tmp_path: Path):
    r = run("table", str(tmp_path))
    assert r.returncode == 2 and b"no documents" in r.stderr
