"""Store size per report: the eight samples, then synthetic reports, written through the real parser and store.

`python -m bench.storage [--sizes 100,1000] [--work DIR]`, or with DATABASE_URL on an empty PostgreSQL database.
Reports are read, parsed and checked by `ingest.pipeline.prepare` and written by `Store.replace_report` (no
embedding: the index lives elsewhere). After each size the SQLite file is VACUUM-ed (PostgreSQL: VACUUM FULL);
the size per report is the growth between two sizes divided by the reports added (pages, indexes and, on
PostgreSQL, TOAST included), and the same without the report's text and its lexical terms.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from ingest.pipeline import Outcome, prepare
from store import Store, open_store

from .synth import SAMPLES, write

TEXT_TABLES = ("paragraphs", "lexical")  # the report's text and its search index: not "structured" bytes
SHARED_TABLES = ("cell_keys", "check_identities")  # dictionaries every report refers to: grow with variety only


def measure(store: Store, folder: Path) -> tuple[int, int, int]:
    """(store bytes, bytes outside the text tables, bytes of the shared dictionaries), VACUUM-ed."""
    if store.postgres:
        return measure_postgres(store.url)
    path = folder / "reports.sqlite3"
    with closing(sqlite3.connect(path)) as db:
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the file itself, not a write-ahead log beside it
        pages = db.execute("SELECT name, tbl_name FROM sqlite_schema").fetchall()
        text = {n for n, t in pages if any(t.startswith(x) or n.startswith(x) for x in TEXT_TABLES)}
        used = db.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
    shared = {n for n, t in pages if t in SHARED_TABLES}
    return path.stat().st_size, sum(b for n, b in used if n not in text), sum(b for n, b in used if n in shared)


def measure_postgres(url: str) -> tuple[int, int, int]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM FULL")
        sizes = dict(conn.execute("SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN "
                                  "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                                  "AND c.relkind = 'r'").fetchall())
    text = sum(b for n, b in sizes.items() if n.startswith(TEXT_TABLES))
    return sum(sizes.values()), sum(sizes.values()) - text, sum(sizes.get(n, 0) for n in SHARED_TABLES)


def grow(store: Store, files: list[Path]) -> int:
    done = 0
    for path in files:
        prepared = prepare(path, store)
        if isinstance(prepared, Outcome):
            continue
        store.replace_report(prepared.report, list(prepared.paragraphs), list(prepared.cells),
                             list(prepared.checks), list(prepared.findings))
        done += 1
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.storage", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="synthetic report counts, ascending (default 100,1000)")
    parser.add_argument("--work", default=None, help="folder for the database and synthetic reports (default: temp)")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(args.work or tmp)
        synth = write(sizes[-1], work / "synth")
        store = open_store(work / "db")
        before = measure(store, work / "db")
        steps = [("8 samples", sorted(SAMPLES.glob("*.txt")))]
        steps += [(f"to {n} synthetic", synth[prev:n]) for prev, n in zip([0, *sizes], sizes, strict=False)]
        print(f"{'step':<18}{'reports':>8}{'KB/report':>11}{'w/o text':>10}{'of which dictionaries':>23}")
        for label, files in steps:
            added = grow(store, files)
            after = measure(store, work / "db")
            per = [(a - b) / 1024 / max(added, 1) for a, b in zip(after, before, strict=True)]
            print(f"{label:<18}{added:>8}{per[0]:>11.1f}{per[1]:>10.1f}{per[2]:>23.1f}", flush=True)
            before = after
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
