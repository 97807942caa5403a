"""Exports and citations of hostile data: CSV cells never start a formula, Markdown has no HTML or live link of
the data's own, and a Markdown citation of a passage across paragraphs keeps every line in its block quote."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.folders import FORMULA, copy_data, edit
from unionbrowse.library import Library
from unionbrowse.reports.cite import cite_list, cite_passage
from unionbrowse.reports.export import comparison_markdown, export

FORMULAS = {"statement": FORMULA, "period": "+1+cmd|' /C calc'!A0", "scope": "-2+3", "actor": "@SUM(A1:A9)"}
LIVE_LINK = re.compile(r"(?<!\\)\]\((?:javascript|data):", re.IGNORECASE)


@pytest.fixture(scope="module")
def formula_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The shipped data with a formula in each text field of one fact and in its source's title and outlet."""
    folder = copy_data(tmp_path_factory.mktemp("formula") / "data")

    def facts(value: dict[str, Any]) -> None:
        value["facts"][0].update(FORMULAS)

    edit(folder / "facts" / "njr-2022.yaml", facts)

    def sources(value: dict[str, Any]) -> None:
        for source in value["sources"]:
            if source["id"] == "njr-2022":
                source["title"], source["outlet"] = "=1+1", "@outlet"

    edit(folder / "sources.yaml", sources)
    return Library.open(folder, cache=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def poisoned_library(poisoned_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Library:
    return Library.open(poisoned_data, cache=tmp_path_factory.mktemp("cache"))


def test_csv_cells_that_would_be_formulas_are_prefixed(formula_library: Library) -> None:
    assert formula_library.errors == []
    rows = list(csv.DictReader(io.StringIO(export(formula_library.corpus, "csv"))))
    [row] = [r for r in rows if r["statement"].lstrip("'") == FORMULA]
    for field, text in FORMULAS.items():
        assert row[field] == "'" + text, field
    assert row["outlet"] == "'@outlet"
    assert row["span_start"].isdigit() and row["span_end"].isdigit()  # numbers we compute stay numbers
    assert [cell for r in rows for cell in r.values() if cell and cell[0] in "=+-@"] == []
    assert all(r["quote"] and r["quote"][0] != "'" for r in rows if r["id"] != row["id"])  # the rest as written


def test_csv_values_keep_their_numbers(formula_library: Library) -> None:
    rows = list(csv.DictReader(io.StringIO(export(formula_library.corpus, "csv"))))
    values = [r["value"] for r in rows if r["value"]]
    assert values and all(re.fullmatch(r"\d+(\.\d+)?", value) for value in values)


def test_markdown_export_has_no_html_nor_live_link(poisoned_library: Library) -> None:
    markdown = export(poisoned_library.corpus, "md")
    assert "PWNED-TITLE" in markdown  # the poisoned titles and statements are there ...
    assert "<img" not in markdown and "&lt;img" in markdown  # ... their HTML shown, not run
    assert not LIVE_LINK.search(markdown) and "\\[x\\](javascript:" in markdown
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert len(headings) == len(poisoned_library.corpus.sources)  # a title never breaks out of its heading


def test_comparison_markdown_has_no_html_nor_live_link(poisoned_library: Library) -> None:
    tables = [comparison_markdown(c, style) for c in poisoned_library.comparisons()
              for style in ("gbt7714", "markdown")]  # fmt: skip
    assert tables
    for table in tables:
        assert "PWNED-TITLE" in table and "<img" not in table and not LIVE_LINK.search(table)
        rows = [line for line in table.splitlines() if line.startswith("| ")]
        assert rows and all(line.count(" | ") == 6 for line in rows[2:])  # no cell spills into the next


def test_a_markdown_citation_across_paragraphs_is_one_block_quote(library: Library) -> None:
    source = library.corpus.sources["grrb-20230918"]
    start = source.text.index("\n## ") - 40  # the end of a paragraph, a section heading and the next paragraph
    passage = source.text[start : source.text.index("\n", source.text.index("\n## ") + 4) + 60]
    assert passage.count("\n") >= 2
    cited = cite_passage(passage, source, "markdown")
    quote, reference = cited.split("\n\n— ")
    assert all(line.startswith(">") for line in quote.split("\n"))
    assert len(quote.split("\n")) == passage.count("\n") + 1  # every line of the passage, in order
    assert "> \\## " in quote  # the article's heading is quoted text, not a heading of the citation
    assert reference.startswith("黄榆, 《")


def test_a_markdown_list_keeps_each_passage_in_its_item(library: Library) -> None:
    source = library.corpus.sources["grrb-20230918"]
    first = source.text[: source.text.index("\n") + 30]
    listed = cite_list([(first, source), ("<img src=x onerror=alert(1)>", source)], "markdown")
    items = listed.split("\n\n")[0].split("\n")
    assert items[0].startswith("1. ") and all(line.startswith("   ") for line in items[1:-1])
    assert items[-1] == "2. &lt;img src=x onerror=alert(1)> [1]"


def test_real_citations_are_unchanged_by_the_escaping(library: Library) -> None:
    for fact in library.corpus.facts:
        assert cite_passage(fact.quote, fact.source, "markdown").startswith(f"> {fact.quote}\n\n— "), fact.id
