"""Whole documents: assess_document, the exports (CSV, JSON, pandas), the HTML report and the `table` command."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import perfnlp
from perfnlp.views.html import assessment_html, report_html, report_table_html
from perfnlp.views.text import STATUS_WORDS
from perfnlp.reports.report import STATUSES, Report

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_000 = SEEDS / "000_b301461eb80dab25.txt"
EXPORTED = ("group", "metric", "target", "progress", "ratio", "expected_ratio", "status")

pytestmark = pytest.mark.skipif(not SEED_000.is_file(), reason=f"the seed documents are not at {SEEDS}")


@pytest.fixture(scope="module")
def report() -> Report:
    return perfnlp.assess_document(SEED_000)


def _row(report: Report, task: int, item: int = 1):
    return next(r for r in report.rows if r.row == task and r.item == item)


# ------------------------------------------------------------------------------------------- the report

def test_rows_for_every_task(report: Report):
    tasks = perfnlp.read_document(SEED_000).tasks
    assert len(tasks) == 65
    assert {r.row for r in report.rows} == {t.row for t in tasks} == set(range(1, 66))
    assert report.titles == ["大兴区政府2017年度绩效任务进展情况表（第二季度）"]
    assert report.context is not None and report.context.year == 2017


def test_sample_rows(report: Report):
    energy = _row(report, 9)  # 142.13万 / 296.5万吨标准煤, a ceiling half-used at mid-year
    assert energy.status == "on_track"
    assert energy.ratio == pytest.approx(1421300 / 2965000, abs=1e-4)
    assert energy.ratio == pytest.approx(0.4794, abs=1e-4)
    assert energy.figure == "142.13万吨标准煤"
    vehicles = _row(report, 28)  # 11570辆 of 19000辆 by April
    assert vehicles.status == "on_track"
    assert vehicles.ratio == pytest.approx(0.6089, abs=1e-4)


def test_counts_sum_to_rows(report: Report):
    counts = report.counts
    assert list(counts) == list(STATUSES)
    assert sum(counts.values()) == len(report.rows)
    for status, n in counts.items():
        assert n == sum(r.status == status for r in report.rows)


def test_csv(report: Report):
    text = report.to_csv()
    assert text.startswith("\ufeff") and not report.to_csv(bom=False).startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    assert set(EXPORTED) <= set(reader.fieldnames or ())
    lines = list(reader)
    assert len(lines) == len(report.rows)
    energy = next(line for line in lines if line["row"] == "9" and line["item"] == "1")
    assert energy["status"] == "on_track" and float(energy["ratio"]) == pytest.approx(0.4794, abs=1e-4)
    assert [line["status"] for line in lines] == [r.status for r in report.rows]


def test_json(report: Report):
    data = json.loads(report.to_json())
    assert isinstance(data, list) and len(data) == len(report.rows)
    for obj, row in zip(data, report.rows):
        assert set(EXPORTED) <= set(obj)
        assert obj["status"] == row.status and obj["metric"] == row.metric


def test_to_frame(report: Report):
    pd = pytest.importorskip("pandas")
    df = report.to_frame()
    assert isinstance(df, pd.DataFrame) and len(df) == len(report.rows)
    assert set(EXPORTED) <= set(df.columns)
    behind = df[df.status == "behind"]
    assert len(behind) == report.counts["behind"]


def test_to_frame_columns_are_typed(report: Report):
    pd = pytest.importorskip("pandas")
    from perfnlp.reports.export import COLUMNS

    df = report.to_frame()
    assert list(df.columns) == list(COLUMNS) == [n for n in perfnlp.ReportRow.model_fields if n != "assessment"]
    for name in ("achieved", "target_value", "ratio", "stated_ratio", "expected_ratio"):
        assert df[name].dtype == "float64", name
    assert df["row"].dtype == "int64" and df["item"].dtype == "int64"
    assert str(df["as_of"].dtype).startswith("datetime64")
    assert df["status"].cat.ordered and list(df["status"].cat.categories) == list(STATUSES)
    assert isinstance(df["document"].dtype, pd.CategoricalDtype) and isinstance(df["unit"].dtype, pd.CategoricalDtype)
    energy = df[(df["row"] == 9) & (df["item"] == 1)].iloc[0]
    assert energy["achieved"] == 1421300 and energy["target_value"] == 2965000
    assert energy["as_of"] == pd.Timestamp("2017-06-30")
    assert (df["achieved"] / df["target_value"]).notna().sum() > 10  # numbers, so arithmetic works
    empty = Report().to_frame()
    assert list(empty.columns) == list(COLUMNS) and empty["ratio"].dtype == "float64"


def test_exports_hold_no_infinity():
    tiny = "完成改造0." + "0" * 400 + "1户"
    doc = perfnlp.read_document(f"2017年度进展\n序号\t年度目标\t进展情况\n1\t{tiny}\t截至6月底完成改造126户\n")
    report = perfnlp.assess_document(doc)
    assert report.rows[0].ratio == float("inf")  # the judging layer's float overflowed
    assert json.loads(report.to_json())[0]["ratio"] is None
    assert report.rows[0].plain()["ratio"] is None
    line = next(csv.DictReader(io.StringIO(report.to_csv(bom=False))))
    assert line["ratio"] == ""
    pd = pytest.importorskip("pandas")
    assert pd.isna(report.to_frame()["ratio"][0])


def test_to_frame_without_pandas(report: Report, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` now raises ImportError
    with pytest.raises(ImportError, match=re.escape("perfnlp[pandas]")):
        report.to_frame()


# ------------------------------------------------------------------------------------------- HTML

class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside <script> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def elements(markup: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(markup)
    parser.close()
    return parser.elements


HOSTILE = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"


def _hostile_report() -> Report:
    # Documents built directly: the readers strip markup from cells, the renderer must not rely on that
    tasks = [
        perfnlp.Task(row=1, group=HOSTILE, target=f"完成老旧机动车淘汰19000辆{HOSTILE_IMG}",
                     progress=f"1-4月淘汰11570辆{HOSTILE}", line=3),
        perfnlp.Task(row=2, group=HOSTILE_IMG, target=f"{HOSTILE}能源消费总量控制在296.5万吨标准煤以内",
                     progress=f"{HOSTILE_IMG}上半年能源消费总量142.13万吨标准煤", line=4),
    ]
    title = f"{HOSTILE}2017年度绩效任务进展情况表"
    docs = [perfnlp.Document(name=name, title=title, kind="tsv", tasks=tasks)
            for name in ('a" onmouseover="alert(1).tsv', f"{HOSTILE}.tsv")]
    return Report.merge([perfnlp.assess_document(d) for d in docs])


def _assert_inert(markup: str) -> None:
    found = elements(markup)
    assert not [tag for tag, _ in found if tag in ("script", "img", "iframe", "object", "embed", "link")]
    for tag, attrs in found:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)


def test_html_escapes_input():
    report = _hostile_report()
    assert report.rows and any(HOSTILE in r.group for r in report.rows if r.group)
    page, table = report_html(report), report_table_html(report)
    for markup in (page, table):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
        assert "&lt;img src=x onerror=alert(1)&gt;" in markup
        _assert_inert(markup)
    assert 'a&quot; onmouseover=&quot;alert(1).tsv' in page  # a quote in a name cannot end an attribute
    for row in report.rows:
        fragment = assessment_html(row.assessment)
        _assert_inert(fragment)
        assert ("&lt;" in fragment) == ("<" in row.assessment.target.text + row.explanation)


def test_html_report_is_self_contained(report: Report):
    page = report_html(report)
    assert page.startswith("<!DOCTYPE html>")
    found = elements(page)
    assert not [tag for tag, _ in found if tag in ("script", "link", "img", "iframe")]
    for _, attrs in found:
        assert "src" not in attrs
        assert (attrs.get("href") or "#").startswith("#")  # only links within the page
    assert "http://" not in page and "https://" not in page and "url(" not in page


def test_html_report_content(report: Report):
    page = report_html(report)
    statuses = [attrs["data-status"] for _, attrs in elements(page) if "data-status" in attrs]
    assert statuses == [r.status for r in report.rows]
    assert report.titles[0] in page and "2017-06-30" in page
    for status, n in report.counts.items():
        assert f"<b>{n}</b>{STATUS_WORDS[status]}" in page
    # task 9: the chosen figure is marked as such, the target figure too
    assert '<mark class="fig" title="采用的进展数据 figure used">142.13万吨标准煤</mark>' in page
    assert '<mark class="goal" title="目标值 target figure">296.5万吨标准煤</mark>' in page


class _FakeHtmlFormatter:
    """IPython's HTML formatter as far as registration uses it: views by (module, class name)."""

    def __init__(self) -> None:
        self.by_name: dict[tuple[str, str], object] = {}

    def for_type_by_name(self, module: str, name: str, view: object) -> None:
        self.by_name[(module, name)] = view

    def render(self, obj: object) -> str:
        view = self.by_name[(type(obj).__module__, type(obj).__name__)]
        return view(obj)  # type: ignore[operator]


def test_html_fragments(report: Report):
    from types import SimpleNamespace

    from perfnlp.views.notebook import register

    formatter = _FakeHtmlFormatter()
    shell = SimpleNamespace(display_formatter=SimpleNamespace(formatters={"text/html": formatter}))
    assert register(shell)
    table = formatter.render(report)
    assert table == report_table_html(report)
    assert table.count('<tr class="srow') == len(report.rows)
    row = _row(report, 28)
    fragment = formatter.render(row.assessment)
    assert 'data-status="on_track"' in fragment and '<mark class="fig">11570辆</mark>' in fragment
    assert "60.9%" in fragment


# ------------------------------------------------------------------------------------------- the command

def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "perfnlp", *args], capture_output=True, text=True, env=env,
                          timeout=180, cwd=cwd)


def test_table_readable(report: Report):
    r = run("table", str(SEED_000))
    assert r.returncode == 0, r.stderr
    assert report.titles[0] in r.stdout
    for status, n in report.counts.items():
        assert f"{STATUS_WORDS[status]} {status} {n}" in r.stdout


def test_table_csv(report: Report):
    r = run("table", str(SEED_000), "--csv")
    assert r.returncode == 0, r.stderr
    lines = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(lines) == len(report.rows) and set(EXPORTED) <= set(lines[0])


def test_table_json(report: Report):
    r = run("table", str(SEED_000), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert [obj["status"] for obj in data] == [row.status for row in report.rows]
    assert all(set(EXPORTED) <= set(obj) for obj in data)


def test_table_html(report: Report, tmp_path: Path):
    out = tmp_path / "report.html"
    r = run("table", str(SEED_000), "--html", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    page = out.read_text(encoding="utf-8")
    assert _undated(page) == _undated(report_html(report))
    assert sum("data-status" in attrs for _, attrs in elements(page)) == len(report.rows)


def _undated(page: str) -> str:
    # the footer carries the day the page was written; everything else must be report_html's
    return re.sub(r"(perfnlp [0-9.]+ · )[0-9]{4}-[0-9]{2}-[0-9]{2}", r"\1DATE", page)


def test_table_html_unwritable(tmp_path: Path):
    r = run("table", str(SEED_000), "--html", str(tmp_path / "missing" / "report.html"))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1


def test_table_directory(report: Report, tmp_path: Path):
    for name in ("a.txt", "b.txt"):
        shutil.copy(SEED_000, tmp_path / name)
    r = run("table", str(tmp_path), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert len(data) == 2 * len(report.rows)
    assert [obj["document"] for obj in data] == ["a.txt"] * len(report.rows) + ["b.txt"] * len(report.rows)
    readable = run("table", str(tmp_path))
    assert readable.returncode == 0, readable.stderr
    for status, n in report.counts.items():
        assert f"{STATUS_WORDS[status]} {status} {2 * n}" in readable.stdout
    out = tmp_path / "both.html"
    assert run("table", str(tmp_path), "--html", str(out)).returncode == 0
    page = out.read_text(encoding="utf-8")
    assert sum("data-status" in attrs for _, attrs in elements(page)) == 2 * len(report.rows)


# ------------------------------------------------------------------------------------------- docs

def python_blocks(path: Path) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", path.read_text(encoding="utf-8"), flags=re.S | re.M)


def test_notebook_walkthrough_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    pytest.importorskip("pandas")
    blocks = python_blocks(ROOT / "docs" / "notebook.md")
    assert len(blocks) >= 5
    monkeypatch.chdir(tmp_path)  # the walk-through writes report.html into the working directory
    namespace: dict[str, object] = {"__name__": "__notebook__"}
    for block in blocks:
        exec(compile(block.replace("../shared/seeds/", f"{SEEDS.as_posix()}/"), "notebook.md", "exec"), namespace)
    assert (tmp_path / "report.html").is_file()


# ------------------------------------------------------------------------------------------- the context

def test_context_as_of_must_lie_in_its_year():
    import datetime as dt

    from perfnlp.text.context import context_problem

    with pytest.raises(ValueError) as refused:
        perfnlp.Context(year=2017, as_of=dt.date(2018, 3, 1))
    assert context_problem(refused.value).startswith("as_of 2018-03-01 does not belong to year 2017")
    with pytest.raises(ValueError) as refused:
        perfnlp.Context(year=17)
    assert context_problem(refused.value) == "year 17 is outside 1900-2100"
    with pytest.raises(ValueError, match="whole number"):
        perfnlp.Context(year=True)
    assert perfnlp.Context(year=2017, as_of="2017-12-31").as_of == dt.date(2017, 12, 31)


def test_title_dated_after_its_year_is_paced_at_the_year_end():
    import datetime as dt

    # a 2017 report written in January 2018: the year is over, not 1/12 elapsed
    ctx = perfnlp.context_from_title("大兴区2017年度绩效任务进展情况表（截至2018年1月）")
    assert ctx == perfnlp.Context(year=2017, as_of=dt.date(2017, 12, 31))
    assert perfnlp.context_from_title("2017年度绩效任务2016年12月") .year == 2017  # no crash on an earlier date


@pytest.mark.parametrize("title, as_of", [
    ("2017年度绩效任务", dt.date(2017, 12, 31)),                      # the year's report
    ("2019年工作总结", dt.date(2019, 12, 31)),
    ("2021年河北18项民生工程提前或超额完成年度目标任务", None),          # 年度目标 names the year's target
    ("2018年全年任务过半", None),
])
def test_a_whole_year_title_word_names_no_target(title: str, as_of: dt.date | None) -> None:
    assert perfnlp.context_from_title(title).as_of == as_of


TABLE = ("大兴区政府2017年度绩效任务进展情况表（第二季度）\n序号\t绩效任务\t年度目标\t进展情况\n"
         "1\t改造\t完成改造300户\t完成改造126户\n")


@pytest.mark.parametrize("given, year, as_of", [
    (None, 2017, "2017-06-30"),                                  # the title's
    ({"as_of": "2017-09-30"}, 2017, "2017-09-30"),                # a given day overrides
    ({"year": 2017}, 2017, "2017-06-30"),                         # a given year keeps the title's day in it
    ({"year": 2018}, 2018, None),                                 # ... and drops a day of another year
    ({"year": 2018, "as_of": "2018-03-31"}, 2018, "2018-03-31"),
    ({"as_of": "2019-12-31"}, 2019, "2019-12-31"),                # a day alone brings its year
])
def test_context_given_overrides_or_fills_the_title(given, year, as_of):
    import datetime as dt

    doc = perfnlp.read_document(TABLE)
    report = perfnlp.assess_document(doc, context=given)
    assert report.context == perfnlp.Context(year=year, as_of=as_of)
    (row,) = report.rows
    assert row.as_of == (dt.date.fromisoformat(as_of) if as_of else None)
    many = perfnlp.assess_many([doc], context=given)
    assert many[0].context == report.context


def test_a_rate_goal_stated_in_prose_judges_the_rate_column_of_each_row() -> None:
    # 目标任务为:…投资完成率达到50%及以上, then a table whose 计划投资完成率 column reports that rate per city: the
    # row's rate is judged against the 50 % (42.75 / 50), not read as a share of the row's 计划投资额
    text = ("2021年城镇老旧小区改造目标任务为:开工改造小区1500个,投资完成率达到50%及以上。截至8月底,已开工小区"
            "1110个,开工率74.0%。\n"
            "全省2021年重点民生实事项目完成进度表\n(截至2021年8月底)\n"
            "序号\t市州\t计划完成数\t累计开工数\t开工率\t计划投资额(万元)\t累计完成投资额(万元)\t计划投资完成率\n"
            "1\t长沙市\t150\t143\t95.33%\t86157.25\t36836.13\t42.75%\n"
            "2\t株洲市\t71\t44\t61.97%\t13533.40\t4756.44\t35.15%\n")
    report = perfnlp.assess_document(text)
    changsha = [r for r in report.rows if r.group == "长沙市"]
    assert [(r.target_value, r.achieved, r.ratio) for r in changsha] == [
        ("150", "143", pytest.approx(0.9533, abs=1e-4)), ("50", "42.75", pytest.approx(0.855, abs=1e-4))]
    assert "goal_from_document" in changsha[1].flags
    assert changsha[1].status == "on_track"  # a rate of the year's work is paced: 0.855 ≥ 8/12


@pytest.mark.parametrize("target, progress, shown", [
    ("绿化10公顷", "绿化30平方米", "完成0.003公顷"),          # a value below 1 keeps three significant digits
    ("新建道路1公里", "新建道路12米", "完成0.012公里"),
    ("改造10387亩", "改造10387亩", "10387亩"),                 # the source's own units and words
])
def test_an_explanation_shows_a_converted_value_that_is_not_zero(target: str, progress: str, shown: str) -> None:
    a = perfnlp.assess(target, progress, context=perfnlp.Context(year=2020, as_of=dt.date(2020, 6, 30)))[0]
    assert shown in a.explanation


def test_a_node_target_in_the_progress_is_named_after_its_last_verb() -> None:
    progress = "累计完成改造23.4公里," + "完成甲" * 9 + "超额完成累计改造20公里的节点目标"
    items = perfnlp.assess("完成改造30公里", progress, context=perfnlp.Context(year=2021, as_of=dt.date(2021, 9, 30)))
    node = [a for a in items if "node_target" in a.flags]
    assert [a.target.metric for a in node] == ["改造"]
