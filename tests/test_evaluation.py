"""The question set through the real Answerer on the ingested samples meets its targets; the judge is strict."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from core.records import Answer, Citation
from core.text import to_simplified
from ingest.index.vectors import NarrativeIndex
from qa.answer import Answerer
from qa.evaluate import KINDS, TARGETS, failures, load, run, table
from qa.judge import judge, numbers, unsupported
from qa.retrieve import Retriever
from store import Store

NEW = "一、本年新收政府信息公开申请数量"


@pytest.fixture(scope="module")
def result(sample_db, embedder):
    store = Store(sample_db)
    answerer = Answerer(store, Retriever(store, NarrativeIndex(sample_db, embedder)))
    yield run(answerer, load())
    store.close()


def test_question_set_shape():
    questions = load()
    counts = Counter(q.kind for q in questions)
    assert len(questions) >= 200 and set(counts) == set(KINDS), counts
    assert len({q.id for q in questions}) == len(questions)
    assert all(len(q.conversation) >= 2 for q in questions if q.kind == "followup")
    traditional = [q for q in questions if any(to_simplified(t) != t for t in q.conversation)]
    assert len(traditional) >= len(questions) // 10
    reports = {q.expect.get("report") for q in questions}
    assert {"liuyang_2023", "hongze_2023", "hongze_2024", "huaian_2024", "pingtan_2021", "pingtan_2022",
            "shanghai_kewei_2024", "shuyang_2025"} <= reports
    unknown = [q for q in questions if q.kind == "figure" and q.expect["value"] is None]
    assert {q.expect["report"] for q in unknown} >= {"pingtan_2021"}


@pytest.mark.parametrize("kind", sorted(TARGETS))
def test_targets_are_met(result, kind):
    assert result.accuracy(kind) >= TARGETS[kind], "\n" + table(result) + "\n" + failures(result, verbose=True)


def test_no_answer_states_a_figure_its_citations_do_not_hold(result):
    bad = [v for v in result.verdicts if v.unsupported]
    assert not bad, "\n" + failures(result, verbose=True)


# ---- the judge itself, on hand-made answers ----

CELL = Citation("cell", "liuyang_2023", "三", NEW, "总计", 224, "件")


def test_judge_wants_the_cell_and_the_value():
    expect = {"report": "liuyang_2023", "table": "三", "row": NEW, "column": "总计", "value": 224}
    assert judge("figure", expect, Answer("q", True, "共224件。", (CELL,)))[0]
    assert not judge("figure", expect, Answer("q", True, "共224件。"))[0]  # not cited
    assert not judge("figure", expect, Answer("q", True, "共225件。", (CELL,)))[0]  # wrong number said
    assert not judge("figure", {**expect, "value": 225}, Answer("q", True, "共225件。", (CELL,)))[0]
    assert not judge("unanswerable", {"answered": False}, Answer("q", True, "共224件。", (CELL,)))[0]


def test_unsupported_figures_are_caught_years_and_arithmetic_are_not():
    other = Citation("cell", "liuyang_2023", "三", "二、上年结转政府信息公开申请数量", "总计", 8, "件")
    ok = Answer("q", True, "2023年新收224件，上年结转8件，合计232件（224 + 8 = 232），结转占3.6%。", (CELL, other),
                reports=("liuyang_2023",))
    assert unsupported(ok) == []
    assert unsupported(Answer("q", True, "2021、2022年共收到224件。", (CELL,))) == []
    assert unsupported(Answer("q", True, "新收224件，其中自然人219件。", (CELL,))) == ["219"]
    assert numbers("共3,119件，7730.28万元") == [Decimal(3119), Decimal("7730.28")]
