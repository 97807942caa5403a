"""The ``unionbrowse`` command: the terminal app when started bare on a terminal, a CLI subcommand otherwise.

The two are siblings that never import each other, so a CLI subcommand never pays for (or depends on) textual.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from unionbrowse.cli.commands import run
    from unionbrowse.cli.parser import build_parser
    from unionbrowse.locations import resolve_data_dir

    args = build_parser().parse_args(argv)
    if args.command is None and sys.stdin.isatty() and sys.stdout.isatty():
        from unionbrowse.tui.app import UnionBrowseApp

        UnionBrowseApp(resolve_data_dir(args.data)).run()
        return 0
    return run(args)
