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
