"""How the app looks: SVG snapshots at fixed sizes (pytest-textual-snapshot). Update with --snapshot-update."""

from __future__ import annotations

from textual.pilot import Pilot

from .conftest import make_app, settle


async def _query(pilot: Pilot[None], text: str) -> None:
    await settle(pilot)
    pilot.app.query_one("#search").value = text  # type: ignore[attr-defined]
    await settle(pilot)


def test_main_screen(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _query(pilot, "户外劳动者驿站")
        await pilot.press("down", "enter")
        await pilot.pause(0.1)

    assert snap_compare(make_app(), terminal_size=(160, 45), run_before=run_before)


def test_help_screen(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("tab", "question_mark")
        await pilot.pause(0.1)

    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=run_before)


def test_marked_list(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _query(pilot, "法律援助")
        await pilot.press("down", "space", "down", "down", "space", "b")
        await pilot.pause(0.1)

    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=run_before)


def test_narrow_terminal(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _query(pilot, "jqzx")

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_narrow_terminal_reading(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _query(pilot, "jqzx")
        await pilot.press("down", "enter")
        await pilot.pause(0.1)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_compare_screen(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _query(pilot, "metric:medical-mutual-aid-payouts")
        await pilot.press("down", "m")
        await pilot.pause(0.1)

    assert snap_compare(make_app(), terminal_size=(140, 40), run_before=run_before)
