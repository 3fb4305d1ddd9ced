from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
CORPUS = ROOT.parent / "shared" / "corpus"
# the seeds' gold: one file per seed document, every target item judged (fixtures/gold/ANNOTATING.md)
GOLD = sorted((ROOT / "fixtures" / "gold" / "items").glob("s*.jsonl"))


@pytest.fixture(scope="session")
def gold_cases() -> list[dict]:
    from perfnlp.evaluate import read_gold

    return [case for path in GOLD for case in read_gold(path)]


@pytest.fixture(scope="session")
def gold_scores(gold_cases):
    from perfnlp.evaluate import score

    return score(gold_cases)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not any(CORPUS.glob("*.gold.json")):
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def pair_scores(corpus_dir: Path):
    from perfnlp.evaluate import score_pairs

    return score_pairs(corpus_dir)


@pytest.fixture(scope="session")
def document_scores(corpus_dir: Path):
    from perfnlp.evaluate import score_documents

    return score_documents(corpus_dir)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not at {SEEDS}")
    return SEEDS
