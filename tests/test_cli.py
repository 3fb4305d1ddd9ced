"""The command line, run as a user runs it."""
from __future__ import annotations

import json
import os
import subprocess
import sys

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
