"""Raw scraped article -> clean body text, one named rule per defect.

The raw files under ``data/raw/`` are kept byte for byte; every span in the fact base indexes the text this
module returns, so the pipeline is deterministic and each rule is small enough to test on the real fragment
that needed it. A new article goes through the same rules, and every rule takes time and memory in proportion
to the article, whatever its shape: a user may add megabytes on one line (``bench/clean_bench.py`` measures it).

The clean text is the article body only: paragraphs separated by a blank line, section headings as ``## ``
lines. Everything removed is kept in :class:`CleanResult` (header, trailer, dropped lines) so nothing is lost
silently.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate

# Sentence-final marks, in both scripts and both widths (the traditional-script mirror uses half-width and
# the small-form semicolon ﹔). A block ending in one of these is a complete paragraph.
TERMINAL = "。！？!?；;﹔：:…"
CLOSING_QUOTES = "”’」』"
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


@dataclass(frozen=True)
class Repair:
    """A damaged byte sequence whose original can be recovered with certainty."""

    damaged: str
    repaired: str
    evidence: str


# The traditional-script copy passed through a GBK byte stream that slipped by a byte in three places. Each
# repair names the bytes that prove it; tests/unit/test_clean.py re-derives every one.
GBK_SLIP_REPAIRS: tuple[Repair, ...] = (
    Repair(
        damaged="工作?!比涨?,",
        repaired="工作。”日前,",
        evidence=(
            "比涨 is GBK B1C8 D5C7, which is the GBK of ”日前 (A1B1 C8D5 C7B0) read one byte out of step; "
            "the '!' is the high-bit-stripped A1 of ”; the sentence closes a quotation before 日前."
        ),
    ),
    Repair(
        damaged="防線?;I集資金",
        repaired="防線。籌集資金",
        evidence=(
            "籌 is GBK BB49; BB with its high bit lost is ';' (3B) and 49 is 'I'; the same article says "
            "籌集資金12億元 two sentences later."
        ),
    ),
    Repair(
        damaged="成績?yōu)殡?yún)南",
        repaired="成績為雲(yún)南",
        evidence=(
            "殡 is GBK E9EB: E9 is the trail byte of 為 (9EE9) and EB the lead byte of 雲 (EB85), whose own "
            "annotation (yún) follows; the stray ?yōu) is a mangled annotation and no character of the sentence "
            "雲南工會用亮眼成績為雲南高質量發展貢獻工會力量 is missing."
        ),
    ),
)

# Pinyin added after characters by the mirror site: 產(chǎn). Real parentheses hold Chinese: 因公(工)致残.
_PINYIN_NOTE = re.compile(rf"(?<=[{_CJK}])\((?:[a-zü]|[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])+\)")
_HEADER_MARK = re.compile(r"(来源|來源|发布时间|發布時間|阅读量|本报记者|本報記者)")
_TRAILER_MARK = re.compile(
    r"^(?:[(（]?(?:责任编辑|責任編輯|责编|責編)|免责声明|免責聲明|相关阅读|相關閱讀|热门推荐|"
    r"统筹[:：]|撰文[:：]|策划[:：]|订阅《)"
)
_IMAGE_NAME = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp)$", re.IGNORECASE)
_SIGNOFF = re.compile(rf"(?<=[。！？!?])\s*([{_CJK}](?:\s?[{_CJK}]){{0,3}})$")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_WORD_RUN = re.compile(rf"[0-9A-Za-z{_CJK}]+$")
_WHITESPACE = " \t\u3000\u00a0\ufeff"
_SPACES = re.compile(r"\s+")
# A clause of the squeezed text runs up to and including a mark that is not a letter, digit or character.
_CLAUSE_END = re.compile(rf"[^0-9A-Za-z{_CJK}]")

# A watermark is a site tag glued to the end of lines: 333保山日报网 is 8 characters. Suffixes of up to 40 leave
# room for a longer site name and id, and bound the work per line: a line of any length adds at most 36 suffixes.
WATERMARK_MIN, WATERMARK_MAX = 5, 40
# A reprinted passage is at least this many characters (whitespace aside); shorter runs are stock phrases.
REPEAT_MIN = 80
# A copy of a passage is looked for where a stretch of it of at least this many characters occurs again: long
# enough that stock phrases and a table's figures seldom repeat by chance, short enough to fit in most passages.
ANCHOR_MIN = 16


@dataclass
class CleanResult:
    """The clean body text and what was taken out of the raw file to get it."""

    text: str
    header: list[str] = field(default_factory=list)
    trailer: list[str] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (rule, text)
    repairs: list[Repair] = field(default_factory=list)
    watermark: str | None = None


# --- rules on the whole text -------------------------------------------------------------------------------


def normalize_newlines(text: str) -> str:
    return text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")


def repair_gbk_slips(text: str, applied: list[Repair] | None = None) -> str:
    for repair in GBK_SLIP_REPAIRS:
        if repair.damaged in text:
            text = text.replace(repair.damaged, repair.repaired)
            if applied is not None:
                applied.append(repair)
    return text


def strip_pinyin_notes(text: str) -> str:
    return _PINYIN_NOTE.sub("", text)


def trailing_word_run(line: str) -> str:
    """The letters, digits and characters ``line`` ends with, at most a watermark's length of them."""
    # Searched in the tail only: ``[...]+$`` tried from every position of a long run is quadratic.
    match = _WORD_RUN.search(line.rstrip(_WHITESPACE)[-WATERMARK_MAX:])
    return match.group(0) if match else ""


def find_watermark(lines: list[str]) -> str | None:
    """A run of letters, digits and characters glued to the end of many lines (``333保山日报网``).

    The longest suffix that at least a quarter of the lines end with, grown one character at a time: a suffix is
    shared only if the one a character shorter is, so only the runs that still end in a shared suffix are
    counted again. Of equally long ones, the first to end a line wins.
    """
    needed = max(3, len([line for line in lines if line.strip()]) // 4)
    runs = [run for line in lines if len(run := trailing_word_run(line)) >= WATERMARK_MIN]
    watermark = None
    for size in range(WATERMARK_MIN, WATERMARK_MAX + 1):
        counts = Counter(run[-size:] for run in runs if len(run) >= size)
        shared = [suffix for suffix, n in counts.items() if n >= needed]
        if not shared:
            break
        watermark = shared[0]
        runs = [run for run in runs if run[-size:] in shared]
    return watermark


# --- rules on lines and blocks ----------------------------------------------------------------------------


def strip_watermark(line: str, watermark: str | None) -> str:
    line = line.rstrip(_WHITESPACE)
    if watermark and line.endswith(watermark):
        return line[: -len(watermark)]
    return line


def is_image_name(line: str) -> bool:
    return bool(_IMAGE_NAME.match(line))


def is_keyword_spam(line: str) -> bool:
    """Appended search-bait: ``集安市| 虞城县| 深泽县| ...``."""
    if line.count("|") < 5:
        return False
    items = [item.strip() for item in line.split("|") if item.strip()]
    return all(len(item) <= 8 for item in items)


def header_end(lines: list[str], look: int = 12) -> int:
    """Index of the first body line: just after the last dateline or byline near the top."""
    end = 0
    for index, line in enumerate(lines[:look]):
        if len(line) > 80:  # a paragraph: the header is over, whatever a later disclaimer says
            break
        if _HEADER_MARK.search(line):
            end = index + 1
    return end


def trailer_start(lines: list[str]) -> int:
    for index, line in enumerate(lines):
        if _TRAILER_MARK.match(line):
            return index
    return len(lines)


def is_reporter_credit(line: str) -> bool:
    """``(云南网记者 赵岗)``: one pair of brackets around the whole line, a reporter named inside."""
    inside = line[1:-1]
    return (
        len(line) >= 2
        and line[0] in "(（"
        and line[-1] in ")）"
        and ("记者" in inside or "記者" in inside)
        and not any(bracket in inside for bracket in "()（）")
    )


def last_mark(block: str) -> str:
    """The last character before any closing quotes or brackets; empty if there is none."""
    return block.rstrip(CLOSING_QUOTES + ")）")[-1:]


def ends_sentence(mark: str) -> bool:
    return bool(mark) and mark in TERMINAL


def ends_paragraph(block: str) -> bool:
    return ends_sentence(last_mark(block))


def is_heading(block: str) -> bool:
    return block.startswith("## ")


def looks_like_plain_heading(block: str) -> bool:
    """A short unpunctuated line between paragraphs: 鍛造新時代產業工人隊伍."""
    return (
        len(block) <= 20
        and not any(ch.isascii() and ch.isalnum() for ch in block)
        and not re.search(r"[，,。；;：:、！？!?()（）|]", block)
    )


def join_hard_wraps(blocks: list[str]) -> list[str]:
    """Join blocks cut inside a sentence (``在提`` / ``升职工``); the page wraps lines at a fixed width."""
    # Each paragraph is kept as its parts and joined once (adding to a growing string copies it every time), with
    # what the tests need of it so far: its first three characters and its last mark.
    paragraphs: list[list[str]] = []
    head = mark = ""
    for block in blocks:
        if paragraphs and not is_heading(block) and not is_heading(head) and not ends_sentence(mark):
            paragraphs[-1].append(block)
            head = (head + block[:3])[:3]
            mark = last_mark(block) or mark
        else:
            paragraphs.append([block])
            head, mark = block[:3], last_mark(block)
    return ["".join(parts) for parts in paragraphs]


def is_hard_wrapped(blocks: list[str]) -> bool:
    body = [block for block in blocks if not is_heading(block)]
    unfinished = [block for block in body if not ends_paragraph(block)]
    return bool(body) and len(unfinished) >= max(3, len(body) * 3 // 10)


def mark_headings(blocks: list[str], plain: bool) -> list[str]:
    marked = []
    for block in blocks:
        if match := _MARKDOWN_HEADING.match(block):
            marked.append("## " + match.group(1).strip())
        elif plain and looks_like_plain_heading(block):
            marked.append("## " + block)
        else:
            marked.append(block)
    return marked


def stretches(text: str) -> Iterator[tuple[int, int, int]]:
    """``(start, end, key)`` of the stretches of ``text`` kept to look copies up by, in order.

    A stretch is whole clauses, each ending at a mark that is not a letter, digit or character, from one clause on
    until ANCHOR_MIN characters are reached. Of a stretch of n clauses only one whose hash is a multiple of n is
    kept: the choice depends on the stretch alone, so a copy keeps the same ones, and about one stretch in
    ANCHOR_MIN characters is kept however dense the marks (a table of figures has one every three characters).
    """
    pending: deque[int] = deque([0])  # clause starts whose stretch is still short of ANCHOR_MIN characters
    for mark in _CLAUSE_END.finditer(text):
        end = mark.end()
        while pending and end - pending[0] >= ANCHOR_MIN:
            start = pending.popleft()
            key = hash(text[start:end])
            if key % (len(pending) + 1) == 0:
                yield start, end, key
        pending.append(end)


class SqueezedBlocks:
    """The blocks end to end with all whitespace taken out, and where stretches of that text occur.

    A run of blocks is looked for in the text after it, not among the later blocks: the later copy may be cut
    into blocks differently (the real one's earlier copy starts with the tail of the paragraph before it). To
    look without reading the whole later text, a run is tried only where its rarest kept stretch occurs again: a
    copy of the run holds the same stretches at the same offsets, and a stretch the page prints once rules the
    run out at once.
    """

    def __init__(self, blocks: list[str]) -> None:
        squeezed = [_SPACES.sub("", block) for block in blocks]
        self.text = "".join(squeezed)
        self.count = len(blocks)
        self.starts = list(accumulate(map(len, squeezed), initial=0))  # block i is text[starts[i]:starts[i + 1]]
        # Stretch k is text[stretch_starts[k]:stretch_ends[k]], known by its hash: equal hashes of unequal
        # stretches only add places to try. Only the stretches printed more than once get a list of places.
        self.stretch_starts, self.stretch_ends, self.stretch_keys = array("q"), array("q"), array("q")
        for start, end, key in stretches(self.text):
            self.stretch_starts.append(start)
            self.stretch_ends.append(end)
            self.stretch_keys.append(key)
        repeated = {key for key, count in Counter(self.stretch_keys).items() if count > 1}
        self.places: dict[int, list[int]] = {}  # stretch key -> where such stretches start, in order
        for start, key in zip(self.stretch_starts, self.stretch_keys, strict=True):
            if key in repeated:
                self.places.setdefault(key, []).append(start)
        self.rarity = [len(self.places.get(key, ())) for key in self.stretch_keys]  # 0: printed once

    def stretches_within(self, first: int, stop: int) -> range:
        """Stretch numbers from ``first`` on that end by ``stop``."""
        return range(first, max(first, bisect_right(self.stretch_ends, stop)))

    def places_of(self, stretch: int) -> list[int]:
        """Where stretches like stretch ``stretch`` start; empty if it is the only one."""
        return self.places.get(self.stretch_keys[stretch], [])

    def find_later(self, start: int, stop: int, anchor: int | None) -> int | None:
        """The last place at or after ``stop`` where ``text[start:stop]`` occurs again, or None.

        ``anchor`` is a stretch inside the run, a rare one so that there are few places to try; without one
        (a run with few marks, or none of its stretches kept) the later text is searched.
        """
        run = self.text[start:stop]
        if anchor is None:
            found = self.text.rfind(run, stop)
            return found if found >= 0 else None
        offset = self.stretch_starts[anchor] - start
        places = self.places_of(anchor)
        for number in range(len(places) - 1, bisect_left(places, stop + offset) - 1, -1):
            if self.text.startswith(run, places[number] - offset):
                return places[number] - offset
        return None

    def copy_continues(self, place: int, start: int, end: int) -> bool:
        """Whether the copy at ``place`` of the run from ``start`` still holds it with block ``end - 1`` added,
        and still lies after it."""
        block = self.text[self.starts[end - 1] : self.starts[end]]
        return place >= self.starts[end] and self.text.startswith(block, place + self.starts[end - 1] - start)

    def repeated_run_end(self, first: int) -> int:
        """End of the longest run of blocks from ``first`` (two or more, REPEAT_MIN characters or more) whose
        text occurs again after it, grown a block at a time while it does; 0 if there is none.

        A copy of the longer run is a copy of the shorter one, so the copy found last is tried first, and the
        later text is looked through again only when it stops matching.
        """
        start = self.starts[first]
        if first + 2 >= self.count or self.starts[first + 2] - start < REPEAT_MIN:
            return 0
        anchor: int | None = None  # the rarest stretch inside the run so far
        unread = bisect_right(self.stretch_starts, start)  # the first stretch inside the run not weighed yet
        place: int | None = None  # where the run occurs again
        best = 0
        for end in range(first + 2, self.count):
            stop = self.starts[end]
            if weighed := self.stretches_within(unread, stop):
                rarest = min(weighed, key=self.rarity.__getitem__)
                if anchor is None or self.rarity[rarest] < self.rarity[anchor]:
                    anchor = rarest
                unread = weighed.stop
            if place is None or not self.copy_continues(place, start, end):
                place = self.find_later(start, stop, anchor)
            if place is None:
                break
            best = end
        return best


def drop_repeated_block(blocks: list[str]) -> tuple[list[str], list[str]]:
    """Drop an earlier run of two or more blocks whose text the page prints again further on."""
    squeezed = SqueezedBlocks(blocks)
    index = 0
    kept: list[str] = []
    dropped: list[str] = []
    while index < len(blocks):
        if end := squeezed.repeated_run_end(index):
            dropped.extend(blocks[index:end])
            index = end
        else:
            kept.append(blocks[index])
            index += 1
    return kept, dropped


def split_signoff(blocks: list[str]) -> tuple[list[str], str | None]:
    """A short sign-off after the last sentence (``……胜利召开。昌 工``) is metadata, not body."""
    if not blocks:
        return blocks, None
    match = _SIGNOFF.search(blocks[-1])
    if not match or match.start() == 0:
        return blocks, None
    return [*blocks[:-1], blocks[-1][: match.start()]], match.group(1)


# --- the pipeline -----------------------------------------------------------------------------------------


def clean(raw: str) -> CleanResult:
    """Run every rule, in order, on one raw article."""
    repairs: list[Repair] = []
    text = strip_pinyin_notes(repair_gbk_slips(normalize_newlines(raw), repairs))
    lines = [line.strip(_WHITESPACE) for line in text.split("\n")]
    watermark = find_watermark(lines)
    dropped: list[tuple[str, str]] = []

    def keep(rule: str, line: str, predicate: Callable[[str], bool]) -> bool:
        if predicate(line):
            dropped.append((rule, line))
            return False
        return True

    lines = [strip_watermark(line, watermark).strip(_WHITESPACE) for line in lines]
    lines = [line for line in lines if line]
    start = header_end(lines)
    header, lines = lines[:start], lines[start:]
    stop = trailer_start(lines)
    lines, trailer = lines[:stop], lines[stop:]
    lines = [line for line in lines if keep("image_name", line, is_image_name)]
    lines = [line for line in lines if keep("keyword_spam", line, is_keyword_spam)]
    credits = len(lines)
    while credits and is_reporter_credit(lines[credits - 1]):
        credits -= 1
    lines, trailer = lines[:credits], lines[credits:] + trailer

    blocks = mark_headings(lines, plain=False)
    # A page wrapped at a fixed width has many unfinished lines; only a page without wraps can be trusted to
    # mean a short unpunctuated line as a heading.
    blocks = join_hard_wraps(blocks) if is_hard_wrapped(blocks) else mark_headings(blocks, plain=True)
    blocks, repeated = drop_repeated_block(blocks)
    dropped.extend(("repeated_block", block) for block in repeated)
    blocks, signoff = split_signoff(blocks)
    if signoff:
        trailer.insert(0, signoff)
    return CleanResult(
        text="\n\n".join(blocks),
        header=header,
        trailer=trailer,
        dropped=dropped,
        repairs=repairs,
        watermark=watermark,
    )
