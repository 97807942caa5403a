"""Citations: the quote first, then the reference, in the style a writer needs to paste.

GB/T 7714-2015: a newspaper is ``作者. 题名[N]. 报纸名, YYYY-MM-DD.``; a web-only item is
``作者. 题名[EB/OL]. 网站, (发布日期)[引用日期].``. No URL is known for any source, so none is printed.
GB/T 7714-2025 sets Chinese references in full-width punctuation: ``作者．题名［N］．报纸名，YYYY-MM-DD．``.

Citations are text; where it goes decides how it is made safe (the terminal, the clipboard), except Markdown,
which is built here: the corpus's words in it are escaped (``unionbrowse.untrusted``), so a title holding
``<img onerror=...>`` or ``[x](javascript:...)`` is shown, never run or linked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from unionbrowse.corpus.model import UNKNOWN_OUTLET, Fact, Source
from unionbrowse.untrusted import for_markdown, markdown_quote

STYLES = ("gbt7714", "gbt7714-2025", "plain", "markdown")
STYLE_NAMES = {
    "gbt7714": "GB/T 7714-2015",
    "gbt7714-2025": "GB/T 7714-2025 (full-width)",
    "plain": "Plain",
    "markdown": "Markdown",
}
CONVERTED_NOTE = "（引文由繁体转为简体）"
_FULL_WIDTH_BRACKETS = {ord("["): "［", ord("]"): "］", ord("("): "（", ord(")"): "）"}

# GB/T 7714 writes an unknown publisher so, in brackets (8.4.2); other styles say UNKNOWN_OUTLET.
UNKNOWN_PUBLISHER = "[出版者不详]"


def reference(source: Source, style: str = "gbt7714", accessed: dt.date | None = None) -> str:
    """The bibliographic reference for a source, without the quote."""
    if style == "gbt7714":
        return _gbt7714(source, accessed or dt.date.today())
    if style == "gbt7714-2025":
        return _full_width(_gbt7714(source, accessed or dt.date.today()))
    if style == "plain":
        return _plain(source)
    if style == "markdown":
        return _markdown(_as_markdown(source))
    raise ValueError(f"unknown citation style {style!r}; use one of {', '.join(STYLES)}")


def markdown_reference(source: Source, style: str = "markdown", accessed: dt.date | None = None) -> str:
    """The reference in any style, to stand in Markdown: the source's words escaped, the style's own marks
    (``[N]``, ``[EB/OL]``, which start no link where they stand) kept as the style writes them."""
    return reference(source if style == "markdown" else _as_markdown(source), style, accessed)


def _as_markdown(source: Source) -> Source:
    """The source with each of its words as Markdown text: a title holding ``[x](javascript:...)`` or
    ``<img onerror=...>`` is shown, never linked or run."""
    return dataclasses.replace(
        source, title=for_markdown(source.title), subtitle=source.subtitle and for_markdown(source.subtitle),
        outlet=source.outlet and for_markdown(source.outlet), authors=tuple(map(for_markdown, source.authors)),
        published=for_markdown(source.published),
    )  # fmt: skip


def cite(fact: Fact, style: str = "gbt7714", accessed: dt.date | None = None) -> str:
    """The quote with its reference."""
    return cite_passage(fact.quote, fact.source, style, accessed, fact_id=fact.id)


def cite_passage(
    passage: str,
    source: Source,
    style: str = "gbt7714",
    accessed: dt.date | None = None,
    fact_id: str | None = None,
    converted: bool = False,
) -> str:
    """A passage (a fact's quote or any stretch of the source) with its reference. ``converted``: the passage
    was converted from traditional to simplified script, and the citation says so."""
    ref = reference(source, style, accessed) + (CONVERTED_NOTE if converted else "")
    if style == "markdown":
        # Every line of the passage in the quote: a passage across paragraphs stays one block quote.
        tail = f" ({for_markdown(fact_id)})" if fact_id else ""
        return f"{markdown_quote(passage)}\n\n— {ref}{tail}"
    if style == "plain":
        return f"{quoted(passage)}\n—— {ref}"
    return f"{quoted(passage)}\n{ref}"


def quoted(passage: str) -> str:
    """A passage in Chinese quotation marks; quotation marks inside it become single ones, as Chinese nests them."""
    return "“" + passage.replace("“", "‘").replace("”", "’") + "”"


def cite_list(items: list[tuple[str, Source]], style: str = "gbt7714", accessed: dt.date | None = None) -> str:
    """Several passages as a numbered, cited list (GB/T 7714 顺序编码制: a source cited again keeps its number)."""
    numbers: dict[str, int] = {}
    for _, source in items:
        numbers.setdefault(source.id, len(numbers) + 1)
    sources = {source.id: source for _, source in items}
    if style == "markdown":
        references = [f"[{n}] {markdown_reference(sources[sid], style, accessed)}" for sid, n in numbers.items()]
        quotes = [f"{i}. {_list_item(passage, len(f'{i}. '))} [{numbers[source.id]}]"
                  for i, (passage, source) in enumerate(items, start=1)]  # fmt: skip
        return "\n".join(quotes) + "\n\n" + "\n\n".join(references)
    references = [f"[{n}] {reference(sources[sid], style, accessed)}" for sid, n in numbers.items()]
    quotes = [f"{i}. {quoted(passage)}[{numbers[source.id]}]" for i, (passage, source) in enumerate(items, start=1)]
    return "\n".join(quotes) + "\n\n" + "\n".join(references)


def _list_item(passage: str, indent: int) -> str:
    """A passage as the text of a Markdown list item: escaped, its later lines indented to stay in the item."""
    return for_markdown(passage).replace("\n", "\n" + " " * indent)


def full_title(source: Source) -> str:
    subtitle = (source.subtitle or "").lstrip("—-– ").strip()
    return f"{source.title}: {subtitle}" if subtitle else source.title


def _gbt7714(source: Source, accessed: dt.date) -> str:
    head = f"{source.author}. " if source.author else ""
    outlet = source.outlet or UNKNOWN_PUBLISHER
    if source.medium == "web":
        return f"{head}{full_title(source)}[EB/OL]. {outlet}, ({source.date})[{accessed.isoformat()}]."
    return f"{head}{full_title(source)}[N]. {outlet}, {source.date}."


def _full_width(reference_text: str) -> str:
    # Keep the ASCII inside dates and numbers (2023-09-18) as it is: only the separators become full width.
    separators = reference_text.replace(". ", "．").replace(", ", "，").replace(": ", "：")
    brackets = separators.translate(_FULL_WIDTH_BRACKETS)
    return brackets.rstrip(".") + ("．" if reference_text.endswith(".") else "")


def _plain(source: Source) -> str:
    parts = [source.author] if source.author else []
    parts += [f"《{full_title(source)}》", f"《{source.outlet}》" if source.outlet else UNKNOWN_OUTLET, _chinese_date(source)]
    return "，".join(parts) + "。"


def _markdown(source: Source) -> str:
    parts = [source.author] if source.author else []
    parts += [f"《{full_title(source)}》", f"*{source.outlet_label}*", source.date]
    return ", ".join(parts)


def _chinese_date(source: Source) -> str:
    pieces = source.date.split("-")
    labels = ("年", "月", "日")
    return "".join(f"{int(piece)}{label}" for piece, label in zip(pieces, labels, strict=False))
