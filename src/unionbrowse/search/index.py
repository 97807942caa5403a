"""The search index: character n-gram and word postings, figures, filters and pinyin, as flat numpy arrays.

Built once, saved under the user cache folder keyed by the content it indexes, and loaded by memory-mapping,
so a large corpus is searchable moments after start and lookups cost what the matches cost, not the corpus.

Layout (all arrays little-endian ``.npy``):

- ``text``: every document's five fields, folded for matching (same length as written, so offsets hold),
  UTF-8, separated by ``\\x1f``; ``text_off`` the byte offsets.
- ``gram_*``: postings (sorted document numbers) for each character and each pair of adjacent characters of
  the folded statement, quote, topic and meta fields (CJK characters and digits only).
- ``word_*``: postings for each lower-case ASCII word of every field; ``words.json`` the sorted vocabulary.
- ``value_*``: each figure's value, sorted, with its document.
- ``py_*``: the reading of every character of the folded statement and quote, in its word (银行 -> yin hang),
  as syllable numbers; ``vocab.json`` holds the syllables and every reading of every indexed character.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import shutil
import tempfile
import zlib
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from unionbrowse.corpus.script import fold, is_cjk
from unionbrowse.search.documents import SEPARATOR, SearchDoc
from unionbrowse.search.readings import char_readings, context_readings

VERSION = 8
_WORD = re.compile(r"[a-z0-9]+")
_CHUNK = 50_000  # documents per build step: bounds the build's peak memory
IntArray = npt.NDArray[np.int64]
DocArray = npt.NDArray[np.uint32]


def is_indexed_char(char: str) -> bool:
    return is_cjk(char) or "0" <= char <= "9"


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
    gram_keys: dict[str, int]
    gram_off: IntArray
    gram_post: DocArray
    initial_keys: dict[str, int]  # the same, over the initials of every character's in-word reading (gh: 工会)
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
    _word_ids: dict[str, int] = field(default_factory=dict, repr=False)
    _by_syllable: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._word_ids = {word: number for number, word in enumerate(self.words)}
        # Plain views of the memory maps: every operation on numpy's memmap subclass costs microseconds more.
        for name in _ARRAYS:
            value = getattr(self, name)
            if isinstance(value, np.memmap):
                setattr(self, name, value.view(np.ndarray))
        self._text = memoryview(self.text)  # type: ignore[arg-type]
        self._text_off = self.text_off
        # The words a typo may be meant for: letters only (figures are matched as numbers, never as typos).
        self.spelled_words: list[str] = [word for word in self.words if word.isalpha()]
        by_syllable: dict[str, list[str]] = {}
        for char, readings in self.readings.items():
            for reading in readings:
                by_syllable.setdefault(reading, []).append(char)
        self._by_syllable = by_syllable

    # --- documents --------------------------------------------------------------------------------------

    def fields(self, doc: int) -> list[str]:
        """The document's five fields, folded (``fold``): what every match is made against."""
        start, end = self._text_off[doc], self._text_off[doc + 1]
        return str(self._text[start:end], "utf-8").split(SEPARATOR)

    def doc_readings(self, doc: int) -> list[str]:
        """The in-word reading of each character of ``statement + SEPARATOR + quote``."""
        ids = self.py_syl[self.py_off[doc] : self.py_off[doc + 1]]
        return [self.syllables[number] for number in ids.tolist()]

    # --- postings ---------------------------------------------------------------------------------------

    def gram(self, key: str) -> DocArray:
        number = self.gram_keys.get(key)
        if number is None:
            return np.empty(0, dtype=np.uint32)
        return self.gram_post[self.gram_off[number] : self.gram_off[number + 1]]

    def initials(self, key: str) -> DocArray:
        number = self.initial_keys.get(key)
        if number is None:
            return np.empty(0, dtype=np.uint32)
        return self.initial_post[self.initial_off[number] : self.initial_off[number + 1]]

    def docs_with_initials(self, initials: str, limit: int | None = None) -> DocArray:
        """Documents whose characters' initials hold every adjacent pair of ``initials``, rarest pair first."""
        pairs = [initials[i : i + 2] for i in range(len(initials) - 1)] or [initials]
        return _intersect_all([self.initials(pair) for pair in dict.fromkeys(pairs)], limit)

    def gram_count(self, key: str) -> int:
        number = self.gram_keys.get(key)
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
        return self.word_post[self.word_off[number] : self.word_off[number + 1]]

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
        return self.value_docs[low:high]

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


# --- building -------------------------------------------------------------------------------------------------


def build(docs: Sequence[SearchDoc]) -> Index:
    size = len(docs)
    joined = [SEPARATOR.join(fold(field) for field in doc.fields) for doc in docs]
    encoded = [text.encode("utf-8") for text in joined]
    text_off = np.zeros(size + 1, dtype=np.int64)
    np.cumsum([len(blob) for blob in encoded], out=text_off[1:])
    text = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    del joined, encoded

    gram_texts = [fold(SEPARATOR.join((doc.statement, doc.quote, doc.topic, doc.meta))) for doc in docs]
    seen: set[str] = set()
    for gram_text in gram_texts:
        seen.update(gram_text)
    chars = sorted(char for char in seen if is_indexed_char(char))
    gram_keys, gram_off, gram_post = _gram_postings(gram_texts, chars)
    del gram_texts

    words, word_off, word_post = _word_postings(docs)
    value_pairs = sorted((value, number) for number, doc in enumerate(docs) for value in doc.values)
    values = np.array([value for value, _ in value_pairs], dtype=np.float64)
    value_docs = np.array([number for _, number in value_pairs], dtype=np.uint32)

    sources, doc_source = _categories(doc.source for doc in docs)
    topics, doc_topic = _categories(doc.topic_id for doc in docs)
    scopes, doc_scope = _categories(doc.scope for doc in docs)
    metrics, doc_metric = _categories(doc.metric for doc in docs)
    doc_year = np.array([doc.year for doc in docs], dtype=np.int32)

    readings = {char: list(char_readings(char)) for char in chars if is_cjk(char)}
    py_off, py_syl, syllables = _pinyin(docs, readings)
    initial_keys, initial_off, initial_post = _initial_postings(docs, readings)
    return Index(
        size=size, text=text, text_off=text_off, gram_keys=gram_keys, gram_off=gram_off, gram_post=gram_post,
        initial_keys=initial_keys, initial_off=initial_off, initial_post=initial_post, words=words, word_off=word_off, word_post=word_post, values=values, value_docs=value_docs,
        doc_source=doc_source, doc_year=doc_year, doc_topic=doc_topic, doc_scope=doc_scope, doc_metric=doc_metric,
        sources=sources, topics=topics, scopes=scopes, metrics=metrics, py_off=py_off, py_syl=py_syl, syllables=syllables, readings=readings,
    )  # fmt: skip


def _gram_postings(texts: list[str], chars: list[str]) -> tuple[dict[str, int], IntArray, DocArray]:
    """Unigram and bigram postings, built a chunk of documents at a time with sorts, never Python loops."""
    width = len(chars) + 1
    lookup = np.full(0x110000, -1, dtype=np.int64)
    lookup[[ord(char) for char in chars]] = np.arange(len(chars))
    pieces = []
    for begin in range(0, len(texts), _CHUNK):
        chunk = texts[begin : begin + _CHUNK]
        points = np.frombuffer((SEPARATOR.join(chunk) + SEPARATOR).encode("utf-32-le"), dtype=np.uint32)
        owner = np.repeat(np.arange(begin, begin + len(chunk), dtype=np.int64), [len(t) + 1 for t in chunk])
        ids = lookup[points]
        valid = ids >= 0
        pair = valid[:-1] & valid[1:]
        keys = np.concatenate([(ids[valid] + 1) * width, (ids[:-1][pair] + 1) * width + ids[1:][pair] + 1])
        docs = np.concatenate([owner[valid], owner[:-1][pair]])
        pieces.append(_unique_pairs(keys, docs))
    return _postings(pieces, chars, width)


def _postings(pieces: list[npt.NDArray[np.uint64]], chars: list[str], width: int) -> tuple[dict[str, int], IntArray, DocArray]:
    """Sorted (key, document) pairs -> key names, offsets and postings; a key is first * width + second."""
    combined = np.sort(np.concatenate(pieces)) if pieces else np.empty(0, dtype=np.uint64)
    key_codes = (combined >> np.uint64(32)).astype(np.int64)
    post = (combined & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    starts = np.flatnonzero(np.r_[True, key_codes[1:] != key_codes[:-1]]) if len(key_codes) else np.empty(0, int)
    offsets = np.append(starts, len(key_codes)).astype(np.int64)
    names = {}
    for number, code in enumerate(key_codes[starts].tolist()):
        first, second = divmod(code, width)
        names[chars[first - 1] + (chars[second - 1] if second else "")] = number
    return names, offsets, post


def _unique_pairs(keys: IntArray, docs: IntArray) -> npt.NDArray[np.uint64]:
    combined = np.sort((keys.astype(np.uint64) << np.uint64(32)) | docs.astype(np.uint64))
    if not len(combined):
        return combined
    return combined[np.r_[True, combined[1:] != combined[:-1]]]


def _word_postings(docs: Sequence[SearchDoc]) -> tuple[list[str], IntArray, DocArray]:
    numbers: dict[str, int] = {}
    keys = array("q")  # compact: a million documents hold tens of millions of (word, document) pairs
    owners = array("q")
    for owner, doc in enumerate(docs):
        for word in set(_WORD.findall(fold(SEPARATOR.join(doc.fields)))):
            keys.append(numbers.setdefault(word, len(numbers)))
            owners.append(owner)
    words = sorted(numbers)
    rank = np.empty(len(words), dtype=np.int64)
    rank[[numbers[word] for word in words]] = np.arange(len(words))
    combined = _unique_pairs(rank[np.frombuffer(keys, dtype=np.int64)] if keys else np.empty(0, np.int64),
                             np.frombuffer(owners, dtype=np.int64))
    key_codes = (combined >> np.uint64(32)).astype(np.int64)
    offsets = np.searchsorted(key_codes, np.arange(len(words) + 1)).astype(np.int64)
    return words, offsets, (combined & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def _categories(values: Iterable[str]) -> tuple[list[str], npt.NDArray[np.int32]]:
    names: dict[str, int] = {}
    numbers = [names.setdefault(value, len(names)) for value in values]
    return list(names), np.array(numbers, dtype=np.int32)


def _pinyin(docs: Sequence[SearchDoc], readings: dict[str, list[str]]) -> tuple[IntArray, Any, list[str]]:
    syllables = ["", *sorted({reading for options in readings.values() for reading in options})]
    numbers = {syllable: number for number, syllable in enumerate(syllables)}
    lengths = array("q")
    ids = array("H")  # two bytes a character: a million documents hold a hundred million characters
    for doc in docs:
        text = fold(doc.statement + SEPARATOR + doc.quote)
        ids.extend(numbers.get(reading, 0) for reading in context_readings(text))
        lengths.append(len(text))
    offsets = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(np.frombuffer(lengths, dtype=np.int64), out=offsets[1:])
    return offsets, np.frombuffer(ids, dtype=np.uint16).copy(), syllables


def _initial_postings(docs: Sequence[SearchDoc], readings: dict[str, list[str]]) -> tuple[dict[str, int], IntArray, DocArray]:
    """Postings for the initials of every reading of each character of statement and quote, alone and in
    adjacent pairs: 农商行 gives n, s, h, x, ns, sh, sx. Letters typed without an input method are looked up
    here; the scorer then prefers the reading each character has in its word."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    table = np.zeros((0x110000, 3), dtype=np.int64)  # up to three distinct initials a character, 1-based
    for char, options in readings.items():
        initials = list(dict.fromkeys(r[0] for r in options if r and r[0] in letters))[:3]
        table[ord(char), : len(initials)] = [letters.index(i) + 1 for i in initials]
    width = len(letters) + 1
    pieces = []
    for begin in range(0, len(docs), _CHUNK):
        chunk = [fold(doc.statement + SEPARATOR + doc.quote) for doc in docs[begin : begin + _CHUNK]]
        points = np.frombuffer((SEPARATOR.join(chunk) + SEPARATOR).encode("utf-32-le"), dtype=np.uint32)
        owner = np.repeat(np.arange(begin, begin + len(chunk), dtype=np.int64), [len(t) + 1 for t in chunk])
        found = table[points]
        keys, owners = [], []
        for k in range(3):
            here = found[:, k] > 0
            keys.append(found[here, k] * width)
            owners.append(owner[here])
            for m in range(3):
                pair = (found[:-1, k] > 0) & (found[1:, m] > 0)
                keys.append(found[:-1][pair, k] * width + found[1:][pair, m])
                owners.append(owner[:-1][pair])
        pieces.append(_unique_pairs(np.concatenate(keys), np.concatenate(owners)))
    return _postings(pieces, list(letters), width)


# --- the cache on disk -------------------------------------------------------------------------------------

_ARRAYS = ("text", "text_off", "gram_off", "gram_post", "initial_off", "initial_post", "word_off", "word_post", "values", "value_docs",
           "doc_source", "doc_year", "doc_topic", "doc_scope", "doc_metric", "py_off", "py_syl")  # fmt: skip


def save(index: Index, folder: Path, key: str) -> None:
    """Write the index into ``folder`` atomically: a sibling temporary folder renamed into place."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        checksums = {}
        for name in _ARRAYS:
            path = staging / f"{name}.npy"
            np.save(path, getattr(index, name), allow_pickle=False)
            checksums[path.name] = _crc(path)
        vocab = {"gram_keys": list(index.gram_keys), "initial_keys": list(index.initial_keys), "words": index.words, "sources": index.sources,
                 "topics": index.topics, "scopes": index.scopes, "metrics": index.metrics, "syllables": index.syllables,
                 "readings": index.readings}  # fmt: skip
        (staging / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        checksums["vocab.json"] = _crc(staging / "vocab.json")
        manifest = {"version": VERSION, "key": key, "size": index.size, "checksums": checksums}
        (staging / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def load(folder: Path, key: str) -> Index | None:
    """The saved index, or None if it is missing, stale or damaged in any way: never trusted half-read."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("version") != VERSION or manifest.get("key") != key:
            return None
        for name, checksum in manifest["checksums"].items():
            if _crc(folder / name) != checksum:
                return None
        vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _ARRAYS}
        index = Index(
            size=int(manifest["size"]),
            gram_keys={gram: number for number, gram in enumerate(vocab["gram_keys"])},
            initial_keys={gram: number for number, gram in enumerate(vocab["initial_keys"])},
            words=vocab["words"], sources=vocab["sources"], topics=vocab["topics"], scopes=vocab["scopes"],
            metrics=vocab["metrics"],
            syllables=vocab["syllables"], readings=vocab["readings"], **arrays,
        )  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError):
        return None
    return index if _consistent(index) else None


def _consistent(index: Index) -> bool:
    size = index.size
    return bool(
        len(index.text_off) == size + 1
        and len(index.py_off) == size + 1
        and len(index.gram_off) == len(index.gram_keys) + 1
        and len(index.initial_off) == len(index.initial_keys) + 1
        and index.initial_off[-1] == len(index.initial_post)
        and len(index.word_off) == len(index.words) + 1
        and index.text_off[-1] == len(index.text)
        and index.gram_off[-1] == len(index.gram_post)
        and index.word_off[-1] == len(index.word_post)
        and index.py_off[-1] == len(index.py_syl)
        and len(index.doc_source) == size
        and (not len(index.gram_post) or int(index.gram_post.max()) < size)
    )


def _crc(path: Path) -> int:
    checksum = 0
    with path.open("rb") as stream:
        while block := stream.read(1 << 22):
            checksum = zlib.crc32(block, checksum)
    return checksum
