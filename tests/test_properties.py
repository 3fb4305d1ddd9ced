"""Properties that hold for every input (hypothesis): the readers never raise, every span is faithful to the
text, every numeral is accounted for, and a number written by a renderer reads back to its exact value."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import perfnlp
from perfnlp import Context
from perfnlp.reading.numerals import CN_NUMERAL_CHARS

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
YEAR = Context(year=2017)

# ---------------------------------------------------------------------------------------------------------
# any text: random characters, and random sequences of the pieces the readers look for

_PIECES = [
    "0", "1", "2", "5", "9", "12", "2017", "12345", "3.5", "1,234", "1，234", "１２", "．", "０",
    "一", "二", "两", "三", "十", "百", "千", "万", "亿", "零", "〇", "壹", "贰", "拾", "佰", "仟", "萬", "億", "兩",
    "点", "分之", "百分之", "余", "多", "来", "约", "近", "超", "逾", "左右", "上下", "第", "每", "负", "-", "—", "－",
    "~", "～", "至", "到", "、", ".", ",", "，", "。", "；", "：", ":", "%", "％", "‰", "e", "E", "+", "/", "·",
    "年", "月", "日", "号", "份", "底", "季度", "前", "个", "个月", "上半年", "截至", "截止", "目前", "全年",
    "户", "家", "辆", "吨", "万吨标准煤", "立方米", "平方公里", "微克/立方米", "吨/月·平方公里", "元/人", "个百分点",
    "达到", "控制在", "以内", "以上", "以下", "不低于", "不超过", "低于", "高于", "下降", "增长", "提高", "为", "≥", "≤",
    "完成", "全年任务的", "完成率", "超额完成", "占全年任务的", "已完成",
    "（", "）", "(", ")", "〔", "〕", "【", "】", "《", "》", "“", "”", "\"", "[", "]",
    "PM", "DB", "S", "A", "X", "N", "级", "期", "版", "条", "一带一路", "十四五", "万元GDP", "一是", "①",
    " ", "\u3000", "\n", "\t", "\u200b", "\ufeff", "\u00ad",
]
_CHARS = st.one_of(
    st.characters(),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.sampled_from("0123456789０１２３４５６７８９" + CN_NUMERAL_CHARS + "点余多约近超逾第每负-~至到.,%‰（）()〔〕【】《》“”/·\n"),
)
ANY_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=_CHARS, max_size=60),
    st.lists(st.one_of(st.sampled_from(_PIECES), st.text(alphabet=_CHARS, max_size=3)), max_size=25).map("".join),
)

_EXAMPLES = [
    "", "万万万亿", "（（（（1", "1.2.3.4.5", "一一一一一一一一", "9" * 40, "1e999999户", "百分之", "分之一", "三分之零",
    "1-5月完成1.728万辆，完成全年任务的60.89%", "1-", "1-万", "万-", "第", "每", "负", "-1e5", "1,", "１，", "二〇一七",
    "1.1-6月份", "2017年1-", "截至2月30日完成5户", "0分之1户", "十亿亿万户", "兩萬貳仟户", "\u200b1\u200b2\u200b万\u200b户",
]


def _with_examples(test):
    for text in _EXAMPLES:
        test = example(text=text)(test)
    return test


def _assert_faithful(text: str, spans) -> None:
    for s in spans:
        assert 0 <= s.start <= s.end <= len(text), (text, s)
        assert text[s.start:s.end] == s.text, (text, s)


@SETTINGS
@_with_examples
@given(text=ANY_TEXT)
def test_scan_never_raises_and_spans_are_faithful(text: str) -> None:
    scanned = perfnlp.scan(text)
    _assert_faithful(text, scanned.quantities)
    _assert_faithful(text, scanned.skipped)
    assert perfnlp.extract_quantities(text) == scanned.quantities
    for q in scanned.quantities:
        assert isinstance(q.value, Decimal) and q.value.is_finite()
        assert q.high is None or q.high >= q.value
    starts = [q.start for q in scanned.quantities]
    assert starts == sorted(starts)


@SETTINGS
@_with_examples
@given(text=ANY_TEXT)
def test_every_numeral_is_accounted_for(text: str) -> None:
    """The accounting rule: every digit and Chinese numeral lies in a quantity or a skipped span."""
    scanned = perfnlp.scan(text)
    covered = [False] * len(text)
    for s in [*scanned.quantities, *scanned.skipped]:
        for i in range(s.start, s.end):
            covered[i] = True
    loose = [(i, ch) for i, ch in enumerate(text) if (ch.isdecimal() or ch in CN_NUMERAL_CHARS) and not covered[i]]
    assert not loose, (text, loose, scanned.quantities, scanned.skipped)


@SETTINGS
@_with_examples
@given(text=ANY_TEXT)
def test_parse_target_never_raises(text: str) -> None:
    for t in perfnlp.parse_target(text):
        assert t.comparator in ("ge", "gt", "le", "lt", "approx", "eq")
        assert t.change in (None, "increase", "decrease")
        if t.quantity is not None:
            _assert_faithful(text, [t.quantity])


@SETTINGS
@_with_examples
@given(text=ANY_TEXT)
def test_parse_progress_never_raises(text: str) -> None:
    for context in (None, YEAR):
        p = perfnlp.parse_progress(text, context)
        _assert_faithful(text, p.quantities)
        _assert_faithful(text, p.periods)
        _assert_faithful(text, p.stated)
        assert len(p.stated_ratios) == len(p.stated)


# ---------------------------------------------------------------------------------------------------------
# round trip: a number written by a renderer, then a classifier, reads back to its exact value

_CN_DIGITS = "零一二三四五六七八九"
_FORMAL = str.maketrans("一二三四五六七八九十百千万亿", "壹贰叁肆伍陆柒捌玖拾佰仟萬億")
# Chinese numerals that the reader gets wrong today: the set phrases 千万, 万一 and 一一 of data/non_quantities.tsv
# win over the numeral (一千万户, 一万一千户, 零点一一户 read no quantity). Empty this once they read as numbers.
KNOWN_BROKEN: tuple[str, ...] = ()


def _section(n: int, leading: bool) -> str:
    """0 < n < 10000 in Chinese: 一千零五, 十五 (leading) or 一十五 (inside a larger number)."""
    out, zero, started = "", False, False
    for d, unit in zip((n // 1000, n // 100 % 10, n // 10 % 10, n % 10), ("千", "百", "十", "")):
        if d == 0:
            zero = zero or started
            continue
        if zero:
            out, zero = out + "零", False
        out += ("" if unit == "十" and d == 1 and leading and not started else _CN_DIGITS[d]) + unit
        started = True
    return out


def chinese(n: int) -> str:
    """0 <= n < 10**12 in everyday Chinese numerals: 一亿零五百, 十二万三千四百五十六."""
    if n == 0:
        return "零"
    yi, wan, rest = n // 10**8, n // 10**4 % 10**4, n % 10**4
    out = ""
    if yi:
        out += _section(yi, True) + "亿"
    if wan:
        if out and wan < 1000:
            out += "零"
        out += _section(wan, not out) + "万"
    if rest:
        if out and (rest < 1000 or not wan):
            out += "零"
        out += _section(rest, not out)
    return out


def test_chinese_renderer() -> None:
    cases = {0: "零", 7: "七", 10: "十", 15: "十五", 110: "一百一十", 1003: "一千零三", 10500: "一万零五百",
             120000: "十二万", 100000500: "一亿零五百", 305000000: "三亿零五百万", 94000: "九万四千"}
    for n, written in cases.items():
        assert chinese(n) == written


@st.composite
def rendered_numbers(draw) -> tuple[str, Decimal]:
    """(written form, exact value): Arabic or Chinese, integer or decimal, optionally with 万 or 亿."""
    style = draw(st.sampled_from(["arabic", "arabic", "chinese", "chinese decimal"]))
    multiplier = draw(st.sampled_from(["", "", "万", "亿"]))
    scale = {"": 1, "万": 10**4, "亿": 10**8}[multiplier]
    if style == "arabic":
        places = draw(st.integers(0, 4))
        whole = draw(st.integers(0, 10**8))
        frac = draw(st.integers(0, 10**places - 1)) if places else 0
        value = Decimal(whole) + Decimal(frac).scaleb(-places) if places else Decimal(whole)
        written = format(value, "f")
        if draw(st.booleans()) and whole >= 1000 and "." not in written:
            written = f"{whole:,}"                                     # 1,234,567
        if draw(st.booleans()):
            written = written.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        return written + multiplier, value * scale
    if style == "chinese":
        n = draw(st.integers(0, 10**12 - 1) if not multiplier else st.integers(1, 9999))
        written = chinese(n) + multiplier
        value = Decimal(n) * scale
    else:  # 四点五, 十二点零五万
        whole = draw(st.integers(0, 9999))
        digits = draw(st.text(alphabet="0123456789", min_size=1, max_size=3))
        written = chinese(whole) + "点" + "".join(_CN_DIGITS[int(d)] for d in digits).replace("零", draw(
            st.sampled_from(["零", "〇"]))) + multiplier
        value = (Decimal(whole) + Decimal("0." + digits)) * scale
    if draw(st.booleans()):
        for small in ("千", "百", "万", "亿"):
            if written.startswith("二" + small):
                written = "两" + written[1:]                               # 两千, 两万
    if draw(st.integers(0, 3)) == 0:
        written = written.translate(_FORMAL)                                # 壹仟贰佰…
    return written, value


@SETTINGS
@example(rendered=("一千三百零五", Decimal(1305)), lead="共完成", classifier="户")
@example(rendered=("1.728万", Decimal(17280)), lead="共完成", classifier="户")
@example(rendered=("两千", Decimal(2000)), lead="共完成", classifier="户")
@example(rendered=("十二万三千四百五十六", Decimal(123456)), lead="共完成", classifier="户")
@example(rendered=("四点五", Decimal("4.5")), lead="共完成", classifier="户")
@given(rendered=rendered_numbers(), lead=st.sampled_from(["共完成", "完成", "累计改造", "惠及", "其中"]),
       classifier=st.sampled_from(["户", "家", "辆", "项", "处"]))
def test_rendered_number_round_trips(rendered: tuple[str, Decimal], lead: str, classifier: str) -> None:
    written, value = rendered
    assume(not any(bad in written for bad in KNOWN_BROKEN))
    text = f"{lead}{written}{classifier}。"
    qs = perfnlp.extract_quantities(text)
    assert len(qs) == 1, (text, qs, perfnlp.scan(text).skipped)
    q = qs[0]
    assert q.text == written + classifier, (text, q)
    assert (q.start, q.end) == (len(lead), len(lead) + len(written) + 1)
    assert q.value == value, (text, q.value, value)
    assert q.unit == classifier and q.approx is False and q.high is None, (text, q)
