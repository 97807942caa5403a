"""What a user keeps between runs: settings and the marked list, as JSON under the user data folder.

This is the one writer of the user's files. Every file is written atomically (a temporary file renamed over the
old one), under a lock shared by every running instance (``.lock`` beside them; ``fcntl.flock``, so Linux and
macOS). A damaged or foreign file (not a regular file, too large, not JSON, nested too deep, or of another
shape) is set aside as ``NAME.damaged`` with a warning, never fatal: the user loses no more than that one file,
and is told.

Two instances share the marked list: each remembers the list as it last read or wrote it, and saving re-reads
the file under the lock and applies only this instance's additions, removals and reordering to what is there,
so neither loses the other's marks. Settings are merged the same way, field by field.

``settings.json`` holds ``style`` (the citation style), ``theme`` and ``keymap``: binding ids mapped to keys,
e.g. ``{"keymap": {"copy-cited": "ctrl+y", "marked": "B"}}`` (the ids are listed on the ``?`` screen).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from unionbrowse.files import read_user_file, remove_stale_temporaries, write_atomically
from unionbrowse.locations import data_home
from unionbrowse.reports.cite import STYLES
from unionbrowse.untrusted import for_terminal_line

SETTINGS = "settings.json"
MARKED = "marked.json"
LOCK = ".lock"
LOCK_WAIT = 5.0  # seconds to wait for another instance's save before giving up on this one
_KEYS = re.compile(r"[!-Z^-~]+")  # printable ASCII without space, brackets or backslash: Textual's key names


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


class ForeignFile(ValueError):
    """JSON of a shape this program never writes."""


def load_state(home: Path | None = None) -> UserState:
    home = home or data_home()
    state = UserState()
    for name in (SETTINGS, MARKED):
        remove_stale_temporaries(home / name)
    raw = _read(home / SETTINGS, _settings_fields, state.warnings)
    if raw is not None:
        if "keymap" in raw:
            raw["keymap"] = _usable_keys(raw["keymap"], state.warnings)
        state.settings = Settings(**{**asdict(state.settings), **raw})
    marked = _read(home / MARKED, _marked_list, state.warnings)
    if marked is not None:
        state.marked = marked
    return state


def save_settings(settings: Settings, home: Path | None = None, changed: Sequence[str] | None = None) -> None:
    """Write ``settings``; with ``changed``, only those fields, over what the file holds now (another instance
    may have changed the others, or the user edited the key map by hand)."""
    home = home or data_home()
    with _locked(home):
        mine = asdict(settings)
        current = _read(home / SETTINGS, _raw_object, []) if changed is not None else None
        merged = {**(current or {}), **{name: mine[name] for name in (mine if changed is None else changed)}}
        write_atomically(home / SETTINGS, json.dumps(merged, ensure_ascii=False, indent=2) + "\n")


def save_marked(marked: Sequence[str], home: Path | None = None, seen: Sequence[str] | None = None) -> list[str]:
    """Save the marked list and return it as saved. With ``seen`` (the list as this instance last read or wrote
    it), what changed since then is applied to the file as it is now, keeping another instance's changes."""
    home = home or data_home()
    with _locked(home):
        current = _read(home / MARKED, _marked_list, []) or []
        merged = list(marked) if seen is None else merge_marks(seen, marked, current)
        if merged != current or not (home / MARKED).exists():
            content = json.dumps({"marked": merged}, ensure_ascii=False, indent=2) + "\n"
            write_atomically(home / MARKED, content)
    return merged


def merge_marks(seen: Sequence[str], mine: Sequence[str], theirs: Sequence[str]) -> list[str]:
    """A three-way merge of ordered lists of ids: ``theirs`` (the file now) with the changes ``mine`` made to
    ``seen``. A mark removed by either side goes; one added by either stays (theirs first, then mine); when this
    instance reordered, its order wins and the other's additions follow."""
    base, kept = set(seen), set(mine)
    removed = (base - kept) | (base - set(theirs))
    reordered = [mark for mark in mine if mark in base] != [mark for mark in seen if mark in kept]
    order = [*mine, *theirs] if reordered else [*theirs, *mine]
    return [mark for mark in dict.fromkeys(order) if mark not in removed]


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


# --- reading ----------------------------------------------------------------------------------------------


def _raw_object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ForeignFile(f"a JSON object was expected, not {type(value).__name__}")
    return value


def _settings_fields(value: Any) -> dict[str, Any]:
    """The known fields of a settings object, each of its type; any other value makes the file foreign."""
    raw = _raw_object(value)
    found: dict[str, Any] = {}
    if "style" in raw:
        if not isinstance(raw["style"], str):
            raise ForeignFile("style is not text")
        if raw["style"] in STYLES:  # a style this version does not know (a newer one's) is left as it is
            found["style"] = raw["style"]
    if "theme" in raw:
        if not isinstance(raw["theme"], str):
            raise ForeignFile("theme is not text")
        found["theme"] = raw["theme"]
    if "keymap" in raw:
        keymap = raw["keymap"]
        if not isinstance(keymap, dict) or not all(isinstance(keys, str) for keys in keymap.values()):
            raise ForeignFile("keymap is not an object of binding ids and keys")
        found["keymap"] = dict(keymap)
    return found


def _usable_keys(keymap: dict[str, str], warnings: list[str]) -> dict[str, str]:
    """The key map's bindings whose keys are key names (``ctrl+y``, ``B``, ``f2,question_mark``); any other is
    left out with a warning. Textual prints the keys in the footer and on the help screen as they are, so a key
    holding an escape sequence or markup would reach the terminal."""
    usable = {binding: keys for binding, keys in keymap.items() if _KEYS.fullmatch(keys)}
    if len(usable) < len(keymap):
        ignored = ", ".join(for_terminal_line(binding)[:40] for binding in keymap if binding not in usable)
        warnings.append(f"{SETTINGS}: keymap entries whose keys are not key names were ignored ({ignored}); write "
                        "keys as Textual names them, e.g. ctrl+y or f2")  # fmt: skip
    return usable


def _marked_list(value: Any) -> list[str]:
    marked = _raw_object(value).get("marked")
    if not isinstance(marked, list) or not all(isinstance(item, str) for item in marked):
        raise ForeignFile("`marked` is not a list of fact ids")
    return list(dict.fromkeys(marked))


def _read(path: Path, shape: Any, warnings: list[str]) -> Any:
    """The file's JSON as ``shape`` makes it; None when it is missing or has been set aside (and said so)."""
    try:
        value = json.loads(read_user_file(path).decode("utf-8"))
        json.dumps(value, ensure_ascii=False).encode("utf-8")  # a lone surrogate (`"\ud800"`) is not text: foreign
        return shape(value)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError) as error:  # ValueError: bad UTF-8, bad JSON, ForeignFile
        _set_aside(path, _describe(error), warnings)
        return None


def _describe(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "nested too deep"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error)[:200]


def _set_aside(path: Path, reason: str, warnings: list[str]) -> None:
    aside = path.with_name(path.name + ".damaged")
    try:
        os.replace(path, aside)
    except OSError as error:
        warnings.append(f"{path.name} could not be read ({reason}) nor set aside ({error.strerror}); "
                        "starting afresh")  # fmt: skip
        return
    warnings.append(f"{path.name} could not be read ({reason}); kept as {aside.name}, starting afresh")


@contextlib.contextmanager
def _locked(home: Path) -> Iterator[None]:
    """Hold the lock every instance takes to write the user's files (nothing on a system without flock)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks here; writes are still atomic
        yield
        return
    home.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(home / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"another unionbrowse holds {home / LOCK}") from None
                time.sleep(0.01)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
