"""The store: a cell reads back equal to what was written (property test), migrations run once."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from dataclasses import fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import ReportError
from core.records import Cell, Check, Report
from store import Store
from store.schema import MIGRATIONS, REPORT_COLUMNS

values = st.one_of(st.none(), st.integers(min_value=0, max_value=10**9),
                   st.floats(min_value=0, max_value=1e7, allow_nan=False).map(lambda v: round(v, 6)))


@settings(max_examples=40, deadline=None)
@given(st.lists(values, min_size=1, max_size=7))
def test_a_stored_cell_reads_back_equal(row):
    with tempfile.TemporaryDirectory() as folder:
        store = Store(folder)
        report = Report("r", "某县人民政府", 2023, "t", None, "r.txt", "h", "txt")
        row_path = "一、本年新收政府信息公开申请数量"
        cells = [Cell("r", "三", row_path, f"c{i}", v, "件", "src", "") for i, v in enumerate(row)]
        check = Check("r", "n", "identity", "d", row[0], row[-1], ("a",), ("b",), "pass")
        store.replace_report(report, [], cells, [check], [])
        back = store.cells(report="r")
        assert [c.value for c in back] == row
        assert all(type(b.value) is type(v) or float(b.value) == v for b, v in zip(back, row, strict=True))
        assert store.checks("r")[0].left == row[0]
        store.close()


def test_migrations_run_once(tmp_path):
    Store(tmp_path).close()
    Store(tmp_path).close()
    with sqlite3.connect(tmp_path / "reports.sqlite3") as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (str(len(MIGRATIONS)),)


def old_store(conn, mark: str, reports: list[Report], cells: list[Cell], checks: list[Check]) -> None:
    """A store as migrations 1-2 left it, holding `reports`, `cells` and `checks` in that schema's row format."""
    cur = conn.cursor()
    cur.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    for script in MIGRATIONS[:2]:
        for statement in filter(str.strip, script.split(";")):
            cur.execute(statement)
    cur.execute("INSERT INTO meta VALUES ('schema', '2')")
    q = lambda n: ", ".join([mark] * n)  # noqa: E731
    cur.executemany(f"INSERT INTO reports ({REPORT_COLUMNS}) VALUES ({q(12)})",
                    [tuple(getattr(r, f.name) for f in fields(Report)) for r in reports])
    cur.executemany(f"INSERT INTO cells VALUES ({q(9)})", [(c.report, c.table, c.row, c.column, c.value, c.unit,
                                                             c.source, c.note, i) for i, c in enumerate(cells)])
    cur.executemany(f"INSERT INTO checks VALUES ({q(9)})", [
        (c.report, c.name, c.kind, c.description, c.left, c.right, json.dumps(c.left_terms, ensure_ascii=False),
         json.dumps(c.right_terms, ensure_ascii=False), c.status) for c in checks])
    conn.commit()


def test_a_store_of_the_previous_schema_reads_back_every_cell_and_check(sample_db, tmp_path):
    store = Store(sample_db)
    reports, cells, checks, problems = store.reports(), store.cells(), store.checks(), store.problems()
    store.close()
    assert {c.kind for c in checks} >= {"identity", "narrative", "continuity"}  # own, quoting, cross-report
    with sqlite3.connect(tmp_path / "reports.sqlite3") as conn:
        old_store(conn, "?", reports, cells, checks)
    migrated = Store(tmp_path)
    assert migrated.cells() == cells and migrated.checks() == checks and migrated.problems() == problems
    assert migrated.cells(report="liuyang_2023", table="三", row="一、本年新收政府信息公开申请数量",
                          column="总计")[0].value == 224
    with sqlite3.connect(tmp_path / "reports.sqlite3") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    assert "cells" not in tables and "checks" not in tables


def row_per_cell(conn, mark: str) -> None:
    """Turn a store of today's schema into one as migrations 3-6 left it: a row per cell (`cell_values`, with the
    printed rows' source and note in `cell_texts`), written from its own cells and key ids."""
    cur = conn.cursor()
    cur.execute("SELECT id, tbl, row_path, col_path, unit FROM cell_keys")
    key = {tuple(r[1:]): r[0] for r in cur.fetchall()}
    cur.execute("SELECT report, cells, texts FROM cell_tables ORDER BY report, tbl")
    packed = cur.fetchall()
    cur.execute("CREATE TABLE cell_texts (report TEXT NOT NULL, number INTEGER NOT NULL, source TEXT NOT NULL, "
                "note TEXT NOT NULL, PRIMARY KEY (report, number))")
    cur.execute("CREATE TABLE cell_values (report TEXT NOT NULL, cell INTEGER NOT NULL, value NUMERIC, "
                "text INTEGER NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (report, cell))")
    texts: dict[tuple, int] = {}
    values = []
    for report, cells, printed in packed:
        sources, notes = json.loads(printed)
        for cell, value, text in zip(*json.loads(cells), strict=True):
            row = (report, sources[text], notes[text])
            number = texts.setdefault(row, len([t for t in texts if t[0] == report]))
            values.append((report, cell, value, number, len(values)))
    q = lambda n: ", ".join([mark] * n)  # noqa: E731
    cur.executemany(f"INSERT INTO cell_texts VALUES ({q(4)})", [(t[0], n, t[1], t[2]) for t, n in texts.items()])
    cur.executemany(f"INSERT INTO cell_values VALUES ({q(5)})", values)
    cur.execute("DROP TABLE cell_tables")
    cur.execute("DROP INDEX check_results_open")
    for table in ("changes", "snapshots"):  # migration 9
        cur.execute(f"DROP TABLE {table}")
    cur.execute("DELETE FROM meta WHERE key = 'changes_since'")
    if mark == "%s":  # PostgreSQL: migration 12's index over the paragraphs, made again
        cur.execute("DROP INDEX paragraphs_terms")
        cur.execute("ALTER TABLE paragraphs DROP COLUMN lexical_length")
    cur.execute("UPDATE meta SET value = '6' WHERE key = 'schema'")
    conn.commit()
    assert len(values) > 0 and len(key) > 0


def test_a_store_with_a_row_per_cell_reads_back_every_cell_after_migration_7(sample_db, tmp_path):
    store = Store(sample_db)
    cells, checks = store.cells(), store.checks()
    store.close()
    with sqlite3.connect(sample_db / "reports.sqlite3") as source, sqlite3.connect(tmp_path / "reports.sqlite3") as to:
        source.backup(to)
    with sqlite3.connect(tmp_path / "reports.sqlite3") as conn:
        row_per_cell(conn, "?")
        assert conn.execute("SELECT COUNT(*) FROM cell_values").fetchone() == (len(cells),)
    migrated = Store(tmp_path)
    assert migrated.cells() == cells and migrated.checks() == checks
    assert migrated.cells(report="liuyang_2023", table="三", row="一、本年新收政府信息公开申请数量",
                          column="总计")[0].value == 224
    with sqlite3.connect(tmp_path / "reports.sqlite3") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
        assert db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (str(len(MIGRATIONS)),)
    assert "cell_values" not in tables and "cell_texts" not in tables and "cell_tables" in tables


def test_rows_columns_and_checks_outside_the_template_are_interned_by_either_of_two_stores(tmp_path):
    a, b = Store(tmp_path), Store(tmp_path)  # two ingesters over one folder
    report = lambda rid: Report(rid, "某县人民政府", 2023, "t", None, f"{rid}.txt", "h", "txt")  # noqa: E731
    cell = lambda rid, row, v, unit="件": Cell(rid, "三", row, "新列/子列", v, unit, f"{v} 9", "")  # noqa: E731
    check = lambda rid, name, desc, terms: Check(rid, name, "identity", desc, 1, 2, terms, (f"{rid}/x",), "fail")  # noqa: E731
    own = ("r1/三/新行/新列/子列",)
    a.replace_report(report("r1"), [], [cell("r1", "新行", 1)], [check("r1", "新规则", "d", own)], [])
    b.replace_report(report("r2"), [], [cell("r2", "新行", 2), cell("r2", "另一行", 3, "万元")],
                     [check("r2", "新规则", "d", ("r2/三/新行/新列/子列",)),
                      check("r2", "规则2", "含r1", ("r1/三/x",))], [])
    a.replace_report(report("r3"), [], [cell("r3", "另一行", 4, "万元")], [check("r3", "规则2", "含r1", ("r1/三/x",))],
                     [])
    for store in (a, b):
        assert [(c.report, c.row, c.value, c.unit, c.source) for c in store.cells()] == [
            ("r1", "新行", 1, "件", "1 9"), ("r2", "新行", 2, "件", "2 9"), ("r2", "另一行", 3, "万元", "3 9"),
            ("r3", "另一行", 4, "万元", "4 9")]
        assert store.checks("r3") == [check("r3", "规则2", "含r1", ("r1/三/x",))]
        assert store.checks("r1") == [check("r1", "新规则", "d", own)]
        assert {c.name: c.left_terms for c in store.checks("r2")} == {"新规则": ("r2/三/新行/新列/子列",),
                                                                      "规则2": ("r1/三/x",)}
    with sqlite3.connect(tmp_path / "reports.sqlite3") as db:  # each row, column and rule stored once
        assert db.execute("SELECT (SELECT COUNT(*) FROM cell_keys), (SELECT COUNT(*) FROM check_identities)"
                          ).fetchone() == (2, 2)


def test_a_failed_write_leaves_no_dictionary_id_behind(tmp_path):
    store = Store(tmp_path)
    report = Report("r", "某县人民政府", 2023, "t", None, "r.txt", "h", "txt")
    twice = [Cell("r", "三", "新行", "新列", 1, "件"), Cell("r", "三", "新行", "新列", 2, "件")]
    with pytest.raises(ReportError, match="two cells at one address: r/三/新行/新列"):
        store.replace_report(report, [], twice, [], [])
    store.replace_report(report, [], twice[:1], [], [])
    assert store.cells() == twice[:1]


def test_migration_fills_lexical_search_and_writes_keep_it_in_step(sample_db, tmp_path):
    from store.lexical import bigrams, citable

    new = Store(sample_db)
    with sqlite3.connect(tmp_path / "reports.sqlite3") as conn:  # the paragraphs of a store made before
        old_store(conn, "?", new.reports(), [], [])
        conn.executemany("INSERT INTO paragraphs VALUES (?, ?, ?, ?, ?, ?)",
                         [(p.report, p.section, p.number, p.text, p.plain, i) for i, p in enumerate(new.paragraphs())])
    old = Store(tmp_path)
    question = bigrams("依申请公开工作是怎么做的")
    assert old.lexical_search(question, 10) == new.lexical_search(question, 10) != []
    assert old.term_stats(question) == new.term_stats(question)
    assert old.term_stats([])[0] == sum(citable(p) for p in new.paragraphs()) > 0
    # a write moves the generation and keeps the terms in step with the paragraphs
    before, n = old.generation(), old.term_stats([])[0]
    report, paragraphs = old.report("liuyang_2023"), old.paragraphs(report="liuyang_2023")
    old.delete_report("liuyang_2023")
    assert old.generation() > before
    assert old.lexical_search(bigrams("政务微信公众号"), 50, ["liuyang_2023"]) == []
    assert not any(p.report == "liuyang_2023" for p, _ in old.lexical_search(bigrams("政务微信公众号"), 500))
    assert old.term_stats([])[0] == n - sum(map(citable, paragraphs))
    old.replace_report(report, paragraphs, [], [], [])
    old.replace_report(report, paragraphs, [], [], [])  # replacing leaves one copy of each paragraph's terms
    assert old.term_stats([])[0] == n
    assert old.lexical_search(question, 10) == new.lexical_search(question, 10)
    # the lexical index is keyed by the paragraphs' rowid: declared, so that VACUUM cannot renumber it
    columns = {r[1]: (r[2], r[5]) for r in old.conn.execute("PRAGMA table_info(paragraphs)")}
    assert columns["id"] == ("INTEGER", 1)
    old.conn.execute("VACUUM")
    old.delete_report("liuyang_2023")
    assert old.term_stats([])[0] == n - sum(map(citable, paragraphs))
    assert not any(p.report == "liuyang_2023" for p, _ in old.lexical_search(bigrams("政务微信公众号"), 500))
    old.close()
    new.close()


def test_one_name_per_agency_found_by_index_both_ways(tmp_path):
    from ingest.pipeline import same_agency

    store = Store(tmp_path)
    for rid, agency in (("a", "洪泽区人民政府"), ("b", "青山县人民政府"), ("c", "某市某部门")):
        store.replace_report(Report(rid, agency, 2023, "t", None, f"{rid}.txt", "h", "txt"), [], [], [], [])
    assert same_agency("淮安市洪泽区人民政府", store) == "淮安市洪泽区人民政府"  # the stored shorter name renamed
    assert store.report("a").agency == "淮安市洪泽区人民政府"
    assert same_agency("洪泽区人民政府", store) == "淮安市洪泽区人民政府"  # the stored fuller name wins
    assert same_agency("山县人民政府", store) == "青山县人民政府"
    assert same_agency("某部门", store) == "某部门"  # not a county-level government: never merged
    assert store.agencies_ending("部门") == {"某市某部门"}  # a short ending: read without the index, still right


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_search_within_few_reports_ranks_as_the_whole_index_does(backend, sample_db, monkeypatch, request):
    """_search_within scores a few reports' paragraphs itself; FTS5's bm25() over the index gives the same order, and
    on PostgreSQL the same SQL over those reports' rows (read by report, not through the GIN index) as over all."""
    from store import bm25 as database_module
    from store.lexical import bigrams

    store = Store(sample_db) if backend == "sqlite" else Store(url=request.getfixturevalue("sample_pg"))
    within = ["liuyang_2023", "huaian_2024", "pingtan_2022"]
    for question in ("依申请公开工作是怎么做的", "政务新媒体微信公众号", "存在的主要问题和改进情况"):
        words = bigrams(question)
        mine = store.lexical_search(words, 20, within)
        monkeypatch.setattr(database_module, "FEW_REPORTS", 0)
        whole = store.lexical_search(words, 20, within)
        monkeypatch.undo()
        assert [p for p, _ in mine] == [p for p, _ in whole] and mine, question
        assert all(abs(a - b) < 1e-6 for (_, a), (_, b) in zip(mine, whole, strict=True))
        # many reports: the whole index's ranking filtered (asked for more until k are in scope, or none is left)
        everything = [r.id for r in store.reports()]
        monkeypatch.setattr(database_module, "FEW_REPORTS", 1)
        assert store.lexical_search(words, 3, within) == whole[:3]
        assert store.lexical_search(words, 500, everything) == store.lexical_search(words, 500)
        monkeypatch.undo()
    store.close()


def assert_same_search(migrated: Store, new: Store) -> None:
    """A migrated store searches as a store written afresh: the same hits within the whole index, one report and
    three, the same term statistics and counters."""
    from store.lexical import bigrams

    ids = [r.id for r in new.reports()]
    for question in ("依申请公开工作是怎么做的", "政务新媒体微信公众号", "存在的主要问题和改进情况", "行政复议诉讼"):
        words = bigrams(question)
        for scope in (None, ids[:1], ids[2:5]):
            assert migrated.lexical_search(words, 10, scope) == new.lexical_search(words, 10, scope) != []
        assert migrated.term_stats(words) == new.term_stats(words)
    counters = ("lexical_rows", "lexical_tokens")
    assert [migrated._counter(k) for k in counters] == [new._counter(k) for k in counters]


def _index_read_back(folder) -> tuple[dict, dict]:
    """(what SQLite's FTS5 index holds, read through fts5vocab: {rowid: {column: Counter of tokens}}, what it should
    hold: each stored citable paragraph's terms computed again and its report's token)."""
    from collections import Counter

    from store.lexical import _report_token

    with sqlite3.connect(folder / "reports.sqlite3") as db:
        db.execute("CREATE VIRTUAL TABLE temp.instances USING fts5vocab(main, lexical, instance)")
        held: dict = {}
        for doc, col, term, n in db.execute("SELECT doc, col, term, COUNT(*) FROM instances GROUP BY doc, col, term"):
            held.setdefault(doc, {}).setdefault(col, Counter())[term] = n
    store = Store(folder)
    due = {row: {"terms": Counter(words), "report": Counter([_report_token(p.report)])}
           for row, p, words in store._indexed([r.id for r in store.reports()])}
    store.close()
    return held, due


def test_the_lexical_index_keeps_no_copy_and_holds_exactly_the_terms_computed_again(sample_db, tmp_path, monkeypatch):
    """SQLite's FTS5 table is contentless: a paragraph's row is removed with its terms computed again from the
    stored paragraph. After removals and replacements the index holds exactly those terms (nothing of a removed
    row), the document frequencies and counters are exact, and a removal with other terms would show."""
    from collections import Counter

    from core.records import Paragraph
    from store import paragraphs as paragraphs_module
    from store.lexical import bigrams

    with sqlite3.connect(sample_db / "reports.sqlite3") as source, sqlite3.connect(tmp_path / "reports.sqlite3") as to:
        source.backup(to)
    store = Store(tmp_path)
    with sqlite3.connect(tmp_path / "reports.sqlite3") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_schema")}
        assert "lexical_content" not in tables and "lexical_data" in tables
        assert db.execute("SELECT terms, report FROM lexical LIMIT 1").fetchone() == (None, None)
    report, paragraphs = store.report("liuyang_2023"), store.paragraphs("liuyang_2023")
    store.delete_report("huaian_2024")
    store.replace_report(report, paragraphs, [], [], [])
    edited = [Paragraph(p.report, p.section, p.number, p.text + "新增微博账号", p.plain + "新增微博账号")
              for p in paragraphs]
    store.replace_report(report, edited, [], [], [])
    assert any(p == edited[-1] for p, _ in store.lexical_search(bigrams(edited[-1].plain), 3, ["liuyang_2023"]))
    assert store.lexical_search(bigrams("政府信息公开"), 50, ["huaian_2024"]) == []
    held, due = _index_read_back(tmp_path)
    assert held == due and len(due) > 50
    df = Counter(t for row in due.values() for t in row["terms"])
    n, stats = store.term_stats(df)
    assert stats == dict(df) and n == len(due)
    assert store._counter("lexical_tokens") == sum(row["terms"].total() for row in due.values())
    # the check above fails when a row is removed with other terms than it was indexed with
    monkeypatch.setattr(paragraphs_module, "terms", lambda p: bigrams(p.plain, simplified=True)[1:])
    store.delete_report("pingtan_2022")
    held, due = _index_read_back(tmp_path)
    assert held != due and set(held) - set(due)
    store.close()


def test_a_store_whose_lexical_index_kept_a_copy_is_converted_and_answers_the_same(sample_db, tmp_path, monkeypatch):
    """A store of the layout before (FTS5 holding each paragraph's terms as text), opened: the copy is dropped and
    every lexical search returns the same paragraphs with the same scores, term statistics equal."""
    from store import schema as schema_module

    new = Store(sample_db)
    monkeypatch.setattr(schema_module, "MIGRATIONS", MIGRATIONS[:MIGRATIONS.index(schema_module._lexical_without_copy)])
    import store.reports

    later = ("originals", "page_places")  # tables of later migrations, not there yet
    monkeypatch.setattr(store.reports, "TABLES", tuple(t for t in store.reports.TABLES if t not in later))
    old = Store(tmp_path)
    for r in new.reports():
        old.replace_report(r, new.paragraphs(r.id), new.cells(r.id), new.checks(r.id), new.findings(r.id))
    old.close()
    monkeypatch.undo()
    with sqlite3.connect(tmp_path / "reports.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM lexical_content").fetchone()[0] > 100  # the copy, before
    migrated = Store(tmp_path)
    with sqlite3.connect(tmp_path / "reports.sqlite3") as db:
        assert not db.execute("SELECT 1 FROM sqlite_schema WHERE name = 'lexical_content'").fetchall()
    ids = [r.id for r in new.reports()]
    assert_same_search(migrated, new)
    migrated.delete_report(ids[0])
    held, due = _index_read_back(tmp_path)
    assert held == due
    migrated.close()
    new.close()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from([*"ＡａＺ，（）：；　０１é\u0301\u0308\u3099ｶﾞ㈠Ⅻ丽\uf900\u2f00一龥䶵a1 ,。",
                                         *map(chr, range(0xFF00, 0xFF70, 3))]), max_size=30) | st.text(max_size=30))
def test_bigrams_normalize_as_nfkc_does(text):
    """bigrams' NFKC replaces full-width forms itself, then checks; a stored index depends on it being NFKC."""
    import unicodedata

    from store.lexical import _nfkc

    assert _nfkc(text) == unicodedata.normalize("NFKC", text)
