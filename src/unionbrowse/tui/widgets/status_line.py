"""The line under the search box: how many facts match, the filter, the citation style, the marks, the script."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from unionbrowse.reports.cite import STYLE_NAMES
from unionbrowse.tui.state import Counts, Filter
from unionbrowse.tui.text import safe_line


class StatusLine(Static):
    """Watches the main screen's state (bound with ``data_bind``) and says it in one line."""

    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; color: $text-muted; }
    """

    progress: reactive[str] = reactive("loading…")  # what is being loaded; "" once the library is open
    counts: reactive[Counts | None] = reactive(None)
    filter: reactive[Filter | None] = reactive(None)
    citation_style: reactive[str] = reactive("gbt7714")
    marks: reactive[tuple[str, ...]] = reactive(())
    simplified: reactive[bool] = reactive(False)

    def render(self) -> Text:
        if self.progress:
            return safe_line(self.progress)
        parts = [self.counts.describe() if self.counts is not None else ""]
        if self.filter is not None:
            parts.append(f"filter: {self.filter.label} ({self.filter.query})")
        parts.append(f"cite: {STYLE_NAMES.get(self.citation_style, self.citation_style)}")
        if self.marks:
            parts.append(f"marked: {len(self.marks)}")
        if self.simplified:
            parts.append("繁→简")
        return safe_line(" · ".join(part for part in parts if part))
