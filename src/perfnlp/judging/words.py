"""The words of the judging stages' patterns (data/judging_words.tsv), by role: the patterns keep their
structure in code and take their words from here, in the file's order (the order a pattern tries them)."""
from __future__ import annotations

import re
from functools import cache

from ..text.lexicon import by_role


@cache
def listed(role: str) -> tuple[str, ...]:
    """The words of one role, in the file's order."""
    return by_role("judging_words.tsv").get(role, ())


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
