"""Messages about the library and the search, named for what happened; sent by workers to the main screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the core (numpy, the engine) loads in the worker, after the first frame
    from unionbrowse.library import Library
    from unionbrowse.search.finder import FactResults



@dataclass
class LoadProgressed(Message):
    """The library is still loading: what it is doing now."""

    step: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LoadProgressed)


@dataclass
class LibraryOpened(Message):
    """The library is open and its search index ready."""

    library: Library


@dataclass
class LibraryUnavailable(Message):
    """There is no library to open (no data folder): why, in words for the reader."""

    reason: str


@dataclass
class ResultsFound(Message):
    """A search finished: the query it was for, and what it found."""

    query: str
    results: FactResults


@dataclass
class ConflictsFound(Message):
    """The metrics whose reports conflict, found after start-up for the tree to mark."""

    metrics: frozenset[str]
