"""The facts as files to take elsewhere: JSON (the records), CSV, Markdown; a comparison as a Markdown table."""

from __future__ import annotations

import csv
import io

from unionbrowse.corpus.model import Corpus
from unionbrowse.reports.cite import reference
from unionbrowse.reports.compare import Comparison
from unionbrowse.reports.records import fact_record, number, to_json

FORMATS = ("json", "csv", "md")


def comparison_markdown(comparison: Comparison, style: str = "gbt7714") -> str:
    """A metric across sources as a Markdown table with numbered citations, ready to paste."""
    metric = comparison.metric
    numbers: dict[str, int] = {}
    for r in comparison.reports:
        numbers.setdefault(r.fact.source.id, len(numbers) + 1)
    lines = [f"**{metric.zh}** ({metric.en}, {metric.unit})", "",
             "| published | source | figure | value | period | scope | quote |", "|---|---|---|---:|---|---|---|"]
    for r in comparison.reports:
        source = r.fact.source
        lines.append(f"| {source.date} | {_cell(source.outlet_label)} [{numbers[source.id]}] | "
                     f"{_cell(r.quantity.text)} | {number(r.quantity.value):,} {r.quantity.unit} | "
                     f"{_cell(r.fact.period or '—')} | {_cell(r.fact.scope or '—')} | {_cell(r.fact.quote)} |")
    notes = [d for d in comparison.differences if d.kind != "agree"]
    if notes:
        lines += [""] + [f"- {'**Conflict.** ' if d.is_conflict else ''}{_cell(d.reason)}" for d in notes]
    sources = {r.fact.source.id: r.fact.source for r in comparison.reports}
    lines += [""] + [f"[{n}] {reference(sources[sid], style)}" for sid, n in numbers.items()]
    return "\n".join(lines) + "\n"


def export(corpus: Corpus, fmt: str) -> str:
    if fmt == "json":
        return to_json([fact_record(fact, corpus) for fact in corpus.facts]) + "\n"
    if fmt == "csv":
        return _csv(corpus)
    if fmt == "md":
        return _markdown(corpus)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _csv(corpus: Corpus) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "topic", "statement", "en", "value", "unit", "qualifier", "figure", "period", "scope",
                     "actor", "metric", "quote", "span_start", "span_end", "source_id", "outlet", "published"])
    for fact in corpus.facts:
        figure = fact.figure
        writer.writerow([
            fact.id, fact.topic.id, fact.statement, fact.en,
            number(figure.value) if figure else "", figure.unit if figure else "",
            (figure.qualifier or "") if figure else "", fact.figure_text,
            fact.period or "", fact.scope or "", fact.actor or "", fact.metric or "", fact.quote,
            fact.span.start, fact.span.end, fact.source.id, fact.source.outlet or "", fact.source.published,
        ])  # fmt: skip
    return out.getvalue()


def _markdown(corpus: Corpus) -> str:
    lines = ["# unionbrowse facts", ""]
    for source in corpus.sources.values():
        facts = corpus.facts_of(source.id)
        lines += [f"## {source.title}", "", f"{source.outlet_label}, {source.published} "
                  f"- `{source.id}` ({len(facts)} facts)", "",
                  "| id | statement | figure | quote |", "|---|---|---|---|"]
        lines += [f"| `{fact.id}` | {_cell(fact.statement)} | {_cell(fact.figure_text)} | {_cell(fact.quote)} |"
                  for fact in facts]
        lines.append("")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")

