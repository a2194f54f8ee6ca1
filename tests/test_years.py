"""Years as people say them: two digits, ranges, spans, relative to the conversation, the latest report."""

from __future__ import annotations

from datetime import date

import pytest

from qa.answer import Answerer, Session
from qa.year_words import absolute_years, relative_years
from store import Store

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(("text", "years", "ranged"), [
    ("24年收到多少申请", (2024,), False),
    ("2024年度", (2024,), False),
    ("二〇二三年", (2023,), False),
    ("2021到2023年哪一年最多", (2021, 2022, 2023), True),
    ("2021—2023年", (2021, 2022, 2023), True),
    ("从2019年至2022年", (2019, 2020, 2021, 2022), True),
    ("21到23年", (2021, 2022, 2023), True),
    ("2023年到2024年", (2023, 2024), True),
    ("2023年和2024年", (2023, 2024), False),
    ("12345件", (), False),  # no year inside a longer number
    ("35年", (), False),  # no report can be about 2035
])
def test_years_in_digits_and_ranges(text, years, ranged):
    said, masked = absolute_years(text, TODAY)
    assert said.named == years
    assert said.ranged == ranged
    for y in years:
        assert str(y) not in masked


@pytest.mark.parametrize(("text", "span", "recent"), [
    ("近三年", 3, False), ("最近两年", 2, False), ("这三年", 3, True), ("近3年来", 3, False), ("历年", -1, False),
    ("这几年", -1, False),
])
def test_spans(text, span, recent):
    said, _ = absolute_years(text + "新收多少申请", TODAY)
    assert (said.span, said.recent) == (span, recent)


def test_relative_words():
    calendar, offsets, _ = relative_years("去年和同一年", TODAY)
    assert calendar == [("去年", 2025)] and offsets == [0]
    _, offsets, masked = relative_years("上年结转", TODAY)  # parse() masks the row first; alone it is a year
    assert offsets == [-1]


@pytest.fixture(scope="module")
def answerer(sample_db):
    store = Store(sample_db)
    yield Answerer(store, today=TODAY)
    store.close()


def test_a_range_ranks_every_year_in_it(answerer):
    answer = Session(answerer).ask("洪泽区2023到2024年里哪一年新收的申请最多？")
    assert answer.answered and "2024年（95件）" in answer.text
    assert {c.report for c in answer.citations} >= {"hongze_2023", "hongze_2024"}


def test_a_range_notes_a_year_with_no_report(answerer):
    answer = Session(answerer).ask("洪泽区2022到2024年新收的申请分别是多少？")
    assert answer.answered and "未收录" in answer.text and "2022" in answer.text
    assert set(answer.reports) == {"hongze_2023", "hongze_2024"}


def test_same_year_and_year_before_follow_the_conversation(answerer):
    session = Session(answerer)
    session.ask("淮安市2024年新收了多少件申请？")
    same = session.ask("洪泽区同一年呢？")
    assert same.answered and same.reports == ("hongze_2024",)
    before = session.ask("那上一年呢？")
    assert before.answered and before.reports == ("hongze_2023",)


def test_this_year_falls_back_to_the_latest_report_and_says_so(answerer):
    answer = Session(answerer).ask("今年浏阳市收到了多少件信息公开申请？")
    assert answer.answered and answer.reports == ("liuyang_2023",) and "尚未收录2026年" in answer.text
    old = Answerer(answerer.store, today=date(2024, 3, 1))  # 去年 = 2023: stored, no fallback
    assert Session(old).ask("去年浏阳市收到了多少件申请？").reports == ("liuyang_2023",)


def test_difference_between_two_years_in_short_digits(answerer):
    answer = Session(answerer).ask("洪泽区24年比23年新收申请多多少？")
    assert answer.answered and "95 − 21 = 74" in answer.text


def test_sum_across_agencies_shows_each_operand_and_the_arithmetic(answerer):
    answer = Session(answerer).ask("浏阳、淮安、洪泽区三家新收申请加起来多少？")
    assert answer.answered and "224 + 3119 + 95 = 3438" in answer.text  # each agency's latest report
    assert {c.report for c in answer.citations} >= {"liuyang_2023", "huaian_2024", "hongze_2024"}


def test_difference_between_two_agencies(answerer):
    answer = Session(answerer).ask("淮安市2024年新收申请比洪泽区同年多多少？")
    assert answer.answered and "3119 − 95 = 3024" in answer.text


def test_a_share_the_report_prints_is_quoted_not_recomputed(tmp_path):
    from core.records import Cell, Paragraph, Report

    store = Store(tmp_path)
    rid = "lc_2023"
    done, opened = "三、本年度办理结果/（七）总计", "三、本年度办理结果/（一）予以公开"
    text = "全年办结申请27件，其中予以公开14件，占办结总数的51.85%。"
    store.replace_report(Report(rid, "临川市人民政府", 2023, "", None, "lc.txt", "x", "txt"),
                         [Paragraph(rid, "一、总体情况", 1, text, text)],
                         [Cell(rid, "三", done, "总计", 27, "件"), Cell(rid, "三", opened, "总计", 14, "件")], [], [])
    answer = Session(Answerer(store, today=TODAY)).ask("临川市2023年予以公开占办结的比例是多少？")
    assert answer.answered and "51.85%" in answer.text and "51.9%" not in answer.text
    assert any(c.type == "paragraph" for c in answer.citations) and any(c.type == "cell" for c in answer.citations)
    store.close()


@pytest.mark.parametrize("followup", ["比上年多多少？", "和上一年比呢？", "较前一年增加了多少", "比上年度多了几件",
                                      "与上年相比有什么变化"])
def test_a_comparison_with_the_year_before_is_the_conversations_year_against_it(answerer, followup):
    session = Session(answerer)
    session.ask("平潭2022年新收申请多少件")
    answer = session.ask(followup)
    assert answer.answered and set(answer.reports) == {"pingtan_2021", "pingtan_2022"}, answer.text
    assert "74 − 70 = 4" in answer.text
