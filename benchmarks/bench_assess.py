"""Throughput of assessment: perfnlp.assess per row, and perfnlp.assess_document per table.

What and how, all in this process, pinned to one CPU, after a warm-up pass, best of RUNS passes (a warm pass
of the 164 rows takes about 20 ms: on a machine that other work keeps busy, a few passes in a row can all be
slowed by a third, so the best is taken of many):
- rows/s: the tasks of the five seeds (perfnlp.read_document; and of seed 000 alone), each assessed with
  perfnlp.assess(task.target, task.progress, context=doc.context, group=task.group): warm (the process
  has assessed them once: the Reading of each text is kept, as for a text assessed again against other
  targets or contexts), and with every text read anew in each pass (the Reading cache cleared first);
- tasks/s of whole tables: perfnlp.assess_document(doc) for seed 000, and for all five seeds in turn
  (documents read once beforehand: reading is not what is measured).
Goal (issue 8): at least 6,000 rows per second (warm).

    python benchmarks/bench_assess.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import best_of, one_core, print_table, seed_files  # noqa: E402

import perfnlp  # noqa: E402

RUNS = 25
GOAL = 6_000  # rows per second (issue 8)


def main() -> None:
    one_core()
    docs = [perfnlp.read_document(path) for path in seed_files()]
    first = docs[0]
    context = first.context  # computed once, as a caller would

    from perfnlp.reading.reading import clear_cache

    every = [(task, doc.context) for doc in docs for task in doc.tasks]

    def rows(selection: list = [(task, context) for task in first.tasks]) -> None:  # noqa: B006
        for task, task_context in selection:
            perfnlp.assess(task.target, task.progress, context=task_context, group=task.group)

    def fresh_rows(selection: list = every) -> None:  # noqa: B006
        clear_cache()
        rows(selection)

    def table(selection: list[perfnlp.Document]) -> None:
        for doc in selection:
            perfnlp.assess_document(doc)

    warm_all_s = best_of(lambda: rows(every), RUNS)
    fresh_all_s = best_of(lambda: fresh_rows(every), RUNS)
    fresh_s = best_of(lambda: fresh_rows([(task, context) for task in first.tasks]), RUNS)
    row_s = best_of(rows, RUNS)
    one_s = best_of(lambda: table([first]), RUNS)
    all_s = best_of(lambda: table(docs), RUNS)
    n_first, n_all = len(first.tasks), sum(len(d.tasks) for d in docs)
    items = sum(len(perfnlp.assess_document(d).rows) for d in docs)
    print(f"seed 000: {n_first} tasks; all {len(docs)} seeds: {n_all} tasks, {items} target items")
    print_table([
        (f"assess rows/s (all seeds' {n_all} rows, warm)", f"{n_all / warm_all_s:,.0f}", f"≥ {GOAL:,}",
         n_all / warm_all_s >= GOAL),
        (f"assess rows/s (all seeds' {n_all} rows, texts read anew)", f"{n_all / fresh_all_s:,.0f}", "-", None),
        ("assess rows/s (seed 000, warm)", f"{n_first / row_s:,.0f}", "-", None),
        ("assess rows/s (seed 000, texts read anew)", f"{n_first / fresh_s:,.0f}", "-", None),
        ("assess_document tasks/s (seed 000)", f"{n_first / one_s:,.0f}", "-", None),
        (f"assess_document tasks/s (all {len(docs)} seeds)", f"{n_all / all_s:,.0f}", "-", None),
    ], how=f"benchmarks/bench_assess.py: in-process, one core, CPU time, warm-up then best of {RUNS} passes")


if __name__ == "__main__":
    main()
