"""Cold start of the command line against JioNLP's: whole fresh processes, interleaved.

What, each a fresh interpreter (sys.executable, not a shim whose own start-up would be counted):
  sentence  python -m perfnlp "能源消费总量控制在296.5万吨标准煤以内"           (seed 000, row 9, target)
  jionlp    python -c "import jionlp; jionlp.ner.extract_money('<the same sentence>')"   (the bench extra)
  assess    python -m perfnlp assess --target … --progress … --year 2017 --as-of 2017-06-30   (seed 000, row 28)
How: one warm-up run of each (file-system cache and bytecode: "cold" means a new process, not a cold disk),
then RUNS rounds, in each of which every command runs once in turn (sentence, jionlp, assess, and a bare `python -c pass` for scale), so that a
change in the machine's load hits all of them alike. Per run: wall time from spawn to exit, the child's CPU
time (user + system) and peak RSS from os.wait4 (per child; getrusage(RUSAGE_CHILDREN) would give the
maximum over all children so far). Reported: medians, and the median of the round-by-round ratios
sentence / jionlp. One `-X importtime` run checks what the sentence command imports (no pydantic, jieba, pint).
Regular expressions: one more fresh run of each perfnlp command counts the patterns `re` compiles in it
(every compilation, the library's and the standard library's), and then times compiling each of them
again, the best of 5 per pattern: a figure the machine's load hardly moves (the wall time it is part of does).

Bytecode: installed packages have their .pyc files (pip writes them; JioNLP's are there). A sandbox that sets
PYTHONDONTWRITEBYTECODE=1 makes an editable checkout compile perfnlp from source at every start, which no
installed copy does; so the children run without that variable (the warm-up writes perfnlp's .pyc).
--no-bytecode measures the other extreme, for both alike: no cached bytecode at all (PYTHONPYCACHEPREFIX
an empty folder, nothing written), every module of every package compiled from source at each start.
Goals (issue 8): sentence ≤ 0.6× JioNLP's import-and-extract and ≤ 30 MiB; assess ≤ 0.3 s.

    python benchmarks/bench_cold_start.py [--runs 15] [--no-bytecode]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, SEEDS, print_table  # noqa: E402

RUNS = 15
SENTENCE = "能源消费总量控制在296.5万吨标准煤以内"  # seed 000, row 9, target
TARGET = "完成报废转出高排放老旧机动车19000辆"  # seed 000, row 28
PROGRESS = "1-4月大兴区累计淘汰老旧机动车11570辆，完成全年任务量的60.89%"
COMMANDS: dict[str, list[str]] = {
    "sentence": ["-m", "perfnlp", SENTENCE],
    "jionlp": ["-c", f"import jionlp; jionlp.ner.extract_money({SENTENCE!r})"],
    "assess": ["-m", "perfnlp", "assess", "--target", TARGET, "--progress", PROGRESS,
               "--year", "2017", "--as-of", "2017-06-30"],
    "python": ["-c", "pass"],  # the interpreter alone: how long a start takes on the machine as it is now
}
GOAL_VS_JIONLP = 0.6
GOAL_MIB = 30.0
GOAL_ASSESS_S = 0.3


class Run:
    def __init__(self, wall: float, cpu: float, mib: float) -> None:
        self.wall, self.cpu, self.mib = wall, cpu, mib


def run_once(args: list[str], env: dict[str, str]) -> Run:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one fresh interpreter."""
    t0 = time.perf_counter()
    child = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t0
    child.returncode = os.waitstatus_to_exitcode(status)  # so that Popen does not wait again
    error = child.stderr.read().decode(errors="replace") if child.stderr else ""
    if child.stderr:
        child.stderr.close()
    if child.returncode != 0:
        raise SystemExit(f"{args} exited {child.returncode}: {error[-500:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)  # ru_maxrss: KiB on Linux


# run in a fresh interpreter as `python -c COUNT_PATTERNS <perfnlp's arguments>`: the patterns re compiles
# while the command runs, then their compile time measured again in the same process (best of 5 each)
COUNT_PATTERNS = r"""
import contextlib, io, json, runpy, sys, time
import re._compiler as compiler
compiled = []
original = compiler.compile
def counted(pattern, flags=0):
    compiled.append((pattern, flags))
    return original(pattern, flags)
compiler.compile = counted
sys.argv = ["perfnlp", *sys.argv[1:]]
with contextlib.redirect_stdout(io.StringIO()):
    try:
        runpy.run_module("perfnlp", run_name="__main__", alter_sys=True)
    except SystemExit:
        pass
compiler.compile = original
total = 0.0
for pattern, flags in compiled:
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter(); original(pattern, flags); best = min(best, time.perf_counter() - t0)
    total += best
print(json.dumps({"patterns": len(compiled), "ms": total * 1000}), file=sys.stderr)
"""


def patterns_compiled(args: list[str], env: dict[str, str]) -> tuple[int, float]:
    """How many patterns a fresh `python -m perfnlp …` compiles, and their compile time in ms."""
    assert args[:2] == ["-m", "perfnlp"]
    out = subprocess.run([sys.executable, "-c", COUNT_PATTERNS, *args[2:]], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stderr
    found = json.loads(out.strip().splitlines()[-1])
    return found["patterns"], found["ms"]


def imported_top_packages(args: list[str], env: dict[str, str]) -> set[str]:
    out = subprocess.run([sys.executable, "-X", "importtime", *args], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stderr
    return {line.split("|")[2].strip().split(".")[0] for line in out.splitlines()
            if line.startswith("import time:") and line.count("|") == 2 and "cumulative" not in line}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--no-bytecode", action="store_true",
                        help="no cached bytecode for any package (all compiled from source at each start)")
    ns = parser.parse_args(argv)
    seed = (SEEDS / "000_b301461eb80dab25.txt").read_text(encoding="utf-8")
    assert SENTENCE in seed and TARGET in seed and PROGRESS in seed, "the sentences must be real seed text"
    env = dict(os.environ)
    if ns.no_bytecode:  # no cached bytecode anywhere: every module of every package compiled at each start
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="no-pycache-")
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    # found, not imported: a child's peak RSS starts at this process's own (Linux keeps the high-water mark
    # over fork and exec), so this process stays as small as a bare interpreter
    if importlib.util.find_spec("jionlp") is not None:
        commands = dict(COMMANDS)
    else:
        print("JioNLP is not installed (pip install -e '.[bench]'): no comparison", file=sys.stderr)
        commands = {k: v for k, v in COMMANDS.items() if k != "jionlp"}
    for args in commands.values():
        run_once(args, env)  # warm-up
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(ns.runs):
        for name, args in commands.items():
            runs[name].append(run_once(args, env))
    packages = imported_top_packages(commands["sentence"], env)
    patterns = {name: patterns_compiled(commands[name], env) for name in ("sentence", "assess")}

    def median(name: str, what: str) -> float:
        return statistics.median(getattr(r, what) for r in runs[name])

    how = (f"benchmarks/bench_cold_start.py{' --no-bytecode' if ns.no_bytecode else ''}: fresh processes, "
           f"{ns.runs} interleaved rounds, medians; ratios: median of the round-by-round ratios")
    rows = [
        ("cold start, sentence: wall s", f"{median('sentence', 'wall'):.3f}", "-", None),
        ("cold start, sentence: CPU s", f"{median('sentence', 'cpu'):.3f}", "-", None),
        ("cold start, sentence: peak MiB", f"{median('sentence', 'mib'):.1f}", f"≤ {GOAL_MIB:.0f}",
         median("sentence", "mib") <= GOAL_MIB),
    ]
    if "jionlp" in runs:
        for what in ("wall", "cpu"):
            ratio = statistics.median(s.__dict__[what] / j.__dict__[what]
                                      for s, j in zip(runs["sentence"], runs["jionlp"]))
            rows.append((f"cold start, sentence / JioNLP import-and-extract: {what}", f"{ratio:.2f}×",
                         f"≤ {GOAL_VS_JIONLP}×", ratio <= GOAL_VS_JIONLP))
        rows += [
            ("cold start, JioNLP import-and-extract: wall s", f"{median('jionlp', 'wall'):.3f}", "-", None),
            ("cold start, JioNLP import-and-extract: peak MiB", f"{median('jionlp', 'mib'):.1f}", "-", None),
        ]
    heavy = [name for name in ("pydantic", "jieba", "pint") if name in packages]
    rows += [
        ("cold start, sentence: imports pydantic / jieba / pint",
         " / ".join("yes" if n in packages else "no" for n in ("pydantic", "jieba", "pint")), "no / no / no",
         not heavy),
        ("cold start, assess: wall s", f"{median('assess', 'wall'):.3f}", f"≤ {GOAL_ASSESS_S}",
         median("assess", "wall") <= GOAL_ASSESS_S),
        ("cold start, assess: CPU s", f"{median('assess', 'cpu'):.3f}", f"≤ {GOAL_ASSESS_S}",
         median("assess", "cpu") <= GOAL_ASSESS_S),
        ("cold start, assess: peak MiB", f"{median('assess', 'mib'):.1f}", "-", None),
        *[(f"cold start, {name}: patterns compiled / their compile ms (best of 5 each)",
           f"{patterns[name][0]} / {patterns[name][1]:.1f}", "-", None) for name in ("sentence", "assess")],
        ("cold start, python -c pass (the interpreter alone): wall s / CPU s",
         f"{median('python', 'wall'):.3f} / {median('python', 'cpu'):.3f}", "-", None),
    ]
    print(f"{ns.runs} interleaved rounds after one warm-up run of each; bytecode "
          f"{'none (all compiled at each start)' if ns.no_bytecode else 'written and used'}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print_table(rows, how=how)


if __name__ == "__main__":
    main()
