"""assess_many on one process against two: 250 documents.

What: 250 document files made from the five seed documents (50 of each, in turn), each copy k with its
figures of three digits or more (not years) raised by k, so that no two documents hold the same cells and
each worker reads every text for the first time, as with real reports (perfnlp keeps a Reading of each
text it has read: identical copies would measure that cache). Then perfnlp.assess_many(paths,
processes=P) for P = 1 and 2, in ROUNDS interleaved rounds (1, 2, 1, 2 …), wall time from the call to
the last Report, best round of each: the pool's start (its workers import perfnlp) is counted.
CPU time is counted too (this process's and its reaped workers', os.getrusage): on a machine that other
work keeps busy the wall-time ratio says more about the others than about perfnlp, so the script also
prints the ratio that two free cores would give at most: one process's CPU time over half the CPU time of
the two workers and this process together (this process unpickles every Report the workers send).
Goal (issue 8): 2 processes at least 1.7× as fast as one, on a machine with 2 cores.

    python benchmarks/bench_batch.py [--rounds 3] [--documents 250]
"""
from __future__ import annotations

import argparse
import os
import resource
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table, seed_files  # noqa: E402

import perfnlp  # noqa: E402
from perfnlp.reading.reading import clear_cache  # noqa: E402

ROUNDS = 3
DOCUMENTS = 250
GOAL = 1.7
_FIGURE = re.compile(r"(?<![0-9.])(?!(?:19|20)[0-9]{2}(?![0-9]))[1-9][0-9]{2,}(?![0-9])")


def make_documents(folder: Path, count: int) -> list[Path]:
    seeds = [(path.suffix, path.read_text(encoding="utf-8")) for path in seed_files()]
    paths = []
    for k in range(count):
        suffix, text = seeds[k % len(seeds)]
        copy = k // len(seeds)
        varied = _FIGURE.sub(lambda m: str(int(m.group()) + copy), text) if copy else text
        path = folder / f"{k:04d}{suffix}"
        path.write_text(varied, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--documents", type=int, default=DOCUMENTS)
    ns = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_documents(Path(tmp), ns.documents)
        best = {1: float("inf"), 2: float("inf")}
        cpu: dict[int, tuple[float, float]] = {1: (float("inf"), 0.0), 2: (float("inf"), 0.0)}
        tasks = {}
        perfnlp.assess_many(paths[:5], processes=1)  # warm-up: lexicons, patterns, pint
        for _ in range(ns.rounds):
            for processes in (1, 2):
                clear_cache()  # each run reads every text for the first time (a forked worker would inherit them)
                own, children = _cpu()
                t0 = time.perf_counter()
                reports = perfnlp.assess_many(paths, processes=processes)
                wall = time.perf_counter() - t0
                own_after, children_after = _cpu()
                best[processes] = min(best[processes], wall)
                spent = (own_after - own, children_after - children)
                if sum(spent) < sum(cpu[processes]):
                    cpu[processes] = spent
                tasks[processes] = sum(len(r.rows) for r in reports)
                del reports  # each run starts with the same heap
    assert tasks[1] == tasks[2], "both runs must give the same reports"
    speedup = best[1] / best[2]
    bound = sum(cpu[1]) / (sum(cpu[2]) / 2)
    print(f"{ns.documents} documents, {tasks[1]} rows; {os.cpu_count()} CPUs; best of {ns.rounds} rounds; "
          f"load average {os.getloadavg()[0]:.1f}")
    print_table([
        ("assess_many, 1 process: documents/s", f"{ns.documents / best[1]:,.1f}", "-", None),
        ("assess_many, 2 processes: documents/s", f"{ns.documents / best[2]:,.1f}", "-", None),
        ("assess_many, 2 processes against 1 (wall)", f"{speedup:.2f}×", f"≥ {GOAL}×", speedup >= GOAL),
        ("assess_many, 1 process: CPU s", f"{sum(cpu[1]):.2f}", "-", None),
        ("assess_many, 2 processes: CPU s of the workers + this process",
         f"{cpu[2][1]:.2f} + {cpu[2][0]:.2f}", "-", None),
        ("assess_many, 2 processes against 1 on two free cores (bound from CPU time)", f"{bound:.2f}×",
         f"≥ {GOAL}×", bound >= GOAL),
    ], how=f"benchmarks/bench_batch.py: {ns.documents} documents, {ns.rounds} interleaved rounds, best")


def _cpu() -> tuple[float, float]:
    """CPU seconds of this process and of its reaped children (the pool's workers, once shut down)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
