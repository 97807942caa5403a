"""The CLI at the edges of its world: a closed or full stdout, a non-UTF-8 one, a reader that leaves early, empty
or negative arguments, an export with nowhere to go, a query with nothing to search for, and a crash. Each runs
the real command in a child process with real file descriptors, and asserts the exit code and one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.conftest import Run, run_cli

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def shell(script: str, env: dict[str, str] | None = None) -> Run:
    """``script`` run by ``sh`` (``$UB`` is the command), for redirections only a shell makes."""
    environment = {**os.environ, "UB": f"{PYTHON} -m unionbrowse", **(env or {})}
    done = subprocess.run(["bash", "-c", script], capture_output=True, timeout=120, env=environment, cwd=ROOT)
    return Run(done.returncode, done.stdout, done.stderr)


def one_line(run: Run) -> str:
    run.assert_safe()
    lines = run.errors.strip().splitlines()
    assert len(lines) == 1, run.errors
    return lines[0]


# --- standard output ------------------------------------------------------------------------------------------


def test_closed_stdout_says_so_and_exits_2() -> None:
    run = shell("$UB search 工会 >&-")
    assert run.code == 2
    assert one_line(run) == "unionbrowse: cannot write the output: standard output is closed"


def test_closed_stdout_does_not_stop_a_command_that_writes_a_file(tmp_path: Path) -> None:
    run = shell(f"$UB export -o {tmp_path / 'facts.json'} >&-")
    assert run.code == 0, run.errors
    assert (tmp_path / "facts.json").stat().st_size > 1000


def test_stdout_on_a_full_disk_says_so_and_exits_2() -> None:
    run = shell("$UB export --format csv > /dev/full")
    assert run.code == 2
    assert one_line(run) == "unionbrowse: cannot write the output: No space left on device"


@pytest.mark.parametrize("command", [["search", "工会"], ["show", "grrb-20230918-rest-stations-built"], ["sources"]])
def test_an_ascii_stdout_gets_escapes_not_a_crash(command: list[str]) -> None:
    run = run_cli(*command, env={"PYTHONIOENCODING": "ascii"})
    assert run.code == 0, run.errors
    run.assert_safe()
    assert run.out.isascii() and "\\u" in run.text


@pytest.mark.parametrize("command", [["compare"], ["summary"], ["export"], ["search", "工会"], ["compare", "--format", "md"]])
def test_a_reader_that_left_is_success(command: list[str]) -> None:
    """Writing into a pipe whose reader is gone (the read end is closed before the command starts)."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run([PYTHON, "-m", "unionbrowse", *command], stdout=writer, stderr=subprocess.PIPE,
                              timeout=120, cwd=ROOT)  # fmt: skip
    finally:
        os.close(writer)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""


def test_compare_piped_into_head_exits_0() -> None:
    run = shell("set -o pipefail; $UB compare | head -c 20")
    assert run.code == 0, run.errors
    assert len(run.out) == 20 and run.err == b""


# --- arguments --------------------------------------------------------------------------------------------------


def test_an_empty_data_folder_name_is_a_usage_error() -> None:
    run = run_cli("--data", "", "search", "工会")
    assert run.code == 2 and run.out == b""
    assert "argument --data: an empty folder name" in run.errors
    run.assert_safe()


def test_a_negative_limit_is_a_usage_error() -> None:
    run = run_cli("search", "工会", "--limit", "-1")
    assert run.code == 2 and run.out == b""
    assert "argument --limit: -1 is negative" in run.errors


def test_limit_0_is_every_result() -> None:
    every = run_cli("search", "工会", "--limit", "0")
    some = run_cli("search", "工会", "--limit", "3")
    assert every.code == some.code == 0
    assert len(some.text.splitlines()) == 3 < len(every.text.splitlines())


@pytest.mark.parametrize("query", ["year:²", "year:①", "year:２０２３", "工会 year:²", "year:99999999999999999999999"])
def test_a_year_in_other_digits_matches_nothing_and_does_not_crash(query: str) -> None:
    run = run_cli("search", query)
    assert run.code == 0, run.errors
    run.assert_safe()
    assert run.out == b""


def test_an_ascii_year_still_filters() -> None:
    run = run_cli("search", "工会", "year:2023", "--limit", "0")
    assert run.code == 0 and run.text.strip()
    assert all("grrb-20230918" in line for line in run.text.splitlines())


@pytest.mark.parametrize("query", ["，。！", "?!", "——", "'，", "!。"])
def test_a_query_of_punctuation_says_there_is_nothing_to_search_for(query: str) -> None:
    run = run_cli("search", query)
    assert run.code == 2 and run.out == b""
    assert "has nothing to search for" in one_line(run)


def test_punctuation_beside_a_word_is_ignored() -> None:
    assert run_cli("search", "驿站", "，").out == run_cli("search", "驿站").out != b""


# --- export -o -------------------------------------------------------------------------------------------------


def test_export_to_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    run = run_cli("export", "-o", str(tmp_path))
    assert run.code == 2
    assert one_line(run) == f"unionbrowse: cannot write {tmp_path}: is a folder; choose a file in a folder you can write to"


def test_export_to_a_read_only_place_is_a_clear_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root writes through any mode bits: /proc is read-only even for root
        target = Path("/proc/unionbrowse-export.json")
    else:
        (tmp_path / "locked").mkdir(mode=0o555)
        target = tmp_path / "locked" / "facts.json"
    run = run_cli("export", "-o", str(target))
    assert run.code == 2
    assert one_line(run).startswith(f"unionbrowse: cannot write {target}: ")
    assert not target.exists()


def test_export_to_a_pipe_is_refused_and_leaves_it_a_pipe(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    run = run_cli("export", "-o", str(tmp_path / "pipe"))
    assert run.code == 2
    assert one_line(run).startswith(f"unionbrowse: cannot write {tmp_path / 'pipe'}: is not a regular file")
    assert (tmp_path / "pipe").is_fifo()


def test_export_over_a_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "facts.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    run = run_cli("export", "--format", "csv", "-o", str(target))
    assert run.code == 0, run.errors
    assert target.stat().st_mode & 0o777 == 0o644 and target.read_text(encoding="utf-8") != "old"
    assert [path.name for path in tmp_path.iterdir()] == ["facts.csv"]  # no temporary left beside it


# --- crashes ---------------------------------------------------------------------------------------------------


def test_a_crash_in_a_command_is_one_line_naming_the_report(tmp_path: Path) -> None:
    code = (
        "import unionbrowse.cli.commands as commands\n"
        "def broken(args, library): raise TypeError('a bug \\u202e\\x07 here')\n"
        "commands._search = broken\n"
        "from unionbrowse.main import main\n"
        "raise SystemExit(main(['search', 'x']))\n"
    )
    done = subprocess.run([PYTHON, "-c", code], capture_output=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "UNIONBROWSE_CACHE": str(tmp_path)})  # fmt: skip
    run = Run(done.returncode, done.stdout, done.stderr)
    assert run.code == 3
    line = one_line(run)
    assert line.startswith("unionbrowse: internal error in `unionbrowse search` (TypeError: a bug ")
    reports = list((tmp_path / "crashes").glob("crash-*.txt"))
    assert len(reports) == 1 and line.endswith(f"the full report is in {reports[0]}")
    assert "Traceback" in reports[0].read_text(encoding="utf-8") and "def broken" not in line


async def test_the_app_exits_non_zero_after_a_crash() -> None:
    from unionbrowse.tui.app import UnionBrowseApp

    class Crashing(UnionBrowseApp):
        def on_mount(self) -> None:
            raise RuntimeError("boom at mount")

    app = Crashing(None)
    with pytest.raises(RuntimeError, match="boom at mount"):
        async with app.run_test():
            pass
    assert app.return_code == 1


def test_main_returns_3_when_the_app_crashes(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import unionbrowse.main as entry
    import unionbrowse.tui.app as app_module

    class Crashing(app_module.UnionBrowseApp):
        """The real app, run headless, whose mount raises."""

        def on_mount(self) -> None:
            raise RuntimeError("boom at mount")

        def run(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
            super().run(headless=True)

    monkeypatch.setattr(app_module, "UnionBrowseApp", Crashing)
    monkeypatch.setattr(entry, "_on_terminal", lambda: True)
    assert entry.main([]) == 3
    assert "boom at mount" in capsys.readouterr().err  # Textual's report, after the terminal is restored


def test_paths_holding_escape_sequences_are_printed_visibly(tmp_path: Path) -> None:
    """Folder and file names come from the user, not the corpus, but they are printed by the same rule."""
    from tests.hostile.folders import copy_data

    data = copy_data(tmp_path / "data\x1b]2;TITLE\x07\u202e")
    (data / "facts" / "ynw-20251127.yaml").write_text("facts: [", encoding="utf-8")  # a problem, so paths are named
    checked = run_cli("check", data=data)
    searched = run_cli("search", "驿站", data=data)
    exported = run_cli("export", "-o", str(tmp_path / "out\x1b[2J.json"), data=data)
    for run in (checked, searched, exported):
        run.assert_safe()
    assert checked.code == 1 and "␛]2;TITLE␇" in checked.errors
    assert "data problem(s) in" in searched.errors and exported.code == 0 and "wrote" in exported.errors
