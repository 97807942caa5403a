"""The app on a poisoned data folder: every pane, screen and notification shows the data's controls as visible
symbols and its markup as written; the palette survives ``[/]``; copied text carries no control."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.functional.conftest import ObservedApp, settle
from unionbrowse.library import Library
from unionbrowse.tui import clipboard
from unionbrowse.tui.screens.compare import CompareScreen
from unionbrowse.tui.screens.marked import MarkedScreen
from unionbrowse.tui.state import Filter
from unionbrowse.tui.widgets.results import ResultList
from unionbrowse.tui.widgets.source_view import SourceView
from unionbrowse.tui.widgets.topic_tree import TopicTree
from unionbrowse.untrusted import INVISIBLE_RANGES

BIG = (160, 45)
SHOWN_MARKUP = "[/][b]bold[N]"


def raw_invisible(text: str) -> list[str]:
    """The characters of ``text`` that a terminal would act on or hide (line breaks and tabs aside)."""
    return [f"U+{ord(ch):04X}" for ch in text
            if ch not in "\n\t" and any(first <= ord(ch) <= last for first, last in INVISIBLE_RANGES)]  # fmt: skip


def screen_text(pilot: Pilot[None]) -> str:
    """Everything on the terminal now, toasts and modal screens included, as the compositor draws it."""
    strips = pilot.app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def assert_shown_safely(pilot: Pilot[None], *expected: str) -> str:
    shown = screen_text(pilot)
    assert raw_invisible(shown) == [], shown
    for text in expected:
        assert text in shown, (text, shown)
    return shown


@pytest.fixture(autouse=True)
def no_system_clipboard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clipboard, "system_command", lambda: None)  # never touch the machine's clipboard


@pytest.fixture(scope="module")
def hostile_library(poisoned_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Library:
    return Library.open(poisoned_data, cache=tmp_path_factory.mktemp("cache"))


def make_app(library: Library) -> ObservedApp:
    return ObservedApp(library, blink=False, preview_delay=0)


def assert_copied_cleanly(app: ObservedApp) -> None:
    assert "PWNED-TITLE" in app.clipboard, app.clipboard  # the words are copied ...
    assert raw_invisible(app.clipboard) == []  # ... the controls are not


async def test_panes_show_the_data_visibly_and_copy_it_cleanly(hostile_library: Library) -> None:
    app = make_app(hostile_library)
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        results = app.query_one(ResultList)
        assert results.hits and results.hits[0].fact.statement.endswith("(javascript:alert(1))")
        assert_shown_safely(pilot, SHOWN_MARKUP, "\u241b]0;PWNED-TITLE\u2407")  # results, status, tree
        sources = next(node for node in app.query_one(TopicTree).root.children if "Sources" in str(node.label))
        sources.expand()
        for outlet in sources.children:
            outlet.expand()
        await settle(pilot)
        assert_shown_safely(pilot, "PWNED")  # the tree's outlets and source titles
        await pilot.press("down", "enter")  # the fact card above its source, the payload paragraph near the quote
        await settle(pilot)
        source_view = app.query_one(SourceView)
        assert "\u241b]0;PWNED-TITLE" in source_view.text and raw_invisible(source_view.text) == []
        assert_shown_safely(pilot, SHOWN_MARKUP)
        await pilot.press("c")  # the passage with its citation
        await settle(pilot)
        assert_copied_cleanly(app)
        await pilot.press("escape", "space", "b")  # mark the fact, open the marked list
        assert isinstance(app.screen, MarkedScreen)
        assert_shown_safely(pilot, SHOWN_MARKUP)
        await pilot.press("c")
        await settle(pilot)
        assert_copied_cleanly(app)
        await pilot.press("escape")
        assert app.told and all(raw_invisible(note) == [] for note in app.told)
        assert_shown_safely(pilot)  # the notifications on screen


async def test_compare_screen_and_its_table_copy(hostile_library: Library) -> None:
    comparison = next(iter(hostile_library.comparisons()))
    app = make_app(hostile_library)
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        app.screen.filter = Filter(f"metric:{comparison.metric.key}", comparison.metric.zh)  # type: ignore[attr-defined]
        await settle(pilot)
        assert_shown_safely(pilot, "filter: ")  # the status line shows the poisoned label
        await pilot.press("tab", "tab", "m")
        assert isinstance(app.screen, CompareScreen)
        await settle(pilot)
        assert_shown_safely(pilot, SHOWN_MARKUP, "PWNED")  # heading, table, chart, reasons
        await pilot.press("c")
        await settle(pilot)
        assert_copied_cleanly(app)
        assert "<img" not in app.clipboard  # a Markdown table: the data's HTML is text


async def test_palette_lists_searches_and_runs_markup_titled_sources(hostile_library: Library) -> None:
    app = make_app(hostile_library)
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        for char in "Metric":
            await pilot.press(char)
        await pilot.pause(0.5)
        assert_shown_safely(pilot, "Metric: ", SHOWN_MARKUP)  # names and their help (metric.en) as written
        for _ in "Metric":
            await pilot.press("backspace")
        for char in "Source":
            await pilot.press(char)
        await pilot.pause(0.5)
        assert_shown_safely(pilot, "Source: ", SHOWN_MARKUP)
        await pilot.press("enter")  # go to the source: the filter is set, and the app is still here
        await settle(pilot)
        chosen = app.screen.filter  # type: ignore[attr-defined]
        assert chosen is not None and chosen.query.startswith("source:")
        assert_shown_safely(pilot, "filter: ")


async def test_copying_with_no_clipboard_and_no_writable_home_tells_the_reader(
    hostile_library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("UNIONBROWSE_HOME", str(blocked / "home"))  # nothing can be written under a file
    app = make_app(hostile_library)
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        await pilot.press("tab", "tab", "c")
        await settle(pilot)
        assert app.is_running
        assert any(note.startswith("Could not copy") and "could not be saved" in note for note in app.told), app.told
        assert_copied_cleanly(app)  # the terminal's copy (OSC 52) still has it


async def test_every_notification_is_literal_and_visible(hostile_library: Library) -> None:
    """Notifications quote paths and errors (an export's file, a user folder named by the environment): whatever
    sends one, the app shows it as visible text, never markup or escape codes."""
    app = make_app(hostile_library)
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        app.screen.notify("Exported 2 facts to /home/\x1b]2;TITLE\x07[/]", title="Exported \u202e")
        await pilot.pause(0.3)
        [*_, told] = list(app._notifications)
        assert raw_invisible(told.message + told.title) == [] and "␛]2;TITLE␇[/]" in told.message
        assert_shown_safely(pilot, "TITLE")
