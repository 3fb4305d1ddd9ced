"""红黄绿灯: every assessment carries a warning light, yellow when behind by at most the margin (10 points of the
year's target by default), and the light reaches every export and view."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest

import perfnlp
from perfnlp import Context
from perfnlp.judging.warning import LIGHTS, YELLOW_MARGIN, check_margin, shortfall, warning_light

MID_YEAR = Context(year=2017, as_of=dt.date(2017, 6, 30))   # 序时进度 0.5
SEED_000 = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_b301461eb80dab25.txt"


def one(target: str, progress: str, context: Context = MID_YEAR) -> perfnlp.Assessment:
    (a,) = perfnlp.assess(target, progress, context=context)
    return a


@pytest.mark.parametrize("progress, status, light", [
    ("截至6月底完成改造160户", "on_track", "green"),    # 53 % against a 50 % pace
    ("截至6月底完成改造126户", "behind", "yellow"),     # 42 %: 8 points behind
    ("截至6月底完成改造120户", "behind", "yellow"),     # 40 %: exactly 10 points behind
    ("截至6月底完成改造117户", "behind", "red"),        # 39 %: 11 points behind
    ("截至6月底完成改造60户", "behind", "red"),         # 20 %
    ("截至6月底完成改造300户", "achieved", "green"),
    ("正在积极推进老旧小区改造", "unknown", "grey"),     # nothing comparable
])
def test_cumulative_total(progress: str, status: str, light: str):
    a = one("完成改造300户", progress)
    assert (a.status, a.warning) == (status, light)


def test_margin_is_a_share_of_the_year_target():
    a = one("完成改造300户", "截至6月底完成改造126户")
    assert shortfall(a) == pytest.approx(0.08)
    assert warning_light(a) == "yellow" and YELLOW_MARGIN == 0.10
    assert warning_light(a, 0.05) == "red"
    assert warning_light(a, 0.08) == "yellow"
    late = one("完成改造300户", "截至6月底完成改造60户")
    assert warning_light(late, 0.3) == "yellow" and warning_light(late, 0.29) == "red"
    assert warning_light(one("完成改造300户", "截至6月底完成改造150户"), 0.5) == "green"
    # a margin of 0 means no yellow: an item behind by the least amount is red
    assert warning_light(one("PM2.5年均浓度低于44微克/立方米", "1-6月PM2.5平均浓度44微克/立方米"), 0) == "red"
    # the light never changes green or grey ones
    assert warning_light(one("完成改造300户", "截至6月底完成改造160户"), 0) == "green"
    assert warning_light(one("完成改造300户", "正在推进"), 1) == "grey"


@pytest.mark.parametrize("progress, light", [
    ("上半年能源消费总量160万吨标准煤", "yellow"),   # 54 % of the ceiling used at 50 % of the year
    ("上半年能源消费总量200万吨标准煤", "red"),      # 67 % used
    ("上半年能源消费总量300万吨标准煤", "red"),      # the year's ceiling already passed: no margin helps
    ("上半年能源消费总量142.13万吨标准煤", "green"),
])
def test_cumulative_ceiling(progress: str, light: str):
    a = one("能源消费总量控制在296.5万吨标准煤以内", progress)
    assert a.warning == light
    if "300万" in progress:
        assert shortfall(a) is None and warning_light(a, 1.0) == "red"


@pytest.mark.parametrize("target, progress, light", [
    ("城市污水处理率达到95%", "截至6月底，城市污水处理率达到90%", "yellow"),      # 5.3 % short of the goal
    ("城市污水处理率达到95%", "截至6月底，城市污水处理率达到80%", "red"),         # 15.8 % short
    ("PM2.5年均浓度控制在60微克/立方米以内", "上半年PM2.5平均浓度63微克/立方米", "yellow"),   # 5 % over
    ("单位地区生产总值能耗下降3.5%", "上半年单位地区生产总值能耗下降3.0%", "red"),   # a change 14 % short
    ("PM2.5年均浓度60微克/立方米左右", "上半年PM2.5平均浓度74微克/立方米", "red"),     # about 60: 23 % off
])
def test_levels_measure_the_distance_from_the_goal(target: str, progress: str, light: str):
    a = one(target, progress)
    assert a.status == "behind" and not a.target.cumulative
    assert a.warning == light


def test_stated_share_and_passed_deadline():
    stated = one("完成老旧小区改造任务", "截至6月底完成全年任务的42%")
    assert (stated.ratio, stated.stated_ratio, stated.warning) == (None, 0.42, "yellow")
    overdue = one("上半年完成综合管廊建设并投入运行", "目前正在开工建设")
    assert "deadline_passed" in overdue.flags and overdue.warning == "red"


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan"), float("inf")])
def test_bad_margin_is_a_value_error(bad: float):
    with pytest.raises(ValueError, match="yellow margin"):
        check_margin(bad)
    with pytest.raises(ValueError, match="yellow margin"):
        perfnlp.assess_document(perfnlp.read_document(SEED_000), yellow_margin=bad)


@pytest.mark.parametrize("bad", ["0.1", None, True])
def test_margin_of_the_wrong_type_is_a_type_error(bad: object):
    with pytest.raises(TypeError, match="yellow margin"):
        check_margin(bad)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ lights in every output



@pytest.fixture(scope="module")
def report() -> perfnlp.Report:
    if not SEED_000.is_file():
        pytest.skip(f"the seed document is not at {SEED_000}")
    return perfnlp.assess_document(SEED_000)


def test_rows_carry_the_light_of_their_assessment(report: perfnlp.Report):
    assert all(row.warning == row.assessment.warning == warning_light(row.assessment) for row in report.rows)
    lights = report.warnings
    assert list(lights) == list(LIGHTS) and sum(lights.values()) == len(report.rows)
    assert lights["grey"] == report.counts["unknown"]
    assert lights["green"] == report.counts["achieved"] + report.counts["on_track"]
    assert lights["yellow"] + lights["red"] == report.counts["behind"]
    assert lights["yellow"] and lights["red"]  # the seed has both kinds of behind


def test_margin_reaches_the_rows(report: perfnlp.Report):
    strict = perfnlp.assess_document(SEED_000, yellow_margin=0)
    lenient = perfnlp.assess_document(SEED_000, yellow_margin=1)
    assert strict.warnings["yellow"] <= report.warnings["yellow"] <= lenient.warnings["yellow"]
    assert lenient.warnings["yellow"] > report.warnings["yellow"]
    for a, b in zip(strict.rows, report.rows):
        assert a.warning == warning_light(b.assessment, 0)
        assert (a.status, a.ratio) == (b.status, b.ratio)


def test_light_in_csv_json_and_frame(report: perfnlp.Report):
    lines = list(csv.DictReader(io.StringIO(report.to_csv().removeprefix("\ufeff"))))
    assert [line["warning"] for line in lines] == [row.warning for row in report.rows]
    assert [obj["warning"] for obj in json.loads(report.to_json())] == [row.warning for row in report.rows]
    pd = pytest.importorskip("pandas")
    frame = report.to_frame()
    assert isinstance(frame["warning"].dtype, pd.CategoricalDtype)
    assert list(frame["warning"].cat.categories) == list(LIGHTS)
    assert frame["warning"].value_counts().to_dict() == report.warnings


def test_light_in_text_and_html(report: perfnlp.Report):
    from perfnlp.views.html import report_html, report_table_html
    from perfnlp.views.text import report_text

    text = report_text(report)
    for light, n in report.warnings.items():
        assert f"{light} {n}" in text
    yellow = next(row for row in report.rows if row.warning == "yellow")
    line = next(line for line in text.splitlines() if line.lstrip().startswith(f"{yellow.row}.{yellow.item}"))
    assert "黄灯" in line
    page = report_html(report)
    for light, n in report.warnings.items():
        assert f'data-warning-count="{light}">{n}<' in page
    items = re.findall(r'<div class="item [^"]*" data-status="[a-z_]+" data-warning="([a-z]+)"', page)
    assert items == [row.warning for row in report.rows]
    listed = re.findall(r'<li data-warning="([a-z]+)">', page)  # 需关注: every item behind, with its light
    assert listed == [row.warning for row in report.rows if row.status == "behind"]
    table = report_table_html(report)
    assert table.count('data-warning="red"') == report.warnings["red"]
