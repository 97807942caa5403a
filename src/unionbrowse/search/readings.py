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
    """The reading of each character of a run of characters (no other kind of character in it), in its word.

    pypinyin cuts the run into words and reads each word on its own, so the words are cut here with its own
    segmenter and each word's reading is kept: news text repeats its words far more than its runs.
    """
    from pypinyin.seg.simpleseg import seg

    readings = [reading for word in seg(run) for reading in _word_readings(word)]
    if len(readings) != len(run):  # pypinyin groups nothing inside a pure CJK run, but never trust a shift
        return tuple(char_readings(ch)[0] if char_readings(ch) else "" for ch in run)
    return tuple(readings)


@functools.cache
def _word_readings(word: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    no_reading: Any = lambda chars: [""] * len(chars)  # noqa: E731 - pypinyin's stubs want str, it takes lists
    return tuple(r.replace("ü", "v") for r in lazy_pinyin(word, style=Style.NORMAL, errors=no_reading))
