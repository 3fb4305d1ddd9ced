"""Stage 3: quantities. Finds every measurement and count in a text, exactly, and says why every other
numeral is not one.

`scan(text)` returns the quantities and the skipped spans; together they cover every digit and every
Chinese numeral of the input (the accounting rule). `extract_quantities(text)` returns the quantities.

How a numeral is read, in order (the reading itself is numbers.py's, the one number reader of perfnlp):
1. Protected spans are found first and never read as quantities (numbers.protected_spans): time
   expressions (timeexpr.py: years, dates, periods), list markers (1. （2） ① 一是), names and set phrases
   from data/non_quantities.tsv (一带一路, 十四五, 万元GDP), anything in “quotes” (short) or 《titles》,
   document numbers (京环办〔2017〕54号), codes that mix Latin letters and digits (PM2.5, DB11/139-2015, S1),
   item reference lists ((5、7、24-2…)), dotted section numbers (1.2.3), versions (3.0版), telephone numbers
   and long identifiers.
2. Between them, each number is read in any written form (numbers.read_at): Arabic with its multiplier
   (1.728万, 12345.6万), Chinese, formal and mixed (两千余, 拾万零五十六, 5亿1万4千6百), 百分之X and 千分之X
   (as % and ‰), X分之Y, 成 and 折 (九成 → 90 %, 七五折 → 75 %), 一打 (12), vague amounts (数十, 上千, 十多万).
   Then come, in the order they are written: approximation (余/多 inside the surface, 约/近/超/逾 before,
   左右/上下 after), the unit (data/units.tsv, compound units too), 半 after it (一吨半 → 1.5 吨) or a
   currency's subunits (五元三毛 → 5.3 元, data/currency_subunits.tsv), and a range (1-5万, 3至5个, 两到三):
   `value` is the low end and `high` the high end. Plain figures (Arabic digits, perhaps a multiplier and a
   unit, nothing around them to act on: 30家, 296.5万吨标准煤) are read in one go by numbers.read_plain, which
   tests/test_numbers.py holds to the same result.
3. What is guessed: a Chinese numeral counts only when a unit or classifier follows it (三个 → 3 个; 统一,
   一般 are words), or as a percentage or fraction (九成, 三分之二); a lone 百/千/万 counts only before 余/多 or
   after an approximation word (百余户 → 100 户, 近万户 → 10000 户); a number followed by 号, 级, 期 …
   (data/number_suffixes.tsv) or preceded by 第 is a name or an ordinal; a bare hotline number (120, 12345)
   is a name, but not with a unit or more digits after it (12345元, 12345.6万元). A bare Arabic number with
   no unit is a quantity with unit "" (指数96). 万分之X is the fraction X/10000 (pint has no ‱).
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from ..text.model import BaseModel, ConfigDict

from . import numbers
from . import numerals
from . import units
from ..text.lexicon import rows
from .numbers import CANDIDATE as _CANDIDATE, Reading as _Reading, SkippedSpan

if TYPE_CHECKING:
    import pint


class Quantity(BaseModel):
    """A measurement or count as written. `text == original[start:end]`."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int
    end: int
    value: Decimal            # multiplier applied, exact; the low end of a range
    unit: str                 # as written, multiplier removed ("吨标准煤", "元/平方公里", "户", "%", "")
    approx: bool = False      # 约, 近, 超, 逾, 余, 多, 左右, 上下
    high: Decimal | None = None   # the high end of a range (1-5万 → value 10000, high 50000)
    dimension: str = "number"     # "currency", "energy", "count:户", "ratio" (%, ‰), "number" (no unit) …

    @property
    def pint_unit(self) -> str:
        return units.pint_expression(self.unit) or "dimensionless"

    def to(self, unit: str) -> "pint.Quantity":
        """This quantity as a pint Quantity in `unit` (a pint expression such as "km**3" or "GJ", or a unit
        as written here such as "立方米"). Raises ValueError when the unit is unknown or of another dimension."""
        import pint

        ureg = units.registry()
        target = units.pint_expression(unit) or unit
        try:
            return ureg.Quantity(self.value, self.pint_unit).to(target)
        except pint.errors.DimensionalityError as e:
            raise ValueError(f"cannot convert {self.text!r} ({self.unit or 'no unit'}) to {unit!r}: "
                             f"different dimensions") from e
        except (pint.errors.UndefinedUnitError, AttributeError, TypeError, ValueError) as e:
            raise ValueError(f"unknown unit {unit!r}") from e


_new_quantity = numbers.trusted_constructor(Quantity, {
    "text": "1.728万辆", "start": 0, "end": 7, "value": Decimal(17280), "unit": "辆", "approx": False, "high": None,
    "dimension": "count:辆"})


class Scan(BaseModel):
    """Everything scan() found in a text: quantities and skipped spans, both in text order."""

    text: str
    quantities: list[Quantity]
    skipped: list[SkippedSpan]


# ---------------------------------------------------------------------------------------------------------

_RANGE_SEP = "-~至到"
_LONE = "百千万亿萬億"  # alone, a quantity only with 余/多 or an approximation word (百余户, 近千人)


_CN_CHARS = frozenset(numerals.CN_NUMERAL_CHARS)
# what _read_after_unit reads after a unit starts with: 半, 又, or the numeral of a subunit
_AFTER_UNIT = frozenset("半又0123456789" + numerals.CN_NUMERAL_CHARS)


@cache
def _lone_slow() -> frozenset[str]:
    """What may follow one Chinese numeral character and make it more than a word: a unit, 分之 成 折 打 余
    多 又 来, a name suffix (号 级 期 …), a range mark, 点 (三点五)."""
    return frozenset(numbers._unit_widths()) | numbers._WORD_AFTER | numbers._APPROX_INNER | \
        frozenset(numbers._suffix_first()) | frozenset(_RANGE_SEP) | frozenset("点")


@cache
def _runs_to_read() -> re.Pattern[str]:
    """The runs of CANDIDATE_RUN that are more than a word of one Chinese numeral character (统一, 一直, 三星:
    the character followed by nothing of _lone_slow): the scan skips those, and without skipped spans to
    report it need not meet them at all."""
    run = numbers.named_pattern("candidate first").pattern[1:-1]  # the class's inside
    lone = "".join(sorted(_CN_CHARS))
    after = re.escape("".join(sorted(_lone_slow())))
    # one character class first, so that the engine skips ahead to it
    return re.compile(rf"[{run}](?:[{run}]+|(?<![{lone}])|(?=[{after}]))")


@cache
def _currency_subunits() -> dict[str, tuple[tuple[str, Decimal], ...]]:
    """data/currency_subunits.tsv: unit → its subunits with their value in the unit, longest first."""
    table: dict[str, list[tuple[str, Decimal]]] = {}
    for unit, subunit, value in rows("currency_subunits.tsv"):
        table.setdefault(unit, []).append((subunit, Decimal(value)))
    return {u: tuple(sorted(subs, key=lambda p: -len(p[0]))) for u, subs in table.items()}


def _read_number(text: str, m: re.Match[str], limit: int) -> _Reading | None:
    """The number of a candidate match (numbers.read_at), its inner approximation, unit, and what is
    written after the unit (一吨半, 五元三毛); then whether a Chinese numeral is a quantity at all."""
    reading = numbers.read_at(text, m, limit)
    if reading is None or reading.skip is not None or reading.value is None:
        return reading
    numbers.read_inner_approx_and_unit(text, reading, limit, chinese=reading.chinese)
    if reading.unit is not None and reading.high is None and reading.unit_end < limit \
            and text[reading.unit_end] in _AFTER_UNIT:
        _read_after_unit(text, reading, limit)
    if reading.kind == "permyriad" and reading.value is not None:
        # no pint unit for ‱: 万分之五 is the fraction 0.0005
        reading.value, reading.kind, reading.percent, reading.unit = \
            numerals.divide(reading.value, Decimal(10000)), "fraction", "", None
        reading.end = reading.number_end
        reading.dimension = "number"
    if reading.chinese:
        if reading.unit is not None and reading.unit.surface == "年":
            reading.skip = "name"  # 三年行动计划, 三年滑动平均: a Chinese-numeral year count names a plan or a metric
        elif reading.counted or reading.kind:
            pass  # 一打 (a dozen) is a count; 三分之二, 九成, 百分之五十 are ratios
        elif reading.unit is None or (reading.number_end - reading.start == 1 and text[reading.start] in _LONE
                                      and not reading.approx and not numbers.approx_before(text, reading.start)):
            reading.skip = numbers.suffix_reason(text, reading, limit) or "word"
    return reading


def _read_after_unit(text: str, reading: _Reading, limit: int) -> None:
    """半 after a unit (一吨半 = 1.5 吨, 两米半, 十五斤半); subunits after a currency (五元三毛 = 5.3 元,
    两美元又三美分 = 2.03 美元)."""
    unit = reading.unit
    assert unit is not None and reading.value is not None
    pos = reading.unit_end
    if pos >= limit:
        return
    if text[pos] == "半" and "/" not in unit.surface and unit.dimension != "ratio" and not reading.kind \
            and numbers._word_fits(text, "半", pos, limit):
        reading.value = numerals.EXACT.add(reading.value, Decimal("0.5"))
        reading.end = pos + 1
        return
    if reading.kind:
        return
    subunits = _currency_subunits().get(unit.surface)
    if not subunits:
        return
    if text[pos] == "又":
        pos += 1
    total = reading.value
    read_any = False
    for subunit, worth in subunits:
        numeral = numerals.read_numeral(text, pos, limit) if pos < limit else None
        if numeral is None or numeral.value >= 100 or not text.startswith(subunit, numeral.end):
            continue
        after = numeral.end + len(subunit)
        unit_there = numbers.unit_here(text, numeral.end, limit)
        if after > limit or (unit_there is not None and unit_there[1] > after):
            continue  # 5分钟 is no subunit
        total = numerals.EXACT.add(total, numerals.EXACT.multiply(numeral.value, worth))
        pos = after
        read_any = True
    if read_any:
        reading.value = numerals._plain(total)
        reading.end = pos


def _read_range(text: str, reading: _Reading, limit: int) -> None:
    """1-5万, 3至5个, 10~15, 两到三, 0.1-1亿元: extend the reading over the high end."""
    pos = reading.end
    if pos + 1 >= limit or text[pos] not in _RANGE_SEP or reading.value is None or reading.high is not None:
        return
    m = _CANDIDATE.match(text, pos + 1, limit)
    if m is None or m.lastgroup not in ("ar", "exp", "cn"):
        return
    high = _read_number(text, m, limit)
    if high is None or high.value is None or (high.skip and high.skip != "word") or high.high is not None:
        return
    if high.skip == "word" and high.unit is None and m.lastgroup == "cn":
        return
    # the multiplier and unit written once, after the high end, apply to both ends: 0.1-1亿元
    low = reading.value
    low_scaled = any(ch in "万亿千百萬億" for ch in text[reading.start:reading.end])  # 1万-5万, 三千-五千
    if reading.unit is None and high.multiplier and not low_scaled:
        low = numerals.apply_multiplier(low, high.multiplier)
    if reading.unit is None and high.kind in ("cheng", "zhe") and not reading.kind:
        low = numerals.scale(low, 10)  # 七到八成
    if reading.unit is not None and high.unit is not None and high.unit.surface != reading.unit.surface:
        return  # 5家-3户 is no range
    if high.value < low:
        return  # 58-1 is no range; nothing of the high end is taken
    if reading.unit is None:
        reading.unit, reading.unit_end, reading.dimension = high.unit, high.unit_end, high.dimension
        reading.kind, reading.percent = reading.kind or high.kind, reading.percent or high.percent
    reading.value = low
    reading.high = high.value
    reading.bound = None
    reading.approx = reading.approx or high.approx
    reading.end = high.end
    reading.skip = None


def scan(text: str) -> Scan:
    """Every quantity in `text` and every numeral that is not one, with spans into `text`."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    quantities, skipped = _scan_spans(text, want_skipped=True)
    return Scan(text=text, quantities=quantities, skipped=skipped)


def extract_quantities(text: str) -> list[Quantity]:
    """Every measurement and count in `text`, in order. See the module docstring for what is read how."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    return _scan_spans(text, want_skipped=False)[0]


def _scan_spans(text: str, *, want_skipped: bool) -> tuple[list[Quantity], list[SkippedSpan]]:
    norm, present = numbers.normalized(text)
    work = norm.text
    quantities: list[Quantity] = []
    skipped: list[SkippedSpan] = []
    found, wide = numbers.pieces(work, present)
    if not found:
        return quantities, skipped
    mapped = norm.origin is not None  # else offsets are the same in both strings

    def add_skip(start: int, end: int, reason: str) -> None:
        o_start, o_end = norm.span_in_original(start, end) if mapped else (start, end)
        skipped.append(SkippedSpan(text=text[o_start:o_end], start=o_start, end=o_end, reason=reason))

    match = _CANDIDATE.match
    runs = (numbers.CANDIDATE_RUN if want_skipped else _runs_to_read()).finditer
    lone_slow = _lone_slow()
    read_context = numbers.read_context
    read_plain = numbers.read_plain
    for s_start, s_end, present in found:
        protected = numbers.protected_spans(work, s_start, s_end, wide, present)
        if want_skipped:
            for p_start, p_end, reason in protected:
                if numbers.named_pattern("numeral").search(work, p_start, p_end):
                    add_skip(p_start, p_end, reason)
        # one pass over the runs of characters a number can start with; what lies inside a protected span is
        # passed by, and a number is read within its gap (between two protected spans): the same as
        # searching each gap for CANDIDATE, without trying every alternative at every position
        count = len(protected)
        index = 0
        gap_start, gap_end = s_start, (protected[0][0] if count else s_end)
        cursor = s_start
        for run in runs(work, s_start, s_end):
            at, run_end = run.span()
            while at < run_end:
                if at < cursor:
                    at = cursor
                    continue
                while at >= gap_end and index < count:
                    gap_start = protected[index][1]
                    index += 1
                    gap_end = protected[index][0] if index < count else s_end
                if at < gap_start:
                    at = gap_start  # inside a protected span
                    continue
                if run_end - at == 1 and work[at] in _CN_CHARS and (at + 1 >= gap_end or work[at + 1] not in lone_slow):
                    # one Chinese numeral character that nothing after it can make a quantity (三星, 一直 …):
                    # a word, as the whole reading below would find, without it
                    cursor = at = at + 1
                    if want_skipped:
                        add_skip(at - 1, at, "word")
                    continue
                if work[at] <= "9":  # an ASCII digit (runs hold no other character below 9)
                    plain = read_plain(work, at, gap_start, gap_end, _AFTER_UNIT)
                    if plain is not None:
                        end, value, unit, approx = plain
                        o_start, o_end = norm.span_in_original(at, end) if mapped else (at, end)
                        quantities.append(_new_quantity(
                            text=text[o_start:o_end], start=o_start, end=o_end, value=value,
                            unit=unit.surface if unit is not None else "", approx=approx, high=None,
                            dimension=unit.dimension if unit is not None else "number"))
                        cursor = at = end
                        continue
                m = match(work, at, gap_end)
                if m is None:
                    at += 1
                    continue
                try:
                    reading = _read_number(work, m, gap_end)
                    if reading is None:
                        cursor = at = at + 1
                        continue
                    if (reading.skip is None or reading.skip == "word") and reading.end + 1 < gap_end \
                            and work[reading.end] in _RANGE_SEP:
                        _read_range(work, reading, gap_end)
                    if reading.skip is None:
                        read_context(work, reading, gap_end, gap_start)
                except (ArithmeticError, ValueError):  # an absurd numeral is reported, never raised
                    reading = _Reading(at, m.end(), None)
                    reading.skip = "unreadable number"
                cursor = at = max(reading.end, m.end())
                if reading.skip is not None or reading.value is None:
                    if want_skipped:
                        add_skip(reading.start, cursor, reading.skip or "unreadable number")
                    continue
                o_start, o_end = norm.span_in_original(reading.start, reading.end) if mapped \
                    else (reading.start, reading.end)
                quantities.append(_new_quantity(
                    text=text[o_start:o_end], start=o_start, end=o_end, value=reading.value,
                    unit=reading.unit.surface if reading.unit is not None else "",
                    approx=reading.approx, high=reading.high, dimension=reading.dimension,
                ))
    if want_skipped:
        skipped.sort(key=lambda s: s.start)
    return quantities, skipped


def written_multiplier(q: Quantity) -> str:
    """The multiplier as written in a figure ("万" in 142.13万吨标准煤), or ""."""
    unit_at = q.text.rfind(q.unit) if q.unit else len(q.text)
    head = q.text[:unit_at].rstrip("余多来")
    for multiplier in numerals.MULTIPLIERS:
        if head.endswith(multiplier):
            return multiplier
    return ""


def display(value: Decimal, like: Quantity) -> str:
    """A value in `like`'s unit, written the way `like` is written: 1421300 like 296.5万吨标准煤 → 142.13万吨标准煤."""
    multiplier = written_multiplier(like)
    if multiplier:
        scaled = Decimal(value) / numerals.MULTIPLIERS[multiplier]
        return f"{numerals.format_number(scaled)}{multiplier}{like.unit}"
    return f"{numerals.format_number(value)}{like.unit}"
