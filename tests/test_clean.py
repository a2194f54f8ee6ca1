"""Cleaning: pinyin readings removed only where they read the character; script and width folding."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from core.text import fold, norm, to_simplified, to_traditional
from ingest.parse.clean import clean_text, strip_pinyin
from tests.conftest import SAMPLES


def test_readings_are_removed():
    printed = "瀏陽(yáng)市人民政府2023年政府信息公開工作年度報(bào)告"
    assert strip_pinyin(printed) == "瀏陽市人民政府2023年政府信息公開工作年度報告"
    assert strip_pinyin("根據(jù)《條例》") == "根據《條例》"
    assert strip_pinyin("報（bao4）告") == "報告"  # full-width brackets, tone number


def test_other_parentheses_stay():
    assert strip_pinyin("(簡稱《條例》)") == "(簡稱《條例》)"
    assert strip_pinyin("網站(www)首頁") == "網站(www)首頁"  # latin, but no reading of 站
    assert strip_pinyin("報(gào)告") == "報(gào)告"  # a real syllable, not a reading of 報
    assert strip_pinyin("政务APP(app)") == "政务APP(app)"


def test_no_reading_survives_in_the_sample():
    text = clean_text((SAMPLES / "liuyang_2023.txt").read_text(encoding="utf-8"))
    assert not re.search(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", text)
    assert "(簡稱《條例》)" in text


def test_footers_and_widths():
    assert "- 3 -" not in clean_text("第一段\n- 3 -\n第二段")
    assert norm("（三） 不予 公開") == "(三)不予公开"
    assert norm("１．屬於國家秘密") == "1.属于国家秘密"
    assert fold("２０２３年") == "2023年"


@given(st.text(alphabet=st.sampled_from(list("0123456789.,万元件年報告國家秘密处理總計 ")), max_size=60))
def test_script_conversion_never_touches_digits(text):
    digits = re.findall(r"\d", text)
    assert re.findall(r"\d", to_simplified(text)) == digits
    assert re.findall(r"\d", to_traditional(text)) == digits
    assert re.findall(r"\d", strip_pinyin(text)) == digits


def test_the_fast_path_of_to_simplified_converts_exactly_as_opencc():
    from core.text import _T2S

    lines = [line for path in sorted(SAMPLES.glob("*.txt")) for line in path.read_text(encoding="utf-8").split("\n")]
    lines += [to_traditional(line) for line in lines[:300]] + ["乾隆", "乾燥", "著作", "瞭望", "了解", "頭髮"]
    assert [to_simplified(line) for line in lines] == [_T2S.convert(line) for line in lines]
    assert to_simplified("政府資訊公開") == "政府资讯公开"
