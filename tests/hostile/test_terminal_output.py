"""Every CLI command on a poisoned data folder: no escape, C1, BEL or bidi byte on either stream, markup shown
literally, JSON that reads back to the data's own strings.

The commands run in one child process (each child costs ~0.4 s), split by a marker line on both streams; two
run through ``python -m unionbrowse`` itself, as a script would call it.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile.conftest import Run, run_cli
from tests.hostile.folders import PAYLOAD, forbidden_bytes

ARTICLE = "ynw-20251127"  # the first article: its body holds the payload as a paragraph of its own
POISONED_FACT = "ynw-20251127-six-actions"  # one of the first three facts of its file: its statement too
SHOWN_MARKUP = "[/][b]bold[N]"  # what a markup parser would eat (or crash on), shown as written

_DRIVER = """
import json, sys, traceback
from unionbrowse.cli.commands import main
for args in json.loads(sys.argv[1]):
    for stream in (sys.stdout, sys.stderr):
        stream.write("\\n\\0RUN " + json.dumps(args) + "\\n")
        stream.flush()
    try:
        code = main(args)
    except SystemExit as stop:
        code = stop.code
    except BaseException:
        traceback.print_exc()
        code = -1
    sys.stdout.flush()
    sys.stderr.write("\\n\\0CODE " + str(code) + "\\n")
    sys.stderr.flush()
"""


@pytest.fixture(scope="session")
def hostile_data(poisoned_data: Path) -> Path:
    """The poisoned data, the payload also in an article's clean text (read only)."""
    return poisoned_data


def run_many(data: Path, *commands: list[str]) -> dict[str, Run]:
    """Each command's exit code and exact bytes, from one child process, by the command line joined."""
    argv = [["--data", str(data), *command] for command in commands]
    done = subprocess.run([sys.executable, "-c", _DRIVER, json.dumps(argv)], capture_output=True, timeout=300)
    outs, errs = done.stdout.split(b"\n\0RUN ")[1:], done.stderr.split(b"\n\0RUN ")[1:]
    assert len(outs) == len(errs) == len(commands), done.stderr.decode("utf-8", "replace")[-3000:]
    runs = {}
    for command, out, err in zip(commands, outs, errs, strict=True):
        err_text, _, code = err.rpartition(b"\n\0CODE ")
        runs[" ".join(command)] = Run(int(code), out.split(b"\n", 1)[1], err_text.split(b"\n", 1)[1])
    return runs


@pytest.fixture(scope="module")
def outputs(hostile_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    files = tmp_path_factory.mktemp("exports")
    commands = [
        ["summary"], ["search", "--limit", "0"], ["search", "--json", "--limit", "0"],
        ["search", "--text", "PWNED"], ["search", "--text", "PWNED", "--json"],
        ["show", POISONED_FACT], ["show", POISONED_FACT, "--json"],
        *(["cite", POISONED_FACT, "--style", style] for style in ("gbt7714", "gbt7714-2025", "plain", "markdown")),
        ["sources"], ["sources", "--json"], ["source", ARTICLE], ["source", ARTICLE, "--json"],
        ["source", ARTICLE, "--text"],
        ["compare"], ["compare", "--format", "md"], ["compare", "--json"], ["compare", "--conflicts"],
        *(["export", "--format", fmt] for fmt in ("json", "csv", "md")),
        *(["export", "--format", fmt, "-o", str(files / f"facts.{fmt}")] for fmt in ("json", "csv", "md")),
        ["coverage", ARTICLE], ["check"],
    ]  # fmt: skip
    return run_many(hostile_data, *commands)


def _commands() -> Iterator[str]:
    yield from ("summary", "search --limit 0", "search --json --limit 0", f"show {POISONED_FACT}",
                f"cite {POISONED_FACT} --style gbt7714", f"cite {POISONED_FACT} --style markdown", "sources",
                f"source {ARTICLE}", f"source {ARTICLE} --text", "compare", "compare --format md", "compare --json",
                "export --format csv", "export --format md", "export --format json", "check")  # fmt: skip


def test_every_command_is_safe_on_the_poisoned_data(outputs: dict[str, Run]) -> None:
    assert set(_commands()) <= set(outputs)
    for command, run in outputs.items():
        try:
            run.assert_safe()
        except AssertionError as error:
            raise AssertionError(f"`unionbrowse {command}`: {error}") from None
        assert run.code == (1 if command.startswith("coverage") else 0), (command, run.errors[-2000:])
    printed = b"".join(run.out + run.err for run in outputs.values())
    assert b"PWNED-TITLE" in printed  # the poisoned fields were printed at all: their words show, not their codes


@pytest.mark.parametrize("command", ["summary", "search --limit 0", f"show {POISONED_FACT}", "sources",
                                     f"source {ARTICLE}", f"source {ARTICLE} --text", "compare",
                                     f"cite {POISONED_FACT} --style gbt7714", "export --format csv"])  # fmt: skip
def test_markup_and_controls_show_as_written(outputs: dict[str, Run], command: str) -> None:
    text = outputs[command].text
    assert SHOWN_MARKUP in text and "\u241b]0;PWNED-TITLE\u2407" in text  # ESC and BEL as their pictures


def test_source_text_keeps_its_offsets(outputs: dict[str, Run], hostile_data: Path) -> None:
    text = outputs[f"source {ARTICLE} --text"].text
    detail = json.loads(outputs[f"source {ARTICLE} --json"].text)
    assert len(text) == detail["length"]  # one visible symbol for each control: a quote's span still points at it


def test_json_reads_back_to_the_datas_own_strings(outputs: dict[str, Run]) -> None:
    for command in ("search --json --limit 0", f"show {POISONED_FACT} --json", "sources --json", "compare --json",
                    "export --format json", "search --text PWNED --json"):  # fmt: skip
        assert "\\u001b" in outputs[command].text or "\\u202e" in outputs[command].text, command
    fact = json.loads(outputs[f"show {POISONED_FACT} --json"].text)
    assert fact["statement"].endswith(PAYLOAD) and fact["source"]["title"].endswith(PAYLOAD)
    found = json.loads(outputs["search --json --limit 0"].text)
    assert any(record["statement"].endswith(PAYLOAD) for record in found)
    assert all(record["source"]["outlet"].endswith(PAYLOAD) for record in found)
    comparisons = json.loads(outputs["compare --json"].text)
    assert comparisons and all(record["metric"]["zh"].endswith(PAYLOAD) for record in comparisons)
    [passage, *_] = json.loads(outputs["search --text PWNED --json"].text)
    assert "PWNED-TITLE\x07\x1b]52;" in passage["text"]  # the article's own characters, read back


def test_cites_keep_the_words_and_quote_every_line(outputs: dict[str, Run]) -> None:
    for style in ("gbt7714", "gbt7714-2025", "plain"):
        assert "PWNED-TITLE" in outputs[f"cite {POISONED_FACT} --style {style}"].text
    markdown = outputs[f"cite {POISONED_FACT} --style markdown"].text
    assert "<img" not in markdown and "\\[x\\](javascript:" in markdown


def test_check_quotes_the_bad_values_visibly(outputs: dict[str, Run]) -> None:
    check = outputs["check"]
    assert "warning: metric" in check.text and "\u241b]0;PWNED-TITLE" in check.text


def test_exports_to_files_are_safe(outputs: dict[str, Run], tmp_path_factory: pytest.TempPathFactory) -> None:
    written = {fmt: next(tmp_path_factory.getbasetemp().glob(f"exports*/facts.{fmt}")).read_bytes()
               for fmt in ("json", "csv", "md")}  # fmt: skip
    for fmt, content in written.items():
        assert forbidden_bytes(content) == [], fmt
        assert content == outputs[f"export --format {fmt}"].out, fmt  # the file is what stdout would have been
    rows = list(csv.DictReader(io.StringIO(written["csv"].decode("utf-8"))))
    assert rows and any("PWNED-TITLE" in row["statement"] for row in rows)


def test_the_entry_point_is_safe_piped(hostile_data: Path) -> None:
    for run in (run_cli(data=hostile_data), run_cli("check", data=hostile_data)):
        run.assert_safe()
        assert run.code == 0 and "PWNED-TITLE" in run.text
