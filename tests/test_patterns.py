"""Patterns compiled on first use (text/patterns.py): they answer as the compiled pattern does, compile only when
a call needs them, and each `needs` (the words a text must hold for the pattern to match) is what the pattern
requires: checked on the parsed pattern, and on the target and progress texts of the seeds' gold."""
from __future__ import annotations

import functools
import importlib
import json
import pkgutil
import re
from collections.abc import Iterator
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

import pytest

import perfnlp
from perfnlp.text.patterns import CJK_CHAR, LazyPattern

from conftest import GOLD


def _lazy_in(value: object, depth: int = 0) -> Iterator[LazyPattern]:
    if isinstance(value, LazyPattern):
        yield value
    elif depth < 2 and isinstance(value, (tuple, list)):
        for item in value:
            yield from _lazy_in(item, depth + 1)


def gated_patterns() -> dict[str, LazyPattern]:
    """Every LazyPattern with `needs` the library holds at module level or makes in a cached function that
    takes no argument, named by where it is."""
    found: dict[str, LazyPattern] = {}
    for info in pkgutil.walk_packages(perfnlp.__path__, prefix="perfnlp."):
        if info.name.rsplit(".", 1)[-1].startswith("__"):
            continue
        module = importlib.import_module(info.name)
        for attr, value in vars(module).items():
            where = f"{module.__name__}.{attr}"
            if isinstance(value, functools._lru_cache_wrapper) and getattr(value, "__module__", None) == module.__name__:
                try:
                    value = value()
                except TypeError:
                    continue  # a cached function that needs arguments
            for i, pattern in enumerate(_lazy_in(value)):
                if pattern.needs:
                    found[f"{where}[{i}]"] = pattern
    return found


GATED = gated_patterns()


def _texts(items: list, limit: int = 64) -> set[str] | None:
    """The texts a parsed sequence can match, when it matches one of a few fixed texts only (look-arounds and
    anchors match no text), else None."""
    out = {""}
    for op, av in items:
        if op is sre_constants.LITERAL:
            options: set[str] | None = {chr(av)}
        elif op is sre_constants.IN and all(o is sre_constants.LITERAL for o, _ in av):
            options = {chr(a) for _, a in av}
        elif op is sre_constants.SUBPATTERN:
            options = _texts(list(av[-1]), limit)
        elif op is sre_constants.BRANCH:
            options = set()
            for branch in av[1]:
                found = _texts(list(branch), limit)
                if found is None:
                    return None
                options |= found
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT, sre_constants.AT):
            options = {""}
        else:
            return None
        if options is None:
            return None
        out = {a + b for a in out for b in options}
        if len(out) > limit:
            return None
    return out


def _consumes_one_of(items: list, needs: tuple[str, ...]) -> bool:
    """Every match of the parsed sequence consumes one of `needs`: a run of fixed texts each holding one, or a
    group, a branch every alternative of which does, or a repeat of at least one that does."""
    run: list = []
    for element in [*items, None]:
        if element is not None and _texts([element]) is not None:
            run.append(element)
            continue
        texts = _texts(run) if run else None
        if texts and all(any(w in t for w in needs) for t in texts):
            return True
        run = []
        if element is None:
            break
        op, av = element
        if op is sre_constants.SUBPATTERN and _consumes_one_of(list(av[-1]), needs):
            return True
        if op is sre_constants.BRANCH and all(_consumes_one_of(list(b), needs) for b in av[1]):
            return True
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[0] >= 1 \
                and _consumes_one_of(list(av[2]), needs):
            return True
    return False


def test_the_check_of_needs_tells_apart() -> None:
    def holds(pattern: str, *needs: str) -> bool:
        return _consumes_one_of(list(sre_parse.parse(pattern)), needs)

    assert holds("以上|以下", "以上", "以下") and holds(r"[\u4e00-\u9fff]{0,2}?(?:及)?(?:以上|以下)(?=x)", "以上", "以下")
    assert holds(r"\s?(?:工程|项目)(?!已)", "工程", "项目") and holds("(?<=实现)无(?=[a-z])|杜绝", "无", "杜绝")
    assert holds(r"([\u4e00-\u9fff]{0,3}率)$", "率") and holds("(?:ab)+", "ab")
    assert not holds("以上|以下", "以上")                       # 以下 matches without it
    assert not holds(r"(?:率)?\s", "率")                        # optional
    assert not holds("(?=率)[\u4e00-\u9fff]", "率")             # asserted, not consumed
    assert not holds(r"(?:ab)*", "ab")


def test_the_library_has_gated_patterns() -> None:
    names = " ".join(GATED)
    for expected in ("perfnlp.statements.targets.THRESHOLD", "perfnlp.statements.targets._zero_words",
                     "perfnlp.judging.alignment._RATE_BEFORE", "perfnlp.judging.assessment._not_happened",
                     "perfnlp.reading.periods._WORDS"):
        assert expected in names, f"{expected} not found"


@pytest.mark.parametrize("name", sorted(GATED))
def test_needs_are_what_the_pattern_requires(name: str) -> None:
    pattern = GATED[name]
    tree = sre_parse.parse(pattern.pattern, pattern.flags)
    assert _consumes_one_of(list(tree), pattern.needs), \
        f"{name}: a match of {pattern.pattern!r} need not hold any of {pattern.needs}"


def _gold_texts() -> list[str]:
    texts: set[str] = set()
    for path in GOLD:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                texts.update(t for t in (case.get("target"), case.get("progress")) if isinstance(t, str))
    return sorted(texts)


def test_a_gate_answers_as_the_compiled_pattern_on_real_texts() -> None:
    texts = _gold_texts()
    assert len(texts) > 100
    wrong = []
    for name, pattern in GATED.items():
        compiled = pattern.compiled()
        for text in texts:
            fresh = LazyPattern(pattern.pattern, pattern.flags, needs=pattern.needs)  # not compiled: the gate answers
            if fresh.findall(text) != compiled.findall(text) or fresh.search(text, 3) is not None \
                    and fresh.search(text, 3).span() != compiled.search(text, 3).span():  # type: ignore[union-attr]
                wrong.append((name, text[:40]))
    assert not wrong, wrong[:5]


def test_a_lazy_pattern_compiles_on_first_use_and_answers_as_re() -> None:
    source = r"(?P<n>[0-9]+)\s?(吨|辆)"
    lazy = LazyPattern(source)
    assert lazy._compiled is None and lazy.pattern == source and "LazyPattern(" in repr(lazy)
    text = "淘汰老旧机动车11570辆，减少 30 吨"
    compiled = re.compile(source)
    assert lazy.search(text).span() == compiled.search(text).span()  # type: ignore[union-attr]
    assert lazy._compiled is compiled or lazy._compiled.pattern == source  # compiled now, once
    assert lazy.findall(text) == compiled.findall(text) and lazy.sub("#", text) == compiled.sub("#", text)
    assert [m.span() for m in lazy.finditer(text, 9)] == [m.span() for m in compiled.finditer(text, 9)]
    assert lazy.match(text, 7).group("n") == "11570" and lazy.groups == 2 and "n" in lazy.groupindex  # type: ignore[union-attr]
    assert lazy.split(text) == compiled.split(text) and lazy.subn("#", text) == compiled.subn("#", text)


def test_a_gated_pattern_is_not_compiled_for_a_text_without_its_words() -> None:
    lazy = LazyPattern(r"[\u4e00-\u9fff]{0,3}率", needs=("率",))
    for call in (lambda: lazy.search("完成11570辆"), lambda: lazy.match("完成率", 3), lambda: lazy.findall("率", 1),
                 lambda: lazy.fullmatch("合格"), lambda: list(lazy.finditer("优良率", -1, -1))):
        assert not call()
    assert lazy.sub("#", "合格") == "合格" and lazy.subn("#", "合格") == ("合格", 0) and lazy.split("ab") == ["ab"]
    assert lazy._compiled is None
    assert lazy.search("优良率为93%", -5).group() == "优良率"  # type: ignore[union-attr]  # negative pos: from 0, as re
    assert lazy._compiled is not None


def test_a_lazy_pattern_refuses_what_is_no_pattern() -> None:
    with pytest.raises(TypeError, match="pattern must be a str"):
        LazyPattern(b"x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs must be non-empty strings"):
        LazyPattern("x", needs=("",))


def test_the_shared_cjk_pattern_is_the_cjk_block() -> None:
    assert CJK_CHAR.fullmatch("\u4e00") and CJK_CHAR.fullmatch("\u9fff") and CJK_CHAR.fullmatch("率")
    assert not CJK_CHAR.fullmatch("\u4dff") and not CJK_CHAR.fullmatch("\ua000") and not CJK_CHAR.fullmatch("，")


def test_a_gate_reads_a_bounded_part_of_the_text() -> None:
    from perfnlp.text.patterns import GATE_SPAN

    lazy = LazyPattern("工程|项目", needs=("工程", "项目"))
    long_text = "完成5公里" * GATE_SPAN
    assert lazy.match(long_text, 3, 3 + GATE_SPAN) is None and lazy._compiled is None  # read by the gate
    assert lazy.match(long_text, 3) is None and lazy._compiled is not None  # too long for it: compiled
