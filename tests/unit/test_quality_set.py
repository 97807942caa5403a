"""The labelled query set that search quality is measured on (``tests/quality/``, read by ``bench/quality.py``):
large enough, spread over every kind, every answer a real fact, and written fresh rather than taken from the
README's or the benches' examples (which the ranking was once tuned on)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from bench.quality import QUERIES, Tally, labelled_queries

from unionbrowse.library import Library

ROOT = Path(__file__).resolve().parents[2]


def test_the_set_is_large_and_spread_over_every_kind() -> None:
    queries = labelled_queries()
    per_kind = Counter(q.kind for q in queries)
    assert len(queries) >= 150, per_kind
    assert len(per_kind) >= 10 and min(per_kind.values()) >= 15, per_kind
    assert len({(q.kind, q.query) for q in queries}) == len(queries), "a query is listed twice in a kind"
    assert {path.stem for path in QUERIES.glob("*.yaml")} == set(per_kind)


def test_every_right_answer_is_a_fact_of_the_shipped_data(library: Library) -> None:
    for q in labelled_queries():
        assert q.right, q.query
        unknown = [fact_id for fact_id in q.right if library.fact(fact_id) is None]
        assert unknown == [], (q.query, unknown)


def test_no_query_is_taken_from_the_readme_or_the_benches() -> None:
    shown = (ROOT / "README.md").read_text(encoding="utf-8") + (ROOT / "bench" / "search_bench.py").read_text(
        encoding="utf-8") + (ROOT / "bench" / "keystroke_bench.py").read_text(encoding="utf-8")  # fmt: skip
    examples = set(re.findall(r"`([^`\n]+)`", shown)) | set(re.findall(r'"([^"\n]+)"', shown))
    copied = [q.query for q in labelled_queries() if q.query in examples]
    assert copied == []


def test_tally_scores_the_first_right_answer() -> None:
    tally = Tally()
    tally.add(["a", "b", "c"], frozenset({"b"}))  # rank 2
    tally.add([], frozenset({"x"}))  # nothing: an empty answer
    tally.add(["x"], frozenset({"x"}))  # rank 1
    assert tally.ranks == [2, None, 1] and tally.empty == 1
    assert tally.row() == "33% | 67% | 0.50 | 1"
