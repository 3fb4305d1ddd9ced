"""Stage 3: quantities. Finds every measurement and count in a text, exactly, and says why every other
numeral is not one.

`scan(text)` returns the quantities and the skipped spans; together they cover every digit and every
Chinese numeral of the input (the accounting rule). `extract_quantities(text)` returns the quantities.

How a numeral is read, in order:
1. Protected spans are found first and never read as quantities: time expressions (timeexpr.py: years,
   dates, periods), list markers (1. （2） ① 一是), names and set phrases from data/non_quantities.tsv
   (一带一路, 十四五, 万元GDP, 12345), anything in “quotes” (short) or 《titles》, document numbers
   (京环办〔2017〕54号), codes that mix Latin letters and digits (PM2.5, DB11/139-2015, S1), item reference
   lists ((5、7、24-2…)), dotted section numbers (1.2.3), versions (3.0版) and long identifiers.
2. Between them, each numeral is read: an Arabic number with its multiplier (1.728万), a Chinese numeral
   (两千余), 百分之X, X分之Y. Then come, in the order they are written: approximation (余/多 inside the
   surface, 约/近/超/逾 before, 左右/上下 after), the unit (data/units.tsv, compound units too), and a range
   (1-5万, 3至5个, 两到三): `value` is the low end and `high` the high end.
3. What is guessed: a Chinese numeral counts only when a unit or classifier follows it (三个 → 3 个; 统一,
   一般 are words); a lone 百/千/万 counts only before 余/多 (百余户 → 100 户); a number followed by 号, 级, 期 …
   (data/number_suffixes.tsv) or preceded by 第 or 每 is a name, ordinal or rate base; a bare hotline number
   (120, 12345) is a name. A bare Arabic number with no unit is a quantity with unit "" (指数96).
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from . import numerals
from . import timeexpr
from . import units
from ..text.lexicon import pairs, rows
from ..text.normalize import normalize

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


class SkippedSpan(BaseModel):
    """A numeral that is not a quantity, and why (year, date, period, list marker, name, code …)."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int
    end: int
    reason: str


class Scan(BaseModel):
    """Everything scan() found in a text: quantities and skipped spans, both in text order."""

    text: str
    quantities: list[Quantity]
    skipped: list[SkippedSpan]


# ---------------------------------------------------------------------------------------------------------
# patterns (on normalized text). Inside a repeated group only bounded repetition: linear time.

_CN_NUM = numerals.CN_NUMERAL_CHARS
_CN_DIG = numerals.CN_DIGIT_CHARS
_NUMERAL_CHAR = re.compile(rf"[0-9{_CN_NUM}]")

_CANDIDATE = re.compile(
    rf"(?P<pct>百分之(?P<pctnum>[0-9]+(?:\.[0-9]+)?|[{_CN_NUM}]+(?:点[{_CN_DIG}]+)?))"
    rf"|(?P<frac>(?P<den>[0-9]+|[{_CN_NUM}]+)分之(?P<nom>[0-9]+(?:\.[0-9]+)?|[{_CN_NUM}]+))"
    r"|(?P<ar>[0-9]{1,3}(?:[, ][0-9]{3}(?![0-9]))+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
    r"(?P<exp>[eE][-+]?[0-9]{1,3}(?![A-Za-z0-9]))?"
    rf"|(?P<cn>[{_CN_NUM}]+(?:点[{_CN_DIG}]+)?)"
)
# Latin letters next to digits make a code or a name (PM2.5, DB11/139-2015, S1, HICOOL2022, 1+X+N)
_ASCII_TOKEN = re.compile(r"(?<![A-Za-z0-9μµ])[A-Za-z0-9μµ][A-Za-z0-9μµ³².+/_\-]{0,48}")
_HAS_LETTER = re.compile(r"[A-Za-z]")
_HAS_DIGIT = re.compile(r"[0-9]")
_SCIENTIFIC = re.compile(r"[0-9]+(?:\.[0-9]+)?[eE][-+]?[0-9]{1,3}")
# "7.20个村": at the head of an item, N. before a whole count is a list marker (a count has no decimals)
_COUNTED = r"[0-9]{1,5}\s?(?:个|家|户|项|条|处|辆|所|座|名|人|次|件|栋|台|场|套|村)"
_BOUNDARY = r"(?:^|(?<=[\n\r。;:!?\s)\]】>]))"
_MARKERS = re.compile(
    rf"{_BOUNDARY}(?:[0-9]{{1,2}}\s?[.、](?![0-9])"
    rf"|[0-9]{{1,2}}\.(?=[0-9]{{1,2}}\s?(?:[-~至]\s?[0-9]{{1,2}}\s?)?月|(?:19|20)[0-9]{{2}}\s?年|{_COUNTED})"
    rf"|[一二三四五六七八九十]{{1,3}}[、.])"
    r"|[(][0-9]{1,2}[)]|[(][一二三四五六七八九十]{1,3}[)]|[①-⑳]|[一二三四五六七八九十]{1,2}是(?!否)",
    re.MULTILINE,
)
_OTHER_PROTECTED: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"《[^《》\n]{0,80}》"), "title"),
    (re.compile(r"“[^“”\n]{0,20}”|\"[^\"\n]{0,20}\"|「[^「」\n]{0,20}」|‘[^‘’\n]{0,20}’"), "quoted name"),
    (re.compile(r"[〔\[【(]\s?(?:19|20)[0-9]{2}\s?[〕\]】)]\s?第?\s?[0-9]{1,6}\s?号"), "document number"),
    (re.compile(r"[(][0-9]{1,4}(?:-[0-9]{1,3})?(?:\s?[、,]\s?[0-9]{1,4}(?:-[0-9]{1,3})?)+\s?[)]"), "reference list"),
    (re.compile(r"(?<![0-9])[0-9]{1,9}(?:\.[0-9]{1,9}){2,}"), "section number"),
    (re.compile(r"[0-9]{1,3}\.[0-9]{1,2}(?=版|新政)"), "version"),
    (re.compile(r"(?<![0-9.])[0-9]{3,4}-[0-9]{7,8}(?![0-9])|(?<![0-9.])[0-9]{10,}(?![0-9.])"), "identifier"),
)
_RANGE_SEP = "-~至到"
_APPROX_BEFORE_2 = ("大约", "将近", "接近")
_APPROX_BEFORE_1 = "约近超逾"
_NOT_APPROX_BEFORE_YUE = frozenset("签节制合预公条契违履")  # 签约75户 is no approximation


@cache
def _lexicon_pattern() -> re.Pattern[str] | None:
    names = sorted(pairs("non_quantities.tsv"), key=len, reverse=True)
    if not names:
        return None
    # a name is no name inside a longer numeral (一万一千户, 零点一一, 十分之一)
    return re.compile(f"(?<![0-9{_CN_NUM}点])(?:" + "|".join(re.escape(n) for n in names)
                      + ")(?![0-9十百千万亿拾佰仟萬億点之])")


@cache
def _suffixes() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((r[0], r[1]) for r in rows("number_suffixes.tsv")), key=lambda p: -len(p[0])))


_HOTLINES = frozenset({"110", "119", "120", "122", "12345", "12315", "12369", "12319", "12333", "12366", "12348"})


def _protected_spans(text: str) -> list[tuple[int, int, str]]:
    """Spans that are never read as quantities, longest first where they overlap, in text order."""
    found: list[tuple[int, int, str]] = []
    lexicon = _lexicon_pattern()
    if lexicon is not None:
        names = pairs("non_quantities.tsv")
        found.extend((m.start(), m.end(), names[m.group()]) for m in lexicon.finditer(text))
    found.extend(timeexpr.find_time_expressions(text))
    found.extend((m.start(), m.end(), "list marker") for m in _MARKERS.finditer(text))
    for pattern, reason in _OTHER_PROTECTED:
        found.extend((m.start(), m.end(), reason) for m in pattern.finditer(text))
    for m in _ASCII_TOKEN.finditer(text):
        token = m.group().rstrip(".-/")
        if _HAS_LETTER.search(token) and _HAS_DIGIT.search(token) and not _is_latin_quantity(token) \
                and not _SCIENTIFIC.fullmatch(token) and not _is_latin_unit(token):
            found.append((m.start(), m.start() + len(token), "code or name"))
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, str]] = []
    reach = 0
    for span in found:
        if span[0] >= reach:
            kept.append(span)
            reach = span[1]
        elif span[1] > reach and span[1] - span[0] > kept[-1][1] - kept[-1][0] and span[0] == kept[-1][0]:
            kept[-1] = span
            reach = span[1]
    return kept


def _is_latin_unit(token: str) -> bool:
    """'m3/d' after 5万: a Latin unit on its own is no code."""
    unit = units.unit_at(token, 0)
    return unit is not None and unit.end == len(token)


def _is_latin_quantity(token: str) -> bool:
    """'35mg/m3', '300kW': a number followed by a Latin unit is a quantity, not a code."""
    m = re.match(r"[0-9]+(?:\.[0-9]+)?", token)
    if m is None or m.end() == len(token):
        return False
    unit = units.unit_at(token, m.end())
    return unit is not None and unit.end == len(token)


# ---------------------------------------------------------------------------------------------------------

class _Reading:
    """One numeral being read; plain attributes, turned into a Quantity or a SkippedSpan at the end."""

    __slots__ = ("start", "end", "value", "high", "unit", "dimension", "approx", "skip", "multiplier")

    def __init__(self, start: int, end: int, value: Decimal | None) -> None:
        self.start, self.end, self.value = start, end, value
        self.high: Decimal | None = None
        self.unit: units.UnitMatch | None = None
        self.dimension = "number"
        self.approx = False
        self.skip: str | None = None
        self.multiplier = ""  # the multiplier written after an Arabic number (or a 点 decimal): 万 in 1.728万


def _read_number(text: str, m: re.Match[str], limit: int) -> _Reading:
    """The numeral of a candidate match, its multiplier, inner approximation and unit."""
    start, end = m.span()
    if m.group("pct") is not None:
        reading = _Reading(start, end, numerals.parse_number(m.group("pctnum")))
        reading.unit = units.UnitMatch("%", end, "percent", "ratio")
        return reading
    if m.group("frac") is not None:
        return _Reading(start, end, numerals.parse_fraction(m.group("nom"), m.group("den")))
    if m.group("ar") is not None:
        written = m.group("ar") + (m.group("exp") or "")
        reading = _Reading(start, end, numerals.parse_arabic(written))
        if len(m.group("ar").replace(",", "").replace(" ", "").split(".")[0]) > 30:
            reading.skip = "identifier"
            return reading
        _read_multiplier(text, reading, limit)
    else:
        written = m.group("cn")
        if len(written) > 24:
            reading = _Reading(start, end, None)
            reading.skip = "word"
            return reading
        reading = _Reading(start, end, _chinese_value(written))
        if reading.value is None:
            reading.skip = "word"
            return reading
        if "点" in written:
            _read_multiplier(text, reading, limit)  # 四点五万
        elif len(written) == 2 and all(ch in _CN_DIG for ch in written):
            low, high = numerals.CN_DIGITS[written[0]], numerals.CN_DIGITS[written[1]]
            if high == low + 1:  # 三四个 = three or four
                reading.value, reading.high, reading.approx = Decimal(low), Decimal(high), True
            else:
                reading.skip = "word"
                return reading
    _read_inner_approx_and_unit(text, reading, limit, chinese=m.group("cn") is not None)
    if m.group("cn") is not None:
        written = m.group("cn")
        lone_magnitude = written in ("百", "千", "万", "亿", "萬", "億")
        if reading.unit is not None and reading.unit.surface == "年":
            reading.skip = "name"  # 三年行动计划, 三年滑动平均: a Chinese-numeral year count names a plan or a metric
        elif reading.unit is None or (lone_magnitude and not reading.approx and not _approx_before(text, start)):
            reading.skip = _suffix_reason(text, reading, limit) or "word"
    return reading


def _suffix_reason(text: str, reading: _Reading, limit: int) -> str | None:
    """号, 级, 期 … after a number make it a name (5号楼, 三级医院); extend the reading over the suffix."""
    for suffix, reason in _suffixes():
        if text.startswith(suffix, reading.end) and reading.end + len(suffix) <= limit:
            reading.end += len(suffix)
            return reason
    return None


def _chinese_value(written: str) -> Decimal | None:
    if 2 < len(written) < 4 and all(ch in _CN_DIG for ch in written):
        return None  # 一二三: no reading as a number; 二〇一七 (4+) is read digit by digit
    return numerals.parse_chinese(written)


def _read_multiplier(text: str, reading: _Reading, limit: int) -> None:
    pos = reading.end
    if pos >= limit or text[pos] not in "万亿千百十萬億":
        return
    if units.unit_at(text, pos, limit) is not None:
        return  # 3千米, 5千克: the character starts a unit, it is no multiplier
    for multiplier in numerals.MULTIPLIERS:
        if text.startswith(multiplier, pos) and pos + len(multiplier) <= limit:
            if reading.value is not None:
                reading.value = numerals.apply_multiplier(reading.value, multiplier)
            reading.multiplier = multiplier
            reading.end = pos + len(multiplier)
            return


def _read_inner_approx_and_unit(text: str, reading: _Reading, limit: int, *, chinese: bool) -> None:
    pos = reading.end
    if pos < limit and text[pos] in "余多来":
        unit_after = units.unit_at(text, pos + 1, limit)
        if unit_after is not None or (text[pos] != "来" and (pos + 1 >= limit or not _is_cjk(text[pos + 1]))):
            reading.approx = True
            pos += 1
            reading.end = pos
    unit = units.unit_at(text, pos, limit)
    if unit is None and pos + 1 < limit and text[pos] == " " and not chinese:
        unit = units.unit_at(text, pos + 1, limit)  # "103 个": a stray space before the unit
    if unit is not None:
        reading.unit = unit
        reading.dimension = unit.dimension
        reading.end = unit.end


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _read_range(text: str, reading: _Reading, limit: int) -> None:
    """1-5万, 3至5个, 10~15, 两到三, 0.1-1亿元: extend the reading over the high end."""
    pos = reading.end
    if pos + 1 >= limit or text[pos] not in _RANGE_SEP or reading.value is None:
        return
    m = _CANDIDATE.match(text, pos + 1, limit)
    if m is None or m.group("ar") is None and m.group("cn") is None:
        return
    high = _read_number(text, m, limit)
    if high.value is None or (high.skip and high.skip != "word"):
        return
    if high.skip == "word" and high.unit is None and m.group("cn") is not None:
        return
    # the multiplier and unit written once, after the high end, apply to both ends: 0.1-1亿元
    low = reading.value
    low_scaled = any(ch in "万亿千百萬億" for ch in text[reading.start:reading.end])  # 1万-5万, 三千-五千
    if reading.unit is None and high.multiplier and not low_scaled:
        low = numerals.apply_multiplier(low, high.multiplier)
    if reading.unit is not None and high.unit is not None and high.unit.surface != reading.unit.surface:
        return  # 5家-3户 is no range
    if high.value < low:
        return  # 58-1 is no range; nothing of the high end is taken
    if reading.unit is None:
        reading.unit, reading.dimension = high.unit, high.dimension
    reading.value = low
    reading.high = high.value
    reading.approx = reading.approx or high.approx
    reading.end = high.end
    reading.skip = None


def _read_context(text: str, reading: _Reading, limit: int, gap_start: int) -> None:
    """What stands around the numeral: sign, 第, 每, approximations, name suffixes."""
    start = reading.start
    before = text[start - 1] if start > gap_start else ""
    if before == "第":
        reading.start -= 1
        reading.skip = "ordinal"
        return
    if before in ("-", "负", "負") and reading.value is not None:
        before2 = text[start - 2] if start - 1 > gap_start else ""
        if not before2 or not (before2.isdigit() or before2 in _CN_NUM or before2.isascii() and before2.isalpha()):
            reading.value = -reading.value
            if reading.high is not None:
                reading.high = -reading.high
            reading.start -= 1
    for word in _APPROX_BEFORE_2:
        if text.startswith(word, start - len(word)) and start - len(word) >= gap_start:
            reading.approx = True
            break
    else:
        if before and before in _APPROX_BEFORE_1 and not (before == "约" and text[start - 2:start - 1] in _NOT_APPROX_BEFORE_YUE):
            reading.approx = True
    if reading.unit is None:
        reading.skip = _suffix_reason(text, reading, limit)
        if reading.skip:
            return
        digits = text[reading.start:reading.end]
        if digits in _HOTLINES:
            reading.skip = "hotline"
            return
    end = reading.end
    if reading.skip is None and (text.startswith("左右", end) or text.startswith("上下", end)):
        reading.approx = True


def scan(text: str) -> Scan:
    """Every quantity in `text` and every numeral that is not one, with spans into `text`."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    quantities, skipped = _scan_spans(text)
    return Scan(text=text, quantities=quantities, skipped=skipped)


def extract_quantities(text: str) -> list[Quantity]:
    """Every measurement and count in `text`, in order. See the module docstring for what is read how."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    return _scan_spans(text)[0]


def _scan_spans(text: str) -> tuple[list[Quantity], list[SkippedSpan]]:
    norm = normalize(text)
    work = norm.text
    quantities: list[Quantity] = []
    skipped: list[SkippedSpan] = []

    def add_skip(start: int, end: int, reason: str) -> None:
        o_start, o_end = norm.span_in_original(start, end)
        skipped.append(SkippedSpan(text=text[o_start:o_end], start=o_start, end=o_end, reason=reason))

    if not _NUMERAL_CHAR.search(work):
        return quantities, skipped
    protected = _protected_spans(work)
    gaps: list[tuple[int, int]] = []
    cursor = 0
    for p_start, p_end, reason in protected:
        if _NUMERAL_CHAR.search(work, p_start, p_end):
            add_skip(p_start, p_end, reason)
        gaps.append((cursor, p_start))
        cursor = p_end
    gaps.append((cursor, len(work)))

    for gap_start, gap_end in gaps:
        pos = gap_start
        while pos < gap_end:
            m = _CANDIDATE.search(work, pos, gap_end)
            if m is None:
                break
            try:
                reading = _read_number(work, m, gap_end)
                if reading.skip is None or reading.skip == "word":
                    _read_range(work, reading, gap_end)
                if reading.skip is None:
                    _read_context(work, reading, gap_end, gap_start)
            except (ArithmeticError, ValueError):  # an absurd numeral is reported, never raised
                reading = _Reading(m.start(), m.end(), None)
                reading.skip = "unreadable number"
            pos = max(reading.end, m.end())
            if reading.skip is not None or reading.value is None:
                add_skip(reading.start, max(reading.end, m.end()), reading.skip or "unreadable number")
                continue
            o_start, o_end = norm.span_in_original(reading.start, reading.end)
            unit = reading.unit.surface if reading.unit is not None else ""
            quantities.append(Quantity(
                text=text[o_start:o_end], start=o_start, end=o_end, value=reading.value, unit=unit,
                approx=reading.approx, high=reading.high, dimension=reading.dimension,
            ))
    skipped.sort(key=lambda s: s.start)
    return quantities, skipped



def _approx_before(text: str, start: int) -> bool:
    """近百户, 约千人: an approximation word before a lone 百/千 makes it a number."""
    return start > 0 and text[start - 1] in _APPROX_BEFORE_1


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
