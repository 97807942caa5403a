"""Search a loaded corpus: its facts, or the passages of its sources, through a cached index.

The index is keyed by the compiled corpus's key (itself a digest of every data file) and the code that builds
indexes, so opening it never needs the documents: they are made only when the index has to be built.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from unionbrowse.corpus.model import Corpus, Fact, Passage
from unionbrowse.search import index_store
from unionbrowse.search.documents import SearchDoc, fact_doc, passage_doc, passages
from unionbrowse.search.engine import Engine, Hit, Results
from unionbrowse.search.index import VERSION, DamagedIndex, Index
from unionbrowse.search.index_writer import build


@functools.cache
def _code() -> str:
    """The code that decides what an index holds: a change to it builds new indexes."""
    hasher = hashlib.sha256(f"index-{VERSION}".encode())
    for folder in (Path(__file__).parent, Path(__file__).parent.parent / "corpus"):
        for path in sorted(folder.glob("*.py")):
            hasher.update(path.read_bytes())
    return hasher.hexdigest()[:16]


def index_key(corpus_key: str, kind: str) -> str:
    return hashlib.sha256(f"{_code()}:{kind}:{corpus_key}".encode()).hexdigest()


def open_index(make_docs: Callable[[], Iterable[SearchDoc]], kind: str, key: str, root: Path) -> Index:
    """The cached index for ``key`` under ``root``, or one built there from ``make_docs()`` (documents are made
    one at a time while building, never all held at once)."""
    folder = index_folder(root, kind, key)
    cached = index_store.load(folder, key)
    if cached is not None:
        return cached
    build(make_docs(), folder, key)
    built = index_store.load(folder, key)
    if built is None:
        raise OSError(f"the index just built in {folder} cannot be read back")
    _prune(folder, kind)
    return built


def index_folder(root: Path, kind: str, key: str) -> Path:
    return root / f"{kind}-{key[:24]}"


def _guarded(engine: Engine, folder: Path, query: str, limit: int | None) -> Results:
    """Search; an index found damaged while it is read is removed, so that the next start builds it again."""
    try:
        return engine.search(query, limit)
    # IndexError: a number in the index pointing past its list; UnicodeDecodeError: text cut mid-character.
    except (DamagedIndex, IndexError, UnicodeDecodeError) as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise DamagedIndex(f"the search index in {folder} is damaged ({error}); it was removed and will be "
                           "built again at the next start") from None


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
    def __init__(self, corpus: Corpus, corpus_key: str, root: Path) -> None:
        self.corpus = corpus
        key = index_key(corpus_key, "facts")
        self.folder = index_folder(root, "facts", key)
        index = open_index(lambda: (fact_doc(fact, corpus) for fact in corpus.facts), "facts", key, root)
        self.engine = Engine(index, **_labels(corpus))

    def search(self, query: str, limit: int | None = 20) -> tuple[list[FactHit], int]:
        found = self.results(query, limit)
        return found.hits, found.total

    def results(self, query: str, limit: int | None = 20) -> FactResults:
        results = _guarded(self.engine, self.folder, query, limit)
        return FactResults([self._hit(hit) for hit in results.hits], results.total, results.at_least)

    def _hit(self, hit: Hit) -> FactHit:
        matches = {name: hit.highlights.get(name, []) for name in ("statement", "quote")}
        return FactHit(self.corpus.facts[hit.doc], hit.score, hit.field, matches)


class PassageFinder:
    def __init__(self, corpus: Corpus, corpus_key: str, root: Path) -> None:
        self.passages = [passage for source in corpus.sources.values() for passage in passages(source)]
        key = index_key(corpus_key, "passages")
        self.folder = index_folder(root, "passages", key)
        index = open_index(lambda: (passage_doc(passage) for passage in self.passages), "passages", key, root)
        self.engine = Engine(index, **_labels(corpus))

    def search(self, query: str, limit: int | None = 20) -> tuple[list[PassageHit], int]:
        results: Results = _guarded(self.engine, self.folder, query, limit)
        hits = [PassageHit(self.passages[h.doc], h.score, h.highlights.get("statement", [])) for h in results.hits]
        return hits, results.total


def _labels(corpus: Corpus) -> dict[str, dict[str, str]]:
    sources = {s.id: " ".join(p for p in (s.outlet, s.title, s.found_at) if p) for s in corpus.sources.values()}
    topics = {
        topic_id: " ".join(f"{t.zh} {t.en}" for t in corpus.topic_path(topic_id)) for topic_id in corpus.topics
    }
    return {"source_labels": sources, "topic_labels": topics}
