"""Build a search index from documents in one pass, straight into its folder, in memory bounded by a chunk.

Documents arrive one at a time and are taken a chunk at a time: each chunk's folded text and pinyin readings are
appended to their files, and its (key, document) pairs, for character n-grams, initials and words, are sorted
and spilled to disk. At the end the spilled pairs are merged into postings with a counting pass and a filling
pass, written into a memory-mapped file, so the build never holds more than one chunk and the finished arrays
(which are the index on disk).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from unionbrowse.corpus.script import fold, is_cjk
from unionbrowse.search.documents import SEPARATOR, SearchDoc
from unionbrowse.search.index import LETTERS, PAIR_SHIFT, is_indexed_char
from unionbrowse.search.index_store import finish
from unionbrowse.search.readings import char_readings, run_readings

CHUNK_BITS = 14
CHUNK = 1 << CHUNK_BITS  # documents a build step holds: a chunk's pairs pack the document into 14 bits
_WORD = re.compile(r"[a-z0-9]+")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_INITIALS = 3  # distinct initials kept per character (行: x, h)
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]


class _Spill:
    """(key, document) pairs of one kind, a sorted file per chunk, merged into postings at the end."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.name = name
        self.chunks: list[tuple[Path, int]] = []  # file, first document

    def add(self, keys: I64, docs: I64, first_doc: int) -> None:
        """Keys of any size below 2**49 with their documents (absolute numbers, all within this chunk)."""
        packed = (keys.astype(np.uint64) << np.uint64(CHUNK_BITS)) | (docs - first_doc).astype(np.uint64)
        packed.sort()  # sort and drop repeats: numpy's unique hashes first, several times slower here
        packed = packed[np.r_[True, packed[1:] != packed[:-1]]] if len(packed) else packed
        path = self.folder / f"{self.name}-{len(self.chunks):05d}.npy"
        np.save(path, packed, allow_pickle=False)
        self.chunks.append((path, first_doc))

    def merge(self, out: Path) -> tuple[U64, I64]:
        """Write the postings to ``out`` (documents, grouped by key, ascending); return the keys and offsets."""
        shift, mask = np.uint64(CHUNK_BITS), np.uint64(CHUNK - 1)
        groups = []  # per chunk: its distinct keys, where each starts, how many
        for path, _ in self.chunks:
            keys = np.load(path, mmap_mode="r") >> shift
            starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.empty(0, np.int64)
            groups.append((keys[starts], starts, np.diff(np.append(starts, len(keys)))))
        distinct = np.unique(np.concatenate([g[0] for g in groups])) if groups else np.empty(0, np.uint64)
        totals = np.zeros(len(distinct), dtype=np.int64)
        places = [np.searchsorted(distinct, keys) for keys, _, _ in groups]
        for place, (_, _, counts) in zip(places, groups, strict=True):
            totals[place] += counts
        offsets = np.zeros(len(distinct) + 1, dtype=np.int64)
        np.cumsum(totals, out=offsets[1:])
        post = np.lib.format.open_memmap(out, mode="w+", dtype=np.uint32, shape=(int(offsets[-1]),))
        cursor = offsets[:-1].copy()
        for (path, first_doc), place, (_, starts, counts) in zip(self.chunks, places, groups, strict=True):
            packed = np.load(path)
            rank = np.arange(len(packed)) - np.repeat(starts, counts)
            post[np.repeat(cursor[place], counts) + rank] = first_doc + (packed & mask).astype(np.int64)
            cursor[place] += counts
            path.unlink()
        post.flush()
        del post
        return distinct.astype(np.uint64), offsets


class _Readings:
    """Syllable numbers for pinyin, and the initials of every character met, filled as characters appear."""

    def __init__(self) -> None:
        self.syllables: dict[str, int] = {"": 0}
        self.chars: dict[str, list[str]] = {}  # every reading of every indexed character
        self.initials = np.zeros((0x110000, _INITIALS), dtype=np.int8)  # 1-based letter numbers
        self._runs: dict[str, array[int]] = {}

    def meet(self, text: str) -> None:
        for char in set(text) - self.chars.keys():
            if is_cjk(char):
                options = list(char_readings(char))
                self.chars[char] = options
                found = list(dict.fromkeys(r[0] for r in options if r and r[0] in LETTERS))[:_INITIALS]
                self.initials[ord(char), : len(found)] = [LETTERS.index(i) + 1 for i in found]

    def ids(self, text: str) -> array[int]:
        """The syllable number of each character of ``text`` read in its word (0: not a character)."""
        ids = array("H", bytes(2 * len(text)))
        for match in _CJK_RUN.finditer(text):
            run = match.group(0)
            numbers = self._runs.get(run)
            if numbers is None:
                numbers = array("H", (self.syllables.setdefault(r, len(self.syllables)) for r in run_readings(run)))
                if len(self._runs) < 500_000:  # news text repeats its phrases; bound the memo all the same
                    self._runs[run] = numbers
            ids[match.start() : match.end()] = numbers
        return ids


def build(docs: Iterable[SearchDoc], folder: Path, key: str) -> None:
    """Index ``docs`` into ``folder`` (replaced whole, atomically), under ``key``.

    Files are only ever written new in a staging folder, which is renamed into place: a file another process
    has memory-mapped is never truncated or rewritten (it would die of SIGBUS), only unlinked, and lives on
    until that process unmaps it."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        _Builder(staging).run(iter(docs))
        finish(staging, key)
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)
        try:
            staging.replace(folder)
        except OSError:
            if not (folder / "manifest.json").exists():
                raise
            shutil.rmtree(staging, ignore_errors=True)  # another process installed the same index first
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


class _Builder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        spill = folder / "spill"
        spill.mkdir()
        self.grams, self.initial, self.words = (_Spill(spill, name) for name in ("gram", "initial", "word"))
        self.readings = _Readings()
        self.word_ids: dict[str, int] = {}
        self.text_off, self.py_off = array("q", [0]), array("q", [0])
        self.values, self.value_docs = array("d"), array("q")
        self.categories: dict[str, dict[str, int]] = {name: {} for name in ("source", "topic", "scope", "metric")}
        self.columns: dict[str, array[int]] = {name: array("i") for name in ("source", "topic", "scope", "metric", "year")}
        self.size = 0

    def run(self, docs: Iterator[SearchDoc]) -> None:
        with open(self.folder / "text.bin", "wb") as text, open(self.folder / "py.bin", "wb") as py:
            while chunk := list(islice(docs, CHUNK)):
                self.chunk(chunk, text, py)
        self.write()

    def chunk(self, docs: list[SearchDoc], text: Any, py: Any) -> None:
        first = self.size
        owners = range(first, first + len(docs))
        folded = [[fold(field) for field in doc.fields] for doc in docs]
        for doc_fields in folded:
            blob = SEPARATOR.join(doc_fields).encode("utf-8")
            text.write(blob)
            self.text_off.append(self.text_off[-1] + len(blob))
        shown = [f[0] + SEPARATOR + f[1] for f in folded]  # statement and quote: what pinyin is matched against
        self.readings.meet("".join(shown))
        for line in shown:
            ids = self.readings.ids(line)
            py.write(ids.tobytes())
            self.py_off.append(self.py_off[-1] + len(ids))
        self.gram_pairs([SEPARATOR.join((f[0], f[1], f[3], f[4])) for f in folded], first)
        self.initial_pairs(shown, first)
        word_keys, word_docs = array("q"), array("q")
        for owner, doc_fields in zip(owners, folded, strict=True):
            for word in set(_WORD.findall(SEPARATOR.join(doc_fields))):
                word_keys.append(self.word_ids.setdefault(word, len(self.word_ids)))
                word_docs.append(owner)
        self.words.add(_ints(word_keys), _ints(word_docs), first)
        for owner, doc in zip(owners, docs, strict=True):
            for value in doc.values:
                self.values.append(value)
                self.value_docs.append(owner)
            for name in ("source", "topic", "scope", "metric"):
                value_name = getattr(doc, "topic_id" if name == "topic" else name)
                self.columns[name].append(self.categories[name].setdefault(value_name, len(self.categories[name])))
            self.columns["year"].append(doc.year)
        self.size += len(docs)

    def gram_pairs(self, texts: list[str], first: int) -> None:
        """Every indexed character alone and every pair of adjacent ones, as code points packed in one key."""
        points = np.frombuffer((SEPARATOR.join(texts) + SEPARATOR).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        owner = np.repeat(np.arange(first, first + len(texts), dtype=np.int64), [len(t) + 1 for t in texts])
        indexed = _indexed_mask(points)
        pair = indexed[:-1] & indexed[1:]
        keys = np.concatenate([points[indexed] << PAIR_SHIFT, (points[:-1][pair] << PAIR_SHIFT) | points[1:][pair]])
        self.grams.add(keys, np.concatenate([owner[indexed], owner[:-1][pair]]), first)

    def initial_pairs(self, texts: list[str], first: int) -> None:
        """The initials of every reading of each character, alone and in adjacent pairs: 农商行 gives n, s, h, x,
        ns, sh, sx."""
        points = np.frombuffer((SEPARATOR.join(texts) + SEPARATOR).encode("utf-32-le"), dtype=np.uint32)
        owner = np.repeat(np.arange(first, first + len(texts), dtype=np.int64), [len(t) + 1 for t in texts])
        found = self.readings.initials[points].astype(np.int64)
        keys, owners = [], []
        for k in range(_INITIALS):
            here = found[:, k] > 0
            keys.append(found[here, k] << 5)
            owners.append(owner[here])
            for m in range(_INITIALS):
                both = (found[:-1, k] > 0) & (found[1:, m] > 0)
                keys.append((found[:-1][both, k] << 5) | found[1:][both, m])
                owners.append(owner[:-1][both])
        self.initial.add(np.concatenate(keys), np.concatenate(owners), first)

    def write(self) -> None:
        folder = self.folder
        gram_codes, gram_off = self.grams.merge(folder / "gram_post.npy")
        initial_codes, initial_off = self.initial.merge(folder / "initial_post.npy")
        word_numbers, word_off = self.words.merge(folder / "word_post.npy")
        # Words were numbered as met; the vocabulary is stored sorted (prefix look-ups bisect it), so renumber.
        met = list(self.word_ids)
        words = [met[int(number)] for number in word_numbers]
        order = np.argsort(np.array(words, dtype=object), kind="stable") if words else np.empty(0, np.int64)
        word_post = np.load(folder / "word_post.npy", mmap_mode="r")
        sorted_post = np.lib.format.open_memmap(folder / "word_post.sorted.npy", mode="w+", dtype=np.uint32,
                                                shape=word_post.shape)  # fmt: skip
        sorted_off = np.zeros(len(words) + 1, dtype=np.int64)
        lengths = np.diff(word_off)[order]
        np.cumsum(lengths, out=sorted_off[1:])
        for new, old in enumerate(order.tolist()):
            sorted_post[sorted_off[new] : sorted_off[new + 1]] = word_post[word_off[old] : word_off[old + 1]]
        sorted_post.flush()
        del sorted_post, word_post
        (folder / "word_post.sorted.npy").replace(folder / "word_post.npy")
        values = np.frombuffer(self.values, dtype=np.float64) if self.values else np.empty(0, np.float64)
        value_order = np.argsort(values, kind="stable")
        arrays: dict[str, npt.NDArray[Any]] = {
            "text_off": _ints(self.text_off), "py_off": _ints(self.py_off),
            "gram_codes": gram_codes, "gram_off": gram_off, "initial_codes": initial_codes, "initial_off": initial_off,
            "word_off": sorted_off, "values": values[value_order],
            "value_docs": _ints(self.value_docs)[value_order].astype(np.uint32),
            **{f"doc_{name}": np.frombuffer(column, dtype=np.int32).copy() if column else np.empty(0, np.int32)
               for name, column in self.columns.items()},
        }  # fmt: skip
        for name, values_array in arrays.items():
            np.save(folder / f"{name}.npy", values_array, allow_pickle=False)
        shutil.rmtree(folder / "spill")
        syllables = sorted(self.readings.syllables, key=self.readings.syllables.__getitem__)
        vocab = {"size": self.size, "words": [words[i] for i in order.tolist()], "syllables": syllables,
                 "readings": self.readings.chars, **{f"{name}s": list(found) for name, found in self.categories.items()}}  # fmt: skip
        (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")


def _indexed_mask(points: I64) -> npt.NDArray[np.bool_]:
    """Which code points are indexed characters: CJK ideographs and ASCII digits (``is_indexed_char``)."""
    return (((points >= 0x3400) & (points <= 0x9FFF)) | ((points >= 0xF900) & (points <= 0xFAFF))
            | ((points >= 0x30) & (points <= 0x39)))  # fmt: skip


def _ints(values: array[int]) -> I64:
    return np.frombuffer(values, dtype=np.int64).copy() if len(values) else np.empty(0, np.int64)


assert all(is_indexed_char(chr(p)) for p in (0x3400, 0x9FFF, 0xF900, 0xFAFF, 0x30, 0x39))
