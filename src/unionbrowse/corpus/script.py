"""Script folding: traditional to simplified one character at a time, so every offset into a text still holds.

Matching folds both the query and the text (lower case, full-width to half-width, OpenCC ``t2s``); showing a
traditional source in simplified script uses the same character-for-character table. ``occurrences`` finds where
a piece of text stands, for quotes in their source and query terms in a document alike.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any


class _FoldTable(dict[int, str]):
    """``str.translate`` table that folds one character at a time, filled lazily.

    Each character folds to exactly one character (lower case, NFKC width folding, OpenCC t2s), so an offset in
    the folded text is the same offset in the original: match spans index the source as written.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = char.lower()
        if len(folded) != 1:
            folded = char
        width = unicodedata.normalize("NFKC", folded)
        if len(width) == 1:
            folded = width.lower() if len(width.lower()) == 1 else width
        if "\u3400" <= folded <= "\u9fff" or "\uf900" <= folded <= "\ufaff":
            simplified = _t2s().convert(folded)
            if len(simplified) == 1:
                folded = simplified
        self[code] = folded
        return folded


_FOLD = _FoldTable()


class _SimplifyTable(dict[int, str]):
    """t2s one character at a time (same length), for showing a traditional source in simplified script."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        simplified = _t2s().convert(char) if is_cjk(char) else char
        self[code] = simplified if len(simplified) == 1 else char
        return self[code]


_SIMPLIFY = _SimplifyTable()


def to_simplified(text: str) -> str:
    """``雲南工會`` -> ``云南工会``, character for character: offsets into the text still hold."""
    return text.translate(_SIMPLIFY)


def fold(text: str) -> str:
    """Text for matching only: ``雲南工會`` -> ``云南工会``, ``ＡＢＣ`` -> ``abc``; same length as ``text``."""
    return text.translate(_FOLD)


@functools.cache
def _t2s() -> Any:
    import opencc  # the `opencc` package only: `opencc-python-reimplemented` installs the same module name

    return opencc.OpenCC("t2s")


def is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def occurrences(part: str, text: str) -> list[int]:
    """Where ``part`` starts in ``text``, every time, without overlaps (as ``re.finditer`` finds them)."""
    starts: list[int] = []
    at = text.find(part) if part else -1
    while at != -1:
        starts.append(at)
        at = text.find(part, at + len(part))
    return starts
