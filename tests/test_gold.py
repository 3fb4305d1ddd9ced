"""The library against the seeds' gold (fixtures/gold/items/s00N.jsonl, GOLD.md format with every item judged),
and against the shared corpus of real documents (../shared/corpus, its own gold)."""
from __future__ import annotations

from conftest import GOLD


def test_gold_file_is_well_formed_and_covers_every_seed(gold_cases):
    assert len(GOLD) == 5
    cases = gold_cases
    assert len(cases) >= 120
    sources = {c["source"] for c in cases}
    assert len(sources) == 5
    for case in cases:
        for side in ("target", "progress"):
            cursor = 0
            for surface, _value, _unit in case["quantities"][side]:
                found = case[side].find(surface, cursor)
                assert found >= 0, (case["id"], side, surface)
                cursor = found + len(surface)
    with_figures = [c for c in cases if c["targets"]]
    assert len(with_figures) >= 120
    for case in cases:
        assert case["items"], case["id"]  # every case judges every item
        assert len(case["items"]) >= len(case["targets"]), case["id"]


def test_quantity_precision_and_recall(gold_scores):
    assert gold_scores.quantity_precision >= 0.97, gold_scores.figures
    assert gold_scores.quantity_recall >= 0.97, gold_scores.figures


def test_target_items(gold_scores):
    assert gold_scores.figures["targets"] >= 0.95


def test_progress_as_of(gold_scores):
    assert gold_scores.figures["as_of"] >= 0.95


def test_quantity_f1(gold_scores):
    assert gold_scores.quantity_f1 >= 0.97


def test_ratio_within_half_a_point(gold_scores):
    assert gold_scores.figures["ratio"] >= 0.96


def test_status(gold_scores):
    assert gold_scores.figures["status"] >= 0.95


def test_stated_ratio(gold_scores):
    assert gold_scores.figures["stated_ratio"] >= 0.95


# --- every item, not only the first ------------------------------------------------------------------------

def test_item_gold_scores_every_item(gold_scores):
    assert gold_scores.items > gold_scores.cases  # multi-item cases are scored item by item


def test_item_status_on_the_seeds(gold_scores):
    assert gold_scores.figures["item_status"] >= 0.95, gold_scores.figures


def test_item_ratio_on_the_seeds(gold_scores):
    assert gold_scores.figures["item_ratio"] >= 0.95, gold_scores.figures


def test_pairs_of_the_shared_corpus(pair_scores):
    """Free-text target/progress pairs of ../shared/corpus (53 real documents), every gold item."""
    assert pair_scores.cases >= 200
    # measured 2026-12-01 (judge3): item_status 0.9247, item_ratio 0.9195 (were 0.852 / 0.868)
    assert pair_scores.figures["item_status"] >= 0.92, pair_scores.figures
    assert pair_scores.figures["item_ratio"] >= 0.91, pair_scores.figures


def test_whole_documents_of_the_shared_corpus(document_scores):
    """read_document + assess_document end to end, paired as ../shared/tools/items_eval.py pairs them.
    Floors: they rise as the document readers improve."""
    figures = document_scores.figures
    assert document_scores.documents >= 50
    # measured 2026-12-01 on main after all branches merged: count 0.925, task_recall 0.984, status 0.923,
    # item_status 0.912, item_ratio 0.916 (issue 9 and 10 goals: count, item status and ratio >= 0.90)
    assert figures["count"] >= 0.92, figures
    assert figures["task_recall"] >= 0.98, figures
    assert figures["status"] >= 0.92, figures
    assert figures["item_status"] >= 0.90, figures
    assert figures["item_ratio"] >= 0.91, figures


# --- explanations say what was compared, in the source's words, and never contradict the status -------------

_VERDICTS = {  # words an explanation may use only for these statuses
    "已完成年度目标": {"achieved"}, "不满足目标": {"behind"}, "未达到目标": {"behind"}, "已超过上限": {"behind"},
    "目前满足目标": {"on_track"}, "目前达到目标": {"on_track"}, "进展写明任务已完成": {"achieved"},
}


def test_explanations_agree_with_their_figures(gold_cases):
    import perfnlp
    from perfnlp import Context

    seen = 0
    for case in gold_cases:
        for a in perfnlp.assess(case["target"], case["progress"], Context(**case["context"]), group=case.get("group")):
            seen += 1
            e = a.explanation
            assert e and e[0] not in "。，,；;、" and not e.startswith(("或者", "及", "和")), (case["id"], e)
            for words, statuses in _VERDICTS.items():
                assert words not in e or a.status in statuses, (case["id"], a.status, e)
            source = case["progress"] if a.target.from_progress else case["target"]
            group = case.get("group") or ""
            # a metric is the item's own words; a slash pair's names are read from the group (收入及支出 → 支出)
            assert a.target.metric in source or (group and set(a.target.metric) <= set(group)), (case["id"], a.target.metric)
            if a.ratio is not None and a.achieved is not None and not a.parts and a.achieved.unit == a.target.unit \
                    and a.target.change is None:
                assert a.achieved.text in e, (case["id"], a.achieved.text, e)  # 7737起 stays 起
            if a.ratio is not None and a.target.quantity is not None:
                assert a.target.quantity.text in e, (case["id"], e)  # the target figure as written
    assert seen >= 250
