"""What a user keeps between runs: settings and the marked list, as JSON under the user data folder.

This is the one writer of the user's files: every file is written atomically (a temporary file renamed over the
old one), and a damaged or foreign file is set aside, never fatal: the user loses no more than that one file,
and is told.

``settings.json`` holds ``style`` (the citation style), ``theme`` and ``keymap``: binding ids mapped to keys,
e.g. ``{"keymap": {"copy-cited": "ctrl+y", "marked": "B"}}`` (the ids are listed on the ``?`` screen).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from unionbrowse.files import write_atomically
from unionbrowse.locations import data_home
from unionbrowse.reports.cite import STYLES


@dataclass
class Settings:
    style: str = "gbt7714"
    theme: str = "textual-dark"
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> keys, as Textual's set_keymap takes


@dataclass
class UserState:
    settings: Settings = field(default_factory=Settings)
    marked: list[str] = field(default_factory=list)  # fact ids, in the user's order
    warnings: list[str] = field(default_factory=list)


def load_state(home: Path | None = None) -> UserState:
    home = home or data_home()
    state = UserState()
    raw = _read(home / "settings.json", state.warnings)
    if isinstance(raw, dict):
        style = raw.get("style")
        state.settings.style = style if style in STYLES else state.settings.style
        if isinstance(raw.get("theme"), str):
            state.settings.theme = raw["theme"]
        keymap = raw.get("keymap")
        if isinstance(keymap, dict):
            state.settings.keymap = {str(k): v for k, v in keymap.items() if isinstance(v, str)}
    marked = _read(home / "marked.json", state.warnings)
    if isinstance(marked, dict) and isinstance(marked.get("marked"), list):
        state.marked = [item for item in marked["marked"] if isinstance(item, str)]
    return state


def save_settings(settings: Settings, home: Path | None = None) -> None:
    content = json.dumps(asdict(settings), ensure_ascii=False, indent=2) + "\n"
    write_atomically((home or data_home()) / "settings.json", content)


def save_marked(marked: list[str], home: Path | None = None) -> None:
    content = json.dumps({"marked": marked}, ensure_ascii=False, indent=2) + "\n"
    write_atomically((home or data_home()) / "marked.json", content)


def save_export(name: str, content: str, home: Path | None = None) -> Path:
    """Write an export under ``exports/``, its name stamped with the time; return where it went."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = (home or data_home()) / "exports" / f"{name}-{stamp}.md"
    write_atomically(path, content)
    return path


def save_clipboard_fallback(text: str, home: Path | None = None) -> Path:
    """Keep text that no clipboard could take, in a file the reader is told about."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = (home or data_home()) / "clipboard" / f"copied-{stamp}.txt"
    write_atomically(path, text)
    return path


def _read(path: Path, warnings: list[str]) -> Any:
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        aside = path.with_suffix(path.suffix + ".damaged")
        try:
            os.replace(path, aside)
            warnings.append(f"{path.name} could not be read ({error}); kept as {aside.name}, starting afresh")
        except OSError:
            warnings.append(f"{path.name} could not be read ({error})")
        return None
