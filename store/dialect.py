"""A folder or a DATABASE_URL → one connection API over SQLite or PostgreSQL, every difference between them here."""

from __future__ import annotations

import fcntl
import json
import sqlite3
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from core.errors import ReportError

MIGRATION_LOCK = 7_265_706  # PostgreSQL advisory lock key held while a process migrates the schema


def database_errors() -> tuple[type[Exception], ...]:
    """What a database driver raises (`except database_errors():`): callers turn it into a message a user can act
    on, never show it as is. psycopg's errors only once psycopg is loaded (by a PostgreSQL connection: nothing else
    can raise them), so that a SQLite process never imports it (a few tenths of a second at start)."""
    psycopg = sys.modules.get("psycopg")
    return (sqlite3.Error,) if psycopg is None else (sqlite3.Error, psycopg.Error)


class Database:
    """The connection: statements with `?` placeholders, transactions, bulk inserts, on either backend."""

    def _connect(self, folder: Path | str | None, url: str) -> None:
        self.url = url
        # one connection may serve several threads (Streamlit sessions): one statement or transaction at a time
        self._lock = threading.RLock()
        if url.startswith(("postgres://", "postgresql://")):
            import psycopg  # optional: only with DATABASE_URL

            # autocommit: a read is one statement, not a transaction left open behind it (an idle transaction
            # holds its tables' locks, blocking another process's migration, and keeps VACUUM from cleaning up)
            self.conn = psycopg.connect(url, autocommit=True)
            self.mark = "%s"
            return
        if folder is None:
            raise ReportError("no database folder given", "pass --db DIR or set REPORTS_DB")
        Path(folder).mkdir(parents=True, exist_ok=True)
        self._file = Path(folder) / "reports.sqlite3"
        self.conn = sqlite3.connect(self._file, timeout=30, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode=WAL")  # readers never see a half-written report
        self.mark = "?"
        self._lock_file = Path(folder) / "reports.migrate.lock"

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        """Held while migrating: processes opening one database together (replicas, parallel ingesters) migrate one
        at a time and the later ones find the work done. PostgreSQL: an advisory lock; SQLite: a file lock on the
        folder (SQLite runs DDL outside transactions, so two would both see the old version and both apply it)."""
        if self.postgres:
            self._rows("SELECT pg_advisory_lock(?)", (MIGRATION_LOCK,))
            try:
                yield
            finally:
                self._rows("SELECT pg_advisory_unlock(?)", (MIGRATION_LOCK,))
            return
        with open(self._lock_file, "w", encoding="utf-8") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    @property
    def postgres(self) -> bool:
        return self.mark == "%s"

    def close(self) -> None:
        self.conn.close()

    def _sql(self, sql: str) -> str:
        return sql.replace("?", self.mark)

    def _rows(self, sql: str, args: Iterable = (), binary: bool = False) -> list[tuple]:
        """`binary`: PostgreSQL sends the results in binary (a bytea of megabytes, not its hex text: 3× faster)."""
        with self._lock:
            cur = self.conn.cursor(binary=True) if binary and self.postgres else self.conn.cursor()
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

    @contextmanager
    def _own_transaction(self) -> Iterator:
        """A transaction on a connection of its own, opened for it and closed after: a long write (a snapshot of
        megabytes, on a background thread) holds neither the shared connection nor its lock, so the reads of the
        answers given meanwhile go on."""
        if self.postgres:
            import psycopg

            conn = psycopg.connect(self.url)  # (not autocommit: its first statement begins the transaction)
        else:
            conn = sqlite3.connect(self._file, timeout=30)
        try:
            yield conn.cursor()
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.close()

    def _insert(self, cur, table: str, rows: list[tuple], columns: Sequence[str] = ()) -> None:
        """Rows into a table (its columns in order, or those named): PostgreSQL's COPY (one stream, about a third
        of a report's write time with INSERTs), SQLite's executemany."""
        if not rows:
            return
        target = f"{table} ({', '.join(columns)})" if columns else table
        if self.postgres:
            with cur.copy(f"COPY {target} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cur.executemany(f"INSERT INTO {target} VALUES ({', '.join('?' * len(rows[0]))})", rows)

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

    def _has_table(self, cur, name: str) -> bool:
        """Whether the database holds a table of this name (in PostgreSQL's current schema)."""
        cur.execute(self._sql("SELECT table_name FROM information_schema.tables WHERE table_name = ? "
                              "AND table_schema = current_schema()"
                              if self.postgres else "SELECT name FROM sqlite_schema WHERE name = ?"), (name,))
        return bool(cur.fetchall())

    def _ddl(self, script: str) -> str:
        """A script with `{serial}` (an integer primary key the database numbers), `{without_rowid}` and `{blob}`
        (bytes)."""
        return script.format(
            serial="INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" if self.postgres else "INTEGER PRIMARY KEY",
            without_rowid="" if self.postgres else "WITHOUT ROWID", blob="BYTEA" if self.postgres else "BLOB")

    @property
    def _code_points(self) -> str:
        """What follows a text column in ORDER BY for code point order on both backends."""
        return ' COLLATE "C"' if self.postgres else ""


def _number(value):
    """Database numbers → int when whole, else float (PostgreSQL NUMERIC comes back as Decimal)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
