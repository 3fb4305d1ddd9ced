"""The command line, run as a user runs it."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "perfnlp", *args], capture_output=True, text=True, env=env, timeout=120)


def test_readable_sentence():
    r = run("能源消费总量控制在296.5万吨标准煤以内")
    assert r.returncode == 0, r.stderr
    assert "296.5万吨标准煤" in r.stdout and "2965000" in r.stdout and "能源消费总量" in r.stdout


def test_json_sentence():
    r = run("--json", "中关村大兴园地均产出率达到25.2亿元/平方公里")
    assert r.returncode == 0
    data = json.loads(r.stdout)
    assert data["quantities"][0]["value"] == "2520000000"
    assert data["quantities"][0]["unit"] == "元/平方公里"
    assert data["target"][0]["comparator"] == "ge"


def test_assess_command():
    r = run("assess", "--target", "完成报废转出高排放老旧机动车19000辆",
            "--progress", "1-4月大兴区累计淘汰老旧机动车11570辆，完成全年任务量的60.89%",
            "--year", "2017", "--as-of", "2017-06-30", "--json")
    assert r.returncode == 0, r.stderr
    (a,) = json.loads(r.stdout)
    assert a["status"] == "on_track" and round(a["ratio"], 4) == 0.6089


def test_bad_usage_exits_2_with_one_line():
    for args in (["table", "/nonexistent/file.tsv"], ["assess", "--target", "x"], [],
                 ["assess", "--target", "x", "--progress", "y", "--as-of", "June"],
                 ["x", "--year", "20017"]):
        r = run(*args)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, (args, r.stderr)


def run_input(stdin: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "perfnlp", *args], input=stdin, capture_output=True, env=env,
                          timeout=120)


def test_version():
    from perfnlp import __version__

    for flag in ("--version", "-V"):
        r = run(flag)
        assert r.returncode == 0 and r.stdout.strip() == f"perfnlp {__version__}"


def test_sentences_from_standard_input():
    lines = "能源消费总量控制在296.5万吨标准煤以内\n\n1-4月，共转出、报废老旧机动车1.728万辆。\n"
    r = run_input(lines.encode("utf-8"), "--json", "-")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert [d["text"] for d in data] == ["能源消费总量控制在296.5万吨标准煤以内", "1-4月，共转出、报废老旧机动车1.728万辆。"]
    assert data[1]["quantities"][0]["value"] == "17280"
    readable = run_input(lines.encode("gb18030"), "-")  # a GBK pipe from a Chinese Windows console
    assert readable.returncode == 0, readable.stderr
    text = readable.stdout.decode("utf-8")
    assert "2965000" in text and "17280" in text and text.count("数量 quantities:") == 2


def test_long_text_on_standard_input():
    # a 100k-character text cannot be an argument; on standard input it is one sentence
    sentence = "完成改造3000户，" * 10_000
    r = run_input(sentence.encode("utf-8"), "--json", "-")
    assert r.returncode == 0, r.stderr
    (reading,) = json.loads(r.stdout)
    assert len(reading["text"]) == 100_000 and len(reading["quantities"]) == 10_000


def test_assess_progress_from_standard_input():
    r = run_input("1-4月大兴区累计淘汰老旧机动车11570辆，完成全年任务量的60.89%".encode("utf-8"), "assess",
                  "--target", "完成报废转出高排放老旧机动车19000辆", "--progress", "-", "--year", "2017",
                  "--as-of", "2017-06-30", "--json")
    assert r.returncode == 0, r.stderr
    (a,) = json.loads(r.stdout)
    assert a["status"] == "on_track" and a["warning"] == "green"


@pytest.mark.parametrize("args, reason", [
    (["table", "x.tsv", "--processes", "0"], "--processes: 0: give 1 to 64 processes"),
    (["table", "x.tsv", "--processes", "two"], "--processes: not a whole number"),
    (["assess", "--target", "x", "--progress", "y", "--year", "17"], "year 17 is outside 1900-2100"),
    (["x", "--year", "17"], "year 17 is outside 1900-2100"),
    (["assess", "--target", "x", "--progress", "y", "--year", "2017", "--as-of", "2018-03-01"],
     "as_of 2018-03-01 does not belong to year 2017"),
    (["assess", "--target", "x", "--progress", "y", "--as-of", "2017-02-30"], "not a date"),
    (["--json", "table", "F"], "the command comes first: perfnlp table"),
    (["table", "x.tsv", "--yellow-margin", "abc"], "--yellow-margin"),
    (["table", "x.tsv", "--yellow-margin", "150"], "0 to 100 percentage points"),
    (["table", "x.tsv", "--lang", "en"], "--lang"),
    (["table", "x.tsv", "--csv", "--json"], "not allowed with"),
    (["table"], "path"),
    (["dataset", "/nonexistent"], "--out"),
    (["dataset", "/nonexistent", "--out", "t.sqlite"], "not a directory"),
    (["table", "/nonexistent/file.tsv"], "no such file or directory"),
    (["assess", "--target", "-", "--progress", "-"], "only one of --target and --progress"),
])
def test_every_bad_flag_gets_one_line(args: list[str], reason: str):
    r = run(*args)
    assert r.returncode == 2, (args, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, (args, r.stderr)
    assert lines[0].startswith("perfnlp: error: ") and reason in lines[0], (args, lines[0])


def test_json_never_prints_non_finite_numbers():
    tiny = "完成改造0." + "0" * 400 + "1户"   # a ratio too large for a float
    r = run("assess", "--target", tiny, "--progress", "截至6月底完成改造126户", "--year", "2017", "--as-of",
            "2017-06-30", "--json")
    assert r.returncode == 0, r.stderr
    assert "Infinity" not in r.stdout and "NaN" not in r.stdout
    (a,) = json.loads(r.stdout)
    assert a["ratio"] is None


def test_a_sentence_loads_only_what_it_needs():
    code = ("import sys\nfrom perfnlp.cli import main\nmain(['--json', '能源消费总量控制在296.5万吨标准煤以内'])\n"
            "heavy = ('jieba', 'pint', 'pandas', 'openpyxl', 'perfnlp.judging.assessment', 'perfnlp.reports.report')\n"
            "print([m for m in heavy if m in sys.modules], file=sys.stderr)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0 and r.stderr.strip() == "[]", r.stderr
