"""Completeness: every number in every article body, and which fact (or stated reason) accounts for it.

A number is accounted for when it lies inside a fact's quantity as located in the clean text, inside a
`not_figures` entry (a name such as the 12351 hotline), or is a date, or is the period of a fact whose quote
holds it (近5年来). Anything else is a figure no fact covers yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from unionbrowse.corpus.model import Corpus, Fact, Source, Span

_COUNT_WORDS = "项項个個名届屆季场場期家批部次户戶人份种種级級方年天"
MENTION = re.compile(
    r"\d+(?:\.\d+)?"
    rf"|第[一二两兩三四五六七八九十百]+"
    rf"|[二两兩三四五六七八九十百千]+(?=[{_COUNT_WORDS}])"
)
_DATE = re.compile(r"^\d{4}$|^\d{1,2}$")
# A duration that frames a claim (近5年来, 10年来, 这五年来) is its period, not a figure.
_PERIOD_AFTER = re.compile(r"^(?:年来|年來|年以来|年以來|年多时间|年多時間)")


@dataclass(frozen=True)
class Mention:
    span: Span
    text: str
    status: str  # fact | not-figure | date | period | uncovered
    fact_id: str | None = None


def quantity_spans(fact: Fact) -> list[Span]:
    """Where each quantity's text stands in the clean text (every place it occurs inside the quote)."""
    spans = []
    for quantity in fact.quantities:
        start = fact.quote.find(quantity.text)
        while start != -1:
            spans.append(Span(fact.span.start + start, fact.span.start + start + len(quantity.text)))
            start = fact.quote.find(quantity.text, start + 1)
    return spans


def mentions(corpus: Corpus, source: Source) -> list[Mention]:
    facts = list(corpus.facts_of(source.id))
    covered = [(span, fact) for fact in facts for span in quantity_spans(fact)]
    excluded = corpus.not_figures.get(source.id, [])
    found = []
    for match in MENTION.finditer(source.text):
        span, text = Span(match.start(), match.end()), match.group(0)
        found.append(_classify(source.text, span, text, covered, excluded, facts))
    return found


def _inside(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _classify(
    text: str, span: Span, number: str, covered: list[tuple[Span, Fact]], excluded: list[Span], facts: list[Fact]
) -> Mention:
    for quantity_span, fact in covered:
        if _inside(span, quantity_span):
            return Mention(span, number, "fact", fact.id)
    if any(_inside(span, other) for other in excluded):
        return Mention(span, number, "not-figure")
    after = text[span.end : span.end + 1]
    if _DATE.match(number) and (after in "年月日-" and (len(number) == 4 or after in "月日")):
        return Mention(span, number, "date")
    if _PERIOD_AFTER.match(text[span.end : span.end + 4]):
        return Mention(span, number, "period")
    for fact in facts:
        if _inside(span, fact.span) and fact.period and number in fact.period:
            return Mention(span, number, "period", fact.id)
    return Mention(span, number, "uncovered")


def context(source: Source, span: Span, width: int = 12) -> str:
    return source.text[max(0, span.start - width) : span.end + width].replace("\n", " ")
