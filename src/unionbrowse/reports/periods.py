"""When a figure applies: a fact's period as written (近5年来, 十四五以来, 2016年以来, 截至目前) as a span of years.

The articles count back from their own date, so a period is read against the source's year of publication. A
figure up to a date with no start (截至目前) is cumulative: its window is open at the start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from unionbrowse.corpus.numbers import chinese_numeral

# Plan periods and congresses the articles count from.
_NAMED_STARTS = {"十四五": 2021, "十三五": 2016, "十二五": 2011, "十八大": 2012, "十九大": 2017, "二十大": 2022}
_NUMBER = r"(\d+|[一二两三四五六七八九十]+)"


@dataclass(frozen=True)
class Window:
    """Years ``start`` to ``end`` inclusive; ``start`` None: from the beginning (a cumulative total)."""

    start: int | None
    end: int

    @property
    def years(self) -> float:
        return float("inf") if self.start is None else self.end - self.start + 1

    def overlap(self, other: Window) -> float:
        """Years the two windows share (infinite for two open ones)."""
        if self.start is None and other.start is None:
            return float("inf")
        start = max(self.start if self.start is not None else -10**9, other.start if other.start is not None else -10**9)
        return max(0.0, min(self.end, other.end) - start + 1)

    def describe(self) -> str:
        if self.start is None:
            return f"up to {self.end}"
        return str(self.end) if self.start == self.end else f"{self.start}-{self.end}"


def window(period: str | None, published_year: int) -> Window | None:
    """The years a period covers, or None when the text does not say (or says it in a way not read here).

    A period that would end before it starts (十四五以来 in a source dated 2020, 2019年至2017年) cannot be read
    against its source: it is taken as unstated rather than as a span of no years.
    """
    found = _read(period, published_year)
    if found is None or (found.start is not None and found.start > found.end):
        return None
    return found


def _read(period: str | None, published_year: int) -> Window | None:
    if not period:
        return None
    text = period.strip()
    if match := re.search(r"(\d{4})年?[^至到—-]{0,8}?(?:至|到|—|-)(\d{4})", text):
        return Window(int(match.group(1)), int(match.group(2)))
    if match := re.search(r"(\d{4})年?(?:以来|起|至今|来)|自(\d{4})|(\d{4})年.*(?:后|以后)", text):
        year = next(int(group) for group in match.groups() if group)
        return Window(year, published_year)
    for name, start in _NAMED_STARTS.items():
        if name in text and ("以来" in text or "来" in text):
            return Window(start, published_year)
    if match := re.search(rf"(?:近|这|连续|过去){_NUMBER}年|{_NUMBER}年(?:来|以来)", text):
        count = _count(match.group(1) or match.group(2))
        if count:
            return Window(published_year - count + 1, published_year)
    if re.search(r"截至|截止|目前|至今", text):
        dated = re.search(r"(\d{4})年", text)
        return Window(None, int(dated.group(1)) if dated else published_year)
    if match := re.fullmatch(r"(\d{4})年.*", text):
        return Window(int(match.group(1)), int(match.group(1)))
    if "今年" in text:
        return Window(published_year, published_year)
    return None


def _count(text: str) -> int | None:
    return int(text) if text.isdigit() else chinese_numeral(text)
