"""Search a loaded corpus: its facts, or the passages of its sources, through a cached index."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from unionbrowse.corpus.model import Corpus, Fact
from unionbrowse.search import index as index_store
from unionbrowse.search.documents import SEPARATOR, Passage, SearchDoc, fact_doc, passage_doc, passages
from unionbrowse.search.engine import Engine, Hit, Results

CACHE_ENV = "UNIONBROWSE_CACHE"


def cache_root() -> Path:
    """The index cache: $UNIONBROWSE_CACHE, else the user cache folder (platformdirs)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("unionbrowse", appauthor=False)) / "index"


def content_key(docs: Sequence[SearchDoc]) -> str:
    """A digest of everything the index holds: a changed fact or source gives a new index."""
    digest = hashlib.sha256(f"unionbrowse-index-{index_store.VERSION}".encode())
    for doc in docs:
        digest.update(SEPARATOR.join((*doc.fields, repr(doc.values), doc.source, str(doc.year), doc.topic_id,
                                      doc.scope, doc.metric)).encode("utf-8"))  # fmt: skip
        digest.update(b"\x1e")
    return digest.hexdigest()


def open_index(docs: Sequence[SearchDoc], kind: str, root: Path | None = None) -> index_store.Index:
    """Load the cached index for ``docs`` or build it and try to cache it (a read-only cache is no error)."""
    key = content_key(docs)
    folder = (root or cache_root()) / f"{kind}-{key[:24]}"
    cached = index_store.load(folder, key)
    if cached is not None:
        return cached
    built = index_store.build(docs)
    try:
        index_store.save(built, folder, key)
        _prune(folder, kind)
    except OSError:
        pass  # a read-only or full cache folder costs a rebuild next time, nothing more
    return built


def _prune(current: Path, kind: str, keep: int = 2) -> None:
    """Drop older indexes of the same kind: each edit of the data leaves one behind."""
    siblings = sorted(current.parent.glob(f"{kind}-*"), key=lambda path: path.stat().st_mtime, reverse=True)
    for stale in [path for path in siblings if path != current][keep - 1 :]:
        shutil.rmtree(stale, ignore_errors=True)


@dataclass(frozen=True)
class FactHit:
    fact: Fact
    score: float
    field: str
    matches: dict[str, list[tuple[int, int]]]  # statement and quote spans, each relative to its own text


@dataclass(frozen=True)
class FactResults:
    hits: list[FactHit]
    total: int
    at_least: bool  # a very broad query on a very large corpus: total is a lower bound


@dataclass(frozen=True)
class PassageHit:
    passage: Passage
    score: float
    matches: list[tuple[int, int]]  # relative to the passage text


class FactFinder:
    def __init__(self, corpus: Corpus, root: Path | None = None) -> None:
        self.corpus = corpus
        docs = [fact_doc(fact, corpus) for fact in corpus.facts]
        self.engine = Engine(open_index(docs, "facts", root), **_labels(corpus))

    def search(self, query: str, limit: int | None = 20) -> tuple[list[FactHit], int]:
        found = self.results(query, limit)
        return found.hits, found.total

    def results(self, query: str, limit: int | None = 20) -> FactResults:
        results = self.engine.search(query, limit)
        return FactResults([self._hit(hit) for hit in results.hits], results.total, results.at_least)

    def _hit(self, hit: Hit) -> FactHit:
        matches = {name: hit.highlights.get(name, []) for name in ("statement", "quote")}
        return FactHit(self.corpus.facts[hit.doc], hit.score, hit.field, matches)


class PassageFinder:
    def __init__(self, corpus: Corpus, root: Path | None = None) -> None:
        self.passages = [passage for source in corpus.sources.values() for passage in passages(source)]
        docs = [passage_doc(passage) for passage in self.passages]
        self.engine = Engine(open_index(docs, "passages", root), **_labels(corpus))

    def search(self, query: str, limit: int | None = 20) -> tuple[list[PassageHit], int]:
        results: Results = self.engine.search(query, limit)
        hits = [PassageHit(self.passages[h.doc], h.score, h.highlights.get("statement", [])) for h in results.hits]
        return hits, results.total


def _labels(corpus: Corpus) -> dict[str, dict[str, str]]:
    sources = {s.id: " ".join(p for p in (s.outlet, s.title, s.found_at) if p) for s in corpus.sources.values()}
    topics = {
        topic_id: " ".join(f"{t.zh} {t.en}" for t in corpus.topic_path(topic_id)) for topic_id in corpus.topics
    }
    return {"source_labels": sources, "topic_labels": topics}
