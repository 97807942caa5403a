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
        arrays: dict[str, Any] = {name: map_array(folder / f"{name}.npy") for name in ARRAYS}
        arrays.update({name: map_blob(folder / file, dtype) for name, (file, dtype) in BLOBS.items()})
        index = Index(size=int(vocab["size"]), words=vocab["words"], sources=vocab["sources"], topics=vocab["topics"],
                      scopes=vocab["scopes"], metrics=vocab["metrics"], syllables=vocab["syllables"],
                      readings=vocab["readings"], **arrays)  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return index if consistent(index) else None


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
    )  # fmt: skip
    return bool(fits)  # postings are checked as they are read (``Index._checked``): reading them all costs seconds
