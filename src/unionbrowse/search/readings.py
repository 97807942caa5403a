"""Pinyin readings of Chinese characters: each in its word (银行 -> yin hang), and every reading of one character.

pypinyin reads words, so a character's reading depends on its neighbours; the index stores these readings, and
the search never loads pypinyin.
"""

from __future__ import annotations

import functools
import re
from typing import Any

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


@functools.cache
def char_readings(char: str) -> tuple[str, ...]:
    """Every toneless reading of one character, the most common first: 行 -> (xing, hang, heng)."""
    from pypinyin import Style, pinyin

    readings = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return tuple(dict.fromkeys(r.replace("ü", "v") for r in readings[0])) if readings else ()


@functools.lru_cache(maxsize=200_000)
def _run_readings(run: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    no_reading: Any = lambda chars: [""] * len(chars)  # noqa: E731 - pypinyin's stubs want str, it takes lists
    readings = lazy_pinyin(run, style=Style.NORMAL, errors=no_reading)
    if len(readings) != len(run):  # pypinyin groups nothing inside a pure CJK run, but never trust a shift
        return tuple(char_readings(ch)[0] if char_readings(ch) else "" for ch in run)
    return tuple(r.replace("ü", "v") for r in readings)


def context_readings(text: str) -> list[str]:
    """The reading of each character in its word (银行 -> yin hang); '' where a character has none.

    pypinyin costs microseconds a character, so runs of characters are memoised: news text repeats itself.
    """
    readings = [""] * len(text)
    for match in _CJK_RUN.finditer(text):
        readings[match.start() : match.end()] = _run_readings(match.group(0))
    return readings
