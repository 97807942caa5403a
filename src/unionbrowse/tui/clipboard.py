"""One way to copy: OSC 52 through the terminal, then the system clipboard, else a file the user is told about."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.app import App

from unionbrowse.files import write_atomically
from unionbrowse.userstate import data_home


@dataclass
class Copied:
    places: list[str] = field(default_factory=list)  # where the text went: "terminal (OSC 52)", "xclip", ...
    file: Path | None = None

    def describe(self) -> str:
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


def copy_text(app: App[Any], text: str) -> Copied:
    copied = Copied()
    app.copy_to_clipboard(text)  # also keeps it in app.clipboard, which paste and the tests read
    if terminal_can_copy(app):
        copied.places.append("terminal (OSC 52)")
    command = system_command()
    if command is not None:
        try:
            subprocess.run(command, input=text.encode("utf-8"), timeout=2, check=True, capture_output=True)
            copied.places.append(command[0])
        except (OSError, subprocess.SubprocessError):
            pass
    if not copied.places:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        copied.file = data_home() / "clipboard" / f"copied-{stamp}.txt"
        write_atomically(copied.file, text)
    return copied
