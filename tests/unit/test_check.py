"""`unionbrowse check` on damaged copies of the real data: every problem named by file and line, no traceback."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from unionbrowse.cli.commands import main

FACTS = "facts/ynw-20251127.yaml"


def run_check(data: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--data", str(data), "check"])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "Traceback" not in output
    return code, output


def edit(path: Path, pattern: str, replacement: str) -> None:
    """Change the first match of ``pattern`` (multiline regex) in ``path``."""
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert count == 1, f"{pattern!r} not in {path}"
    path.write_text(changed, encoding="utf-8")


def line_of(path: Path, pattern: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.search(pattern, line):
            return number
    raise AssertionError(pattern)


def test_shipped_data_passes(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run_check(data_dir, capsys)
    assert code == 0, output
    assert re.search(r"ok: 5 sources, \d+ facts, \d+ topics, \d+ metrics in use", output)


def test_malformed_yaml_names_file_and_line(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(scratch / FACTS, r"^(    statement: .*)$", r"\1\n    en: [unclosed")
    code, output = run_check(scratch, capsys)
    assert code == 1
    assert re.search(rf"{FACTS}:\d+: malformed YAML: .+; ", output)


def test_missing_file(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (scratch / "topics.yaml").unlink()
    code, output = run_check(scratch, capsys)
    assert code == 1
    assert "topics.yaml: file is missing; create topics.yaml" in output


def test_empty_file(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (scratch / "sources.yaml").write_text("\n", encoding="utf-8")
    code, output = run_check(scratch, capsys)
    assert code == 1
    assert "sources.yaml:1: file is empty" in output


@pytest.mark.parametrize(
    ("raw", "encoding", "label"),
    [("000_b9c0e5519ac58194.txt", "gb18030", "GB18030"), ("001_ef19e07390bc0016.txt", "big5", "Big5")],
)
def test_raw_file_not_utf8_names_the_encoding(
    scratch: Path, capsys: pytest.CaptureFixture[str], raw: str, encoding: str, label: str
) -> None:
    path = scratch / "raw" / raw
    old_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    data = path.read_text(encoding="utf-8").encode(encoding, errors="replace")
    path.write_bytes(data)
    sources = scratch / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace(old_hash, hashlib.sha256(data).hexdigest()))
    code, output = run_check(scratch, capsys)
    assert code == 1
    assert re.search(rf"raw/{raw}:\d+: not UTF-8 text; convert it to UTF-8 \(it looks like {label}", output)


def test_fact_file_in_legacy_encoding(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = scratch / FACTS
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    code, output = run_check(scratch, capsys)
    assert code == 1
    assert re.search(rf"{FACTS}:\d+: not UTF-8 text; save the file as UTF-8 \(it looks like", output)


def test_fact_pointing_to_a_missing_source(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(scratch / FACTS, r"^source: .*$", "source: no-such-article")
    code, output = run_check(scratch, capsys)
    assert code == 1
    assert f"{FACTS}:1: unknown source `no-such-article`; use an id from sources.yaml (ynw-20251127," in output


def test_quote_not_found_points_at_the_closest_passage(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = scratch / FACTS
    line = line_of(path, r"^    quote: ")
    edit(path, r"^(    quote: )(.{6})", r"\1臆造\2")
    code, output = run_check(scratch, capsys)
    assert code == 1
    assert re.search(rf"{FACTS}:{line}: quote not found in the clean text of `ynw-20251127`: 臆造.*; "
                     r"closest passage \(\d+%\)", output)


def test_duplicate_id_across_files(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = re.search(r"(?m)^  - id: (\S+)", (scratch / FACTS).read_text(encoding="utf-8"))
    assert first
    other = scratch / "facts" / "ynw-20240313.yaml"
    edit(other, r"^  - id: \S+", f"  - id: {first.group(1)}")
    code, output = run_check(scratch, capsys)
    assert code == 1
    # Files load in name order, so the copy in the later file is the one reported.
    assert f"{FACTS}:3: duplicate fact id `{first.group(1)}` (also in facts/ynw-20240313.yaml:3)" in output


def test_unknown_topic_suggests_the_nearest(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(scratch / FACTS, r"^    topic: .*$", "    topic: services.station")
    code, output = run_check(scratch, capsys)
    assert code == 1
    assert "unknown topic `services.station`; did you mean `services.stations`?" in output


def test_value_that_disagrees_with_its_text(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(scratch / FACTS, r"^(      - value: )\d+$", r"\g<1>12345")
    code, output = run_check(scratch, capsys)
    assert code == 1
    assert re.search(r"reads as \d+ but value is 12345; set value: \d+", output)


def test_edited_raw_file_is_caught(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = scratch / "raw" / "003_e2651d3cf699d8bf.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("1263人", "1264人"), encoding="utf-8")
    code, output = run_check(scratch, capsys)
    assert code == 1
    assert re.search(r"sources.yaml:\d+: raw/003_e2651d3cf699d8bf.txt has changed: its SHA-256 is [0-9a-f]{64}", output)


def test_raw_path_may_not_leave_the_data_folder(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(scratch / "sources.yaml", r"^    raw: 000_b9c0e5519ac58194.txt$", "    raw: ../../../etc/passwd")
    code, output = run_check(scratch, capsys)
    assert code == 1
    assert "raw file `../../../etc/passwd` is not a plain file name; name a file directly inside raw/" in output


def test_unknown_field_suggests_the_right_one(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(scratch / FACTS, r"^    scope: ", "    scopes: ")
    code, output = run_check(scratch, capsys)
    assert code == 1
    assert "unknown field `scopes`; did you mean `scope`?" in output


def test_metric_in_the_wrong_unit(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(scratch / "metrics.yaml", r"^(  - key: legal-aid-cases\n(?:    .*\n)*?    unit: )件$", r"\g<1>人次")
    code, output = run_check(scratch, capsys)
    assert code == 1
    assert re.search(r"metric `legal-aid-cases` is counted in 人次, this fact's figure in 件; ", output)


def test_every_problem_is_reported_not_only_the_first(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(scratch / FACTS, r"^    topic: .*$", "    topic: nowhere")
    edit(scratch / "facts" / "ynw-20240313.yaml", r"^    topic: .*$", "    topic: nowhere-else")
    code, output = run_check(scratch, capsys)
    assert code == 1
    assert "unknown topic `nowhere`" in output and "unknown topic `nowhere-else`" in output
    assert "check failed: 2 error(s)" in output


def test_quote_that_occurs_twice_needs_an_occurrence(scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(scratch / "facts" / "njr-2022.yaml", r"^    quote: .*$", "    quote: 10年来")
    code, output = run_check(scratch, capsys)
    assert code == 1
    assert re.search(r"quote occurs \d+ times in `njr-2022`; add `occurrence: N`", output)
