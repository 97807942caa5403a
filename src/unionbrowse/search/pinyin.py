"""Match what a reader types without an input method against Chinese text, character by character.

A pattern mixes characters and letters: ``gonghui``, ``gh``, ``安全shengchan``. Each letter run is spent on
consecutive characters, each character taking its whole reading (``gong``), its initial (``g``, ``zh``), or, at
the very end, any beginning of it (typing in progress). Readings are the ones the character has in its word
(银行: hang); any other reading of the character also matches, for less.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from unionbrowse.corpus.script import is_cjk

WORD_READING = 94.0
INITIALS = 90.0
OTHER_READING_PENALTY = 10.0
_TWO_LETTER_INITIALS = ("zh", "ch", "sh")


@dataclass(frozen=True)
class PinyinMatch:
    start: int
    end: int
    score: float


def has_letters(pattern: str) -> bool:
    return any("a" <= char <= "z" for char in pattern)


@dataclass(frozen=True)
class Spelling:
    """A text spelt out: every character's in-word reading joined (``gonghui``) and its initials (``gh``)."""

    full: str
    starts: list[int]  # where each character's spelling begins in ``full``, and the end
    initials: str


def spell(text: str, readings: list[str]) -> Spelling:
    pieces = [reading if reading and is_cjk(char) else char for char, reading in zip(text, readings, strict=False)]
    return Spelling("".join(pieces), [0, *itertools.accumulate(map(len, pieces))], "".join(p[:1] for p in pieces))


def find_spelt(pattern: str, spelling: Spelling) -> PinyinMatch | None:
    """Letters typed as whole readings (``falvyuanzhu``, the last one possibly half typed) or as initials."""
    starts = spelling.starts
    position = spelling.full.find(pattern)
    while position != -1:
        first = bisect.bisect_left(starts, position)
        if first < len(starts) and starts[first] == position:
            last = bisect.bisect_right(starts, position + len(pattern) - 1) - 1
            return PinyinMatch(first, last + 1, WORD_READING)
        position = spelling.full.find(pattern, position + 1)
    position = spelling.initials.find(pattern)
    if position != -1:
        return PinyinMatch(position, position + len(pattern), INITIALS)
    return None


def find(
    pattern: str, text: str, readings: list[str], alternatives: Callable[[str], tuple[str, ...]]
) -> PinyinMatch | None:
    """The best match of ``pattern`` (folded, no spaces) in ``text`` (folded), or None."""
    if not pattern or not has_letters(pattern):
        return None
    anchor = re.match(r"[^a-z]+", pattern)
    if anchor and anchor.group(0) not in text:  # the characters typed as characters must be there as they are
        return None
    best: PinyinMatch | None = None
    first = pattern[0]
    for start, char in enumerate(text):
        if "a" <= first <= "z":
            if not is_cjk(char) or not any(r.startswith(first) for r in _options(char, readings[start], alternatives)):
                continue
        elif char != first:
            continue
        found = _match_from(pattern, text, readings, alternatives, start)
        if found and (best is None or found.score > best.score):
            best = found
            if best.score >= WORD_READING:
                break
    return best


def _options(char: str, reading: str, alternatives: Callable[[str], tuple[str, ...]]) -> tuple[str, ...]:
    others = alternatives(char)
    return (reading, *[r for r in others if r != reading]) if reading else others


def _match_from(
    pattern: str, text: str, readings: list[str], alternatives: Callable[[str], tuple[str, ...]], start: int
) -> PinyinMatch | None:
    # Depth-first over (pattern position, text position); each state remembers the cheapest way it was reached.
    stack: list[tuple[int, int, bool, bool]] = [(0, start, False, False)]
    seen: set[tuple[int, int]] = set()
    best: PinyinMatch | None = None
    while stack:
        p, t, used_initial, used_other = stack.pop()
        if p == len(pattern):
            score = (INITIALS if used_initial else WORD_READING) - (OTHER_READING_PENALTY if used_other else 0.0)
            if best is None or score > best.score:
                best = PinyinMatch(start, t, score)
            continue
        if t >= len(text) or (p, t) in seen:
            continue
        seen.add((p, t))
        char = text[t]
        if not ("a" <= pattern[p] <= "z"):
            if char == pattern[p]:
                stack.append((p + 1, t + 1, used_initial, used_other))
            continue
        if not is_cjk(char):
            continue
        rest = pattern[p:]
        moves: list[tuple[int, int, bool, bool]] = []
        for rank, reading in enumerate(_options(char, readings[t], alternatives)):
            other = used_other or (rank > 0 and bool(readings[t]))
            if rest.startswith(reading):
                moves.append((p + len(reading), t + 1, used_initial, other))
            initials = {reading[:1], *[i for i in _TWO_LETTER_INITIALS if reading.startswith(i)]}
            for initial in sorted(initials - {reading}, key=len, reverse=True):
                if rest.startswith(initial):
                    moves.append((p + len(initial), t + 1, True, other))
            if max(map(len, initials)) < len(rest) < len(reading) and reading.startswith(rest):
                moves.append((len(pattern), t + 1, used_initial, other))  # the last syllable, half typed
        stack.extend(reversed(moves))  # the word's own full reading is tried first
    return best
