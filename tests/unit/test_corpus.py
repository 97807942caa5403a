"""The shipped fact base: valid, and every quote exactly where its span says."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

from unionbrowse.cli.commands import main
from unionbrowse.library import Library
from unionbrowse.reports.coverage import mentions


def test_shipped_data_has_no_errors(library: Library) -> None:
    assert [str(problem) for problem in library.errors] == []
    assert len(library.corpus.sources) == 5


def test_every_source_has_facts(library: Library) -> None:
    for source_id in library.corpus.sources:
        assert sum(fact.source.id == source_id for fact in library.corpus.facts) >= 20


def test_source_text_sliced_at_each_span_is_the_quote(library: Library) -> None:
    texts = {}
    for source_id in library.corpus.sources:
        out = io.StringIO()
        with redirect_stdout(out):
            assert main(["source", source_id, "--text"]) == 0
        texts[source_id] = out.getvalue()
    for fact in library.corpus.facts:
        assert texts[fact.source.id][fact.span.start : fact.span.end] == fact.quote, fact.id


def test_quotes_stay_in_their_source_script(library: Library) -> None:
    traditional = [fact for fact in library.corpus.facts if fact.source.is_traditional]
    assert traditional
    assert all(fact.quote in fact.source.text for fact in traditional)
    # The traditional article's quotes were not silently converted to simplified.
    assert any("萬" in fact.quote or "項" in fact.quote for fact in traditional)


def test_every_figure_in_every_body_is_accounted_for(library: Library) -> None:
    uncovered = {
        source.id: [(m.text, source.text[max(0, m.span.start - 8) : m.span.end + 8])
                    for m in mentions(library.corpus, source) if m.status == "uncovered"]
        for source in library.corpus.sources.values()
    }
    assert {source_id: rows for source_id, rows in uncovered.items() if rows} == {}


def test_fact_ids_are_unique_and_prefixed_by_their_source(library: Library) -> None:
    ids = [fact.id for fact in library.corpus.facts]
    assert len(ids) == len(set(ids))
    assert all(fact.id.startswith(fact.source.id + "-") for fact in library.corpus.facts)


def test_figures_agree_with_their_text(library: Library) -> None:
    from unionbrowse.corpus.numbers import parse_quantity

    checked = 0
    for fact in library.corpus.facts:
        for quantity in fact.quantities:
            parsed = parse_quantity(quantity.text)
            if parsed is not None:
                assert parsed.value == quantity.value, (fact.id, quantity.text)
                checked += 1
    assert checked >= 150
