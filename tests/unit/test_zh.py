"""Numbers as the articles write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unionbrowse.corpus.numbers import (
    chinese_numeral,
    parse_number,
    parse_quantity,
    same_unit,
    split_qualifier,
)


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("350.8萬人次", 3_508_000, "人次", None),
        ("1亿多元", 100_000_000, "元", "多"),
        ("近20万名", 200_000, "名", "近"),
        ("两届", 2, "届", None),
        ("9700余萬元", 97_000_000, "元", "余"),
        ("超过100余萬人", 1_000_000, "人", "超过余"),
        ("累计超过600万人次", 6_000_000, "人次", "累计超过"),
        ("1.7万余个", 17_000, "个", "余"),
        ("0.7万元", 7_000, "元", None),
        ("100%", 100, "%", None),
        ("第十八", 18, "", "第"),
        ("763.38万人次", 7_633_800, "人次", None),
    ],
)
def test_parse_quantity(text: str, value: float, unit: str, qualifier: str | None) -> None:
    parsed = parse_quantity(text)
    assert parsed is not None
    assert (parsed.value, parsed.unit, parsed.qualifier) == (value, unit, qualifier)


def test_parse_number_reads_what_readers_type() -> None:
    assert parse_number("3.24万") == 32_400
    assert parse_number("1.1亿") == 110_000_000
    assert parse_number("3143") == 3143
    assert parse_number("两") == 2
    assert parse_number("gonghui") is None


def test_chinese_numerals() -> None:
    assert [chinese_numeral(t) for t in ("五", "十", "十二", "二十", "一百零八", "两")] == [5, 10, 12, 20, 108, 2]
    assert chinese_numeral("五一劳动") is None


def test_qualifiers_split_in_text_order() -> None:
    assert split_qualifier("累计超过") == ["累计", "超过"]
    assert split_qualifier("超过余") == ["超过", "余"]
    assert split_qualifier("大约") is None


def test_head_counts_share_a_unit_but_person_times_do_not() -> None:
    assert same_unit("名", "人")
    assert same_unit("項", "项")
    assert not same_unit("人", "人次")


@given(st.text(max_size=40))
def test_parse_quantity_never_raises(text: str) -> None:
    parsed = parse_quantity(text)
    assert parsed is None or parsed.value >= 0
