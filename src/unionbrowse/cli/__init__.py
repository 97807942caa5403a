"""The command line: every view of the app has a scripting twin with stable JSON. Never imports textual.

The entry point is ``unionbrowse.main``; ``cli.commands`` holds the subcommands, ``cli.exits`` how a run ends.
"""
