"""The values the main screen's state is made of: what filters the results, and how many there are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Filter:
    """A filter chosen in the tree or the palette: ``topic:services``, ``source:grrb-20230918``, ``metric:…``."""

    query: str
    label: str  # what the reader chose, as the tree or the palette showed it


@dataclass(frozen=True)
class Counts:
    """How many results are shown, of how many that match (a lower bound when ``at_least``)."""

    shown: int
    total: int
    at_least: bool = False
    ignored: tuple[str, ...] = ()  # what was typed with nothing to search for (punctuation only)

    def describe(self) -> str:
        found = (f"{self.shown} of {self.total}{'+' if self.at_least else ''} facts" if self.total > self.shown
                 else f"{self.total} facts")  # fmt: skip
        if self.ignored:  # said, so that every fact listed is not taken for a match
            return f"nothing to search for in {' '.join(self.ignored)}; {found}"
        return found


class SharedState(Protocol):
    """What the app keeps for every screen: the reader's marks and citation style, and the one way to copy."""

    marks: tuple[str, ...]
    citation_style: str
    started: float  # time.perf_counter() when the app was made: start-up is timed from it

    def copy(self, text: str, what: str) -> None: ...
