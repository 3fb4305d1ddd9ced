"""Score perfnlp against gold annotations (../shared/GOLD.md, ../shared/corpus/README.md).

    python -m perfnlp.evaluate fixtures/gold/items/*.jsonl [--errors]     cases (GOLD.md lines)
    python -m perfnlp.evaluate --pairs ../shared/corpus [--errors]        text pairs of a corpus folder
    python -m perfnlp.evaluate --documents ../shared/corpus [--errors]    whole documents of a corpus folder

Cases: per-field figures of each case's first item as GOLD.md defines them (quantity precision/recall/F1: a
quantity matches when surface, value and unit all agree; target items: comparator, change, value and unit by
position over the larger list, items without a figure not scored; as_of; ratio within 0.005; stated_ratio;
status), and, for cases with `items`, every item: `item_status` and `item_ratio` (within 1% relative, or both
null) over all gold items.

Pairs: every gold task of <tag>.gold.json whose target and progress are both free text (not bare table
cells such as "150" or "43.2\\t7以上", which come from value columns) is read by assess(target, progress,
context); every gold item is paired with an assessment (the same target value, else the same position) and
scored on ratio (within 1%, or both null) and status.

Documents: every document beside a <tag>.gold.json is read by read_document and assess_document; tasks and
items are paired as ../shared/tools/docs_eval.py and items_eval.py pair them (so that the figures agree with
that outside check): `count` (documents whose task count is within 10%), `task_recall`, `status` (a task's
first item), `item_status`, `item_ratio`, all over every gold task or item (one not found counts as wrong).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

RATIO_TOLERANCE = 0.005       # task-level ratio of a case: absolute
ITEM_RATIO_TOLERANCE = 0.01   # every item ratio: relative, as the outside check scores it


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
    items: int = 0
    item_status_ok: int = 0
    item_ratio_ok: int = 0
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
            "item_status": self.share(self.item_status_ok, self.items),
            "item_ratio": self.share(self.item_ratio_ok, self.items),
        }


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= RATIO_TOLERANCE


def same_number(gold: Any, out: Any, relative: float = ITEM_RATIO_TOLERANCE) -> bool:
    """Both null, or `out` within `relative` of `gold` (exactly 0 when gold is 0)."""
    gold, out = _float(gold), _float(out)
    if gold is None or out is None:
        return gold is None and out is None
    if gold == 0:
        return abs(out) <= 1e-9
    return abs(out - gold) <= relative * abs(gold)


def _float(x: Any) -> float | None:
    if isinstance(x, dict):
        x = next((x[k] for k in ("value", "name", "status") if x.get(k) not in (None, "")), None)
    if x is None or x == "":
        return None
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def read_gold(path: str | Path) -> list[dict[str, Any]]:
    cases = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                cases.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{number}: not JSON: {e.msg}") from None
    return cases


def pair_items(gold_items: list[dict[str, Any]], values: list[Any]) -> dict[int, int]:
    """gold item index → output item index: the same target value first, then the same position (as
    ../shared/tools/items_eval.py pairs them)."""
    taken: set[int] = set()
    result: dict[int, int] = {}
    for gi, g in enumerate(gold_items):
        gv = _float(g.get("value"))
        for k, value in enumerate(values):
            if k not in taken and gv is not None and same_number(gv, value, 1e-6):
                taken.add(k)
                result[gi] = k
                break
    for gi in range(len(gold_items)):
        if gi not in result and gi < len(values) and gi not in taken:
            taken.add(gi)
            result[gi] = gi
    return result


def _score_items(s: Scores, cid: str, gold_items: list[dict[str, Any]], assessments: list[Any]) -> None:
    """Every gold item against the assessment paired with it; an item with no partner counts as wrong."""
    values = [a.target.quantity.value if a.target.quantity is not None else (0 if a.target.zero_ceiling else None)
              for a in assessments]
    pairs = pair_items(gold_items, values)
    for gi, g in enumerate(gold_items):
        s.items += 1
        a = assessments[pairs[gi]] if gi in pairs else None
        status = a.status if a is not None else None
        ratio = a.ratio if a is not None else None
        status_ok = a is not None and str(g.get("status")).lower() == status
        ratio_ok = a is not None and same_number(g.get("ratio"), ratio)
        s.item_status_ok += status_ok
        s.item_ratio_ok += ratio_ok
        if not (status_ok and ratio_ok):
            metric = a.target.metric if a is not None else "(no item)"
            s.errors.append(f"{cid} item {gi + 1} {g.get('metric', '')!s:.24}: ratio {g.get('ratio')} / {ratio}, "
                            f"status {g.get('status')} / {status}  [{metric:.24}]")


def score(cases: Iterable[dict[str, Any]]) -> Scores:
    from .judging.assessment import assess_parsed
    from .reading.quantities import extract_quantities
    from .statements.progress import parse_progress
    from .statements.targets import parse_target
    from .text.context import Context

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
        if case.get("items"):
            _score_items(s, cid, case["items"], assessments)
    return s


# ---------------------------------------------------------------------------------------------------------
# a corpus folder: <tag>.gold.json beside each document (../shared/corpus/README.md)

def read_corpus(folder: str | Path) -> list[tuple[Path, dict[str, Any]]]:
    """(document path, gold) for every <tag>.gold.json of `folder`, in name order."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"{folder}: not a folder")
    out = []
    for path in sorted(folder.glob("*.gold.json")):
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}: not JSON: {e.msg}") from None
        out.append((folder / gold["file"], gold))
    if not out:
        raise ValueError(f"{folder}: no <tag>.gold.json in it")
    return out


_CJK = re.compile(r"[\u4e00-\u9fff]")


def is_free_text(text: str) -> bool:
    """A sentence, not bare table cells ("150", "43.2\\t7以上": value columns, read structurally)."""
    return "\t" not in text and _CJK.search(text) is not None


def score_pairs(folder: str | Path) -> Scores:
    """Every free-text gold task of a corpus folder through assess(target, progress, context)."""
    from .judging.assessment import assess
    from .text.context import Context

    s = Scores()
    for path, gold in read_corpus(folder):
        ctx = Context(**(gold.get("context") or {}))
        for number, task in enumerate(gold["tasks"], 1):
            if not (is_free_text(task["target"]) and is_free_text(task["progress"])):
                continue
            s.cases += 1
            items = task.get("items") or []
            _score_items(s, f"{path.name}#{number} {task['target'][:24]!r}", items,
                         assess(task["target"], task["progress"], ctx))
    return s


# --- whole documents, paired as ../shared/tools/docs_eval.py and items_eval.py pair them -------------------

_JOIN = "\u0001"  # joins fields so that no common substring runs across two of them
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _norm(text: Any) -> str:
    """NFKC, lower case, no whitespace, punctuation or control characters."""
    if text is None:
        return ""
    return "".join(ch for ch in unicodedata.normalize("NFKC", str(text)).lower()
                   if ch == _JOIN or unicodedata.category(ch)[0] not in "PZC")


def _longest_common_substring(a: str, b: str) -> int:
    if not a or not b:
        return 0
    best = 0
    previous = [0] * (len(b) + 1)
    for ca in a:
        current = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def _coverage(gold: str, out: str) -> float:
    if not gold or not out:
        return 0.0
    if gold in out:
        return 1.0
    if len(gold) <= 2:
        return 0.0
    common = _longest_common_substring(gold, out) / len(gold)
    grams = {gold[i:i + 2] for i in range(len(gold) - 1)}
    bigram = sum(1 for g in grams if g in out) / len(grams) if grams else 0.0
    return max(common, 0.9 * bigram)


def _numbers(text: str) -> set[str]:
    return {repr(float(m)) for m in _NUMBER.findall(unicodedata.normalize("NFKC", text or ""))}


@dataclass
class _Entry:
    """One output row (a target item of a task), with the texts the pairing compares."""

    index: int
    row: dict[str, Any]
    side: str = ""
    target_norm: str = ""
    progress_norm: str = ""
    target_value: str | None = None

    def __post_init__(self) -> None:
        target_text = str(self.row.get("target_text") or "")
        self.target_norm = _norm(target_text)
        self.side = _norm(_JOIN.join([target_text, str(self.row.get("metric") or ""), str(self.row.get("group") or "")]))
        self.progress_norm = _norm(self.row.get("progress") or "")
        value = _float(self.row.get("target_value"))
        self.target_value = repr(value) if value is not None else None


def _pair_score(gold: dict[str, Any], entry: _Entry) -> tuple[str | None, float]:
    gt, gp, gm = _norm(gold.get("target")), _norm(gold.get("progress")), _norm(gold.get("metric"))
    target_coverage = _coverage(gt, entry.side)
    progress_coverage = _coverage(gp, entry.progress_norm)
    exact = 1.0 if gt and gt == entry.target_norm else 0.0
    metric_coverage = _coverage(gm, entry.side) if gm else 0.0
    value = 1.0 if entry.target_value and entry.target_value in _numbers(gold.get("target", "")) else 0.0
    found_by = None
    if target_coverage >= 0.6:
        found_by = "target"
    elif not entry.target_norm and (progress_coverage >= 0.8 or (
            _coverage(gt, entry.progress_norm) >= 0.8 and progress_coverage >= 0.5)):
        found_by = "progress"
    if found_by is None:
        return None, 0.0
    first_item = 1.0 if entry.row.get("item") in (None, "", 1, "1") else 0.0
    total = 2 * target_coverage + progress_coverage + 0.5 * exact + 0.5 * metric_coverage + 0.3 * value + 0.1 * first_item
    return found_by, total - (0.5 if found_by == "progress" else 0.0)


def _match(gold_tasks: list[dict[str, Any]], entries: list[_Entry]) -> dict[int, _Entry]:
    """Gold tasks and output rows paired one to one, best score first."""
    scored = []
    for gi, g in enumerate(gold_tasks):
        for e in entries:
            found_by, total = _pair_score(g, e)
            if found_by:
                scored.append((total, -gi, -e.index, gi, e))
    scored.sort(key=lambda p: (p[0], p[1], p[2]), reverse=True)
    taken_gold: set[int] = set()
    taken_entries: set[int] = set()
    result: dict[int, _Entry] = {}
    for _, _, _, gi, e in scored:
        if gi in taken_gold or e.index in taken_entries:
            continue
        taken_gold.add(gi)
        taken_entries.add(e.index)
        result[gi] = e
    return result


@dataclass
class DocumentScores:
    documents: int = 0
    count_ok: int = 0
    tasks: int = 0
    found: int = 0
    status_ok: int = 0
    items: int = 0
    item_status_ok: int = 0
    item_ratio_ok: int = 0
    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def figures(self) -> dict[str, float]:
        f = lambda a, b: a / b if b else 0.0  # noqa: E731
        return {"count": f(self.count_ok, self.documents), "task_recall": f(self.found, self.tasks),
                "status": f(self.status_ok, self.tasks), "item_status": f(self.item_status_ok, self.items),
                "item_ratio": f(self.item_ratio_ok, self.items)}


def score_documents(folder: str | Path) -> DocumentScores:
    """Every document of a corpus folder end to end (read_document, assess_document)."""
    from .documents import DocumentError, read_document
    from .reports.report import assess_document

    s = DocumentScores()
    for path, gold in read_corpus(folder):
        try:
            rows = [row.plain() for row in assess_document(read_document(path)).rows]
            note = ""
        except DocumentError as e:
            rows, note = [], f"  [{e}]"
        entries = [_Entry(i, row) for i, row in enumerate(rows)]
        n = int(gold["n_tasks"])
        found_n = sum(1 for row in rows if row.get("item") in (None, "", 1, "1"))
        pairs = _match(gold["tasks"], entries)
        status = item_status = item_ratio = items = 0
        for gi, task in enumerate(gold["tasks"]):
            gold_items = task.get("items") or []
            items += len(gold_items)
            if gi not in pairs:
                s.errors.append(f"MISSED {path.name}: {task.get('target', '')[:50]!r}")
                continue
            entry = pairs[gi]
            row = sorted((e for e in entries if e.row.get("document") == entry.row.get("document")
                          and e.row.get("row") == entry.row.get("row")), key=lambda e: _float(e.row.get("item")) or 0)
            head = row[0] if row else entry
            if gold_items and str(gold_items[0].get("status")).lower() == head.row.get("status"):
                status += 1
            paired = pair_items(gold_items, [_float(e.row.get("target_value")) for e in row])
            for ii, k in paired.items():
                g, out = gold_items[ii], row[k].row
                status_ok = str(g.get("status")).lower() == out.get("status")
                ratio_ok = same_number(g.get("ratio"), out.get("ratio"))
                item_status += status_ok
                item_ratio += ratio_ok
                if not (status_ok and ratio_ok):
                    s.errors.append(f"WRONG  {path.name} {task.get('target', '')[:30]!r} item {ii + 1}: gold "
                                    f"{g.get('ratio')}/{g.get('status')} out {out.get('ratio')}/{out.get('status')}")
        s.documents += 1
        s.count_ok += abs(found_n - n) <= 0.1 * n
        s.tasks += len(gold["tasks"])
        s.found += len(pairs)
        s.status_ok += status
        s.items += items
        s.item_status_ok += item_status
        s.item_ratio_ok += item_ratio
        s.lines.append(f"{path.name:<30} tasks {found_n:>3}/{n:<3} found {len(pairs):>2}/{len(gold['tasks']):<2} "
                       f"status {status:>2}  items {item_status:>3}/{items:<3} ratio {item_ratio:>3}/{items:<3}{note}")
    return s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m perfnlp.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="*", help="gold files of cases (JSON Lines, GOLD.md format)")
    parser.add_argument("--pairs", metavar="FOLDER", help="score the free-text tasks of a corpus folder")
    parser.add_argument("--documents", metavar="FOLDER", help="score the documents of a corpus folder end to end")
    parser.add_argument("--errors", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    if not args.gold and not args.pairs and not args.documents:
        print("perfnlp.evaluate: error: give gold files, --pairs FOLDER or --documents FOLDER", file=sys.stderr)
        return 2
    try:
        cases: list[dict[str, Any]] = []
        for path in args.gold:
            cases.extend(read_gold(path))
        if cases:
            s = score(cases)
            print(f"cases {s.cases} items {s.items}")
            for name, value in s.figures.items():
                print(f"{name:<20} {value:.4f}")
            if args.errors:
                print("\n".join(s.errors))
        if args.pairs:
            p = score_pairs(args.pairs)
            print(f"pairs: tasks {p.cases} items {p.items} item_status {p.figures['item_status']:.4f} "
                  f"item_ratio {p.figures['item_ratio']:.4f}")
            if args.errors:
                print("\n".join(p.errors))
        if args.documents:
            d = score_documents(args.documents)
            if args.errors:
                print("\n".join(d.lines + d.errors))
            print(f"documents: docs {d.documents} tasks {d.tasks} items {d.items} "
                  + " ".join(f"{k}={v:.3f}" for k, v in d.figures.items()))
    except (OSError, ValueError, KeyError) as e:
        print(f"perfnlp.evaluate: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
