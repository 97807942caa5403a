"""The command line: every view has a scripting twin with stable JSON. Never imports textual."""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from unionbrowse import __version__
from unionbrowse.corpus.validate import LoadResult, load
from unionbrowse.files import write_atomically
from unionbrowse.locations import resolve_data_dir
from unionbrowse.reports.cite import STYLES


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="unionbrowse",
        description="Find, read and cite the figures in news reports on the work of Chinese trade unions.",
    )
    parser.add_argument("--version", action="version", version=f"unionbrowse {__version__}")
    parser.add_argument("--data", metavar="DIR", help="data folder (default: $UNIONBROWSE_DATA or the bundled corpus)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("check", help="validate the data folder; exit 1 on any problem")
    commands.add_parser("summary", help="the corpus in brief, and the commands")

    search = commands.add_parser("search", help="search the facts (or, with --text, the articles' sentences)")
    search.add_argument("query", nargs="*", help="what to look for (empty: everything in reading order); "
                        "see the README for pinyin, numbers, 'exact, !not, a | b, topic: source: year: scope:")
    search.add_argument("--text", action="store_true", help="full text: sentences of the sources, not facts")
    search.add_argument("--limit", type=int, default=20, help="at most N results (default 20; 0 for all)")
    search.add_argument("--json", action="store_true", help="print JSON")

    show = commands.add_parser("show", help="one fact in full")
    show.add_argument("fact_id")
    show.add_argument("--json", action="store_true", help="print JSON")

    cite = commands.add_parser("cite", help="a fact's quote with its citation")
    cite.add_argument("fact_id")
    cite.add_argument("--style", choices=STYLES, default="gbt7714",
                      help="gbt7714 (GB/T 7714-2015), gbt7714-2025 (full-width form), plain, markdown")
    cite.add_argument("--accessed", metavar="YYYY-MM-DD", help="access date for web sources (default: today)")

    sources = commands.add_parser("sources", help="list the articles")
    sources.add_argument("--json", action="store_true", help="print JSON")

    source = commands.add_parser("source", help="one article: its record, or its clean text")
    source.add_argument("source_id")
    source.add_argument("--text", action="store_true", help="print the clean text exactly as spans index it")
    source.add_argument("--json", action="store_true", help="print JSON")

    export = commands.add_parser("export", help="all facts as JSON, CSV or Markdown")
    export.add_argument("--format", choices=("json", "csv", "md"), default="json")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")

    compare = commands.add_parser("compare", help="one metric across sources: the figures, how they differ, conflicts")
    compare.add_argument("metric", nargs="?", help="a metric key (default: every metric two or more sources report)")
    compare.add_argument("--conflicts", action="store_true", help="only the differences nothing in the data explains")
    compare.add_argument("--format", choices=("table", "md"), default="table", help="md: a table with citations")
    compare.add_argument("--json", action="store_true", help="print JSON")

    coverage = commands.add_parser("coverage", help="every number in the article bodies and the fact covering it")
    coverage.add_argument("source_id", nargs="?")
    coverage.add_argument("--uncovered", action="store_true", help="only numbers no fact or reason accounts for")
    coverage.add_argument("--json", action="store_true", help="print JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The CLI alone (``unionbrowse.main`` starts the app instead when there is no command on a terminal)."""
    return run(build_parser().parse_args(argv))


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `unionbrowse export | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _run(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(args.data)
    if data_dir is None:
        return _fail("no data folder found; pass --data DIR or set UNIONBROWSE_DATA")
    if not data_dir.is_dir():
        return _fail(f"data folder {data_dir} does not exist")
    result = load(data_dir)
    if args.command == "check":
        return _check(result, data_dir)
    if result.errors:
        print(f"unionbrowse: {len(result.errors)} data problem(s) in {data_dir}; showing what is valid "
              "(run `unionbrowse check` for details)", file=sys.stderr)
    handler = {
        None: _summary, "summary": _summary, "search": _search, "show": _show, "cite": _cite, "sources": _sources,
        "source": _source, "export": _export, "coverage": _coverage, "compare": _compare,
    }[args.command]  # fmt: skip
    return handler(args, result)


# --- commands -----------------------------------------------------------------------------------------------


def _check(result: LoadResult, data_dir: Path) -> int:
    from unionbrowse.reports.compare import near_identical_metrics

    result.problems.extend(near_identical_metrics(result.corpus))
    for problem in result.problems:
        print(problem, file=sys.stderr if problem.severity == "error" else sys.stdout)
    corpus = result.corpus
    used_metrics = {fact.metric for fact in corpus.facts if fact.metric}
    summary = (f"{len(corpus.sources)} sources, {len(corpus.facts)} facts, {len(corpus.topics)} topics, "
               f"{len(used_metrics)} metrics in use")
    if result.errors:
        print(f"check failed: {len(result.errors)} error(s), {len(result.warnings)} warning(s) in {data_dir} "
              f"(loaded {summary})", file=sys.stderr)
        return 1
    print(f"ok: {summary}" + (f", {len(result.warnings)} warning(s)" if result.warnings else ""))
    return 0


def _summary(args: argparse.Namespace, result: LoadResult) -> int:
    from unionbrowse.cli.output import print_summary

    print_summary(result.corpus)
    return 0


def _search(args: argparse.Namespace, result: LoadResult) -> int:
    from unionbrowse.cli.output import print_fact_hits, print_passage_hits
    from unionbrowse.reports.export import fact_record, passage_record, to_json
    from unionbrowse.search.finder import FactFinder, PassageFinder

    query = " ".join(args.query)
    limit = args.limit or None
    if args.text:
        passage_hits, total = PassageFinder(result.corpus).search(query, limit)
        if args.json:
            print(to_json([passage_record(hit) for hit in passage_hits]))
        else:
            print_passage_hits(passage_hits, total)
        return 0
    hits, total = FactFinder(result.corpus).search(query, limit)
    if args.json:
        records = [{**fact_record(hit.fact, result.corpus), "score": hit.score, "matched": hit.field,
                    "matches": {name: [list(span) for span in spans] for name, spans in hit.matches.items()}}
                   for hit in hits]  # fmt: skip
        print(to_json(records))
    else:
        print_fact_hits(hits, total)
    return 0


def _show(args: argparse.Namespace, result: LoadResult) -> int:
    from unionbrowse.cli.output import print_fact
    from unionbrowse.reports.export import fact_record, to_json

    fact = result.corpus.fact(args.fact_id)
    if fact is None:
        return _unknown("fact", args.fact_id, [f.id for f in result.corpus.facts])
    if args.json:
        print(to_json(fact_record(fact, result.corpus)))
    else:
        print_fact(fact, result.corpus)
    return 0


def _cite(args: argparse.Namespace, result: LoadResult) -> int:
    from unionbrowse.reports.cite import cite

    fact = result.corpus.fact(args.fact_id)
    if fact is None:
        return _unknown("fact", args.fact_id, [f.id for f in result.corpus.facts])
    accessed = None
    if args.accessed:
        try:
            accessed = dt.date.fromisoformat(args.accessed)
        except ValueError:
            return _fail(f"--accessed {args.accessed!r} is not a date; write YYYY-MM-DD")
    print(cite(fact, args.style, accessed))
    return 0


def _sources(args: argparse.Namespace, result: LoadResult) -> int:
    from unionbrowse.cli.output import print_sources
    from unionbrowse.reports.export import source_detail, to_json

    if args.json:
        print(to_json([source_detail(source) for source in result.corpus.sources.values()]))
    else:
        print_sources(result.corpus)
    return 0


def _source(args: argparse.Namespace, result: LoadResult) -> int:
    from unionbrowse.cli.output import print_source
    from unionbrowse.reports.export import source_detail, to_json

    source = result.corpus.sources.get(args.source_id)
    if source is None:
        return _unknown("source", args.source_id, list(result.corpus.sources))
    if args.text:
        sys.stdout.write(source.text)  # exactly the indexed text: no trailing newline added
    elif args.json:
        print(to_json(source_detail(source)))
    else:
        print_source(source, result.corpus)
    return 0


def _export(args: argparse.Namespace, result: LoadResult) -> int:
    from unionbrowse.reports.export import export

    content = export(result.corpus, args.format)
    if args.output:
        write_atomically(Path(args.output), content)
        print(f"wrote {len(result.corpus.facts)} facts to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(content)
    return 0


def _compare(args: argparse.Namespace, result: LoadResult) -> int:
    from unionbrowse.cli.output import print_comparison
    from unionbrowse.reports.compare import compare_all, compare_metric, comparison_record
    from unionbrowse.reports.export import comparison_markdown, to_json

    corpus = result.corpus
    if args.metric and args.metric not in corpus.metrics:
        return _unknown("metric", args.metric, list(corpus.metrics))
    comparisons = [compare_metric(corpus, args.metric)] if args.metric else compare_all(corpus)
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


def _coverage(args: argparse.Namespace, result: LoadResult) -> int:
    from unionbrowse.cli.output import print_coverage
    from unionbrowse.reports.coverage import context, mentions
    from unionbrowse.reports.export import to_json

    corpus = result.corpus
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


def _fail(message: str) -> int:
    print(f"unionbrowse: {message}", file=sys.stderr)
    return 2


def _unknown(kind: str, wanted: str, known: list[str]) -> int:
    close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.5)
    listing = {"fact": "search", "source": "sources", "metric": "compare"}[kind]
    hint = f"; did you mean {', '.join(close)}?" if close else f"; see `unionbrowse {listing}`"
    return _fail(f"no {kind} `{wanted}`{hint}")
