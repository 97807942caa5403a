"""The ``unionbrowse`` command: the terminal app when started bare on a terminal, a CLI subcommand otherwise.

The two are siblings that never import each other, so a CLI subcommand never pays for (or depends on) textual.
Either way the exit code says how it went (``cli.exits``: 0, 1, 2, and 3 for a crash): the app exits 3 after
a crash, once Textual has restored the terminal and printed what happened.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from unionbrowse.cli.exits import guarded, standard_streams
    from unionbrowse.cli.parser import build_parser

    with standard_streams():
        args = guarded(lambda: build_parser().parse_args(argv), "reading the command line")
        if not isinstance(args, argparse.Namespace):
            return args  # the command line could not be read: already said why
        if args.command is None and _on_terminal():
            return guarded(lambda: run_app(args.data), "the app")
        from unionbrowse.cli.commands import run

        return run(args)


def _on_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty() and sys.stdout.isatty()


def run_app(data: str | None) -> int:
    """Run the app on the data folder; 0 when the reader quit, ``EXIT_INTERNAL`` when it crashed."""
    from unionbrowse.cli.exits import EXIT_INTERNAL
    from unionbrowse.locations import resolve_data_dir
    from unionbrowse.tui.app import UnionBrowseApp

    app = UnionBrowseApp(resolve_data_dir(data))
    app.run()
    return EXIT_INTERNAL if app.return_code else 0
