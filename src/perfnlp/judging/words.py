"""The words of the judging stages' patterns (data/judging_words.tsv), by role: the patterns keep their
structure in code and take their words from here, in the file's order (the order a pattern tries them)."""
from __future__ import annotations

import re
from functools import cache

from ..text.lexicon import rows


@cache
def _by_role() -> dict[str, tuple[str, ...]]:
    """Every role's words, in the file's order, read in one pass (some fifty roles are asked for)."""
    found: dict[str, list[str]] = {}
    for r in rows("judging_words.tsv"):
        if len(r) > 1:
            found.setdefault(r[1], []).append(r[0])
    return {role: tuple(words) for role, words in found.items()}


@cache
def listed(role: str) -> tuple[str, ...]:
    """The words of one role, in the file's order."""
    return _by_role().get(role, ())


@cache
def alt(role: str) -> str:
    """The words of one role as a regular-expression alternation (escaped), in the file's order."""
    found = listed(role)
    if not found:
        raise KeyError(f"data/judging_words.tsv lists no word of role {role!r}")
    return "|".join(re.escape(w) for w in found)


def word(role: str) -> str:
    """The one word of a role (其中, 控制 …)."""
    return listed(role)[0]
