"""The command line: every view of the app has a scripting twin with stable JSON. Never imports textual."""

from unionbrowse.cli.commands import main

__all__ = ["main"]
