"""The domain: sources, facts, quantities, topics, metrics. Frozen, so every view can share them safely."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    text: str  # the clean body text every span indexes
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    subtitle: str | None = None
    column: str | None = None
    found_at: str | None = None
    url: str | None = None
    notes: tuple[str, ...] = ()
    published_evidence: str | None = None

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


@dataclass
class Corpus:
    """Everything loaded from one data folder, in reading order."""

    sources: dict[str, Source] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    metrics: dict[str, Metric] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    not_figures: dict[str, list[Span]] = field(default_factory=dict)

    def fact(self, fact_id: str) -> Fact | None:
        return next((fact for fact in self.facts if fact.id == fact_id), None)

    def topic_path(self, topic_id: str) -> list[Topic]:
        """The topic and its ancestors, root first."""
        path: list[Topic] = []
        current: str | None = topic_id
        while current is not None and current in self.topics:
            path.insert(0, self.topics[current])
            current = self.topics[current].parent
        return path
