"""The query language, and the engine's promise that any string is a valid query."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unionbrowse.library import Library
from unionbrowse.search.finder import FactFinder
from unionbrowse.search.query import MAX_TERMS, Term, parse


def test_space_is_and_bar_is_or() -> None:
    query = parse("金秋 助学 | 送温暖 gh")
    assert query.groups == ((Term("金秋"),), (Term("助学"), Term("送温暖")), (Term("gh"),))


def test_exact_not_and_fields() -> None:
    query = parse("'驿站 !昆明 topic:services source:grrb year:2023 scope:昌宁 SCOPE:县")
    assert query.groups == ((Term("驿站", exact=True),),)
    assert query.excluded == (Term("昆明"),)
    assert query.filters == {"topic": ("services",), "source": ("grrb",), "year": ("2023",), "scope": ("昌宁", "县")}
    assert parse("metric:legal-aid").filters == {"metric": ("legal-aid",)}


@pytest.mark.parametrize("text", ["", "   ", "!", "'", "!'", "|", "| |", "topic:", "\x00\x1b"])
def test_degenerate_queries_are_empty(text: str) -> None:
    assert parse(text).is_empty


def test_a_huge_query_is_cut_not_refused() -> None:
    query = parse(" ".join(["工会"] * 5000))
    assert len(query.groups) == MAX_TERMS


@pytest.fixture(scope="module")
def finder(library: Library, tmp_path_factory: pytest.TempPathFactory) -> FactFinder:
    return FactFinder(library.corpus, library.key, root=tmp_path_factory.mktemp("cache"))


_ALPHABET = st.sampled_from([*list("工会驿站雲南戶外 gonghuizx!'|:()[]*.?+\\^$\"\x00\x1b\n\t😀🇨🇳0123.4万亿"), "topic:", "source:", "year:", "scope:", "'", "!", " | "])


_SYNTAX = re.compile(r"[!|'^$:\s\\]")  # the query language's own characters: such text is not searched as written


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=30), st.lists(_ALPHABET, max_size=12).map("".join)))
def test_any_string_is_a_valid_query(finder: FactFinder, text: str) -> None:
    hits, total = finder.search(text, limit=10)
    assert len(hits) <= 10 and total >= len(hits)
    # (Digits alone are numbers to the engine, matched as figures, not as text: issue 10 takes that up.)
    words = any(not char.isdigit() and char.isalnum() for char in text)
    if words and not _SYNTAX.search(text) and any(text in fact.statement for fact in finder.corpus.facts):
        assert hits, text  # a piece of a fact's own words is always found
    for hit in hits:
        assert 0 <= hit.score <= 100
        for name in ("statement", "quote"):
            own = getattr(hit.fact, name)
            assert all(0 <= start < end <= len(own) for start, end in hit.matches[name])


def test_very_long_and_binary_queries(finder: FactFinder) -> None:
    for text in ("驿站" * 5000, "a" * 10_000, "\x00" * 100, "(" * 50 + "[" * 50, "🇨🇳" * 300):
        hits, _ = finder.search(text, limit=5)
        assert len(hits) <= 5
    assert finder.search("驿站 " * 5000, limit=5)[0]  # cut to its first terms, which still find
