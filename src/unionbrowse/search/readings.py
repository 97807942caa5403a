"""Pinyin readings of Chinese characters: each in its word (银行 -> yin hang), and every reading of one character.

pypinyin reads words, so a character's reading depends on its neighbours. Only the index writer calls it: the
index stores the readings, and a search never loads pypinyin.
"""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def char_readings(char: str) -> tuple[str, ...]:
    """Every toneless reading of one character, the most common first: 行 -> (xing, hang, heng)."""
    from pypinyin import Style, pinyin

    readings = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return tuple(dict.fromkeys(r.replace("ü", "v") for r in readings[0])) if readings else ()


def run_readings(run: str) -> tuple[str, ...]:
    """The reading of each character of a run of characters (no other kind of character in it), in its word."""
    from pypinyin import Style, lazy_pinyin

    no_reading: Any = lambda chars: [""] * len(chars)  # noqa: E731 - pypinyin's stubs want str, it takes lists
    readings = lazy_pinyin(run, style=Style.NORMAL, errors=no_reading)
    if len(readings) != len(run):  # pypinyin groups nothing inside a pure CJK run, but never trust a shift
        return tuple(char_readings(ch)[0] if char_readings(ch) else "" for ch in run)
    return tuple(r.replace("ü", "v") for r in readings)
