"""The command line's grammar: the subcommands, their arguments and their help."""

from __future__ import annotations

import argparse

from unionbrowse import __version__
from unionbrowse.reports.cite import STYLES


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="unionbrowse",
        description="Find, read and cite the figures in news reports on the work of Chinese trade unions.",
    )
    parser.add_argument("--version", action="version", version=f"unionbrowse {__version__}")
    parser.add_argument("--data", metavar="DIR", type=_folder, help="data folder (default: $UNIONBROWSE_DATA or the bundled corpus)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("check", help="validate the data folder; exit 1 on any problem")
    commands.add_parser("summary", help="the corpus in brief, and the commands")

    search = commands.add_parser("search", help="search the facts (or, with --text, the articles' sentences)")
    search.add_argument("query", nargs="*", help="what to look for (empty: everything in reading order); "
                        "see the README for pinyin, numbers, 'exact, !not, a | b, topic: source: year: scope:")
    search.add_argument("--text", action="store_true", help="full text: sentences of the sources, not facts")
    search.add_argument("--limit", type=_count, default=20, help="at most N results (default 20; 0 for all)")
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


def _folder(text: str) -> str:
    """``--data ''`` (an unset shell variable) is a mistake, never a quiet fall back to the bundled corpus."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty folder name; give the data folder's path")
    return text


def _count(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{number} is negative; give 0 for all, or a positive number")
    return number
