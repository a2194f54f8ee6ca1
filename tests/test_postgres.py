"""The same store on a real PostgreSQL server (a throwaway cluster started by the test) via DATABASE_URL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from store import Store, open_store
from store.schema import MIGRATIONS
from tests.conftest import SAMPLES


def test_pipeline_on_postgres_gives_the_same_records(pg_url, tmp_path, monkeypatch, embedder):
    from ingest.index.vectors import NarrativeIndex
    from ingest.pipeline import ingest_paths

    lite = Store(tmp_path / "lite")
    ingest_paths([SAMPLES / "liuyang_2023.txt"], lite, NarrativeIndex(tmp_path / "lite", embedder))
    monkeypatch.setenv("DATABASE_URL", pg_url)
    pg = open_store(tmp_path / "pg")  # the URL wins over the folder; callers change nothing
    assert pg.url == pg_url
    outcomes = ingest_paths([SAMPLES / "liuyang_2023.txt"], pg, NarrativeIndex(tmp_path / "pg", embedder))
    assert outcomes[0].status == "ingested"
    def same(r):  # ingested at another second
        return replace(r, ingested_at=r.ingested_at[:4])

    assert [same(r) for r in pg.reports()] == [same(r) for r in lite.reports()]
    audit = [(e.action, e.report, e.after_sha256) for e in pg.audit_log()]
    assert audit == [("add", "liuyang_2023", pg.reports()[0].sha256)]
    assert pg.cells() == lite.cells() and len(pg.cells()) == 200
    assert pg.checks() == lite.checks()
    assert pg.paragraphs() == lite.paragraphs()
    assert pg.cells(row="一、本年新收政府信息公开申请数量", column="总计")[0].value == 224
    again = ingest_paths([SAMPLES / "liuyang_2023.txt"], pg, NarrativeIndex(tmp_path / "pg", embedder))
    assert again[0].status == "unchanged"
    pg.delete_report("liuyang_2023")
    assert pg.reports() == [] and pg.cells() == []


def test_a_postgres_store_of_the_previous_schema_reads_back_every_cell_and_check(pg_url, sample_db):
    import uuid

    import psycopg

    from tests.test_store import old_store

    lite = Store(sample_db)
    cells, checks = lite.cells(), lite.checks()
    name = f"migrate_{uuid.uuid4().hex[:8]}"  # a database of its own: the old schema beside no other test's
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = pg_url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(url) as conn:
        old_store(conn, "%s", lite.reports(), cells, checks)
    pg = Store(url=url)
    assert pg.cells() == cells and pg.checks() == checks
    assert pg.problems() == lite.problems()
    pg.delete_report("liuyang_2023")
    assert pg.cells(report="liuyang_2023") == [] and pg.checks(report="liuyang_2023") == []
    assert len(pg.cells()) == len(cells) - 200


def row_per_cell_database(pg_url: str, lite: Store) -> str:
    """A database of its own on the cluster holding `lite`'s records as migrations 3-6 left them (a row per cell)."""
    import uuid

    import psycopg

    from tests.test_store import row_per_cell

    name = f"cells_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = pg_url.rsplit("/", 1)[0] + f"/{name}"
    pg = Store(url=url)
    for r in lite.reports():
        pg.replace_report(r, lite.paragraphs(r.id), lite.cells(r.id), lite.checks(r.id), lite.findings(r.id))
    pg.close()
    with psycopg.connect(url) as conn:
        row_per_cell(conn, "%s")
    return url


def test_a_postgres_store_with_a_row_per_cell_reads_back_every_cell_after_migration_7(pg_url, sample_db):
    lite = Store(sample_db)
    cells = lite.cells()
    pg = Store(url=row_per_cell_database(pg_url, lite))
    assert pg.cells() == cells and pg.checks() == lite.checks()
    assert pg.cells(report="liuyang_2023", table="三", row="一、本年新收政府信息公开申请数量",
                    column="总计")[0].value == 224
    assert pg.schema == len(MIGRATIONS)
    assert not pg._rows("SELECT 1 FROM information_schema.tables WHERE table_name = 'cell_values'")


def test_cells_across_reports_and_a_ranking_read_the_same_on_postgres(sample_pg, sample_db):
    from qa.answer import Answerer

    lite, pg = Store(sample_db), Store(url=sample_pg)
    ids = [r.id for r in lite.reports()]
    rows, columns = ["一、本年新收政府信息公开申请数量", "三、本年度办理结果/（一）予以公开"], ["总计", "自然人"]
    def key(c):
        return (c.report, c.row, c.column)

    assert sorted(pg.cells_across("三", rows, columns, ids), key=key) == sorted(
        lite.cells_across("三", rows, columns, ids), key=key) != []
    assert pg.cells_across("三", rows, columns, ids[:1]) == lite.cells_across("三", rows, columns, ids[:1])
    question = "哪个机关收到的政府信息公开申请最多？"
    assert Answerer(pg, None).ask(question)[0].text == Answerer(lite, None).ask(question)[0].text


def test_the_problem_list_and_its_counts_read_the_same_on_postgres(sample_pg, sample_db):
    """Ordered and counted in SQL: the same rows in the same (code point) order as SQLite's, the same reports."""
    lite, pg = Store(sample_db), Store(url=sample_pg)
    ids = [r.id for r in lite.reports()]
    assert pg.problems() == lite.problems() and pg.problems(limit=4) == lite.problems()[:4]
    assert pg.problem_counts() == lite.problem_counts() and lite.problem_counts()[1] > 0
    assert pg.problem_counts(year=2024, kind="identity") == lite.problem_counts(year=2024, kind="identity")
    assert pg.open_reports(ids) == lite.open_reports(ids) and True in lite.open_reports(ids).values()


def test_a_reading_replica_holds_no_transaction_or_lock_open(sample_pg):
    """An idle transaction behind each read would keep its tables locked (another process's migration waits on
    it forever) and its snapshot would keep VACUUM from cleaning up; a failed write still rolls back whole."""
    import psycopg

    from core.errors import ReportError
    from core.records import Cell

    pg = Store(url=sample_pg)
    report = pg.reports()[0]
    before = pg.cells(report=report.id)
    assert before
    with psycopg.connect(sample_pg, autocommit=True) as other:
        state, = other.execute("SELECT state FROM pg_stat_activity WHERE pid = %s", (pg.conn.info.backend_pid,)
                               ).fetchone()
        locks = other.execute("SELECT relation::regclass::text FROM pg_locks WHERE pid = %s AND relation IS NOT NULL",
                              (pg.conn.info.backend_pid,)).fetchall()
    assert state == "idle" and locks == []
    twice = [Cell(report.id, "三", "新行", "新列", 1, "件"), Cell(report.id, "三", "新行", "新列", 2, "件")]
    with pytest.raises(ReportError):
        pg.replace_report(report, [], twice, [], [])
    assert Store(url=sample_pg).cells(report=report.id) == before


def test_processes_opening_an_old_postgres_store_together_migrate_it_once(pg_url, sample_db):
    """Replicas and ingesters started at once over a store of the previous schema: one migrates, the others wait
    for it and find the work done (without a guard each ran migration 7 and all but one failed)."""
    import threading

    lite = Store(sample_db)
    url = row_per_cell_database(pg_url, lite)
    start, opened, failed = threading.Barrier(3), [], []

    def open_store() -> None:
        start.wait()
        try:
            opened.append(Store(url=url))
        except Exception as e:  # noqa: BLE001 - the test reports what went wrong
            failed.append(e)

    threads = [threading.Thread(target=open_store) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failed == [] and len(opened) == 3
    assert all(s.schema == len(MIGRATIONS) for s in opened) and opened[0].cells() == lite.cells()


def test_postgres_lexical_rows_hold_each_stored_paragraphs_terms_after_deletes_and_replaces(pg_url, sample_db):
    """PostgreSQL keeps a tsvector per citable paragraph (its only other copy of the text's bigrams: see
    schema._lexical_without_copy): after removals and replacements each equals the paragraph's terms computed
    again, none is left of a removed report, and the document frequencies and counters are exact."""
    import uuid
    from collections import Counter

    import psycopg

    from core.records import Paragraph
    from store.lexical import bigrams, citable, terms
    from store.paragraphs import _tsvector

    lite = Store(sample_db)
    name = f"lexical_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    pg = Store(url=pg_url.rsplit("/", 1)[0] + f"/{name}")
    for r in lite.reports():
        pg.replace_report(r, lite.paragraphs(r.id), [], [], [])
    report, paragraphs = lite.report("liuyang_2023"), lite.paragraphs("liuyang_2023")
    pg.delete_report("huaian_2024")
    edited = [Paragraph(p.report, p.section, p.number, p.text + "新增微博账号", p.plain + "新增微博账号")
              for p in paragraphs]
    pg.replace_report(report, edited, [], [], [])
    pg.replace_report(report, edited, [], [], [])
    held = {(r, s, n): (v, length) for r, s, n, v, length in pg._rows(
        "SELECT report, section, number, terms::text, length FROM lexical")}
    due = {(p.report, p.section, p.number): terms(p) for p in pg.paragraphs() if citable(p)}
    assert {k: pg._rows("SELECT ?::tsvector::text", (_tsvector(t),))[0][0] for k, t in due.items()} == {
        k: v for k, (v, _) in held.items()} and len(due) > 50
    assert all(held[k][1] == len(t) for k, t in due.items())
    df = Counter(w for t in due.values() for w in set(t))
    assert pg.term_stats(df) == (len(due), dict(df))
    assert pg._counter("lexical_tokens") == sum(map(len, due.values()))
    assert [p for p, _ in pg.lexical_search(bigrams("新增微博账号"), 1, ["liuyang_2023"])][0].report == "liuyang_2023"
    pg.close()
    lite.close()
