"""The real app on a poisoned data folder, in a real terminal, with every byte it writes recorded (tmux
``pipe-pane``): the corpus's escape sequences never reach the terminal, and nothing is copied unasked."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.functional.tmux import Terminal
from tests.hostile.folders import forbidden_bytes

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

_TEXTUAL_OSC = re.compile(rb"\x1b\]22;[a-z-]*\x07")
_OSC52 = re.compile(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)(?:\x07|\x1b\\)")


class Recorded(Terminal):
    """A tmux session whose pane output is appended, byte for byte, to ``log``."""

    def __init__(self, socket: str, log: Path) -> None:
        super().__init__(socket, "app")
        self.log = log

    def written(self) -> bytes:
        time.sleep(0.5)  # pipe-pane hands output on asynchronously
        return self.log.read_bytes()


@pytest.fixture
def recorded(tmp_path: Path, poisoned_data: Path) -> Iterator[Recorded]:
    socket = f"unionbrowse-hostile-{uuid.uuid4().hex[:8]}"
    env = {
        "UNIONBROWSE_HOME": str(tmp_path / "home"),
        "UNIONBROWSE_CACHE": str(tmp_path / "cache"),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", ""),
        "LANG": "C.UTF-8",
    }
    app = " ".join(f"{k}={v}" for k, v in env.items()) + f" {sys.executable} -m unionbrowse --data {poisoned_data}"
    # The shell waits for a line before starting the app, so the recording is in place before its first byte.
    command = f"read _; exec env {app}"
    log = tmp_path / "terminal.bytes"
    log.touch()
    subprocess.run(["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "app", "-x", "160",
                    "-y", "45", "sh", "-c", command], check=True, timeout=20)  # fmt: skip
    session = Recorded(socket, log)
    session.tmux("set-option", "-g", "set-clipboard", "on")
    session.tmux("pipe-pane", "-O", "-t", "app", f"cat >> {log}")
    session.keys("Enter")
    try:
        yield session
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def test_poisoned_corpus_never_writes_escapes_to_the_terminal(recorded: Recorded) -> None:
    recorded.wait_for("facts", 60)
    recorded.keys("jqzx")  # results whose outlet, title and statement carry the payload
    recorded.wait_for("PWNED", 60)  # the payload is shown (as visible symbols), not acted on
    recorded.keys("Down", "Enter")  # the fact card and the source beside it
    recorded.wait_for("Grow passage", 60)
    recorded.keys("m")  # the compare screen: headings and chart from metric names
    time.sleep(1)
    recorded.keys("Escape")
    recorded.keys("C-p")  # the palette lists sources whose titles hold `[/]`
    time.sleep(0.5)
    recorded.keys("Source")
    time.sleep(1)
    recorded.keys("Escape")
    time.sleep(0.5)
    before_copy = recorded.written()
    assert recorded.alive(), "the app died"

    assert b"\x1b]0;PWNED" not in before_copy  # the window title was not changed
    assert "\x1b[2J\u009b".encode() not in before_copy
    # No BEL, C1 or bidi control at all, once Textual's own escapes are set aside (it ends the OSC 22 that sets the
    # mouse pointer's shape with a BEL).
    own = _TEXTUAL_OSC.sub(b"", before_copy).replace(b"\x1b", b"")
    assert forbidden_bytes(own) == []
    assert _OSC52.findall(before_copy) == [], "the clipboard was written with no key pressed"

    recorded.keys("Tab")  # the results, then copy the highlighted fact with its citation
    recorded.keys("c")
    recorded.wait_for("Copied", 60)
    copies = _OSC52.findall(recorded.written())
    assert copies, "copying wrote nothing to the terminal's clipboard"
    copied = base64.b64decode(copies[-1]).decode("utf-8")
    assert "PWNED" in copied  # the article's words are copied ...
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]", copied)  # ... its controls are not
    recorded.keys("C-q")
    deadline = time.monotonic() + 10
    while recorded.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not recorded.alive()
