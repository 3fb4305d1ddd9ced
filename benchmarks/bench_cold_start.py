"""Cold start of the command line: wall time and peak memory of one whole `python -m perfnlp …` process.

What: `python -m perfnlp "<sentence>"` (a target cell of seed 000) and `python -m perfnlp assess --target …
--progress …` (a row of seed 000), each run RUNS times in a fresh interpreter (sys.executable, not a pyenv
shim, whose own start-up would be counted). How: wall time from spawn to exit; peak memory is the child's
ru_maxrss from os.wait4 (the per-child form of getrusage(RUSAGE_CHILDREN), which would give the maximum
over all children so far); the median of RUNS is reported. Then `python -X importtime -m perfnlp "…"` is
run once to see whether the sentence command imports jieba or pint (it should need neither).
Goals: sentence ≤ 0.15 s and ≤ 40 MiB; assess ≤ 0.3 s (issue 8: no jieba dictionary on the way).

    python benchmarks/bench_cold_start.py
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, SEEDS, print_table  # noqa: E402

RUNS = 9
SENTENCE = "能源消费总量控制在296.5万吨标准煤以内"  # seed 000, row 9, target
TARGET = "完成报废转出高排放老旧机动车19000辆"  # seed 000, row 28
PROGRESS = "1-4月大兴区累计淘汰老旧机动车11570辆，完成全年任务量的60.89%"
SENTENCE_CMD = ["-m", "perfnlp", SENTENCE]
ASSESS_CMD = ["-m", "perfnlp", "assess", "--target", TARGET, "--progress", PROGRESS,
              "--year", "2017", "--as-of", "2017-06-30"]


def run_once(args: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MiB) of one fresh interpreter."""
    t0 = time.perf_counter()
    child = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t0
    child.returncode = os.waitstatus_to_exitcode(status)  # so that Popen does not wait again
    if child.returncode != 0:
        raise SystemExit(f"{args} exited {child.returncode}: {child.stderr.read().decode()[-500:]}")
    child.stderr.close()
    return wall, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def median_run(args: list[str]) -> tuple[float, float]:
    run_once(args)  # warm the file-system cache (and __pycache__): "cold" means a new process, not a cold disk
    results = [run_once(args) for _ in range(RUNS)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


def imported_top_packages(args: list[str]) -> tuple[set[str], list[tuple[int, str]]]:
    """Top-level packages imported by the command, and the slowest imports (cumulative µs, module)."""
    out = subprocess.run([sys.executable, "-X", "importtime", *args], cwd=ROOT, capture_output=True,
                         text=True, check=True).stderr
    packages: set[str] = set()
    timings: list[tuple[int, str]] = []
    for line in out.splitlines():
        if not line.startswith("import time:") or "|" not in line or "cumulative" in line:
            continue
        _, cumulative, module = line.split("|")
        packages.add(module.strip().split(".")[0])
        if not module.startswith("  "):  # a top-level import (nested ones are indented further)
            timings.append((int(cumulative), module.strip()))
    return packages, sorted(timings, reverse=True)[:6]


def main() -> None:
    seed = (SEEDS / "000_b301461eb80dab25.txt").read_text(encoding="utf-8")
    assert SENTENCE in seed and TARGET in seed and PROGRESS in seed, "the sentences must be real seed text"
    s_wall, s_mem = median_run(SENTENCE_CMD)
    a_wall, a_mem = median_run(ASSESS_CMD)
    packages, slowest = imported_top_packages(SENTENCE_CMD)
    heavy = {name: name in packages for name in ("jieba", "pint")}
    print(f"median of {RUNS} runs each, after one warm-up run")
    print("sentence command, slowest top-level imports (cumulative):",
          ", ".join(f"{m} {us / 1000:.0f} ms" for us, m in slowest))
    print_table([
        ("cold start, sentence: wall s", f"{s_wall:.3f}", "≤ 0.15", s_wall <= 0.15),
        ("cold start, sentence: peak MiB", f"{s_mem:.1f}", "≤ 40", s_mem <= 40),
        ("cold start, sentence: imports jieba / pint",
         " / ".join("yes" if heavy[n] else "no" for n in ("jieba", "pint")), "no / no", not any(heavy.values())),
        ("cold start, assess: wall s", f"{a_wall:.3f}", "≤ 0.3", a_wall <= 0.3),
        ("cold start, assess: peak MiB", f"{a_mem:.1f}", "-", None),
    ], how=f"fresh `{Path(sys.executable).name} -m perfnlp …` per run, median of {RUNS}, peak RSS via wait4; "
           "imports via -X importtime")


if __name__ == "__main__":
    main()
