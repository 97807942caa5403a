"""bench/corpus_gen.py writes a real data folder: `unionbrowse check` passes it, and it is varied."""

from __future__ import annotations

import hashlib
import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import opencc
import pytest
import yaml

from unionbrowse.cli.commands import main
from unionbrowse.corpus.clean import clean
from unionbrowse.corpus.numbers import parse_quantity

BENCH = Path(__file__).resolve().parents[2] / "bench"
# Enough for some 25 articles: with only a handful, the metric audit can rightly warn that a metric one article
# reports has a near-identical twin another article reports.
FACTS = 1000


@pytest.fixture(scope="module")
def corpus_gen() -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    return importlib.import_module("corpus_gen")


@pytest.fixture(scope="module")
def generated(corpus_gen: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    folder = tmp_path_factory.mktemp("generated") / "data"
    return folder, corpus_gen.generate(folder, FACTS, seed=7, workers=1)


def read(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def test_check_passes_without_warnings(generated: tuple[Path, Any], capsys: pytest.CaptureFixture[str]) -> None:
    folder, _ = generated
    assert main(["--data", str(folder), "check"]) == 0
    output = capsys.readouterr()
    assert output.out.startswith("ok: ") and "warning" not in output.out, output.out
    assert f"{FACTS} facts" in output.out


def test_exact_count_both_scripts_and_variety(generated: tuple[Path, Any]) -> None:
    _, variety = generated
    assert variety.facts == FACTS
    assert variety.sources >= 4
    assert 0 < variety.traditional_sources < variety.sources
    assert variety.statement_share > 0.8, variety
    assert variety.quote_share > 0.5, variety


def test_quotes_are_verbatim_in_the_cleaned_raw_text(generated: tuple[Path, Any]) -> None:
    folder, _ = generated
    to_simplified = opencc.OpenCC("t2s")
    sources = read(folder / "sources.yaml")["sources"]
    scripts = set()
    for source in sources:
        raw = (folder / "raw" / source["raw"]).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == source["sha256"]
        text = clean(raw.decode("utf-8")).text
        facts = read(folder / "facts" / f"{source['id']}.yaml")["facts"]
        assert facts, source["id"]
        for fact in facts:
            assert fact["id"].startswith(source["id"] + "-")
            count = text.count(fact["quote"])
            assert count >= 1, (fact["id"], fact["quote"])
            assert count == 1 or 1 <= fact["occurrence"] <= count, fact["id"]
            assert to_simplified.convert(fact["statement"]) == fact["statement"], fact["id"]
            for quantity in fact.get("quantities") or []:
                assert quantity["text"] in fact["quote"]
                parsed = parse_quantity(quantity["text"])
                assert parsed is None or parsed.value == pytest.approx(quantity["value"]), quantity
        scripts.add(source["script"])
    assert scripts == {"zh-Hans", "zh-Hant"}


def test_places_and_figures_vary_from_the_real_articles(generated: tuple[Path, Any]) -> None:
    folder, _ = generated
    statements = [fact["statement"] for path in sorted((folder / "facts").glob("*.yaml"))
                  for fact in read(path)["facts"]]  # fmt: skip
    assert sum("云南" in statement for statement in statements) < len(statements) / 5
    real = {fact["statement"] for path in (Path(__file__).resolve().parents[2] / "data" / "facts").glob("*.yaml")
            for fact in read(path)["facts"]}  # fmt: skip
    assert len(set(statements) - real) > 0.9 * len(set(statements))


def test_a_seed_gives_the_same_folder(
    corpus_gen: ModuleType, generated: tuple[Path, Any], tmp_path: Path
) -> None:
    folder, _ = generated
    again = tmp_path / "again"
    corpus_gen.generate(again, FACTS, seed=7, workers=1)
    files = sorted(path.relative_to(folder) for path in folder.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(again) for path in again.rglob("*") if path.is_file())
    assert all((folder / name).read_bytes() == (again / name).read_bytes() for name in files)


def test_refuses_a_folder_with_files(corpus_gen: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        corpus_gen.generate(tmp_path, 10)
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "mine"
