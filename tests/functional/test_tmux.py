"""The real app in a real terminal: tmux runs it, keys are typed, the screen and the clipboard are read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import DATA
from .tmux import Terminal

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    socket = f"unionbrowse-test-{uuid.uuid4().hex[:8]}"
    env = {
        "UNIONBROWSE_HOME": str(tmp_path / "home"),
        "UNIONBROWSE_CACHE": str(tmp_path / "cache"),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", ""),
        "LANG": "C.UTF-8",
    }
    command = " ".join(f"{k}={v}" for k, v in env.items()) + f" {sys.executable} -m unionbrowse --data {DATA}"
    term = Terminal(socket, "app")
    subprocess.run(["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "app", "-x", "160",
                    "-y", "45", command], check=True, timeout=20)  # fmt: skip
    term.tmux("set-option", "-g", "set-clipboard", "on")
    try:
        yield term
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def test_type_open_copy_quit(terminal: Terminal) -> None:
    terminal.wait_for("282 facts")
    terminal.keys("jqzx")
    screen = terminal.wait_for("金秋助学")
    assert "facts" in screen
    terminal.keys("Down")
    terminal.keys("Enter")
    screen = terminal.wait_for("Grow passage")  # the source pane has the keys, and shows the article
    assert "这五年来" in screen
    terminal.keys("c")
    screen = terminal.wait_for("Copied")
    buffer = terminal.tmux("show-buffer")
    assert "金秋助学" in buffer and "保山日报, 2022-09-15." in buffer
    terminal.keys("q")
    deadline = time.monotonic() + 10
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not terminal.alive()
