"""The facts as files to take elsewhere: JSON (the records), CSV, Markdown; a comparison as a Markdown table.

Every word from the data folder goes through ``unionbrowse.untrusted`` on its way in: JSON escapes controls, a CSV
cell never starts a formula, Markdown shows HTML and links as text. Numbers we compute stay numbers.
"""

from __future__ import annotations

import csv
import io

from unionbrowse.corpus.model import Corpus
from unionbrowse.reports.cite import markdown_reference
from unionbrowse.reports.compare import Comparison
from unionbrowse.reports.records import fact_record, number, to_json
from unionbrowse.untrusted import for_csv, for_markdown_cell, for_terminal_line

FORMATS = ("json", "csv", "md")


def comparison_markdown(comparison: Comparison, style: str = "gbt7714") -> str:
    """A metric across sources as a Markdown table with numbered citations, ready to paste."""
    metric = comparison.metric
    numbers: dict[str, int] = {}
    for r in comparison.reports:
        numbers.setdefault(r.fact.source.id, len(numbers) + 1)
    lines = [f"**{for_markdown_cell(metric.zh)}** ({for_markdown_cell(metric.en)}, {for_markdown_cell(metric.unit)})", "",
             "| published | source | figure | value | period | scope | quote |", "|---|---|---|---:|---|---|---|"]
    for r in comparison.reports:
        source = r.fact.source
        lines.append(f"| {for_markdown_cell(source.date)} | {for_markdown_cell(source.outlet_label)} "
                     f"[{numbers[source.id]}] | {for_markdown_cell(r.quantity.text)} | "
                     f"{number(r.quantity.value):,} {for_markdown_cell(r.quantity.unit)} | "
                     f"{for_markdown_cell(r.fact.period or '—')} | {for_markdown_cell(r.fact.scope or '—')} | "
                     f"{for_markdown_cell(r.fact.quote)} |")  # fmt: skip
    notes = [d for d in comparison.differences if d.kind != "agree"]
    if notes:
        lines += [""] + [f"- {'**Conflict.** ' if d.is_conflict else ''}{for_markdown_cell(d.reason)}" for d in notes]
    sources = {r.fact.source.id: r.fact.source for r in comparison.reports}
    lines += [""] + [f"[{n}] {markdown_reference(sources[sid], style)}" for sid, n in numbers.items()]
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
            for_csv(fact.id), for_csv(fact.topic.id), for_csv(fact.statement), for_csv(fact.en),
            number(figure.value) if figure else "", for_csv(figure.unit) if figure else "",
            for_csv(figure.qualifier or "") if figure else "", for_csv(fact.figure_text),
            for_csv(fact.period or ""), for_csv(fact.scope or ""), for_csv(fact.actor or ""),
            for_csv(fact.metric or ""), for_csv(fact.quote), fact.span.start, fact.span.end,
            for_csv(fact.source.id), for_csv(fact.source.outlet or ""), for_csv(fact.source.published),
        ])  # fmt: skip
    return out.getvalue()


def _markdown(corpus: Corpus) -> str:
    lines = ["# unionbrowse facts", ""]
    for source in corpus.sources.values():
        facts = corpus.facts_of(source.id)
        # Ids are checked against [a-z0-9-] when the data loads, so they sit in code spans as they are.
        lines += [f"## {for_markdown_cell(source.title)}", "", f"{for_markdown_cell(source.outlet_label)}, "
                  f"{for_markdown_cell(source.published)} - `{for_terminal_line(source.id)}` ({len(facts)} facts)", "",
                  "| id | statement | figure | quote |", "|---|---|---|---|"]  # fmt: skip
        lines += [f"| `{for_terminal_line(fact.id)}` | {for_markdown_cell(fact.statement)} | "
                  f"{for_markdown_cell(fact.figure_text)} | {for_markdown_cell(fact.quote)} |" for fact in facts]
        lines.append("")
    return "\n".join(lines)
