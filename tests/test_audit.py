"""Checks staff can trust: narrative figures matched by meaning, no false findings on any sample, repeated or
conflicting figures, failures inside a check or the database never reaching a user as such.

Reports are built from the samples' own text with one sentence added or one figure changed."""

from __future__ import annotations

import sqlite3

import pytest

from core.records import Cell, Check
from core.template import CANNOT, DISCLOSED, DOCS, NOT_PROCESSED, OTHER, PARTLY, WITHHELD
from ingest.check import rules as checks_module
from ingest.check.rules import narrative_figures, report_checks
from ingest.index.vectors import NarrativeIndex
from ingest.parse.clean import clean_text
from ingest.parse.sections import paragraphs
from ingest.parse.tables import parse_tables
from ingest.pipeline import ingest_paths
from ingest.read.document import read_document
from store import Store
from tests.conftest import SAMPLES

HUAIAN = SAMPLES / "huaian_2024.txt"
HUAIAN_OPENING = "全市共受理政府信息公开申请 3119 件，"


def parsed(text: str, rid: str = "x") -> tuple[list[Cell], list[Check]]:
    """A report's text → its cells and every check, as the pipeline computes them (no store, no index)."""
    text = clean_text(text)
    figures = narrative_figures(paragraphs(rid, text))
    cells, _ = parse_tables(text, rid, figures)
    return cells, report_checks(rid, cells, figures)


def huaian_with(sentence: str) -> str:
    """huaian_2024 with a sentence added to its opening paragraph on requests."""
    text = HUAIAN.read_text(encoding="utf-8")
    assert HUAIAN_OPENING in text
    return text.replace(HUAIAN_OPENING, HUAIAN_OPENING + sentence, 1)


def total(cells: list[Cell], *rows: str) -> int:
    """Sum of the 总计 column over rows (a group row = its leaves)."""
    return sum(c.value for c in cells if c.table == "三" and c.column == "总计"
               and any(c.row == r or c.row.startswith(r + "/") for r in rows))


@pytest.fixture(scope="module")
def huaian_cells() -> list[Cell]:
    return parsed(read_document(HUAIAN).text)[0]


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_no_false_narrative_findings_on_any_sample(sample):
    _, checks = parsed(read_document(SAMPLES / sample).text)
    wrong = [c for c in checks if c.kind in ("narrative", "conflict", "error") and c.status != "pass"]
    assert wrong == []
    assert len({c.name for c in checks}) == len(checks)


def test_sub_unit_figures_are_not_compared_with_the_whole_table():
    """hongze_2024: “区政府办代表区政府受理…17件” speaks of one office, not the district's 95 requests."""
    _, checks = parsed(read_document(SAMPLES / "hongze_2024.txt").text)
    assert not [c for c in checks if c.kind == "narrative" and "17" in c.description]


def test_combined_phrases_map_to_sums_of_rows(huaian_cells):
    both, withheld = total(huaian_cells, DISCLOSED, PARTLY), total(huaian_cells, WITHHELD)
    cannot, ignored, other = (total(huaian_cells, r) for r in (CANNOT, NOT_PROCESSED, OTHER))
    sentence = (f"其中予以公开及部分公开{both}件，不予公开{withheld}件，无法提供{cannot}件，"
                f"不予处理{ignored}件，其他处理{other}件。")
    _, checks = parsed(huaian_with(sentence))
    narrative = {c.description.split("”")[0].removeprefix("正文“"): c for c in checks if c.kind == "narrative"}
    combined = narrative[f"予以公开及部分公开{both}件"]
    assert combined.status == "pass" and (combined.left, combined.right) == (both, both)
    assert [a.rsplit("/", 2)[-2] for a in combined.right_terms] == ["（一）予以公开", PARTLY.rsplit("/", 1)[-1]]
    assert combined.left_terms[0].startswith("x/一、总体情况")  # the paragraph it is quoted from
    assert len(narrative[f"不予公开{withheld}件"].right_terms) == 8  # the eight sub-rows
    assert all(c.status == "pass" for c in narrative.values()), [c for c in narrative.values() if not c.passed]
    assert not any(c.kind == "narrative" and c.right == total(huaian_cells, DISCLOSED) and c.left == both
                   for c in checks)  # never read as 予以公开 alone


def test_a_count_of_documents_in_force_is_never_compared_with_this_years_documents():
    """Issue #20: “发布现行有效规范性文件N件” counts documents in force, “累计制发…” all years: neither is 本年制发, so
    neither is checked against that cell (nor against another sentence that states 本年制发)."""
    text = huaian_with("在门户网站发布现行有效规范性文件1234件，累计制发行政规范性文件4321件。"
                       "本年度制发行政规范性文件5件。")
    _, checks = parsed(text)
    made = [c for c in checks if c.kind in ("narrative", "conflict") and "本年制发件数" in c.name]
    assert [c.left for c in made if c.kind == "narrative"] == [5]
    assert not [c for c in made if c.kind == "conflict"]
    valid = [c for c in checks if c.kind == "narrative" and "现行有效件数" in c.name]
    assert [c.left for c in valid] == [1234]


def test_documents_of_one_department_are_not_the_whole_bodys_and_our_own_are():
    """Issue #20: “市司法局制发规范性文件3件” in a city's report is one department's figure, not the city's 本年制发;
    a department speaking of itself (“本局制发…”, “我委…”) is the whole body."""
    _, checks = parsed(huaian_with("市司法局制发行政规范性文件3件。"))
    assert not [c for c in checks if c.kind == "narrative" and c.left == 3 and "本年制发件数" in c.name]
    _, checks = parsed(huaian_with("本局制发行政规范性文件3件。"))
    assert [c.left for c in checks if c.kind == "narrative" and "本年制发件数" in c.name] == [3]


@pytest.mark.parametrize("sentence, column, value", [
    ("本年度行政规范性文件制发7件。", "本年制发件数", 7),
    ("行政规范性文件废止3件。", "本年废止件数", 3),
    ("规范性文件现行有效30件。", "现行有效件数", 30),
    ("本年度印发规范性文件7件。", "本年制发件数", 7),
])
def test_document_counts_in_either_word_order_are_read_as_their_measure(sentence, column, value):
    """Issue #20: the narrative states 制发/废止/现行有效 with the measure before or after the kind of document; each
    is read as that very measure (so it can decide a digit run the table leaves open), never as another."""
    from core.records import Paragraph

    [figure] = narrative_figures([Paragraph("x", "一、总体情况", 1, sentence, sentence)])
    assert (figure.table, figure.row, figure.column, figure.value) == ("二", DOCS_ROW, column, value)


def test_a_wrong_combined_figure_is_a_finding_with_both_sides(huaian_cells):
    both = total(huaian_cells, DISCLOSED, PARTLY)
    _, checks = parsed(huaian_with(f"其中予以公开和部分公开{both + 1}件。"))
    failed = [c for c in checks if c.status == "fail"]
    assert [(c.kind, c.left, c.right) for c in failed] == [("narrative", both + 1, both)]
    assert failed[0].left_terms and len(failed[0].right_terms) == 2


def test_a_phrase_not_mappable_with_confidence_is_not_checked():
    _, checks = parsed(huaian_with("予以公开和不予公开共12件，区政府办代表区政府受理申请5件。其中网上申请办结50件，"
                                   "去年同期受理申请100件。"))
    assert not [c for c in checks if c.kind == "narrative" and c.left in (12, 5, 50, 100)]


def test_repeated_and_conflicting_figures_get_their_own_addresses(huaian_cells):
    closed = total(huaian_cells, "三、本年度办理结果/（七）总计")
    _, checks = parsed(huaian_with(f"全年办结{closed}件。各项申请均已办结，办结{closed}件。另办结{closed - 7}件。"))
    names = [c.name for c in checks if c.kind in ("narrative", "conflict") and "（七）总计" in c.name]
    assert len(names) == len(set(names)) == 4
    conflict = next(c for c in checks if c.kind == "conflict")
    assert (conflict.left, conflict.right, conflict.status) == (closed, closed - 7, "fail")
    assert conflict.left_terms and conflict.right_terms


def test_repeated_figures_never_break_ingest(tmp_path, embedder):
    """The report that was rejected with “UNIQUE constraint failed: checks.report, checks.name”."""
    path = tmp_path / "huaian_2024.txt"
    path.write_text(huaian_with("收到申请3119件。全年共收到政府信息公开申请3119件，办结3000件，办结3050件。"),
                    encoding="utf-8")
    store = Store(tmp_path / "db")
    [outcome] = ingest_paths([path], store, NarrativeIndex(tmp_path / "db", embedder))
    assert outcome.status == "ingested", outcome.error
    assert any("正文前后" in f for f in outcome.findings)
    assert len(store.cells(report="huaian_2024")) == 200


def test_a_failing_check_is_a_finding_not_a_rejected_report(monkeypatch, huaian_cells):
    def broken(*args):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(checks_module, "narrative_checks", broken)
    _, checks = parsed(read_document(HUAIAN).text)
    errors = [c for c in checks if c.kind == "error"]
    assert len(errors) == 1 and errors[0].status == "unknown" and "正文与表格" in errors[0].description
    assert any(c.kind == "identity" for c in checks)


def test_a_database_error_never_reaches_the_user_as_such(tmp_path, monkeypatch, embedder):
    def fail(*args, **kwargs):
        raise sqlite3.IntegrityError("UNIQUE constraint failed: checks.report, checks.name")

    store = Store(tmp_path / "db")
    monkeypatch.setattr(store, "replace_report", fail)
    [outcome] = ingest_paths([HUAIAN], store, NarrativeIndex(tmp_path / "db", embedder))
    assert outcome.status == "failed" and "huaian_2024.txt" in outcome.error
    assert "UNIQUE" not in outcome.error and "IntegrityError" not in outcome.error and "数据库" in outcome.error


# ---- across years --------------------------------------------------------------------------------

HONGZE_CARRIED = "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0"


def continuity(store: Store, report: str) -> dict[str, Check]:
    return {c.name: c for c in store.checks(report=report) if c.kind in ("continuity", "plausibility")}


def test_carry_over_across_years_on_the_samples(sample_db):
    store = Store(sample_db)
    checks = continuity(store, "pingtan_2022")
    total = checks["跨年/上年结转/总计"]
    assert (total.left, total.right, total.status) == (1, 1, "pass")
    assert total.left_terms == ("pingtan_2022/三/二、上年结转政府信息公开申请数量/总计",)
    assert total.right_terms == ("pingtan_2021/三/四、结转下年度继续办理/总计",)
    assert len([n for n in checks if n.startswith("跨年/上年结转/")]) == 7  # per applicant column
    assert not continuity(store, "pingtan_2021")  # no 2020 report
    assert all(c.status != "fail" for r in store.reports() for c in continuity(store, r.id).values())


def test_carry_over_rechecked_when_a_report_is_added_replaced_or_removed(tmp_path, embedder):
    from ingest.remove import remove_report

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("hongze_2023.txt", "hongze_2024.txt"):
        (folder / name).write_text((SAMPLES / name).read_text(encoding="utf-8"), encoding="utf-8")
    store, index = Store(tmp_path / "db"), NarrativeIndex(tmp_path / "db", embedder)
    ingest_paths([folder / "hongze_2024.txt"], store, index)
    assert not continuity(store, "hongze_2024")  # alone: nothing to compare with
    ingest_paths([folder / "hongze_2023.txt"], store, index)  # the earlier year arrives later
    checks = continuity(store, "hongze_2024")
    assert checks["跨年/上年结转/总计"].status == "pass"
    assert checks["跨年/现行有效/行政规范性文件"].kind == "plausibility"

    broken = (folder / "hongze_2024.txt").read_text(encoding="utf-8")
    assert HONGZE_CARRIED in broken
    (folder / "hongze_2024.txt").write_text(broken.replace(HONGZE_CARRIED, HONGZE_CARRIED.replace(
        " 0 0 0 0 0 0 0", " 3 0 0 0 0 0 3")), encoding="utf-8")
    [outcome] = ingest_paths([folder / "hongze_2024.txt"], store, index)  # replaced
    assert outcome.status == "ingested" and any("跨年度结转" in f for f in outcome.findings)
    checks = continuity(store, "hongze_2024")
    assert [(n, c.left, c.right) for n, c in checks.items() if c.status == "fail"] == [
        ("跨年/上年结转/总计", 3, 0), ("跨年/上年结转/自然人", 3, 0)]
    problems = store.problems(kind="continuity")
    assert [r.id for r, _ in problems] == ["hongze_2024", "hongze_2024"]

    remove_report("hongze_2023", store, index)
    assert not continuity(store, "hongze_2024")  # its counterpart is gone


# ---- one findings view over the store --------------------------------------------------------------


def test_problems_across_the_store_failures_first_and_filtered(sample_db):
    store = Store(sample_db)
    problems = store.problems()
    statuses = [c.status for _, c in problems]
    assert statuses == sorted(statuses, key=lambda s: s != "fail") and "fail" in statuses and "unknown" in statuses
    assert all(c.status != "pass" for _, c in problems)
    rank = {"fail": 0}  # failures, then plausibility warnings, then undecided; by agency, year, report, check
    assert problems == sorted(problems, key=lambda rc: (rank.get(rc[1].status, 2) + (rc[1].kind == "plausibility"),
                                                        rc[0].agency, rc[0].year or 0, rc[0].id, rc[1].name))
    assert store.problems(limit=3) == problems[:3]
    assert store.problem_counts() == (len(problems), sum(c.status == "fail" and c.kind != "plausibility"
                                                         for _, c in problems))
    assert store.problem_counts(agency="浏阳市人民政府") == (0, 0)
    assert {(r.id, c.name) for r, c in problems if c.status == "fail"} == {
        ("hongze_2023", "四/行政复议"), ("hongze_2023", "四/行政诉讼/复议后起诉")}
    assert [c.name for _, c in store.problems(year=2023, kind="identity")] == [
        "四/行政复议", "四/行政诉讼/复议后起诉"]
    # shanghai_kewei_2024's blank 结转 总计 is decided by two identities that then hold: no finding left that year
    assert store.problems(year=2024, kind="identity") == []
    assert store.problems(agency="浏阳市人民政府") == []


def test_staff_findings_view_with_filters_links_and_csv(sample_db, tmp_path, monkeypatch, downloads):
    import shutil

    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    folder = tmp_path / "db"
    shutil.copytree(sample_db, folder)
    monkeypatch.setenv("REPORTS_DB", str(folder))
    monkeypatch.setenv("LLM_PROVIDER", "")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["view"] = "报表与核对"
    at.run()
    assert not at.exception
    page = "\n".join(h.value for h in at.html)
    table = page[page.index('class="checks findings"'):]
    assert table.index("row-fail") < table.index("row-unknown")  # failures first
    assert 'href="?card=hongze_2023"' in table and "表四/政府信息公开行政复议、行政诉讼情况/行政复议/总计" in table
    rows = downloads["核对问题.csv"].decode("utf-8-sig").splitlines()
    assert rows[0].startswith("机关,年度,报告,类别,结果") and len(rows) == len(Store(folder).problems()) + 1
    at.selectbox(key="findings_kind").set_value("narrative").run()
    assert "所选范围内没有不符或无法判断的核对项目" in "\n".join(h.value for h in at.html)
    monkeypatch.setattr("ui.staff.problem_list.SHOWN", 2)  # a province's thousands: the first drawn, all counted
    at.selectbox(key="findings_kind").set_value("全部").run()
    total = len(Store(folder).problems())
    page = "\n".join(h.value for h in at.html)
    table = page[page.index('class="checks findings"'):]
    assert table[:table.index("</table>")].count('<tr class="row-') == 2 and total > 2
    assert any(f"共 {total} 项" in c.value and "下表列出前 2 项" in c.value for c in at.caption)
    at.selectbox(key="findings_status").set_value("unknown").run()  # undecidable checks apart from failures
    page = "\n".join(h.value for h in at.html)
    table = page[page.index('class="checks findings"'):]
    table = table[:table.index("</table>")]
    assert "row-unknown" in table and "row-fail" not in table


def test_notes_are_listed_apart_and_make_no_report_a_problem(tmp_path):
    """Issue #20: a cell printed in its own unit and converted exactly is a note for staff — counted and filtered
    apart from failures and undecidable checks, and no reason to list its report among those with problems."""
    from core.records import Report
    from qa.consistency import STATUS

    store = Store(tmp_path)
    cells, checks = parsed(liuyang_pipes("251000元"), "fee_2023")
    report = Report("fee_2023", "某县人民政府", 2023, "某县人民政府2023年政府信息公开工作年度报告", "", "fee_2023.txt",
                    "0" * 64)
    store.replace_report(report, [], cells, checks, [])
    assert store.problem_tally() == {"note": 1}
    assert store.problem_counts() == (1, 0)
    [(_, note)] = store.problems(status="note")
    assert note.kind == "unit" and store.problems(status="fail") == []
    assert store.open_reports(["fee_2023"]) == {}
    assert "note" in STATUS
    store.close()


# ---- the narrative decides what it can -------------------------------------------------------------

DOCS_ROW = "第二十条第（一）项/行政规范性文件"


def test_a_digit_run_the_narrative_decides_in_part():
    """pingtan_2022 prints “行政规范性文件8855698”; without the sentence on 698 valid documents only 88 is fixed."""
    text = (SAMPLES / "pingtan_2022.txt").read_text(encoding="utf-8")
    assert "现行有效行政规范性文件698件，" in text and "本年度制发的规范性文件88件" in text
    cells, checks = parsed(text.replace("现行有效行政规范性文件698件，", "现行有效行政规范性文件，"))
    row = [c for c in cells if c.row == DOCS_ROW]
    assert [c.value for c in row] == [88, None, None]
    assert "正文" in row[0].note and all("88、55、698" in c.note for c in row[1:])  # the readings left
    assert not [c for c in checks if c.kind == "narrative" and c.status == "fail"]


def test_a_row_that_lost_a_cell_keeps_the_cell_the_narrative_fixes():
    from tests.test_layouts import lines, liuyang, pipes, report

    values = liuyang()
    values.update({("二", "第二十条第（一）项/规章", c): v for c, v in zip(DOCS, (12, 0, 148), strict=True)})
    tables = {t: pipes(lines(t, values)) for t in "二三四"}
    assert "| 规章 | 12 | 0 | 148 |" in tables["二"]
    tables["二"] = tables["二"].replace("| 规章 | 12 | 0 | 148 |", "| 规章 | 12 | 148 |") + "\n0"
    text = report(tables).replace("全年主动公开政府信息3200条，", "全年主动公开政府信息3200条，本年度制发规章12件，")
    cells, _ = parsed(text)
    rules = [c for c in cells if c.row == "第二十条第（一）项/规章"]
    assert [c.value for c in rules] == [12, None, None]
    assert all(c.note for c in rules[1:])
    without, _ = parsed(text.replace("本年度制发规章12件，", ""))
    assert [c.value for c in without if c.row == "第二十条第（一）项/规章"] == [None, None, None]


def test_cells_equal_in_every_reading_are_kept_when_identities_fail_elsewhere():
    """pingtan_2022 with “（一）予以公开 110000011”: 11|0…|11 or 1|10|0…|11; the table's columns no longer add up,
    yet 总计 and the four zero columns are the same in both readings of the row."""
    text = (SAMPLES / "pingtan_2022.txt").read_text(encoding="utf-8")
    cells, _ = parsed(text.replace("（一）予以公开 210000021", "（一）予以公开 110000011"))
    row = [c.value for c in cells if c.row == DISCLOSED]
    assert row == [None, None, 0, 0, 0, 0, 11]
    assert all("1、10、0、0、0、0、11" in c.note for c in cells if c.row == DISCLOSED and c.value is None)


def test_the_chat_answers_which_reports_have_problems_from_the_same_source(sample_db):
    from qa.answer import Answerer

    store = Store(sample_db)
    answer, _ = Answerer(store).ask("哪些报告的数据有问题？")
    assert answer.kind == "check" and answer.answered
    assert set(answer.reports) == {r.id for r, _ in store.problems()}
    assert answer.reports[0] == "hongze_2023"  # failures first
    assert "不成立" in answer.text and any(c.report == "hongze_2023" for c in answer.citations)


# ---- units as printed --------------------------------------------------------------------------------

FEE = ("二", "第二十条第（八）项/行政事业性收费", "本年收费金额（单位：万元）")


def liuyang_pipes(fee: str, header: str = "本年收费金额（单位：万元）") -> str:
    """liuyang_2023's tables as markdown pipes, the fee cell printed as `fee`, the fee header as `header`."""
    from tests.test_layouts import lines, liuyang, pipes, report

    values = liuyang()
    values[FEE] = 7730
    tables = {t: pipes(lines(t, values)) for t in "二三四"}
    assert "| 行政事业性收费 | 7730 |" in tables["二"]
    tables["二"] = tables["二"].replace("| 行政事业性收费 | 7730 |", f"| 行政事业性收费 | {fee} |").replace(
        "本年收费金额（单位：万元）", header)
    return report(tables)


def fee_cell(cells: list[Cell]) -> Cell:
    return next(c for c in cells if (c.table, c.row, c.column) == FEE)


def test_a_money_cell_printed_in_yuan_under_a_wan_yuan_header():
    cells, checks = parsed(liuyang_pipes("251000元"))
    fee = fee_cell(cells)
    assert (fee.value, fee.unit) == (25.1, "万元") and "“251000元”" in fee.note and "万元" in fee.note
    [unit] = [c for c in checks if c.kind == "unit"]
    # converted exactly: a note for staff, not a failed check (issue #20)
    assert (unit.left, unit.right, unit.status) == (251000, 25.1, "note") and unit.left_terms == (fee.address,)


def test_units_exact_and_the_header_unit_only_where_the_cell_prints_none():
    cells, checks = parsed(liuyang_pipes("0.7亿元"))
    assert fee_cell(cells).value == 7000 and any(c.kind == "unit" for c in checks)
    cells, checks = parsed(liuyang_pipes("7730.28万元"))  # the header's own unit: nothing to say
    assert fee_cell(cells).value == 7730.28 and fee_cell(cells).note == "" and not any(c.kind == "unit" for c in checks)
    cells, checks = parsed(liuyang_pipes("123456789", header="本年收费金额（单位：元）"))
    fee = fee_cell(cells)
    assert (fee.value, fee.unit) == (12345.6789, "万元") and "“123456789元”" in fee.note
    assert not any(c.kind == "unit" for c in checks)  # header and cell agree; only the template differs


def test_a_unit_that_measures_something_else_leaves_the_cell_unknown():
    cells, checks = parsed(liuyang_pipes("5件"))
    fee = fee_cell(cells)
    assert fee.value is None and "不相容" in fee.note
    assert [c.status for c in checks if c.kind == "unit"] == ["fail"]


@pytest.mark.parametrize("sentence, value", [("2023年，共收到政府信息公开申请0条。", 0), ("全年受理申请12条。", 12)])
def test_requests_counted_in_tiao_are_read_as_those_received(sentence, value):
    """"2023年，共收到政府信息公开申请0条。" beside a 表三 printing 3 new requests was no finding: 条 counts requests
    where 申请 is said right before it, so the narrative and the table are checked (stranger test on a held-out
    sample). 条 of a 事项 ("受理留言事项25条") stays unread: those are often not requests."""
    from core.records import Paragraph
    from core.template import TABLE_3

    [figure] = narrative_figures([Paragraph("x", "一、总体情况", 1, sentence, sentence)])
    assert (figure.table, figure.row, figure.value) == ("三", TABLE_3.rows[0].path, value)
    other = "全年受理网民留言事项25条。"
    assert narrative_figures([Paragraph("x", "一、总体情况", 1, other, other)]) == []
