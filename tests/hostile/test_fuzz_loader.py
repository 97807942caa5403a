"""Hypothesis fuzzing of the data loader: random YAML values in random fields of real records, and random shapes.

Each example writes a small real data folder (one source of the shipped data: its record, its fact file and its
article, with the whole topic tree and metric list), puts a random value (text with controls, numbers of any
size, nan and infinities, booleans, nulls, dates real and impossible, lists, nested mappings, aliases, a billion
laughs, nesting 300 deep) into one field of one record, or replaces a whole file with a random shape, and opens
it. ``Library.open`` must never raise, every problem must name a file of the folder and hold no raw control
character, and whatever loaded must have the types the schema promises.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.folders import DATA, load
from unionbrowse.library import Library

SOURCE_ID = "ynw-20251127"
RAW = "000_b9c0e5519ac58194.txt"
FACTS = f"facts/{SOURCE_ID}.yaml"
FILES = ("sources.yaml", "topics.yaml", "metrics.yaml", FACTS)
NAMES = {*FILES, f"raw/{RAW}", "facts/"}
FUZZ = settings(max_examples=120, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip

# Values no Python object dumps as: written into the YAML text in place of a placeholder string.
_LAUGHS = "[&l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol], " + ", ".join(
    f"&l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 9)
) + ", *l8]"
LITERALS = {
    "zzhugeintzz": "9" * 5000,  # past Python's 4,300-digit limit for int()
    "zzbigintzz": "-" + "9" * 400,  # past float()
    "zzbaddatezz": "2025-02-30",  # unquoted: YAML's date constructor raises
    "zzdeepzz": "[" * 300 + "]" * 300,
    "zzdeepmapzz": "{a: " * 300 + "1" + "}" * 300,
    "zzselfzz": "&self [*self]",
    "zzlaughszz": _LAUGHS,
    "zzmergezz": "{<<: {a: 1}}",
    "zztagzz": "!!int abc",
    "zzsexagesimalzz": ":".join(["59"] * 200) + ".5",
}
# Unquoted number forms YAML 1.1 reads in other bases: each must load as the text written, never other digits.
NUMBER_FORMS = {"zzhexzz": "0xfff", "zzoctalzz": "017", "zzsixtyzz": "1:2:3", "zzunderzz": "1_000",
                "zzsixtyfloatzz": "1:2:3.5", "zzplusszz": "+86", "zznanzz": ".nan"}  # fmt: skip
_WRITTEN_AS = {**LITERALS, **NUMBER_FORMS}

texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
hostile_texts = st.sampled_from(["\x1b]0;title\x07", "\x1b[2J", "\x9b31m", "\u202eevil", "\u200b", "[/]", "", " ",
                                 "2025-13-45", "2023-09-18 10:21", "x" * 5000, "云南\u0000工会", "2025-00-00",
                                 "0000", "２０２５-１１-２７", "2025-11-27\n", "ynw-20251127\n", "云南\n\n工会",
                                 "a\u2028b", "\r\n", "web\n"])  # fmt: skip
leaves = st.one_of(
    st.none(), st.booleans(), st.integers(), st.sampled_from([10**300, -(10**4000)]),
    st.floats(allow_nan=True, allow_infinity=True), st.dates(), st.datetimes(), texts, hostile_texts,
    st.sampled_from(sorted(LITERALS)), st.sampled_from(sorted(NUMBER_FORMS)),
)  # fmt: skip
keys = st.one_of(texts, st.integers(), st.booleans(), st.sampled_from(["id", "title", "zh", "value", "on", "<<"]))
values = st.recursive(
    leaves, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4), max_leaves=12
)


def dump(value: Any) -> str:
    text = yaml.dump(value, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=10**6)
    return re.sub("|".join(_WRITTEN_AS), lambda match: _WRITTEN_AS[match.group()], text)


def template() -> dict[str, Any]:
    """The small folder's data files, parsed: one source of the shipped data, every topic and metric."""
    sources = load(DATA / "sources.yaml")
    sources["sources"] = [record for record in sources["sources"] if record["id"] == SOURCE_ID]
    return {"sources.yaml": sources, "topics.yaml": load(DATA / "topics.yaml"),
            "metrics.yaml": load(DATA / "metrics.yaml"), FACTS: load(DATA / FACTS)}  # fmt: skip


TEMPLATE = template()
WRITTEN = {name: dump(document) for name, document in TEMPLATE.items()}
ARTICLE = (DATA / "raw" / RAW).read_bytes()


@pytest.fixture(scope="module")
def cache() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="fuzz-cache-") as folder:
        yield Path(folder)


def open_folder(files: dict[str, str], cache: Path) -> Library:
    """Write the folder, open it, and check what every opening must hold."""
    with tempfile.TemporaryDirectory(prefix="fuzz-data-") as folder:
        root = Path(folder)
        (root / "facts").mkdir()
        (root / "raw").mkdir()
        (root / "raw" / RAW).write_bytes(ARTICLE)
        for name in FILES:
            (root / name).write_text(files.get(name, WRITTEN[name]), encoding="utf-8")
        library = Library.open(root, cache=cache)
        assert_sound(library)
        return library


def assert_sound(library: Library) -> None:
    for problem in library.problems:
        assert problem.file in NAMES, str(problem)
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", str(problem)), repr(problem)
    corpus = library.corpus
    for source in corpus.sources.values():
        assert all(isinstance(text, str) for text in (source.id, source.title, source.published, source.raw))
        assert all(isinstance(name, str) for name in (*source.authors, *source.editors, *source.notes))
        assert source.outlet is None or isinstance(source.outlet, str)
        assert isinstance(source.text, str) and source.year > 0
        assert re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2}( [0-9]{2}:[0-9]{2}(:[0-9]{2})?)?)?)?", source.published)
        assert (source.medium, source.precision, source.script) in _CHOICES
        assert_one_line(source.id, source.title, source.outlet, source.subtitle, *source.authors, *source.editors)
    for topic in corpus.topics.values():
        assert isinstance(topic.zh, str) and isinstance(topic.en, str)
        assert_one_line(topic.id, topic.zh, topic.en)
    for metric in corpus.metrics.values():
        assert all(isinstance(text, str) for text in (metric.key, metric.zh, metric.en, metric.unit))
        assert_one_line(metric.key, metric.zh, metric.en, metric.unit)
    for fact in corpus.facts:
        assert all(isinstance(text, str) for text in (fact.statement, fact.en, fact.quote, fact.topic.id))
        assert_one_line(fact.id, fact.statement, fact.en, fact.period, fact.scope, fact.actor, fact.metric)
        assert fact.source.text[fact.span.start : fact.span.end] == fact.quote
        assert all(isinstance(q.value, float) and abs(q.value) < 1e19 and isinstance(q.text, str)
                   for q in fact.quantities)  # fmt: skip


_CHOICES = {(medium, precision, script) for medium in ("newspaper", "web")
            for precision in ("year", "month", "day", "minute", "second") for script in ("zh-Hans", "zh-Hant")}


def assert_one_line(*texts: str | None) -> None:
    """A one-line field, as loaded, holds no line break of any kind (and so cannot forge a line of output)."""
    for text in texts:
        assert text is None or (len(text.splitlines()) <= 1 and text == text.strip("\n\r")), repr(text)


# --- where a value goes -------------------------------------------------------------------------------------


def mappings(value: Any) -> list[dict[str, Any]]:
    """Every mapping in a parsed file, outermost first: each record, quantity and topic."""
    found: list[dict[str, Any]] = []
    pending = [value]
    while pending:
        item = pending.pop(0)
        if isinstance(item, dict):
            found.append(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return found


def placed(file: str) -> st.SearchStrategy[dict[str, str]]:
    """The folder's files with one random value in one field (existing or new) of one mapping of ``file``."""

    @st.composite
    def build(draw: Callable[[st.SearchStrategy[Any]], Any]) -> dict[str, str]:
        document = copy.deepcopy(TEMPLATE[file])
        targets = mappings(document)
        target = targets[draw(st.integers(0, len(targets) - 1))]
        key = draw(st.sampled_from(sorted(target)) | keys)
        target[key] = draw(values)
        return {file: dump(document)}

    return build()


@pytest.mark.parametrize("file", FILES)
def test_a_random_value_in_a_random_field(file: str, cache: Path) -> None:
    @FUZZ
    @given(files=placed(file))
    def opens(files: dict[str, str]) -> None:
        open_folder(files, cache)

    opens()


@FUZZ
@given(file=st.sampled_from(FILES), shape=values)
def test_a_random_shape_for_a_whole_file(file: str, shape: Any, cache: Path) -> None:
    open_folder({file: dump(shape)}, cache)


@FUZZ
@given(file=st.sampled_from(FILES), data=st.data())
def test_a_random_value_under_a_top_level_key(file: str, data: st.DataObject, cache: Path) -> None:
    document = copy.deepcopy(TEMPLATE[file])
    key = data.draw(st.sampled_from(sorted(document)) | keys)  # `sources:`, `facts:`, `not_figures:` or another
    document[key] = data.draw(values)
    open_folder({file: dump(document)}, cache)


def test_the_fuzzing_reaches_the_loaders_refusals(cache: Path) -> None:
    """The placeholders are written as the hostile YAML they stand for, and each is refused as a problem."""
    for literal in sorted(LITERALS):
        document = copy.deepcopy(TEMPLATE[FACTS])
        document["facts"][0]["statement"] = literal
        library = open_folder({FACTS: dump(document)}, cache)
        assert any(problem.file == FACTS and problem.line > 0 for problem in library.errors), literal
        assert library.fact(document["facts"][0]["id"]) is None
        assert len(library.corpus.facts) == len(document["facts"]) - 1


def test_dates_and_numbers_of_every_kind_load_as_their_type(cache: Path) -> None:
    document = copy.deepcopy(TEMPLATE["sources.yaml"])
    document["sources"][0]["published"] = dt.date(2025, 11, 27)
    library = open_folder({"sources.yaml": dump(document)}, cache)
    assert library.corpus.sources[SOURCE_ID].published == "2025-11-27" and not library.errors


def test_number_forms_load_as_the_text_written(cache: Path) -> None:
    for placeholder, written in NUMBER_FORMS.items():
        document = copy.deepcopy(TEMPLATE["sources.yaml"])
        document["sources"][0]["title"] = placeholder
        library = open_folder({"sources.yaml": dump(document)}, cache)
        assert library.corpus.sources[SOURCE_ID].title == written and not library.errors
