"""Shared helpers for the benchmark scripts: where the seeds are, how they are cut into sentences, how a
figure is printed (a plain table line and a markdown row for docs/performance.md)."""
from __future__ import annotations

import platform
import re
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"

_SPLIT = re.compile(r"[。；;！？!?\n\r\t]")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")  # HTML tags only: <大兴区…行动计划> is a title, not a tag


def seed_files() -> list[Path]:
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        raise SystemExit(f"no seed documents at {SEEDS}")
    return files


def sentences(text: str) -> list[str]:
    """Split on 。；;！？ newlines and tabs; drop empty and HTML-tag-only pieces."""
    out = []
    for piece in _SPLIT.split(text):
        piece = piece.strip()
        if piece and _TAG.sub("", piece).strip():
            out.append(piece)
    return out


def seed_sentences() -> list[str]:
    return [s for path in seed_files() for s in sentences(path.read_text(encoding="utf-8"))]


_CELL_SPLIT = re.compile(r"[。；;]")


def seed_cells() -> list[str]:
    """The whole sentences of the seeds as a reader meets them: every target and progress cell that
    perfnlp.read_document finds in the five seed documents, cut at 。；; only (no other split), empty
    pieces dropped."""
    import perfnlp

    out: list[str] = []
    for path in seed_files():
        for task in perfnlp.read_document(path).tasks:
            for cell in (task.target, task.progress):
                out.extend(piece for piece in _CELL_SPLIT.split(cell) if piece.strip())
    return out


def seed_text(size_bytes: int) -> str:
    """The seed documents one after the other, cut at the last line break before `size_bytes` bytes of
    UTF-8 (a whole text as a document reader passes it on)."""
    whole = "\n".join(path.read_text(encoding="utf-8") for path in seed_files())
    data = whole.encode("utf-8")
    if len(data) <= size_bytes:
        return whole
    cut = data[:size_bytes].decode("utf-8", errors="ignore")
    return cut[:cut.rfind("\n")] if "\n" in cut else cut


def best_of(fn: Callable[[], object], runs: int, warmup: int = 1) -> float:
    """Best CPU time of this process over `runs` calls after `warmup` calls: the least disturbed run on a
    shared machine (for single-threaded work that does no I/O, which CPU time measures alone)."""
    for _ in range(warmup):
        fn()
    best = float("inf")
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def machine() -> str:
    import os

    return f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()} {platform.system()}"


Row = tuple[str, str, str, "bool | None"]  # (figure, measured, goal, meets goal; None: no goal)


def one_core() -> None:
    """Pin this process to one CPU so that the figure is a one-core figure (Linux only; else a no-op)."""
    import os

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def print_table(rows: list[Row], how: str) -> None:
    """Print a plain table, then the same rows in markdown for docs/performance.md
    (columns: figure | measured | goal | status | how measured)."""
    width = max(len(r[0]) for r in rows)
    print(machine(), "-", sys.executable)
    for name, value, goal, ok in rows:
        status = "" if ok is None else "ok" if ok else "MISSES GOAL"
        print(f"  {name:<{width}}  {value:>12}   goal {goal:<14} {status}")
    print("\nmarkdown rows for docs/performance.md:")
    for name, value, goal, ok in rows:
        status = "-" if ok is None else "ok" if ok else "**MISSES GOAL**"
        print(f"| {name} | {value} | {goal} | {status} | {how} |")
