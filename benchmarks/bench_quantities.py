"""Speed of perfnlp.extract_quantities against JioNLP's extract_money and a bare regex scan, side by side in
one process, on one core.

What: (1) every whole sentence of the five seed documents: the target and progress cells that
perfnlp.read_document finds, cut at 。；; only (seed_cells below); (2) a 3 KB and a 26 KB text (UTF-8
bytes): the seed documents one after the other, cut at the last line break before that size.
Contenders, each called once per sentence or text:
  perfnlp   perfnlp.extract_quantities(text)
  jionlp    jionlp.ner.extract_money(text) with its defaults (install the bench extra: pip install -e '.[bench]')
  regex     a bare scan: re.finditer over Arabic and Chinese numerals, the matched strings collected: the least
            that any reader of numbers does, and the floor perfnlp is measured against
  numbers   perfnlp.extract_numbers(text) (every number, any written form), for reference
How: one warm-up pass of each (lexicons, regexes and JioNLP's own tables are built on first use), then ROUNDS
rounds; in each round every contender runs the whole workload once, in turn, so that a change in the
machine's load hits all of them alike; the best round of each is kept. Pinned to one CPU; the time is the
process's CPU time (time.process_time: all of them are single-threaded and do no I/O here), so that other
processes on a busy machine count less.
Goals (issue 8): extract_quantities at least 1.5× as fast as extract_money on sentences and on both texts,
and at most 20× the bare regex scan.

    python benchmarks/bench_quantities.py [--rounds N]
    PYTHONPATH=<an older checkout>/src python benchmarks/bench_quantities.py   # the same for another version
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import one_core, print_table, seed_cells, seed_text  # noqa: E402

import perfnlp  # noqa: E402

ROUNDS = 9
GOAL_VS_JIONLP = 1.5   # extract_quantities at least this many times as fast as extract_money
GOAL_VS_REGEX = 20.0   # and at most this many times as slow as a bare regex scan
_BARE = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?|[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億]+")


def bare_scan(text: str) -> list[str]:
    return [m.group() for m in _BARE.finditer(text)]


def contenders() -> dict[str, Callable[[str], object]]:
    found: dict[str, Callable[[str], object]] = {"perfnlp": perfnlp.extract_quantities, "regex": bare_scan}
    try:  # absent before perfnlp read numbers (so that an older checkout can be measured the same way)
        found["numbers"] = perfnlp.extract_numbers
    except AttributeError:
        pass
    try:
        import jionlp  # noqa: F401  (prints a banner on import)
    except ImportError:
        print("JioNLP is not installed (pip install -e '.[bench]'): perfnlp is measured against the regex "
              "scan only", file=sys.stderr)
        return found
    found["jionlp"] = jionlp.ner.extract_money
    return found


def race(workload: list[str], fns: dict[str, Callable[[str], object]], rounds: int) -> dict[str, float]:
    """Best seconds of each contender over the whole workload, rounds interleaved."""
    for fn in fns.values():
        for text in workload:
            fn(text)
    best = {name: float("inf") for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            t0 = time.process_time()
            for text in workload:
                fn(text)
            best[name] = min(best[name], time.process_time() - t0)
    return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    ns = parser.parse_args(argv)
    one_core()
    fns = contenders()
    sentences = seed_cells()
    texts = {"3 KB": seed_text(3_000), "26 KB": seed_text(26_000)}
    rows = []
    runs = [("sentences", sentences, len(sentences))] + [(name, [t], 1) for name, t in texts.items()]
    for label, workload, count in runs:
        chars = sum(len(t) for t in workload)
        best = race(workload, fns, ns.rounds)
        per = {name: seconds / count for name, seconds in best.items()}
        unit, scale = ("µs/sentence", 1e6) if count > 1 else ("ms/text", 1e3)
        detail = f"{count} sentences, {chars} chars" if count > 1 else \
            f"{chars} chars, {len(workload[0].encode('utf-8'))} bytes"
        print(f"{label}: {detail}; best of {ns.rounds} interleaved rounds")
        for name, seconds in per.items():
            print(f"  {name:<8} {seconds * scale:10.2f} {unit}  ({chars / best[name] / 1e6:.2f} M chars/s)")
        rows.append((f"{label}: extract_quantities {unit}", f"{per['perfnlp'] * scale:.2f}", "-", None))
        if "jionlp" in per:
            speedup = per["jionlp"] / per["perfnlp"]
            rows.append((f"{label}: extract_money {unit}", f"{per['jionlp'] * scale:.2f}", "-", None))
            rows.append((f"{label}: speed vs JioNLP extract_money", f"{speedup:.2f}×", f"≥ {GOAL_VS_JIONLP}×",
                         speedup >= GOAL_VS_JIONLP))
        slowdown = per["perfnlp"] / per["regex"]
        rows.append((f"{label}: time vs bare regex scan", f"{slowdown:.1f}×", f"≤ {GOAL_VS_REGEX:.0f}×",
                     slowdown <= GOAL_VS_REGEX))
        if "numbers" in per:
            rows.append((f"{label}: extract_numbers {unit}", f"{per['numbers'] * scale:.2f}", "-", None))
    print()
    print_table(rows, how=f"benchmarks/bench_quantities.py: one core, {ns.rounds} interleaved rounds, best round")


if __name__ == "__main__":
    main()
