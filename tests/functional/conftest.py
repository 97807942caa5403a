"""Driving the real app: a fresh user folder per test, the shipped data, no system clipboard."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.worker import WorkerCancelled

from unionbrowse.library import Library
from unionbrowse.tui import clipboard
from unionbrowse.tui.app import UnionBrowseApp

DATA = Path(__file__).resolve().parents[2] / "data"


@functools.cache
def shipped_library() -> Library:
    """The shipped corpus, opened once for every app test (the session's private cache is set by then)."""
    return Library.open(DATA)


class ObservedApp(UnionBrowseApp):
    """The app, remembering what it told the reader (the notifications), for tests to read."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.told: list[str] = []

    def notify(self, message: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self.told.append(message)
        super().notify(message, *args, **kwargs)


@pytest.fixture(autouse=True)
def user_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("UNIONBROWSE_HOME", str(home))
    monkeypatch.setattr(clipboard, "system_command", lambda: None)  # never touch the machine's clipboard
    return home


def make_app(data: Path | None = None) -> ObservedApp:
    """The app as a test needs it: the shared corpus (or ``data``), no blinking cursor, and the card following
    the highlight at once."""
    return ObservedApp(data or shipped_library(), blink=False, preview_delay=0)


def visible_text(widget: Widget) -> str:
    """What a widget shows on screen now, line by line (wide characters included once)."""
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def settle(pilot: Pilot[None]) -> None:
    """Wait for loading and searching workers, then for the screen to catch up."""
    for _ in range(2):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # a search made stale by the next keystroke: the next one is awaited too
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.pause(0.1)  # the card and the source follow the highlight after a short rest


async def type_query(pilot: Pilot[None], text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")
    await settle(pilot)
