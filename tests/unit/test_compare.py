"""Comparing a figure across sources: on the real data, and on generated cases for each kind of difference."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from unionbrowse.cli.commands import main
from unionbrowse.corpus.model import Fact, Quantity, Source
from unionbrowse.library import Library
from unionbrowse.reports.compare import compare_all, compare_metric, explain, report
from unionbrowse.reports.metric_audit import near_identical_metrics
from unionbrowse.reports.periods import Window, window


@pytest.mark.parametrize(
    ("period", "year", "expected"),
    [
        ("十四五以来", 2025, Window(2021, 2025)),
        ("近5年来", 2023, Window(2019, 2023)),
        ("近5年来（据导语）", 2023, Window(2019, 2023)),
        ("10年来", 2022, Window(2013, 2022)),
        ("这五年来", 2022, Window(2018, 2022)),
        ("2016年以来", 2023, Window(2016, 2023)),
        ("2017年产业工人队伍建设改革启动后", 2022, Window(2017, 2022)),
        ("截至目前", 2023, Window(None, 2023)),
        ("2020年8月至2023年3月28日", 2023, Window(2020, 2023)),
        ("2023年6—11月", 2024, Window(2023, 2023)),
        (None, 2023, None),
        ("5年多时间", 2022, None),
    ],
)
def test_periods_as_years(period: str | None, year: int, expected: Window | None) -> None:
    assert window(period, year) == expected


def test_every_metric_two_sources_report_is_compared(library: Library) -> None:
    corpus = library.corpus
    reporters: dict[str, set[str]] = {}
    for fact in corpus.facts:
        if fact.metric:
            reporters.setdefault(fact.metric, set()).add(fact.source.id)
    shared = {key for key, ids in reporters.items() if len(ids) > 1}
    comparisons = compare_all(corpus)
    assert {c.metric.key for c in comparisons} == shared
    for comparison in comparisons:
        dates = [r.fact.source.published for r in comparison.reports]
        assert dates == sorted(dates)
        assert comparison.differences


def test_the_conflicts_in_the_real_data(library: Library) -> None:
    conflicts = {c.metric.key: c.conflicts for c in compare_all(library.corpus) if c.conflicts}
    assert set(conflicts) == {"provincial-contests", "patents-granted"}
    [contests] = conflicts["provincial-contests"]
    assert {contests.first.quantity.text, contests.second.quantity.text} == {"25項", "15项"}
    assert "largely the same years" in contests.reason
    [patents] = conflicts["patents-granted"]
    assert "within" in patents.reason and "reports more" in patents.reason


def test_explained_differences_in_the_real_data(library: Library) -> None:
    kinds = {d.kind for c in compare_all(library.corpus) for d in c.differences}
    assert {"agree", "scope", "period", "conflict"} <= kinds
    legal = compare_metric(library.corpus, "legal-aid-cases")
    [difference] = legal.differences
    assert difference.kind == "period" and "10年来" in difference.reason and "近5年来" in difference.reason


# --- generated cases --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base(library: Library) -> Fact:
    return next(fact for fact in library.corpus.facts if fact.metric == "legal-aid-cases")


def variant(base: Fact, *, value: float, year: int = 2023, period: str | None = "近5年来", scope: str = "云南省",
            unit: str = "件", quote: str | None = None, qualifier: str | None = None, sid: str = "a") -> Fact:
    source: Source = replace(base.source, id=sid, published=f"{year}-06-01", precision="day")
    quantity = Quantity(value, unit, f"{value:g}{unit}", qualifier)
    return replace(base, id=f"{sid}-{value}", source=source, quantities=(quantity,), period=period, scope=scope,
                   quote=quote or base.quote)


@pytest.mark.parametrize(
    ("first", "second", "kind"),
    [
        ({"value": 100}, {"value": 105, "sid": "b"}, "agree"),
        ({"value": 100, "qualifier": "多"}, {"value": 118, "sid": "b"}, "agree"),
        ({"value": 100}, {"value": 300, "unit": "人次", "sid": "b"}, "unit"),
        ({"value": 100}, {"value": 3, "scope": "昌宁县", "sid": "b"}, "scope"),
        ({"value": 100, "quote": "新建驿站100个"}, {"value": 300, "quote": "累计建成驿站300个", "sid": "b"}, "basis"),
        ({"value": 100, "period": None}, {"value": 300, "sid": "b"}, "unknown-period"),
        ({"value": 100, "period": "10年来", "year": 2022}, {"value": 60, "sid": "b"}, "period"),
        ({"value": 100, "period": "10年来", "year": 2022}, {"value": 160, "sid": "b"}, "conflict"),
        ({"value": 100}, {"value": 150, "sid": "b"}, "conflict"),  # the same years, the same scope
        ({"value": 25, "year": 2023}, {"value": 15, "period": "十四五以来", "year": 2025, "sid": "b"}, "conflict"),
        ({"value": 15, "year": 2023}, {"value": 25, "period": "十四五以来", "year": 2025, "sid": "b"}, "period"),
        ({"value": 100, "period": "2010年至2012年"}, {"value": 300, "sid": "b"}, "period"),
        ({"value": 100, "period": "截至目前"}, {"value": 40, "sid": "b"}, "period"),
    ],
)
def test_each_kind_of_difference(base: Fact, first: dict[str, object], second: dict[str, object], kind: str) -> None:
    difference = explain(report(variant(base, **first)), report(variant(base, **second)))  # type: ignore[arg-type]
    assert difference.kind == kind, difference.reason
    assert difference.reason.endswith(".")


# --- the command line, the audit ------------------------------------------------------------------------------


def test_compare_json_and_conflicts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) >= 30
    first = records[0]
    assert set(first) == {"metric", "reports", "differences", "conflicts", "latest"}
    assert {"fact", "text", "value", "unit", "period", "years", "scope", "basis", "quote", "source"} <= set(first["reports"][0])
    assert main(["compare", "--conflicts"]) == 0
    out = capsys.readouterr().out
    assert out.count("CONFLICT") == 2
    assert "25項省級示范性競賽" in out and "15项省级竞赛" in out  # both quotes, with their citations
    assert "[N]. 工人日报, 2023-09-18." in out and "[EB/OL]. 云南网" in out


def test_compare_markdown_has_citations(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "rest-stations-built", "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert "| published | source | figure |" in out and "2911個" in out and "2131个" in out
    assert "[1] 郎晶晶." in out and "[2] 践行新思想" in out and "[3] 黄榆." in out
    assert main(["compare", "no-such-metric"]) == 2


def test_check_warns_about_near_identical_metrics(library: Library, scratch: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    assert near_identical_metrics(library.corpus) == []
    metrics = scratch / "metrics.yaml"
    text = metrics.read_text(encoding="utf-8")
    metrics.write_text(text.replace("    distinct_from: [reform-pilots]  # national-level pilots only; reform-pilots "
                                    "counts every level\n", ""), encoding="utf-8")  # fmt: skip
    assert main(["--data", str(scratch), "check"]) == 0
    out = capsys.readouterr().out
    assert "warning: metric `national-reform-pilots` (产改全国试点) is reported only by njr-2022" in out
    assert "add `distinct_from: [reform-pilots]`" in out


def test_a_period_that_ends_before_its_source_is_unstated_not_a_crash(scratch: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    # 十四五以来 read against a source dated 2020 would start after it ends: it passes `check`, and must not
    # divide by a span of no years in `compare` (nor in the app's start).
    sources = scratch / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(re.sub(r'published: "2025-11-27[^"]*"', 'published: "2020-11-27 20:17:15"', text, count=1),
                       encoding="utf-8")  # fmt: skip
    assert window("十四五以来", 2020) is None
    assert main(["--data", str(scratch), "check"]) == 0
    capsys.readouterr()
    assert main(["--data", str(scratch), "compare", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    moved = [r for record in records for r in record["reports"] if r["source"]["id"] == "ynw-20251127"]
    assert moved and all(r["years"] is None for r in moved if r["period"] == "十四五以来")


def test_conflicts_are_those_of_every_pair(library: Library) -> None:
    # The conflicts are found among likely pairs only; they must be exactly the conflicts among all pairs.
    for comparison in compare_all(library.corpus):
        every = [d for d in comparison.differences if d.is_conflict]
        assert [(d.first.fact.id, d.second.fact.id) for d in comparison.conflicts] == \
               [(d.first.fact.id, d.second.fact.id) for d in every]  # fmt: skip


def test_differences_with_one_fact_are_its_pairs(library: Library) -> None:
    comparison = compare_metric(library.corpus, "rest-stations-built")
    fact = comparison.reports[0].fact
    mine = comparison.differences_with(fact)
    assert mine and all(fact.id in (d.first.fact.id, d.second.fact.id) for d in mine)
    expected = {(d.first.fact.id, d.second.fact.id, d.kind) for d in comparison.differences
                if fact.id in (d.first.fact.id, d.second.fact.id)}  # fmt: skip
    assert {(d.first.fact.id, d.second.fact.id, d.kind) for d in mine} == expected


def test_the_conflicted_metrics_are_kept_beside_the_compiled_corpus(scratch: Path, tmp_path: Path) -> None:
    first = Library.open(scratch, cache=tmp_path)
    found = first.conflicted_metrics()
    assert found == {"provincial-contests", "patents-granted"}
    [kept] = tmp_path.glob("corpus-*/conflicts.json")
    assert json.loads(kept.read_text(encoding="utf-8"))["metrics"] == sorted(found)
    kept.write_text(json.dumps({"key": first.key, "metrics": ["rest-stations-built"]}), encoding="utf-8")
    assert Library.open(scratch, cache=tmp_path).conflicted_metrics() == {"rest-stations-built"}  # read, not redone
