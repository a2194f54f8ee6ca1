"""Check questions in everyday words: one report, one table, or "which reports" (exactly those with open checks)."""

from __future__ import annotations

import pytest

from qa.answer import Answerer, Session
from qa.answer import intent_of as resolve
from qa.conversation import Conversation
from qa.parse import parse
from store import Store


@pytest.fixture(scope="module")
def store(sample_db):
    store = Store(sample_db)
    yield store
    store.close()


@pytest.mark.parametrize("question", ["哪些报告的勾稽关系不成立？", "有没有报告的数字对不上", "哪份报告的核对没通过？",
                                      "哪些年报表格数字有矛盾"])
def test_which_reports_lists_exactly_those_with_open_checks(store, question):
    open_checks, sides = {}, set()
    for check in store.checks():
        if check.status != "pass":
            open_checks.setdefault(check.report, set()).add(check.status)
            sides |= {a.split("/", 1)[0] for a in check.left_terms + check.right_terms}  # across years: two reports
    answer = Session(Answerer(store)).ask(question)
    assert answer.answered and answer.kind == "check"
    assert set(answer.reports) == set(open_checks)
    failing = [r for r in answer.reports if "fail" in open_checks[r]]
    assert list(answer.reports[: len(failing)]) == failing  # failures first
    cited = {c.report for c in answer.citations}
    assert set(open_checks) <= cited <= set(open_checks) | sides  # both sides of each listed check are cited


@pytest.mark.parametrize(("question", "report"), [
    ("洪泽区2024年正文和表格有矛盾吗？", "hongze_2024"),
    ("淮安市2024年表三的数加起来对吗", "huaian_2024"),
    ("平潭2021年的表格数字加得对不对", "pingtan_2021"),
    ("洪泽区2023年表四的数是不是自相矛盾", "hongze_2023"),
    ("淮安市2024年表三的总计为什么是3050", "huaian_2024"),  # a figure asked why: its checks
])
def test_check_questions_in_everyday_words(store, question, report):
    answerer = Answerer(store)
    catalog = answerer.catalog()
    intent = resolve(parse(question, catalog, answerer.today), Conversation(), catalog)
    assert intent.kind == "check" and intent.reports == (report,)
    answer = Session(answerer).ask(question)
    assert answer.reports == (report,) and "核对" in answer.text  # the checks, or that there is none of that kind


def test_which_reports_past_the_listed_ones_counts_the_rest(store, monkeypatch):
    """A province's reports with open checks are thousands: the first are listed, the rest counted, the staff
    tab's problem list named for all of them."""
    monkeypatch.setattr("qa.consistency.REPORTS_SHOWN", 1)
    open_reports = {c.report for c in store.checks() if c.status != "pass"}
    assert len(open_reports) > 1
    answer = Session(Answerer(store)).ask("哪些报告的勾稽关系不成立？")
    assert answer.answered and len(answer.reports) == 1 and answer.reports[0] in open_reports
    assert f"……共 {len(open_reports)} 份报告有核对问题，以上为前 1 份" in answer.text and "核对问题清单" in answer.text
    assert {c.report for c in answer.citations} - {answer.reports[0]} <= {
        a.split("/", 1)[0] for c in store.checks(answer.reports[0]) for a in c.left_terms + c.right_terms}


def test_a_follow_up_to_a_check_checks_again_elsewhere(store):
    """Staff check conversationally: "表三勾稽关系对得上吗？", "和2021年比呢？" (both years' 表三 checked),
    "那表四呢？" (表四 of the same reports), "洪泽区2023年呢？" (another report); a question naming a cell ends it."""
    session = Session(Answerer(store))
    first, compared, table4, other, figure = (session.ask(q) for q in (
        "平潭2022年表三勾稽关系对得上吗？", "和2021年比呢？", "那表四呢？", "洪泽区2023年呢？", "那2023年新收了多少？"))
    assert first.kind == compared.kind == table4.kind == other.kind == "check"
    assert set(compared.reports) == {"pingtan_2021", "pingtan_2022"} and "表四" not in compared.text
    assert "表四" in table4.text and "表三" not in table4.text
    assert other.reports == ("hongze_2023",) and "不成立" in other.text
    assert figure.kind == "figure" and figure.reports == ("hongze_2023",)


def test_a_table_asked_for_its_figures_after_a_check_is_no_check(store):
    """"表三的数据" after a check gives the table's figures; "那表四呢？" still checks again."""
    session = Session(Answerer(store))
    session.ask("洪泽区2024年表三勾稽关系对吗")
    figures = session.ask("表三的数据")
    assert figures.kind != "check" and {c.table for c in figures.citations} == {"三"}, figures.text
    session = Session(Answerer(store))
    session.ask("洪泽区2024年表三勾稽关系对吗")
    assert session.ask("那表四呢？").kind == "check"
