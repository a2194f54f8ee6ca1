"""Rates by name (公开率, 纠错率, 办结率, 不予公开比例, 增长率): formulas as data, computed from cited cells with the
arithmetic shown; a denominator of 0 said as "no cases"; an unknown rate never computed as another one (issue #19)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from core.settings import ROOT
from ingest.index.vectors import NarrativeIndex
from qa.answer import Answerer, Session
from qa.conversation import Conversation
from qa.judge import cell_citations
from qa.retrieve import Retriever
from store import Store
from tests.test_departments import RATES, TODAY, department_db  # noqa: F401 (a fixture)

LAYOUT_2019 = ROOT / "tests" / "fixtures" / "layout_2019" / "qinghe_2020.txt"
_PERCENT = re.compile(r"= (\d+\.\d)%")


def _rows() -> list[dict]:
    with open(RATES, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def answerer(department_db, embedder):  # noqa: F811 (the fixture imported above)
    store = Store(department_db)
    yield Answerer(store, Retriever(store, NarrativeIndex(department_db, embedder)), today=TODAY)
    store.close()


def _verdict(answer, row: dict) -> str:
    """"" when the answer cites exactly the expected cells with their values and states the rate (or that there were
    no cases), else why not."""
    cited = cell_citations(answer)
    want = {a: row["numerator_value"] if a in row["numerator"] else None for a in row["numerator"]}
    missing = [a for a in row["numerator"] + row["denominator"] if a not in cited]
    if not answer.answered or missing:
        return f"refused or cells not cited {missing}: {answer.text}"
    top = sum(cited[a].value for a in row["numerator"])
    below = sum(cited[a].value for a in row["denominator"])
    if (top, below) != (row["numerator_value"], row["denominator_value"]) or not want:
        return f"numerator {top}, denominator {below}: {answer.text}"
    rates = [float(x) for x in _PERCENT.findall(answer.text)]
    if row["value"] is None:
        return "" if not rates and "无从计算" in answer.text else f"a rate given for no cases: {answer.text}"
    return "" if rates and rates[0] == row["value"] else f"rate {rates} ≠ {row['value']}: {answer.text}"


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["id"])
def test_each_rate_is_computed_from_its_cells(answerer, row):
    """The rate question asked of its report (the conversation names the agency): the formula's cells, each cited."""
    question = row["conversation"][-1]
    said = question[question.index("20"):]  # the agency is named by the conversation: naming is not tested here
    answer, _ = answerer.ask(said, Conversation(reports=(row["report"],)))
    assert _verdict(answer, row) == ""


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["id"])
def test_each_rate_question_as_people_ask_it(answerer, row):
    answer, _ = answerer.ask(row["conversation"][-1])
    assert _verdict(answer, row) == ""


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["id"])
def test_a_rate_question_never_gives_a_wrong_figure(answerer, row):
    """Answered from the tables: exactly the formula's cells; from the text: only sentences stating the rate itself."""
    answer, _ = answerer.ask(row["conversation"][-1])
    if cell_citations(answer):
        assert _verdict(answer, row) == ""
    else:
        assert all(row["rate"] in c.quote for c in answer.citations if answer.answered), answer.text


# ---- the formulas on a 2019-layout report with every rate defined ----


@pytest.fixture(scope="module")
def qinghe(tmp_path_factory, embedder) -> Session:
    from ingest.pipeline import ingest_paths

    folder: Path = tmp_path_factory.mktemp("qinghe")
    store = Store(folder)
    outcomes = ingest_paths([LAYOUT_2019], store, NarrativeIndex(folder, embedder))
    assert [o.status for o in outcomes] == ["ingested"]
    yield Answerer(store, Retriever(store, NarrativeIndex(folder, embedder)), today=date(2026, 1, 1))
    store.close()


@pytest.mark.parametrize(("question", "formula"), [
    ("清河县2020年公开率是多少？", "公开率 = (予以公开 14 + 部分公开 4) ÷ 办理结果总计 29 = 62.1%"),
    ("清河县2020年申请的办结率", "办结率 = 办理结果总计 29 ÷ (本年新收 29 + 上年结转 3) = 90.6%"),
    ("清河县2020年不予公开比例", "÷ 办理结果总计 29 = 10.3%"),
    ("清河县2020年自然人申请的公开率", "自然人公开率 = (予以公开 10 + 部分公开 3) ÷ 办理结果总计 20 = 65.0%"),
    ("清河县2020年行政复议纠错率", "行政复议纠错率 = 行政复议结果纠正 1 ÷ 行政复议总计 4 = 25.0%"),
    ("清河县2020年行政诉讼的纠错率",
     "行政诉讼（未经复议直接起诉与复议后起诉合计）纠错率 = 行政诉讼结果纠正 (1 + 0) ÷ 行政诉讼总计 (2 + 2) = 25.0%"),
    ("清河县2020年直接起诉纠错率是多少", "纠错率 = 未经复议直接起诉结果纠正 1 ÷ 未经复议直接起诉总计 2 = 50.0%"),
])
def test_the_formula_is_written_out_with_cited_cells(qinghe, question, formula):
    answer, _ = qinghe.ask(question)
    assert answer.answered and formula in answer.text, answer.text
    assert all(c.type == "cell" and c.report == "qinghe_2020" for c in answer.citations)


def test_a_rate_said_of_no_group_is_given_for_reconsideration_and_lawsuits_each(qinghe):
    answer, _ = qinghe.ask("清河县2020年纠错率")
    assert "行政复议纠错率 = " in answer.text and "行政诉讼（未经复议直接起诉与复议后起诉合计）纠错率 = " in answer.text
    assert len(cell_citations(answer)) == 2 + 4  # 复议's 纠正 and 总计; both 诉讼 groups' 纠正 and 总计


@pytest.mark.parametrize("question", ["清河县2020年满意率是多少？", "清河县2020年申请的响应率",
                                      "清河县2020年复议的胜诉率"])
def test_an_unknown_rate_is_refused_never_computed_as_another(qinghe, question):
    answer, _ = qinghe.ask(question)
    assert not answer.answered and "%" not in answer.text and "公开率" in answer.text, answer.text


@pytest.mark.parametrize(("question", "formula"), [
    ("清河县2020年依申请公开的公开率", "公开率 = (予以公开 14 + 部分公开 4) ÷ 办理结果总计 29 = 62.1%"),
    ("清河县2020年政府信息公开申请的办结率是多少", "办结率 = 办理结果总计 29 ÷ (本年新收 29 + 上年结转 3) = 90.6%"),
    ("清河县2020年行政复议案件的纠错率", "行政复议纠错率 = 行政复议结果纠正 1 ÷ 行政复议总计 4 = 25.0%"),
])
def test_what_a_rate_is_of_anyway_qualifies_nothing(qinghe, question, formula):
    """"依申请公开的公开率" is the table's own rate said in full, not a rate of something else."""
    answer, _ = qinghe.ask(question)
    assert answer.answered and formula in answer.text, answer.text


def test_a_tables_rate_asked_of_something_else_is_refused_saying_what_the_table_gives(qinghe):
    answer, _ = qinghe.ask("清河县2020年部门预决算的公开率")
    assert not answer.answered and "%" not in answer.text and "只针对政府信息公开申请" in answer.text, answer.text


def test_a_growth_rate_needs_the_year_before(qinghe):
    answer, _ = qinghe.ask("清河县2020年新收申请的增长率")
    assert not answer.answered and "2019" in answer.text
    asked, _ = qinghe.ask("清河县2020年增长率是多少")
    assert not asked.answered and "哪一项" in asked.text
