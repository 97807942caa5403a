"""The public JSON shape: facts, sources, passages and comparisons as plain records.

Every ``--json`` of the CLI and the JSON export print these; the README documents them, and they change only on
purpose.
"""

from __future__ import annotations

from typing import Any

from unionbrowse.corpus.model import Corpus, Fact, Source
from unionbrowse.reports.compare import Comparison
from unionbrowse.search.finder import FactHit, PassageHit
from unionbrowse.untrusted import to_json as _untrusted_json


def source_record(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "outlet": source.outlet,
        "author": source.author,
        "published": source.published,
        "origin": source.raw,
    }


def source_detail(source: Source) -> dict[str, Any]:
    """Everything the data says about a source (for `unionbrowse source` and `sources --json`)."""
    return {
        **source_record(source),
        "authors": list(source.authors),
        "editors": list(source.editors),
        "subtitle": source.subtitle,
        "column": source.column,
        "medium": source.medium,
        "precision": source.precision,
        "published_evidence": source.published_evidence,
        "found_at": source.found_at,
        "script": source.script,
        "sha256": source.sha256,
        "url": source.url,
        "notes": list(source.notes),
        "length": len(source.text),
    }


def fact_record(fact: Fact, corpus: Corpus) -> dict[str, Any]:
    return {
        "id": fact.id,
        "statement": fact.statement,
        "en": fact.en,
        "topic": [{"id": topic.id, "zh": topic.zh, "en": topic.en} for topic in corpus.topic_path(fact.topic.id)],
        "quantities": [
            {"value": number(q.value), "unit": q.unit, "qualifier": q.qualifier, "text": q.text}
            for q in fact.quantities
        ],
        "period": fact.period,
        "scope": fact.scope,
        "actor": fact.actor,
        "metric": fact.metric,
        "quote": fact.quote,
        "span": fact.span.as_list(),
        "source": source_record(fact.source),
    }


def fact_hit_record(hit: FactHit, corpus: Corpus) -> dict[str, Any]:
    """A search result: the fact, its score, the field that matched best, and the matched characters."""
    return {**fact_record(hit.fact, corpus), "score": hit.score, "matched": hit.field,
            "matches": {name: [list(span) for span in spans] for name, spans in hit.matches.items()}}  # fmt: skip


def passage_record(hit: PassageHit) -> dict[str, Any]:
    """A full-text hit: a sentence of a source, where it stands, and what matched in it."""
    passage = hit.passage
    return {
        "text": passage.text,
        "span": passage.span.as_list(),
        "section": passage.section or None,
        "score": hit.score,
        "matches": [list(span) for span in hit.matches],
        "source": source_record(passage.source),
    }


def comparison_record(comparison: Comparison) -> dict[str, object]:
    """The stable JSON shape of ``unionbrowse compare --json``."""
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


def to_json(value: Any) -> str:
    """The records as JSON: characters as written, controls and invisible characters escaped (``\\u202e``)."""
    return _untrusted_json(value)


def number(value: float) -> float | int:
    """A value as JSON writes it best: 2911, not 2911.0."""
    return int(value) if float(value).is_integer() else value
