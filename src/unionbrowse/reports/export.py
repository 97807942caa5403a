"""Facts and sources as plain records (the stable JSON shape) and as JSON, CSV or Markdown files."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from unionbrowse.corpus.model import Corpus, Fact, Source

if TYPE_CHECKING:
    from unionbrowse.reports.compare import Comparison
    from unionbrowse.search.finder import PassageHit

FORMATS = ("json", "csv", "md")


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
            {"value": _number(q.value), "unit": q.unit, "qualifier": q.qualifier, "text": q.text}
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


def comparison_markdown(comparison: Comparison, style: str = "gbt7714") -> str:
    """A metric across sources as a Markdown table with numbered citations, ready to paste."""
    from unionbrowse.reports.cite import reference

    metric = comparison.metric
    numbers: dict[str, int] = {}
    for r in comparison.reports:
        numbers.setdefault(r.fact.source.id, len(numbers) + 1)
    lines = [f"**{metric.zh}** ({metric.en}, {metric.unit})", "",
             "| published | source | figure | value | period | scope | quote |", "|---|---|---|---:|---|---|---|"]
    for r in comparison.reports:
        source = r.fact.source
        lines.append(f"| {source.date} | {_cell(source.outlet or '报纸名不详')} [{numbers[source.id]}] | "
                     f"{_cell(r.quantity.text)} | {_number(r.quantity.value):,} {r.quantity.unit} | "
                     f"{_cell(r.fact.period or '—')} | {_cell(r.fact.scope or '—')} | {_cell(r.fact.quote)} |")
    notes = [d for d in comparison.differences if d.kind != "agree"]
    if notes:
        lines += [""] + [f"- {'**Conflict.** ' if d.is_conflict else ''}{_cell(d.reason)}" for d in notes]
    sources = {r.fact.source.id: r.fact.source for r in comparison.reports}
    lines += [""] + [f"[{n}] {reference(sources[sid], style)}" for sid, n in numbers.items()]
    return "\n".join(lines) + "\n"


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def export(corpus: Corpus, fmt: str) -> str:
    if fmt == "json":
        return to_json([fact_record(fact, corpus) for fact in corpus.facts]) + "\n"
    if fmt == "csv":
        return _csv(corpus)
    if fmt == "md":
        return _markdown(corpus)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def figure_text(fact: Fact) -> str:
    return "、".join(q.text for q in fact.quantities)


def _csv(corpus: Corpus) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "topic", "statement", "en", "value", "unit", "qualifier", "figure", "period", "scope",
                     "actor", "metric", "quote", "span_start", "span_end", "source_id", "outlet", "published"])
    for fact in corpus.facts:
        figure = fact.figure
        writer.writerow([
            fact.id, fact.topic.id, fact.statement, fact.en,
            _number(figure.value) if figure else "", figure.unit if figure else "",
            (figure.qualifier or "") if figure else "", figure_text(fact),
            fact.period or "", fact.scope or "", fact.actor or "", fact.metric or "", fact.quote,
            fact.span.start, fact.span.end, fact.source.id, fact.source.outlet or "", fact.source.published,
        ])  # fmt: skip
    return out.getvalue()


def _markdown(corpus: Corpus) -> str:
    lines = ["# unionbrowse facts", ""]
    for source in corpus.sources.values():
        facts = [fact for fact in corpus.facts if fact.source.id == source.id]
        lines += [f"## {source.title}", "", f"{source.outlet or '(outlet unknown)'}, {source.published} "
                  f"- `{source.id}` ({len(facts)} facts)", "",
                  "| id | statement | figure | quote |", "|---|---|---|---|"]
        lines += [f"| `{fact.id}` | {_cell(fact.statement)} | {_cell(figure_text(fact))} | {_cell(fact.quote)} |"
                  for fact in facts]
        lines.append("")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value
