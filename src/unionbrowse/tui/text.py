"""Corpus text for the screen: always literal, never markup, never escape codes."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

# Control characters would move the cursor or change colours; show each as its visible Unicode picture instead,
# one character for one, so offsets into the text still hold.
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
_PICTURES.pop(ord("\n"))


def visible(text: str) -> str:
    return text.translate(_PICTURES)


def safe_text(text: str, style: str | Style = "") -> Text:
    """A ``rich.text.Text``: Rich and Textual never parse it as markup."""
    return Text(visible(text), style=style)
