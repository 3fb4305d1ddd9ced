"""Score perfnlp against a gold file in the GOLD.md format.

    python -m perfnlp.evaluate fixtures/gold/seeds.jsonl [--errors]

Prints per-field figures: quantity precision/recall/F1 (a quantity matches when surface, value and unit
all agree), target item accuracy (comparator, change, value and unit of every item, by position, over the
larger of the two lists; items without a figure are not scored), as_of accuracy, ratio accuracy (within
0.005, both null counting as agreement), stated_ratio accuracy (the same), status accuracy.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

RATIO_TOLERANCE = 0.005


@dataclass
class Scores:
    cases: int = 0
    q_tp: int = 0
    q_fp: int = 0
    q_fn: int = 0
    target_ok: int = 0
    target_n: int = 0
    as_of_ok: int = 0
    ratio_ok: int = 0
    stated_ok: int = 0
    status_ok: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def quantity_precision(self) -> float:
        return self.q_tp / (self.q_tp + self.q_fp) if self.q_tp + self.q_fp else 1.0

    @property
    def quantity_recall(self) -> float:
        return self.q_tp / (self.q_tp + self.q_fn) if self.q_tp + self.q_fn else 1.0

    @property
    def quantity_f1(self) -> float:
        p, r = self.quantity_precision, self.quantity_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def share(self, ok: int, n: int | None = None) -> float:
        n = self.cases if n is None else n
        return ok / n if n else 1.0

    @property
    def figures(self) -> dict[str, float]:
        return {
            "quantity_precision": self.quantity_precision, "quantity_recall": self.quantity_recall,
            "quantity_f1": self.quantity_f1, "targets": self.share(self.target_ok, self.target_n),
            "as_of": self.share(self.as_of_ok), "ratio": self.share(self.ratio_ok),
            "stated_ratio": self.share(self.stated_ok), "status": self.share(self.status_ok),
        }


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= RATIO_TOLERANCE


def read_gold(path: str | Path) -> list[dict[str, Any]]:
    cases = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                cases.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{number}: not JSON: {e.msg}") from None
    return cases


def score(cases: Iterable[dict[str, Any]]) -> Scores:
    from .judging.assessment import assess_parsed
    from .text.context import Context
    from .statements.progress import parse_progress
    from .reading.quantities import extract_quantities
    from .statements.targets import parse_target

    s = Scores()
    for case in cases:
        s.cases += 1
        cid = case.get("id", f"#{s.cases}")
        ctx = Context(**(case.get("context") or {}))
        for side in ("target", "progress"):
            gold = Counter((surface, Decimal(str(value)), unit) for surface, value, unit in case["quantities"][side])
            got = Counter((q.text, q.value, q.unit) for q in extract_quantities(case[side]))
            s.q_tp += sum((gold & got).values())
            s.q_fp += sum((got - gold).values())
            s.q_fn += sum((gold - got).values())
            if gold != got:
                s.errors.append(f"{cid} {side} quantities: missing {sorted(map(str, (gold - got).elements()))} "
                                f"extra {sorted(map(str, (got - gold).elements()))}")
        targets = parse_target(case["target"], ctx, group=case.get("group"))
        scored = [t for t in targets if t.quantity is not None or t.zero_ceiling]
        want = [(t["comparator"], t["change"], Decimal(str(t["value"])), t["unit"]) for t in case["targets"]]
        have = [(t.comparator, t.change, t.quantity.value if t.quantity else Decimal(0), t.unit) for t in scored]
        s.target_n += max(len(want), len(have))
        s.target_ok += sum(1 for a, b in zip(want, have) if a == b)
        if want != have:
            s.errors.append(f"{cid} targets: want {want} got {have}")
        progress = parse_progress(case["progress"], ctx)
        got_as_of = progress.as_of.isoformat() if progress.as_of else None
        s.as_of_ok += got_as_of == case.get("as_of")
        if got_as_of != case.get("as_of"):
            s.errors.append(f"{cid} as_of: want {case.get('as_of')} got {got_as_of}")
        assessments = assess_parsed(targets, progress, ctx)
        first = assessments[0] if assessments else None
        ratio = first.ratio if first else None
        stated = first.stated_ratio if first else None
        status = first.status if first else "unknown"
        s.ratio_ok += _close(ratio, case.get("ratio"))
        s.stated_ok += _close(stated, case.get("stated_ratio"))
        s.status_ok += status == case.get("status")
        if not _close(ratio, case.get("ratio")) or status != case.get("status") or not _close(stated, case.get("stated_ratio")):
            s.errors.append(f"{cid} ratio {case.get('ratio')} / {ratio}, stated {case.get('stated_ratio')} / {stated}, "
                            f"status {case.get('status')} / {status}")
    return s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m perfnlp.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="+", help="gold files (JSON Lines, GOLD.md format)")
    parser.add_argument("--errors", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    cases: list[dict[str, Any]] = []
    try:
        for path in args.gold:
            cases.extend(read_gold(path))
    except (OSError, ValueError) as e:
        print(f"perfnlp.evaluate: error: {e}", file=sys.stderr)
        return 2
    s = score(cases)
    print(f"cases {s.cases}")
    for name, value in s.figures.items():
        print(f"{name:<20} {value:.4f}")
    if args.errors:
        print("\n".join(s.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
