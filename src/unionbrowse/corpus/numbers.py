"""Chinese numbers as people write them: ``350.8万人次``, ``1亿多元``, ``近20万名``, ``两届``; their units and hedges."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that hedge or qualify a figure. A qualifier may combine them in text order: 累计超过, 超过余.
QUALIFIERS = ("累计", "超过", "以上", "上万", "最高", "近", "余", "多", "约", "达", "逾", "第", "共")

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_LARGE_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_NUMERAL = "零〇一二两兩三四五六七八九十百千"
_PREFIX = "|".join(("累计", "累計", "超过", "超過", "近", "约", "約", "达", "達", "逾", "最高", "共", "第"))

QUANTITY_PATTERN = re.compile(
    rf"(?P<prefix>(?:{_PREFIX})*)"
    rf"(?P<number>\d+(?:\.\d+)?|[{_NUMERAL}]+)"
    r"(?P<approx1>[余餘多])?"
    r"(?P<mult>[万萬亿億])?"
    r"(?P<approx2>[余餘多])?"
    r"(?P<unit>.*)$"
)


# Measure words that count the same thing: 名 and 人 are both head counts (人次, person-times, is not).
_SAME_UNIT = {"名": "人", "個": "个", "項": "项", "屆": "届", "場": "场", "戶": "户", "戶次": "户次"}


def canonical_unit(unit: str) -> str:
    """The measure word two units that count alike share: 名 -> 人, 個 -> 个."""
    return _SAME_UNIT.get(unit, unit)


def same_unit(a: str, b: str) -> bool:
    return canonical_unit(a) == canonical_unit(b)


@dataclass(frozen=True)
class ParsedQuantity:
    value: float
    unit: str
    qualifier: str | None


def chinese_numeral(text: str) -> int | None:
    """``两`` -> 2, ``十二`` -> 12, ``一百零八`` -> 108; None for anything else."""
    if not text or any(ch not in _DIGITS and ch not in _SMALL_UNITS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
    return total + (digit or 0)


def parse_number(text: str) -> float | None:
    """A bare number with an optional 万/亿: ``3.24万`` -> 32400.0, ``1.1亿`` -> 110000000.0."""
    match = re.fullmatch(rf"(\d+(?:\.\d+)?|[{_NUMERAL}]+)([万萬亿億])?", text.strip())
    if not match:
        return None
    number = _number_value(match.group(1))
    if number is None:
        return None
    return _scale(number, match.group(2))


def parse_quantity(text: str) -> ParsedQuantity | None:
    """Read a figure as written: ``9700余萬元`` -> 97000000 元 (余); ``近20万名`` -> 200000 名 (近)."""
    match = QUANTITY_PATTERN.match(text.strip())
    if not match:
        return None
    number = _number_value(match.group("number"))
    if number is None:
        return None
    qualifier = normalize_qualifier(
        (match.group("prefix") or "") + (match.group("approx1") or "") + (match.group("approx2") or "")
    )
    return ParsedQuantity(_scale(number, match.group("mult")), match.group("unit").strip(), qualifier or None)


def normalize_qualifier(text: str) -> str:
    return text.replace("累計", "累计").replace("超過", "超过").replace("餘", "余").replace("約", "约").replace(
        "達", "达"
    )


def split_qualifier(qualifier: str) -> list[str] | None:
    """``累计超过`` -> [累计, 超过]; None if it is not made of known qualifier words."""
    parts: list[str] = []
    rest = qualifier
    while rest:
        word = next((word for word in QUALIFIERS if rest.startswith(word)), None)
        if word is None:
            return None
        parts.append(word)
        rest = rest[len(word) :]
    return parts


def _number_value(text: str) -> float | None:
    if text[0].isdigit():
        return float(text)
    value = chinese_numeral(text)
    return None if value is None else float(value)


def _scale(number: float, multiplier: str | None) -> float:
    # Round away binary noise: 350.8 * 10000 is 3507999.9999999995 in floating point.
    return round(number * _LARGE_UNITS.get(multiplier or "", 1), 6)
