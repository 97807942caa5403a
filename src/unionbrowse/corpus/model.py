"""The domain: sources, facts, quantities, topics, metrics, and the corpus that holds them in reading order.

Values are frozen, so every view can share them safely. A corpus may hold a million facts: it keeps them in a
:class:`FactTable` that makes a :class:`Fact` only when one is asked for, and answers look-ups (by id, by source,
by metric) and counts from its columns without making any.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol, overload

UNKNOWN_OUTLET = "报纸名不详"  # the page does not say which paper printed it


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` into a source's clean text."""

    start: int
    end: int

    def as_list(self) -> list[int]:
        return [self.start, self.end]


@dataclass(frozen=True)
class Quantity:
    """A figure as written (``350.8萬人次``) and as a number (3508000, unit 人次)."""

    value: float
    unit: str
    text: str
    qualifier: str | None = None

    def describe(self) -> str:
        """``9700余萬元 = 97,000,000 元 (余)``: as written, as a number, and its hedge."""
        number = f"{self.value:,.0f}" if float(self.value).is_integer() else f"{self.value:,}"
        return f"{self.text} = {number} {self.unit}" + (f" ({self.qualifier})" if self.qualifier else "")


@dataclass(frozen=True)
class Topic:
    id: str  # dotted path: services.stations
    zh: str
    en: str
    parent: str | None = None

    @property
    def depth(self) -> int:
        return self.id.count(".")


@dataclass(frozen=True)
class Metric:
    """What a figure measures, shared by facts from different sources so they can be compared."""

    key: str
    zh: str
    en: str
    unit: str
    distinct_from: tuple[str, ...] = ()  # near-identical keys the audit found to measure something else
    line: int = 0


def _no_text() -> str:
    return ""


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    outlet: str | None
    medium: str  # newspaper | web
    published: str  # as precise as the page gives: "2022", "2023-09-18 10:21"
    precision: str  # year | month | day | minute | second
    script: str  # zh-Hans | zh-Hant
    raw: str  # file name under raw/: the provenance
    sha256: str
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    subtitle: str | None = None
    column: str | None = None
    found_at: str | None = None
    url: str | None = None
    notes: tuple[str, ...] = ()
    published_evidence: str | None = None
    # Reads the clean text when it is first needed: a large corpus holds hundreds of megabytes of it.
    body: Callable[[], str] = field(default=_no_text, repr=False, compare=False)

    @cached_property
    def text(self) -> str:
        """The clean body text every span indexes."""
        return self.body()

    @property
    def outlet_label(self) -> str:
        """The outlet as people read it: its name, or 报纸名不详 when the page does not say."""
        return self.outlet or UNKNOWN_OUTLET

    @property
    def date(self) -> str:
        """The publication date without the time: ``2023-09-18`` or just ``2022``."""
        return self.published.split(" ")[0]

    @property
    def year(self) -> int:
        return int(self.published[:4])

    @property
    def author(self) -> str | None:
        return "、".join(self.authors) or None

    @property
    def is_traditional(self) -> bool:
        return self.script == "zh-Hant"


@dataclass(frozen=True)
class Passage:
    """A stretch of a source's clean text: a sentence, a fact's quote, or what the reader selected to cite."""

    source: Source
    span: Span
    section: str = ""  # the heading it stands under

    @property
    def text(self) -> str:
        return self.source.text[self.span.start : self.span.end]


@dataclass(frozen=True)
class Fact:
    """One claim of one article, with the verbatim quote and where it stands in the clean text."""

    id: str
    source: Source
    topic: Topic
    statement: str
    en: str
    quote: str
    span: Span
    quantities: tuple[Quantity, ...] = ()
    period: str | None = None
    scope: str | None = None
    actor: str | None = None
    metric: str | None = None
    file: str = ""
    line: int = 0

    @property
    def figure(self) -> Quantity | None:
        """The quantity the metric measures, if the fact has one."""
        return self.quantities[0] if self.quantities else None

    @property
    def figure_text(self) -> str:
        """Every figure as the source writes it: ``275万人、359万人``."""
        return "、".join(quantity.text for quantity in self.quantities)

    @property
    def passage(self) -> Passage:
        """The quote as a passage of its source."""
        return Passage(self.source, self.span)


class FactTable(Protocol):
    """The facts of a corpus in reading order, made on demand, with indexed look-ups."""

    def __len__(self) -> int: ...

    @overload
    def __getitem__(self, row: int) -> Fact: ...

    @overload
    def __getitem__(self, row: slice) -> Sequence[Fact]: ...

    def __getitem__(self, row: int | slice) -> Fact | Sequence[Fact]: ...

    def __iter__(self) -> Iterator[Fact]: ...

    def row_of(self, fact_id: str) -> int | None:
        """The row of the fact with this id, or None."""

    def rows_of_source(self, source_id: str) -> range:
        """The rows of a source's facts: they are contiguous, in reading order."""

    def rows_measuring(self, metric: str) -> Sequence[int]:
        """The rows of the facts whose figure measures ``metric``, in reading order."""

    def sources_reporting(self, metric: str) -> list[str]:
        """The ids of the sources that report ``metric``, in their order."""

    def count_by_topic(self) -> Mapping[str, int]:
        """How many facts are filed under each topic (the topic itself, not its children)."""

    def count_by_source(self) -> Mapping[str, int]: ...

    def sources_by_metric(self) -> Mapping[str, int]:
        """How many sources report each metric."""


class Corpus:
    """Everything loaded from one data folder: sources in their order, topics, metrics, and facts in reading
    order (by source, then place in the text)."""

    def __init__(self, sources: dict[str, Source], topics: dict[str, Topic], metrics: dict[str, Metric],
                 facts: FactTable, not_figures: dict[str, list[Span]] | None = None) -> None:  # fmt: skip
        self.sources = sources
        self.topics = topics
        self.metrics = metrics
        self.facts = facts
        self.not_figures = not_figures or {}

    def fact(self, fact_id: str) -> Fact | None:
        row = self.facts.row_of(fact_id)
        return None if row is None else self.facts[row]

    def facts_of(self, source_id: str) -> Sequence[Fact]:
        rows = self.facts.rows_of_source(source_id)
        return self.facts[rows.start : rows.stop]

    def facts_measuring(self, metric: str) -> list[Fact]:
        return [self.facts[row] for row in self.facts.rows_measuring(metric)]

    def topic_path(self, topic_id: str) -> list[Topic]:
        """The topic and its ancestors, root first."""
        path: list[Topic] = []
        current: str | None = topic_id
        while current is not None and current in self.topics:
            path.insert(0, self.topics[current])
            current = self.topics[current].parent
        return path

    def shared_metrics(self) -> list[str]:
        """The metrics that two or more sources report, by key: what can be compared."""
        return sorted(key for key, count in self.facts.sources_by_metric().items() if count > 1)
