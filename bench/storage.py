"""Store size per report, whole and by table: real reports, then synthetic ones, through the real parser and store.

`python -m bench.storage [--samples DIR] [--sizes 100,1000] [--work DIR]`, or with DATABASE_URL on an empty
PostgreSQL database. Reports are read, parsed and checked by `ingest.pipeline.prepare` and written by
`Store.replace_report` (no embedding: the index lives elsewhere). After each step the SQLite file is VACUUM-ed
(PostgreSQL: VACUUM FULL); the size per report is the growth between two steps divided by the reports added
(pages, indexes and, on PostgreSQL, TOAST included), and the same without the report's text and its lexical terms.
By table: SQLite's `dbstat` (each index counted with its table, an FTS5 table's shadow tables each on a line),
PostgreSQL's `pg_total_relation_size`.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from contextlib import closing
from pathlib import Path

from core.errors import ReportError
from ingest.pipeline import Outcome, prepare
from store import Store, open_store

from .synth import SAMPLES, write

TEXT_TABLES = ("paragraphs", "lexical")  # the report's text and its search index: not "structured" bytes
SHARED_TABLES = ("cell_keys", "check_identities")  # dictionaries every report refers to: grow with variety only
FTS5_SHADOWS = ("data", "idx", "content", "docsize", "config")  # the tables an FTS5 table `t` keeps as `t_data` …


def measure(store: Store, folder: Path) -> tuple[int, int, int, dict[str, int]]:
    """(store bytes, bytes outside the text tables, bytes of the shared dictionaries, {table: bytes}), VACUUM-ed."""
    by_table = by_table_postgres(store.url) if store.postgres else by_table_sqlite(folder / "reports.sqlite3")
    whole = sum(by_table.values())
    if not store.postgres:
        whole = (folder / "reports.sqlite3").stat().st_size  # the file: free pages and the header too
    text = sum(b for n, b in by_table.items() if n.startswith(TEXT_TABLES))
    return whole, sum(by_table.values()) - text, sum(by_table.get(n, 0) for n in SHARED_TABLES), by_table


def by_table_sqlite(path: Path) -> dict[str, int]:
    """{table: bytes of its pages and its indexes' pages} after VACUUM; without `dbstat` (SQLite built without
    it), the pages in use as one entry."""
    with closing(sqlite3.connect(path)) as db:
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the file itself, not a write-ahead log beside it
        schema = db.execute("SELECT name, tbl_name, sql FROM sqlite_schema").fetchall()
        try:
            used = db.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
        except sqlite3.OperationalError:
            pages = db.execute("PRAGMA page_count").fetchone()[0] - db.execute("PRAGMA freelist_count").fetchone()[0]
            return {"(all tables: no dbstat)": pages * db.execute("PRAGMA page_size").fetchone()[0]}
    owner = {name: table for name, table, _ in schema}
    for name, _, sql in schema:
        if (sql or "").upper().startswith("CREATE VIRTUAL TABLE"):
            owner.update({f"{name}_{s}": f"{name} ({s})" for s in FTS5_SHADOWS})
    out: dict[str, int] = {}
    for name, size in used:
        table = owner.get(name, name)
        out[owner.get(table, table)] = out.get(owner.get(table, table), 0) + size
    return out


def by_table_postgres(url: str) -> dict[str, int]:
    """{table: pg_total_relation_size (its indexes and TOAST included)} after VACUUM FULL; the paragraphs' GIN
    index over their lexical terms (schema 12: PostgreSQL's lexical index) on a line of its own."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM FULL")
        out = dict(conn.execute("SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN "
                                "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                                "AND c.relkind = 'r'").fetchall())
        index = conn.execute("SELECT pg_relation_size(to_regclass('paragraphs_terms'))").fetchone()[0]
    if index is not None:
        out["paragraphs"] -= index
        out["paragraphs (GIN index)"] = index
    return out


def grow(store: Store, files: list[Path]) -> int:
    done = 0
    for path in files:
        try:
            prepared = prepare(path, store)
        except ReportError as e:  # not a report (a folder's README): said, and left out of the count
            print(f"skipped {path.name}: {e}", file=sys.stderr)
            continue
        if isinstance(prepared, Outcome):
            continue
        store.replace_report(prepared.report, list(prepared.paragraphs), list(prepared.cells),
                             list(prepared.checks), list(prepared.findings))
        done += 1
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.storage", description=__doc__.splitlines()[0])
    parser.add_argument("--samples", default=str(SAMPLES), help="real reports written first (default: samples/)")
    parser.add_argument("--sizes", default="100,1000", help="synthetic report counts, ascending (default 100,1000)")
    parser.add_argument("--work", default=None, help="folder for the database and synthetic reports (default: temp)")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(",") if int(s) > 0)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(args.work or tmp)
        synth = write(sizes[-1], work / "synth") if sizes else []
        store = open_store(work / "db")
        before = measure(store, work / "db")
        real = sorted(p for p in Path(args.samples).iterdir() if p.suffix in (".txt", ".md", ".pdf", ".docx"))
        steps = [("real reports", real)]
        steps += [(f"to {n} synthetic", synth[prev:n]) for prev, n in zip([0, *sizes], sizes, strict=False)]
        print(f"{'step':<18}{'reports':>8}{'KB/report':>11}{'w/o text':>10}{'of which dictionaries':>23}")
        growth: list[tuple[str, dict[str, float]]] = []
        for label, files in steps:
            added = grow(store, files)
            after = measure(store, work / "db")
            per = [(a - b) / 1024 / max(added, 1) for a, b in zip(after[:3], before[:3], strict=True)]
            print(f"{label:<18}{added:>8}{per[0]:>11.1f}{per[1]:>10.1f}{per[2]:>23.1f}", flush=True)
            growth.append((label, {t: (after[3].get(t, 0) - before[3].get(t, 0)) / 1024 / max(added, 1)
                                   for t in after[3].keys() | before[3].keys()}))
            before = after
        store.close()
    tables = sorted({t for _, g in growth for t in g}, key=lambda t: -growth[-1][1].get(t, 0))
    print(f"\nKB per report by table{' (PostgreSQL)' if store.postgres else ' (SQLite)'}")
    print(f"{'table':<24}" + "".join(f"{label:>18}" for label, _ in growth))
    for table in tables:
        if any(abs(g.get(table, 0)) >= 0.05 for _, g in growth):
            print(f"{table:<24}" + "".join(f"{g.get(table, 0):>18.1f}" for _, g in growth))
    print(f"{'all tables':<24}" + "".join(f"{sum(g.values()):>18.1f}" for _, g in growth))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
