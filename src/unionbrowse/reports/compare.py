"""The same figure across sources: which is latest, what covers what, and where two reports disagree.

Facts that share a ``metric`` are compared pair by pair (across sources), when asked: a comparison is made per
metric in time linear in its reports, and so are the differences of one fact with the others; the conflicts are
found among the pairs that can conflict only (same unit, same scope, both periods known), so a metric that
thousands of sources report never forms millions of pairs to find its few conflicts.

A difference is explained, in order, by what the data records: a different unit, scope or basis (新建 vs 累计, 直接 vs 带动), then a different period.
Periods are spans of years (periods.py): a shorter period lying within a longer one may report less, not more;
two periods sharing most of their years should not differ by much, and the one reaching later should not report
markedly less. A difference none of this explains is a **conflict**, said in words a writer can paste into a
footnote.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cached_property

from unionbrowse.corpus.model import Corpus, Fact, Metric, Quantity
from unionbrowse.corpus.numbers import canonical_unit, same_unit
from unionbrowse.corpus.script import fold
from unionbrowse.reports.periods import Window, window

AGREE = 0.10  # relative difference within which two figures agree
AGREE_HEDGED = 0.20  # ... when either is hedged (多, 余, 近, 超过, 约)
NESTED = 0.8  # share of the shorter period inside the longer for the two to count as nested
SHARED = 0.5  # share of the shorter period that two overlapping periods must have in common
SHRINK = 0.75  # the later-reaching of two overlapping periods may report down to this share of the other
_HEDGES = ("多", "余", "近", "超过", "约", "以上")
_BASES = {"新建": "新建 (newly built)", "累计": "累计 (cumulative)", "直接": "直接 (direct)", "带动": "带动 (induced)"}


@dataclass(frozen=True)
class Report:
    """One source's figure for a metric."""

    fact: Fact
    quantity: Quantity
    window: Window | None
    basis: str | None

    @property
    def label(self) -> str:
        source = self.fact.source
        return f"{source.outlet_label} {source.date}"


@dataclass(frozen=True)
class Difference:
    first: Report  # published first
    second: Report
    kind: str  # agree | unit | scope | basis | period | unknown-period | conflict
    reason: str

    @property
    def is_conflict(self) -> bool:
        return self.kind == "conflict"


@dataclass

class Comparison:
    """One metric across sources: its reports in order of publication, and how they differ (made on demand)."""

    def __init__(self, metric: Metric, reports: list[Report]) -> None:
        self.metric = metric
        self.reports = reports

    @property
    def sources(self) -> set[str]:
        return {report.fact.source.id for report in self.reports}

    @property
    def is_shared(self) -> bool:
        """Two or more sources report the metric: there is something to compare."""
        return len(self.sources) > 1

    @property
    def latest(self) -> Report:
        return self.reports[-1]

    @cached_property
    def differences(self) -> list[Difference]:
        """Every pair of reports from different sources, explained: as many as the square of the reports."""
        return [explain(first, second) for first, second in itertools.combinations(self.reports, 2)
                if first.fact.source.id != second.fact.source.id]  # fmt: skip

    def differences_with(self, fact: Fact) -> list[Difference]:
        """How each other source's report differs from this fact's, in order of publication: for the fact card."""
        mine = next((number for number, r in enumerate(self.reports) if r.fact.id == fact.id), None)
        if mine is None:
            return []
        pairs = [(min(mine, other), max(mine, other)) for other, r in enumerate(self.reports)
                 if r.fact.source.id != fact.source.id]  # fmt: skip
        return [explain(self.reports[i], self.reports[j]) for i, j in pairs]

    @cached_property
    def conflicts(self) -> list[Difference]:
        """The differences nothing in the data explains, in words; only the pairs that may conflict are looked at."""
        conflicting = [(i, j) for i, j in self._pairs_that_may_conflict()
                       if classify(self.reports[i], self.reports[j]).kind == "conflict"]  # fmt: skip
        return [explain(self.reports[i], self.reports[j]) for i, j in conflicting]

    @property
    def has_conflict(self) -> bool:
        """Whether any pair conflicts: stops at the first, and puts nothing in words."""
        if "conflicts" in self.__dict__:
            return bool(self.conflicts)
        return any(classify(self.reports[i], self.reports[j]).kind == "conflict"
                   for i, j in self._pairs_that_may_conflict())  # fmt: skip

    def _pairs_that_may_conflict(self) -> list[tuple[int, int]]:
        """Pairs of reports from different sources in the same unit and scope with both periods known, in the
        order of ``differences``: ``classify`` settles every other pair before it looks at periods."""
        groups: dict[tuple[str, str], list[int]] = {}
        for number, r in enumerate(self.reports):
            if r.window is not None:
                groups.setdefault((canonical_unit(r.quantity.unit), fold(r.fact.scope or "")), []).append(number)
        pairs = sorted(pair for members in groups.values() for pair in itertools.combinations(members, 2))
        return [(i, j) for i, j in pairs if self.reports[i].fact.source.id != self.reports[j].fact.source.id]


def report(fact: Fact) -> Report:
    assert fact.figure is not None
    return Report(fact, fact.figure, window(fact.period, fact.source.year), basis(fact))


def basis(fact: Fact) -> str | None:
    """What kind of count: 新建 (new), 累计 (cumulative), 直接 / 带动, when the fact says."""
    qualifier = fact.figure.qualifier if fact.figure else None
    if qualifier and "累计" in qualifier:
        return _BASES["累计"]
    text = fold(fact.quote)
    for word, label in _BASES.items():
        if word in text:
            return label
    return None


def compare_metric(corpus: Corpus, key: str) -> Comparison:
    """The reports of one metric in order of publication (then place in the text); no pair is formed yet."""
    reports = sorted((report(fact) for fact in corpus.facts_measuring(key) if fact.figure is not None),
                     key=lambda r: (r.fact.source.published, r.fact.span.start))  # fmt: skip
    return Comparison(corpus.metrics[key], reports)


def compare_all(corpus: Corpus) -> list[Comparison]:
    """Every metric two or more sources report, by key."""
    return [compare_metric(corpus, key) for key in corpus.shared_metrics()]


# --- explaining a difference -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """How two reports differ, before it is put in words: the kind, which reason, and the reports it names."""

    kind: str  # agree | unit | scope | basis | period | unknown-period | conflict
    case: str  # the reason: unit, agree, scope, basis, unknown-period, same-period, nested-less, nested-more,
    #            overlap-shrink, overlap, apart
    one: Report | None = None  # the report the reason names first (the missing, shorter or later-reaching one)
    other: Report | None = None


def classify(first: Report, second: Report) -> Finding:
    """The kind of difference, with numbers only: comparing many reports costs no words until they are shown."""
    a, b = first.quantity, second.quantity
    if not _same_unit(a, b):
        return Finding("unit", "unit")
    if _agree(a, b):
        return Finding("agree", "agree")
    if fold(first.fact.scope or "") != fold(second.fact.scope or ""):
        return Finding("scope", "scope")
    if first.basis and second.basis and first.basis != second.basis:
        return Finding("basis", "basis")
    if first.window is None or second.window is None:
        return Finding("unknown-period", "unknown-period", first if first.window is None else second)
    return _by_period(first, second)


def _by_period(first: Report, second: Report) -> Finding:
    wa, wb = first.window, second.window
    assert wa is not None and wb is not None
    if wa == wb:
        return Finding("conflict", "same-period")
    shorter, longer = sorted((first, second), key=lambda r: (r.window.years, r.fact.source.published))  # type: ignore[union-attr]
    assert shorter.window is not None and longer.window is not None
    inside = shorter.window.overlap(longer.window) / shorter.window.years if shorter.window.start is not None else 1.0
    if inside >= NESTED:
        if shorter.quantity.value <= longer.quantity.value * (1 + AGREE):
            return Finding("period", "nested-less")
        return Finding("conflict", "nested-more", shorter, longer)
    if inside >= SHARED:
        later, earlier = sorted((first, second), key=lambda r: (r.window.end, r.fact.source.published),  # type: ignore[union-attr]
                                reverse=True)  # fmt: skip
        if later.quantity.value < earlier.quantity.value * SHRINK:
            return Finding("conflict", "overlap-shrink", later, earlier)
        return Finding("period", "overlap")
    return Finding("period", "apart")


def explain(first: Report, second: Report) -> Difference:
    finding = classify(first, second)
    return Difference(first, second, finding.kind, _reason(finding, first, second))


def _said(r: Report) -> str:
    period = f", {r.fact.period}" if r.fact.period else ""
    return f"{r.quantity.text} ({r.label}{period}, {r.fact.scope or 'scope not stated'})"


def _reason(finding: Finding, first: Report, second: Report) -> str:
    """The difference in words a writer can paste into a footnote."""
    case, one, other = finding.case, finding.one, finding.other
    if case == "unit":
        return f"Counted in different units: {first.quantity.unit} vs {second.quantity.unit}."
    if case == "agree":
        return f"The two agree: {_said(first)} and {_said(second)}."
    if case == "scope":
        return (f"Different scope: {first.fact.scope or '?'} ({first.label}) vs {second.fact.scope or '?'} "
                f"({second.label}).")  # fmt: skip
    if case == "basis":
        return f"Different basis: {first.basis} in {first.label} vs {second.basis} in {second.label}."
    if case == "unknown-period":
        assert one is not None
        return f"Cannot tell: {one.label} does not say for which period ({_said(first)} vs {_said(second)})."
    if case == "same-period":
        return f"Same period, same scope, different figures: {_said(first)} vs {_said(second)}."
    if case == "nested-more":
        assert one is not None and other is not None
        return f"Unexplained: {_said(one)} covers a period lying within that of {_said(other)}, yet reports more."
    if case == "overlap-shrink":
        assert one is not None and other is not None
        return (f"Unexplained: {_said(one)} and {_said(other)} cover largely the same years, yet the "
                "later-reaching report gives markedly less.")  # fmt: skip
    assert first.window is not None and second.window is not None
    periods = f"{first.fact.period} ({first.window.describe()}) vs {second.fact.period} ({second.window.describe()})"
    if case == "nested-less":
        return f"Different periods: {periods}; the shorter lies within the longer and reports less."
    if case == "overlap":
        return f"Different, overlapping periods: {periods}."
    return f"Different periods: {periods}."


def _same_unit(a: Quantity, b: Quantity) -> bool:
    return same_unit(a.unit, b.unit)


def _agree(a: Quantity, b: Quantity) -> bool:
    high = max(abs(a.value), abs(b.value))
    if high == 0:
        return True
    hedged = any(h in (q.qualifier or "") for q in (a, b) for h in _HEDGES)
    return abs(a.value - b.value) / high <= (AGREE_HEDGED if hedged else AGREE)


