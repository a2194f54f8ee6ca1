"""The schema → numbered migrations, each run once and in order; `meta` holds the version and write counters."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import TYPE_CHECKING

from core.records import Cell, Check, Paragraph
from store.dialect import Database, _number
from store.lexical import PG_FUNCTIONS, _report_token, citable, counted, terms

if TYPE_CHECKING:
    from store.reports import Store

COUNTERS = ("generation", "lexical_rows", "lexical_tokens")  # rows of `meta` every writing transaction keeps
# The last characters of an agency's name, as one expression on SQLite and PostgreSQL (indexed by migration 5).
TAIL_CHARS = 6
AGENCY_TAIL = (f"CASE WHEN length(agency) > {TAIL_CHARS} THEN substr(agency, length(agency) - {TAIL_CHARS - 1}) "
               "ELSE agency END")
REPORT_COLUMNS = ("id, agency, year, title, published, source, sha256, layout, size, ingested_by, ingested_at, "
                  "source_url")
# Compact cells and checks: what every report shares (a cell's table/row/column/unit, a check's name, kind and
# rule) is stored once in a dictionary table and referenced by id; rows per report hold only what is theirs.
# Dictionary rows are found by the sha256 of their content (a unique key that fits any index, however long the
# path) and added with INSERT … ON CONFLICT DO NOTHING, so two ingesters interning the same row both get its id.
COMPACT_SCHEMA = """
    CREATE TABLE cell_keys (id {serial}, digest TEXT NOT NULL UNIQUE, tbl TEXT NOT NULL,
        row_path TEXT NOT NULL, col_path TEXT NOT NULL, unit TEXT NOT NULL);
    CREATE TABLE check_identities (id {serial}, digest TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
        kind TEXT NOT NULL, description TEXT, terms TEXT);
    CREATE TABLE check_results (report TEXT NOT NULL, identity INTEGER NOT NULL, lhs NUMERIC, rhs NUMERIC,
        status TEXT NOT NULL, description TEXT, terms TEXT, PRIMARY KEY (report, identity)) {without_rowid}
"""
# A report's cells of one table as one row (migration 7): `cells` is JSON [[cell key ids], [values], [text
# numbers]] in printed order, `texts` JSON [[sources], [notes]] of its printed rows (flat lists: a ranking parses
# one table of every report, and JSON of many small lists parses ~5× slower). A row per cell cost PostgreSQL ~130
# bytes of tuple header, text report id and primary key each (200 a report); every reader reads a report's
# table whole (a figure, a check, a ranking's one table of each report), so nothing is lost by packing it.
CELL_TABLES = ("CREATE TABLE cell_tables (report TEXT NOT NULL, tbl TEXT NOT NULL, cells TEXT NOT NULL, "
               "texts TEXT NOT NULL, PRIMARY KEY (report, tbl))")


def _compact(store: Store, cur) -> None:
    """3: compact cells and checks — today's into the compact tables, each read back as a record and written
    through the same code as a new report's."""
    for statement in [*filter(str.strip, store._ddl(COMPACT_SCHEMA).split(";")), CELL_TABLES]:
        cur.execute(statement)
    cur.execute("SELECT report, tbl, row_path, col_path, value, unit, source, note FROM cells "
                "ORDER BY report, tbl, position")
    cells = [Cell(r[0], r[1], r[2], r[3], _number(r[4]), r[5], r[6], r[7]) for r in cur.fetchall()]
    cur.execute("SELECT report, name, kind, description, lhs, rhs, left_terms, right_terms, status FROM checks")
    checks = [Check(r[0], r[1], r[2], r[3], _number(r[4]), _number(r[5]), tuple(json.loads(r[6])),
                    tuple(json.loads(r[7])), r[8]) for r in cur.fetchall()]
    for _, report_cells in groupby(cells, key=lambda c: c.report):  # ordered by report: one pass
        store._write_cells(cur, list(report_cells))
    store._write_checks(cur, checks)
    cur.execute("DROP TABLE cells")
    cur.execute("DROP TABLE checks")


def _lexical_schema(store: Store, cur) -> None:
    """4: lexical search in the store — SQLite FTS5 (bm25) or a PostgreSQL tsvector with a GIN index (until 12) and
    a table of document frequencies — over the bigrams of each citable paragraph, and the counters of `meta` (a
    generation bumped by every write; paragraphs and bigrams indexed). Stores made before get their paragraphs'
    terms here (on PostgreSQL by migration 12)."""
    if store.postgres:
        cur.execute("CREATE TABLE lexical (report TEXT NOT NULL, section TEXT NOT NULL, number INTEGER NOT NULL, "
                    "terms TSVECTOR NOT NULL, length INTEGER NOT NULL, PRIMARY KEY (report, section, number))")
        cur.execute("CREATE INDEX lexical_terms ON lexical USING GIN (terms)")
        cur.execute("CREATE TABLE lexical_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL)")
    else:  # SQLite runs DDL outside the transaction: a failed fill below must be able to run again
        cur.execute("CREATE VIRTUAL TABLE IF NOT EXISTS lexical USING fts5(terms, report, tokenize='ascii')")
        cur.execute("CREATE VIRTUAL TABLE IF NOT EXISTS lexical_vocab USING fts5vocab(lexical, col)")
        cur.execute("DELETE FROM lexical")
    cur.execute(f"DELETE FROM meta WHERE key IN {tuple(COUNTERS)}")
    cur.executemany(store._sql("INSERT INTO meta (key, value) VALUES (?, '0')"), [(k,) for k in COUNTERS])
    if store.postgres:  # PostgreSQL's terms are counted from the paragraphs by migration 12 (_lexical_expression)
        return
    cur.execute("SELECT DISTINCT report FROM paragraphs")
    for (report,) in cur.fetchall():
        cur.execute(store._sql("SELECT report, section, number, text, plain FROM paragraphs WHERE report = ? "
                               "ORDER BY position"), (report,))
        store._index(cur, [Paragraph(*r) for r in cur.fetchall()], Counter())


def _term_table(store: Store, cur) -> None:
    """6: SQLite's document frequencies in a table like PostgreSQL's (fts5vocab counted them by reading every
    posting of a bigram, which grows with the corpus), filled from the stored terms; its bigram count recounted."""
    if store.postgres:
        return
    cur.execute("CREATE TABLE IF NOT EXISTS lexical_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID")
    cur.execute("DROP TABLE IF EXISTS lexical_vocab")
    cur.execute("DELETE FROM lexical_df")
    cur.execute("SELECT terms FROM lexical")
    _write_counts(cur, counted(text.split() for (text,) in cur))  # (the cursor streams its rows)


def _write_counts(cur, total: Counter) -> None:
    """SQLite: the document frequencies and the lexical counters of `meta` set to what a fill counted
    (store.lexical.counted), into an emptied lexical_df."""
    cur.executemany("INSERT INTO lexical_df VALUES (?, ?)", sorted((t, n) for t, n in total.items() if t.strip()))
    cur.executemany("UPDATE meta SET value = ? WHERE key = ?", [(str(total[""]), "lexical_rows"),
                                                                 (str(total[" "]), "lexical_tokens")])


def _cell_tables(store: Store, cur) -> None:
    """7: a row per cell (`cell_values`, with `cell_texts`, as migration 3 wrote them until now) into a row per
    report and table, report by report; a store migrated from before 3 has the new table already."""
    if not store._has_table(cur, "cell_values"):
        return
    cur.execute(CELL_TABLES)
    cur.execute("SELECT DISTINCT report FROM cell_values ORDER BY report")
    for (report,) in cur.fetchall():
        cur.execute(store._sql(
            "SELECT c.report, k.tbl, k.row_path, k.col_path, c.value, k.unit, t.source, t.note FROM cell_values c "
            "JOIN cell_keys k ON k.id = c.cell JOIN cell_texts t ON t.report = c.report AND t.number = c.text "
            "WHERE c.report = ? ORDER BY k.tbl, c.position"), (report,))
        store._write_cells(cur, [Cell(r[0], r[1], r[2], r[3], _number(r[4]), *r[5:]) for r in cur.fetchall()])
    cur.execute("DROP TABLE cell_values")
    cur.execute("DROP TABLE cell_texts")


def _lexical_without_copy(store: Store, cur) -> None:
    """The lexical index without its own copy of the terms. SQLite: a contentless FTS5 table (content=''), filled
    from the paragraphs in one transaction (DDL included: readers see the old index until it commits), with the
    document frequencies and counters counted again; a row is removed by giving its terms back (`_unindex`).
    Rows are keyed by their paragraph's rowid, which the paragraphs table now declares (`id INTEGER PRIMARY KEY`,
    each row keeping the rowid it had): VACUUM may renumber the rowids of a table without one, and a renumbered
    paragraph would then be removed from the index with another's terms.
    PostgreSQL's copy goes by migration 12 (`_lexical_expression`)."""
    if store.postgres:
        return
    cur.execute("BEGIN")
    cur.execute("CREATE TABLE paragraphs_keyed (id INTEGER PRIMARY KEY, report TEXT NOT NULL, section TEXT NOT NULL, "
                "number INTEGER NOT NULL, text TEXT NOT NULL, plain TEXT NOT NULL, position INTEGER NOT NULL, "
                "UNIQUE (report, section, number))")
    cur.execute("INSERT INTO paragraphs_keyed SELECT rowid, report, section, number, text, plain, position "
                "FROM paragraphs")
    cur.execute("DROP TABLE paragraphs")
    cur.execute("ALTER TABLE paragraphs_keyed RENAME TO paragraphs")
    cur.execute("DROP TABLE IF EXISTS lexical")
    cur.execute("CREATE VIRTUAL TABLE lexical USING fts5(terms, report, content='', tokenize='ascii')")
    cur.execute("DELETE FROM lexical_df")
    total: Counter = Counter()
    write = store.conn.cursor()
    cur.execute("SELECT rowid, report, section, number, text, plain FROM paragraphs ORDER BY rowid")
    while batch := cur.fetchmany(1000):
        docs = [(row, p, terms(p)) for row, *r in batch for p in (Paragraph(*r),) if citable(p)]
        write.executemany("INSERT INTO lexical (rowid, terms, report) VALUES (?, ?, ?)",
                          [(row, " ".join(words), _report_token(p.report)) for row, p, words in docs])
        total.update(counted(words for _, _, words in docs))
    _write_counts(write, total)
    store._count(write)
    write.close()


def _lexical_expression(store: Store, cur) -> None:
    """12: PostgreSQL's lexical index without its own copy of the terms: the `lexical` table (a tsvector per citable
    paragraph) gives way to a GIN index over the paragraphs themselves, on the expression lexical_terms(section,
    plain) (store.lexical.PG_FUNCTIONS: the server computes what `terms` computes), and a stored column of each
    paragraph's number of terms (BM25's length; NULL: not citable). The document frequencies and the counters are
    counted again from the function, so that every later removal takes back what its row counted."""
    if not store.postgres:
        return
    cur.execute(PG_FUNCTIONS)
    cur.execute("ALTER TABLE paragraphs ADD COLUMN lexical_length INTEGER "
                "GENERATED ALWAYS AS (cardinality(lexical_terms(section, plain))) STORED")
    cur.execute("CREATE INDEX paragraphs_terms ON paragraphs USING GIN (lexical_terms(section, plain))")
    cur.execute("DELETE FROM lexical_df")
    cur.execute("INSERT INTO lexical_df (term, df) SELECT t, count(*) FROM paragraphs, "
                "LATERAL (SELECT DISTINCT t FROM unnest(lexical_terms(section, plain)) AS t) d GROUP BY t")
    cur.execute("UPDATE meta SET value = CAST(c.n AS TEXT) FROM (SELECT 'lexical_rows' AS k, count(lexical_length) "
                "AS n FROM paragraphs UNION ALL SELECT 'lexical_tokens', coalesce(sum(lexical_length), 0) "
                "FROM paragraphs) c WHERE key = c.k")
    cur.execute("DROP TABLE IF EXISTS lexical")
    store._count(cur)


CHANGES_KEPT = 20_000  # generations of the change log kept: a reader further behind reads the snapshot or everything


def _places_schema(store: Store, cur) -> None:
    """10: the original file of a report that came as a PDF (its pages are shown beside citations: rendered when
    asked, cheaper than keeping page images), and where its printed table rows and paragraphs sit on them."""
    cur.execute(store._ddl("CREATE TABLE IF NOT EXISTS originals (report TEXT PRIMARY KEY, data {blob} NOT NULL)"))
    cur.execute("CREATE TABLE IF NOT EXISTS page_places (report TEXT PRIMARY KEY, places TEXT NOT NULL)")


def _change_log(store: Store, cur) -> None:
    """11: the reports each write touched (`changes`: generation, report id), so a reader holding an older generation
    re-reads only those; `meta.changes_since`, the generation from which the log is whole (older rows are pruned);
    and `snapshots`, a reader's derived state saved under a name with its generation (qa.scope's catalog)."""
    # (IF NOT EXISTS: SQLite runs DDL outside the transaction)
    cur.execute("CREATE TABLE IF NOT EXISTS changes (generation BIGINT NOT NULL, report TEXT NOT NULL)")
    cur.execute("CREATE INDEX IF NOT EXISTS changes_generation ON changes (generation)")
    cur.execute(store._ddl("CREATE TABLE IF NOT EXISTS snapshots (name TEXT PRIMARY KEY, "
                           "generation BIGINT NOT NULL, data {blob} NOT NULL)"))
    if store.postgres:  # read whole by every new process: stored as is (compressed by pglz it read 1.5× slower)
        cur.execute("ALTER TABLE snapshots ALTER COLUMN data SET STORAGE EXTERNAL")
    cur.execute("DELETE FROM meta WHERE key = 'changes_since'")
    cur.execute("INSERT INTO meta (key, value) SELECT 'changes_since', value FROM meta WHERE key = 'generation'")


# Numbered migrations: each runs once, in order (a script, or a function of the store and a cursor).
MIGRATIONS = (
    """
    CREATE TABLE reports (id TEXT PRIMARY KEY, agency TEXT NOT NULL, year INTEGER, title TEXT NOT NULL,
        published TEXT, source TEXT NOT NULL, sha256 TEXT NOT NULL, layout TEXT NOT NULL);
    CREATE TABLE paragraphs (report TEXT NOT NULL, section TEXT NOT NULL, number INTEGER NOT NULL,
        text TEXT NOT NULL, plain TEXT NOT NULL, position INTEGER NOT NULL,
        PRIMARY KEY (report, section, number));
    CREATE TABLE cells (report TEXT NOT NULL, tbl TEXT NOT NULL, row_path TEXT NOT NULL, col_path TEXT NOT NULL,
        value NUMERIC, unit TEXT NOT NULL, source TEXT NOT NULL, note TEXT NOT NULL, position INTEGER NOT NULL,
        PRIMARY KEY (report, tbl, row_path, col_path));
    CREATE TABLE checks (report TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, description TEXT NOT NULL,
        lhs NUMERIC, rhs NUMERIC, left_terms TEXT NOT NULL, right_terms TEXT NOT NULL, status TEXT NOT NULL,
        PRIMARY KEY (report, name));
    CREATE TABLE findings (report TEXT NOT NULL, place TEXT NOT NULL, message TEXT NOT NULL, position INTEGER NOT NULL);
    CREATE INDEX cells_row ON cells (tbl, row_path, col_path);
    """,
    # 2: provenance of each report, and the audit log of every change (who, what, when, before/after hash)
    """
    ALTER TABLE reports ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE reports ADD COLUMN ingested_by TEXT NOT NULL DEFAULT '';
    ALTER TABLE reports ADD COLUMN ingested_at TEXT NOT NULL DEFAULT '';
    ALTER TABLE reports ADD COLUMN source_url TEXT NOT NULL DEFAULT '';
    CREATE TABLE audit (at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL, report TEXT NOT NULL,
        file TEXT NOT NULL, before_sha256 TEXT NOT NULL, after_sha256 TEXT NOT NULL, detail TEXT NOT NULL);
    CREATE INDEX audit_at ON audit (at);
    """,
    _compact,  # 3
    _lexical_schema,  # 4
    # 5: reports found by agency, and by the end of the agency's name (a fuller name of one agency), by index
    f"""
    CREATE INDEX reports_agency ON reports (agency);
    CREATE INDEX reports_agency_tail ON reports (({AGENCY_TAIL}));
    """,
    _term_table,  # 6
    _cell_tables,  # 7
    # 8: the open checks (failed or undecided) found without reading every check: a few among thousands a report
    "CREATE INDEX check_results_open ON check_results (report, status) WHERE status != 'pass'",
    _lexical_without_copy,  # 9
    _places_schema,  # 10
    _change_log,  # 11
    _lexical_expression,  # 12
)


class SchemaMixin(Database):
    """The schema brought up to date when the store opens it, and the counters it keeps in `meta`."""

    def _migrate(self) -> None:
        """Run the migrations not run yet, under the migration lock (`Database._migration_lock`)."""
        with self._migration_lock():
            with self._transaction() as cur:
                cur.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            version = int((self._rows("SELECT value FROM meta WHERE key = 'schema'") or [("0",)])[0][0])
            self.schema = version  # what the next migration builds on (`_index` writes SQLite's lexical_df from 6)
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                with self._transaction() as cur:
                    if callable(script):
                        script(self, cur)
                    else:
                        for statement in filter(str.strip, script.split(";")):
                            cur.execute(statement)
                    cur.execute(self._sql("DELETE FROM meta WHERE key = 'schema'"))
                    cur.execute(self._sql("INSERT INTO meta (key, value) VALUES ('schema', ?)"), (str(number),))
                self.schema = number

    def generation(self) -> int:
        """A number every writing transaction changes: readers cache what they derive from the reports under it."""
        return self._counter("generation")

    def _counter(self, key: str) -> int:
        """One of COUNTERS, as the last committed transaction left it."""
        return int(self._rows("SELECT value FROM meta WHERE key = ?", (key,))[0][0])

    def _count(self, cur, rows: int = 0, tokens: int = 0, touched: Iterable[str] = ()) -> None:
        """Bump the generation (every writing transaction does), move the lexical counters, and log the reports
        this transaction added, replaced, removed or renamed under the new generation (pruning the oldest)."""
        for key, step in zip(COUNTERS, (1, rows, tokens), strict=True):
            cur.execute(self._sql("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + ? AS TEXT) WHERE key = ?"),
                        (step, key))
        touched = sorted(set(touched))
        if not touched or _change_log not in MIGRATIONS[:self.schema]:  # (a migration before the log's)
            return
        # read back inside this transaction, which holds the generation's row: two writers never share a number
        cur.execute(self._sql("SELECT value FROM meta WHERE key = 'generation'"))
        generation = int(cur.fetchone()[0])
        self._insert(cur, "changes", [(generation, report) for report in touched])
        kept = generation - CHANGES_KEPT
        cur.execute(self._sql("UPDATE meta SET value = CAST(? AS TEXT) WHERE key = 'changes_since' "
                              "AND CAST(value AS BIGINT) < ?"), (kept, kept))
        if cur.rowcount:
            cur.execute(self._sql("DELETE FROM changes WHERE generation <= ?"), (kept,))

    def changes_after(self, generation: int) -> tuple[int, list[str]] | None:
        """The store's generation now and the ids of the reports written since `generation` (added, replaced,
        removed, renamed: each once); None when the log no longer reaches back that far (read everything)."""
        rows = self._rows("SELECT key, value FROM meta WHERE key IN ('generation', 'changes_since')")
        meta = {k: int(v) for k, v in rows}
        if generation < meta["changes_since"]:
            return None
        ids = self._rows("SELECT DISTINCT report FROM changes WHERE generation > ? AND generation <= ?",
                         (generation, meta["generation"]))
        return meta["generation"], sorted(r[0] for r in ids)

    def snapshot(self, name: str) -> tuple[int, bytes] | None:
        """A reader's state saved under `name` (`save_snapshot`) with the generation it reflects; None if none."""
        rows = self._rows("SELECT generation, data FROM snapshots WHERE name = ?", (name,), binary=True)
        return (int(rows[0][0]), bytes(rows[0][1])) if rows else None

    def snapshot_generation(self, name: str) -> int | None:
        """The generation of the snapshot saved under `name` (its data not read); None if none."""
        rows = self._rows("SELECT generation FROM snapshots WHERE name = ?", (name,))
        return int(rows[0][0]) if rows else None

    def save_snapshot(self, name: str, generation: int, data: bytes | Sequence[bytes]) -> None:
        """Keep a reader's derived state (no report changes: the generation stays); an older one never replaces a
        newer one another process saved meanwhile (one of the same generation is replaced: it may be of an
        older layout). Written on a connection of its own (`_own_transaction`): the shared one stays free.

        `data` may come in pieces (the stored value is them joined): SQLite writes them one by one into the row
        (blob I/O, the GIL given up during each), so a background save never copies tens of megabytes at once;
        PostgreSQL sends them joined."""
        pieces = [data] if isinstance(data, bytes | bytearray) else data
        upsert = self._sql("INSERT INTO snapshots (name, generation, data) VALUES (?, ?, {value}) "
                           "ON CONFLICT (name) DO UPDATE SET generation = excluded.generation, "
                           "data = excluded.data WHERE snapshots.generation <= excluded.generation")
        with self._own_transaction() as cur:
            if self.postgres:
                cur.execute(upsert.format(value=self.mark), (name, generation, b"".join(pieces)))
                return
            cur.execute(upsert.format(value="zeroblob(?)"), (name, generation, sum(map(len, pieces))))
            if not cur.rowcount:  # a newer one is there
                return
            (rowid,), = cur.execute("SELECT rowid FROM snapshots WHERE name = ?", (name,)).fetchall()
            with cur.connection.blobopen("snapshots", "data", rowid) as blob:
                for piece in pieces:
                    blob.write(piece)
