"""The index on disk: a folder of arrays and a vocabulary, with a manifest naming its key and every file's size,
time and checksum (``corpus.manifest``); opened by memory-mapping. A folder that is not whole, not the one asked
for, or damaged is never used.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from unionbrowse.corpus.manifest import map_array, map_blob, read_manifest, write_manifest
from unionbrowse.search.index import VERSION, Index

ARRAYS = ("text_off", "gram_codes", "gram_off", "gram_post", "initial_codes", "initial_off", "initial_post",
          "word_off", "word_post", "values", "value_docs", "doc_source", "doc_year", "doc_topic", "doc_scope",
          "doc_metric", "py_off")  # fmt: skip
BLOBS: dict[str, tuple[str, type[np.generic]]] = {"text": ("text.bin", np.uint8), "py_syl": ("py.bin", np.uint16)}


def finish(folder: Path, key: str) -> None:
    """Write the manifest of a built index: written last, so an index without one was never finished."""
    write_manifest(folder, version=VERSION, key=key)


def load(folder: Path, key: str) -> Index | None:
    """The index in ``folder``, or None if it is missing, stale or damaged in any way: never trusted half-read."""
    if read_manifest(folder, version=VERSION, key=key) is None:
        return None
    try:
        vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        if not _vocab_fits(vocab):
            return None
        arrays: dict[str, Any] = {name: map_array(folder / f"{name}.npy") for name in ARRAYS}
        arrays.update({name: map_blob(folder / file, dtype) for name, (file, dtype) in BLOBS.items()})
        if not all(arrays[name].ndim == 1 and arrays[name].dtype.kind in "iuf" for name in ARRAYS):
            return None
        index = Index(size=vocab["size"], words=vocab["words"], sources=vocab["sources"], topics=vocab["topics"],
                      scopes=vocab["scopes"], metrics=vocab["metrics"], syllables=vocab["syllables"],
                      readings=vocab["readings"], **arrays)  # fmt: skip
        return index if consistent(index) else None
    except (OSError, ValueError, KeyError, TypeError, IndexError, RecursionError):
        return None


def _vocab_fits(vocab: Any) -> bool:
    """The vocabulary has the shape ``index_writer`` gives it: a whole-number size, lists of text (sources and
    the other categories may hold null: a document without one), and every character's readings as text."""

    def texts(value: Any, nullable: bool = False) -> bool:
        return isinstance(value, list) and all(isinstance(item, str) or (nullable and item is None) for item in value)

    if not isinstance(vocab, dict):
        return False
    readings = vocab.get("readings")
    return (
        isinstance(vocab.get("size"), int) and not isinstance(vocab["size"], bool) and vocab["size"] >= 0
        and texts(vocab.get("words")) and texts(vocab.get("syllables"))
        and all(texts(vocab.get(name), nullable=True) for name in ("sources", "topics", "scopes", "metrics"))
        and isinstance(readings, dict) and all(texts(found) for found in readings.values())
    )  # fmt: skip


def consistent(index: Index) -> bool:
    """The arrays fit one another: every offset points inside what it indexes."""
    size = index.size
    fits = (
        len(index.text_off) == size + 1 and int(index.text_off[-1]) == len(index.text)
        and len(index.py_off) == size + 1 and int(index.py_off[-1]) == len(index.py_syl)
        and len(index.gram_off) == len(index.gram_codes) + 1 and int(index.gram_off[-1]) == len(index.gram_post)
        and len(index.initial_off) == len(index.initial_codes) + 1
        and int(index.initial_off[-1]) == len(index.initial_post)
        and len(index.word_off) == len(index.words) + 1 and int(index.word_off[-1]) == len(index.word_post)
        and len(index.values) == len(index.value_docs)
        and all(len(column) == size for column in (index.doc_source, index.doc_year, index.doc_topic,
                                                   index.doc_scope, index.doc_metric))
        and all(_within(column, len(names)) for column, names in ((index.doc_source, index.sources),
                (index.doc_topic, index.topics), (index.doc_scope, index.scopes), (index.doc_metric, index.metrics)))
    )  # fmt: skip
    # Postings, text and readings are checked as they are read (``Index._checked``): reading them all costs
    # seconds; the columns above are one small number per document.
    return bool(fits)


def _within(column: Any, count: int) -> bool:
    """Every category number in ``column`` names one of ``count`` categories."""
    return len(column) == 0 or (int(column.min()) >= 0 and int(column.max()) < count)
