"""The subcommands: each opens the data folder through the Library and prints for people or for scripts."""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from unionbrowse.cli.exits import fail as _fail
from unionbrowse.cli.exits import guarded, standard_streams
from unionbrowse.cli.parser import build_parser
from unionbrowse.files import write_atomically
from unionbrowse.library import Library, LibraryError
from unionbrowse.locations import resolve_data_dir
from unionbrowse.search.index import DamagedIndex
from unionbrowse.search.query import parse as parse_query
from unionbrowse.untrusted import for_terminal_line


def main(argv: Sequence[str] | None = None) -> int:
    """The CLI alone (``unionbrowse.main`` starts the app instead when there is no command on a terminal)."""
    with standard_streams():
        args = guarded(lambda: build_parser().parse_args(argv), "reading the command line")
        return run(args) if isinstance(args, argparse.Namespace) else args


def run(args: argparse.Namespace) -> int:
    return guarded(partial(_run, args), f"`unionbrowse {args.command or 'summary'}`")


def _run(args: argparse.Namespace) -> int:
    try:
        return _open_and_run(args)
    except DamagedIndex as error:
        return _fail(str(error))


def _open_and_run(args: argparse.Namespace) -> int:
    try:
        library = Library.open(resolve_data_dir(args.data))
    except LibraryError as error:
        return _fail(str(error))
    if args.command == "check":
        return _check(library)
    if library.errors:
        print(f"unionbrowse: {len(library.errors)} data problem(s) in {for_terminal_line(str(library.data_dir))}; showing what is valid "
              "(run `unionbrowse check` for details)", file=sys.stderr)
    handler: Callable[[argparse.Namespace, Library], int] = {
        None: _summary, "summary": _summary, "search": _search, "show": _show, "cite": _cite, "sources": _sources,
        "source": _source, "export": _export, "coverage": _coverage, "compare": _compare,
    }[args.command]  # fmt: skip
    return handler(args, library)


# --- commands -----------------------------------------------------------------------------------------------


def _check(library: Library) -> int:
    from unionbrowse.cli.output import print_problem
    from unionbrowse.reports.metric_audit import near_identical_metrics

    problems = [*library.problems, *near_identical_metrics(library.corpus)]
    for problem in problems:
        print_problem(problem)
    corpus = library.corpus
    summary = (f"{len(corpus.sources)} sources, {len(corpus.facts)} facts, {len(corpus.topics)} topics, "
               f"{len(corpus.facts.sources_by_metric())} metrics in use")  # fmt: skip
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    if errors:
        print(f"check failed: {errors} error(s), {warnings} warning(s) in {for_terminal_line(str(library.data_dir))} (loaded {summary})",
              file=sys.stderr)  # fmt: skip
        return 1
    print(f"ok: {summary}" + (f", {warnings} warning(s)" if warnings else ""))
    return 0


def _summary(args: argparse.Namespace, library: Library) -> int:
    from unionbrowse.cli.output import print_summary

    print_summary(library.corpus)
    return 0


def _search(args: argparse.Namespace, library: Library) -> int:
    from unionbrowse.cli.output import print_fact_hits, print_passage_hits
    from unionbrowse.reports.records import fact_hit_record, passage_record, to_json

    query = " ".join(args.query)
    if parse_query(query).has_nothing_to_search:
        return _fail(f"the query {query!r} has nothing to search for (only punctuation or symbols): give a word, "
                     "a figure or Chinese characters; an empty query lists every fact")  # fmt: skip
    limit = args.limit or None
    if args.text:
        passage_hits, total = library.passage_finder.search(query, limit)
        if args.json:
            print(to_json([passage_record(hit) for hit in passage_hits]))
        else:
            print_passage_hits(passage_hits, total)
        return 0
    hits, total = library.fact_finder.search(query, limit)
    if args.json:
        print(to_json([fact_hit_record(hit, library.corpus) for hit in hits]))
    else:
        print_fact_hits(hits, total)
    return 0


def _show(args: argparse.Namespace, library: Library) -> int:
    from unionbrowse.cli.output import print_fact
    from unionbrowse.reports.records import fact_record, to_json

    fact = library.fact(args.fact_id)
    if fact is None:
        return _unknown_fact(args.fact_id, library)
    if args.json:
        print(to_json(fact_record(fact, library.corpus)))
    else:
        print_fact(fact, library.corpus)
    return 0


def _cite(args: argparse.Namespace, library: Library) -> int:
    from unionbrowse.cli.output import print_citation
    from unionbrowse.reports.cite import cite

    fact = library.fact(args.fact_id)
    if fact is None:
        return _unknown_fact(args.fact_id, library)
    accessed = None
    if args.accessed:
        try:
            accessed = dt.date.fromisoformat(args.accessed)
        except ValueError:
            return _fail(f"--accessed {args.accessed!r} is not a date; write YYYY-MM-DD")
    print_citation(cite(fact, args.style, accessed))
    return 0


def _sources(args: argparse.Namespace, library: Library) -> int:
    from unionbrowse.cli.output import print_sources
    from unionbrowse.reports.records import source_detail, to_json

    if args.json:
        print(to_json([source_detail(source) for source in library.corpus.sources.values()]))
    else:
        print_sources(library.corpus)
    return 0


def _source(args: argparse.Namespace, library: Library) -> int:
    from unionbrowse.cli.output import print_source, print_source_text
    from unionbrowse.reports.records import source_detail, to_json

    source = library.corpus.sources.get(args.source_id)
    if source is None:
        return _unknown("source", args.source_id, list(library.corpus.sources))
    if args.text:
        print_source_text(source.text)  # exactly the indexed text: no trailing newline added
    elif args.json:
        print(to_json(source_detail(source)))
    else:
        print_source(source, library.corpus)
    return 0


def _export(args: argparse.Namespace, library: Library) -> int:
    from unionbrowse.reports.export import export

    content = export(library.corpus, args.format)
    if args.output:
        try:
            write_atomically(Path(args.output), content)
        except OSError as error:
            return _fail(f"cannot write {args.output}: {error.strerror or error}; choose a file in a folder you "
                         "can write to")  # fmt: skip
        print(f"wrote {len(library.corpus.facts)} facts to {for_terminal_line(args.output)}", file=sys.stderr)
    else:
        sys.stdout.write(content)
    return 0


def _compare(args: argparse.Namespace, library: Library) -> int:
    from unionbrowse.cli.output import print_comparison
    from unionbrowse.reports.export import comparison_markdown
    from unionbrowse.reports.records import comparison_record, to_json

    if args.metric:
        chosen = library.comparison(args.metric)
        if chosen is None:
            return _unknown("metric", args.metric, list(library.corpus.metrics))
        comparisons = [chosen]
    else:
        comparisons = list(library.comparisons())
    if args.conflicts:
        comparisons = [c for c in comparisons if c.conflicts]
    if args.json:
        print(to_json([comparison_record(c) for c in comparisons]))
    elif args.format == "md":
        print("\n".join(comparison_markdown(c) for c in comparisons), end="")
    else:
        for comparison in comparisons:
            print_comparison(comparison, conflicts_only=args.conflicts)
        if not comparisons:
            print("no conflicts" if args.conflicts else "no metric is reported by two or more sources")
    return 0


def _coverage(args: argparse.Namespace, library: Library) -> int:
    from unionbrowse.cli.output import print_coverage
    from unionbrowse.reports.coverage import context, mentions
    from unionbrowse.reports.records import to_json

    corpus = library.corpus
    if args.source_id and args.source_id not in corpus.sources:
        return _unknown("source", args.source_id, list(corpus.sources))
    chosen = [corpus.sources[args.source_id]] if args.source_id else list(corpus.sources.values())
    report: dict[str, list[dict[str, Any]]] = {}
    for source in chosen:
        rows = [m for m in mentions(corpus, source) if not args.uncovered or m.status == "uncovered"]
        report[source.id] = [
            {"text": m.text, "span": m.span.as_list(), "status": m.status, "fact": m.fact_id,
             "context": context(source, m.span)}
            for m in rows
        ]  # fmt: skip
    if args.json:
        print(to_json(report))
    else:
        print_coverage(report)
    uncovered = sum(1 for rows in report.values() for row in rows if row["status"] == "uncovered")
    return 1 if uncovered else 0


# --- helpers ------------------------------------------------------------------------------------------------


def _unknown_fact(wanted: str, library: Library) -> int:
    # Suggestions from the ids of the same source (the id's prefix), not from every fact of a large corpus.
    prefix = max((sid for sid in library.corpus.sources if wanted.startswith(sid)), key=len, default=None)
    known = [fact.id for fact in library.corpus.facts_of(prefix)] if prefix else []
    return _unknown("fact", wanted, known)


def _unknown(kind: str, wanted: str, known: list[str]) -> int:
    close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.5)
    listing = {"fact": "search", "source": "sources", "metric": "compare"}[kind]
    hint = f"; did you mean {', '.join(close)}?" if close else f"; see `unionbrowse {listing}`"
    return _fail(f"no {kind} `{wanted}`{hint}")
