"""Each cleaning rule on the real fragment that needed it, and the pipeline on all five articles."""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from unionbrowse.corpus import clean as c


def test_pinyin_notes_go_and_real_parentheses_stay() -> None:
    assert c.strip_pinyin_notes("中國共產(chǎn)黨新聞網(wǎng)") == "中國共產黨新聞網"
    assert c.strip_pinyin_notes("新就業(yè)形態(tài)") == "新就業形態"
    for real in ("因公(工)致残", "乡镇(街道)", "州(市)", "工种(项目)", "村(社区)", "一线职工(农民工)"):
        assert c.strip_pinyin_notes(real) == real


def test_pinyin_notes_all_gone_from_the_traditional_article(raw: dict[str, str]) -> None:
    text = c.clean(raw["grrb-20230918"]).text
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", text)
    assert "產業工人隊伍建設改革走深走實" in text


@pytest.mark.parametrize("repair", c.GBK_SLIP_REPAIRS, ids=lambda r: r.repaired)
def test_gbk_slip_repairs_are_in_the_raw_file_and_fixed(raw: dict[str, str], repair: c.Repair) -> None:
    assert repair.damaged in raw["grrb-20230918"]
    text = c.clean(raw["grrb-20230918"]).text
    assert c.strip_pinyin_notes(repair.repaired) in text
    assert "?" not in text


def test_gbk_slip_evidence_holds_byte_for_byte() -> None:
    # 比涨 is ”日前 read one byte out of step.
    assert "”日前".encode("gbk")[1:5] == "比涨".encode("gbk")
    # 籌 is BB 49: BB without its high bit is ';', 49 is 'I'.
    assert "籌".encode("gbk") == b"\xbb\x49" and bytes([0xBB & 0x7F]) == b";"
    # 殡 is the tail byte of 為 and the head byte of 雲.
    assert "殡".encode("gbk") == "為".encode("gbk")[1:] + "雲".encode("gbk")[:1]


def test_watermark_is_found_and_stripped(raw: dict[str, str]) -> None:
    result = c.clean(raw["bsrb-20220915"])
    assert result.watermark == "333保山日报网"
    assert "保山日报网" not in result.text
    assert result.text.endswith("以优异的成绩迎接党的二十大胜利召开。")


def test_no_watermark_where_there_is_none(raw: dict[str, str]) -> None:
    for source_id in ("ynw-20251127", "grrb-20230918", "njr-2022", "ynw-20240313"):
        assert c.clean(raw[source_id]).watermark is None


def test_image_file_names_are_dropped(raw: dict[str, str]) -> None:
    result = c.clean(raw["bsrb-20220915"])
    assert ("image_name", "9024-31.jpg") in result.dropped
    assert ".jpg" not in result.text


def test_keyword_spam_is_recognised_and_not_in_the_text(raw: dict[str, str]) -> None:
    spam = next(line for line in raw["grrb-20230918"].splitlines() if line.startswith("集安市|"))
    assert c.is_keyword_spam(spam)
    assert not c.is_keyword_spam("关于我们 | 媒体合作")
    assert "虞城县" not in c.clean(raw["grrb-20230918"]).text


@pytest.mark.parametrize(
    ("source_id", "chrome"),
    [
        ("ynw-20251127", ["相关阅读", "免责声明", "13769115497", "滇ICP备", "责任编辑", "(云南网记者 赵岗)", "阅读量"]),
        ("grrb-20230918", ["中國共產", ">>中國工會新聞", "責(zé)編", "來源", "劉瓊"]),
        ("bsrb-20220915", ["首页", "发布时间", "责编", "昌 工"]),
        ("ynw-20240313", ["您当前的位置", "订阅", "10658000", "统筹", "撰文", "沐贞", "jubao", "许可证"]),
    ],
)
def test_site_chrome_is_removed(raw: dict[str, str], source_id: str, chrome: list[str]) -> None:
    text = c.clean(raw[source_id]).text
    for piece in chrome:
        assert piece in raw[source_id]
        assert piece not in text


def test_header_keeps_title_and_dateline(raw: dict[str, str]) -> None:
    result = c.clean(raw["ynw-20240313"])
    assert any("从细微处激发职工创新活力" in line for line in result.header)
    assert any("2024年03月13日" in line for line in result.header)
    assert "统筹:林云冬" in result.trailer


def test_header_stops_at_the_first_paragraph_even_if_a_disclaimer_says_来源(raw: dict[str, str]) -> None:
    result = c.clean(raw["ynw-20251127"])
    assert result.text.startswith("11月27日,记者从云南省")
    assert len(result.header) == 2


def test_hard_wraps_are_joined(raw: dict[str, str]) -> None:
    assert "在提\n\n升职工" in raw["njr-2022"]
    text = c.clean(raw["njr-2022"]).text
    assert "在提升职工获得感" in text
    assert "共涉及工种(项目)399个" in text
    assert "建立“云南娘家人”服务站13个" in text
    assert "介绍农村劳动者就业。" in text


def test_join_hard_wraps_leaves_finished_paragraphs_and_headings() -> None:
    blocks = ["## 标题", "在提", "升职工获得感。", "下一段。"]
    assert c.join_hard_wraps(blocks) == ["## 标题", "在提升职工获得感。", "下一段。"]


def test_repeated_block_is_printed_once(raw: dict[str, str]) -> None:
    sentence = "对于侵犯职工合法权益的行为，敢于亮剑发声。"
    assert raw["njr-2022"].count("对于侵犯职工合法权益的行为") == 2
    result = c.clean(raw["njr-2022"])
    assert result.text.count(sentence) == 1
    assert result.text.count("全部如期实现解困脱困。") == 1
    assert [rule for rule, _ in result.dropped].count("repeated_block") == 2
    # The kept copy is the one in the services section, after the hardship paragraph it continues.
    assert result.text.index(sentence) > result.text.index("## 优服务")


def test_markdown_headings_are_sections(raw: dict[str, str]) -> None:
    text = c.clean(raw["njr-2022"]).text
    headings = [line for line in text.split("\n") if line.startswith("## ")]
    assert headings == [
        "## 强信念 团结职工坚定不移听党话跟党走",
        "## 提素质 产业工人队伍建设改革走深走实",
        "## 优服务 不断提升职工获得感幸福感安全感",
        "## 勇担当 在大战大考中写好工会答卷",
    ]


def test_plain_headings_become_sections_but_captions_do_not(raw: dict[str, str]) -> None:
    headings = [line for line in c.clean(raw["grrb-20230918"]).text.split("\n") if line.startswith("## ")]
    assert headings == ["## 鍛造新時代產業工人隊伍", "## 在服務職工中提升“工會溫度”", "## 深化工會改革和建設"]
    captions = c.clean(raw["ynw-20240313"]).text
    assert "\n2023年省有色地质局职工运动会\n" in captions
    assert "## " not in captions


def test_signoff_is_metadata(raw: dict[str, str]) -> None:
    assert c.clean(raw["bsrb-20220915"]).trailer[0] == "昌 工"


def test_truncated_ending_is_kept_as_printed(raw: dict[str, str]) -> None:
    assert c.clean(raw["njr-2022"]).text.endswith("提升素质，壮大队伍。省总工会本")


def test_cleaning_is_deterministic(raw: dict[str, str]) -> None:
    for text in raw.values():
        assert c.clean(text).text == c.clean(text).text


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？!?；;﹔])", text) if len(re.findall(r"[\u4e00-\u9fff]", s)) >= 4]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# Where each article body starts and ends in the raw file: chosen by reading the pages, independent of the rules.
BODY = {
    "ynw-20251127": ("11月27日,记者从云南省", "专业人才队伍。"),
    "grrb-20230918": ("產(chǎn)業(yè)工人隊伍", "不斷創(chuàng)新發(fā)展。"),
    "njr-2022": ("党的十八大以来，省总工会认真", "省总工会本"),
    "bsrb-20220915": ("工会是党和政府联系职工群众", "胜利召开。"),
    "ynw-20240313": ("习近平总书记强调,工会作为", "深度应用。"),
}


@pytest.mark.parametrize("source_id", sorted(BODY))
def test_no_sentence_of_the_body_is_lost(raw: dict[str, str], source_id: str) -> None:
    start_marker, end_marker = BODY[source_id]
    text = raw[source_id]
    body = text[text.index(start_marker) : text.index(end_marker) + len(end_marker)]
    body = c.strip_pinyin_notes(c.repair_gbk_slips(body))
    body = re.sub(r"\d*保山日报网|\d+-\d+\.jpg", "", body)
    clean_text = _squeeze(c.clean(text).text)
    lost = [s for s in _sentences(_squeeze(body)) if s not in clean_text]
    assert lost == []


# --- the five articles clean as they always have ------------------------------------------------------------


class Cleaned(NamedTuple):
    """What cleaning gives for one real article. Every span of the fact base indexes this text, so a change in
    any of it moves facts; recorded from the rules as they were before cleaning was made linear."""

    paragraphs: list[int]  # the length of each paragraph, in order
    header: int  # lines
    trailer: tuple[int, str | None]  # lines, and the first
    dropped: list[tuple[str, str]]  # rule, and the start of the line or block it dropped
    watermark: str | None


CLEANED = {
    "ynw-20251127": Cleaned([140, 141, 141, 116, 133, 181, 141], 2, (25, "(云南网记者 赵岗)"), [], None),
    "grrb-20230918": Cleaned(
        [86, 105, 85, 14, 76, 85, 107, 274, 17, 59, 123, 104, 418, 12, 99, 135, 110, 53], 5, (2, "(責編:劉瓊、黃瑾)"),
        [], None,
    ),
    "njr-2022": Cleaned(
        [122, 21, 99, 98, 154, 117, 126, 237, 97, 166, 21, 50, 145, 43, 136, 211, 109, 249, 181, 76, 22, 118, 49, 92,
         66, 39, 69, 38, 56, 52, 79, 23, 67, 222, 158, 178, 19, 108, 91, 86, 140, 112, 88, 15],
        4, (0, None), [("repeated_block", "全部如期实现解困脱困。维"), ("repeated_block", "对于侵犯职工合法权益的行")], None,
    ),
    "bsrb-20220915": Cleaned(
        [316, 401, 194, 179, 238, 332, 162, 147, 141, 151], 5, (2, "昌 工"),
        [("image_name", "9024-31.jpg"), ("image_name", "9024-32.jpg")], "333保山日报网",
    ),
    "ynw-20240313": Cleaned(
        [78, 120, 23, 130, 30, 27, 63, 122, 140, 230, 23, 110, 127, 18, 16, 30, 244, 30, 159, 88, 82, 39, 16, 57, 95,
         137, 133, 145],
        4, (18, "统筹:林云冬"), [], None,
    ),
}


@pytest.mark.parametrize("source_id", sorted(CLEANED))
def test_each_article_cleans_as_it_always_has(raw: dict[str, str], source_id: str) -> None:
    result = c.clean(raw[source_id])
    expected = CLEANED[source_id]
    assert [len(paragraph) for paragraph in result.text.split("\n\n")] == expected.paragraphs
    assert len(result.header) == expected.header
    assert (len(result.trailer), result.trailer[0] if result.trailer else None) == expected.trailer
    assert [(rule, text[:12]) for rule, text in result.dropped] == expected.dropped
    assert result.watermark == expected.watermark


# --- each rule against its definition, on many small pages ---------------------------------------------------


def _dropped_by_definition(blocks: list[str]) -> tuple[list[str], list[str]]:
    """The repeated-block rule as first written: plain, and quadratic in the page."""
    index, kept, dropped = 0, [], []
    while index < len(blocks):
        best = 0
        for end in range(index + 2, len(blocks)):
            run = _squeeze("".join(blocks[index:end]))
            if len(run) >= c.REPEAT_MIN and run in _squeeze("".join(blocks[end:])):
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


def _joined_by_definition(blocks: list[str]) -> list[str]:
    joined: list[str] = []
    for block in blocks:
        if joined and not c.is_heading(block) and not c.is_heading(joined[-1]) and not c.ends_paragraph(joined[-1]):
            joined[-1] += block
        else:
            joined.append(block)
    return joined


def _watermark_by_definition(lines: list[str]) -> str | None:
    """The longest suffix of WATERMARK_MIN to WATERMARK_MAX characters that a quarter of the lines end with."""
    counts: Counter[str] = Counter()
    for line in lines:
        if run := re.search(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$", line.rstrip(" \t\u3000\u00a0\ufeff")):
            for size in range(c.WATERMARK_MIN, min(len(run.group(0)), c.WATERMARK_MAX) + 1):
                counts[run.group(0)[-size:]] += 1
    needed = max(3, len([line for line in lines if line.strip()]) // 4)
    shared = [suffix for suffix, n in counts.items() if n >= needed]
    return max(shared, key=len) if shared else None


# Pieces of real sentences and the marks, spaces and quotes that the rules turn on.
_PIECES = ["工会", "职工", "服务", "全省", "12", "3.5", "万人", "，", "。", "、", "”", "）", " ", "\u3000", "\u2003"]
_BLOCK = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(_BLOCK, min_size=1, max_size=8), st.lists(st.integers(0, 7), max_size=24), st.data())
def test_repeated_blocks_are_dropped_by_definition(pool: list[str], picks: list[int], data: st.DataObject) -> None:
    blocks = [pool[pick % len(pool)] for pick in picks]
    if blocks:  # print a passage again further on, cut into blocks at other places
        start = data.draw(st.integers(0, len(blocks) - 1))
        passage = "".join(blocks[start : data.draw(st.integers(start + 1, len(blocks)))])
        cuts = sorted(data.draw(st.lists(st.integers(0, len(passage)), max_size=3)))
        pieces = [passage[a:b] for a, b in zip([0, *cuts], [*cuts, len(passage)], strict=True)]
        at = data.draw(st.integers(start, len(blocks)))
        blocks[at:at] = [piece for piece in pieces if piece]
    assert c.drop_repeated_block(blocks) == _dropped_by_definition(blocks)


@settings(max_examples=1000, deadline=None)
@example("甲乙", [(9, "丙"), (36, ""), (9, "丙"), (45, "丙")])  # a copy inside the block that would grow the run
@given(st.sampled_from(["甲", "甲乙", "甲，", "甲乙。"]),
       st.lists(st.tuples(st.integers(1, 50), st.sampled_from(["", "。", "丙"])), min_size=3, max_size=7))  # fmt: skip
def test_repeated_blocks_in_periodic_text_are_dropped_by_definition(unit: str, sizes: list[tuple[int, str]]) -> None:
    # A page that says one thing over and over: a copy of a run may overlap the run, which does not count.
    blocks = [unit * size + tail for size, tail in sizes]
    assert c.drop_repeated_block(blocks) == _dropped_by_definition(blocks)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["在提", "升", "。", "”", "）", ")", "## ", "#", "’", "；"]), min_size=1,
                         max_size=5).map("".join)))  # fmt: skip
def test_hard_wraps_are_joined_by_definition(blocks: list[str]) -> None:
    assert c.join_hard_wraps(blocks) == _joined_by_definition(blocks)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.text("甲。 3", max_size=8), st.sampled_from(["", "保山日报网", "333保山日报网", "a3"])),
                max_size=16))  # fmt: skip
def test_watermark_is_found_by_definition(lines: list[tuple[str, str]]) -> None:
    page = [line + mark for line, mark in lines]
    assert c.find_watermark(page) == _watermark_by_definition(page)


_BRACKET = st.sampled_from(["(", "（", ")", "）", ""])


@settings(max_examples=400, deadline=None)
@given(st.tuples(_BRACKET, st.lists(st.sampled_from(["记者", "記者", "赵岗", " ", "(", "）"]), max_size=6).map("".join),
                 _BRACKET).map("".join))  # fmt: skip
def test_reporter_credit_is_one_bracketed_line_naming_a_reporter(line: str) -> None:
    assert c.is_reporter_credit(line) == bool(re.match(r"^[(（][^()（）]*(?:记者|記者)[^()（）]*[)）]$", line))


# --- scale: what large pages must clean to -------------------------------------------------------------------


def _shift_numbers(text: str, by: int) -> str:
    return re.sub(r"\d+", lambda number: str(int(number.group()) + by), text)


def _parts(raw: str) -> tuple[list[str], list[str], list[str]]:
    """The header, body and trailer lines of a real raw article, with their defects, cut where the rules cut."""
    lines = [line for line in raw.splitlines() if line.strip()]
    marked = [c.strip_pinyin_notes(line.strip()) for line in lines]
    start = c.header_end(marked)
    stop = start + c.trailer_start(marked[start:])
    return lines[:start], lines[start:stop], lines[stop:]


def _body(raw: str) -> list[str]:
    return _parts(raw)[1]


@pytest.fixture(scope="module")
def long_article(raw: dict[str, str]) -> tuple[str, list[str]]:
    """About 2 MB: a real header, the five real bodies over and over with each copy's numbers shifted (another
    year's report), a real trailer; and the bodies as put in."""
    header, _, trailer = _parts(raw["ynw-20240313"])
    bodies: list[str] = []
    copy = 0
    while sum(map(len, bodies)) < 700_000:  # characters; about 2 MB of UTF-8
        source_id = sorted(raw)[copy % len(raw)]
        bodies.append(_shift_numbers("\n".join(_body(raw[source_id])), 1000 * (copy + 1)))
        copy += 1
    return "\n".join([*header, *bodies, *trailer]), bodies


def test_a_long_article_keeps_every_sentence_with_a_figure(long_article: tuple[str, list[str]]) -> None:
    article, bodies = long_article
    text = _squeeze(c.clean(article).text)
    # A heading is a block of its own, and dropped with the digitless paragraph before it when printed again.
    bodies = ["\n".join(line for line in body.split("\n") if not line.startswith("#")) for body in bodies]
    sentences = [s for body in bodies for s in _sentences(_squeeze(c.strip_pinyin_notes(c.repair_gbk_slips(body))))
                 if re.search(r"\d", s)]  # fmt: skip
    assert len(sentences) > 5_000
    assert [s for s in sentences if s not in text] == []


def test_a_long_article_drops_each_copys_reprint_and_keeps_its_later_copy(
    long_article: tuple[str, list[str]],
) -> None:
    article, bodies = long_article
    result = c.clean(article)
    reprints = [body for body in bodies if body.count("对于侵犯职工合法权益的行为") == 2]
    assert len(reprints) > 10
    for body in reprints:  # the figures of the reprinted passage differ from copy to copy
        figure = re.search(r"涉及职工\d+\.\d+万人次", body)
        assert figure and result.text.count(figure.group(0)) == 1
    repeated = [text for rule, text in result.dropped if rule == "repeated_block"]
    assert len(repeated) >= 2 * len(reprints)
    clean_text = _squeeze(result.text)
    assert all(_squeeze(block) in clean_text for block in repeated)


def test_a_line_of_60000_characters_is_kept_whole(raw: dict[str, str]) -> None:
    words = "".join(re.findall(r"[0-9A-Za-z\u4e00-\u9fff]+", "".join(_body(raw["njr-2022"]))))
    line = (words * (60_000 // len(words) + 1))[:60_000]
    result = c.clean(line)
    assert (result.text, result.watermark, result.dropped) == (line, None, [])


def test_a_watermark_is_found_beside_a_very_long_line(raw: dict[str, str]) -> None:
    paragraphs = c.clean(raw["njr-2022"]).text.split("\n\n")
    words = "".join(re.findall(r"[\u4e00-\u9fff]+", "".join(paragraphs)))
    long_line = (words * (60_000 // len(words) + 1))[:60_000]
    page = [paragraph + "333保山日报网" for paragraph in [long_line, *paragraphs[2:12]]]
    result = c.clean("\n".join(page))
    assert result.watermark == "333保山日报网"
    assert "保山日报网" not in result.text and long_line in result.text


def test_a_watermark_longer_than_the_bound_is_found_by_its_end() -> None:
    tag = "保山日报网" * 10
    assert c.find_watermark([f"第{n}段。{tag}" for n in range(8)]) == tag[-c.WATERMARK_MAX :]


def _wrap(paragraph: str, widths: list[int]) -> list[str]:
    """A paragraph cut into short lines as a page of fixed width would, never just after a sentence end."""
    lines: list[str] = []
    start = 0
    for width in widths * (len(paragraph) // sum(widths) + 1):
        if start >= len(paragraph):
            break
        end = min(start + width, len(paragraph))
        while end < len(paragraph) and (c.ends_paragraph(paragraph[start:end]) or paragraph[end - 1].isspace()
                                        or paragraph[end].isspace()):  # fmt: skip
            end += 1
        lines.append(paragraph[start:end])
        start = end
    return lines


def test_many_short_hard_wrapped_lines_join_into_their_paragraphs(raw: dict[str, str]) -> None:
    paragraphs = [p for p in c.clean(raw["njr-2022"]).text.split("\n\n")[:-1] if not c.is_heading(p)]
    words = "".join(re.findall(r"[\u4e00-\u9fff，]+", "".join(paragraphs)))
    one_long = (words * (60_000 // len(words) + 1))[:59_999] + "。"  # a paragraph of 60,000 characters
    paragraphs.append(one_long)
    lines = [line for paragraph in paragraphs for line in _wrap(paragraph, [3, 7, 2, 5, 4])]
    assert len(lines) > 15_000
    assert c.clean("\n".join(lines)).text == "\n\n".join(paragraphs)


@pytest.fixture(scope="module")
def distinct_paragraphs(raw: dict[str, str]) -> list[str]:
    """About a megabyte of real paragraphs, no two alike, no run of them printed twice."""
    real = [p for source_id in sorted(raw) for p in c.clean(raw[source_id]).text.split("\n\n") if not c.is_heading(p)]
    return [f"第{n}段：{real[n % len(real)]}" for n in range(4000)]


def test_a_passage_printed_again_far_on_is_dropped_where_it_first_appears(
    raw: dict[str, str], distinct_paragraphs: list[str]
) -> None:
    rights, legal_aid = c.clean(raw["njr-2022"]).text.split("\n\n")[34:36]
    blocks = [*distinct_paragraphs[:3], rights, legal_aid, *distinct_paragraphs[3:]]
    # Further on the page prints it again, glued to the end of a paragraph and cut in another place.
    later = distinct_paragraphs[-1] + rights + legal_aid
    cut = len(distinct_paragraphs[-1]) + len(rights) + 40
    page = [*blocks[:-1], later[:cut], later[cut:]]
    kept, dropped = c.drop_repeated_block(page)
    assert dropped == [rights, legal_aid]
    assert kept == [*distinct_paragraphs[:-1], later[:cut], later[cut:]]


def test_a_near_copy_far_on_is_kept(raw: dict[str, str], distinct_paragraphs: list[str]) -> None:
    rights, legal_aid = c.clean(raw["njr-2022"]).text.split("\n\n")[34:36]
    near = legal_aid[:-1] + "！"
    page = [rights, legal_aid, *distinct_paragraphs, rights, near]
    assert c.drop_repeated_block(page) == (page, [])


def test_a_body_printed_twice_keeps_its_second_copy(distinct_paragraphs: list[str]) -> None:
    body = distinct_paragraphs[:2000]
    kept, dropped = c.drop_repeated_block([*body, *body])
    assert (kept, dropped) == (body, body)


def test_a_long_bracketed_line_is_no_credit_unless_it_closes() -> None:
    assert not c.is_reporter_credit("(" + "记者" * 30_000)
    assert c.is_reporter_credit("(" + "记者" * 30_000 + ")")
    assert not c.is_reporter_credit("(" + "记者" * 30_000 + "(赵岗)")
