"""A comparison as text bars: the reported values over time, one line a report."""

from __future__ import annotations

from unionbrowse.reports.compare import Comparison
from unionbrowse.untrusted import for_terminal_line


def bar_chart(comparison: Comparison, width: int = 40) -> list[str]:
    """One line a report, in order of publication: date, a bar as long as the value, the figure as written.
    Figures and scopes come from the data: visible on one line, whatever they hold."""
    top = max((r.quantity.value for r in comparison.reports), default=0) or 1
    lines = []
    for r in comparison.reports:
        size = max(1, round(r.quantity.value / top * width)) if r.quantity.value > 0 else 0
        text = for_terminal_line(f"{r.quantity.text}  {r.fact.scope or ''}")
        lines.append(f"{r.fact.source.date:<10} {'█' * size:<{width}} {text}")
    return lines
