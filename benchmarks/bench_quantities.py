"""Throughput of perfnlp.extract_quantities on real sentences, on one core.

What: every seed document (../shared/seeds/*.txt) is split into sentences (on 。；;！？, newlines and tabs;
empty and HTML-tag-only pieces dropped). How: one warm-up pass over the whole list (lexicons and regexes are
built on first use and are not what we measure), then the best of RUNS passes, in this process, pinned to one CPU.
Goal: at least 25,000 sentences per second.

    python benchmarks/bench_quantities.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import best_of, one_core, print_table, seed_sentences  # noqa: E402

import perfnlp  # noqa: E402

RUNS = 7
GOAL = 25_000  # sentences per second


def main() -> None:
    one_core()
    sentences = seed_sentences()
    chars = sum(len(s) for s in sentences)

    def run() -> None:
        for s in sentences:
            perfnlp.extract_quantities(s)

    seconds = best_of(run, RUNS, warmup=1)
    rate = len(sentences) / seconds
    print(f"{len(sentences)} sentences, {chars} chars, best of {RUNS} runs: {seconds * 1000:.1f} ms")
    print_table([
        ("extract_quantities sentences/s", f"{rate:,.0f}", f"≥ {GOAL:,}", rate >= GOAL),
        ("extract_quantities µs/sentence", f"{seconds / len(sentences) * 1e6:.1f}", f"≤ {1e6 / GOAL:.0f}",
         rate >= GOAL),
        ("extract_quantities chars/s", f"{chars / seconds:,.0f}", "-", None),
    ], how=f"{len(sentences)} seed sentences ({chars} chars), warm-up then best of {RUNS} passes, one core")


if __name__ == "__main__":
    main()
