"""Fuzzy search over the facts: statement, quote, English and topic labels, scored 0-100.

This is the plain scan the Chinese-aware, indexed engine will replace; the result shape stays the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from .model import Corpus, Fact

# A match in what the fact says outranks a match in where it is filed.
FIELD_WEIGHTS = {"statement": 1.0, "quote": 1.0, "en": 0.95, "topic": 0.85}
MIN_SCORE = 60.0


@dataclass(frozen=True)
class SearchResult:
    fact: Fact
    score: float
    field: str  # the field that matched best


def fields(fact: Fact, corpus: Corpus) -> dict[str, str]:
    topics = corpus.topic_path(fact.topic.id)
    return {
        "statement": fact.statement,
        "quote": fact.quote,
        "en": fact.en.lower(),
        "topic": " ".join(f"{topic.zh} {topic.en.lower()}" for topic in topics),
    }


def score_fact(query: str, fact: Fact, corpus: Corpus) -> tuple[float, str]:
    best, best_field = 0.0, "statement"
    for name, text in fields(fact, corpus).items():
        raw = 100.0 if query in text else float(fuzz.partial_ratio(query, text))
        score = raw * FIELD_WEIGHTS[name]
        if score > best:
            best, best_field = score, name
    return round(best, 1), best_field


def search(corpus: Corpus, query: str, limit: int | None = 20) -> list[SearchResult]:
    """Facts matching ``query``, best first; ties keep reading order. An empty query lists everything."""
    needle = " ".join(query.lower().split())
    if not needle:
        results = [SearchResult(fact, 100.0, "") for fact in corpus.facts]
    else:
        results = []
        for fact in corpus.facts:
            score, field = score_fact(needle, fact, corpus)
            if score >= MIN_SCORE:
                results.append(SearchResult(fact, score, field))
        results.sort(key=lambda result: -result.score)  # stable: reading order breaks ties
    return results if limit is None else results[:limit]
