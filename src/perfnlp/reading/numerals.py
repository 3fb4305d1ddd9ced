"""Stage 2a: numerals. Turns the written form of a number into an exact Decimal.

Reads:
- Arabic numerals with thousands separators ("1,234.5", "1 234", "1，234" after normalization), decimals
  and scientific notation ("1.2e5");
- Chinese numerals, everyday and formal (一 … 九 十 百 千 万 亿 两 零 〇; 壹 贰 … 拾 佰 仟 萬 億 兩 貳; 廿 卅 卌),
  including the colloquial elision of the last magnitude ("一千三" = 1300, "九万四" = 94000, "三亿五" =
  350000000), digit-by-digit forms ("二〇一七" = 2017) and 点 decimals ("四点五" = 4.5);
- Arabic and Chinese mixed with section units ("5亿1万4千6百" = 500014600, "1亿2345万", "3万5000");
- 兆 as 10^12 where more of the number or a currency follows it ("四十九兆九千五百九十二億元"); elsewhere 兆
  starts a unit (兆瓦);
- multipliers written after a number (万, 亿, 千, 百, 十万, 百万, 千万, 万亿: "1.728万" = 17280).

All arithmetic is exact, at any number of digits (the EXACT context); only a division (三分之二) is
rounded, to 28 significant digits (DIVISION). Nothing here decides whether a number is a quantity or a
number at all; that is numbers.py's and quantities.py's job.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, InvalidOperation

from ..text.lexicon import rows

# data/numerals.tsv, read on import: every sentence needs it
_ROWS = rows("numerals.tsv")


def _kind(kind: str) -> dict[str, int]:
    return {r[0]: int(r[2]) for r in _ROWS if r[1] == kind}


CN_DIGITS: dict[str, int] = _kind("digit")
# magnitudes below 万 multiply the digit before them (value: the power of ten); 万, 亿 and 兆 close a section
_SMALL_EXP = _kind("small")
_SECTION_EXP = _kind("section")
CN_SMALL_UNITS: dict[str, int] = {c: 10**e for c, e in _SMALL_EXP.items()}
CN_SECTION_UNITS: dict[str, int] = {c: 10**e for c, e in _SECTION_EXP.items()}
# one character for a digit and 十: 廿 = 二十, 卅 = 三十, 卌 = 四十
CN_TENS: dict[str, int] = _kind("tens")
_POINT = next(r[0] for r in _ROWS if r[1] == "point")
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL_UNITS) + "".join(CN_SECTION_UNITS) + "".join(CN_TENS)
CN_DIGIT_CHARS = "".join(CN_DIGITS)
# the digits of dates and digit-by-digit numbers, 0 … 9 (二〇一七年; not 两, nor the formal 壹 贰)
PLAIN_DIGITS: dict[str, int] = {r[0]: int(r[2]) for r in _ROWS if r[1] == "digit" and r[3] == "plain"}
# the plain digits 1 … 9, in order (一二三四五六七八九)
DIGITS_1_TO_9 = "".join(sorted((c for c, v in PLAIN_DIGITS.items() if v), key=PLAIN_DIGITS.__getitem__))
# the digit 2 written before a magnitude or a classifier (两)
TWO_DIGITS = "".join(r[0] for r in _ROWS if r[1] == "digit" and r[3] == "two")
TEN = next(c for c, e in _SMALL_EXP.items() if e == 1)  # 十, the first written
# 兆 (10^12) is a number only where the number goes on or a currency follows; elsewhere it starts a unit (兆瓦)
_ZHAO = next(c for c, e in _SECTION_EXP.items() if e == 12)

# multipliers that may follow an Arabic number, longest first
MULTIPLIERS: dict[str, int] = {c: 10**e for c, e in _kind("multiplier").items()}
# a small magnitude that may multiply an Arabic number (千, 百) may also start a unit (千米, 百公里)
_UNIT_STARTS = frozenset(m for m in MULTIPLIERS if m in _SMALL_EXP)

# exact: additions and multiplications of written numbers never round, however many digits they have
EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
# a division (三分之二, 千分之三 as a fraction) is rounded to 28 significant digits, whatever the caller's context
DIVISION = Context(prec=28)

_ARABIC = re.compile(r"[0-9]{1,3}(?:[, ][0-9]{3}(?![0-9]))+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
_CURRENCY_AFTER_ZHAO = tuple(r[0] for r in _ROWS if r[1] == "currency")
_ONE = Decimal(1)


class Numeral(NamedTuple):
    """A numeral read at text[start:end]. (A named tuple, not a dataclass: cheap to make, and defining it
    costs the command line's start nothing.)"""

    start: int
    end: int
    value: Decimal
    chinese: bool          # holds a Chinese numeral character (一, 十, 万 …), not only a multiplier after digits
    magnitudes_only: bool  # only magnitudes, no digit: 百, 千万, 十万 (a word as often as a number)
    multiplier: str        # the magnitudes written after the last Arabic digit: "万" in 1.728万, "千万" in 1.2千万
    digits: bool = False   # Chinese digits read one by one (二〇一七)


def parse_arabic(written: str) -> Decimal | None:
    """'1,234.5' → Decimal('1234.5'); separators and spaces are dropped. None if it is not a number."""
    cleaned = written.replace(",", "").replace(" ", "") if "," in written or " " in written else written
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def read_numeral(text: str, pos: int, end: int | None = None) -> Numeral | None:
    """The longest well-formed numeral (Arabic, Chinese or both) that starts at text[pos], ending by `end`.

    Stops before a character that would make it malformed (一百千: 一百), before a magnitude that starts a
    unit (3千米: 3), before 兆 that neither continues the number nor precedes a currency (5兆瓦: 5), and before
    a 点 with no digit after it (三点: 三). None when no numeral starts there."""
    end = len(text) if end is None else end
    if pos >= end:
        return None
    ch = text[pos]
    if "0" <= ch <= "9":
        m = _ARABIC.match(text, pos, end)
        assert m is not None
        after = m.end()
        if after >= end or text[after] not in _MAGNITUDE_OR_DIGIT:
            value = parse_arabic(m.group())
            return None if value is None else Numeral(pos, after, value, False, False, "")
        multiplier = multiplier_at(text, after, end)
        if multiplier and (after + len(multiplier) >= end or text[after + len(multiplier)] not in _CN_OR_ARABIC):
            value = parse_arabic(m.group())
            if value is None:
                return None
            return Numeral(pos, after + len(multiplier), apply_multiplier(value, multiplier), False, False, multiplier)
    elif ch not in _CN_START:
        return None
    else:
        # Chinese numerals repeat (一, 两千, 十五): read each written form once. What the reading looks at
        # lies within the run of numeral characters and the four characters after it (千米, 兆元, 兆人民币)
        run = _RUN.match(text, pos, end)
        assert run is not None
        written = text[pos:min(end, run.end() + 4)]
        found = _read_cached(written)
        if found is None:
            return None
        length, value, chinese, magnitudes_only, multiplier, digits = found
        if run.end() - pos < _RUN_CAP or length + 4 < len(written):  # not cut short by the cap
            return Numeral(pos, pos + length, value, chinese, magnitudes_only, multiplier, digits)
    return _read_positional(text, pos, end)


_RUN_CAP = 64
_RUN = re.compile(rf"[{CN_NUMERAL_CHARS}0-9.{_POINT}]{{1,{_RUN_CAP}}}")
# Chinese digits read one by one make a number of at most this many digits; more is an identifier or a word
_MAX_DIGITS = 30


@lru_cache(maxsize=4096)
def _read_cached(written: str) -> tuple[int, Decimal, bool, bool, str, bool] | None:
    numeral = _read_positional(written, 0, len(written))
    if numeral is None:
        return None
    return numeral.end, numeral.value, numeral.chinese, numeral.magnitudes_only, numeral.multiplier, numeral.digits


_MAGNITUDE_OR_DIGIT = frozenset("".join(CN_SMALL_UNITS) + "".join(CN_SECTION_UNITS) + CN_DIGIT_CHARS + "".join(CN_TENS))
_CN_OR_ARABIC = frozenset(CN_NUMERAL_CHARS + "0123456789" + _POINT)
_CN_START = frozenset(CN_NUMERAL_CHARS)


def multiplier_at(text: str, pos: int, end: int) -> str:
    """The longest multiplier (万, 千万, 万亿 …) at text[pos:end] that does not start a unit (千米, 千克)."""
    first = text[pos]
    if first not in _MULTIPLIER_FIRST or (first in _UNIT_STARTS and _starts_unit(text, pos, end)):
        return ""
    two = text[pos:pos + 2]
    if pos + 2 <= end and two in MULTIPLIERS:
        return two
    return first if first in MULTIPLIERS else ""


_MULTIPLIER_FIRST = frozenset(m[0] for m in MULTIPLIERS)


def _starts_unit(text: str, pos: int, end: int) -> bool:
    from . import units  # same floor; imported here so that numerals stays usable on its own

    return units.unit_at(text, pos, end) is not None


def _read_positional(text: str, pos: int, end: int) -> Numeral | None:
    """Chinese numerals, and Arabic numbers mixed with Chinese magnitudes, read token by token."""
    # digit by digit: four or more Chinese digits and nothing else (二〇一七); two or three are no number
    # (一二三; 三四 is a range, read by numbers.py)
    i = pos
    while i < end and text[i] in CN_DIGITS:
        i += 1
    if i - pos >= 2 and (i >= end or text[i] not in _AFTER_DIGIT_RUN):
        if i - pos < 4 or i - pos > _MAX_DIGITS:
            return None
        return Numeral(pos, i, Decimal("".join(str(CN_DIGITS[c]) for c in text[pos:i])), True, False, "", True)

    closed: list[tuple[Decimal, int]] = []  # finished sections: (absolute value, power of ten of their lowest unit)
    section = Decimal(0)      # the part of the current section below its unit
    pending: Decimal | None = None   # a digit (or Arabic number) not yet placed
    literal = False           # the pending number has two or more digits: no small unit may follow it
    last_small = 4            # power of the last small unit in this section (4: none yet)
    last_exp = 0              # power of the last unit of any kind, for the elision 一千三 = 1300
    zero = False              # 零 written since the last unit: no elision (一千零三 = 1003)
    started = chinese = False
    bare = False              # begun with 百, 千, 万, 亿 or 兆 and no digit: no digit may follow it (万一 is a word)
    digit_end = -1            # where the last digit (Chinese or Arabic) ends
    i = pos
    while i < end:
        ch = text[i]
        if "0" <= ch <= "9":
            m = _ARABIC.match(text, i, end)
            if pending is not None or m is None or (started and "." in m.group()) or bare:
                break  # 五5, 3万2.5
            value = parse_arabic(m.group())
            if value is None:
                break
            pending, literal = value, value >= 10
            started = True
            i = digit_end = m.end()
        elif ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
            if pending is not None or bare:
                break  # two digits in a row: 一五一十, 五零; 万一
            if digit == 0 and started:
                zero = True
            else:
                pending, literal = Decimal(digit), False
            started = chinese = True
            i += 1
            digit_end = i
        elif ch in CN_TENS:
            if pending is not None or last_small <= 1:
                break
            section = EXACT.add(section, Decimal(CN_TENS[ch] * 10))
            last_small = last_exp = 1
            zero = False
            started = chinese = True
            i += 1
            digit_end = i
        elif ch in _SMALL_EXP:
            exp = _SMALL_EXP[ch]
            if exp >= last_small or literal or (pending is not None and pending.is_zero()):
                break  # 一百千, 12千, 零十
            if pending is None and started and not (exp == 1 and (zero or last_small == 2)):
                break  # 一千百: a magnitude with no digit only comes first (十五, 百万), or 十 after 百 (一百十五)
            if ch in _UNIT_STARTS and _starts_unit(text, i, end):
                break  # 3千米, 5千克
            section = EXACT.add(section, EXACT.multiply(_ONE if pending is None else pending, _POWERS[exp]))
            bare = pending is None and not started and exp > 1
            pending, literal = None, False
            last_small = last_exp = exp
            zero = False
            chinese = chinese or not started
            started = True
            i += 1
        elif ch in _SECTION_EXP:
            exp = _SECTION_EXP[ch]
            if ch == _ZHAO and not _zhao_is_number(text, i, end):
                break
            # the digit before a section unit belongs to its section: elided only after a small unit (一千三万)
            current = EXACT.add(section, _placed(pending, literal, zero, last_small % 4))
            keep = len(closed)
            while keep and closed[keep - 1][1] < exp:
                keep -= 1
            magnitude = exp + closed[keep][1] if keep < len(closed) else exp
            if keep and closed[keep - 1][1] <= magnitude:
                break  # 一万二万, 一亿三万亿
            if current.is_zero() and pending is None and keep == len(closed):
                if started:
                    break  # 亿万, 万万, 一万零万
                current = _ONE  # a bare 万 or 亿 is one of it
                chinese = bare = True
            for value, _ in closed[keep:]:
                current = EXACT.add(current, value)
            del closed[keep:]
            closed.append((EXACT.multiply(current, _POWERS[exp]), magnitude))
            section, pending, literal = Decimal(0), None, False
            last_small, last_exp = 4, exp
            zero = False
            started = True
            i += 1
        elif ch == _POINT:
            j = i + 1
            while j < end and text[j] in CN_DIGITS:
                j += 1
            if j == i + 1 or not started or pending is None and section.is_zero() and not closed:
                break  # 三点 (o'clock), 一点 (a little)
            whole = _total(closed, section, pending, literal, zero, last_exp)
            value = EXACT.add(whole, Decimal("0." + "".join(str(CN_DIGITS[c]) for c in text[i + 1:j])))
            multiplier = multiplier_at(text, j, end) if j < end else ""
            return Numeral(pos, j + len(multiplier), apply_multiplier(value, multiplier), True, False, multiplier)
        else:
            break
    if not started:
        return None
    value = _plain(_total(closed, section, pending, literal, zero, last_exp))
    multiplier = text[digit_end:i] if 0 <= digit_end < i else ""
    if multiplier not in MULTIPLIERS:
        multiplier = ""
    return Numeral(pos, i, value, chinese, digit_end < 0, multiplier)


_POWERS = {exp: Decimal(10) ** exp for exp in range(13)}
_AFTER_DIGIT_RUN = frozenset("".join(CN_SMALL_UNITS) + "".join(CN_SECTION_UNITS) + "".join(CN_TENS) + _POINT + "0123456789")


def _zhao_is_number(text: str, pos: int, end: int) -> bool:
    """兆 is 10^12 where the number goes on after it (四十九兆九千…亿) or a currency follows (49兆元)."""
    after = pos + 1
    if after < end and (text[after] in CN_DIGITS or text[after] in CN_TENS or "0" <= text[after] <= "9"):
        return True
    return any(text.startswith(word, after) for word in _CURRENCY_AFTER_ZHAO)


def _placed(pending: Decimal | None, literal: bool, zero: bool, last_exp: int) -> Decimal:
    """The value of the digit written last: as it is after 零, alone, or as a number of two or more digits
    (一千零三, 3万5000); else one place below the unit before it (一千三 = 1300, 三亿五 = 350000000)."""
    if pending is None:
        return Decimal(0)
    if zero or literal or last_exp == 0:
        return pending
    return EXACT.multiply(pending, Decimal(10) ** (last_exp - 1))


def _total(closed: list[tuple[Decimal, int]], section: Decimal, pending: Decimal | None, literal: bool,
           zero: bool, last_exp: int) -> Decimal:
    total = EXACT.add(section, _placed(pending, literal, zero, last_exp))
    for value, _ in closed:
        total = EXACT.add(total, value)
    return total


def parse_chinese(written: str) -> Decimal | None:
    """Value of a Chinese numeral such as '一千三百零五', '两千', '二〇一七', '四点五'. None if malformed."""
    if not written or not all(ch in _CN_START or ch == _POINT for ch in written):
        return None
    return parse_number(written)


def parse_fraction(numerator: str, denominator: str) -> Decimal | None:
    """三分之一: denominator first in writing; the value is numerator / denominator (28 significant digits)."""
    num = parse_number(numerator)
    den = parse_number(denominator)
    if num is None or den is None or den == 0:
        return None
    return divide(num, den)


def divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    """numerator / denominator to 28 significant digits, exact when it terminates sooner (1/4 = 0.25)."""
    return _plain(DIVISION.divide(numerator, denominator))


def parse_number(written: str) -> Decimal | None:
    """A whole Arabic, Chinese or mixed numeral with its multiplier ("1.728万", "拾万零五十六"); None when
    `written` is anything more or less than one numeral."""
    written = written.strip()
    if not written:
        return None
    sign = 1
    if written[0] in "+-":
        sign = -1 if written[0] == "-" else 1
        written = written[1:]
    if written[:1] == ".":
        written = "0" + written
    m = _SCIENTIFIC.fullmatch(written)
    if m is not None:
        value = parse_arabic(written)
        return None if value is None else value * sign
    numeral = read_numeral(written, 0)
    if numeral is None or numeral.end != len(written):
        return None
    return numeral.value if sign > 0 else -numeral.value


_SCIENTIFIC = re.compile(r"[0-9]+(?:\.[0-9]+)?[eE][-+]?[0-9]{1,3}")


def apply_multiplier(value: Decimal, multiplier: str) -> Decimal:
    """1.728 and 万 → 17280, exactly at any length; the result is normalized so that no exponent shows
    (17280, not 1.728E+4)."""
    if not multiplier:
        return value
    return _plain(EXACT.multiply(value, Decimal(MULTIPLIERS[multiplier])))


def shifted(written: str, multiplier: str) -> Decimal | None:
    """An Arabic number as written (digits, separators, one point) times a multiplier, exactly, by moving its
    point: '1.728' and 万 → 17280, as apply_multiplier(parse_arabic(written), multiplier) but without decimal
    arithmetic (this is the commonest figure of all)."""
    digits = written.replace(",", "").replace(" ", "") if "," in written or " " in written else written
    whole, _, fraction = digits.partition(".")
    if not whole.isascii() or not (whole + fraction).isdigit():
        return None
    places = len(str(MULTIPLIERS[multiplier])) - 1
    if len(fraction) <= places:
        return Decimal((whole + fraction + "0" * (places - len(fraction))).lstrip("0") or "0")
    fraction_left = fraction[places:].rstrip("0")
    head = (whole + fraction[:places]).lstrip("0") or "0"
    return Decimal(f"{head}.{fraction_left}" if fraction_left else head)


def scale(value: Decimal, factor: int | Decimal) -> Decimal:
    """value × factor, exact, without trailing zeros or an exponent."""
    return _plain(EXACT.multiply(value, Decimal(factor)))


def _plain(value: Decimal) -> Decimal:
    """Drop trailing zeros a multiplication left behind, without going to exponent form; exact."""
    if not value.is_finite():
        return value
    if value == value.to_integral_value(context=EXACT):
        return value.quantize(_ONE, context=EXACT)
    return value.normalize(EXACT)


def format_number(value: Decimal) -> str:
    """A Decimal as people write it: no exponent, no trailing zeros (17280, 0.4794, 11386.34)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
