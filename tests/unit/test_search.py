"""The search engine on the real fact base: each kind of query a reader types, and the ranking it gets."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from unionbrowse.corpus.script import fold
from unionbrowse.library import Library
from unionbrowse.search.finder import FactFinder, FactHit, PassageFinder


@pytest.fixture(scope="module")
def finder(library: Library, tmp_path_factory: pytest.TempPathFactory) -> FactFinder:
    return FactFinder(library.corpus, library.key, root=tmp_path_factory.mktemp("cache"))


def top(finder: FactFinder, query: str, n: int = 3) -> list[FactHit]:
    hits, _ = finder.search(query, limit=n)
    return hits


def top_ids(finder: FactFinder, query: str, n: int = 3) -> list[str]:
    return [hit.fact.id for hit in top(finder, query, n)]


# --- scripts ------------------------------------------------------------------------------------------------


def test_simplified_query_finds_traditional_text(finder: FactFinder) -> None:
    hits = top(finder, "户外劳动者驿站")
    assert any(hit.fact.source.is_traditional and "戶外勞動者驛站" in hit.fact.quote for hit in hits)


def test_traditional_query_finds_simplified_text(finder: FactFinder) -> None:
    hits = top(finder, "產業工人隊伍")
    assert any(not hit.fact.source.is_traditional and "产业工人队伍" in hit.fact.quote for hit in hits)


def test_match_spans_index_the_original_script(finder: FactFinder) -> None:
    hit = next(h for h in top(finder, "户外劳动者驿站", 10) if h.fact.source.is_traditional and h.matches["quote"])
    start, end = hit.matches["quote"][0]
    assert hit.fact.quote[start:end] == "戶外勞動者驛站"


# --- pinyin -------------------------------------------------------------------------------------------------


def test_full_pinyin_joined(finder: FactFinder) -> None:
    hits = top(finder, "yizhan")
    assert hits and all("驿站" in hit.fact.statement or "驛站" in hit.fact.quote for hit in hits)


def test_full_pinyin_spaced(finder: FactFinder) -> None:
    hits = top(finder, "falv yuanzhu")
    assert hits and all("法律援助" in hit.fact.statement for hit in hits)


def test_initials(finder: FactFinder) -> None:
    hits = top(finder, "jqzx")
    assert hits and all("金秋助学" in hit.fact.statement for hit in hits)
    start, end = hits[0].matches["statement"][0]
    assert hits[0].fact.statement[start:end] == "金秋助学"


def test_mixed_characters_and_pinyin(finder: FactFinder) -> None:
    hits = top(finder, "安全shengchan")
    assert hits and all("安全生产" in fold(hit.fact.statement + hit.fact.quote) for hit in hits)


def test_polyphone_read_by_word_other_reading_still_reachable(finder: FactFinder) -> None:
    # 行 in 农商行 is hang (bank); xing, its other reading, still finds it, ranked lower.
    word = top(finder, "nongshanghang", 1)
    other = top(finder, "nongshangxing", 1)
    assert word and "农商行" in word[0].fact.statement
    assert other and other[0].fact.id == word[0].fact.id
    assert word[0].score > other[0].score


def test_half_typed_syllable_while_typing(finder: FactFinder) -> None:
    hits = top(finder, "falvyuanz")
    assert hits and all("法律援助" in hit.fact.statement for hit in hits)


# --- English, typos, several terms ----------------------------------------------------------------------


def test_english(finder: FactFinder) -> None:
    assert any(hit.fact.metric == "legal-aid-cases" for hit in top(finder, "legal aid cases"))
    assert any("contest" in hit.fact.en.lower() for hit in top(finder, "skills contest"))


def test_typo_in_chinese(finder: FactFinder) -> None:
    hits = top(finder, "技能人材")
    assert any("技能人才" in hit.fact.quote for hit in hits)


def test_missing_character(finder: FactFinder) -> None:
    hits = top(finder, "户外劳者驿站")
    assert any("户外劳动者驿站" in fold(hit.fact.quote) for hit in hits)


def test_typo_in_english(finder: FactFinder) -> None:
    assert any(hit.fact.metric == "legal-aid-cases" for hit in top(finder, "legl aid"))


def test_several_terms_in_any_order(finder: FactFinder) -> None:
    assert set(top_ids(finder, "金秋 助学")) == set(top_ids(finder, "助学 金秋"))
    hits = top(finder, "助学 金秋")
    assert hits and all("金秋助学" in fold(hit.fact.quote) for hit in hits)


# --- numbers ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "fact_id"),
    [
        ("3143", "njr-2022-technical-experts"),
        ("1.1亿", "njr-2022-migrant-investment"),
        ("3.24万", "ynw-20240313-warmth-funds"),
        ("32400", "ynw-20240313-warmth-funds"),  # the figure, however the text wrote it
        ("350.8万", "grrb-20230918-skills-training"),  # the traditional text writes 350.8萬
        ("110000000", "njr-2022-migrant-investment"),
    ],
)
def test_numbers_as_people_write_them(finder: FactFinder, query: str, fact_id: str) -> None:
    assert fact_id in top_ids(finder, query)


def test_a_figure_outranks_a_mention(finder: FactFinder) -> None:
    hits = top(finder, "109", 10)
    figures = [hit for hit in hits if any(q.value == 109 for q in hit.fact.quantities)]
    mentions = [hit for hit in hits if hit not in figures]
    assert figures and mentions
    assert min(hit.score for hit in figures) > max(hit.score for hit in mentions)


def test_year(finder: FactFinder) -> None:
    hits = top(finder, "2016")
    assert hits and all("2016" in hit.fact.quote or "2016" in (hit.fact.period or "") for hit in hits)


# --- filters and operators --------------------------------------------------------------------------------


def test_topic_filter(finder: FactFinder) -> None:
    hits, total = finder.search("topic:legal-aid", limit=None)
    assert total == len(hits) > 0 and all(hit.fact.topic.id == "rights.legal-aid" for hit in hits)
    # A label names a branch: 法律援助 is also in its parent's label 维权与法律援助, so the whole branch matches.
    branch = {hit.fact.topic.id for hit in finder.search("topic:法律援助", limit=None)[0]}
    assert "rights.legal-aid" in branch and all(topic.startswith("rights") for topic in branch)


def test_source_year_and_scope_filters(finder: FactFinder) -> None:
    assert all(hit.fact.source.id == "bsrb-20220915" for hit in top(finder, "source:bsrb 职工", 20))
    assert all(hit.fact.source.outlet == "工人日报" for hit in top(finder, "source:工人日报", 50))
    assert all(hit.fact.source.year == 2023 for hit in top(finder, "year:2023", 50))
    hits = top(finder, "scope:昌宁", 50)
    assert hits and all("昌宁" in (hit.fact.scope or "") for hit in hits)


def test_exact_and_not(finder: FactFinder, library: Library) -> None:
    exact = top(finder, "'驿站", 50)
    labels = {t.id: " ".join(p.zh for p in library.corpus.topic_path(t.id)) for t in library.corpus.topics.values()}
    assert exact and all("驿站" in fold(h.fact.statement + h.fact.quote + labels[h.fact.topic.id]) for h in exact)
    assert not top(finder, "'驿站x")
    without = top(finder, "驿站 !昆明", 50)
    assert without and all("昆明" not in hit.fact.statement + hit.fact.quote for hit in without)


def test_or(finder: FactFinder) -> None:
    metrics = {hit.fact.metric for hit in top(finder, "法律援助案件 | 安康杯", 30)}
    assert {"legal-aid-cases", "ankang-cup-participants"} <= metrics


def test_empty_query_lists_everything_in_reading_order(finder: FactFinder, library: Library) -> None:
    hits, total = finder.search("", limit=None)
    assert total == len(library.corpus.facts)
    assert [hit.fact.id for hit in hits] == [fact.id for fact in library.corpus.facts]


# --- ranking ------------------------------------------------------------------------------------------------


def test_exact_phrase_outranks_fuzzy(finder: FactFinder) -> None:
    hits = top(finder, "技能人才", 10)
    exact = [hit.score for hit in hits if "技能人才" in hit.fact.quote]
    fuzzy = [hit.score for hit in hits if "技能人才" not in fold(hit.fact.quote + hit.fact.statement)]
    assert exact and (not fuzzy or min(exact) > max(fuzzy))


def test_statement_or_quote_outranks_topic(finder: FactFinder) -> None:
    hits = top(finder, "法律援助", 40)
    in_text = [h.score for h in hits if "法律援助" in h.fact.statement + h.fact.quote]
    topic_only = [h.score for h in hits if "法律援助" not in h.fact.statement + h.fact.quote]
    assert in_text and topic_only and min(in_text) > max(topic_only)


def test_ties_keep_reading_order(finder: FactFinder, library: Library) -> None:
    order = {fact.id: n for n, fact in enumerate(library.corpus.facts)}
    hits = top(finder, "驿站", 50)
    assert len(hits) > 10
    for a, b in itertools.pairwise(hits):
        assert a.score > b.score or order[a.fact.id] < order[b.fact.id]


def test_scores_are_0_to_100_and_deterministic(finder: FactFinder) -> None:
    for query in ("驿站", "gh", "legl", "3143", "技能人材"):
        first = [(h.fact.id, h.score) for h in top(finder, query, 20)]
        assert first, query
        assert first == [(h.fact.id, h.score) for h in top(finder, query, 20)]
        assert all(0 <= score <= 100 for _, score in first)


# --- full text -------------------------------------------------------------------------------------------


def test_full_text_returns_passages_with_spans(library: Library, tmp_path: Path) -> None:
    finder = PassageFinder(library.corpus, library.key, root=tmp_path)
    hits, _ = finder.search("吾悦广场", limit=3)
    assert hits
    passage = hits[0].passage
    assert "吾悦广场" in passage.text
    assert passage.source.text[passage.span.start : passage.span.end] == passage.text
    start, end = hits[0].matches[0]
    assert passage.text[start:end] == "吾悦广场"
    traditional, _ = finder.search("数字工会 2020", limit=3)
    assert traditional and traditional[0].passage.source.id == "grrb-20230918"
    assert re.search(r"2020年8月", traditional[0].passage.text)


def test_metric_filter(finder: FactFinder) -> None:
    hits, total = finder.search("metric:legal-aid-cases", limit=None)
    assert total == len(hits) >= 2 and all(hit.fact.metric == "legal-aid-cases" for hit in hits)
    assert {hit.fact.source.id for hit in hits} >= {"grrb-20230918", "njr-2022"}
