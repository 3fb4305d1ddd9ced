"""Loads the data files under perfnlp/data once. Every lexicon lives there, none in code."""
from __future__ import annotations

from functools import cache
from importlib import resources


def data_path(name: str):
    return resources.files("perfnlp") / "data" / name


@cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The non-comment rows of a tab-separated data file, each split into its fields."""
    text = data_path(name).read_text(encoding="utf-8")
    out: list[tuple[str, ...]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        out.append(tuple(field.strip() for field in line.split("\t")))
    return tuple(out)


@cache
def pairs(name: str) -> dict[str, str]:
    """A two-column data file as a mapping from its first to its second field."""
    return {row[0]: (row[1] if len(row) > 1 else "") for row in rows(name)}


@cache
def traditional_to_simplified() -> dict[int, str]:
    """data/traditional.tsv as a translation table (code point → character), one for one."""
    lines = [line for line in data_path("traditional.tsv").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    traditional, simplified = lines[0], lines[1]
    if len(traditional) != len(simplified):
        raise ValueError("data/traditional.tsv: the two lines differ in length")
    return {ord(t): s for t, s in zip(traditional, simplified)}
