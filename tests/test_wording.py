"""Wording: Taiwan/Hong Kong phrases, everyday words for rows and columns, the 2019 layout of 表二 (intent level)."""

from __future__ import annotations

from datetime import date

import pytest

from core.records import Report
from core.template import ITEM_1, ITEM_5, ITEM_9
from qa.answer import intent_of as resolve
from qa.conversation import Conversation
from qa.parse import mainland, parse
from qa.scope import Catalog

CATALOG = Catalog([Report("lc_2020", "临川市人民政府", 2020, "", None, "a", "1", "txt"),
                   Report("lc_2023", "临川市人民政府", 2023, "", None, "b", "2", "txt")])


def _cells(question: str) -> list[tuple[str, str]]:
    intent = resolve(parse(question, CATALOG, date(2026, 1, 1)), Conversation(), CATALOG)
    return [pair for m in intent.measures for pair in m.pairs]


@pytest.mark.parametrize(("said", "meant"), [
    ("政府資訊公開申請", "政府信息公开申请"),
    ("資訊", "信息"),
    ("资讯公开", "信息公开"),
    ("屬於行政查詢事項", "属于行政查询事项"),  # tw2sp would say 查找: a vocabulary word is kept
    ("程序", "程序"),  # simplified script never goes through the Taiwan phrase table
])
def test_taiwan_and_hong_kong_wording(said, meant):
    assert mainland(said) == meant


@pytest.mark.parametrize(("question", "cell"), [
    ("臨川市2023年政府資訊公開申請收到多少件", ("一、本年新收政府信息公开申请数量", "总计")),
    ("临川2023年有多少申请因为找不到这个信息没法提供",
     ("三、本年度办理结果/（四）无法提供/1.本机关不掌握相关政府信息", "总计")),
    ("临川2023年转到明年的申请有几件", ("四、结转下年度继续办理", "总计")),
    ("临川2023年政府信息公开申请办了多少", ("三、本年度办理结果/（七）总计", "总计")),  # 办了 is 办结, not 新收
    ("临川2023年律所申请了几件", ("一、本年新收政府信息公开申请数量", "法人或其他组织/法律服务机构")),
    ("临川2020年政府集中采购项目数量是多少", (f"{ITEM_9}/政府集中采购", "采购项目数量")),
    ("临川2020年行政许可上一年项目数量", (f"{ITEM_5}/行政许可", "上一年项目数量")),
    ("临川2020年规范性文件新制作了几件", (f"{ITEM_1}/行政规范性文件", "本年新制作数量")),
    ("临川2020年其他对外管理服务事项本年增减多少", (f"{ITEM_5}/其他对外管理服务事项", "本年增/减")),
])
def test_everyday_words_name_the_cell(question, cell):
    assert _cells(question) == [cell]


def test_2019_purchase_amount_names_the_amount_only():
    """Issue #19 item 7: 采购总金额 is its column (and names its row), not both purchase columns."""
    amount = [(f"{ITEM_9}/政府集中采购", "采购总金额（单位：万元）")]
    assert _cells("临川2020年采购总金额是多少") == amount
    assert _cells("临川2020年政府集中采购的金额是多少") == amount  # 金额 said of 采购 is not the fee column
    assert _cells("临川2020年政府采购花了多少钱") == amount


def test_2019_layout_cells_are_answered_by_the_2021_words(tmp_path):
    from core.records import Cell
    from qa.answer import Answerer, Session
    from store import Store

    store = Store(tmp_path)
    rid = "lc_2020"
    cells = [Cell(rid, "二", f"{ITEM_1}/规范性文件", "本年新制作数量", 6, "件"),
             Cell(rid, "二", f"{ITEM_5}/行政许可", "处理决定数量", 1520, "件"),
             Cell(rid, "二", f"{ITEM_9}/政府集中采购", "采购总金额（单位：万元）", 88.5, "万元")]
    store.replace_report(Report(rid, "临川市人民政府", 2020, "", None, "lc.txt", "x", "txt"), [], cells, [], [])
    session = Session(Answerer(store, today=date(2026, 1, 1)))
    assert "6件" in session.ask("临川市2020年规范性文件新制作了几件？").text
    permits = session.ask("临川市2020年行政许可处理决定有多少？")  # 本年处理决定数量 in 2021, 处理决定数量 in 2019
    assert permits.answered and "1520" in permits.text and "该报告没有这一项" not in permits.text
    assert "88.5万元" in session.ask("临川市2020年政府集中采购的采购总金额是多少？").text
    store.close()


@pytest.mark.parametrize("piece", ["份", "宗", "起", "例"])
def test_requests_and_cases_counted_in_other_measure_words_are_the_cells(piece):
    """"收到多少份申请", "几起行政诉讼": people count requests and cases in 份/宗/起/例 as well as 件; the cell
    answers (counted in 件), the measure word is no qualifier the cell fails to cover."""
    assert _cells(f"临川2020年收到多少{piece}申请") == _cells("临川2020年收到多少件申请") != []
    assert _cells(f"临川2020年行政复议有几{piece}") == _cells("临川2020年行政复议有几件") != []


@pytest.mark.parametrize(("question", "row"), [
    ("临川2020年有多少申请人逾期未补正", "申请人无正当理由逾期不补正"),
    ("临川2020年因为申请人逾期没有补正导致不再处理的有多少件", "申请人无正当理由逾期不补正"),
    ("临川2020年申请人没交费所以不再处理的有几件", "申请人逾期未按收费通知要求缴纳费用"),
])
def test_other_handling_said_in_everyday_words(question, row):
    """未/没有 for 不, 没交费 for 未按…缴纳费用, and connectives (所以, 导致) name the （六） rows, never a wider
    one."""
    [(path, column)] = _cells(question)
    assert row in path and column == "总计"


@pytest.mark.parametrize("question", ["临川2020年有多少申请结转到2021年", "临川有多少申请转到2021年继续办理",
                                      "临川2020年顺延至2021年的申请有几件"])
def test_a_year_requests_are_carried_into_is_the_next_year_of_the_report(question):
    """"结转到2021年" names 2020's 结转下年度继续办理, never a 2021 report."""
    from qa.year_words import absolute_years

    assert absolute_years(question)[0].named == (2020,)
    assert _cells(question) == [("四、结转下年度继续办理", "总计")]


@pytest.mark.parametrize(("question", "row"), [
    ("临川2020年行政事业性收费收了多少", "行政事业性收费"),
    ("临川2020年行政处罚办理了多少", "行政处罚"),
    ("临川2020年收了多少费", "行政事业性收费"),  # not 新收: "收了" split from its object 费
    ("临川2020年收费金额多少万元", "行政事业性收费"),  # the fee column alone: the one row that prints it
])
def test_a_verb_said_of_a_table_two_row_is_not_a_table_three_row(question, row):
    """收了 / 办理了 name 表三 rows (新收, 办结) only when no 表二 row is said: "收费收了多少" asks the fee."""
    assert [r for r, _ in _cells(question)] and all(r.endswith(row) for r, _ in _cells(question)), _cells(question)


@pytest.mark.parametrize(("question", "row"), [
    ("临川2020年因为重复申请没有处理的有多少", "（五）不予处理/2.重复申请"),
    ("临川2020年不予公开的理由里国家秘密有几件", "（三）不予公开/1.属于国家秘密"),  # 理由 is the frame, not a qualifier
    ("临川2020年被认定属于国家秘密的有几件", "（三）不予公开/1.属于国家秘密"),
])
def test_a_reason_said_in_everyday_words_is_its_row(question, row):
    assert [r for r, _ in _cells(question)] == [f"三、本年度办理结果/{row}"]


@pytest.mark.parametrize("question", ["临川2020年未能提供的申请有多少件", "临川2020年没能提供的有多少件"])
def test_could_not_provide_said_with_a_negation_is_its_group(question):
    rows = [r for r, _ in _cells(question)]
    assert rows and all(r.startswith("三、本年度办理结果/（四）无法提供") for r in rows), rows


def test_not_holding_the_information_said_with_a_negation_is_its_row():
    """"没掌握信息没法提供" is 无法提供·本机关不掌握 (said with 没 rather than 不), never a refusal for its negation."""
    [(row, column)] = _cells("临川2020年有多少件因为没掌握信息没法提供")
    assert row.endswith("本机关不掌握相关政府信息") and column == "总计"


@pytest.mark.parametrize("question", ["临川2023年申请都公开了吗", "临川2023年的申请是否都公开了？",
                                      "臨川2023年申請全都公開了嗎"])
def test_were_all_requests_disclosed_is_answered_by_the_figures_that_say_it(question):
    """A yes/no no cell prints: 予以公开 and 部分公开 beside 办理结果总计, each cited (never a stray sentence)."""
    rows = [r.rsplit("/", 1)[-1] for r, _ in _cells(question)]
    assert rows == ["（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（七）总计"]


@pytest.mark.parametrize("question", ["临川2023年申请最后公开了几件", "临川2023年最终公开了多少件申请"])
def test_finally_disclosed_is_disclosed(question):
    assert _cells(question) == [("三、本年度办理结果/（一）予以公开", "总计")]


@pytest.mark.parametrize("question", ["临川2023年主动公开了多少件规范性文件", "临川2023年主动公开的行政处罚决定有多少"])
def test_proactive_disclosure_names_table_two_whose_title_it_is(question):
    """主动公开 is the title of 表二 (主动公开政府信息情况): said with a 表二 row it qualifies nothing."""
    assert _cells(question) and all(r.startswith("第二十条") for r, _ in _cells(question)), _cells(question)


def test_suing_them_said_plainly_is_a_lawsuit():
    assert {c for _, c in _cells("临川2023年有没有人告他们")} == {"行政诉讼/未经复议直接起诉/总计",
                                                               "行政诉讼/复议后起诉/总计"}


@pytest.mark.parametrize("question", ["临川2023年的报告数据有没有问题", "临川2023年年报数据准确吗"])
def test_asking_whether_the_figures_are_right_is_a_check(question):
    assert parse(question, CATALOG, date(2026, 1, 1)).check


def test_the_report_named_by_its_title_qualifies_nothing():
    """"…2023年政府信息公开工作年度报告里新收申请是多少": the title's words (工作, 年度报告) are the frame."""
    assert _cells("临川市人民政府2023年政府信息公开工作年度报告里新收申请是多少") == [
        ("一、本年新收政府信息公开申请数量", "总计")]


def test_a_place_said_right_before_an_agency_is_no_person():
    """jieba tags 宿迁 a person's name (nr); said right before 沭阳县 it is where the county is, not an applicant."""
    catalog = Catalog([Report("sy_2025", "沭阳县人民政府", 2025, "", None, "c", "3", "txt")])
    assert parse("宿迁沭阳县2025年收到多少申请", catalog, date(2026, 1, 1)).person == ""
    assert parse("申请人李四向沭阳县2025年申请了什么", catalog, date(2026, 1, 1)).person == "李四"


@pytest.mark.parametrize(("question", "cell"), [
    ("临川2023年有没有人申请政府信息公开", ("一、本年新收政府信息公开申请数量", "总计")),
    ("临川2023年是否有企业申请", ("一、本年新收政府信息公开申请数量", "法人或其他组织/商业企业")),
])
def test_a_yes_or_no_about_what_a_cell_counts_is_answered_by_the_cell(question, cell):
    """Not by a sentence of the narrative that counts something narrower (the office's own share of requests)."""
    intent = resolve(parse(question, CATALOG, date(2026, 1, 1)), Conversation(), CATALOG)
    assert intent.kind == "figure" and [pair for m in intent.measures for pair in m.pairs] == [cell]
