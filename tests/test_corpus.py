"""Duckling-style corpora: "this value ← these surface forms", one TSV per dimension under tests/corpus/.

File format (UTF-8, tab-separated): lines starting with "#" and empty lines are comments; the first other
line is a header naming the columns; its last column, "phrasings", and every column after it hold one
phrasing each. In the quantity corpora ⟦…⟧ marks the expected surface of the one quantity; the marks are
removed before the text is read. "-" stands for "none" (no change, no as_of).

A test id is "<file>:<line>.<n>", so a failure points at the line of the corpus file and the phrasing on it.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

import perfnlp
from perfnlp import Context
from perfnlp.reading.numerals import CN_NUMERAL_CHARS

CORPUS = Path(__file__).resolve().parent / "corpus"
OPEN, CLOSE = "⟦", "⟧"
YEAR = Context(year=2017)


def load(name: str, *key: str) -> list:
    """One pytest.param(fields, phrasing) per phrasing of the corpus file `name`; the id is file:line.n, then
    the `key` columns when they are ASCII (pytest escapes other characters in ids). A row whose `known` column
    says "xfail" is a known failure: it is expected to fail, strictly, so that a fix shows up as XPASS."""
    path = CORPUS / name
    header: list[str] | None = None
    params = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            assert header[-1] == "phrasings", f"{name}: the header must end with 'phrasings'"
            continue
        fixed = len(header) - 1
        assert len(cells) > fixed, f"{name}:{lineno}: fewer than {fixed} columns and no phrasing"
        fields = dict(zip(header[:fixed], cells[:fixed]))
        phrasings = [c for c in cells[fixed:] if c.strip()]
        assert phrasings, f"{name}:{lineno}: no phrasing"
        label = "/".join(fields[k] for k in key)
        label = f"={label}" if label and label.isascii() else ""
        known = fields.get("known", "-")
        assert known in ("-", "xfail"), f"{name}:{lineno}: known must be - or xfail, not {known!r}"
        marks = [pytest.mark.xfail(strict=True, reason=f"known failure, {name}:{lineno}")] if known == "xfail" else []
        for n, phrasing in enumerate(phrasings, 1):
            params.append(pytest.param(fields, phrasing, id=f"{path.stem}:{lineno}.{n}{label}", marks=marks))
    assert params, f"{name} is empty"
    return params


def unmark(phrasing: str) -> tuple[str, tuple[int, int] | None]:
    """The text without ⟦ ⟧ and the span the marks enclosed (None when the phrasing has no marks)."""
    if OPEN not in phrasing:
        return phrasing, None
    start = phrasing.index(OPEN)
    end = phrasing.index(CLOSE) - 1
    text = phrasing.replace(OPEN, "", 1).replace(CLOSE, "", 1)
    assert OPEN not in text and CLOSE not in text, f"one ⟦…⟧ per phrasing: {phrasing!r}"
    return text, (start, end)


def decimal(written: str) -> Decimal:
    if "/" in written:  # a fraction: numerator/denominator, as the reader divides it
        num, den = written.split("/")
        return Decimal(num) / Decimal(den)
    return Decimal(written)


def flag(written: str) -> bool:
    assert written in ("yes", "no"), f"approx must be yes or no, not {written!r}"
    return written == "yes"


def described(scan: perfnlp.Scan) -> str:
    qs = [(q.text, str(q.value), q.unit, q.approx, None if q.high is None else str(q.high)) for q in scan.quantities]
    return f"quantities={qs} skipped={[(s.text, s.reason) for s in scan.skipped]}"


def the_one_quantity(phrasing: str) -> tuple[str, perfnlp.Quantity, tuple[int, int] | None]:
    text, span = unmark(phrasing)
    scanned = perfnlp.scan(text)
    assert len(scanned.quantities) == 1, f"{text!r}: expected one quantity, got {described(scanned)}"
    q = scanned.quantities[0]
    assert text[q.start:q.end] == q.text, f"{text!r}: the span {q.start}:{q.end} is not {q.text!r}"
    assert perfnlp.extract_quantities(text) == scanned.quantities
    if span is not None:
        assert (q.start, q.end) == span, f"{text!r}: surface {q.text!r}, expected {text[span[0]:span[1]]!r}"
    return text, q, span


def assert_accounted(text: str, scanned: perfnlp.Scan) -> None:
    covered = [False] * len(text)
    for s in [*scanned.quantities, *scanned.skipped]:
        assert text[s.start:s.end] == s.text, f"{text!r}: span {s.start}:{s.end} is not {s.text!r}"
        for i in range(s.start, s.end):
            covered[i] = True
    loose = [(i, ch) for i, ch in enumerate(text) if (ch.isdecimal() or ch in CN_NUMERAL_CHARS) and not covered[i]]
    assert not loose, f"{text!r}: numerals in no span: {loose}; {described(scanned)}"


# ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("fields", "phrasing"), load("numbers.tsv", "value"))
def test_numbers(fields: dict[str, str], phrasing: str) -> None:
    text, q, _ = the_one_quantity(phrasing)
    assert q.value == decimal(fields["value"]), f"{text!r}: value {q.value}"
    assert isinstance(q.value, Decimal)
    assert q.unit == fields["unit"], f"{text!r}: unit {q.unit!r}"
    assert q.approx is flag(fields["approx"]), f"{text!r}: approx {q.approx}"
    assert q.high is None, f"{text!r}: read as a range up to {q.high}"


@pytest.mark.parametrize(("fields", "phrasing"), load("units.tsv", "value"))
def test_units(fields: dict[str, str], phrasing: str) -> None:
    text, q, _ = the_one_quantity(phrasing)
    assert q.unit == fields["unit"], f"{text!r}: unit {q.unit!r}"
    assert q.value == decimal(fields["value"]), f"{text!r}: value {q.value}"
    assert q.approx is False, f"{text!r}: read as approximate"
    assert q.high is None
    assert q.dimension != "number", f"{text!r}: the unit {q.unit!r} has no dimension"


@pytest.mark.parametrize(("fields", "phrasing"), load("ranges.tsv", "low", "high"))
def test_ranges(fields: dict[str, str], phrasing: str) -> None:
    text, q, _ = the_one_quantity(phrasing)
    assert q.value == decimal(fields["low"]), f"{text!r}: low end {q.value}"
    assert q.high == decimal(fields["high"]), f"{text!r}: high end {q.high}"
    assert q.unit == fields["unit"], f"{text!r}: unit {q.unit!r}"
    assert q.approx is flag(fields["approx"]), f"{text!r}: approx {q.approx}"


@pytest.mark.parametrize(("fields", "phrasing"), load("non_quantities.tsv", "kind"))
def test_non_quantities(fields: dict[str, str], phrasing: str) -> None:
    text = phrasing
    scanned = perfnlp.scan(text)
    assert scanned.quantities == [], f"{text!r} ({fields['kind']}): {described(scanned)}"
    assert perfnlp.extract_quantities(text) == []
    assert_accounted(text, scanned)
    if fields["kind"] in ("year", "date", "period"):
        reasons = {s.reason for s in scanned.skipped}
        assert fields["kind"] in reasons, f"{text!r}: no skipped span of reason {fields['kind']!r}: {described(scanned)}"


@pytest.mark.parametrize(("fields", "phrasing"), load("comparators.tsv", "comparator", "change"))
def test_comparators(fields: dict[str, str], phrasing: str) -> None:
    targets = perfnlp.parse_target(phrasing)
    assert targets, f"{phrasing!r}: no target"
    t = targets[0]
    got = (t.comparator, t.change, None if t.quantity is None else (str(t.quantity.value), t.quantity.unit))
    change = None if fields["change"] == "-" else fields["change"]
    assert t.comparator == fields["comparator"], f"{phrasing!r}: {got}"
    assert t.change == change, f"{phrasing!r}: {got}"
    assert t.quantity is not None, f"{phrasing!r}: {got}"
    assert t.quantity.value == decimal(fields["value"]), f"{phrasing!r}: {got}"
    assert t.quantity.unit == fields["unit"], f"{phrasing!r}: {got}"
    assert phrasing[t.quantity.start:t.quantity.end] == t.quantity.text


def _day(written: str) -> dt.date | None:
    return None if written == "-" else dt.date.fromisoformat(written)


@pytest.mark.parametrize(("fields", "phrasing"), load("periods.tsv", "first_day", "last_day"))
def test_periods(fields: dict[str, str], phrasing: str) -> None:
    periods = [p for p in perfnlp.read_periods(phrasing, YEAR) if p.kind != "year"]
    got = [(p.text, str(p.first_day), str(p.last_day), str(p.as_of), p.kind) for p in periods]
    assert len(periods) == 1, f"{phrasing!r}: expected one period, got {got}"
    p = periods[0]
    assert phrasing[p.start:p.end] == p.text
    assert (p.first_day, p.last_day) == (_day(fields["first_day"]), _day(fields["last_day"])), f"{phrasing!r}: {got}"
    assert p.as_of == _day(fields["as_of"]), f"{phrasing!r}: {got}"
    assert perfnlp.parse_progress(phrasing, YEAR).as_of == _day(fields["as_of"]), f"{phrasing!r}: {got}"


@pytest.mark.parametrize(("fields", "phrasing"), load("stated_ratios.tsv", "fractions"))
def test_stated_ratios(fields: dict[str, str], phrasing: str) -> None:
    written = fields["fractions"]
    expected = [] if written == "-" else [float(x) for x in written.split(",")]
    progress = perfnlp.parse_progress(phrasing, YEAR)
    assert progress.stated_ratios == pytest.approx(expected, abs=1e-9), \
        f"{phrasing!r}: {[(s.text, s.value) for s in progress.stated]}"
    for s in progress.stated:
        assert phrasing[s.start:s.end] == s.text


# --- targets, alignment and assessment: the context is the row's as_of (its year the report's year) ----------

PAIR = " => "


def _context(as_of: str) -> Context:
    day = dt.date.fromisoformat(as_of)
    return Context(year=day.year, as_of=day)


def _pair(phrasing: str) -> tuple[str, str]:
    assert PAIR in phrasing, f"a phrasing is 'target{PAIR}progress': {phrasing!r}"
    target, progress = phrasing.split(PAIR, 1)
    return target, progress


def _assessed(fields: dict[str, str], phrasing: str) -> tuple[perfnlp.Assessment, str]:
    target, progress = _pair(phrasing)
    assessments = perfnlp.assess(target, progress, _context(fields["as_of"]))
    item = int(fields["item"])
    got = [(a.target.metric, a.achieved.text if a.achieved else None, a.ratio, a.status) for a in assessments]
    assert len(assessments) >= item, f"{phrasing!r}: {len(assessments)} items: {got}"
    a = assessments[item - 1]
    return a, f"{phrasing!r}: item {item} {a.target.metric!r} achieved {a.achieved.text if a.achieved else None} " \
              f"ratio {a.ratio} stated {a.stated_ratio} status {a.status} flags {a.flags} | {a.explanation}"


@pytest.mark.parametrize(("fields", "phrasing"), load("targets.tsv", "item", "comparator", "change"))
def test_targets(fields: dict[str, str], phrasing: str) -> None:
    targets = [t for t in perfnlp.parse_target(phrasing) if t.quantity is not None or t.zero_ceiling]
    got = [(t.metric, t.comparator, t.change, None if t.quantity is None else (str(t.quantity.value), t.quantity.unit))
           for t in targets]
    if fields["items"] != "-":
        assert len(targets) == int(fields["items"]), f"{phrasing!r}: {got}"
    item = int(fields["item"])
    if fields["value"] == "-":  # no item with a figure
        assert not targets, f"{phrasing!r}: {got}"
        return
    assert len(targets) >= item, f"{phrasing!r}: {got}"
    t = targets[item - 1]
    change = None if fields["change"] == "-" else fields["change"]
    assert (t.comparator, t.change) == (fields["comparator"], change), f"{phrasing!r}: {got}"
    assert t.quantity is not None and t.quantity.value == decimal(fields["value"]), f"{phrasing!r}: {got}"
    assert t.quantity.unit == fields["unit"], f"{phrasing!r}: {got}"
    assert t.metric in phrasing, f"{phrasing!r}: the metric {t.metric!r} is not a substring"


@pytest.mark.parametrize(("fields", "phrasing"), load("alignment.tsv", "item"))
def test_alignment(fields: dict[str, str], phrasing: str) -> None:
    a, described = _assessed(fields, phrasing)
    want = None if fields["achieved"] == "-" else fields["achieved"]
    assert (a.achieved.text if a.achieved else None) == want, described
    assert fields["metric"] == "-" or a.target.metric == fields["metric"], described


@pytest.mark.parametrize(("fields", "phrasing"), load("assessments.tsv", "item", "status"))
def test_assessments(fields: dict[str, str], phrasing: str) -> None:
    a, described = _assessed(fields, phrasing)
    if fields["ratio"] == "-":
        assert a.ratio is None, described
    else:
        assert a.ratio is not None and a.ratio == pytest.approx(float(fields["ratio"]), abs=1e-3), described
    if fields["stated"] == "-":
        assert a.stated_ratio is None, described
    elif fields["stated"] != "any":
        assert a.stated_ratio == pytest.approx(float(fields["stated"]), abs=1e-6), described
    assert a.status == fields["status"], described
    target, _ = _pair(phrasing)
    if not a.target.from_progress:
        assert a.target.metric == "" or a.target.metric in target, f"{described}: the metric is not in the target"


def test_every_corpus_file_is_loaded() -> None:
    known = {"numbers.tsv", "units.tsv", "ranges.tsv", "non_quantities.tsv", "comparators.tsv", "periods.tsv",
             "stated_ratios.tsv", "targets.tsv", "alignment.tsv", "assessments.tsv",
             # prose statements, read by tests/test_documents.py
             "statements.tsv",
             # the number reader's corpora, read by tests/test_numbers.py
             "numbers_integer.tsv", "numbers_decimal.tsv", "numbers_fraction.tsv", "numbers_percent.tsv",
             "numbers_vague.tsv", "numbers_not.tsv"}
    assert {p.name for p in CORPUS.glob("*.tsv")} == known
