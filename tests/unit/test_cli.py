"""The scripting CLI: JSON shapes, citations, exports, data-folder discovery, and no textual import."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from unionbrowse.cli.commands import main
from unionbrowse.library import Library
from unionbrowse.reports.cite import cite, reference

ACCESSED = dt.date(2026, 11, 23)
FACT_KEYS = {"id", "statement", "en", "topic", "quantities", "period", "scope", "actor", "metric", "quote", "span",
             "source"}
SOURCE_KEYS = {"id", "title", "outlet", "author", "published", "origin"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_search_json_shape(capsys: pytest.CaptureFixture[str], library: Library) -> None:
    code, out, _ = run(capsys, "search", "法律援助", "--json", "--limit", "5")
    assert code == 0
    results = json.loads(out)
    assert 1 <= len(results) <= 5
    for result in results:
        assert set(result) >= FACT_KEYS
        assert set(result["source"]) >= SOURCE_KEYS
        assert 0 <= result["score"] <= 100
        start, end = result["span"]
        assert library.corpus.sources[result["source"]["id"]].text[start:end] == result["quote"]
        assert result["topic"][0]["id"] == result["topic"][-1]["id"].split(".")[0]
        for name in ("statement", "quote"):
            for match_start, match_end in result["matches"][name]:
                assert 0 <= match_start < match_end <= len(result[name])
    assert any(q["unit"] == "件" for r in results for q in r["quantities"])


def test_full_text_search_json(capsys: pytest.CaptureFixture[str], library: Library) -> None:
    code, out, _ = run(capsys, "search", "--text", "吾悦广场", "--json", "--limit", "2")
    assert code == 0
    [first, *_] = json.loads(out)
    start, end = first["span"]
    assert library.corpus.sources[first["source"]["id"]].text[start:end] == first["text"]
    assert [first["text"][s:e] for s, e in first["matches"]] == ["吾悦广场"]


def test_search_finds_the_legal_aid_figures(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "search", "法律援助案件", "--json")
    texts = [q["text"] for r in json.loads(out)[:4] for q in r["quantities"]]
    assert "8000多件" in texts


def test_empty_search_lists_everything_in_reading_order(capsys: pytest.CaptureFixture[str], library: Library) -> None:
    _, out, _ = run(capsys, "search", "--json", "--limit", "0")
    ids = [r["id"] for r in json.loads(out)]
    assert ids == [fact.id for fact in library.corpus.facts]


def test_show_json_and_unknown_id(capsys: pytest.CaptureFixture[str], library: Library) -> None:
    fact = library.corpus.facts[0]
    code, out, _ = run(capsys, "show", fact.id, "--json")
    assert code == 0 and json.loads(out)["quote"] == fact.quote
    code, _, err = run(capsys, "show", fact.id + "x")
    assert code == 2 and f"did you mean {fact.id}" in err


def test_show_for_people_prints_the_fields(capsys: pytest.CaptureFixture[str], library: Library) -> None:
    fact = library.corpus.facts[0]
    _, out, _ = run(capsys, "show", fact.id)
    assert fact.statement in out and fact.quote in out and fact.source.raw in out


def test_gbt7714_newspaper_web_and_unknown_outlet(library: Library) -> None:
    sources = library.corpus.sources
    assert reference(sources["grrb-20230918"], accessed=ACCESSED) == (
        "黄榆. 發揮特色用足資源 為高質量發展貢獻“工”力量[N]. 工人日报, 2023-09-18."
    )
    assert reference(sources["ynw-20251127"], accessed=ACCESSED) == (
        "赵岗. 云南工会打造7项全国引领性竞赛[EB/OL]. 云南网, (2025-11-27)[2026-11-23]."
    )
    assert reference(sources["njr-2022"], accessed=ACCESSED) == (
        "郎晶晶. 当好职工“娘家人” 凝心聚力促发展[N]. [出版者不详], 2022."
    )
    assert reference(sources["bsrb-20220915"], accessed=ACCESSED) == (
        "践行新思想 建功新时代 奋力谱写工会工作新篇章: 昌宁县工会工作五年综述[N]. 保山日报, 2022-09-15."
    )


def test_gbt7714_2025_is_full_width(library: Library) -> None:
    assert reference(library.corpus.sources["grrb-20230918"], "gbt7714-2025", ACCESSED) == (
        "黄榆．發揮特色用足資源 為高質量發展貢獻“工”力量［N］．工人日报，2023-09-18．"
    )
    assert reference(library.corpus.sources["ynw-20251127"], "gbt7714-2025", ACCESSED) == (
        "赵岗．云南工会打造7项全国引领性竞赛［EB/OL］．云南网，（2025-11-27）［2026-11-23］．"
    )


def test_numbered_list_reuses_a_sources_number(library: Library) -> None:
    from unionbrowse.reports.cite import cite_list

    facts = library.corpus.facts
    first = [f for f in facts if f.source.id == "ynw-20251127"][:2]
    other = next(f for f in facts if f.source.id == "grrb-20230918")
    text = cite_list([(f.quote, f.source) for f in (*first, other)], accessed=ACCESSED)
    lines = text.splitlines()
    assert lines[0].startswith("1. “") and lines[0].endswith("[1]")
    assert lines[1].endswith("[1]") and lines[2].endswith("[2]")
    assert lines[4] == "[1] " + reference(first[0].source, accessed=ACCESSED)
    assert lines[5] == "[2] " + reference(other.source, accessed=ACCESSED)


def test_cite_puts_the_quote_first(capsys: pytest.CaptureFixture[str], library: Library) -> None:
    fact = next(f for f in library.corpus.facts if f.source.id == "ynw-20251127")
    code, out, _ = run(capsys, "cite", fact.id, "--accessed", "2026-11-23")
    assert code == 0
    inner = fact.quote.replace("“", "‘").replace("”", "’")  # Chinese nests quotation marks as ‘ ’
    assert out == f"“{inner}”\n{reference(fact.source, accessed=ACCESSED)}\n"
    assert cite(fact, "markdown").startswith(f"> {fact.quote}\n\n— 赵岗, 《云南工会打造7项全国引领性竞赛》, *云南网*")
    assert cite(fact, "plain").endswith("赵岗，《云南工会打造7项全国引领性竞赛》，《云南网》，2025年11月27日。")
    code, _, err = run(capsys, "cite", fact.id, "--accessed", "yesterday")
    assert code == 2 and "YYYY-MM-DD" in err


def test_sources_json_and_source_detail(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "sources", "--json")
    sources = json.loads(out)
    assert [s["id"] for s in sources] == ["ynw-20251127", "grrb-20230918", "njr-2022", "bsrb-20220915",
                                          "ynw-20240313"]
    assert all(s["url"] is None for s in sources)
    njr = next(s for s in sources if s["id"] == "njr-2022")
    assert njr["outlet"] is None and njr["precision"] == "year" and "20th Party Congress" in njr["published_evidence"]
    _, out, _ = run(capsys, "source", "grrb-20230918", "--json")
    assert json.loads(out)["script"] == "zh-Hant"


def test_source_text_is_exactly_the_clean_text(capsys: pytest.CaptureFixture[str], library: Library) -> None:
    _, out, _ = run(capsys, "source", "bsrb-20220915", "--text")
    assert out == library.corpus.sources["bsrb-20220915"].text


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
def test_export_every_fact(capsys: pytest.CaptureFixture[str], library: Library, fmt: str) -> None:
    _, out, _ = run(capsys, "export", "--format", fmt)
    facts = library.corpus.facts
    if fmt == "json":
        assert [f["id"] for f in json.loads(out)] == [fact.id for fact in facts]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert [r["id"] for r in rows] == [fact.id for fact in facts]
        assert all(r["quote"] for r in rows)
    else:
        assert out.count("\n| `") == len(facts)


def test_export_to_a_file_is_atomic(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "out" / "facts.csv"
    code, _, err = run(capsys, "export", "--format", "csv", "-o", str(target))
    assert code == 0 and target.read_text(encoding="utf-8").startswith("id,topic,")
    assert list(target.parent.iterdir()) == [target]  # no temporary file left behind
    assert "wrote" in err


def test_data_folder_from_environment(tmp_path: Path, data_dir: Path) -> None:
    env = {**os.environ, "UNIONBROWSE_DATA": str(tmp_path / "nowhere")}
    result = subprocess.run([sys.executable, "-m", "unionbrowse", "check"], env=env, capture_output=True, text=True)
    assert result.returncode == 2 and "does not exist" in result.stderr
    env["UNIONBROWSE_DATA"] = str(data_dir)
    result = subprocess.run([sys.executable, "-m", "unionbrowse", "sources"], env=env, capture_output=True, text=True)
    assert result.returncode == 0 and "grrb-20230918" in result.stdout


def test_cli_never_imports_textual() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from unionbrowse.cli.commands import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['search', '驿站']); main(['show', 'x']); main(['export', '--format', 'md'])\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_version_and_summary(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("unionbrowse 0.")
    code, out, _ = run(capsys)
    assert code == 0 and "5 articles" in out and "commands:" in out


def test_corpus_markup_prints_literally(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = scratch / "facts" / "ynw-20251127.yaml"
    text = facts.read_text(encoding="utf-8")
    doctored = re.sub(r"(?m)^    statement: .*$", lambda _: '    statement: "[bold]x[/] [red]\\e[31m"', text, count=1)
    facts.write_text(doctored, encoding="utf-8")
    code, out, _ = run(capsys, "--data", str(scratch), "search", "bold", "--limit", "3")
    assert code == 0
    assert "[bold]x[/] [red]" in out and "\x1b[31m" not in out
