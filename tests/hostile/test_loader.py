"""Loading a hostile data folder never crashes, hangs or leaves the folder: each problem says file:line: what; fix.

Every case is built from the shipped data folder. Most open it in this process (``Library.open``, then the
``check`` command's own code); the cases that could hang or print what they must not run the CLI in a child
process with a timeout. Each also asserts that the rest of the data still loads.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile.conftest import Run, run_cli
from tests.hostile.folders import DATA, copy_data, edit
from unionbrowse.corpus import compile as compiler
from unionbrowse.corpus import folder as data_folder
from unionbrowse.corpus import schema
from unionbrowse.library import Library
from unionbrowse.reports.cite import cite

SOURCES = "sources.yaml"
FACTS = "facts/ynw-20251127.yaml"
RAW = "raw/000_b9c0e5519ac58194.txt"  # the article of ynw-20251127, the first source
FACT_COUNT = 282
FACTS_OF_FIRST = 28  # ynw-20251127's facts
TIMEOUT = 30  # seconds: a case that hangs fails instead of stalling the suite


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return copy_data(tmp_path / "data")


def change_line(path: Path, pattern: str, new: Callable[[str], str]) -> int:
    """Replace the first line matching ``pattern`` with ``new(line)`` (which may hold several lines); return the
    1-based number of the line replaced."""
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if re.search(pattern, line))
    lines[number] = new(lines[number])
    path.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


def indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


# ESC, BEL, C1 controls and bidi embeddings, overrides and isolates, as characters: the byte check of
# ``Run.assert_safe`` also matches the byte 0x9B inside the UTF-8 of many Chinese characters.
_FORBIDDEN = re.compile("[\x1b\x07\x80-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_clean(run: Run) -> None:
    """No traceback, and no escape, bell, C1 or bidi control on either stream."""
    output = run.text + run.errors
    assert "Traceback" not in output, run.errors[-2000:]
    assert _FORBIDDEN.findall(output) == [], output[:2000]


def open_library(folder: Path) -> Library:
    """The folder opened with a cache of its own, so each case compiles what it built (and with the code as the
    test has it)."""
    return Library.open(folder, cache=folder.parent / "cache")


def problems(folder: Path) -> list[str]:
    return [str(problem) for problem in open_library(folder).problems]


def sole(found: list[str], pattern: str) -> str:
    """The one problem matching ``pattern`` (a regex), which must exist."""
    matching = [problem for problem in found if re.search(pattern, problem)]
    assert len(matching) == 1, (pattern, found)
    return matching[0]


def assert_rest_loads(folder: Path, facts: int, sources: int = 5) -> Library:
    library = open_library(folder)
    assert len(library.corpus.sources) == sources, [str(p) for p in library.problems]
    assert len(library.corpus.facts) == facts, [str(p) for p in library.problems]
    assert library.corpus.fact("grrb-20230918-rest-stations-built") is not None
    return library


# --- values YAML reads as something else ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "pattern", "key", "shown"),
    [
        (FACTS, r"^    statement: ", "123", "123"),  # a number as a key
        (FACTS, r"^    statement: ", "on", "on"),  # YAML 1.1 reads `on` as true
        (SOURCES, r"^    title: ", "123", "123"),
        (SOURCES, r"^    title: ", "yes", "yes"),
    ],
)
def test_a_key_that_is_not_text(folder: Path, file: str, pattern: str, key: str, shown: str) -> None:
    line = change_line(folder / file, pattern, lambda old: f"{old}\n{indent(old)}{key}: x") + 1
    found = problems(folder)
    assert sole(found, "unknown field") == f"{file}:{line}: unknown field `{shown}`; remove it (known: " + \
        sole(found, "unknown field").split("(known: ", 1)[1]
    assert_rest_loads(folder, FACT_COUNT)  # an unknown field is reported, the record kept


@pytest.mark.parametrize("digits", [400, 5000])
def test_a_huge_number_is_refused_as_a_problem(folder: Path, digits: int) -> None:
    line = change_line(folder / FACTS, r"^      - value: 6$", lambda old: old.replace("6", "9" * digits))
    found = problems(folder)
    assert sole(found, "value") == (f"{FACTS}:{line}: `value`: a number {digits:,} characters long; no figure is "
                                     "that large: write the number as the article does, within a dozen digits")
    assert_rest_loads(folder, FACT_COUNT - 1)  # only that fact is rejected


def test_a_number_too_large_for_a_figure(folder: Path) -> None:
    line = change_line(folder / FACTS, r"^      - value: 6$", lambda old: old.replace("6", "1.0e+300"))
    assert re.fullmatch(rf"{FACTS}:{line}: `value` is 1e\+300, larger than any figure in an article; .+",
                        sole(problems(folder), "value"))  # fmt: skip


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2025-02-30", "`published`: `2025-02-30` is not a date that exists"),  # unquoted: YAML makes it a date
        ('"2025-13-45"', "`published` is `2025-13-45`, not a date that exists"),
        ('"2025-02-29 10:61"', "`published` is `2025-02-29 10:61`, not a date that exists"),
        ("[2025]", "`published` must be a date, not a list"),
    ],
)
def test_a_date_that_does_not_exist(folder: Path, written: str, message: str) -> None:
    line = change_line(folder / SOURCES, r"^    published: ", lambda old: f"    published: {written}")
    found = problems(folder)
    assert sole(found, "published").startswith(f"{SOURCES}:{line}: {message}; ")
    # That source is rejected, and its fact file says why once, rather than once per fact.
    assert sole(found, FACTS).startswith(f"{FACTS}:1: warning: facts not checked: source `ynw-20251127` did not load")
    assert_rest_loads(folder, FACT_COUNT - FACTS_OF_FIRST, sources=4)


# --- wrong types ------------------------------------------------------------------------------------------


def test_a_list_title_is_refused_not_rendered(folder: Path) -> None:
    line = change_line(folder / SOURCES, r"^    title: ", lambda old: "    title: [云南, 工会]")
    found = problems(folder)
    assert sole(found, "title").startswith(f"{SOURCES}:{line}: `title` must be text, not a list; write it as")
    library = assert_rest_loads(folder, FACT_COUNT - FACTS_OF_FIRST, sources=4)
    assert all(isinstance(source.title, str) and "['" not in source.title for source in library.corpus.sources.values())


def test_a_mapping_statement_rejects_that_fact(folder: Path) -> None:
    line = change_line(folder / FACTS, r"^    statement: ", lambda old: "    statement: {a: 1}")
    assert sole(problems(folder), "statement").startswith(f"{FACTS}:{line}: `statement` must be text, not a mapping; ")
    library = assert_rest_loads(folder, FACT_COUNT - 1)
    assert all(isinstance(fact.statement, str) for fact in library.corpus.facts)


def test_a_list_topic_label_keeps_the_topic_and_its_facts(folder: Path) -> None:
    line = change_line(folder / "topics.yaml", r"^    zh: ", lambda old: "    zh: [工作, 总览]")
    found = problems(folder)
    assert found == [f"topics.yaml:{line}: `zh` must be text, not a list; write it as one piece of text (in quotes "
                     "if YAML would read it as something else)"]  # fmt: skip
    library = assert_rest_loads(folder, FACT_COUNT)
    assert library.corpus.topics["overview"].zh == "overview"  # labelled by its id


def test_not_figures_that_is_not_a_list(folder: Path) -> None:
    edit(folder / FACTS, lambda value: value.update(not_figures=5))
    line = change_line(folder / FACTS, r"^not_figures: 5", lambda old: old)
    assert sole(problems(folder), "not_figures").startswith(f"{FACTS}:{line}: `not_figures` must be a list, not a number")
    assert_rest_loads(folder, FACT_COUNT)


def test_the_wrong_type_anywhere_in_a_fact_is_named(folder: Path) -> None:
    lines = {
        "topic": change_line(folder / FACTS, r"^    topic: ", lambda old: "    topic: [a]"),
        "period": change_line(folder / "facts/grrb-20230918.yaml", r"^  period: ", lambda old: "  period: {x: 1}"),
        "occurrence": change_line(folder / "facts/njr-2022.yaml", r"^    quote: ",
                                  lambda old: f"{old}\n    occurrence: yes") + 1,
    }
    found = problems(folder)
    assert sole(found, "`topic`").startswith(f"{FACTS}:{lines['topic']}: `topic` must be text, not a list")
    assert sole(found, "`period`").startswith(f"facts/grrb-20230918.yaml:{lines['period']}: `period` must be text")
    assert sole(found, "`occurrence`").startswith(f"facts/njr-2022.yaml:{lines['occurrence']}: `occurrence` must be a "
                                                  "whole number, not true/false")  # fmt: skip


# --- what stands where a file should ----------------------------------------------------------------------


def test_a_folder_named_like_a_fact_file(folder: Path) -> None:
    (folder / "facts" / "x.yaml").mkdir()
    assert problems(folder) == ["facts/x.yaml: is a folder, not a file; remove the folder and put the file "
                                "facts/x.yaml there"]  # fmt: skip
    assert_rest_loads(folder, FACT_COUNT)


def test_a_folder_named_sources_yaml_is_one_error_not_one_per_fact_file(folder: Path) -> None:
    (folder / SOURCES).unlink()
    (folder / SOURCES).mkdir()
    library = open_library(folder)
    assert [str(problem) for problem in library.problems] == [
        "sources.yaml: is a folder, not a file; remove the folder and put the file sources.yaml there",
        "facts/: warning: 5 fact file(s) not checked: sources.yaml could not be read; fix sources.yaml first (above)",
    ]
    assert len(library.errors) == 1 and len(library.corpus.facts) == 0


@pytest.mark.parametrize("name", [FACTS, "facts/x.yaml", SOURCES, "topics.yaml"])
def test_a_link_to_dev_zero_is_refused(folder: Path, name: str) -> None:
    (folder / name).unlink(missing_ok=True)
    (folder / name).symlink_to("/dev/zero")
    found = problems(folder)
    assert f"{name}: is a link that leads outside the data folder; copy the file into the data folder rather than " \
           "linking to it" in found  # fmt: skip


def test_a_fifo_for_sources_yaml_does_not_hang(folder: Path) -> None:
    (folder / SOURCES).unlink()
    os.mkfifo(folder / SOURCES)
    run = run_cli("check", data=folder, timeout=TIMEOUT)
    assert_clean(run)
    assert run.code == 1
    assert "sources.yaml: is not a regular file (a pipe, device or socket); replace it with a plain file" in run.errors


def test_a_file_over_the_size_limit_is_refused(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data_folder, "YAML_LIMIT", 50_000)  # only facts/njr-2022.yaml (83 kB) is larger
    assert problems(folder) == ["facts/njr-2022.yaml: is 82,665 bytes, more than the 50,000 bytes this data file "
                                "may hold; split it, or check that it is the file you meant"]  # fmt: skip
    assert len(open_library(folder).corpus.facts) == FACT_COUNT - 121  # njr-2022's facts


# --- nesting and aliases ----------------------------------------------------------------------------------


def test_nesting_300_deep(folder: Path) -> None:
    line = change_line(folder / FACTS, r"^    statement: ", lambda old: "    statement: " + "[" * 300 + "]" * 300)
    assert sole(problems(folder), "statement").startswith(f"{FACTS}:{line}: `statement` must be text, not a list")
    assert_rest_loads(folder, FACT_COUNT - 1)


def laughs(pad: str) -> str:
    """The anchors of a "billion laughs": nine levels, each nine of the one before (9⁹ strings once expanded)."""
    lines = [f"{pad}lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"{pad}lol{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 9)]
    return "\n".join(lines)


@pytest.mark.parametrize(("file", "key"), [(SOURCES, "title"), (FACTS, "statement")])
def test_a_billion_laughs_is_refused_before_it_is_text(folder: Path, file: str, key: str) -> None:
    line = change_line(folder / file, rf"^    {key}: ", lambda old: f"{laughs('    ')}\n    {key}: *l8") + 9
    found = problems(folder)
    assert sole(found, f"`{key}`") == (f"{file}:{line}: `{key}`: an alias (`*name`) repeats another value; write the "
                                       "value out in full: the data format has no anchors or aliases")  # fmt: skip
    for command in (["check"], ["search", "驿站"]):
        run = run_cli(*command, data=folder, timeout=TIMEOUT)
        assert_clean(run)
        assert run.code == (1 if command == ["check"] else 0)


def test_a_merge_key_is_not_expanded(folder: Path) -> None:
    change_line(folder / FACTS, r"^    statement: ", lambda old: f"    base: &b {{statement: x}}\n    <<: *b\n{old}")
    found = problems(folder)
    assert sole(found, "`<<`").startswith(f"{FACTS}:6: unknown field `<<`; ")  # a key like any other, not a merge
    library = open_library(folder)
    assert all(fact.statement != "x" for fact in library.corpus.facts) and len(library.corpus.facts) == FACT_COUNT


# --- links that lead out of the folder --------------------------------------------------------------------


def test_a_raw_file_linked_to_etc_passwd_is_never_read(folder: Path) -> None:
    (folder / RAW).unlink()
    (folder / RAW).symlink_to("/etc/passwd")
    digest = hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest()
    edit(folder / SOURCES, lambda value: value["sources"][0].update(sha256=digest))
    assert sole(problems(folder), RAW) == (f"{RAW}: is a link that leads outside the data folder; copy the file into "
                                           "the data folder rather than linking to it")  # fmt: skip
    run = run_cli("source", "ynw-20251127", "--text", data=folder, timeout=TIMEOUT)
    assert_clean(run)
    assert "root:" not in run.text + run.errors and run.code != 0
    assert_rest_loads(folder, FACT_COUNT - FACTS_OF_FIRST, sources=4)


def test_raw_linked_to_etc_is_never_read(folder: Path) -> None:
    digest = hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest()
    edit(folder / SOURCES, lambda value: value["sources"][0].update(raw="passwd", sha256=digest))
    os.rename(folder / "raw", folder / "articles")
    (folder / "raw").symlink_to("/etc")
    found = problems(folder)
    assert sole(found, "raw/passwd").startswith(f"{SOURCES}:18: raw/passwd is not read: raw/ is a link that leads "
                                                "outside the data folder; ")  # fmt: skip
    run = run_cli("source", "ynw-20251127", "--text", data=folder, timeout=TIMEOUT)
    assert_clean(run)
    assert "root:" not in run.text + run.errors and run.code != 0


# --- one bad file, reported once ----------------------------------------------------------------------------


def test_a_malformed_topics_yaml_is_one_error_and_every_fact_still_loads(folder: Path) -> None:
    original = open_library(copy_data(folder.parent / "original"))
    change_line(folder / "topics.yaml", r"^  - id: ", lambda old: f"{old}\n  : [unclosed")
    library = open_library(folder)
    assert len(library.errors) == 1 and str(library.errors[0]).startswith("topics.yaml:")
    assert_rest_loads(folder, FACT_COUNT)
    fact = original.corpus.facts[0]
    kept = library.fact(fact.id)
    assert kept is not None and kept.topic.id == fact.topic.id  # filed where it was, under a topic labelled by its id
    assert [topic.id for topic in library.corpus.topic_path(fact.topic.id)] == \
        [topic.id for topic in original.corpus.topic_path(fact.topic.id)]  # fmt: skip


def test_a_malformed_metrics_yaml_is_one_error_and_facts_keep_their_metric(folder: Path) -> None:
    (folder / "metrics.yaml").write_text("metrics: [\n", encoding="utf-8")
    library = open_library(folder)
    assert [str(problem) for problem in library.errors] == [str(library.errors[0])]
    assert str(library.errors[0]).startswith("metrics.yaml:")
    assert_rest_loads(folder, FACT_COUNT)
    fact = library.fact("grrb-20230918-rest-stations-built")
    assert fact is not None and fact.metric == "rest-stations-built"
    assert library.corpus.metrics["rest-stations-built"].unit == "个"


def test_a_malformed_sources_yaml_is_one_error_and_one_line_for_the_fact_files(folder: Path) -> None:
    (folder / SOURCES).write_text("sources:\n  - id: [unclosed\n", encoding="utf-8")
    run = run_cli("check", data=folder, timeout=TIMEOUT)
    assert_clean(run)
    assert run.code == 1
    assert run.errors.startswith("sources.yaml:3: malformed YAML: ") and run.errors.count("\n") == 2  # and the summary
    assert run.text == ("facts/: warning: 5 fact file(s) not checked: sources.yaml could not be read; fix "
                        "sources.yaml first (above)\n")  # fmt: skip


# --- text that hides itself -------------------------------------------------------------------------------


def test_controls_in_a_title_are_a_warning_naming_them(folder: Path) -> None:
    line = change_line(folder / SOURCES, r"^    title: ", lambda old: old + '\\x1b[2J\\u202eevil\\u200b')
    text = (folder / SOURCES).read_text(encoding="utf-8").split("\n")
    text[line - 1] = text[line - 1].replace("title: ", 'title: "', 1) + '"'
    (folder / SOURCES).write_text("\n".join(text), encoding="utf-8")
    run = run_cli("check", data=folder, timeout=TIMEOUT)
    assert_clean(run)  # the message names the characters; it never holds them
    assert run.code == 0, run.errors
    assert (f"{SOURCES}:{line}: warning: `title` holds invisible or control characters (U+001B, U+202E, U+200B); "
            "remove them") in run.text  # fmt: skip
    assert_rest_loads(folder, FACT_COUNT)


def test_controls_in_an_article_are_a_warning_at_their_line(folder: Path) -> None:
    raw = folder / RAW
    lines = raw.read_text(encoding="utf-8").split("\n")
    lines[4] += "\x1b]0;title\x07\u202e"  # the end of the first paragraph of the body
    raw.write_text("\n".join(lines), encoding="utf-8")
    edit(folder / SOURCES, lambda value: value["sources"][0].update(sha256=hashlib.sha256(raw.read_bytes()).hexdigest()))
    found = problems(folder)
    assert sole(found, RAW) == (f"{RAW}:5: warning: the article text holds invisible or control characters "
                                "(U+001B, U+0007, U+202E); remove them")  # fmt: skip
    assert all(severity == "warning" for severity in (p.severity for p in open_library(folder).problems))


# --- any fault at all -------------------------------------------------------------------------------------


def test_a_fault_while_checking_one_file_is_its_problem(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = compiler.read_fact_file

    def faulty(data: object, file: str, *args: object) -> object:
        if file == FACTS:
            raise RuntimeError("boom")
        return real(data, file, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(compiler, "read_fact_file", faulty)
    assert problems(folder)[0].startswith(f"{FACTS}: could not be checked (RuntimeError); ")
    assert_rest_loads(folder, FACT_COUNT - FACTS_OF_FIRST)


# --- names, empty documents, sizes, dates, number forms, line breaks, fallbacks (issue 9, red team) ---------


@pytest.mark.parametrize(("name", "shown"), [(b"raw/r\xff.txt", r"raw/r\xff.txt"),
                                             (b"facts/x\x1b[2J\x9b.yaml", r"facts/x\x1b[2J\x9b.yaml")])
def test_a_file_name_that_is_not_utf8_is_one_problem(folder: Path, name: bytes, shown: str) -> None:
    with open(os.fsencode(folder) + b"/" + name, "wb") as stream:
        stream.write(b"x")
    assert problems(folder) == [f"{shown}: is not a plain file name (shown with \\x escapes where it is not UTF-8 "
                                "text); rename it with letters, digits, `-`, `_` and `.` only"]  # fmt: skip
    assert_rest_loads(folder, FACT_COUNT)
    run = run_cli("check", data=folder, timeout=TIMEOUT)
    assert_clean(run)
    assert run.code == 1 and shown in run.errors


@pytest.mark.parametrize("written", ["---\n", "# only a comment\n", "~\n", "null\n", "---\n...\n"])
@pytest.mark.parametrize(("file", "facts", "sources"), [(SOURCES, 0, 0), (FACTS, FACT_COUNT - FACTS_OF_FIRST, 5),
                                                        ("topics.yaml", FACT_COUNT, 5)])
def test_an_empty_document_is_reported(folder: Path, written: str, file: str, facts: int, sources: int) -> None:
    (folder / file).write_text(written, encoding="utf-8")
    library = open_library(folder)
    assert str(library.errors[0]) == (f"{file}:1: file holds no records (only comments or an empty document); add "
                                      "the records (see the README's data format)")  # fmt: skip
    assert len(library.errors) == 1
    assert (len(library.corpus.sources), len(library.corpus.facts)) == (sources, facts)


@pytest.mark.parametrize(("file", "kind", "limit"), [(FACTS, "this data file", data_folder.YAML_LIMIT),
                                                     (SOURCES, "sources.yaml", data_folder.SOURCES_LIMIT),
                                                     (RAW, "an article", data_folder.RAW_LIMIT)])
def test_each_kind_of_file_has_its_size_limit(folder: Path, file: str, kind: str, limit: int) -> None:
    with open(folder / file, "ab") as stream:
        stream.truncate(limit + 1)  # sparse: costs no disk
    found = problems(folder)
    assert sole(found, "MB, more than") == (f"{file}: is {(limit + 1) / 2**20:,.1f} MB, more than the "
                                             f"{limit / 2**20:,.1f} MB {kind} may hold; split it, or check that it is "
                                             "the file you meant")  # fmt: skip
    if file == FACTS:
        assert_rest_loads(folder, FACT_COUNT - FACTS_OF_FIRST)


def test_the_size_limits_fit_real_use() -> None:
    # The bench's 1M-fact sources.yaml is 13 MB; the largest fact file (121 facts) 83 kB; an article of 20 MB cleans.
    largest = max(path.stat().st_size for path in (DATA / "facts").glob("*.yaml"))
    assert largest > 80_000 and 20 * largest <= data_folder.YAML_LIMIT
    assert data_folder.SOURCES_LIMIT >= 1.5 * 13 * 2**20 and data_folder.RAW_LIMIT >= 20 * 2**20


@pytest.mark.parametrize(("key", "limit"), [("en", schema.TEXT_LIMIT), ("statement", schema.TEXT_LIMIT),
                                            ("quote", schema.QUOTE_LIMIT)])
def test_a_text_field_longer_than_any_sentence_rejects_its_fact(folder: Path, key: str, limit: int) -> None:
    line = change_line(folder / FACTS, rf"^    {key}: ", lambda old: f"    {key}: {'长' * (limit + 1)}")
    assert sole(problems(folder), f"`{key}`") == (f"{FACTS}:{line}: `{key}` is {limit + 1:,} characters long, more "
                                                  f"than the {limit:,} it may hold; a field holds a few sentences: "
                                                  "check that it is the text you meant")  # fmt: skip
    assert_rest_loads(folder, FACT_COUNT - 1)


def test_every_real_text_is_within_the_caps() -> None:
    library = open_library(copy_data(Path(tempfile.mkdtemp()) / "data"))
    facts = list(library.corpus.facts)
    assert facts and max(len(fact.quote) for fact in facts) * 10 < schema.QUOTE_LIMIT
    assert max(len(fact.en) for fact in facts) * 5 < schema.TEXT_LIMIT


@pytest.mark.parametrize(("written", "shown"), [
    ('"2025-00-00"', "2025-00-00"), ('"0000"', "0000"), ('"0000-00-00 00:00:00"', "0000-00-00 00:00:00"),
    ('"2025-11-00"', "2025-11-00"),
])
def test_a_zero_date_does_not_exist(folder: Path, written: str, shown: str) -> None:
    line = change_line(folder / SOURCES, r"^    published: ", lambda old: f"    published: {written}")
    assert sole(problems(folder), "published") == (f"{SOURCES}:{line}: `published` is `{shown}`, not a date that "
                                                   f"exists; {schema._DATE_FIX}")  # fmt: skip
    assert_rest_loads(folder, FACT_COUNT - FACTS_OF_FIRST, sources=4)


@pytest.mark.parametrize("written", ['"２０２５-１１-２７"', '"٢٠٢٥-١١-٢٧"', '"2025-11-27\\n"'])
def test_a_date_in_other_digits_or_with_a_line_break_is_refused(folder: Path, written: str) -> None:
    line = change_line(folder / SOURCES, r"^    published: ", lambda old: f"    published: {written}")
    assert sole(problems(folder), "published").startswith(f"{SOURCES}:{line}: `published` is `")
    assert_rest_loads(folder, FACT_COUNT - FACTS_OF_FIRST, sources=4)


@pytest.mark.parametrize(("file", "pattern", "what"), [(SOURCES, r"^  - id: ", "source id"),
                                                       (FACTS, r"^  - id: ", "fact id")])
def test_an_id_with_a_final_line_break_is_refused(folder: Path, file: str, pattern: str, what: str) -> None:
    line = change_line(folder / file, pattern, lambda old: old.replace("id: ", 'id: "', 1) + '\\n"')
    assert sole(problems(folder), what).startswith(f"{file}:{line}: {what} `")
    facts, sources = (FACT_COUNT - FACTS_OF_FIRST, 4) if file == SOURCES else (FACT_COUNT - 1, 5)
    assert_rest_loads(folder, facts, sources=sources)


def test_a_raw_name_with_a_final_line_break_is_not_plain() -> None:
    assert not data_folder.is_plain_name("000_b9c0e5519ac58194.txt\n")
    assert data_folder.is_plain_name("000_b9c0e5519ac58194.txt")


@pytest.mark.parametrize("written", ["0xfff", "017", "0o17", "1_000", "1:2:3", "+86", ".nan", "1:2:3.5"])
def test_a_number_form_in_a_text_field_keeps_the_text_as_written(folder: Path, written: str) -> None:
    change_line(folder / SOURCES, r"^    title: ", lambda old: f"    title: {written}")
    change_line(folder / FACTS, r"^    period: ", lambda old: f"    period: {written}")
    library = assert_rest_loads(folder, FACT_COUNT)
    assert library.problems == []
    source = library.corpus.sources["ynw-20251127"]
    assert source.title == written and cite(library.corpus.facts_of(source.id)[0]).count(written) >= 1
    assert any(fact.period == written for fact in library.corpus.facts_of(source.id))


@pytest.mark.parametrize("written", ["0x6", "0o6", "06", "1_0", "1:2"])
def test_a_number_form_in_a_number_field_is_not_a_number(folder: Path, written: str) -> None:
    line = change_line(folder / FACTS, r"^      - value: 6$", lambda old: old.replace("6", written))
    assert sole(problems(folder), "value") == (f"{FACTS}:{line}: `value` must be a number, not text; write a plain "
                                               "number: 3508000")  # fmt: skip
    assert_rest_loads(folder, FACT_COUNT - 1)


FORGED = "云南工会\n\nunionbrowse: 282 facts from 5 articles (verified)"


@pytest.mark.parametrize(("file", "pattern", "key"), [
    (SOURCES, r"^    title: ", "title"), (SOURCES, r"^    outlet: ", "outlet"), (SOURCES, r"^    authors: ", "authors"),
    (FACTS, r"^    statement: ", "statement"), (FACTS, r"^    period: ", "period"),
    ("topics.yaml", r"^    zh: ", "zh"), ("metrics.yaml", r"^    en: ", "en"),
])
def test_a_line_break_in_a_one_line_field_is_a_warning_and_a_space(folder: Path, file: str, pattern: str,
                                                                    key: str) -> None:  # fmt: skip
    value = f"[{json.dumps(FORGED, ensure_ascii=False)}]" if key == "authors" else json.dumps(FORGED, ensure_ascii=False)
    line = change_line(folder / file, pattern, lambda old: f"{indent(old)}{key}: {value}")
    assert problems(folder) == [f"{file}:{line}: warning: `{key}` holds a line break; write it on one line"]
    library = assert_rest_loads(folder, FACT_COUNT)
    flat = "云南工会 unionbrowse: 282 facts from 5 articles (verified)"
    source = library.corpus.sources["ynw-20251127"]
    shown = {"title": source.title, "outlet": source.outlet, "authors": source.author,
             "statement": library.corpus.facts_of(source.id)[0].statement,
             "period": library.corpus.facts_of(source.id)[0].period, "zh": library.corpus.topics["overview"].zh,
             "en": next(iter(library.corpus.metrics.values())).en}  # fmt: skip
    assert shown[key] == flat
    for command in (["summary"], ["cite", library.corpus.facts_of(source.id)[0].id], ["sources"]):
        run = run_cli(*command, data=folder, timeout=TIMEOUT)
        assert_clean(run)
        assert "\nunionbrowse: 282 facts" not in run.text, run.text


def test_notes_may_hold_paragraphs_without_a_warning(folder: Path) -> None:
    edit(folder / SOURCES, lambda value: value["sources"][0].update(notes=["第一段。\n\n第二段。"]))
    library = assert_rest_loads(folder, FACT_COUNT)
    assert library.problems == []
    assert library.corpus.sources["ynw-20251127"].notes == ("第一段。\n\n第二段。",)


@pytest.mark.parametrize(("key", "written", "fix", "field", "fallback"), [
    ("medium", "paper", "use one of newspaper, web (until then it is cited as web, [EB/OL])", "medium", "web"),
    ("precision", "hour", "use one of year, month, day, minute, second (until then the precision is what "
                          "`published` shows)", "precision", "second"),
    ("script", "zh-CN", "use one of zh-Hans, zh-Hant (until then the script is what the title shows)", "script",
     "zh-Hans"),
])
def test_a_wrong_choice_keeps_the_source_with_a_stated_fallback(folder: Path, key: str, written: str, fix: str,
                                                                field: str, fallback: str) -> None:  # fmt: skip
    line = change_line(folder / SOURCES, rf"^    {key}: ", lambda old: f"    {key}: {written}")
    assert problems(folder) == [f"{SOURCES}:{line}: `{key}` is `{written}`; {fix}"]
    library = assert_rest_loads(folder, FACT_COUNT)
    assert getattr(library.corpus.sources["ynw-20251127"], field) == fallback


def test_a_missing_medium_and_precision_keep_the_source(folder: Path) -> None:
    def drop(value: dict[str, list[dict[str, str]]]) -> None:
        for key in ("medium", "precision", "script"):
            del value["sources"][1][key]  # grrb-20230918: "2023-09-18 10:21", traditional script

    edit(folder / SOURCES, drop)
    found = problems(folder)
    assert [problem.split(": ", 1)[1].split(";")[0] for problem in found] == \
        ["missing `medium`", "missing `precision`", "missing `script`"]  # fmt: skip
    library = assert_rest_loads(folder, FACT_COUNT)
    source = library.corpus.sources["grrb-20230918"]
    assert (source.medium, source.precision, source.script) == ("web", "minute", "zh-Hant")
    assert "[EB/OL]" in cite(library.corpus.facts_of(source.id)[0])
