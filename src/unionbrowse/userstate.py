"""What a user keeps between runs: settings and the marked list, as JSON under the user data folder.

Files are written atomically (a temporary file renamed over the old one), and a damaged or foreign file is set
aside, never fatal: the user loses no more than that one file, and is told.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from unionbrowse.files import write_atomically
from unionbrowse.reports.cite import STYLES

HOME_ENV = "UNIONBROWSE_HOME"


def data_home() -> Path:
    """$UNIONBROWSE_HOME, else the platform's user data folder."""
    chosen = os.environ.get(HOME_ENV)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("unionbrowse", appauthor=False))


@dataclass
class Settings:
    style: str = "gbt7714"
    theme: str = "textual-dark"


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
    marked = _read(home / "marked.json", state.warnings)
    if isinstance(marked, dict) and isinstance(marked.get("marked"), list):
        state.marked = [item for item in marked["marked"] if isinstance(item, str)]
    return state


def save_settings(settings: Settings, home: Path | None = None) -> None:
    write_atomically((home or data_home()) / "settings.json", json.dumps(asdict(settings), indent=2) + "\n")


def save_marked(marked: list[str], home: Path | None = None) -> None:
    content = json.dumps({"marked": marked}, ensure_ascii=False, indent=2) + "\n"
    write_atomically((home or data_home()) / "marked.json", content)


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
