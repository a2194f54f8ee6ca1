"""The same store on a real PostgreSQL server (a throwaway cluster started by the test) via DATABASE_URL."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from core.settings import ROOT
from store import Store, open_store
from store.schema import MIGRATIONS
from tests.conftest import SAMPLES
from tests.test_store import assert_same_search


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


def _database(pg_url: str, prefix: str) -> str:
    """The URL of a new database of its own on the throwaway cluster."""
    import uuid

    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return pg_url.rsplit("/", 1)[0] + f"/{name}"


def _server_disagrees(pg: Store, paragraphs: list) -> list:
    """The paragraphs whose terms the server computes otherwise than store.lexical.terms (None: not citable), or
    counts otherwise (each term's frequency as the search counts it in lexical_text, and the stored length)."""
    from collections import Counter

    from store.lexical import citable, pg_count, terms

    sections, plains = [p.section for p in paragraphs], [p.plain for p in paragraphs]
    server = [r[0] for r in pg._rows("SELECT lexical_terms(s, p) FROM unnest(?::text[], ?::text[]) WITH ORDINALITY "
                                     "AS x (s, p, i) ORDER BY i", (sections, plains))]
    due = [terms(p) if citable(p) else None for p in paragraphs]
    wrong = [p for p, mine, theirs in zip(paragraphs, due, server, strict=True) if mine != theirs]
    pairs = [(i, t, n) for i, words in enumerate(due) for t, n in Counter(words or []).items()]
    counted = pg._rows(
        "SELECT CASE WHEN c IS NULL THEN (char_length(d) - char_length(replace(d, t, ''))) / 2 ELSE regexp_count(d, c) "
        "END FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS x (s, p, t, c, i), "
        "LATERAL (SELECT lexical_text(s, p) AS d) y ORDER BY i",
        ([sections[i] for i, _, _ in pairs], [plains[i] for i, _, _ in pairs], [t for _, t, _ in pairs],
         [pg_count(t) for _, t, _ in pairs]))
    return wrong + [paragraphs[i] for (i, _, n), (got,) in zip(pairs, counted, strict=True) if got != n]


def test_the_servers_terms_equal_pythons_on_every_real_paragraph_code_point_and_adversarial_text(pg_url):
    """PostgreSQL indexes lexical_terms(section, plain), computed by the server (store.lexical.PG_FUNCTIONS), and
    counts a term's frequency in lexical_text: both must equal store.lexical.terms — on every paragraph of the 14
    real reports (written through the real parser and store, whose stored length must agree too), on every code
    point, and on text built to break it (full width, compatibility and combining characters, the outline
    sentence, a title line, latin mixed in)."""
    import random

    from core.records import Paragraph
    from core.template import PREAMBLE
    from ingest.pipeline import Outcome, prepare
    from store.lexical import _plain_chars, citable, terms

    pg = Store(url=_database(pg_url, "terms"))
    # the 14 real reports, as the repo holds them: the eight samples and the six department pages
    for path in sorted(SAMPLES.glob("*.txt")) + sorted((ROOT / "tests" / "fixtures" / "departments").glob("*.txt")):
        prepared = prepare(path, pg)
        assert not isinstance(prepared, Outcome), path
        pg.replace_report(prepared.report, list(prepared.paragraphs), [], [], [])
    real = pg.paragraphs()
    assert len({p.report for p in real}) == 14 and len(real) > 150
    assert _server_disagrees(pg, real) == []
    stored = dict(((r, s, n), length) for r, s, n, length in pg._rows(
        "SELECT report, section, number, lexical_length FROM paragraphs"))
    assert {(p.report, p.section, p.number): len(terms(p)) if citable(p) else None for p in real} == stored
    points = [chr(c) for c in range(1, 0x110000) if not 0xD800 <= c < 0xE000]
    texts = ["".join(points[i:i + 97]) for i in range(0, len(points), 97)]  # every code point, among neighbours
    plain = [chr(c) for a, b in re.findall(r"\\u([0-9a-f]{4})(?:-\\u([0-9a-f]{4}))?", _plain_chars())
             for c in range(int(a, 16), int(b or a, 16) + 1)]  # the characters the server need not normalize
    assert len(plain) > 300 and "]" in plain and "\\" in plain and "，" in plain
    pool = ["，", "。", "；", "Ａ", "ａ", "Ｚ", "İ", "K", "ﬁ", "é", "e\u0301", "\u0308", "\u3099", "ｶﾞ",
            "㈠", "Ⅻ", "㎏", "℃", "丽", "\uf900", "\u2f00", "\u2e9f", "一", "龥", "䶵", "\u4db5", "\u9fff",
            "\U00020000", "😀", "政", "务", "公开", "信息", "a", "Z", "1", " ", "\n", "/", "总体情况",
            "其他需要报告的事项", "戶", "說", "經濟"]
    rng = random.Random(21)
    texts += ["".join(rng.choices(pool, k=rng.randint(0, 40))) for _ in range(2000)]
    texts += ["".join(rng.choices([*plain, "政", "务", "公开", "A", "z"], k=rng.randint(0, 40))) for _ in range(2000)]
    texts += ["", "。", "ＡＢＣ政府ｄｅｆ", "ＧＤＰ增长", "İstanbul市", "微信公众号WeChat", "㐀㐁", "一", "一 二",
              "本报告由总体情况、主动公开、其他需要报告的事项组成。正文", "总体情况其他需要报告的事项", "前言标题",
              "常常常", "的的", "Ａ\u0301政府", "😀政务😀公开"]
    sections = [PREAMBLE, "一、总体情况", "一、总体情况/（二）依申请公开", "Ａ/ｂ"]
    made = [Paragraph("x", sections[i % len(sections)], i, t, t) for i, t in enumerate(texts)]
    assert _server_disagrees(pg, made) == []
    pg.close()


def test_postgres_lexical_index_follows_the_stored_paragraphs_after_deletes_and_replaces(pg_url, sample_db):
    """PostgreSQL keeps no copy of the terms (schema._lexical_expression): after removals and replacements the
    document frequencies and counters equal those of the stored paragraphs' terms computed again, the GIN index
    finds a new bigram, and no table of terms is left."""
    from collections import Counter

    from core.records import Paragraph
    from store.lexical import bigrams, citable, terms

    lite = Store(sample_db)
    pg = Store(url=_database(pg_url, "lexical"))
    for r in lite.reports():
        pg.replace_report(r, lite.paragraphs(r.id), [], [], [])
    report, paragraphs = lite.report("liuyang_2023"), lite.paragraphs("liuyang_2023")
    pg.delete_report("huaian_2024")
    edited = [Paragraph(p.report, p.section, p.number, p.text + "新增微博账号", p.plain + "新增微博账号")
              for p in paragraphs]
    pg.replace_report(report, edited, [], [], [])
    pg.replace_report(report, edited, [], [], [])
    due = {(p.report, p.section, p.number): terms(p) for p in pg.paragraphs() if citable(p)}
    assert len(due) > 50
    df = Counter(w for t in due.values() for w in set(t))
    assert pg.term_stats(df) == (len(due), dict(df))
    assert pg._rows("SELECT count(*) FROM lexical_df WHERE df > 0")[0][0] == len(df)
    assert pg._counter("lexical_tokens") == sum(map(len, due.values()))
    assert not pg._rows("SELECT 1 FROM information_schema.tables WHERE table_name = 'lexical'")
    found = pg.lexical_search(bigrams("新增微博账号"), 3)
    assert found and all(p.report == "liuyang_2023" for p, _ in found)
    assert [p for p, _ in pg.lexical_search(bigrams("新增微博账号"), 1, ["liuyang_2023"])][0].report == "liuyang_2023"
    pg.close()
    lite.close()


def _as_schema_11(url: str) -> None:
    """Turn a store of this schema back into what schema 11 left on PostgreSQL: a `lexical` table holding each
    citable paragraph's terms as a tsvector with positions (and their number), with its GIN index, term statistics
    counted by Python, and no expression index, length column or functions."""
    from collections import Counter

    import psycopg

    from core.records import Paragraph
    from store.lexical import citable, terms

    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT report, section, number, text, plain FROM paragraphs").fetchall()
        docs = [(p, terms(p)) for p in (Paragraph(*r) for r in rows) if citable(p)]
        conn.execute("DROP INDEX paragraphs_terms")
        conn.execute("ALTER TABLE paragraphs DROP COLUMN lexical_length")
        conn.execute("DROP FUNCTION lexical_terms(TEXT, TEXT)")
        conn.execute("DROP FUNCTION lexical_text(TEXT, TEXT)")
        conn.execute("CREATE TABLE lexical (report TEXT NOT NULL, section TEXT NOT NULL, number INTEGER NOT NULL, "
                     "terms TSVECTOR NOT NULL, length INTEGER NOT NULL, PRIMARY KEY (report, section, number))")
        conn.execute("CREATE INDEX lexical_terms ON lexical USING GIN (terms)")
        for p, words in docs:  # the tsvector as the code before wrote it: each bigram with its positions
            at: dict[str, list[int]] = {}
            for i, w in enumerate(words, start=1):
                at.setdefault(w, []).append(i)
            vector = " ".join(f"'{w}':{','.join(map(str, q[:256]))}" for w, q in at.items())
            conn.execute("INSERT INTO lexical VALUES (%s, %s, %s, %s::tsvector, %s)",
                         (p.report, p.section, p.number, vector, len(words)))
        df = Counter(w for _, words in docs for w in set(words))
        conn.execute("DELETE FROM lexical_df")
        conn.execute("INSERT INTO lexical_df SELECT * FROM unnest(%s::text[], %s::int[])",
                     (list(df), list(df.values())))
        for key, value in (("lexical_rows", len(docs)), ("lexical_tokens", sum(len(w) for _, w in docs)),
                           ("schema", 11)):
            conn.execute("UPDATE meta SET value = %s WHERE key = %s", (str(value), key))


def test_a_postgres_store_of_schema_11_loses_its_copy_of_the_terms_and_answers_the_same(pg_url, sample_db):
    """A store whose `lexical` table held every paragraph's terms (schema 11), opened: the table is gone, the
    paragraphs are indexed by expression, and every search returns the same paragraphs and scores, with the same
    term statistics, as a store written by this code; a removal after keeps the statistics exact."""
    import psycopg


    lite = Store(sample_db)
    new_url, old_url = _database(pg_url, "fresh"), _database(pg_url, "old")
    new, old = Store(url=new_url), Store(url=old_url)
    for r in lite.reports():
        for store in (new, old):
            store.replace_report(r, lite.paragraphs(r.id), [], [], [])
    old.close()
    _as_schema_11(old_url)
    with psycopg.connect(old_url) as conn:
        assert conn.execute("SELECT count(*) FROM lexical").fetchone()[0] > 50
    migrated = Store(url=old_url)
    assert migrated.schema == len(MIGRATIONS)
    assert not migrated._rows("SELECT 1 FROM information_schema.tables WHERE table_name = 'lexical'")
    assert_same_search(migrated, new)
    first = new.reports()[0].id
    for store in (migrated, new):
        store.delete_report(first)
    counters = ("lexical_rows", "lexical_tokens")
    assert migrated._rows("SELECT term, df FROM lexical_df WHERE df > 0 ORDER BY term") == new._rows(
        "SELECT term, df FROM lexical_df WHERE df > 0 ORDER BY term")
    assert [migrated._counter(k) for k in counters] == [new._counter(k) for k in counters]
    for store in (migrated, new, lite):
        store.close()
