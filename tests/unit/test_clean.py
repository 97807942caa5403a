"""Each cleaning rule on the real fragment that needed it, and the pipeline on all five articles."""

from __future__ import annotations

import re

import pytest

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
