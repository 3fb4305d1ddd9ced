"""Stage 2a: numerals. Turns the written form of a number into an exact Decimal.

Reads:
- Arabic numerals with thousands separators ("1,234.5", "1，234" after normalization), decimals and
  scientific notation ("1.2e5");
- Chinese numerals, everyday and formal (一 … 九 十 百 千 万 亿 两 零 〇; 壹 贰 … 拾 佰 仟 萬 億 兩 貳),
  including the colloquial elision of the last magnitude ("一千三" = 1300, "九万四" = 94000),
  digit-by-digit forms ("二〇一七" = 2017) and 点 decimals ("四点五" = 4.5);
- multipliers written after a number (万, 亿, 千, 百, 十万, 百万, 千万, 万亿: "1.728万" = 17280).

Nothing here decides whether a number is a quantity; that is quantities.py's job.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9,
    "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6,
    "柒": 7, "捌": 8, "玖": 9,
}
# magnitudes below 万 multiply the digit before them; 万 and 亿 close a section
CN_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_SECTION_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL_UNITS) + "".join(CN_SECTION_UNITS)
CN_DIGIT_CHARS = "".join(CN_DIGITS)

# multipliers that may follow an Arabic number, longest first
MULTIPLIERS: dict[str, int] = {
    "万亿": 10**12, "千亿": 10**11, "百亿": 10**10, "十亿": 10**9, "亿": 10**8,
    "千万": 10**7, "百万": 10**6, "十万": 10**5, "万": 10**4, "千": 10**3, "百": 10**2,
    "萬": 10**4, "億": 10**8,
}


def parse_arabic(written: str) -> Decimal | None:
    """'1,234.5' → Decimal('1234.5'); separators and spaces are dropped. None if it is not a number."""
    cleaned = written.replace(",", "").replace(" ", "")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def parse_chinese(written: str) -> Decimal | None:
    """Value of a Chinese numeral such as '一千三百零五', '两千', '二〇一七', '四点五'. None if malformed."""
    if not written:
        return None
    if "点" in written:
        whole, _, frac = written.partition("点")
        whole_value = parse_chinese(whole) if whole else Decimal(0)
        if whole_value is None or not frac or any(ch not in CN_DIGITS for ch in frac):
            return None
        return whole_value + Decimal("0." + "".join(str(CN_DIGITS[ch]) for ch in frac))
    if all(ch in CN_DIGITS for ch in written):
        # digit by digit: 二〇一七 → 2017; a single digit is itself
        return Decimal("".join(str(CN_DIGITS[ch]) for ch in written))
    return _parse_positional(written)


def _parse_positional(written: str) -> Decimal | None:
    total = 0          # completed 亿 and 万 sections
    section = 0        # the part below the current section unit
    digit: int | None = None
    last_unit = 0      # value of the last magnitude seen, for the colloquial elision 一千三 = 1300
    zero_seen = False
    for ch in written:
        if ch in CN_DIGITS:
            value = CN_DIGITS[ch]
            if value == 0:
                zero_seen = True
                digit = None if digit is None else digit
                continue
            if digit is not None:
                return None  # two digits in a row inside a positional numeral: 一二百 is not a number
            digit = value
        elif ch in CN_SMALL_UNITS:
            unit = CN_SMALL_UNITS[ch]
            section += (1 if digit is None else digit) * unit
            digit = None
            last_unit = unit
            zero_seen = False
        elif ch in CN_SECTION_UNITS:
            unit = CN_SECTION_UNITS[ch]
            if digit is not None:
                section += digit
                digit = None
            if section == 0 and total == 0:
                section = 1  # a bare 万 or 亿 stands for one of it
            if unit == 10**8:
                total = (total + section) * unit
            else:
                # 万 after 亿: 三亿五千万 = 3.5e8; the 万 applies only to the section below 亿
                total = total + section * unit
            section = 0
            last_unit = unit
            zero_seen = False
        else:
            return None
    if digit is not None:
        if last_unit >= 10 and not zero_seen:
            # colloquial elision: 一千三 → 1300, 九万四 → 94000, 两百五 → 250
            digit *= last_unit // 10
        section += digit
    return Decimal(total + section)


def parse_fraction(numerator: str, denominator: str) -> Decimal | None:
    """三分之一: denominator first in writing; the value is numerator / denominator (28 significant digits)."""
    num = parse_number(numerator)
    den = parse_number(denominator)
    if num is None or den is None or den == 0:
        return None
    return num / den


def parse_number(written: str) -> Decimal | None:
    """An Arabic or Chinese numeral, no multiplier."""
    if written and (written[0].isdigit() or written[0] in "+-."):
        return parse_arabic(written)
    return parse_chinese(written)


def apply_multiplier(value: Decimal, multiplier: str) -> Decimal:
    """1.728 and 万 → 17280, exactly; the result is normalized so that no exponent shows (17280, not 1.728E+4)."""
    if not multiplier:
        return value
    scaled = value * MULTIPLIERS[multiplier]
    return _plain(scaled)


def _plain(value: Decimal) -> Decimal:
    """Drop trailing zeros a multiplication left behind, without going to exponent form."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def format_number(value: Decimal) -> str:
    """A Decimal as people write it: no exponent, no trailing zeros (17280, 0.4794, 11386.34)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
