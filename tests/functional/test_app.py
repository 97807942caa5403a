"""Every key path of the app, asserting what the reader sees or gets."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from unionbrowse.corpus.script import to_simplified
from unionbrowse.reports.cite import cite_list, cite_passage, quoted
from unionbrowse.tui.screens.help import HelpScreen
from unionbrowse.tui.screens.marked import MarkedScreen
from unionbrowse.tui.screens.style import StyleScreen
from unionbrowse.tui.state import Filter
from unionbrowse.tui.widgets.fact_card import FactCard
from unionbrowse.tui.widgets.results import ResultList
from unionbrowse.tui.widgets.search_box import SearchBox
from unionbrowse.tui.widgets.source_view import SourceView
from unionbrowse.tui.widgets.topic_tree import TopicTree

from .conftest import DATA, make_app, settle, type_query, visible_text

BIG = (160, 45)


def status(app: object) -> str:
    return str(app.query_one("#status").render())  # type: ignore[attr-defined]


async def test_typing_at_start_searches_and_results_show_the_count() -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, Input)
        await type_query(pilot, "jqzx")
        results = app.query_one(ResultList)
        assert results.hits and all("金秋助学" in hit.fact.statement for hit in results.hits)
        assert f"{len(results.hits)} facts" in status(app)


async def test_a_query_of_punctuation_says_there_is_nothing_to_search_for() -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        app.query_one(SearchBox).value = "？！"  # as an input method commits it: in one go
        await settle(pilot)
        assert status(app).startswith("nothing to search for in ？！;"), status(app)
        await type_query(pilot, "a")  # a letter beside it: a search again
        assert "nothing to search for" not in status(app)


async def test_chinese_query_highlights_matches_and_opens_the_source() -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        app.query_one(Input).value = "户外劳动者驿站"  # an input method commits the whole word at once
        await settle(pilot)
        results = app.query_one(ResultList)
        first = results.hits[0]
        assert first.matches["statement"] or first.matches["quote"]
        await pilot.press("down")
        assert app.focused is results
        await pilot.press("enter")
        source = app.query_one(SourceView)
        assert app.focused is source
        assert source.passage is not None and source.passage.source is first.fact.source
        assert source.passage.span == first.fact.span
        assert source.selected_text == first.fact.quote
        card = visible_text(app.query_one(FactCard)).replace("\n", "")
        assert first.fact.statement[:12] in card and first.fact.id in card


async def test_moving_through_results_updates_the_card(tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        await type_query(pilot, "falvyuanzhu")
        results = app.query_one(ResultList)
        assert len(results.hits) >= 2
        await pilot.press("ctrl+j")
        assert results.highlighted == 1
        await pilot.pause(0.15)  # the card and source follow once the highlight rests
        assert app.query_one(SourceView).source is results.hits[1].fact.source
        await pilot.press("ctrl+k")
        assert results.highlighted == 0
        await pilot.press("down")  # from the search box into the list
        assert app.focused is results
        await pilot.press("down")
        assert results.highlighted == 1


async def test_slash_escape_and_tab_move_between_panes() -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        await type_query(pilot, "gonghui")
        await pilot.press("down")
        assert isinstance(app.focused, ResultList)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press("escape")
        assert app.query_one(Input).value == ""
        await pilot.press("down", "enter")
        assert isinstance(app.focused, SourceView)
        await pilot.press("escape")
        assert isinstance(app.focused, ResultList)
        await pilot.press("escape")
        assert isinstance(app.focused, Input)
        seen = set()
        for _ in range(4):
            await pilot.press("tab")
            seen.add(type(app.focused).__name__)
        assert {"TopicTree", "ResultList", "SourceView"} <= seen


async def test_c_copies_the_quote_with_its_citation_and_y_the_quote(user_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        await type_query(pilot, "3143")
        fact = app.query_one(ResultList).hits[0].fact
        assert fact.id == "njr-2022-technical-experts"
        await pilot.press("down", "c")
        await settle(pilot)  # the system clipboard (here: a file) is written by a worker thread
        assert app.clipboard == cite_passage(fact.quote, fact.source, "gbt7714", fact_id=fact.id)
        assert app.clipboard.startswith(quoted(fact.quote))
        assert "郎晶晶. 当好职工“娘家人” 凝心聚力促发展[N]. [出版者不详], 2022." in app.clipboard
        # No terminal and no system clipboard in a test run: the text goes to a file, and the reader is told.
        saved = list((user_home / "clipboard").glob("copied-*.txt"))
        assert len(saved) == 1 and saved[0].read_text(encoding="utf-8") == app.clipboard
        assert any(str(saved[0]) in note for note in app.told)
        await pilot.press("y")
        assert app.clipboard == fact.quote


async def test_s_chooses_the_style_and_it_is_remembered(user_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        await type_query(pilot, "3143")
        await pilot.press("down", "s")
        assert isinstance(app.screen, StyleScreen)
        await pilot.press("down", "enter")  # GB/T 7714-2025, the full-width form
        await pilot.pause()
        assert app.citation_style == "gbt7714-2025"
        assert "GB/T 7714-2025" in status(app)
        await pilot.press("c")
        assert "［N］．［出版者不详］，2022．" in app.clipboard
    assert json.loads((user_home / "settings.json").read_text(encoding="utf-8"))["style"] == "gbt7714-2025"
    again = make_app()
    async with again.run_test(size=BIG) as pilot:
        await settle(pilot)
        assert again.citation_style == "gbt7714-2025"


async def test_brackets_grow_and_shrink_the_passage_and_c_copies_it() -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        await type_query(pilot, "3143")
        fact = app.query_one(ResultList).hits[0].fact
        await pilot.press("down", "enter")
        source = app.query_one(SourceView)
        await pilot.press("right_square_bracket")
        grown = source.passage.span
        assert grown.start == fact.span.start and grown.end > fact.span.end
        assert source.selected_text == fact.source.text[grown.start : grown.end]
        await pilot.press("left_square_bracket")
        assert source.passage.span.end < grown.end
        await pilot.press("left_curly_bracket")  # {: shrink from the front, within one sentence does nothing
        await pilot.press("right_curly_bracket")  # }: take in the sentence before
        assert source.passage.span.start < fact.span.start
        await pilot.press("c")
        passage = fact.source.text[source.passage.span.start : source.passage.span.end]
        assert app.clipboard == cite_passage(passage, fact.source, "gbt7714")


async def test_space_marks_and_b_manages_the_marked_list(user_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        await type_query(pilot, "falvyuanzhu")
        results = app.query_one(ResultList)
        first, second = results.hits[0].fact, results.hits[1].fact
        await pilot.press("down", "space", "down", "space")
        assert app.marks == (first.id, second.id)
        assert "marked: 2" in status(app)
        await pilot.press("b")
        assert isinstance(app.screen, MarkedScreen)
        await pilot.press("shift+down")  # move the first below the second
        assert app.marks == (second.id, first.id)
        await pilot.press("c")
        assert app.clipboard == cite_list([(second.quote, second.source), (first.quote, first.source)], "gbt7714")
        await pilot.press("e")
        exported = list((user_home / "exports").glob("marked-*.md"))
        assert len(exported) == 1 and second.quote in exported[0].read_text(encoding="utf-8")
        await pilot.press("d")  # the highlight moved down with the first fact: that one goes
        assert app.marks == (second.id,)
        await pilot.press("escape")
    assert json.loads((user_home / "marked.json").read_text(encoding="utf-8")) == {"marked": [second.id]}
    again = make_app()
    async with again.run_test(size=BIG) as pilot:
        await settle(pilot)
        assert again.marks == (second.id,)


async def test_marks_of_another_data_folder_are_kept(user_home: Path) -> None:
    user_home.mkdir(parents=True, exist_ok=True)
    (user_home / "marked.json").write_text('{"marked": ["other-20250101-x", "ynw-20251127-six-actions"]}',
                                           encoding="utf-8")  # fmt: skip
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        await type_query(pilot, "falvyuanzhu")
        fact = app.query_one(ResultList).hits[0].fact
        await pilot.press("down", "space")  # a change, so the list is saved
        await pilot.press("b")
        assert "1 marked fact(s) of another data folder" in visible_text(app.screen.query_one(OptionList))
        await pilot.press("shift+down", "escape")  # reordering what is shown keeps what is not
    saved = json.loads((user_home / "marked.json").read_text(encoding="utf-8"))["marked"]
    assert sorted(saved) == sorted(["other-20250101-x", "ynw-20251127-six-actions", fact.id])


async def test_t_shows_traditional_in_simplified_and_the_citation_says_so() -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        await type_query(pilot, "source:grrb 2911")
        fact = app.query_one(ResultList).hits[0].fact
        assert fact.source.is_traditional
        await pilot.press("down", "enter", "t")
        source = app.query_one(SourceView)
        assert source.selected_text == to_simplified(fact.quote) != fact.quote
        assert "繁→简" in status(app)
        await pilot.press("c")
        assert app.clipboard.startswith(quoted(to_simplified(fact.quote)))
        assert app.clipboard.endswith("（引文由繁体转为简体）")
        await pilot.press("t")
        assert source.selected_text == fact.quote


async def test_tree_and_palette_filter_the_results() -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        tree = app.query_one(TopicTree)
        node = next(n for n in _walk(tree.root) if isinstance(n.data, Filter) and n.data.query == "metric:legal-aid-cases")
        tree.select_node(node)
        await settle(pilot)
        hits = app.query_one(ResultList).hits
        assert hits and all(hit.fact.metric == "legal-aid-cases" for hit in hits)
        assert "filter:" in status(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        for char in "Source: 保山":
            await pilot.press(char if char != " " else "space")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        hits = app.query_one(ResultList).hits
        assert hits and all(hit.fact.source.id == "bsrb-20220915" for hit in hits)


async def test_help_and_quit() -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        await pilot.press("tab", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_q_types_into_the_search_box_rather_than_quitting() -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        await pilot.press("q")
        assert app.query_one(Input).value == "q"
        assert app.is_running


async def test_corpus_text_is_shown_literally(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    facts = data / "facts" / "ynw-20251127.yaml"
    text = facts.read_text(encoding="utf-8")
    doctored = re.sub(r"(?m)^    statement: .*$", lambda _: '    statement: "[bold]粗[/] [0] \\e[31m红"', text, count=1)
    facts.write_text(doctored, encoding="utf-8")
    app = make_app(data)
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        await type_query(pilot, "'[bold]")
        results = app.query_one(ResultList)
        assert results.hits
        shown = str(results.get_option_at_index(0).prompt)
        assert "[bold]粗[/] [0] ␛[31m红" in shown and "\x1b" not in shown


async def test_a_bad_data_folder_opens_with_a_message_and_what_is_valid(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "facts" / "ynw-20251127.yaml").write_text("facts: [unclosed\n", encoding="utf-8")
    app = make_app(data)
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        assert any("problem(s) in the data folder" in note for note in app.told)
        hits = app.query_one(ResultList).hits
        assert hits and all(hit.fact.source.id != "ynw-20251127" for hit in hits)
    missing = make_app(tmp_path / "nowhere")
    async with missing.run_test(size=BIG) as pilot:
        await settle(pilot)
        assert "does not exist" in status(missing)


async def test_narrow_terminal_shows_one_pane_at_a_time() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_query(pilot, "yizhan")
        assert not app.query_one(TopicTree).display or app.query_one(TopicTree).region.width == 0
        assert app.query_one("#detail").region.width == 0
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.query_one("#middle").region.width == 0
        assert app.query_one(SourceView).region.width > 60
        await pilot.press("escape")
        await pilot.pause()
        assert app.query_one(ResultList).region.width > 60


@pytest.mark.parametrize("width", [100, 200])
async def test_wide_terminals_use_the_width(width: int) -> None:
    app = make_app()
    async with app.run_test(size=(width, 40)) as pilot:
        await settle(pilot)
        assert app.query_one(OptionList).region.width > 30
        assert app.query_one(SourceView).region.width > 30


def _walk(node):  # type: ignore[no-untyped-def]
    yield node
    for child in node.children:
        yield from _walk(child)


async def test_theme_toggles_from_the_palette_and_is_remembered(user_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        dark = app.current_theme.dark
        await pilot.press("ctrl+p")
        await pilot.pause()
        for char in "Toggle light":
            await pilot.press(char if char != " " else "space")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_theme.dark != dark
    saved = json.loads((user_home / "settings.json").read_text(encoding="utf-8"))
    again = make_app()
    async with again.run_test(size=BIG) as pilot:
        await settle(pilot)
        assert again.theme == saved["theme"] and again.current_theme.dark != dark


async def test_m_compares_across_sources_and_the_card_says_also_reported() -> None:
    from unionbrowse.tui.screens.compare import CompareScreen

    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        await type_query(pilot, "metric:provincial-contests")
        await pilot.press("down")
        await pilot.pause(0.15)
        card = visible_text(app.query_one(FactCard))
        assert "also reported as" in card and "conflict" in card
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        shown = visible_text(app.screen.query_one(Static))
        assert "25項" in shown and "15项" in shown and "CONFLICT" in shown
        await pilot.press("c")
        assert app.clipboard.startswith("**省级竞赛**") and "[EB/OL]" in app.clipboard
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)
        await pilot.press("slash")
        app.query_one(Input).value = "'吾悦广场"  # a figure no other source reports
        await settle(pilot)
        await pilot.press("down", "m")
        assert not isinstance(app.screen, CompareScreen)
        assert any("no other source" in note for note in app.told)


async def test_keys_are_remapped_from_the_settings_file(user_home: Path) -> None:
    user_home.mkdir(parents=True, exist_ok=True)
    (user_home / "settings.json").write_text(json.dumps({"keymap": {"marked": "B", "copy-cited": "ctrl+y"}}),
                                             encoding="utf-8")  # fmt: skip
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        await type_query(pilot, "3143")
        fact = app.query_one(ResultList).hits[0].fact
        await pilot.press("down", "c")  # no longer copies: c was moved to ctrl+y
        assert app.clipboard == ""
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert app.clipboard.startswith(quoted(fact.quote))
        await pilot.press("b")
        assert not isinstance(app.screen, MarkedScreen)
        await pilot.press("B")
        assert isinstance(app.screen, MarkedScreen)
        await pilot.press("escape", "tab", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = {binding_id: keys for keys, _, _, binding_id in app.screen.rows()}
        assert rows["marked"] == "B" and rows["copy-cited"] == "^y"  # the help shows the keys in use


async def test_a_theme_chosen_anywhere_is_remembered(user_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        app.theme = "nord"  # as Textual's own theme picker sets it
        await pilot.pause()
    saved = json.loads((user_home / "settings.json").read_text(encoding="utf-8"))
    assert saved["theme"] == "nord"
    again = make_app()
    async with again.run_test(size=BIG) as pilot:
        await settle(pilot)
        assert again.theme == "nord"


async def test_a_failing_worker_is_a_message_not_a_crash() -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        screen = app.screen
        library = screen.library  # type: ignore[attr-defined]
        broken = type("Broken", (), {"fact_finder": property(lambda self: 1 / 0)})()
        screen.run_search(broken, "x", "x")  # type: ignore[attr-defined]
        await pilot.pause(0.2)
        assert app.is_running and screen.library is library  # type: ignore[attr-defined]
        assert any("Searching failed: division by zero" in note for note in app.told)


async def test_opening_the_metrics_marks_those_with_a_conflict() -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await settle(pilot)
        tree = app.query_one(TopicTree)
        metrics = next(n for n in tree.root.children if str(n.label).startswith("指标"))
        labels = lambda: [str(n.label) for n in metrics.children]  # noqa: E731
        assert labels() and not any(label.startswith("⚠") for label in labels())  # not looked for yet
        metrics.expand()
        await settle(pilot)
        marked = [label for label in labels() if label.startswith("⚠")]
        assert any("省级竞赛" in label for label in marked) and len(marked) == 2
