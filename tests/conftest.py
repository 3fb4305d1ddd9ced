from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
GOLD = ROOT / "fixtures" / "gold" / "seeds.jsonl"


@pytest.fixture(scope="session")
def gold_scores():
    from perfnlp.evaluate import read_gold, score

    return score(read_gold(GOLD))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not at {SEEDS}")
    return SEEDS
