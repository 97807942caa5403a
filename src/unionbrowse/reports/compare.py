"""The same figure across sources: which is latest, what covers what, and where two reports disagree.

Facts that share a ``metric`` are compared pair by pair (across sources). A difference is explained, in order,
by what the data records: a different unit, scope or basis (新建 vs 累计, 直接 vs 带动), then a different period.
Periods are spans of years (periods.py): a shorter period lying within a longer one may report less, not more;
two periods sharing most of their years should not differ by much, and the one reaching later should not report
markedly less. A difference none of this explains is a **conflict**, said in words a writer can paste into a
footnote.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from unionbrowse.corpus.model import Corpus, Fact, Metric, Quantity
from unionbrowse.corpus.numbers import same_unit
from unionbrowse.corpus.problems import Problem
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
        return f"{source.outlet or '报纸名不详'} {source.date}"


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
    metric: Metric
    reports: list[Report]  # in order of publication
    differences: list[Difference] = field(default_factory=list)

    @property
    def sources(self) -> set[str]:
        return {report.fact.source.id for report in self.reports}

    @property
    def conflicts(self) -> list[Difference]:
        return [difference for difference in self.differences if difference.is_conflict]

    @property
    def latest(self) -> Report:
        return self.reports[-1]


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
    reports = sorted(
        (report(fact) for fact in corpus.facts if fact.metric == key and fact.figure is not None),
        key=lambda r: (r.fact.source.published, r.fact.span.start),
    )
    comparison = Comparison(corpus.metrics[key], reports)
    for first, second in itertools.combinations(reports, 2):
        if first.fact.source.id != second.fact.source.id:
            comparison.differences.append(explain(first, second))
    return comparison


def compare_all(corpus: Corpus, shared_only: bool = True) -> list[Comparison]:
    """Every metric (reported by two or more sources, unless ``shared_only`` is False), by key."""
    keys = sorted({fact.metric for fact in corpus.facts if fact.metric})
    comparisons = [compare_metric(corpus, key) for key in keys]
    return [c for c in comparisons if not shared_only or len(c.sources) > 1]


def also_reported(corpus: Corpus, fact: Fact) -> list[Difference]:
    """How the other sources report this fact's metric, each with how it differs: for the fact card."""
    if not fact.metric or fact.figure is None:
        return []
    comparison = compare_metric(corpus, fact.metric)
    return [d for d in comparison.differences if fact in (d.first.fact, d.second.fact)]


# --- the metric audit ---------------------------------------------------------------------------------------


def near_identical_metrics(corpus: Corpus) -> list[Problem]:
    """Warnings: a metric only one source reports while a near-identical key is reported by another.

    Such a pair is either one thing under two keys (merge them, so the sources can be compared) or two things
    the audit told apart (say so with ``distinct_from``, and the warning goes).
    """
    from rapidfuzz import fuzz

    reporters: dict[str, set[str]] = {}
    for fact in corpus.facts:
        if fact.metric:
            reporters.setdefault(fact.metric, set()).add(fact.source.id)
    warnings = []
    for key in sorted(k for k, ids in reporters.items() if len(ids) == 1):
        metric = corpus.metrics[key]
        for other, ids in sorted(reporters.items()):
            near = corpus.metrics[other]
            if other == key or ids == reporters[key] or key in near.distinct_from or other in metric.distinct_from:
                continue
            if not same_unit(metric.unit, near.unit):
                continue
            if fuzz.token_set_ratio(key.replace("-", " "), other.replace("-", " ")) >= 85 or fuzz.ratio(metric.zh, near.zh) >= 75:
                warnings.append(Problem(
                    "metrics.yaml", metric.line,
                    f"metric `{key}` ({metric.zh}) is reported only by {', '.join(sorted(reporters[key]))}, and "
                    f"near-identical `{other}` ({near.zh}) by {', '.join(sorted(ids))}",
                    f"if they measure the same thing use one key; if not, add `distinct_from: [{other}]`",
                    severity="warning",
                ))  # fmt: skip
    return warnings


# --- explaining a difference -----------------------------------------------------------------------------


def explain(first: Report, second: Report) -> Difference:
    a, b = first.quantity, second.quantity

    def said(r: Report) -> str:
        period = f", {r.fact.period}" if r.fact.period else ""
        return f"{r.quantity.text} ({r.label}{period}, {r.fact.scope or 'scope not stated'})"

    if not _same_unit(a, b):
        return Difference(first, second, "unit", f"Counted in different units: {a.unit} vs {b.unit}.")
    if _agree(a, b):
        return Difference(first, second, "agree", f"The two agree: {said(first)} and {said(second)}.")
    if fold(first.fact.scope or "") != fold(second.fact.scope or ""):
        return Difference(first, second, "scope", f"Different scope: {first.fact.scope or '?'} ({first.label}) vs "
                          f"{second.fact.scope or '?'} ({second.label}).")  # fmt: skip
    if first.basis and second.basis and first.basis != second.basis:
        return Difference(first, second, "basis", f"Different basis: {first.basis} in {first.label} vs "
                          f"{second.basis} in {second.label}.")  # fmt: skip
    if first.window is None or second.window is None:
        missing = first if first.window is None else second
        return Difference(first, second, "unknown-period", f"Cannot tell: {missing.label} does not say for which "
                          f"period ({said(first)} vs {said(second)}).")  # fmt: skip
    return _by_period(first, second, said)


def _by_period(first: Report, second: Report, describe: Callable[[Report], str]) -> Difference:
    wa, wb = first.window, second.window
    assert wa is not None and wb is not None
    periods = f"{first.fact.period} ({wa.describe()}) vs {second.fact.period} ({wb.describe()})"
    if wa == wb:
        return Difference(first, second, "conflict", f"Same period, same scope, different figures: "
                          f"{describe(first)} vs {describe(second)}.")  # fmt: skip
    shorter, longer = sorted((first, second), key=lambda r: (r.window.years, r.fact.source.published))  # type: ignore[union-attr]
    assert shorter.window is not None and longer.window is not None
    inside = shorter.window.overlap(longer.window) / shorter.window.years if shorter.window.start is not None else 1.0
    if inside >= NESTED:
        if shorter.quantity.value <= longer.quantity.value * (1 + AGREE):
            return Difference(first, second, "period", f"Different periods: {periods}; the shorter lies within the "
                              "longer and reports less.")  # fmt: skip
        return Difference(first, second, "conflict", f"Unexplained: {describe(shorter)} covers a period lying "
                          f"within that of {describe(longer)}, yet reports more.")  # fmt: skip
    if inside >= SHARED:
        later, earlier = sorted((first, second), key=lambda r: (r.window.end, r.fact.source.published),  # type: ignore[union-attr]
                                reverse=True)  # fmt: skip
        if later.quantity.value < earlier.quantity.value * SHRINK:
            return Difference(first, second, "conflict", f"Unexplained: {describe(later)} and {describe(earlier)} "
                              "cover largely the same years, yet the later-reaching report gives markedly less.")  # fmt: skip
        return Difference(first, second, "period", f"Different, overlapping periods: {periods}.")
    return Difference(first, second, "period", f"Different periods: {periods}.")


def _same_unit(a: Quantity, b: Quantity) -> bool:
    return same_unit(a.unit, b.unit)


def _agree(a: Quantity, b: Quantity) -> bool:
    high = max(abs(a.value), abs(b.value))
    if high == 0:
        return True
    hedged = any(h in (q.qualifier or "") for q in (a, b) for h in _HEDGES)
    return abs(a.value - b.value) / high <= (AGREE_HEDGED if hedged else AGREE)


# --- showing a comparison ------------------------------------------------------------------------------------


def bar_chart(comparison: Comparison, width: int = 40) -> list[str]:
    """The reported values over time as text bars, one line a report, in order of publication."""
    top = max((r.quantity.value for r in comparison.reports), default=0) or 1
    lines = []
    for r in comparison.reports:
        size = max(1, round(r.quantity.value / top * width)) if r.quantity.value > 0 else 0
        lines.append(f"{r.fact.source.date:<10} {'█' * size:<{width}} {r.quantity.text}  {r.fact.scope or ''}")
    return lines


def comparison_record(comparison: Comparison) -> dict[str, object]:
    """The stable JSON shape of ``unionbrowse compare --json``."""
    from unionbrowse.reports.export import source_record

    metric = comparison.metric
    return {
        "metric": {"key": metric.key, "zh": metric.zh, "en": metric.en, "unit": metric.unit},
        "reports": [
            {
                "fact": r.fact.id,
                "text": r.quantity.text,
                "value": r.quantity.value,
                "unit": r.quantity.unit,
                "qualifier": r.quantity.qualifier,
                "period": r.fact.period,
                "years": None if r.window is None else [r.window.start, r.window.end],
                "scope": r.fact.scope,
                "basis": r.basis,
                "quote": r.fact.quote,
                "source": source_record(r.fact.source),
            }
            for r in comparison.reports
        ],
        "differences": [
            {"facts": [d.first.fact.id, d.second.fact.id], "kind": d.kind, "reason": d.reason}
            for d in comparison.differences
        ],
        "conflicts": len(comparison.conflicts),
        "latest": comparison.latest.fact.id if comparison.reports else None,
    }
