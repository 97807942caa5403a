"""The user's own files (settings, the marked list) when they are hostile, foreign, shared by two instances, or
left half-written by a killed writer: never fatal, set aside with a warning, merged rather than lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from unionbrowse import files, userstate
from unionbrowse.files import read_user_file, write_atomically
from unionbrowse.userstate import Settings, load_state, merge_marks, save_marked, save_settings

ROOT = Path(__file__).resolve().parents[2]


def in_child(code: str, home: Path, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Python ``code`` in a child process with ``home`` as the user folder (a hang fails the test, not the run)."""
    environment = {**os.environ, "UNIONBROWSE_HOME": str(home)}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=timeout, env=environment, cwd=ROOT)  # fmt: skip


def leftovers(home: Path) -> list[str]:
    return sorted(path.name for path in home.glob(".*.tmp"))


# --- hostile and foreign files: set aside, with a warning ---------------------------------------------------


@pytest.mark.parametrize("name", ["settings.json", "marked.json"])
def test_json_nested_100000_deep_is_set_aside(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    state = load_state(tmp_path)
    assert state.settings == Settings() and state.marked == []
    assert any(name in warning and "nested too deep" in warning for warning in state.warnings), state.warnings
    assert (tmp_path / f"{name}.damaged").read_text(encoding="utf-8").startswith("[[[")
    assert not (tmp_path / name).exists()


def test_dev_zero_as_settings_is_set_aside_not_read(tmp_path: Path) -> None:
    (tmp_path / "settings.json").symlink_to("/dev/zero")
    done = in_child("from unionbrowse.userstate import load_state; print(load_state().warnings)", tmp_path)
    assert done.returncode == 0, done.stderr
    assert "settings.json could not be read (not a regular file)" in done.stdout
    assert (tmp_path / "settings.json.damaged").is_symlink() and not (tmp_path / "settings.json").exists()


def test_a_fifo_as_the_marked_list_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "marked.json")
    done = in_child("from unionbrowse.userstate import load_state; print(load_state().warnings)", tmp_path, 20)
    assert done.returncode == 0, done.stderr
    assert "marked.json could not be read (not a regular file)" in done.stdout


def test_an_oversized_file_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "marked.json").write_text(json.dumps({"marked": ["x" * 100] * 20}), encoding="utf-8")
    with pytest.raises(files.UnreadableFile, match="larger than"):
        read_user_file(tmp_path / "marked.json", limit=1000)


@pytest.mark.parametrize(("name", "content"), [
    ("settings.json", '["a", "b"]'),
    ("settings.json", '"x"'),
    ("settings.json", '{"keymap": ["copy-cited"]}'),
    ("settings.json", '{"theme": 5}'),
    ("marked.json", '["a", "b"]'),
    ("marked.json", '{"marked": 5}'),
    ("marked.json", '{"marked": ["a", 5]}'),
    ("marked.json", '{"other": []}'),
    ("marked.json", '{"marked": ["\\ud800"]}'),  # a lone surrogate: not text
    ("marked.json", "\xff\xfe not utf-8"),
])  # fmt: skip
def test_a_foreign_file_is_set_aside_with_a_warning_and_kept(tmp_path: Path, name: str, content: str) -> None:
    (tmp_path / name).write_bytes(content.encode("latin-1"))
    state = load_state(tmp_path)
    assert [warning for warning in state.warnings if warning.startswith(f"{name} could not be read")]
    assert f"kept as {name}.damaged" in state.warnings[0]
    # The next save writes a fresh file and leaves the set-aside copy as it was.
    save_marked(["a-fact"], tmp_path, seen=[])
    save_settings(Settings(style="plain"), tmp_path, changed=("style",))
    assert (tmp_path / f"{name}.damaged").read_bytes() == content.encode("latin-1")
    assert load_state(tmp_path).warnings == []


def test_known_settings_are_read_and_unknown_keys_survive_a_save(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(json.dumps({"style": "plain", "keymap": {"marked": "B"}, "future": 1}),
                                            encoding="utf-8")  # fmt: skip
    state = load_state(tmp_path)
    assert state.warnings == [] and state.settings.style == "plain" and state.settings.keymap == {"marked": "B"}
    state.settings.theme = "textual-light"
    save_settings(state.settings, tmp_path, changed=("theme",))
    saved = json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))
    assert saved == {"style": "plain", "keymap": {"marked": "B"}, "future": 1, "theme": "textual-light"}


# --- two instances: marks merged, never lost ------------------------------------------------------------------


def test_two_instances_interleaving_keep_each_others_marks(tmp_path: Path) -> None:
    save_marked(["a", "b", "c"], tmp_path)
    first, second = load_state(tmp_path).marked, load_state(tmp_path).marked
    first_now = save_marked([*first, "x"], tmp_path, seen=first)  # the first instance marks x
    second_now = save_marked([m for m in second if m != "b"] + ["y"], tmp_path, seen=second)  # the second: -b +y
    assert second_now == ["a", "c", "x", "y"]
    first_again = save_marked([m for m in first_now if m != "a"], tmp_path, seen=first_now)  # the first: -a
    assert first_again == ["c", "x", "y"]
    assert load_state(tmp_path).marked == ["c", "x", "y"]


def test_a_reorder_by_one_instance_keeps_the_others_addition() -> None:
    assert merge_marks(["a", "b", "c"], ["c", "a", "b"], ["a", "b", "c", "d"]) == ["c", "a", "b", "d"]
    assert merge_marks(["a", "b"], ["a", "b", "e"], ["b", "a"]) == ["b", "a", "e"]  # theirs reordered, mine added
    assert merge_marks([], ["a"], ["a"]) == ["a"]  # both marked the same fact: once
    assert merge_marks(["a"], [], ["a", "b"]) == ["b"]


def test_two_processes_saving_at_once_lose_no_mark(tmp_path: Path) -> None:
    """Each of two processes marks 30 facts one at a time, as an app does; the lock and the merge keep all 60."""
    code = """
        import sys
        from unionbrowse.userstate import load_state, save_marked
        seen = load_state().marked
        mine = list(seen)
        for number in range(30):
            mine.append(f"{sys.argv[1]}-{number}")
            seen = save_marked(mine, seen=seen)
            mine = list(seen)
    """
    environment = {**os.environ, "UNIONBROWSE_HOME": str(tmp_path)}
    children = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), who], env=environment, cwd=ROOT)
                for who in ("left", "right")]  # fmt: skip
    assert [child.wait(timeout=60) for child in children] == [0, 0]
    marked = load_state(tmp_path).marked
    assert sorted(marked) == sorted(f"{who}-{n}" for who in ("left", "right") for n in range(30))
    assert [m for m in marked if m.startswith("left")] == [f"left-{n}" for n in range(30)]  # each kept its order


def test_the_app_merges_marks_saved_by_another_instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from unionbrowse.tui.app import UnionBrowseApp

    monkeypatch.setenv("UNIONBROWSE_HOME", str(tmp_path))
    save_marked(["a"], tmp_path)
    app = UnionBrowseApp(None)
    save_marked(["a", "other"], tmp_path, seen=["a"])  # another instance, meanwhile
    app._save_marks(("a", "mine"))  # what watch_marks does when the reader marks a fact
    assert load_state(tmp_path).marked == ["a", "other", "mine"]
    assert app.marks == ("a", "other", "mine")


def test_a_save_waits_for_the_lock_then_gives_up_with_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl

    monkeypatch.setattr(userstate, "LOCK_WAIT", 0.2)
    tmp_path.mkdir(exist_ok=True)
    holder = os.open(tmp_path / ".lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        with pytest.raises(TimeoutError):
            save_marked(["a"], tmp_path)
    finally:
        os.close(holder)
    assert save_marked(["a"], tmp_path) == ["a"]


# --- writing: atomic, permissions kept, no orphans ----------------------------------------------------------------


def test_kill_9_during_writes_leaves_no_orphan_after_the_next_load(tmp_path: Path) -> None:
    code = """
        from unionbrowse.userstate import save_marked
        marks = [f"fact-{n:07d}" for n in range(200_000)]  # a few MB: each write takes a while
        while True:
            save_marked(marks)
    """
    environment = {**os.environ, "UNIONBROWSE_HOME": str(tmp_path)}
    seen_orphans = 0
    for round_ in range(20):
        child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], env=environment, cwd=ROOT)
        deadline = time.monotonic() + 10
        while not leftovers(tmp_path) and time.monotonic() < deadline:  # kill it mid-write
            time.sleep(0.002)
        time.sleep(0.001 * (round_ % 5))
        child.send_signal(signal.SIGKILL)
        child.wait()
        seen_orphans += bool(leftovers(tmp_path))
    assert seen_orphans >= 10  # the test did kill writers mid-write
    state = load_state(tmp_path)
    assert leftovers(tmp_path) == []
    assert state.warnings == []  # the file itself is whole: old or new, never half
    assert len(state.marked) in (0, 200_000)


def test_a_temporary_of_a_live_writer_is_left_alone(tmp_path: Path) -> None:
    live = tmp_path / f".marked.json.{os.getppid()}.abcd.tmp"
    old = tmp_path / ".marked.json.k2j3h4.tmp"  # an older version's name, with no pid, a minute old
    for path in (live, old):
        path.write_text("{", encoding="utf-8")
    os.utime(old, (time.time() - 120, time.time() - 120))
    load_state(tmp_path)
    assert leftovers(tmp_path) == [live.name]


def test_an_existing_files_mode_is_kept_and_a_new_one_gets_the_umask(tmp_path: Path) -> None:
    kept = tmp_path / "kept.json"
    kept.write_text("{}", encoding="utf-8")
    kept.chmod(0o640)
    write_atomically(kept, "[]")
    assert kept.stat().st_mode & 0o777 == 0o640 and kept.read_text(encoding="utf-8") == "[]"
    umask = os.umask(0o027)
    try:
        write_atomically(tmp_path / "new.json", "{}")
    finally:
        os.umask(umask)
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o640  # 0666 less the umask, not mkstemp's 0600


def test_writing_over_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(IsADirectoryError):
        write_atomically(tmp_path / "out", "x")
    assert leftovers(tmp_path) == []


def test_writing_over_a_device_or_pipe_is_refused_and_a_link_is_followed(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(OSError, match="not a regular file"):
        write_atomically(tmp_path / "pipe", "x")
    assert (tmp_path / "pipe").is_fifo()
    (tmp_path / "null").symlink_to("/dev/null")
    with pytest.raises(OSError, match="not a regular file"):
        write_atomically(tmp_path / "null", "x")
    target = tmp_path / "dotfiles" / "settings.json"
    target.parent.mkdir()
    target.write_text("{}", encoding="utf-8")
    (tmp_path / "settings.json").symlink_to(target)
    write_atomically(tmp_path / "settings.json", "[]")
    assert (tmp_path / "settings.json").is_symlink() and target.read_text(encoding="utf-8") == "[]"


def test_keymap_keys_that_are_not_key_names_are_ignored_with_a_warning(tmp_path: Path) -> None:
    keymap = {"quit": "\x1b]52;c;UFdORUQ=\x07", "search": "\u202e\u009b2J", "help": "[/]", "marked": "B",
              "\x1b]2;x": "ctrl+y"}
    (tmp_path / "settings.json").write_text(json.dumps({"style": "plain", "keymap": keymap}), encoding="utf-8")
    state = load_state(tmp_path)
    assert state.settings.keymap == {"marked": "B", "\x1b]2;x": "ctrl+y"}  # an odd binding id names no binding
    assert state.settings.style == "plain"
    [warning] = state.warnings
    assert "quit, search, help" in warning and "\x1b" not in warning and "\u202e" not in warning
