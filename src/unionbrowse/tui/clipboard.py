"""One way to copy: OSC 52 through the terminal, then the system clipboard, else a file the user is told about.

OSC 52 is written on the event loop (it is a write to the terminal); the system clipboard program is a process
that may take a while, so ``to_system`` is meant to run in a worker thread.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.app import App

from unionbrowse.userstate import save_clipboard_fallback


@dataclass
class Copied:
    places: list[str] = field(default_factory=list)  # where the text went: "terminal (OSC 52)", "xclip", ...
    file: Path | None = None
    failure: str = ""  # why the text could not even be kept in a file (an unwritable home)

    def describe(self) -> str:
        if self.failure:
            return f"nothing copied: no clipboard reachable, and it could not be saved to a file ({self.failure})"
        if self.file is not None:
            return f"no clipboard reachable: saved to {self.file}"
        return "copied via " + " and ".join(self.places)


def system_command() -> list[str] | None:
    """The system clipboard program for this session, if there is one."""
    candidates: list[list[str]] = []
    if sys.platform == "darwin":
        candidates.append(["pbcopy"])
    if os.environ.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy"])
    if os.environ.get("DISPLAY"):
        candidates += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    candidates.append(["clip.exe"])  # WSL
    return next((command for command in candidates if shutil.which(command[0])), None)


def terminal_can_copy(app: App[Any]) -> bool:
    """OSC 52 needs a real terminal: not a headless test run, not a dumb terminal, not switched off."""
    return not app.is_headless and os.environ.get("TERM") != "dumb" and not os.environ.get("UNIONBROWSE_NO_OSC52")


def to_terminal(app: App[Any], text: str) -> Copied:
    """OSC 52 (also kept in ``app.clipboard``, which paste and the tests read). On the event loop."""
    app.copy_to_clipboard(text)
    return Copied(["terminal (OSC 52)"] if terminal_can_copy(app) else [])


def to_system(text: str, copied: Copied) -> Copied:
    """The system clipboard program, else a file. Blocking: run it in a worker thread."""
    command = system_command()
    if command is not None:
        try:
            subprocess.run(command, input=text.encode("utf-8"), timeout=2, check=True, capture_output=True)
            copied.places.append(command[0])
        except (OSError, subprocess.SubprocessError):
            pass
    if not copied.places:
        try:
            copied.file = save_clipboard_fallback(text)
        except OSError as error:  # a read-only or full home: the reader is told, the app goes on
            copied.failure = f"{error.strerror or error}: {error.filename}" if error.filename else str(error)
    return copied
