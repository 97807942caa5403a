"""Citations: the quote first, then the reference, in the style a writer needs to paste.

GB/T 7714-2015: a newspaper is ``作者. 题名[N]. 报纸名, YYYY-MM-DD.``; a web-only item is
``作者. 题名[EB/OL]. 网站, (发布日期)[引用日期].``. No URL is known for any source, so none is printed.
"""

from __future__ import annotations

import datetime as dt

from .model import Fact, Source

STYLES = ("gbt7714", "plain", "markdown")
UNKNOWN_PUBLISHER = "[出版者不详]"


def reference(source: Source, style: str = "gbt7714", accessed: dt.date | None = None) -> str:
    """The bibliographic reference for a source, without the quote."""
    if style == "gbt7714":
        return _gbt7714(source, accessed or dt.date.today())
    if style == "plain":
        return _plain(source)
    if style == "markdown":
        return _markdown(source)
    raise ValueError(f"unknown citation style {style!r}; use one of {', '.join(STYLES)}")


def cite(fact: Fact, style: str = "gbt7714", accessed: dt.date | None = None) -> str:
    """The quote with its reference."""
    return cite_passage(fact.quote, fact.source, style, accessed, fact_id=fact.id)


def cite_passage(
    passage: str, source: Source, style: str = "gbt7714", accessed: dt.date | None = None, fact_id: str | None = None
) -> str:
    ref = reference(source, style, accessed)
    if style == "markdown":
        tail = f" ({fact_id})" if fact_id else ""
        return f"> {passage}\n\n— {ref}{tail}"
    if style == "plain":
        return f"“{passage}”\n—— {ref}"
    return f"“{passage}”\n{ref}"


def full_title(source: Source) -> str:
    subtitle = (source.subtitle or "").lstrip("—-– ").strip()
    return f"{source.title}: {subtitle}" if subtitle else source.title


def _gbt7714(source: Source, accessed: dt.date) -> str:
    head = f"{source.author}. " if source.author else ""
    outlet = source.outlet or UNKNOWN_PUBLISHER
    if source.medium == "web":
        return f"{head}{full_title(source)}[EB/OL]. {outlet}, ({source.date})[{accessed.isoformat()}]."
    return f"{head}{full_title(source)}[N]. {outlet}, {source.date}."


def _plain(source: Source) -> str:
    parts = [source.author] if source.author else []
    parts += [f"《{full_title(source)}》", f"《{source.outlet}》" if source.outlet else "报纸名不详", _chinese_date(source)]
    return "，".join(parts) + "。"


def _markdown(source: Source) -> str:
    parts = [source.author] if source.author else []
    parts += [f"《{full_title(source)}》", f"*{source.outlet or '报纸名不详'}*", source.date]
    return ", ".join(parts)


def _chinese_date(source: Source) -> str:
    pieces = source.date.split("-")
    labels = ("年", "月", "日")
    return "".join(f"{int(piece)}{label}" for piece, label in zip(pieces, labels, strict=False))
