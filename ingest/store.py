"""Records ⇄ the database: the one module that owns the schema (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

import fcntl
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from .errors import ReportError
from .models import AuditEntry, Cell, Check, Finding, Paragraph, Report

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
)
TABLES = ("findings", "checks", "cells", "paragraphs", "reports")
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
        # one connection may serve several threads (Streamlit sessions): one statement or transaction at a time
        self._lock = threading.RLock()
        if url.startswith(("postgres://", "postgresql://")):
            import psycopg  # optional: only with DATABASE_URL

            self.conn = psycopg.connect(url)
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
                yield cur
                self.conn.commit()
            except BaseException:
                self.conn.rollback()
                raise
            finally:
                cur.close()

    def _migrate(self) -> None:
        with self._transaction() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        version = int((self._rows("SELECT value FROM meta WHERE key = 'schema'") or [("0",)])[0][0])
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self._transaction() as cur:
                for statement in filter(str.strip, script.split(";")):
                    cur.execute(statement)
                cur.execute(self._sql("DELETE FROM meta WHERE key = 'schema'"))
                cur.execute(self._sql("INSERT INTO meta (key, value) VALUES ('schema', ?)"), (str(number),))

    def close(self) -> None:
        self.conn.close()

    # ---- writing ----
    def replace_report(self, report: Report, paragraphs: list[Paragraph], cells: list[Cell],
                       checks: list[Check], findings: list[Finding], audit: AuditEntry | None = None) -> None:
        """Write a report and everything parsed from it in one transaction, replacing any earlier version;
        `audit` is logged in the same transaction (no change without its record, no record without the change)."""
        with self._transaction() as cur:
            for table in TABLES:
                cur.execute(self._sql(f"DELETE FROM {table} WHERE {'id' if table == 'reports' else 'report'} = ?"),
                            (report.id,))
            cur.execute(self._sql(f"INSERT INTO reports ({REPORT_COLUMNS}) VALUES "
                                  "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                        (report.id, report.agency, report.year, report.title, report.published, report.source,
                         report.sha256, report.layout, report.size, report.ingested_by, report.ingested_at,
                         report.source_url))
            cur.executemany(self._sql("INSERT INTO paragraphs VALUES (?, ?, ?, ?, ?, ?)"),
                            [(p.report, p.section, p.number, p.text, p.plain, i) for i, p in enumerate(paragraphs)])
            cur.executemany(self._sql("INSERT INTO cells VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                            [(c.report, c.table, c.row, c.column, c.value, c.unit, c.source, c.note, i)
                             for i, c in enumerate(cells)])
            cur.executemany(self._sql("INSERT INTO checks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                            [_check_row(c) for c in checks])
            cur.executemany(self._sql("INSERT INTO findings VALUES (?, ?, ?, ?)"),
                            [(f.report, f.where, f.message, i) for i, f in enumerate(findings)])
            if audit is not None:
                self._log(cur, audit)

    def replace_checks(self, report: str, kinds: Iterable[str], checks: list[Check]) -> None:
        """Replace a report's checks of some kinds (the cross-year ones, recomputed when a neighbour changes)."""
        kinds = tuple(kinds)
        with self._transaction() as cur:
            cur.execute(self._sql(f"DELETE FROM checks WHERE report = ? AND kind IN ({', '.join('?' * len(kinds))})"),
                        (report, *kinds))
            cur.executemany(self._sql("INSERT INTO checks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                            [_check_row(c) for c in checks])

    def rename_agency(self, old: str, new: str) -> None:
        """Give every report of an agency one name (a later report printed it in full)."""
        with self._transaction() as cur:
            cur.execute(self._sql("UPDATE reports SET agency = ? WHERE agency = ?"), (new, old))

    def delete_report(self, report_id: str, audit: AuditEntry | None = None) -> None:
        """Remove a report and everything parsed from it; `audit` is logged in the same transaction."""
        with self._transaction() as cur:
            for table in TABLES:
                cur.execute(self._sql(f"DELETE FROM {table} WHERE {'id' if table == 'reports' else 'report'} = ?"),
                            (report_id,))
            if audit is not None:
                self._log(cur, audit)

    def log(self, entry: AuditEntry) -> None:
        """Append one entry to the audit log on its own (a refused sign-in)."""
        with self._transaction() as cur:
            self._log(cur, entry)

    def _log(self, cur, e: AuditEntry) -> None:
        cur.execute(self._sql(f"INSERT INTO audit ({AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                    (e.at, e.who, e.action, e.report, e.file, e.before_sha256, e.after_sha256, e.detail))

    # ---- reading ----
    def reports(self, agency: str | None = None) -> list[Report]:
        where, args = self._where(agency=agency)
        rows = self._rows(f"SELECT {REPORT_COLUMNS} FROM reports{where} ORDER BY agency, year, id", args)
        return [Report(*r) for r in rows]

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
        where, args = self._where(report=report, tbl=table, row_path=row, col_path=column)
        rows = self._rows("SELECT report, tbl, row_path, col_path, value, unit, source, note FROM cells"
                          f"{where} ORDER BY report, tbl, position", args)
        return [Cell(r[0], r[1], r[2], r[3], _number(r[4]), r[5], r[6], r[7]) for r in rows]

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
        where, args = self._where(report=report, status=status)
        rows = self._rows("SELECT report, name, kind, description, lhs, rhs, left_terms, right_terms, status "
                          f"FROM checks{where} ORDER BY report, kind, name", args)
        return [_check(r) for r in rows]

    def problems(self, agency: str | None = None, year: int | None = None,
                 kind: str | None = None) -> list[tuple[Report, Check]]:
        """Every check across the store that failed or could not be decided, with its report: failures first
        (plausibility warnings after them), then undecided; filtered by agency, year and check kind."""
        where, args = self._where(**{"r.agency": agency, "r.year": year, "c.kind": kind})
        cols = ", ".join(f"r.{c.strip()}" for c in REPORT_COLUMNS.split(","))
        rows = self._rows(f"SELECT {cols}, c.report, c.name, c.kind, c.description, c.lhs, c.rhs, c.left_terms, "
                          "c.right_terms, c.status FROM checks c JOIN reports r ON r.id = c.report"
                          f"{where}{' AND' if where else ' WHERE'} c.status != 'pass'", args)
        n = len(REPORT_COLUMNS.split(","))
        out = [(Report(*r[:n]), _check(r[n:])) for r in rows]
        rank = {"fail": 0, "unknown": 2}
        return sorted(out, key=lambda rc: (rank.get(rc[1].status, 2) + (rc[1].kind == "plausibility"),
                                           rc[0].agency, rc[0].year or 0, rc[0].id, rc[1].name))

    def findings(self, report: str | None = None) -> list[Finding]:
        where, args = self._where(report=report)
        rows = self._rows(f"SELECT report, place, message FROM findings{where} ORDER BY report, position", args)
        return [Finding(*r) for r in rows]

    def _where(self, **filters) -> tuple[str, list]:
        used = {k: v for k, v in filters.items() if v is not None}
        if not used:
            return "", []
        return " WHERE " + " AND ".join(f"{k} = ?" for k in used), list(used.values())


def _check_row(c: Check) -> tuple:
    return (c.report, c.name, c.kind, c.description, c.left, c.right, json.dumps(c.left_terms, ensure_ascii=False),
            json.dumps(c.right_terms, ensure_ascii=False), c.status)


def _check(r: tuple) -> Check:
    return Check(r[0], r[1], r[2], r[3], _number(r[4]), _number(r[5]), tuple(json.loads(r[6])),
                 tuple(json.loads(r[7])), r[8])


def _number(value):
    """Database numbers → int when whole, else float (PostgreSQL NUMERIC comes back as Decimal)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def open_store(folder: Path | str | None = None) -> Store:
    """The configured store: DATABASE_URL when set, else SQLite in `folder` (default REPORTS_DB)."""
    from .settings import setting

    url = setting("DATABASE_URL")
    return Store(None if url else (folder or setting("REPORTS_DB")), url=url)
