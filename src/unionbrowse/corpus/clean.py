"""Raw scraped article -> clean body text, one named rule per defect.

The raw files under ``data/raw/`` are kept byte for byte; every span in the fact base indexes the text this
module returns, so the pipeline is deterministic and each rule is small enough to test on the real fragment
that needed it. A new article goes through the same rules.

The clean text is the article body only: paragraphs separated by a blank line, section headings as ``## ``
lines. Everything removed is kept in :class:`CleanResult` (header, trailer, dropped lines) so nothing is lost
silently.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

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
_REPORTER_CREDIT = re.compile(r"^[(（][^()（）]*(?:记者|記者)[^()（）]*[)）]$")
_IMAGE_NAME = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp)$", re.IGNORECASE)
_SIGNOFF = re.compile(rf"(?<=[。！？!?])\s*([{_CJK}](?:\s?[{_CJK}]){{0,3}})$")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_WORD_RUN = re.compile(rf"[0-9A-Za-z{_CJK}]+$")
_WHITESPACE = " \t\u3000\u00a0\ufeff"


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


def find_watermark(lines: list[str]) -> str | None:
    """A run of letters, digits and characters glued to the end of many lines (``333保山日报网``)."""
    runs = [m.group(0) for line in lines if (m := _WORD_RUN.search(line.rstrip(_WHITESPACE)))]
    counts: Counter[str] = Counter()
    for run in runs:
        for size in range(5, len(run) + 1):
            counts[run[-size:]] += 1
    needed = max(3, len([line for line in lines if line.strip()]) // 4)
    shared = [suffix for suffix, n in counts.items() if n >= needed]
    return max(shared, key=len) if shared else None


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
    items = [item.strip() for item in line.split("|") if item.strip()]
    return line.count("|") >= 5 and all(len(item) <= 8 for item in items)


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
    return bool(_REPORTER_CREDIT.match(line))


def ends_paragraph(block: str) -> bool:
    stripped = block.rstrip(CLOSING_QUOTES + ")）")
    return bool(stripped) and stripped[-1] in TERMINAL


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
    joined: list[str] = []
    for block in blocks:
        if joined and not is_heading(block) and not is_heading(joined[-1]) and not ends_paragraph(joined[-1]):
            joined[-1] += block
        else:
            joined.append(block)
    return joined


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


def drop_repeated_block(blocks: list[str]) -> tuple[list[str], list[str]]:
    """Drop an earlier run of two or more blocks whose text the page prints again further on."""

    def squeeze(text: str) -> str:
        return re.sub(r"\s+", "", text)

    index = 0
    kept: list[str] = []
    dropped: list[str] = []
    while index < len(blocks):
        best = 0
        for end in range(index + 2, len(blocks)):
            run = squeeze("".join(blocks[index:end]))
            if len(run) >= 80 and run in squeeze("".join(blocks[end:])):
                best = end
            else:
                break
        if best:
            dropped.extend(blocks[index:best])
            index = best
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
    while lines and is_reporter_credit(lines[-1]):
        trailer.insert(0, lines.pop())

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
