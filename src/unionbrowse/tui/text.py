"""Corpus text for the screen: always literal, never markup, never escape codes.

The rule itself is ``unionbrowse.untrusted.for_terminal`` (the one boundary for untrusted text); this module turns
its output into what Textual and Rich draw without parsing: ``Text``, or markup with every bracket escaped where
Textual insists on markup.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from unionbrowse.untrusted import for_terminal, for_terminal_line


def visible(text: str) -> str:
    """Controls, bidi and zero-width characters as visible symbols, one for one (offsets still hold)."""
    return for_terminal(text)


def visible_line(text: str) -> str:
    """As ``visible``, on one line: for labels drawn a line each (a tree node shows only its first line)."""
    return for_terminal_line(text)


def safe_text(text: str, style: str | Style = "") -> Text:
    """A ``rich.text.Text``: Rich and Textual never parse it as markup."""
    return Text(visible(text), style=style)


def safe_line(text: str, style: str | Style = "") -> Text:
    """As ``safe_text``, on one line."""
    return Text(visible_line(text), style=style)


def literal_markup(text: str) -> str:
    """Markup that Textual renders as exactly ``visible_line(text)``: for the few places (the palette's help)
    that take markup only."""
    # Every bracket escaped: Textual's own ``escape`` leaves ``[N]`` and ``[1]`` to be read as tags. Backslashes
    # before a bracket stay literal, so nothing else needs escaping.
    return visible_line(text).replace("[", "\\[")
