"""Records ⇄ the database: the one module that owns the schema (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

import fcntl
import hashlib
import json
import math
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from itertools import groupby
from pathlib import Path

from core.errors import ReportError
from core.records import AuditEntry, Cell, Check, Finding, Paragraph, Report
from store.lexical import citable, terms

K1, B = 1.2, 0.75  # BM25 constants (SQLite's FTS5 bm25() uses the same)
COUNTERS = ("generation", "lexical_rows", "lexical_tokens")  # rows of `meta` every writing transaction keeps


def _lexical_schema(store: Store, cur) -> None:
    """4: lexical search in the store — SQLite FTS5 (bm25) or a PostgreSQL tsvector with a GIN index and a table
    of document frequencies — over the bigrams of each citable paragraph, and the counters of `meta` (a generation
    bumped by every write; paragraphs and bigrams indexed). Stores made before get their paragraphs' terms here."""
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
    cur.execute("SELECT DISTINCT report FROM paragraphs")
    for (report,) in cur.fetchall():
        cur.execute(store._sql("SELECT report, section, number, text, plain FROM paragraphs WHERE report = ? "
                               "ORDER BY position"), (report,))
        store._index(cur, [Paragraph(*r) for r in cur.fetchall()], Counter())

# The last characters of an agency's name, as one expression on SQLite and PostgreSQL (indexed by migration 5).
TAIL_CHARS = 6
AGENCY_TAIL = (f"CASE WHEN length(agency) > {TAIL_CHARS} THEN substr(agency, length(agency) - {TAIL_CHARS - 1}) "
               "ELSE agency END")


def _term_table(store: Store, cur) -> None:
    """6: SQLite's document frequencies in a table like PostgreSQL's (fts5vocab counted them by reading every
    posting of a bigram, which grows with the corpus), filled from the stored terms; its bigram count recounted."""
    if store.postgres:
        return
    cur.execute("CREATE TABLE IF NOT EXISTS lexical_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID")
    cur.execute("DROP TABLE IF EXISTS lexical_vocab")
    cur.execute("DELETE FROM lexical_df")
    df: Counter = Counter()
    rows = tokens = 0
    cur.execute("SELECT terms FROM lexical")
    while batch := cur.fetchmany(1000):
        for (text,) in batch:
            words = text.split()
            df.update(set(words))
            rows, tokens = rows + 1, tokens + len(words)
    cur.executemany("INSERT INTO lexical_df VALUES (?, ?)", sorted(df.items()))
    cur.executemany("UPDATE meta SET value = ? WHERE key = ?", [(str(rows), "lexical_rows"),
                                                                 (str(tokens), "lexical_tokens")])


MIGRATION_LOCK = 7_265_706  # PostgreSQL advisory lock key held while a process migrates the schema
# Numbered migrations: each runs once, in order; the version lives in the table `meta`.
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
    # 3: compact cells and checks (a function: it rewrites every stored cell and check)
    lambda store, cur: store._compact(cur),
    _lexical_schema,  # 4
    # 5: reports found by agency, and by the end of the agency's name (a fuller name of one agency), by index
    f"""
    CREATE INDEX reports_agency ON reports (agency);
    CREATE INDEX reports_agency_tail ON reports (({AGENCY_TAIL}));
    """,
    _term_table,  # 6
    lambda store, cur: store._cell_tables(cur),  # 7
    # 8: the open checks (failed or undecided) found without reading every check: a few among thousands a report
    "CREATE INDEX check_results_open ON check_results (report, status) WHERE status != 'pass'",
)
TABLES = ("findings", "check_results", "cell_tables", "paragraphs", "reports")
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
# Check kinds whose description quotes the report's own text (a sentence, a printed amount): kept per report.
QUOTING_KINDS = ("narrative", "conflict", "unit")
_CHECK_FROM = " FROM check_results c JOIN check_identities i ON i.id = c.identity"
_CHECK_COLUMNS = ("c.report, i.name, i.kind, COALESCE(c.description, i.description), c.lhs, c.rhs, "
                  "COALESCE(c.terms, i.terms), c.status" + _CHECK_FROM)
REPORT_COLUMNS = ("id, agency, year, title, published, source, sha256, layout, size, ingested_by, ingested_at, "
                  "source_url")
AUDIT_COLUMNS = "at, who, action, report, file, before_sha256, after_sha256, detail"


def _database_errors() -> tuple[type[Exception], ...]:
    try:
        import psycopg  # optional: only with DATABASE_URL

        return (sqlite3.Error, psycopg.Error)
    except ImportError:
        return (sqlite3.Error,)


# What a database driver raises: callers turn it into a message a user can act on, never show it as is.
DATABASE_ERRORS = _database_errors()


class Store:
    """Reports, paragraphs, cells, checks and findings. Callers never write SQL."""

    def __init__(self, folder: Path | str | None = None, url: str = "") -> None:
        self.url = url
        # dictionary ids already known (content → id), per dictionary table: ids never change once committed
        self._ids: dict[str, dict[tuple, int]] = {"cell_keys": {}, "check_identities": {}}
        self._key_of: dict[int, tuple[str, str, str, str]] = {}  # the reverse for cell keys, as read
        # one connection may serve several threads (Streamlit sessions): one statement or transaction at a time
        self._lock = threading.RLock()
        if url.startswith(("postgres://", "postgresql://")):
            import psycopg  # optional: only with DATABASE_URL

            # autocommit: a read is one statement, not a transaction left open behind it (an idle transaction
            # holds its tables' locks, blocking another process's migration, and keeps VACUUM from cleaning up)
            self.conn = psycopg.connect(url, autocommit=True)
            self.mark = "%s"
        else:
            if folder is None:
                raise ReportError("no database folder given", "pass --db DIR or set REPORTS_DB")
            Path(folder).mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(Path(folder) / "reports.sqlite3", timeout=30, check_same_thread=False)
            self.conn.execute("PRAGMA journal_mode=WAL")  # readers never see a half-written report
            self.mark = "?"
            # processes opening one fresh folder together (parallel ingesters) migrate one at a time: SQLite runs
            # DDL outside transactions, so two would both see the old version and both apply the same script
            with open(Path(folder) / "reports.migrate.lock", "w", encoding="utf-8") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                self._migrate()
            return
        self._migrate()

    # ---- plumbing ----
    @property
    def postgres(self) -> bool:
        return self.mark == "%s"

    def _sql(self, sql: str) -> str:
        return sql.replace("?", self.mark)

    def _rows(self, sql: str, args: Iterable = ()) -> list[tuple]:
        with self._lock:
            cur = self.conn.cursor()
            cur.execute(self._sql(sql), tuple(args))
            rows = cur.fetchall()
            cur.close()
            return rows

    @contextmanager
    def _transaction(self) -> Iterator:
        with self._lock:
            cur = self.conn.cursor()
            try:
                if self.postgres:
                    cur.execute("BEGIN")
                yield cur
                self.conn.commit()
            except BaseException:
                self.conn.rollback()
                raise
            finally:
                cur.close()

    def _migrate(self) -> None:
        """Bring the schema up to date; on PostgreSQL under an advisory lock, so that processes opening one database
        together (replicas, ingesters) migrate one at a time and the later ones find the work done."""
        if not self.postgres:  # SQLite: under the folder's file lock (__init__)
            self._upgrade()
            return
        self._rows("SELECT pg_advisory_lock(?)", (MIGRATION_LOCK,))
        try:
            self._upgrade()
        finally:
            self._rows("SELECT pg_advisory_unlock(?)", (MIGRATION_LOCK,))

    def _upgrade(self) -> None:
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

    def close(self) -> None:
        self.conn.close()

    # ---- writing ----
    def replace_report(self, report: Report, paragraphs: list[Paragraph], cells: list[Cell],
                       checks: list[Check], findings: list[Finding], audit: AuditEntry | None = None) -> None:
        """Write a report and everything parsed from it in one transaction, replacing any earlier version;
        `audit` is logged in the same transaction (no change without its record, no record without the change)."""
        with self._transaction() as cur:
            gone = self._unindex(cur, report.id)
            for table in TABLES:
                cur.execute(self._sql(f"DELETE FROM {table} WHERE {'id' if table == 'reports' else 'report'} = ?"),
                            (report.id,))
            cur.execute(self._sql(f"INSERT INTO reports ({REPORT_COLUMNS}) VALUES "
                                  "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                        (report.id, report.agency, report.year, report.title, report.published, report.source,
                         report.sha256, report.layout, report.size, report.ingested_by, report.ingested_at,
                         report.source_url))
            self._insert(cur, "paragraphs", [(p.report, p.section, p.number, p.text, p.plain, i)
                                             for i, p in enumerate(paragraphs)])
            self._index(cur, paragraphs, gone)
            fresh = self._write_cells(cur, cells) | self._write_checks(cur, checks)
            self._insert(cur, "findings", [(f.report, f.where, f.message, i) for i, f in enumerate(findings)])
            if audit is not None:
                self._log(cur, audit)
        self._remember(fresh)

    def replace_checks(self, report: str, kinds: Iterable[str], checks: list[Check]) -> None:
        """Replace a report's checks of some kinds (the cross-year ones, recomputed when a neighbour changes)."""
        kinds = tuple(kinds)
        with self._transaction() as cur:
            cur.execute(self._sql("DELETE FROM check_results WHERE report = ? AND identity IN (SELECT id FROM "
                                  f"check_identities WHERE kind IN ({', '.join('?' * len(kinds))}))"),
                        (report, *kinds))
            fresh = self._write_checks(cur, checks)
            self._count(cur)
        self._remember(fresh)

    # ---- compact cells and checks ----
    def _write_cells(self, cur, cells: list[Cell]) -> set[tuple[str, tuple, int]]:
        """A report's cells as one row per table (CELL_TABLES), their table/row/column/unit by key id; a printed
        row's source and note, which its cells share, stored once. Returns the dictionary ids added (_remember)."""
        keys = [(c.table, c.row, c.column, c.unit) for c in cells]
        ids, fresh = self._intern(cur, "cell_keys", "tbl, row_path, col_path, unit", keys)
        tables: dict[tuple[str, str], tuple[list, list, list, dict]] = {}
        seen: set[tuple[str, int]] = set()
        for c, k in zip(cells, keys, strict=True):
            if (c.report, ids[k]) in seen:
                raise ReportError(f"two cells at one address: {c.address}", "a parsing error: please report it")
            seen.add((c.report, ids[k]))
            at, values, printed, texts = tables.setdefault((c.report, c.table), ([], [], [], {}))
            at.append(ids[k])
            values.append(c.value)
            printed.append(texts.setdefault((c.source, c.note), len(texts)))
        self._insert(cur, "cell_tables", [(r, t, _json([at, values, printed]), _json([[s for s, _ in texts],
                                                                                      [n for _, n in texts]]))
                                          for (r, t), (at, values, printed, texts) in tables.items()])
        return fresh

    def _write_checks(self, cur, checks: list[Check]) -> set[tuple[str, tuple, int]]:
        """Checks as (report, identity id, sides, status); the description and terms go with the identity when
        every report may share them, else stay in the report's row (quotes, other reports' addresses)."""
        rows = [_check_parts(c) for c in checks]
        ids, fresh = self._intern(cur, "check_identities", "name, kind, description, terms",
                                  [shared for shared, _ in rows])
        self._insert(cur, "check_results", [(c.report, ids[shared], c.left, c.right, c.status, *own)
                                            for c, (shared, own) in zip(checks, rows, strict=True)])
        return fresh

    def _insert(self, cur, table: str, rows: list[tuple]) -> None:
        """Whole rows into a table: PostgreSQL's COPY (one stream, about a third of a report's write time with
        INSERTs), SQLite's executemany."""
        if not rows:
            return
        if self.postgres:
            with cur.copy(f"COPY {table} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cur.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)

    def _intern(self, cur, table: str, columns: str, contents: list[tuple]) -> tuple[dict[tuple, int], set]:
        """Ids of dictionary rows by content, adding those missing (safe with another writer adding them too):
        rows are found by the digest of their content; ids known to this process are not asked for again."""
        known = self._ids[table]
        ids = {t: known[t] for t in contents if t in known}
        missing = {_digest(*t): t for t in dict.fromkeys(contents) if t not in known}
        if missing:
            marks = ", ".join("?" * (len(columns.split(",")) + 1))
            cur.executemany(self._sql(f"INSERT INTO {table} (digest, {columns}) VALUES ({marks}) "
                                      "ON CONFLICT (digest) DO NOTHING"), [(d, *t) for d, t in missing.items()])
            digests = list(missing)
            for start in range(0, len(digests), 500):
                part = digests[start:start + 500]
                cur.execute(self._sql(f"SELECT digest, id FROM {table} WHERE digest IN ({', '.join('?' * len(part))})"),
                            part)
                ids.update((missing[d], i) for d, i in cur.fetchall())
        return ids, {(table, t, ids[t]) for t in missing.values()}

    def _remember(self, fresh: set[tuple[str, tuple, int]]) -> None:
        """Cache ids interned by a committed transaction (never before: a rollback would take them back)."""
        for table, content, id_ in fresh:
            self._ids[table][content] = id_

    def _keys(self, ids: Iterable[int]) -> dict[int, tuple[str, str, str, str]]:
        """(table, row path, column path, unit) of cell key ids, read once per process (ids never change)."""
        missing = sorted({i for i in ids if i not in self._key_of})
        for start in range(0, len(missing), 500):
            part = missing[start:start + 500]
            self._read_keys(f"id IN ({', '.join('?' * len(part))})", part)
        return self._key_of

    def _read_keys(self, where: str, args: Sequence) -> set[int]:
        """The ids of the cell keys meeting a condition, their content cached for `_keys`."""
        rows = self._rows(f"SELECT id, tbl, row_path, col_path, unit FROM cell_keys WHERE {where}", args)
        self._key_of.update((r[0], tuple(r[1:])) for r in rows)
        return {r[0] for r in rows}

    def _unpack(self, rows: Iterable[tuple[str, str, str]], wanted: set[int] | None = None) -> list[Cell]:
        """Cells of (report, cells, texts) rows of `cell_tables`, in their order; only key ids in `wanted`."""
        out = []
        for report, packed, texts in rows:
            found = list(zip(*json.loads(packed), strict=True)) if wanted is None else _pick(packed, wanted)
            if not found:
                continue
            keys, (sources, notes) = self._keys(k for k, _, _ in found), json.loads(texts)
            out += [Cell(report, *keys[k][:3], _whole(v), keys[k][3], sources[t], notes[t]) for k, v, t in found]
        return out

    def _compact(self, cur) -> None:
        """Migration 3: today's cells and checks into the compact tables, each read back as a record and
        written through the same code as a new report's."""
        script = COMPACT_SCHEMA.format(
            serial="INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" if self.postgres else "INTEGER PRIMARY KEY",
            without_rowid="" if self.postgres else "WITHOUT ROWID")
        for statement in [*filter(str.strip, script.split(";")), CELL_TABLES]:
            cur.execute(statement)
        cur.execute("SELECT report, tbl, row_path, col_path, value, unit, source, note FROM cells "
                    "ORDER BY report, tbl, position")
        cells = [Cell(r[0], r[1], r[2], r[3], _number(r[4]), r[5], r[6], r[7]) for r in cur.fetchall()]
        cur.execute("SELECT report, name, kind, description, lhs, rhs, left_terms, right_terms, status FROM checks")
        checks = [Check(r[0], r[1], r[2], r[3], _number(r[4]), _number(r[5]), tuple(json.loads(r[6])),
                        tuple(json.loads(r[7])), r[8]) for r in cur.fetchall()]
        for _, report_cells in groupby(cells, key=lambda c: c.report):  # ordered by report: one pass
            self._write_cells(cur, list(report_cells))
        self._write_checks(cur, checks)
        cur.execute("DROP TABLE cells")
        cur.execute("DROP TABLE checks")

    def _cell_tables(self, cur) -> None:
        """Migration 7: a row per cell (`cell_values`, with `cell_texts`, as migration 3 wrote them until now) into
        a row per report and table, report by report; a store migrated from before 3 has the new table already."""
        cur.execute("SELECT table_name FROM information_schema.tables WHERE table_name = 'cell_values' "
                    "AND table_schema = current_schema()"
                    if self.postgres else "SELECT name FROM sqlite_schema WHERE name = 'cell_values'")
        if not cur.fetchall():
            return
        cur.execute(CELL_TABLES)
        cur.execute("SELECT DISTINCT report FROM cell_values ORDER BY report")
        for (report,) in cur.fetchall():
            cur.execute(self._sql(
                "SELECT c.report, k.tbl, k.row_path, k.col_path, c.value, k.unit, t.source, t.note FROM cell_values c "
                "JOIN cell_keys k ON k.id = c.cell JOIN cell_texts t ON t.report = c.report AND t.number = c.text "
                "WHERE c.report = ? ORDER BY k.tbl, c.position"), (report,))
            self._write_cells(cur, [Cell(r[0], r[1], r[2], r[3], _number(r[4]), *r[5:]) for r in cur.fetchall()])
        cur.execute("DROP TABLE cell_values")
        cur.execute("DROP TABLE cell_texts")

    def rename_agency(self, old: str, new: str) -> None:
        """Give every report of an agency one name (a later report printed it in full)."""
        with self._transaction() as cur:
            cur.execute(self._sql("UPDATE reports SET agency = ? WHERE agency = ?"), (new, old))
            self._count(cur)

    def delete_report(self, report_id: str, audit: AuditEntry | None = None) -> None:
        """Remove a report and everything parsed from it; `audit` is logged in the same transaction."""
        with self._transaction() as cur:
            gone = self._unindex(cur, report_id)
            for table in TABLES:
                cur.execute(self._sql(f"DELETE FROM {table} WHERE {'id' if table == 'reports' else 'report'} = ?"),
                            (report_id,))
            self._index(cur, [], gone)
            if audit is not None:
                self._log(cur, audit)

    def log(self, entry: AuditEntry) -> None:
        """Append one entry to the audit log on its own (a refused sign-in)."""
        with self._transaction() as cur:
            self._log(cur, entry)

    def _log(self, cur, e: AuditEntry) -> None:
        cur.execute(self._sql(f"INSERT INTO audit ({AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                    (e.at, e.who, e.action, e.report, e.file, e.before_sha256, e.after_sha256, e.detail))

    # ---- lexical terms, written in the report's transaction ----
    def _unindex(self, cur, report: str) -> Counter:
        """Remove a report's paragraphs from lexical search; what they counted (document frequencies under their
        terms, and the keys "" rows, " " bigrams) for `_index` to subtract."""
        gone: Counter = Counter()
        if self.postgres:
            cur.execute("SELECT terms::text, length FROM lexical WHERE report = %s", (report,))
            for vector, length in cur.fetchall():
                gone.update(_LEXEME.findall(vector))
                gone.update({"": 1, " ": length})
            cur.execute("DELETE FROM lexical WHERE report = %s", (report,))
            return gone
        cur.execute("SELECT rowid, terms FROM lexical WHERE lexical MATCH ?", (f'report : "{_report_token(report)}"',))
        rows = cur.fetchall()
        cur.executemany("DELETE FROM lexical WHERE rowid = ?", [(row,) for row, _ in rows])
        for _, text in rows:
            words = text.split()
            gone.update(set(words))
            gone.update({"": 1, " ": len(words)})
        return gone

    def _index(self, cur, paragraphs: list[Paragraph], gone: Counter) -> None:
        """Add the citable paragraphs' bigrams (after their rows are written); update the term statistics and
        counters by what was added less what `_unindex` removed; bump the store's generation."""
        docs = [(p, terms(p)) for p in paragraphs if citable(p)]
        delta = Counter({"": len(docs), " ": sum(len(t) for _, t in docs)})
        for _, t in docs:
            delta.update(set(t))
        if self.postgres:
            self._insert(cur, "lexical", [(p.report, p.section, p.number, _tsvector(t), len(t)) for p, t in docs])
        else:
            cur.executemany("INSERT INTO lexical (rowid, terms, report) SELECT rowid, ?, ? FROM paragraphs "
                            "WHERE report = ? AND section = ? AND number = ?",
                            [(" ".join(t), _report_token(p.report), p.report, p.section, p.number) for p, t in docs])
        delta.subtract(gone)
        moved = sorted((t, n) for t, n in delta.items() if t.strip() and n)
        if self.postgres:  # one statement, in term order: two writers lock the same rows in the same order
            cur.execute("INSERT INTO lexical_df (term, df) SELECT t, n FROM unnest(%s::text[], %s::int[]) AS d (t, n) "
                        "ORDER BY t ON CONFLICT (term) DO UPDATE SET df = lexical_df.df + EXCLUDED.df",
                        ([t for t, _ in moved], [n for _, n in moved]))
        elif self.schema >= 6:
            cur.executemany("INSERT INTO lexical_df (term, df) VALUES (?, ?) ON CONFLICT (term) "
                            "DO UPDATE SET df = lexical_df.df + excluded.df", moved)
        self._count(cur, delta[""], delta[" "])

    def _count(self, cur, rows: int = 0, tokens: int = 0) -> None:
        """Bump the generation (every writing transaction does) and move the lexical counters."""
        for key, step in zip(COUNTERS, (1, rows, tokens), strict=True):
            cur.execute(self._sql("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + ? AS TEXT) WHERE key = ?"),
                        (step, key))

    # ---- reading ----
    def _counter(self, key: str) -> int:
        """One of COUNTERS, as the last committed transaction left it."""
        return int(self._rows("SELECT value FROM meta WHERE key = ?", (key,))[0][0])

    def generation(self) -> int:
        """A number every writing transaction changes: readers cache what they derive from the reports under it."""
        return self._counter("generation")

    def term_stats(self, words: Iterable[str]) -> tuple[int, dict[str, int]]:
        """(paragraphs searched, {bigram: paragraphs holding it}) for lexical search; unheld bigrams left out."""
        words = sorted(set(words))
        n = self._counter("lexical_rows")
        if not words:
            return n, {}
        rows = self._rows(f"SELECT term, df FROM lexical_df WHERE term IN ({', '.join('?' * len(words))}) AND df > 0",
                          words)
        return n, dict(rows)

    def lexical_search(self, words: list[str], k: int, reports: list[str] | None = None
                       ) -> list[tuple[Paragraph, float]]:
        """The k paragraphs that best match these bigrams by BM25 (a repeated bigram counts again), best first,
        with their scores; `reports` limits the search to those report ids."""
        words = [w for w in words if w.strip() and '"' not in w and "'" not in w]
        if not words or reports == [] or k <= 0:
            return []
        if reports is not None and len(reports) <= FEW_REPORTS:
            return self._search_within(words, k, reports)
        if reports is not None:  # many reports (a year of every agency): the whole index's best, kept if in scope
            wanted, limit = set(reports), 4 * k
            while True:
                found = self.lexical_search(words, limit)
                inside = [(p, score) for p, score in found if p.report in wanted]
                if len(inside) >= k or len(found) < limit:
                    return inside[:k]
                limit *= 4
        if self.postgres:
            return self._pg_search(words, k, reports)
        query = f"terms : {_any(words)}"
        if reports is not None:
            query += f" AND report : {_any(_report_token(r) for r in reports)}"
        rows = self._rows("SELECT p.report, p.section, p.number, p.text, p.plain, -l.score FROM (SELECT rowid, "
                          "bm25(lexical, 1.0, 0.0) AS score FROM lexical WHERE lexical MATCH ? ORDER BY score "
                          "LIMIT ?) l JOIN paragraphs p ON p.rowid = l.rowid ORDER BY l.score, p.report, p.position",
                          (query, k))
        return [(Paragraph(*r[:5]), r[5]) for r in rows]

    def _search_within(self, words: list[str], k: int, reports: list[str]) -> list[tuple[Paragraph, float]]:
        """BM25 over the paragraphs of a few reports, read by report (their bigrams) and scored here with the
        store's term statistics: the same ranking as a search of the whole index, at a cost that does not grow
        with the corpus (FTS5's bm25() and PostgreSQL's GIN index read every posting of each bigram)."""
        n, tokens, weight = self._weights(words)
        if not weight:
            return []
        if self.postgres:
            rows = [((r, s, num), Counter({w: len(at.split(",")) for w, at in _POSTINGS.findall(v)}), length)
                    for r, s, num, v, length in self._rows("SELECT report, section, number, terms::text, length "
                                                           "FROM lexical WHERE report = ANY(?)", (reports,))]
        else:
            found = self._rows("SELECT rowid, terms FROM lexical WHERE lexical MATCH ?",
                               (f"report : {_any(_report_token(r) for r in reports)}",))
            # FTS5's bm25() measures a row in the tokens of all its columns: the bigrams and the report's one token
            rows = [(row, Counter(words), len(words) + 1) for row, text in found for words in (text.split(),)]
            tokens += n
        avgdl = max(tokens / max(n, 1), 1.0)
        scored = [(sum(w * tf[t] * (K1 + 1) / (tf[t] + K1 * (1 - B + B * length / avgdl))
                       for t, w in weight.items() if t in tf), key) for key, tf, length in rows]
        best = sorted(((score, key) for score, key in scored if score > 0), key=lambda x: -x[0])[:k]
        if self.postgres:
            found_at = self.paragraphs_at(key for _, key in best)
            return [(found_at[key], score) for score, key in best if key in found_at]
        at = {r[0]: Paragraph(*r[1:]) for r in self._rows(
            "SELECT rowid, report, section, number, text, plain FROM paragraphs WHERE rowid IN "
            f"({', '.join('?' * len(best))})", [key for _, key in best])} if best else {}
        return [(at[key], score) for score, key in best if key in at]

    def _weights(self, words: list[str]) -> tuple[int, int, dict[str, float]]:
        """(paragraphs indexed, bigrams indexed, {asked bigram: idf × times asked}) for BM25; bigrams no paragraph
        holds are left out (this backend's idf: bm25_idf)."""
        n, df = self.term_stats(words)
        asked = Counter(w for w in words if w in df)
        return n, self._counter("lexical_tokens"), {w: bm25_idf(n, df[w], self.postgres) * c for w, c in asked.items()}

    def _pg_search(self, words: list[str], k: int, reports: list[str] | None) -> list[tuple[Paragraph, float]]:
        """BM25 in SQL: the GIN index finds the paragraphs holding a bigram, each bigram's idf comes from
        `lexical_df`, its frequency in a paragraph from the tsvector's positions. The idf is log(1 + (N - n + 0.5) /
        (n + 0.5)) — FTS5's drops the 1 + and so weighs a bigram in over half the paragraphs at zero —, which
        measured best on the question sets (bench/README.md), ahead of ts_rank and ts_rank_cd."""
        n, tokens, weight = self._weights(words)
        if not weight:
            return []
        within = " AND l.report = ANY(?)" if reports is not None else ""
        rows = self._rows(
            "SELECT p.report, p.section, p.number, p.text, p.plain, s.score FROM (SELECT l.report, l.section, "
            f"l.number, SUM(q.w * u.tf * {K1 + 1} / (u.tf + {K1} * ({1 - B} + {B} * l.length / ?))) AS score "
            "FROM lexical l CROSS JOIN LATERAL (SELECT lexeme, cardinality(positions) AS tf FROM unnest(l.terms)) u "
            "JOIN unnest(?::text[], ?::float8[]) AS q (term, w) ON q.term = u.lexeme "
            f"WHERE l.terms @@ ?::tsquery{within} GROUP BY l.report, l.section, l.number "
            "ORDER BY score DESC, l.report, l.section, l.number LIMIT ?) s "
            "JOIN paragraphs p ON p.report = s.report AND p.section = s.section AND p.number = s.number "
            "ORDER BY s.score DESC, p.report, p.position",
            (max(tokens / max(n, 1), 1.0), list(weight), list(weight.values()),
             " | ".join(f"'{w}'" for w in weight), *([reports] if reports is not None else []), k))
        return [(Paragraph(*r[:5]), float(r[5])) for r in rows]

    def paragraphs_at(self, keys: Iterable[tuple[str, str, int]]) -> dict[tuple[str, str, int], Paragraph]:
        """The stored paragraphs of these (report, section, number) keys; keys no longer stored are left out."""
        keys = list(dict.fromkeys(keys))
        if not keys:
            return {}
        reports = sorted({k[0] for k in keys})  # the primary key's prefix: SQLite scans every row without it
        rows = self._rows("SELECT report, section, number, text, plain FROM paragraphs WHERE report IN "
                          f"({', '.join('?' * len(reports))}) AND (report, section, number) IN "
                          f"(VALUES {', '.join(['(?, ?, ?)'] * len(keys))})", [*reports, *(v for k in keys for v in k)])
        return {(r[0], r[1], r[2]): Paragraph(*r) for r in rows}

    def reports(self, agency: str | None = None) -> list[Report]:
        where, args = self._where(agency=agency)
        rows = self._rows(f"SELECT {REPORT_COLUMNS} FROM reports{where} ORDER BY agency, year, id", args)
        return [Report(*r) for r in rows]

    def has_reports(self) -> bool:
        """Whether any report is stored (one row read, however many there are)."""
        return bool(self._rows("SELECT 1 FROM reports LIMIT 1"))

    def agencies_named(self, names: Iterable[str]) -> set[str]:
        """Which of these agency names the store holds reports of (an indexed lookup)."""
        names = list(dict.fromkeys(names))
        if not names:
            return set()
        return {r[0] for r in self._rows(f"SELECT DISTINCT agency FROM reports WHERE agency IN "
                                         f"({', '.join('?' * len(names))})", names)}

    def agencies_ending(self, suffix: str) -> set[str]:
        """Agency names the store holds that end with `suffix` (indexed when it has at least TAIL_CHARS
        characters; a shorter one reads every agency name)."""
        if len(suffix) >= TAIL_CHARS:
            rows = self._rows(f"SELECT DISTINCT agency FROM reports WHERE {AGENCY_TAIL} = ?", (suffix[-TAIL_CHARS:],))
        else:
            rows = self._rows("SELECT DISTINCT agency FROM reports")
        return {r[0] for r in rows if r[0].endswith(suffix)}

    def report(self, report_id: str) -> Report | None:
        rows = self._rows(f"SELECT {REPORT_COLUMNS} FROM reports WHERE id = ?", (report_id,))
        return Report(*rows[0]) if rows else None

    def audit_log(self, report: str | None = None, action: str | None = None) -> list[AuditEntry]:
        """The audit log, newest first; `report` limits it to one report id, `action` to one kind of entry."""
        where, args = self._where(report=report, action=action)
        return [AuditEntry(*r) for r in self._rows(f"SELECT {AUDIT_COLUMNS} FROM audit{where} ORDER BY at DESC",
                                                   args)]

    def cells(self, report: str | None = None, table: str | None = None, row: str | None = None,
              column: str | None = None) -> list[Cell]:
        """Cells in printed order, filtered by any of report, table, row path, column path."""
        where, args = self._where(report=report, tbl=table)
        cells = self._unpack(self._rows(f"SELECT report, cells, texts FROM cell_tables{where} ORDER BY report, tbl",
                                        args))
        return [c for c in cells if row in (None, c.row) and column in (None, c.column)]

    def cells_across(self, table: str, rows: Sequence[str], columns: Sequence[str],
                     reports: Sequence[str]) -> list[Cell]:
        """The cells at these rows × columns of one table in each of `reports`, in no order: one query however many
        reports (a ranking across every agency), each report's table found by its primary key (report, tbl)."""
        marks = lambda xs: ", ".join("?" * len(xs))  # noqa: E731
        wanted = self._read_keys(f"tbl = ? AND row_path IN ({marks(rows)}) AND col_path IN ({marks(columns)})",
                                 [table, *rows, *columns])
        if not wanted:
            return []
        within, ids = self._within("report", reports)
        return self._unpack(self._rows(f"SELECT report, cells, texts FROM cell_tables WHERE {within} AND tbl = ?",
                                       [ids, table]), wanted)

    def paragraphs(self, report: str | None = None) -> list[Paragraph]:
        where, args = self._where(report=report)
        rows = self._rows(f"SELECT report, section, number, text, plain FROM paragraphs{where} "
                          "ORDER BY report, position", args)
        return [Paragraph(*r) for r in rows]

    def paragraph(self, report: str, section: str, number: int) -> Paragraph | None:
        rows = self._rows("SELECT report, section, number, text, plain FROM paragraphs "
                          "WHERE report = ? AND section = ? AND number = ?", (report, section, number))
        return Paragraph(*rows[0]) if rows else None

    def checks(self, report: str | None = None, status: str | None = None) -> list[Check]:
        where, args = self._where(**{"c.report": report, "c.status": status})
        rows = self._rows(f"SELECT {_CHECK_COLUMNS}{where} ORDER BY c.report, i.kind, i.name", args)
        return [_check(r) for r in rows]

    def problems(self, agency: str | None = None, year: int | None = None, kind: str | None = None,
                 reports: Sequence[str] | None = None, limit: int | None = None) -> list[tuple[Report, Check]]:
        """Every check across the store that failed or could not be decided, with its report: failures first
        (plausibility warnings after them), then undecided; filtered by agency, year, check kind and report ids;
        the first `limit` of them (a page draws 200 of a province's thousands)."""
        where, args = self._open_where(agency, year, kind, reports)
        cols = ", ".join(f"r.{c.strip()}" for c in REPORT_COLUMNS.split(","))
        text = ' COLLATE "C"' if self.postgres else ""  # code point order on both backends
        rows = self._rows(f"SELECT {cols}, {_CHECK_COLUMNS}{where} ORDER BY "
                          "CASE c.status WHEN 'fail' THEN 0 ELSE 2 END + CASE i.kind WHEN 'plausibility' THEN 1 "
                          f"ELSE 0 END, r.agency{text}, COALESCE(r.year, 0), r.id{text}, i.name{text}"
                          + (" LIMIT ?" if limit is not None else ""), [*args, *([limit] if limit is not None else [])])
        n = len(REPORT_COLUMNS.split(","))
        return [(Report(*r[:n]), _check(r[n:])) for r in rows]

    def problem_counts(self, agency: str | None = None, year: int | None = None, kind: str | None = None,
                       reports: Sequence[str] | None = None) -> tuple[int, int]:
        """(open checks, of which failed and not plausibility warnings) under the filters of `problems`."""
        where, args = self._open_where(agency, year, kind, reports)
        (total, failed), = self._rows(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN c.status = 'fail' AND i.kind != 'plausibility' THEN 1 ELSE 0 "
            f"END), 0){_CHECK_FROM}{where}", args)
        return int(total), int(failed)

    def _open_where(self, agency: str | None, year: int | None, kind: str | None,
                    reports: Sequence[str] | None) -> tuple[str, list]:
        """The join with the reports and the conditions after `_CHECK_FROM` that pick open checks by filter."""
        where, args = self._where(**{"r.agency": agency, "r.year": year, "i.kind": kind})
        if reports is not None:
            within, ids = self._within("c.report", reports)
            where += f"{' AND' if where else ' WHERE'} {within}"
            args.append(ids)
        return f" JOIN reports r ON r.id = c.report{where}{' AND' if where else ' WHERE'} c.status != 'pass'", args

    def open_reports(self, reports: Sequence[str]) -> dict[str, bool]:
        """Which of these reports have a check that failed or could not be decided: {report id: any failed}."""
        within, ids = self._within("report", reports)
        return {r: bool(failed) for r, failed in self._rows(
            "SELECT report, MAX(CASE WHEN status = 'fail' THEN 1 ELSE 0 END) FROM check_results "
            f"WHERE status != 'pass' AND {within} GROUP BY report", [ids])}

    def findings(self, report: str | None = None) -> list[Finding]:
        where, args = self._where(report=report)
        rows = self._rows(f"SELECT report, place, message FROM findings{where} ORDER BY report, position", args)
        return [Finding(*r) for r in rows]

    def _within(self, column: str, reports: Sequence[str]) -> tuple[str, object]:
        """`column` among these report ids, as a condition and its one parameter: a ranking or a problem list may
        span more reports than a statement takes parameters."""
        if self.postgres:
            return f"{column} = ANY(?)", list(reports)
        return f"{column} IN (SELECT value FROM json_each(?))", json.dumps(list(reports))

    def _where(self, **filters) -> tuple[str, list]:
        used = {k: v for k, v in filters.items() if v is not None}
        if not used:
            return "", []
        return " WHERE " + " AND ".join(f"{k} = ?" for k in used), list(used.values())


def _digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def _relative(report: str, term: str) -> str | list[str]:
    """A term as stored: an address inside the check's own report as [rest] (the report itself as []), so
    reports share it; anything else (another report's address, a quote) as the string it is."""
    if term == report:
        return []
    return [term[len(report) + 1:]] if term.startswith(report + "/") else term


def _absolute(report: str, term: str | list[str]) -> str:
    if isinstance(term, str):
        return term
    return f"{report}/{term[0]}" if term else report


def _check_parts(c: Check) -> tuple[tuple, tuple]:
    """(name, kind, description, terms) shared by every report, and (description, terms) of this report only
    (None where the shared ones hold): a description that quotes the report or names a report stays its own,
    and so do terms naming another report."""
    terms = [[_relative(c.report, t) for t in c.left_terms], [_relative(c.report, t) for t in c.right_terms]]
    named = {t.split("/", 1)[0] for side in terms for t in side if isinstance(t, str)} | {c.report}
    encoded = json.dumps(terms, ensure_ascii=False)
    own_terms = encoded if any(isinstance(t, str) for side in terms for t in side) else None
    own_text = c.description if c.kind in QUOTING_KINDS or any(n and n in c.description for n in named) else None
    shared = (c.name, c.kind, None if own_text is not None else c.description, None if own_terms else encoded)
    return shared, (own_text, own_terms)


_LEXEME = re.compile(r"'((?:[^']|'')*)'")  # a lexeme of a tsvector's text form
_POSTINGS = re.compile(r"'((?:[^']|'')*)':([\d,]+)")  # … with its positions
FEW_REPORTS = 50  # a search within at most this many reports scores their paragraphs itself (_search_within)


def bm25_idf(n: int, df: int, plus: bool = True) -> float:
    """BM25's idf: FTS5's (a bigram in over half the paragraphs weighs ~0) or, `plus`, log(1 + …) (PostgreSQL)."""
    if plus:
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))
    return max(math.log((n - df + 0.5) / (df + 0.5)), 1e-6)


def _report_token(report_id: str) -> str:
    """A report id as one token of FTS5's ascii tokenizer (ids may hold '_', '-' or Han characters)."""
    return "r" + report_id.encode("utf-8").hex()


def _any(tokens: Iterable[str]) -> str:
    """An FTS5 query matching any of these tokens (each quoted: no token is read as an operator)."""
    return "(" + " OR ".join(f'"{t}"' for t in tokens) + ")"


def _tsvector(words: list[str]) -> str:
    """Bigrams → a tsvector literal with their positions (1-based; PostgreSQL keeps at most 256 per lexeme)."""
    at: dict[str, list[int]] = {}
    for i, w in enumerate(words, start=1):
        at.setdefault(w, []).append(min(i, 16383))
    return " ".join(f"'{w}':{','.join(map(str, p[:256]))}" for w, p in at.items())


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _pick(packed: str, wanted: set[int]) -> list[tuple[int, object, int]]:
    """(key id, value, text number) of the wanted keys in a `cells` column, in printed order. A ranking reads one
    cell of every report: splitting the three flat lists of numbers (what `_json` wrote: no strings, never empty)
    is ~3× faster than parsing them."""
    at, values, printed = (part.split(",") for part in packed[2:-2].split("],["))
    found = sorted(at.index(k) for k in map(str, wanted) if k in at)
    return [(int(at[i]), json.loads(values[i]), int(printed[i])) for i in found]


def _whole(value):
    """A value read back from JSON as the database columns gave it: int when whole."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _check(r: tuple) -> Check:
    left, right = json.loads(r[6])
    return Check(r[0], r[1], r[2], r[3], _number(r[4]), _number(r[5]), tuple(_absolute(r[0], t) for t in left),
                 tuple(_absolute(r[0], t) for t in right), r[7])


def _number(value):
    """Database numbers → int when whole, else float (PostgreSQL NUMERIC comes back as Decimal)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def open_store(folder: Path | str | None = None) -> Store:
    """The configured store: DATABASE_URL when set, else SQLite in `folder` (default REPORTS_DB)."""
    from core.settings import setting

    url = setting("DATABASE_URL")
    return Store(None if url else (folder or setting("REPORTS_DB")), url=url)
