"""The public surface of ../shared/CONTRACT.md, example by example."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import perfnlp
from perfnlp import Context


def test_extract_quantities_exact_value_and_span():
    text = "1-4月，共转出、报废老旧机动车1.728万辆。"
    (q,) = perfnlp.extract_quantities(text)
    assert (q.text, text[q.start:q.end], q.value, q.unit, q.approx) == ("1.728万辆", "1.728万辆", Decimal("17280"), "辆", False)
    assert isinstance(q.value, Decimal)


def test_quantity_converts_within_a_dimension_and_refuses_across():
    q = perfnlp.extract_quantities("用水总量控制在3.098亿立方米以内")[0]
    assert float(q.to("km**3").magnitude) == pytest.approx(0.3098)
    energy = perfnlp.extract_quantities("控制在296.5万吨标准煤以内")[0]
    assert float(energy.to("GJ").magnitude) == pytest.approx(2965000 * 29.3076)
    households = perfnlp.extract_quantities("共计百余户")[0]
    with pytest.raises(ValueError, match="different dimensions"):
        households.to("立方米")


def test_targets_and_progress_and_assessment():
    t = perfnlp.parse_target("能源消费总量控制在296.5万吨标准煤以内")[0]
    assert (t.comparator, t.change, t.quantity.value, t.quantity.unit, t.metric) == \
        ("le", None, Decimal("2965000"), "吨标准煤", "能源消费总量")
    p = perfnlp.parse_progress("1-4月大兴区累计淘汰老旧机动车11570辆，完成全年任务量的60.89%", context=Context(year=2017))
    assert p.as_of == dt.date(2017, 4, 30) and [round(r, 4) for r in p.stated_ratios] == [0.6089]
    a = perfnlp.assess("完成报废和转出老旧机动车24530辆", "1-4月，共转出、报废老旧机动车1.728万辆。",
                       context=Context(year=2017, as_of=dt.date(2017, 6, 30)))[0]
    assert round(a.ratio, 4) == 0.7044 and a.status == "on_track"
    assert a.model_dump(mode="json")["status"] == "on_track"


@pytest.mark.parametrize("call", [
    lambda: perfnlp.extract_quantities(None),
    lambda: perfnlp.parse_target(b"bytes"),
    lambda: perfnlp.parse_progress(42),
    lambda: perfnlp.assess("x", None),
])
def test_non_string_text_is_a_type_error(call):
    with pytest.raises(TypeError, match="must be a str"):
        call()


def test_malformed_context_is_a_value_error_naming_the_problem():
    with pytest.raises(ValueError, match="year"):
        Context(year=20017)
    with pytest.raises(ValueError, match="does not belong"):
        Context(year=2017, as_of=dt.date(2020, 1, 1))
    with pytest.raises(ValueError):
        perfnlp.parse_progress("上半年", context={"year": "abc"})
