"""Human output for the CLI: rich tables on a terminal, plain tab-separated lines when piped.

One rule for corpus text, piped or not: ``unionbrowse.untrusted.for_terminal`` (controls, bidi and zero-width
characters as visible symbols), then printed as ``rich.text.Text``, never markup: a source holding ``[bold]`` or an
escape sequence prints literally.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from unionbrowse.corpus.model import Corpus, Fact, Source
from unionbrowse.reports.chart import bar_chart
from unionbrowse.reports.compare import Comparison
from unionbrowse.untrusted import for_terminal, for_terminal_line

if TYPE_CHECKING:
    from unionbrowse.corpus.problems import Problem
    from unionbrowse.search.finder import FactHit, PassageHit


def _console() -> Console:
    return Console(highlight=False, soft_wrap=not sys.stdout.isatty())


def _safe(text: str | None, style: str = "") -> Text:
    """Corpus text as a Text: controls shown as visible symbols, never interpreted; never read as markup."""
    return Text(for_terminal(text or ""), style=style)


def _plain(*cells: object) -> None:
    """One tab-separated line for scripts: each cell visible and on one line, so tabs and lines stay fields."""
    print("\t".join(for_terminal_line(str(cell) if cell is not None else "") for cell in cells))


def print_citation(text: str) -> None:
    """A citation (``cite``): its quote and reference come from the data."""
    print(for_terminal(text))


def print_source_text(text: str) -> None:
    """A source's clean text (``source --text``), character for character: offsets into it still hold."""
    sys.stdout.write(for_terminal(text))


def print_problem(problem: Problem) -> None:
    """A data problem (``check``): errors to stderr, warnings to stdout. Its message may quote the bad value."""
    print(for_terminal(str(problem)), file=sys.stderr if problem.severity == "error" else sys.stdout)


def print_summary(corpus: Corpus) -> None:
    console = _console()
    console.print(f"unionbrowse: {len(corpus.facts)} facts from {len(corpus.sources)} articles", markup=False)
    counts = corpus.facts.count_by_source()
    for source in corpus.sources.values():
        count = counts.get(source.id, 0)
        console.print(Text.assemble("  ", _safe(source.id, "bold"), "  ", _safe(source.date), "  ",
                                    _safe(source.outlet_label),
                                    "  ", _safe(source.title), f"  ({count} facts)"))
    console.print(
        "\ncommands: search QUERY, show FACT_ID, cite FACT_ID, sources, source SOURCE_ID [--text], "
        "export --format json|csv|md, coverage, check   (unionbrowse COMMAND --help)",
        markup=False,
    )


def _highlighted(text: str, spans: list[tuple[int, int]]) -> Text:
    out = _safe(text)
    for start, end in spans:
        out.stylize("bold reverse", start, end)
    return out


def print_fact_hits(hits: list[FactHit], total: int) -> None:
    if not sys.stdout.isatty():
        for hit in hits:
            _plain(f"{hit.score:.0f}", hit.fact.id, hit.fact.figure_text, hit.fact.statement)
        return
    table = Table(expand=True, caption=f"{len(hits)} of {total} matching facts")
    table.add_column("score", justify="right", width=5)
    table.add_column("fact", no_wrap=True)
    table.add_column("figure")
    table.add_column("statement", ratio=1)
    table.add_column("source", no_wrap=True)
    for hit in hits:
        fact = hit.fact
        table.add_row(f"{hit.score:.0f}", _safe(fact.id), _safe(fact.figure_text),
                      _highlighted(fact.statement, hit.matches.get("statement", [])),
                      _safe(f"{fact.source.outlet_label} {fact.source.date}"))
    _console().print(table)


def print_passage_hits(hits: list[PassageHit], total: int) -> None:
    if not sys.stdout.isatty():
        for hit in hits:
            _plain(f"{hit.score:.0f}", hit.passage.source.id, f"{hit.passage.span.start}-{hit.passage.span.end}",
                   hit.passage.text)
        return
    table = Table(expand=True, caption=f"{len(hits)} of {total} matching passages")
    table.add_column("score", justify="right", width=5)
    table.add_column("source", no_wrap=True)
    table.add_column("passage", ratio=1)
    for hit in hits:
        table.add_row(f"{hit.score:.0f}", _safe(hit.passage.source.id), _highlighted(hit.passage.text, hit.matches))
    _console().print(table)


def print_fact(fact: Fact, corpus: Corpus) -> None:
    rows: list[tuple[str, Any]] = [
        ("fact", fact.id),
        ("statement", fact.statement),
        ("en", fact.en),
        ("topic", " > ".join(topic.zh for topic in corpus.topic_path(fact.topic.id))),
        ("figures", "; ".join(q.describe()
                             for q in fact.quantities) or None),
        ("period", fact.period), ("scope", fact.scope), ("actor", fact.actor), ("metric", fact.metric),
        ("quote", fact.quote), ("span", f"{fact.span.start}-{fact.span.end}"),
        ("source", f"{fact.source.title} ({fact.source.outlet_label}, {fact.source.published})"),
        ("origin", fact.source.raw),
    ]  # fmt: skip
    _print_record(rows)


def print_sources(corpus: Corpus) -> None:
    if not sys.stdout.isatty():
        for source in corpus.sources.values():
            _plain(source.id, source.published, source.outlet_label, source.author or "", source.title)
        return
    table = Table(expand=True)
    for column in ("id", "published", "outlet", "author", "script", "facts"):
        table.add_column(column, no_wrap=True)
    table.add_column("title", ratio=1)
    counts = corpus.facts.count_by_source()
    for source in corpus.sources.values():
        count = counts.get(source.id, 0)
        table.add_row(_safe(source.id), _safe(source.published), _safe(source.outlet_label),
                      _safe(source.author or "-"), _safe(source.script), str(count), _safe(source.title))
    _console().print(table)


def print_source(source: Source, corpus: Corpus) -> None:
    count = corpus.facts.count_by_source().get(source.id, 0)
    rows: list[tuple[str, Any]] = [
        ("source", source.id), ("title", source.title), ("subtitle", source.subtitle), ("outlet", source.outlet),
        ("medium", source.medium), ("found at", source.found_at), ("authors", "、".join(source.authors) or None),
        ("editors", "、".join(source.editors) or None),
        ("published", f"{source.published} (precision: {source.precision})"),
        ("evidence", source.published_evidence), ("script", source.script), ("origin", source.raw),
        ("sha256", source.sha256), ("url", source.url or "unknown (the file contains none)"),
        ("facts", str(count)), ("length", f"{len(source.text)} characters"),
    ]  # fmt: skip
    rows += [("note", note) for note in source.notes]
    _print_record(rows)


def print_coverage(report: dict[str, list[dict[str, Any]]]) -> None:
    for source_id, rows in report.items():
        counts: dict[str, int] = {}
        for row in rows:
            counts[row["status"]] = counts.get(row["status"], 0) + 1
        summary = ", ".join(f"{status} {n}" for status, n in sorted(counts.items()))
        print(for_terminal_line(f"{source_id}: {len(rows)} numbers ({summary or 'none'})"))
        for row in rows:
            _plain("", row["status"], row["text"], row["fact"] or "", row["context"])


def print_comparison(comparison: Comparison, conflicts_only: bool = False) -> None:
    from unionbrowse.reports.cite import cite

    metric = comparison.metric
    console = _console()
    console.print(Text.assemble(_safe(f"{metric.zh} ", "bold"),
                                _safe(f"({metric.key}, {metric.unit}) - {metric.en}")))
    if sys.stdout.isatty():
        table = Table(expand=True)
        for column in ("published", "source", "as written", "value", "period", "years", "scope"):
            table.add_column(column, no_wrap=column in ("published", "value"))
        for r in comparison.reports:
            table.add_row(_safe(r.fact.source.date), _safe(r.fact.source.outlet_label), _safe(r.quantity.text),
                          f"{r.quantity.value:,.0f}", _safe(r.fact.period or "-"),
                          r.window.describe() if r.window else "?", _safe(r.fact.scope or "-"))
        console.print(table)
    else:
        for r in comparison.reports:
            _plain(r.fact.source.date, r.fact.source.outlet_label, r.quantity.text, f"{r.quantity.value:.0f}",
                   r.fact.period or "", r.window.describe() if r.window else "", r.fact.scope or "", r.fact.id)
    for line in bar_chart(comparison):
        console.print(_safe(line))
    for difference in comparison.conflicts if conflicts_only else comparison.differences:
        label = "CONFLICT" if difference.is_conflict else difference.kind
        console.print(Text.assemble((f"{label}: ", "bold red" if difference.is_conflict else "dim"),
                                    _safe(difference.reason)))
        if difference.is_conflict:
            for r in (difference.first, difference.second):
                console.print(_safe("    " + cite(r.fact).replace("\n", "\n    ")))
    console.print()


def _print_record(rows: list[tuple[str, Any]]) -> None:
    if not sys.stdout.isatty():
        for key, value in rows:
            if value is not None:
                _plain(key, value)
        return
    table = Table(show_header=False, box=None, expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for key, value in rows:
        if value is not None:
            table.add_row(key, _safe(str(value)))
    _console().print(table)
