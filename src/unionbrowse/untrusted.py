"""The one boundary for untrusted text: everything from the data folder is made safe for where it goes.

Article text, titles, outlets and every other string of a data file may hold escape sequences, bidi overrides or
zero-width characters (pasted from any web page), markup (``[/]``, ``<img onerror=...>``) or spreadsheet
formulas. Each destination has one function here, and nothing from the corpus reaches a destination any other way:

- ``for_terminal``: shown by the app or printed by the CLI. Every control and invisible format character becomes a
  visible symbol, one character for one, so offsets into the text still hold. (Markup is the renderer's side:
  the app builds ``Content``/``Text`` from this string, never markup.)
- ``for_clipboard``: copied; controls removed, line breaks and tabs kept.
- ``to_json``: the JSON text; controls written as ``\\uXXXX`` escapes.
- ``for_csv``: a spreadsheet cell that can never start a formula.
- ``for_markdown`` / ``for_markdown_cell`` / ``markdown_quote``: Markdown with no markup, HTML or link of its own.
- ``for_html``: HTML text.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

_KEPT = {ord("\n"), ord("\t")}


# Every control (Cc) and format (Cf) character of Unicode 15: bidi marks and overrides, zero-width spaces and
# joiners, the BOM, tags; plus the line and paragraph separators (U+2028, U+2029) a terminal would break on.
# Written out rather than derived from unicodedata at import, which would cost every CLI call 30 ms; a test checks
# the table still covers the running Python's Unicode.
INVISIBLE_RANGES = (
    (0x0000, 0x001F), (0x007F, 0x009F), (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD),
    (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x2028, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD),
    (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)  # fmt: skip


# Unpaired surrogates (a YAML "\\ud800" escape gives one): no encoder can write them, so they show as U+FFFD.
SURROGATES = (0xD800, 0xDFFF)

_INVISIBLE = [code for first, last in (*INVISIBLE_RANGES, SURROGATES) for code in range(first, last + 1)]
# C0 controls have pictures of their own (␛ for ESC); DEL has ␡; the rest show as the replacement character.
_PICTURES: dict[int, str] = {
    code: chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\ufffd" for code in _INVISIBLE
}
for _code in _KEPT:
    _PICTURES.pop(_code)
_REMOVED: dict[int, None] = dict.fromkeys(_PICTURES)


def _json_escape(code: int) -> str:
    """``\\uXXXX`` (a surrogate pair beyond the BMP), as JSON writes a character it must not show raw."""
    if code > 0xFFFF:
        high, low = divmod(code - 0x10000, 0x400)
        return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"
    return f"\\u{code:04x}"


_JSON_ESCAPES = {code: _json_escape(code) for code in _PICTURES if code >= 0x7F}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

# Markdown: only what can start markup where it stands, so ordinary text (3.24万, 2023-09-18, 1+1) reads as
# written. Anywhere: a backslash before punctuation, code, emphasis, strike-through, brackets (links, images,
# footnotes), table pipes, HTML tags and entities.
_MARKDOWN_ANYWHERE = re.compile(r"\\(?=[!-/:-@\[-`{-~])|[`*_~\[\]|]")
_MARKDOWN_HTML = re.compile(r"<|&(?=#?\w+;)")
# At the start of a line: headings, block quotes, list items, thematic breaks and setext underlines.
_MARKDOWN_LINE_START = re.compile(r"(?m)^([ \t]*)([#>+=-]|\d{1,9}(?=[.)](?:\s|$)))")
_HTML_ENTITIES = {"<": "&lt;", "&": "&amp;"}


def for_terminal(text: str) -> str:
    """Text to show on a terminal: controls and invisible characters as visible symbols, line breaks kept."""
    return text.translate(_PICTURES)


def for_terminal_line(text: str) -> str:
    """As ``for_terminal``, on one line: a line break shows as a space."""
    return for_terminal(text).replace("\n", " ").replace("\t", " ")


def for_clipboard(text: str) -> str:
    """Text to copy: controls and invisible characters removed (a pasted ESC or bidi override would act in the
    next program), line breaks and tabs kept."""
    return text.translate(_REMOVED)


def to_json(value: Any, indent: int | None = 2) -> str:
    """JSON with the characters kept as written, except controls and invisible characters, which are escaped:
    a reader sees ``\\u202e`` rather than text that turns itself around."""
    return json.dumps(value, ensure_ascii=False, indent=indent).translate(_JSON_ESCAPES)


def for_csv(text: str) -> str:
    """A CSV cell: shown as text by a spreadsheet, never run as a formula (``=HYPERLINK(...)``), and visible."""
    cell = for_terminal(text)
    # Any leading whitespace (an ideographic space opens many Chinese paragraphs) is looked past.
    return "'" + cell if cell.startswith(_FORMULA_STARTS) or cell.lstrip().startswith(_FORMULA_STARTS) else cell


def for_markdown(text: str) -> str:
    """Markdown text: shows as written, with no markup, HTML or link of its own (``[x](javascript:...)`` stays
    text). Only what could start markup where it stands is escaped; controls are visible symbols."""
    escaped = _MARKDOWN_ANYWHERE.sub(lambda m: "\\" + m.group(), for_terminal(text))
    escaped = _MARKDOWN_HTML.sub(lambda m: _HTML_ENTITIES[m.group()], escaped)
    return _MARKDOWN_LINE_START.sub(_escape_line_start, escaped)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    return f"{indent}{marker}\\" if marker[0].isdigit() else f"{indent}\\{marker}"


def for_markdown_cell(text: str) -> str:
    """A Markdown table cell (or heading): as ``for_markdown``, on one line."""
    return for_markdown(text).replace("\n", "<br>")


def markdown_quote(text: str) -> str:
    """A block quote of every line of ``text`` (a passage across paragraphs stays one quote)."""
    return "\n".join(f"> {for_markdown(line)}" if line.strip() else ">" for line in text.split("\n"))


def for_html(text: str) -> str:
    """HTML text: tags, entities and quotes escaped; controls are visible symbols."""
    return html.escape(for_terminal(text), quote=True)
