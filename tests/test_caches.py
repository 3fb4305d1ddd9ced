"""The results kept with a text's Reading (targets per group, progress per context, alignments per pair) are
the results read anew, and what one caller does to its copy never reaches the next caller."""
from __future__ import annotations

import datetime as dt

import perfnlp
from perfnlp.reading.reading import MEMO_SIZE, clear_cache, read
from perfnlp.statements.progress import parse_progress
from perfnlp.statements.targets import parse_target
from perfnlp.text.context import Context

TARGET = "新增城镇就业5000人，城镇登记失业率控制在4.5%以内"
PROGRESS = "截至6月底，新增城镇就业3200人，完成全年任务的64%，城镇登记失业率3.8%"
MID_YEAR = Context(year=2021, as_of=dt.date(2021, 6, 30))


def _dumps(models: list) -> list[dict]:
    return [m.model_dump(mode="json") for m in models]


def test_kept_results_are_the_results_read_anew() -> None:
    clear_cache()
    first = (_dumps(parse_target(TARGET, MID_YEAR)), parse_progress(PROGRESS, MID_YEAR).model_dump(mode="json"),
             _dumps(perfnlp.assess(TARGET, PROGRESS, context=MID_YEAR)))
    kept = (_dumps(parse_target(TARGET, MID_YEAR)), parse_progress(PROGRESS, MID_YEAR).model_dump(mode="json"),
            _dumps(perfnlp.assess(TARGET, PROGRESS, context=MID_YEAR)))
    assert kept == first
    assert first[2][0]["achieved_value"] == "3200" and first[2][0]["status"] == "on_track"


def test_targets_kept_per_group_and_progress_per_context() -> None:
    clear_cache()
    bare = parse_target("完成3个", group=None)
    named = parse_target("完成3个", group="新建公园")
    assert bare[0].metric != named[0].metric and named[0].metric == "新建公园"
    assert parse_target("完成3个")[0].metric == bare[0].metric
    progress = "一季度完成1个"
    early = parse_progress(progress, Context(year=2020))
    late = parse_progress(progress, Context(year=2022))
    assert early.as_of is not None and late.as_of is not None and early.as_of.year == 2020 and late.as_of.year == 2022


def test_what_a_caller_does_to_its_copy_stays_its_own() -> None:
    clear_cache()
    targets = parse_target(TARGET, MID_YEAR)
    targets.append(targets[0])
    targets[0] = targets[1]
    progress = parse_progress(PROGRESS, MID_YEAR)
    progress.quantities.clear()
    progress.stated.clear()
    progress.as_of = None
    progress.claims_completion = True
    assessments = perfnlp.assess(TARGET, PROGRESS, context=MID_YEAR)
    assessments[0].flags.append("changed by the caller")
    assessments[0].status = "behind"
    again = parse_target(TARGET, MID_YEAR)
    assert len(again) == 2 and again[0].metric != again[1].metric
    fresh = parse_progress(PROGRESS, MID_YEAR)
    assert len(fresh.quantities) == 3 and len(fresh.stated) == 1 and fresh.as_of == dt.date(2021, 6, 30)
    assert not fresh.claims_completion
    second = perfnlp.assess(TARGET, PROGRESS, context=MID_YEAR)
    assert "changed by the caller" not in second[0].flags and second[0].status == "on_track"


def test_one_text_under_ever_new_keys_keeps_a_bounded_memo() -> None:
    clear_cache()
    for n in range(3 * MEMO_SIZE):
        parse_target("完成3个", group=f"第{n}组")
    assert len(read("完成3个").memo) <= MEMO_SIZE
    assert parse_target("完成3个", group="第0组")[0].metric == "第0组"


def test_copied_is_model_copy() -> None:
    """text/model.copied makes what model_copy(update=…) makes: fields, the fields set, repr, equality, and an
    instance dict of its own."""
    from perfnlp.text.model import copied

    progress = parse_progress(PROGRESS, MID_YEAR)
    assessment = perfnlp.assess(TARGET, PROGRESS, context=MID_YEAR)[0]
    for model, update in ((progress, {"quantities": list(progress.quantities), "stated": []}),
                          (assessment, {"explanation": "changed", "warning": "red"}),
                          (progress.quantities[0], {"unit": "个"})):
        fast, slow = copied(model, update), model.model_copy(update=update)
        assert type(fast) is type(slow) and fast == slow and repr(fast) == repr(slow)
        assert fast.model_fields_set == slow.model_fields_set
        assert fast.model_dump(mode="json") == slow.model_dump(mode="json")
        assert fast.model_dump(mode="json", exclude_unset=True) == slow.model_dump(mode="json", exclude_unset=True)
        assert fast.__dict__ is not model.__dict__ and fast.model_fields_set is not model.model_fields_set
    partial = perfnlp.Context.model_construct(year=2020)
    assert copied(partial, {"as_of": None}).model_fields_set == {"year", "as_of"}


def test_no_field_of_a_kept_target_can_be_changed_in_place() -> None:
    # the Targets kept are handed to every caller: what a target is per is a tuple, not a list to append to
    clear_cache()
    first = parse_target("人均月收入不低于3000元/人")[0]
    assert first.per == ("人",)
    assert not any(isinstance(getattr(first, name), (list, dict, set)) for name in type(first).model_fields)


def test_node_goals_are_found_once_per_assessment(monkeypatch) -> None:
    """The progress reader, alignment and the node items all ask which figures are node targets: the progress
    text's figures are looked at once, and the three agree (the node target is an item of its own)."""
    import perfnlp.statements.progress as progress_module

    progress = "累计完成供热管网改造23.4公里,超额完成9月份设置的累计完成供热管网改造20公里的节点目标"
    pattern = progress_module._NODE_GOAL
    asked: list[int] = []

    class Counting:
        def match(self, text: str, pos: int = 0):  # noqa: ANN201 - what the pattern's match returns
            asked.append(pos)
            return pattern.match(text, pos)

    monkeypatch.setattr(progress_module, "_NODE_GOAL", Counting())
    clear_cache()
    found = perfnlp.assess("完成供热管网改造30公里", progress, context=Context(year=2020, as_of=dt.date(2020, 10, 31)))
    figures = read(progress).figures
    assert sorted(asked) == sorted(q.end for q in figures)  # each figure once, not once per stage
    assert [a.status for a in found] == ["on_track", "achieved"]  # the target, then the node target met
    assert progress_module.node_goals(read(progress)) == (1,)


def test_the_readings_kept_are_bounded_by_their_characters() -> None:
    """A Reading takes a few hundred bytes a character: of forty texts of 20,000 characters only as many as
    the bound on characters allows are kept (a bound of 512 texts kept all forty, about 150 MiB), the oldest
    go first, and the newest is kept however long it is."""
    import perfnlp.reading.reading as reading

    clear_cache()
    sentence = "截至6月底，新增城镇就业{}人，完成全年任务的64%；"
    longs = ["".join(sentence.format(k * 1000 + i) for i in range(800)) for k in range(40)]
    assert all(len(text) > 20_000 for text in longs)
    short = read("完成3个")
    for text in longs:
        read(text)
        kept = sum(map(len, reading._CACHE))
        assert kept <= reading._CACHE_CHARS and kept == reading._cached_chars
    assert len(reading._CACHE) < 40 and read(longs[-1]) is read(longs[-1])
    assert read("完成3个") is not short  # read again: forgotten, as the oldest
    huge = "新增城镇就业5000人，" * (reading._CACHE_CHARS // 10 + 1)
    assert read(huge) is read(huge) and list(reading._CACHE) == [huge]  # longer than the bound: kept alone
    clear_cache()
    assert reading._cached_chars == 0


def test_cell_texts_stay_kept_across_documents() -> None:
    """The short texts a folder's documents repeat (task texts, cells) stay kept while thousands of other
    cells are read: what one process of several, reading every few documents, reads again."""
    clear_cache()
    repeated = read(TARGET)
    for k in range(3000):
        read(f"完成{k}个")
    assert read(TARGET) is repeated  # with the last 512 texts kept, it was read anew
