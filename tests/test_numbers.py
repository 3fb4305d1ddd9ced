"""perfnlp.extract_numbers, scan_numbers and parse_number on the number corpora (tests/corpus/numbers_*.tsv,
one file per kind: value ← many phrasings), and the Number model as the public surface promises it
(CONTRACT.md section 5)."""
from __future__ import annotations

import json
from decimal import Context, Decimal

import pytest

import perfnlp
from perfnlp.reading.numerals import CN_NUMERAL_CHARS
from test_corpus import load, unmark

NUMBER_CORPORA = ["numbers_integer.tsv", "numbers_decimal.tsv", "numbers_fraction.tsv", "numbers_percent.tsv",
                  "numbers_vague.tsv"]


def expected_value(written: str) -> Decimal:
    """N, N/D or M+N/D, divided as the reader divides (28 significant digits)."""
    whole = 0
    if "+" in written:
        head, written = written.split("+")
        whole = int(head)
    if "/" in written:
        num, den = (int(x) for x in written.split("/"))
        return Context(prec=28).divide(Decimal(whole * den + num), Decimal(den))
    return Decimal(written)


def described(found: perfnlp.NumberScan) -> str:
    numbers = [(n.text, str(n.value), n.kind, n.unit, n.approx, None if n.high is None else str(n.high))
               for n in found.numbers]
    return f"numbers={numbers} skipped={[(s.text, s.reason) for s in found.skipped]}"


def assert_accounted(text: str, found: perfnlp.NumberScan) -> None:
    covered = [False] * len(text)
    for s in [*found.numbers, *found.skipped]:
        assert text[s.start:s.end] == s.text, f"{text!r}: span {s.start}:{s.end} is not {s.text!r}"
        for i in range(s.start, s.end):
            covered[i] = True
    loose = [(i, ch) for i, ch in enumerate(text) if (ch.isdecimal() or ch in CN_NUMERAL_CHARS) and not covered[i]]
    assert not loose, f"{text!r}: numerals in no span: {loose}; {described(found)}"


def _params() -> list:
    return [p for name in NUMBER_CORPORA for p in load(name, "value")]


@pytest.mark.parametrize(("fields", "phrasing"), _params())
def test_number_corpus(fields: dict[str, str], phrasing: str) -> None:
    text, span = unmark(phrasing)
    found = perfnlp.scan_numbers(text)
    assert len(found.numbers) == 1, f"{text!r}: expected one number, got {described(found)}"
    n = found.numbers[0]
    assert perfnlp.extract_numbers(text) == found.numbers
    assert (n.start, n.end) == (span if span is not None else (0, len(text))), \
        f"{text!r}: surface {n.text!r}; {described(found)}"
    assert text[n.start:n.end] == n.text
    assert isinstance(n.value, Decimal)
    assert n.value == expected_value(fields["value"]), f"{text!r}: value {n.value}"
    assert n.kind == fields["kind"], f"{text!r}: kind {n.kind}"
    assert n.unit == fields.get("unit", "-").replace("-", ""), f"{text!r}: unit {n.unit!r}"
    assert n.approx is (fields["approx"] == "yes"), f"{text!r}: approx {n.approx}"
    high = None if fields["high"] == "-" else expected_value(fields["high"])
    assert n.high == high, f"{text!r}: high {n.high}"
    assert_accounted(text, found)
    if span is None:  # the whole text is the number: parse_number reads it too, if it is one exact number
        exact = not n.approx and n.high is None
        assert perfnlp.parse_number(text) == (n.value if exact else None), f"{text!r}: parse_number"


@pytest.mark.parametrize(("fields", "phrasing"), load("numbers_not.tsv", "reason"))
def test_not_numbers(fields: dict[str, str], phrasing: str) -> None:
    found = perfnlp.scan_numbers(phrasing)
    assert found.numbers == [], f"{phrasing!r} ({fields['reason']}): {described(found)}"
    assert perfnlp.extract_numbers(phrasing) == []
    assert fields["reason"] in {s.reason for s in found.skipped}, f"{phrasing!r}: {described(found)}"
    assert_accounted(phrasing, found)
    assert perfnlp.parse_number(phrasing) is None


# ---------------------------------------------------------------------------------------------------------
# the public surface (CONTRACT.md section 5)

def test_contract_examples() -> None:
    assert perfnlp.parse_number("拾万零五十六") == Decimal("100056")
    numbers = perfnlp.extract_numbers("九成以上的村完成改造，共一千二百户")
    assert [(n.text, n.start, n.end, n.value) for n in numbers] == [
        ("九成", 0, 2, Decimal("90")), ("一千二百", 12, 16, Decimal("1200"))]
    assert numbers[0].kind == "cheng" and numbers[0].unit == "%"
    assert numbers[1].kind == "integer" and numbers[1].unit == ""


@pytest.mark.parametrize("text", ["", "   ", "户", "十五户", "1-5万", "三和四", "一带一路", "第一", "2017年", "1.2.3",
                                  "12和13", "约300", "十余", "三四", "百分之", "分之一", "1,", "五元三毛"])
def test_parse_number_is_none_unless_one_whole_number(text: str) -> None:
    assert perfnlp.parse_number(text) is None


@pytest.mark.parametrize(("text", "value"), [(" 1.728万 ", "17280"), ("九成", "90"), ("一打", "12"),
                                              ("三分之二", "0.6666666666666666666666666667"), ("-3.2", "-3.2"),
                                              ("负三点二", "-3.2"), ("１，２３４．５", "1234.5")])
def test_parse_number_values(text: str, value: str) -> None:
    got = perfnlp.parse_number(text)
    assert got == Decimal(value) and isinstance(got, Decimal)


def test_bad_arguments_get_a_clear_error() -> None:
    for fn in (perfnlp.parse_number, perfnlp.extract_numbers, perfnlp.scan_numbers):
        with pytest.raises(TypeError, match="text must be a str"):
            fn(b"12")  # type: ignore[arg-type]


def test_number_model_dumps_to_json() -> None:
    n = perfnlp.extract_numbers("约3.5万多户")[0]
    dumped = n.model_dump(mode="json")
    assert dumped == {"text": "3.5万多", "start": 1, "end": 6, "value": "35000", "kind": "integer", "unit": "",
                      "approx": True, "high": "36000"}
    assert json.loads(perfnlp.scan_numbers("第一，共5户").model_dump_json())["skipped"][0]["reason"] == "ordinal"
    assert perfnlp.Number.model_validate(dumped) == n


def test_spans_index_the_original_text() -> None:
    text = "增长\u200b１２．５％，减少百分之\u200b三"
    for n in perfnlp.extract_numbers(text):
        assert text[n.start:n.end] == n.text
    assert [n.value for n in perfnlp.extract_numbers(text)] == [Decimal("12.5"), Decimal("3")]


def test_every_number_whatever_follows() -> None:
    """extract_numbers reads a Chinese numeral with no unit, where extract_quantities does not."""
    text = "共十五，一百和拾万零五十六都是数"
    assert [n.value for n in perfnlp.extract_numbers(text)] == [15, 100, 100056]
    assert perfnlp.extract_quantities(text) == []


def test_quantities_read_through_the_same_reader() -> None:
    cases = {"九成以上的村": ("九成", Decimal(90), "%"), "一吨半": ("一吨半", Decimal("1.5"), "吨"),
             "近万户": ("万户", Decimal(10000), "户"), "五元三毛": ("五元三毛", Decimal("5.3"), "元"),
             "两美元又三美分": ("两美元又三美分", Decimal("2.03"), "美元"), "千分之三": ("千分之三", Decimal(3), "‰")}
    for text, (surface, value, unit) in cases.items():
        qs = perfnlp.extract_quantities(text)
        assert [(q.text, q.value, q.unit) for q in qs] == [(surface, value, unit)], text


def test_models_made_without_validation_equal_validated_ones(seeds_dir) -> None:
    """Quantities and numbers are made without re-validating the values the reader made itself
    (numbers.trusted_constructor): on every cell of the seeds, each is what validation would give."""
    checked = 0
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for q in perfnlp.extract_quantities(text):
            again = perfnlp.Quantity.model_validate(q.model_dump())
            assert again == q and again.model_dump(mode="json") == q.model_dump(mode="json")
            assert type(q.value) is Decimal and (q.high is None or type(q.high) is Decimal)
            assert type(q.start) is int and type(q.text) is str and type(q.approx) is bool
            checked += 1
        for n in perfnlp.extract_numbers(text):
            assert perfnlp.Number.model_validate(n.model_dump()) == n
            assert type(n.value) is Decimal
            checked += 1
    assert checked > 1000


def test_a_quantity_made_the_short_way_copies_like_a_validated_one() -> None:
    # documents move quantities to a cell's place in the row text with model_copy
    from perfnlp import extract_quantities
    q = extract_quantities("完成投资3.5亿元")[0]
    moved = q.model_copy(update={"start": q.start + 10, "end": q.end + 10})
    assert (moved.start, moved.end, moved.value) == (q.start + 10, q.end + 10, q.value)
    assert q.start == 4


def test_the_year_lead_finds_every_year_and_only_years(seeds_dir) -> None:
    # the year family is searched for by its lead, a second spelling of timeexpr.YEAR that starts with a
    # character class: where they disagree, a year would be missed (or searched for in vain)
    import re

    from perfnlp.reading import timeexpr

    lead = timeexpr.compiled(0).lead
    year = re.compile(timeexpr.YEAR)
    assert lead is not None
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.iterdir()) if p.is_file()]
    texts.append("1899 1900 1999 2000 2099 2100 19 20 201 二〇一七 二零二三 一九九八 〇〇〇〇 三〇一七 二〇一 12020年")
    for text in texts:
        assert [m.start() for m in lead.finditer(text)] == [m.start() for m in year.finditer(text)]
    assert any(year.search(text) for text in texts[:-1])


_PLAIN_TEXTS = ["30个 1.5% 120吨 296.5万吨标准煤 3.098亿立方米 约30个 第3个 -5% 5%左右 30-50个 30个半 5元3角 5亿1万 3千米 12345 "
                "120 1.2万户 5.5万余吨 1234567890元 8.3万人次 2.5亿元/平方公里 10万千瓦 3 个 1,234元 5e3 100%以上 1.5倍",
                "全年新增就业岗位3万个，完成投资12.5亿元，增长7%以上；PM2.5浓度下降到45微克/立方米"]


@pytest.mark.parametrize("kind", ["seeds", "corpus", "forms"])
def test_the_plain_figure_reads_as_the_general_reading(kind: str, seeds_dir, corpus_dir, monkeypatch) -> None:
    """numbers.read_plain reads the commonest figures in one go; it must give what the general reading
    (read_at, the unit, the context) gives. Compared on every seed and corpus document, whole and cut into
    sentences, and on the forms around which a plain figure stops being plain, with the plain reader on and
    off; and extract_quantities (which passes by the runs that can only be words) finds what scan finds."""
    import re

    from perfnlp.reading import numbers

    folder = {"seeds": seeds_dir, "corpus": corpus_dir}.get(kind)
    texts = list(_PLAIN_TEXTS) if folder is None else \
        [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p.suffix in (".txt", ".tsv", ".csv", ".html")]
    texts += [piece for text in texts for piece in re.split(r"[。；;\n\t|]", text) if piece.strip()]
    texts += [piece for text in _PLAIN_TEXTS for piece in text.split()]

    def key(quantities: list) -> list[tuple]:
        return [(q.text, q.start, q.end, q.value, q.unit, q.approx, q.high, q.dimension) for q in quantities]

    def readings() -> list[tuple]:
        found = []
        for text in texts:
            scan = perfnlp.scan(text)
            assert key(perfnlp.extract_quantities(text)) == key(scan.quantities), text
            found.append((key(scan.quantities), [(s.text, s.start, s.reason) for s in scan.skipped]))
        return found

    calls = 0
    plain_reader = numbers.read_plain

    def counted(*args):
        nonlocal calls
        found = plain_reader(*args)
        calls += found is not None
        return found

    monkeypatch.setattr(numbers, "read_plain", counted)
    with_plain = readings()
    monkeypatch.setattr(numbers, "read_plain", lambda *args: None)
    assert readings() == with_plain
    assert calls > len(texts) // 4  # the plain reader did read most of them


def test_a_unit_read_in_a_window_is_the_unit_read_in_full() -> None:
    # unit_here reads a compound unit from a window of a few units (cached by what the window holds) and
    # reads it in full when the unit may reach the window's end: the two must agree, however long the chain
    import random

    from perfnlp.reading import numbers, units

    surfaces = sorted({entry.surface for entries in units._entries_by_first_char().values() for entry in entries})
    longest = sorted(surfaces, key=len)[-40:]  # chains of these end near the window's edge
    rng = random.Random(3)
    marks = ["/", "·", "/", ""]
    texts = ["亿元/平方公里", "吨/月·平方公里", "微克/立方米", "万元/人", "吨/平方公里/月/人/天/户", "元/", "亿元/166.3亿元"]
    for k in range(6000):
        pool = longest if k % 2 else surfaces
        parts = [rng.choice(pool)]
        for _ in range(rng.randint(0, 9)):
            parts += [rng.choice(marks), rng.choice(pool)]
        texts.append("".join(parts) + rng.choice(["", "。", "以上", "1", "/"]))
    for text in texts:
        for limit in {len(text), max(1, len(text) // 2)}:
            whole = units.unit_at(text, 0, limit)
            windowed = numbers.unit_here(text, 0, limit)
            expected = None if whole is None else (whole.surface, whole.pint, whole.dimension, whole.end)
            got = None if windowed is None else (windowed[0].surface, windowed[0].pint, windowed[0].dimension, windowed[1])
            assert got == expected, (text, limit)


def test_digits_of_every_script_are_read_and_other_characters_beyond_the_bmp_left_alone() -> None:
    found = perfnlp.extract_quantities("完成𝟑𝟎家😀，𠀀٣٥万吨，१२३户")
    assert [(q.text, q.value, q.unit) for q in found] == [
        ("𝟑𝟎家", Decimal(30), "家"), ("٣٥万吨", Decimal(350000), "吨"), ("१२३户", Decimal(123), "户")]
    assert perfnlp.extract_quantities("𠀀😀𝐀") == [] and perfnlp.extract_numbers("😀𝐀𠀀") == []
