"""The compiled corpus: a folder of flat arrays and JSON, memory-mapped, so a corpus of any size opens at once.

What parsing and validating a data folder produced is written here once (``corpus.compile``) and read at every
start: topics, metrics and source records as JSON; the clean texts and the fact records as byte blobs with offsets;
and columns (each fact's source, topic and metric) with the orderings that answer look-ups by id, by source and
by metric without making a single :class:`Fact`. Facts are made from their records when asked for.

Files are written into a staging folder renamed into place, and every file's size, time and CRC-32 is recorded
(``manifest.py``), so a damaged or half-written store is never trusted: ``open_store`` returns None and the
corpus is compiled again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from unionbrowse.corpus.manifest import map_array, map_blob, read_manifest, write_manifest
from unionbrowse.corpus.model import Corpus, Fact, Metric, Quantity, Source, Span, Topic
from unionbrowse.corpus.problems import Problem

FORMAT = 1
_ARRAYS = ("text_blob", "text_off", "fact_blob", "fact_off", "fact_source", "fact_topic", "fact_metric", "id_hash",
           "id_rows", "metric_rows", "metric_off", "source_off")  # fmt: skip
Array = npt.NDArray[Any]


def id_hash(fact_id: str) -> int:
    """A fact id as a 64-bit number: look-ups binary-search a sorted array of these (collisions are checked)."""
    return int.from_bytes(hashlib.blake2b(fact_id.encode("utf-8"), digest_size=8).digest(), "little")


def topics_as_json(topics: Iterable[Topic]) -> list[list[Any]]:
    return [[t.id, t.zh, t.en, t.parent] for t in topics]


def topics_from_json(rows: list[list[Any]]) -> list[Topic]:
    return [Topic(*row) for row in rows]


def metrics_as_json(metrics: Iterable[Metric]) -> list[list[Any]]:
    return [[m.key, m.zh, m.en, m.unit, list(m.distinct_from), m.line] for m in metrics]


def metrics_from_json(rows: list[list[Any]]) -> list[Metric]:
    return [Metric(key, zh, en, unit, tuple(distinct), line) for key, zh, en, unit, distinct, line in rows]


def problems_as_json(problems: Iterable[Problem]) -> list[list[Any]]:
    return [[p.file, p.line, p.message, p.fix, p.severity] for p in problems]


def problems_from_json(rows: list[list[Any]]) -> list[Problem]:
    return [Problem(*row) for row in rows]


@dataclass
class StoreContents:
    """Everything a compiled corpus holds besides its blobs and columns: the small part, kept as JSON."""

    topics: list[Topic]
    metrics: list[Metric]
    sources: list[dict[str, Any]]  # Source fields without the text
    not_figures: dict[str, list[list[int]]]
    problems: list[Problem]
    units: list[str]  # the compile units it was assembled from, so pruning keeps them

    def as_json(self) -> dict[str, Any]:
        return {"topics": topics_as_json(self.topics), "metrics": metrics_as_json(self.metrics),
                "sources": self.sources, "not_figures": self.not_figures,
                "problems": problems_as_json(self.problems), "units": self.units}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoreContents:
        return cls(topics_from_json(data["topics"]), metrics_from_json(data["metrics"]), data["sources"],
                   data["not_figures"], problems_from_json(data["problems"]), data["units"])  # fmt: skip


class StoreWriter:
    """Writes a store into a staging folder: the texts, then fact records one at a time, in reading order."""

    def __init__(self, parent: Path) -> None:
        parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(dir=parent, prefix=".corpus-"))
        self._facts = open(self.staging / "fact_blob.bin", "wb")  # noqa: SIM115 - closed in finish()
        self._fact_off = [0]
        self._columns: dict[str, list[int]] = {"fact_source": [], "fact_topic": [], "fact_metric": []}
        self._hashes: list[int] = []

    def add_fact(self, record: bytes, fact_id: str, source: int, topic: int, metric: int) -> None:
        """One fact: its record (a JSON list, one line) and its source, topic and metric numbers (-1: none)."""
        self._facts.write(record)
        self._fact_off.append(self._fact_off[-1] + len(record))
        self._columns["fact_source"].append(source)
        self._columns["fact_topic"].append(topic)
        self._columns["fact_metric"].append(metric)
        self._hashes.append(id_hash(fact_id))

    def finish(self, contents: StoreContents, texts: Iterable[str], key: str, data_dir: Path) -> Path:
        """Write the rest and the manifest; return the staging folder, ready to be renamed into place."""
        self._facts.close()
        encoded = [text.encode("utf-8") for text in texts]
        arrays: dict[str, Array] = {
            "text_off": _offsets([len(blob) for blob in encoded]),
            "fact_off": np.array(self._fact_off, dtype=np.int64),
            **{name: np.array(values, dtype=np.int32) for name, values in self._columns.items()},
        }
        (self.staging / "text_blob.bin").write_bytes(b"".join(encoded))
        hashes = np.array(self._hashes, dtype=np.uint64)
        order = np.argsort(hashes, kind="stable")
        arrays["id_hash"], arrays["id_rows"] = hashes[order], order.astype(np.int32)
        metric = arrays["fact_metric"]
        measured = np.flatnonzero(metric >= 0)
        arrays["metric_rows"] = measured[np.argsort(metric[measured], kind="stable")].astype(np.int32)
        arrays["metric_off"] = _offsets(np.bincount(metric[measured], minlength=len(contents.metrics)).tolist())
        arrays["source_off"] = _offsets(np.bincount(arrays["fact_source"], minlength=len(contents.sources)).tolist())
        for name, array in arrays.items():
            np.save(self.staging / f"{name}.npy", array, allow_pickle=False)
        (self.staging / "contents.json").write_text(json.dumps(contents.as_json(), ensure_ascii=False), "utf-8")
        write_manifest(self.staging, format=FORMAT, key=key, data_dir=str(data_dir.resolve()),
                       facts=len(self._fact_off) - 1)  # fmt: skip
        return self.staging

    def abandon(self) -> None:
        self._facts.close()
        shutil.rmtree(self.staging, ignore_errors=True)


def install(staging: Path, folder: Path) -> Path:
    """Rename a finished staging folder into place (another process may have done so first: either is whole)."""
    if folder.exists():
        shutil.rmtree(folder, ignore_errors=True)
    try:
        os.replace(staging, folder)
    except OSError:
        if not (folder / "manifest.json").exists():
            raise
        shutil.rmtree(staging, ignore_errors=True)
    return folder


@dataclass
class Opened:
    corpus: Corpus
    problems: list[Problem]
    units: list[str]


def open_store(folder: Path, key: str) -> Opened | None:
    """The store in ``folder`` if it is whole and is the one for ``key``; None if missing, stale or damaged."""
    manifest = read_manifest(folder, format=FORMAT, key=key)
    if manifest is None:
        return None
    try:
        contents = StoreContents.from_json(json.loads((folder / "contents.json").read_text(encoding="utf-8")))
        arrays = {name: map_blob(folder / f"{name}.bin", np.uint8) if name.endswith("_blob")
                  else map_array(folder / f"{name}.npy") for name in _ARRAYS}  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not _consistent(arrays, contents, int(manifest["facts"])):
        return None
    return Opened(_corpus(contents, arrays), contents.problems, contents.units)


def _consistent(arrays: Mapping[str, Array], contents: StoreContents, facts: int) -> bool:
    """The arrays fit one another: every offset and number points inside what it indexes."""

    def size(name: str) -> int:
        return len(arrays[name])

    offsets_fit = all(
        size(off) == count + 1 and (count == 0 or (arrays[off][0] == 0 and int(arrays[off][-1]) == size(blob)))
        for off, blob, count in (("text_off", "text_blob", len(contents.sources)), ("fact_off", "fact_blob", facts))
    )  # fmt: skip
    columns_fit = all(size(name) == facts for name in ("fact_source", "fact_topic", "fact_metric", "id_hash", "id_rows"))
    return bool(
        offsets_fit and columns_fit
        and size("source_off") == len(contents.sources) + 1 and size("metric_off") == len(contents.metrics) + 1
        and (facts == 0 or (arrays["fact_source"].min() >= 0 and arrays["fact_source"].max() < len(contents.sources)
                            and arrays["fact_topic"].min() >= 0 and arrays["fact_topic"].max() < len(contents.topics)
                            and arrays["fact_metric"].max() < len(contents.metrics)))
    )  # fmt: skip


def _corpus(contents: StoreContents, arrays: Mapping[str, Array]) -> Corpus:
    text_blob, text_off = arrays["text_blob"], arrays["text_off"]

    def reader(row: int) -> Callable[[], str]:
        return lambda: bytes(text_blob[int(text_off[row]) : int(text_off[row + 1])]).decode("utf-8")

    sources = {fields["id"]: _source(fields, reader(row)) for row, fields in enumerate(contents.sources)}
    topics = {topic.id: topic for topic in contents.topics}
    metrics = {metric.key: metric for metric in contents.metrics}
    table = StoredFacts(arrays, list(sources.values()), contents.topics, [m.key for m in contents.metrics])
    not_figures = {sid: [Span(start, end) for start, end in spans] for sid, spans in contents.not_figures.items()}
    return Corpus(sources, topics, metrics, table, not_figures)


def _source(fields: dict[str, Any], body: Callable[[], str]) -> Source:
    tuples = {name: tuple(fields[name]) for name in ("authors", "editors", "notes")}
    return Source(**{**fields, **tuples}, body=body)


class StoredFacts:
    """The facts of a compiled corpus: a :class:`~unionbrowse.corpus.model.FactTable` over its arrays."""

    def __init__(self, arrays: Mapping[str, Array], sources: list[Source], topics: list[Topic],
                 metric_keys: list[str]) -> None:  # fmt: skip
        self._a = arrays
        self._sources = sources
        self._source_rows = {source.id: row for row, source in enumerate(sources)}
        self._topics = topics
        self._metric_keys = metric_keys
        self._metric_rows = {key: row for row, key in enumerate(metric_keys)}
        self._size = len(arrays["fact_off"]) - 1

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, row: int) -> Fact: ...

    @overload
    def __getitem__(self, row: slice) -> Sequence[Fact]: ...

    def __getitem__(self, row: int | slice) -> Fact | Sequence[Fact]:
        if isinstance(row, slice):
            return [self._make(number) for number in range(*row.indices(self._size))]
        if row < 0:
            row += self._size
        if not 0 <= row < self._size:
            raise IndexError(row)
        return self._make(row)

    def __iter__(self) -> Iterator[Fact]:
        for row in range(self._size):
            yield self._make(row)

    def _record(self, row: int) -> list[Any]:
        start, end = int(self._a["fact_off"][row]), int(self._a["fact_off"][row + 1])
        return json.loads(bytes(self._a["fact_blob"][start:end]))  # type: ignore[no-any-return]

    def _make(self, row: int) -> Fact:
        (fact_id, statement, en, quote, start, end, quantities, period, scope, actor, metric, _topic, _source, file,
         line) = self._record(row)  # fmt: skip
        return Fact(
            id=fact_id, source=self._sources[int(self._a["fact_source"][row])],
            topic=self._topics[int(self._a["fact_topic"][row])], statement=statement, en=en, quote=quote,
            span=Span(start, end), quantities=tuple(Quantity(*q) for q in quantities), period=period, scope=scope,
            actor=actor, metric=metric, file=file, line=line,
        )  # fmt: skip

    # --- look-ups ---------------------------------------------------------------------------------------

    def row_of(self, fact_id: str) -> int | None:
        hashes = self._a["id_hash"]
        wanted = np.uint64(id_hash(fact_id))
        low, high = int(np.searchsorted(hashes, wanted, "left")), int(np.searchsorted(hashes, wanted, "right"))
        for row in self._a["id_rows"][low:high].tolist():
            if self._record(row)[0] == fact_id:
                return int(row)
        return None

    def rows_of_source(self, source_id: str) -> range:
        row = self._source_rows.get(source_id)
        if row is None:
            return range(0)
        return range(int(self._a["source_off"][row]), int(self._a["source_off"][row + 1]))

    def rows_measuring(self, metric: str) -> Sequence[int]:
        row = self._metric_rows.get(metric)
        if row is None:
            return []
        off = self._a["metric_off"]
        return self._a["metric_rows"][int(off[row]) : int(off[row + 1])].tolist()  # type: ignore[no-any-return]

    def sources_reporting(self, metric: str) -> list[str]:
        rows = np.asarray(self.rows_measuring(metric), dtype=np.int64)
        numbers = np.unique(self._a["fact_source"][rows]).tolist() if len(rows) else []
        return [self._sources[number].id for number in numbers]

    def count_by_topic(self) -> dict[str, int]:
        counts = np.bincount(self._a["fact_topic"], minlength=len(self._topics))
        return {topic.id: int(count) for topic, count in zip(self._topics, counts.tolist(), strict=True) if count}

    def count_by_source(self) -> dict[str, int]:
        counts = np.diff(self._a["source_off"]).tolist()
        return {source.id: int(count) for source, count in zip(self._sources, counts, strict=True)}

    def sources_by_metric(self) -> dict[str, int]:
        return self._sources_by_metric

    @cached_property
    def _sources_by_metric(self) -> dict[str, int]:
        # Sorts a pair for every fact that has a metric: the tree, the audit and every comparison ask for it,
        # and the facts never change, so it is worked out once.
        metric, source = self._a["fact_metric"], self._a["fact_source"]
        measured = metric >= 0
        pairs = metric[measured].astype(np.int64) * max(1, len(self._sources)) + source[measured]
        pairs.sort()
        distinct = pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if len(pairs) else pairs
        counts = np.bincount(distinct // max(1, len(self._sources)), minlength=len(self._metric_keys))
        return {key: int(count) for key, count in zip(self._metric_keys, counts.tolist(), strict=True) if count}


def _offsets(lengths: list[int]) -> npt.NDArray[np.int64]:
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(np.array(lengths, dtype=np.int64), out=offsets[1:])
    return offsets
