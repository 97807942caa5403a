"""The one way into a data folder: ``Library.open(data_dir)``. The CLI, the app, every bench and the tests use it.

Opening takes the digest of every data file (reading only those changed since the last opening); when the
compiled corpus for those digests is in the cache it is memory-mapped and the library is ready, whatever the
corpus's size. Otherwise the folder is compiled (``corpus.compile``),
remaking only the files that changed, and the result is cached. What is costly and not always needed (the search
indexes, comparisons across sources) is made on first use and kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from unionbrowse.corpus.compile import compile_folder, corpus_key
from unionbrowse.corpus.folder import DataFolder
from unionbrowse.corpus.model import Corpus, Fact
from unionbrowse.corpus.problems import Problem
from unionbrowse.corpus.store import install, open_store
from unionbrowse.corpus.units import Units
from unionbrowse.files import write_atomically
from unionbrowse.locations import cache_root
from unionbrowse.reports.compare import Comparison, Difference, compare_metric
from unionbrowse.search.finder import FactFinder, PassageFinder

Progress = Callable[[str], None]
KEEP_STORES = 2  # compiled corpora kept per data folder: the current one and the one before


class LibraryError(Exception):
    """The data folder cannot be opened at all (missing, not a folder); said so that a person can act."""


def _quiet(step: str) -> None:
    pass


@dataclass
class Library:
    data_dir: Path
    corpus: Corpus
    problems: list[Problem]
    key: str  # digest of every data file and of the program that compiled them
    cache: Path  # where the compiled corpus and the indexes are kept: a temporary folder if the cache is read-only
    timings: dict[str, float] = field(default_factory=dict)  # seconds per opening step, for start-up logs
    _scratch: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)
    _comparisons: dict[str, Comparison] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def open(cls, data_dir: Path | None, *, cache: Path | None = None, progress: Progress | None = None) -> Library:
        """Open ``data_dir`` (compiling it if its compiled form is not cached). ``cache`` overrides the cache
        folder (``locations.cache_root``). Bad data never raises: it becomes ``problems``; only a folder that is
        not there raises :class:`LibraryError`."""
        report = progress or _quiet
        if data_dir is None:
            raise LibraryError("no data folder found; pass --data DIR or set UNIONBROWSE_DATA")
        folder = DataFolder(data_dir)
        if not folder.exists():
            raise LibraryError(f"data folder {data_dir} does not exist")
        clock = _Clock()
        report("reading the data folder")
        root = _writable(cache or cache_root())
        inventory = _inventory(folder, root)
        key = corpus_key(inventory)
        clock.lap("digest")
        scratch = None
        if root is None:  # nowhere to keep it: compile into a folder that lives as long as the library
            scratch = tempfile.TemporaryDirectory(prefix="unionbrowse-")
        store_root = root or Path(scratch.name)  # type: ignore[union-attr]
        store = store_root / f"corpus-{key[:24]}"
        opened = open_store(store, key)
        if opened is None:
            units = Units(store_root / "units" if root is not None else None)
            try:
                install(compile_folder(folder, inventory, units, store_root, key, report), store)
            except OSError as error:  # the cache, not the data: a full or vanished disk
                raise LibraryError(f"the compiled corpus could not be written in {store_root}: {error.strerror}; "
                                   "free some space or set UNIONBROWSE_CACHE") from error  # fmt: skip
            clock.lap("compile")
            opened = open_store(store, key)
            if opened is None:
                raise LibraryError(f"the compiled corpus in {store} could not be read back; is the disk full?")
            if root is not None:
                _prune(root, store, data_dir)
                units.prune(used for other in _stores(root) for used in _units_of(other))
        clock.lap("open")
        return cls(data_dir, opened.corpus, opened.problems, key, store_root, clock.laps, scratch)

    @property
    def cache_is_temporary(self) -> bool:
        """The cache folder could not be written: everything lives in a temporary folder, gone at exit."""
        return self._scratch is not None

    # --- problems -----------------------------------------------------------------------------------------

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "warning"]

    # --- look-ups -----------------------------------------------------------------------------------------

    def fact(self, fact_id: str) -> Fact | None:
        return self.corpus.fact(fact_id)

    # --- search -------------------------------------------------------------------------------------------

    @cached_property
    def fact_finder(self) -> FactFinder:
        """Search over the facts; its index is built on first use if it is not cached."""
        return FactFinder(self.corpus, self.key, self.cache)

    @cached_property
    def passage_finder(self) -> PassageFinder:
        """Full-text search over the sentences of the sources."""
        return PassageFinder(self.corpus, self.key, self.cache)

    # --- comparisons --------------------------------------------------------------------------------------

    def comparison(self, metric: str | None) -> Comparison | None:
        """The metric across sources (None for an unknown metric); ``Comparison.is_shared`` when two or more
        sources report it."""
        if not metric or metric not in self.corpus.metrics:
            return None
        with self._lock:  # the app asks from a worker and from the screen
            found = self._comparisons.get(metric)
            if found is None:
                found = self._comparisons[metric] = compare_metric(self.corpus, metric)
        return found

    def comparisons(self) -> Iterator[Comparison]:
        """Every metric two or more sources report, by key."""
        for key in self.corpus.shared_metrics():
            found = self.comparison(key)
            assert found is not None
            yield found

    def conflicted_metrics(self) -> frozenset[str]:
        """The metrics with a conflict between sources. Finding them reads every fact that has a metric, so it is
        done once per compiled corpus and kept beside it."""
        kept = self.cache / f"corpus-{self.key[:24]}" / "conflicts.json"
        try:
            data = json.loads(kept.read_text(encoding="utf-8"))
            if data.get("key") == self.key and isinstance(data.get("metrics"), list):
                return frozenset(str(metric) for metric in data["metrics"])
        except (OSError, ValueError, AttributeError):
            pass  # not worked out yet, or unreadable: work it out again
        # Each comparison is made and dropped: keeping them all would hold every fact of the corpus.
        found = frozenset(key for key in self.corpus.shared_metrics()
                          if compare_metric(self.corpus, key).has_conflict)  # fmt: skip
        with contextlib.suppress(OSError):
            write_atomically(kept, json.dumps({"key": self.key, "metrics": sorted(found)}, ensure_ascii=False))
        return found

    def also_reported(self, fact: Fact) -> list[Difference]:
        """How each other source reports this fact's metric, and how it differs: for the fact card."""
        comparison = self.comparison(fact.metric) if fact.figure is not None else None
        return comparison.differences_with(fact) if comparison is not None else []


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now


def _inventory(folder: DataFolder, root: Path | None) -> dict[str, str]:
    """The digest of every data file, reusing those recorded last time for files that have not changed."""
    kept = None
    if root is not None:
        name = hashlib.sha256(str(folder.root.resolve()).encode()).hexdigest()[:24]
        kept = root / "inventories" / f"{name}.json"
    known: dict[str, list[Any]] = {}
    if kept is not None:
        with contextlib.suppress(OSError, ValueError):
            loaded = json.loads(kept.read_text(encoding="utf-8"))
            known = loaded if isinstance(loaded, dict) else {}
    try:
        digests, records = folder.inventory(known)
    except (TypeError, ValueError, IndexError):  # a record of another shape: hash everything again
        digests, records = folder.inventory()
    if kept is not None and records != known:
        with contextlib.suppress(OSError):
            write_atomically(kept, json.dumps(records))
    return digests


def _writable(root: Path) -> Path | None:
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=root, prefix=".probe-")  # noqa: SIM115 - removed on close
        probe.close()
    except OSError:
        return None
    return root


def _stores(root: Path) -> list[Path]:
    return [path for path in root.glob("corpus-*") if path.is_dir()]


def _manifest(store: Path) -> dict[str, object]:
    try:
        data = json.loads((store / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _units_of(store: Path) -> list[str]:
    try:
        contents = json.loads((store / "contents.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    units = contents.get("units", []) if isinstance(contents, dict) else []
    return [unit for unit in units if isinstance(unit, str)]


def _prune(root: Path, current: Path, data_dir: Path) -> None:
    """Keep the newest compiled corpora of this data folder, and drop those of folders that are gone."""
    mine = []
    for store in _stores(root):
        if store == current:
            continue
        origin = _manifest(store).get("data_dir")
        if not isinstance(origin, str) or not Path(origin).is_dir():
            shutil.rmtree(store, ignore_errors=True)
        elif Path(origin) == data_dir.resolve():
            mine.append(store)
    mine.sort(key=lambda path: path.stat().st_mtime, reverse=True)
    for stale in mine[KEEP_STORES - 1 :]:
        shutil.rmtree(stale, ignore_errors=True)
