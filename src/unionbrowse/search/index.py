"""The search index, as read: character n-gram and word postings, figures, filters and pinyin, in flat arrays.

Written once by ``index_writer``, kept under the cache folder by ``index_store``, and memory-mapped, so a large
corpus is searchable moments after start and a look-up costs what its matches cost, not the corpus.

Layout (arrays are little-endian ``.npy``):

- ``text.bin``: every document's five fields, folded for matching (same length as written, so offsets hold),
  UTF-8, separated by ``\\x1f``; ``text_off`` the byte offsets.
- ``gram_*``: postings (ascending document numbers) for each character and each pair of adjacent characters of
  the folded statement, quote, topic and meta fields (CJK characters and digits only); ``gram_codes`` the keys,
  sorted, each the code points of the pair packed in one number (``gram_code``).
- ``initial_*``: the same over the initials of every reading of each character (gh: 工会).
- ``word_*``: postings for each lower-case ASCII word of every field; ``vocab.json`` the sorted vocabulary.
- ``value*``: each figure's value, sorted, with its document.
- ``doc_*``: one small number per document for the filters (source, topic, scope, metric, year).
- ``py.bin``: the reading of every character of the folded statement and quote, in its word (银行 -> yin hang),
  as syllable numbers (``py_off`` the offsets); ``vocab.json`` holds the syllables and every reading of every
  indexed character.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from unionbrowse.corpus.script import is_cjk
from unionbrowse.search.documents import SEPARATOR

VERSION = 9
PAIR_SHIFT = 21  # a gram's key: first code point << 21 | second (0 for a single character); 21 bits hold any
LETTERS = "abcdefghijklmnopqrstuvwxyz"
IntArray = npt.NDArray[np.int64]
DocArray = npt.NDArray[np.uint32]


class DamagedIndex(Exception):
    """The index on disk does not hold together (a file changed without a trace in its size or time): found
    as it is read, since checking all of it at every start costs seconds on a large corpus."""


def is_indexed_char(char: str) -> bool:
    return is_cjk(char) or "0" <= char <= "9"


def gram_code(gram: str) -> int:
    """The key of a character (``工``) or a pair of adjacent characters (``工会``) in ``gram_codes``."""
    return ord(gram[0]) << PAIR_SHIFT | (ord(gram[1]) if len(gram) > 1 else 0)


def initial_code(initials: str) -> int:
    """The key of one initial (``g``) or a pair (``gh``) in ``initial_codes``: letters numbered from 1."""
    first = LETTERS.index(initials[0]) + 1
    return first << 5 | (LETTERS.index(initials[1]) + 1 if len(initials) > 1 else 0)


def query_grams(folded: str) -> list[str]:
    """The n-gram keys of a (folded) query string: adjacent pairs, or the single character of a lone one."""
    grams: list[str] = []
    run = ""
    for char in [*folded, " "]:
        if is_indexed_char(char):
            run += char
            continue
        if len(run) == 1:
            grams.append(run)
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
        run = ""
    return list(dict.fromkeys(grams))


@dataclass
class Index:
    size: int
    text: npt.NDArray[np.uint8]
    text_off: IntArray
    gram_codes: npt.NDArray[np.uint64]
    gram_off: IntArray
    gram_post: DocArray
    initial_codes: IntArray  # the same, over the initials of every character's in-word reading (gh: 工会)
    initial_off: IntArray
    initial_post: DocArray
    words: list[str]
    word_off: IntArray
    word_post: DocArray
    values: npt.NDArray[np.float64]
    value_docs: DocArray
    doc_source: npt.NDArray[np.int32]
    doc_year: npt.NDArray[np.int32]
    doc_topic: npt.NDArray[np.int32]
    doc_scope: npt.NDArray[np.int32]
    doc_metric: npt.NDArray[np.int32]
    sources: list[str]
    topics: list[str]
    scopes: list[str]
    metrics: list[str]
    py_off: IntArray
    py_syl: npt.NDArray[np.uint16]
    syllables: list[str]
    readings: dict[str, list[str]]

    def __post_init__(self) -> None:
        self._text = memoryview(self.text)  # type: ignore[arg-type]
        self._text_off = self.text_off

    @cached_property
    def _word_ids(self) -> dict[str, int]:
        return {word: number for number, word in enumerate(self.words)}

    @cached_property
    def spelled_words(self) -> list[str]:
        """The words a typo may be meant for: letters only (figures are matched as numbers, never as typos)."""
        return [word for word in self.words if word.isalpha()]

    @cached_property
    def _by_syllable(self) -> dict[str, list[str]]:
        by_syllable: dict[str, list[str]] = {}
        for char, readings in self.readings.items():
            for reading in readings:
                by_syllable.setdefault(reading, []).append(char)
        return by_syllable

    # --- documents --------------------------------------------------------------------------------------

    def fields(self, doc: int) -> list[str]:
        """The document's five fields, folded (``fold``): what every match is made against. Unchecked, as this
        is the hot path: a damaged index shows here as an IndexError or UnicodeDecodeError, which the finder
        turns into ``DamagedIndex``."""
        start, end = self._text_off[doc], self._text_off[doc + 1]
        return str(self._text[start:end], "utf-8").split(SEPARATOR)

    def doc_readings(self, doc: int) -> list[str]:
        """The in-word reading of each character of ``statement + SEPARATOR + quote``."""
        ids = self.py_syl[self.py_off[doc] : self.py_off[doc + 1]]
        return [self.syllables[number] for number in ids.tolist()]

    # --- postings ---------------------------------------------------------------------------------------

    def gram(self, key: str) -> DocArray:
        number = _find(self.gram_codes, gram_code(key))
        if number is None:
            return np.empty(0, dtype=np.uint32)
        return self._checked(self.gram_post[self.gram_off[number] : self.gram_off[number + 1]])

    def initials(self, key: str) -> DocArray:
        number = _find(self.initial_codes, initial_code(key))
        if number is None:
            return np.empty(0, dtype=np.uint32)
        return self._checked(self.initial_post[self.initial_off[number] : self.initial_off[number + 1]])

    def _checked(self, postings: DocArray) -> DocArray:
        """A postings list, once its last (highest) document is known to exist: the index is checked as it is
        read, list by list, rather than all of it at every start."""
        if len(postings) and int(postings[-1]) >= self.size:
            raise DamagedIndex("a postings list points past the last document")
        return postings

    def docs_with_initials(self, initials: str, limit: int | None = None) -> DocArray:
        """Documents whose characters' initials hold every adjacent pair of ``initials``, rarest pair first."""
        pairs = [initials[i : i + 2] for i in range(len(initials) - 1)] or [initials]
        return _intersect_all([self.initials(pair) for pair in dict.fromkeys(pairs)], limit)

    def gram_count(self, key: str) -> int:
        number = _find(self.gram_codes, gram_code(key))
        return 0 if number is None else int(self.gram_off[number + 1] - self.gram_off[number])

    def docs_with_all(self, grams: Sequence[str], limit: int | None = None) -> DocArray:
        """Documents holding every gram, rarest first so the work is the size of the rarest list; with
        ``limit``, among the first ``limit`` documents of that list only."""
        return _intersect_all([self.gram(gram) for gram in grams], limit)

    def gram_hits(self, grams: Sequence[str], limit: int | None = None) -> tuple[DocArray, npt.NDArray[np.int64]]:
        """Each document holding any gram (among the first ``limit`` of each list), with how many it holds."""
        lists = [self.gram(gram)[:limit] for gram in grams]
        lists = [postings for postings in lists if len(postings)]
        if not lists:
            return np.empty(0, dtype=np.uint32), np.empty(0, dtype=np.int64)
        counts = np.bincount(np.concatenate(lists), minlength=self.size)
        docs = np.flatnonzero(counts).astype(np.uint32)
        return docs, counts[docs]

    def word_docs(self, number: int) -> DocArray:
        return self._checked(self.word_post[self.word_off[number] : self.word_off[number + 1]])

    def words_with_prefix(self, prefix: str, limit: int = 64) -> list[int]:
        start = bisect.bisect_left(self.words, prefix)
        found = []
        for number in range(start, min(len(self.words), start + limit)):
            if not self.words[number].startswith(prefix):
                break
            found.append(number)
        return found

    def word_postings(self, word: str) -> DocArray:
        number = self._word_ids.get(word)
        return np.empty(0, dtype=np.uint32) if number is None else self.word_docs(number)

    def figure_docs(self, value: float) -> DocArray:
        """The documents (with repeats, unsorted) holding a figure equal to ``value``."""
        low = np.searchsorted(self.values, value * (1 - 1e-9), side="left")
        high = np.searchsorted(self.values, value * (1 + 1e-9), side="right")
        found = self.value_docs[low:high]
        if len(found) and int(found.max()) >= self.size:
            raise DamagedIndex("a figure points past the last document")
        return found

    def docs_with_value(self, value: float) -> DocArray:
        docs = np.sort(self.figure_docs(value))  # np.unique would import numpy's set routines on first use
        return docs[np.r_[True, docs[1:] != docs[:-1]]] if len(docs) else docs

    def chars_reading(self, piece: str, prefix: bool) -> list[str]:
        """Indexed characters one of whose readings is ``piece`` (or starts with it)."""
        if not prefix:
            return self._by_syllable.get(piece, [])
        chars: list[str] = []
        for syllable, members in self._by_syllable.items():
            if syllable.startswith(piece):
                chars.extend(members)
        return chars


def _find(codes: npt.NDArray[np.uint64] | IntArray, code: int) -> int | None:
    """The place of ``code`` in a sorted array of keys, or None. The two keys around it are checked to be in
    order (a binary search in keys out of order finds nothing, silently)."""
    place = int(np.searchsorted(codes, code))
    low = min(max(place - 1, 0), len(codes) - 2)
    if low >= 0 and int(codes[low]) >= int(codes[low + 1]):
        raise DamagedIndex("the keys of the index are out of order")
    return place if place < len(codes) and int(codes[place]) == code else None


def _intersect_all(lists: list[DocArray], limit: int | None = None) -> DocArray:
    """The documents in every sorted list, shortest list first, each step a binary search into the next."""
    if not lists:
        return np.empty(0, dtype=np.uint32)
    lists = sorted(lists, key=len)
    result = lists[0][:limit]
    for other in lists[1:]:
        if not len(result) or not len(other):
            return np.empty(0, dtype=np.uint32)
        places = np.searchsorted(other, result).clip(max=len(other) - 1)
        result = result[other[places] == result]
    return result
