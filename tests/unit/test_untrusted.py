"""The one boundary for untrusted text: each destination's function on the hostile payload."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import unicodedata

import pytest

from tests.hostile.folders import FORMULA, PAYLOAD
from unionbrowse.untrusted import (
    INVISIBLE_RANGES,
    for_clipboard,
    for_csv,
    for_html,
    for_markdown,
    for_markdown_cell,
    for_terminal,
    for_terminal_line,
    markdown_quote,
    to_json,
)

RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u202c", "\u200b")  # what PAYLOAD carries that must never pass raw


def _invisible(code: int) -> bool:
    return any(first <= code <= last for first, last in INVISIBLE_RANGES)


def _raw_controls(text: str) -> list[str]:
    return [ch for ch in text if _invisible(ord(ch)) and ch not in "\n\t"]


def test_the_table_covers_every_control_and_format_character_of_this_python() -> None:
    missing = [f"U+{code:04X}" for code in range(sys.maxunicode + 1)
               if unicodedata.category(chr(code)) in ("Cc", "Cf") and not _invisible(code)]  # fmt: skip
    assert missing == [], f"add to INVISIBLE_RANGES (Unicode {unicodedata.unidata_version}): {missing}"


def test_terminal_text_shows_every_control_one_for_one() -> None:
    shown = for_terminal(PAYLOAD + "\nnext\tline\r")
    assert len(shown) == len(PAYLOAD) + len("\nnext\tline\r")  # offsets into the text still hold
    assert _raw_controls(shown) == []
    assert shown.startswith("\u241b]0;PWNED-TITLE\u2407")  # ESC and BEL as their pictures
    assert "\nnext\tline\u240d" in shown  # line breaks and tabs kept, a carriage return shown
    assert "[/][b]bold[N]" in shown  # markup is the renderer's side: the text is kept
    assert for_terminal("\ud800") == "\ufffd"  # an unpaired surrogate, which no encoder can write


def test_every_invisible_character_becomes_visible() -> None:
    everything = "".join(chr(code) for first, last in INVISIBLE_RANGES for code in range(first, last + 1))
    assert _raw_controls(for_terminal(everything)) == []
    assert _raw_controls(for_clipboard(everything)) == []
    assert for_clipboard(everything) == "\t\n"


def test_terminal_line_is_one_line() -> None:
    assert for_terminal_line("a\nb\tc") == "a b c"
    assert "\n" not in for_terminal_line(PAYLOAD + "\n" + PAYLOAD)


def test_clipboard_text_loses_controls_and_keeps_words() -> None:
    copied = for_clipboard(PAYLOAD + "\n\n第二段\t表")
    assert not any(ch in copied for ch in RAW)
    assert "PWNED-TITLE" in copied and copied.endswith("\n\n第二段\t表")


@pytest.mark.parametrize("value", [PAYLOAD, {"title": PAYLOAD, "n": [1, 2.5, None]}, "\U000e0041 tag", "\x7f"])
def test_json_escapes_controls_and_reads_back(value: object) -> None:
    text = to_json(value)
    assert _raw_controls(text) == [] and "\\u202e" in to_json(PAYLOAD) and "\\u009b" in to_json(PAYLOAD)
    assert json.loads(text) == value
    assert "工会" in to_json("工会")  # Chinese stays as written


@pytest.mark.parametrize("cell", [FORMULA, "+1", "-2", "@SUM(A1)", " =1", "\t=1", "＝1", "=cmd|' /C calc'!A0", "\u3000=1", "\xa0@x"])
def test_csv_cells_never_start_a_formula(cell: str) -> None:
    safe = for_csv(cell)
    assert safe.startswith("'") and safe[1:] == for_terminal(cell)
    [[read]] = csv.reader(io.StringIO(_row(safe)))
    assert read == safe


def test_csv_keeps_ordinary_cells() -> None:
    assert for_csv("户外劳动者服务站点2911个") == "户外劳动者服务站点2911个"
    assert for_csv("3.24万") == "3.24万"
    assert _raw_controls(for_csv(PAYLOAD)) == []


def _row(cell: str) -> str:
    out = io.StringIO()
    csv.writer(out).writerow([cell])
    return out.getvalue()


def test_markdown_shows_html_and_links_as_text() -> None:
    md = for_markdown(PAYLOAD)
    assert "<img" not in md and "&lt;img" in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md) and "\\[x\\](javascript:" in md  # no live link
    assert "\\[/\\]\\[b\\]bold\\[N\\]" in md
    assert _raw_controls(md) == []


@pytest.mark.parametrize(("text", "escaped"), [
    ("# 标题", "\\# 标题"), ("> 引", "\\> 引"), ("- 项", "\\- 项"), ("+ 项", "\\+ 项"), ("1. 第一", "1\\. 第一"),
    ("===", "\\==="), ("a*b*", "a\\*b\\*"), ("`code`", "\\`code\\`"), ("a|b", "a\\|b"), ("~~s~~", "\\~\\~s\\~\\~"),
    ("\\[", "\\\\\\["), ("&amp;", "&amp;amp;"), ("行\n# 二", "行\n\\# 二"),
])  # fmt: skip
def test_markdown_escapes_what_starts_markup(text: str, escaped: str) -> None:
    assert for_markdown(text) == escaped


@pytest.mark.parametrize("text", ["2023-09-18", "3.24万", "1+1", "截至2023年，全省建成2911个。", "A&B", "a\\b",
                                  "(2025-11-27)", "增长-5%", "2023.年"])  # fmt: skip
def test_markdown_leaves_ordinary_text_as_written(text: str) -> None:
    assert for_markdown(text) == text


def test_markdown_cell_is_one_line_and_escapes_pipes() -> None:
    assert for_markdown_cell("a|b\nc") == "a\\|b<br>c"


def test_markdown_quote_keeps_every_paragraph_in_the_quote() -> None:
    quote = markdown_quote("第一段。\n\n## 小标题\n第二段<img src=x>")
    assert quote == "> 第一段。\n>\n> \\## 小标题\n> 第二段&lt;img src=x>"
    assert all(line.startswith(">") for line in quote.split("\n"))


def test_html_escapes_tags_and_quotes() -> None:
    html = for_html(PAYLOAD + '"\'')
    assert "<img" not in html and "&lt;img" in html and "&quot;&#x27;" in html
    assert _raw_controls(html) == []
