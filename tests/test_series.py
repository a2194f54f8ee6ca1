"""Change over time: a series answer over three synthetic years of one agency (real pipeline and store), each
year-to-year difference computed from two cited cells; chart points that are those cells; names with OCR slips."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bench.synth import agency, write
from core.vocabulary import NEW
from ingest.index.vectors import NarrativeIndex
from ingest.pipeline import ingest_paths
from qa.answer import Answerer, Session
from qa.labels import number, shown_name
from store import Store

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def store(tmp_path_factory, embedder) -> Store:
    """青溪市 2022, 2023 and 2024 (bench.synth: every identity true), ingested through the real pipeline."""
    folder = tmp_path_factory.mktemp("series")
    files = write(3, folder / "src", seed=11)
    store = Store(folder / "db")
    outcomes = ingest_paths(files, store, NarrativeIndex(folder / "db", embedder))
    assert [o.status for o in outcomes] == ["ingested"] * 3
    return store


def ask(store: Store, *questions: str):
    session = Session(Answerer(store, None, today=TODAY))
    return [session.ask(q) for q in questions]


def new_requests(store: Store) -> list[tuple[int, int | float]]:
    """(year, 新收 总计) of every stored report, oldest first: what the answer must show."""
    years = {r.id: r.year for r in store.reports()}
    return sorted((years[c.report], c.value) for c in store.cells(table="三", row=NEW) if c.column == "总计")


@pytest.mark.parametrize("question", ["青溪市这几年收到的申请是多了还是少了？", "青溪市历年新收申请的变化趋势",
                                      "青溪市近几年新收申请的走势", "青溪市2022到2024年收到的申请有什么变化？"])
def test_change_over_time_is_a_series_with_each_difference(store, question):
    (a,) = ask(store, question)
    figures = new_requests(store)
    assert a.answered and a.kind == "series" and a.chart == "line", a.text
    assert [c.value for c in a.citations] == [v for _, v in figures]  # every year, oldest first, each cited
    for (_, v0), (y1, v1) in zip(figures, figures[1:], strict=False):
        assert f"{y1}年：{number(v1)}件" in a.text
        assert f"{number(v1)} − {number(v0)} = {number(v1 - v0)}" in a.text  # from the two cited cells
        assert f"{number(v1)} − {number(v0)} = {number(v1 - v0)}" in a.arithmetic
    (first_year, first), (last_year, last) = figures[0], figures[-1]
    assert f"{last_year}年比{first_year}年" in a.text and f"{number(last)} − {number(first)}" in a.text


def test_series_points_are_the_cited_cells(store):
    (a,) = ask(store, "青溪市这几年收到的申请是多了还是少了？")
    cited = {f"{c.report}/{c.table}/{c.row}/{c.column}": c.value for c in a.citations}
    assert [p.x for p in a.points] == [f"{y}年" for y, _ in new_requests(store)]
    for p in a.points:
        assert len(p.cells) == 1 and cited[p.cells[0]] == p.value and p.series == f"{agency(0)}人民政府"


def test_series_follow_up_keeps_the_years_and_a_pair_stays_a_comparison(store):
    trend, followup = ask(store, "青溪市这几年收到的申请是多了还是少了？", "那自然人呢？")
    assert followup.kind == "series" and len(followup.points) == 3
    assert all(c.column == "自然人" for c in followup.citations if c.type == "cell")
    (pair,) = ask(store, "青溪市2024年比2023年新收申请多了多少？")
    assert pair.kind == "compare" and pair.chart == "bar" and len(pair.points) == 2


def test_one_year_only_says_no_change_can_be_seen(store):
    (a,) = ask(store, "青溪市2023年这几年收到的申请有什么变化？")
    assert a.kind == "series" and "无法看出变化" in a.text and len(a.citations) == 1


def test_ranking_has_bars_in_ranked_order(store):
    (a,) = ask(store, "青溪市哪一年收到的申请最多？")
    values = [p.value for p in a.points]
    assert a.chart == "bar" and values == sorted(values, reverse=True) and len(values) == 3


def test_a_printed_slip_is_shown_with_the_right_name():
    assert shown_name("沐阳县人民政府") == "沐阳县（即沭阳县）人民政府"
    assert shown_name("沭阳县人民政府") == "沭阳县人民政府"
    assert shown_name("沐川县人民政府") == "沐川县人民政府"  # a real county, not a slip
    assert shown_name(shown_name("沐阳县人民政府")) == "沐阳县（即沭阳县）人民政府"


def test_report_named_by_either_spelling_answers_with_both(tmp_path: Path, embedder):
    src = tmp_path / "shuyang_2025.txt"
    src.write_text((Path(__file__).resolve().parent.parent / "samples" / "shuyang_2025.txt").read_text(
        encoding="utf-8"), encoding="utf-8")
    store = Store(tmp_path / "db")
    ingest_paths([src], store, NarrativeIndex(tmp_path / "db", embedder))
    for question in ("沭阳县2025年收到多少件申请？", "沐阳县2025年收到多少件申请？"):
        (a,) = ask(store, question)
        assert a.answered and "沐阳县（即沭阳县）人民政府2025年" in a.text
