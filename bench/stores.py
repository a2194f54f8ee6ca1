"""Bench stores of 10,000 and 100,000 reports on SQLite and PostgreSQL, built once and kept for later runs.

```
python -m bench.stores sqlite /work/benchdata/sqlite-10k --size 10000             # 866 ingested, the rest cloned
python -m bench.stores sqlite /work/benchdata/sqlite-100k --size 100000 --start-from /work/benchdata/sqlite-10k
python -m bench.stores postgres /work/benchdata/sqlite-10k postgresql://postgres@127.0.0.1:55921/bench10k \\
    --into /work/benchdata/pg-10k --procs 2
```

`sqlite DIR`: the layout of `bench.latency --work DIR` (DIR/db holds the SQLite file and the Chroma folder,
DIR/synth the synthetic markdown): `--parsed` reports (default 866: the eight samples and 858 `bench.synth`
reports) go through the real pipeline, the rest are `bench.grow` clones. `--start-from` copies a smaller store's
folder first (a 100,000 store grows from the 10,000 one instead of from nothing). Run again over the same folder,
it adds only what is missing: a build stopped half-way resumes.

`postgres SRC URL`: the records of the SQLite store SRC (a folder made as above) written into the PostgreSQL
database at URL through the real `Store.replace_report`, by `--procs` processes (reports split by position),
with `synchronous_commit=off` for these writers only (the bench reads afterwards; nothing else is relaxed);
reports already there with the same sha256 are skipped, so this resumes too. `--into DIR` gets a copy of SRC's
Chroma folder (DIR/db/chroma): the same chunk ids and vectors, kept apart so that a bench writing to one store
never touches the other's index. Every write bumps the store's generation as an ingest would.

`rows DIR --size N --start-from SRC [--url URL]` (minutes, not hours: clones go about 4 a second on a loaded
machine): a copy of the store SRC (its SQLite file, or with `--url` a PostgreSQL database made first with
`CREATE DATABASE … TEMPLATE …`; its Chroma folder copied to DIR/db/chroma either way), then report rows only
(`reports`: id `row_NNNNNN_YEAR`, agency the next `bench.synth` names as a clone would get, title, sha256; no
paragraphs, cells, checks, findings or vectors) written in one transaction, logged in the change log as any write
is, until the store holds N reports; then the agency catalog's snapshot saved (`python -m qa warm`'s
`save_catalog`). The catalog, the reports table and every lookup by agency then have N reports; a figure question
about a copied report is answered from its cells as in SRC; questions about a `row_` report find no figures.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import time
from multiprocessing import Process
from pathlib import Path

from store import Store

PARSED = 866  # reports through the pipeline before cloning: as bench.latency's earlier 10,000 and 100,000 runs


def build_sqlite(work: Path, size: int, parsed: int = PARSED, start_from: Path | None = None) -> None:
    """Grow the SQLite store in work/db to `size` reports: `parsed` ingested, the rest bench.grow clones."""
    from bench.grow import grow
    from bench.latency import embedder, files_for
    from bench.synth import write
    from ingest.index.vectors import NarrativeIndex
    from ingest.pipeline import ingest_paths

    if start_from is not None and not (work / "db").exists():
        start = time.perf_counter()
        # the SQLite file through its backup API (a consistent copy whatever its WAL holds), the Chroma folder as is
        shutil.copytree(start_from / "db", work / "db", ignore=shutil.ignore_patterns("*.lock", "reports.sqlite3*"))
        with sqlite3.connect(start_from / "db" / "reports.sqlite3") as src, \
                sqlite3.connect(work / "db" / "reports.sqlite3") as dst:
            src.backup(dst)
        shutil.copytree(start_from / "synth", work / "synth", dirs_exist_ok=True)
        print(f"copied {start_from} in {time.perf_counter() - start:.0f} s", flush=True)
    synth = write(max(min(size, parsed) - 8, 0), work / "synth")
    store, index = Store(work / "db"), NarrativeIndex(work / "db", embedder(0))
    start = time.perf_counter()
    done = ingest_paths(files_for(min(size, parsed), synth), store, index, folder=work / "db")
    ingested = sum(o.status == "ingested" for o in done)
    print(f"ingested {ingested} in {time.perf_counter() - start:.0f} s", flush=True)
    dropped = _unindexed_clones(store, index)
    if dropped:
        print(f"removed {dropped} clones a stopped build had left without vectors", flush=True)
    start, chunk = time.perf_counter(), 1000
    have = len(store.reports())
    while have < size:  # in steps, so that a log shows the rate and a stopped build keeps what it wrote
        cloned = grow(store, index, min(have + chunk, size))
        have += cloned
        print(f"{have} reports; {cloned} cloned, {(time.perf_counter() - start):.0f} s so far", flush=True)
    store.close()


def _unindexed_clones(store: Store, index, last: int = 400) -> int:
    """Remove the latest clones whose vectors never reached the index (`grow` writes them `batch` clones at a time:
    a build stopped between leaves up to a batch in the store only); the build writes them again."""
    clones = sorted((r.id for r in store.reports() if r.id.startswith("clone_")), key=lambda i: int(i.split("_")[1]))
    missing = [i for i in clones[-last:] if not index.vectors(i)]
    for report_id in missing:
        store.delete_report(report_id)
    return len(missing)


ROWS_FROM = 20_000  # bench.synth numbers of the report-only rows: past SRC's clones, before bench.replicas' churn


def build_rows(work: Path, size: int, start_from: Path, url: str = "") -> None:
    """Copy SRC (SQLite file or, with `url`, an existing database already copied) and add report rows to `size`."""
    from bench.synth import YEARS, agency
    from qa.scope import save_catalog

    start = time.perf_counter()
    if not (work / "db" / "chroma").exists():
        shutil.copytree(start_from / "db" / "chroma", work / "db" / "chroma")
    if not url and not (work / "db" / "reports.sqlite3").exists():
        with sqlite3.connect(start_from / "db" / "reports.sqlite3") as src, \
                sqlite3.connect(work / "db" / "reports.sqlite3") as dst:
            src.backup(dst)
    print(f"copied {start_from} in {time.perf_counter() - start:.0f} s", flush=True)
    start = time.perf_counter()
    store = Store(url=url) if url else Store(work / "db")  # migrated here if older
    print(f"opened (migrated) in {time.perf_counter() - start:.0f} s", flush=True)
    have = {r.id for r in store.reports()}
    rows, i = [], ROWS_FROM
    while len(have) + len(rows) < size:
        year, place = YEARS[i % len(YEARS)], agency(i)
        rid = f"row_{i:06d}_{year}"
        if rid not in have:
            name = f"{place}人民政府"
            rows.append((rid, name, year, f"{name}{year}年政府信息公开工作年度报告", None, f"{rid}.md",
                         hashlib.sha256(rid.encode()).hexdigest(), "md", 6000, "cli", "2026-12-03T00:00:00+00:00",
                         ""))
        i += 1
    start = time.perf_counter()
    with store._transaction() as cur:
        store._insert(cur, "reports", rows, ("id", "agency", "year", "title", "published", "source", "sha256",
                                             "layout", "size", "ingested_by", "ingested_at", "source_url"))
        store._count(cur, touched=[r[0] for r in rows])
    print(f"{len(rows)} report rows written in {time.perf_counter() - start:.0f} s", flush=True)
    start = time.perf_counter()
    catalog = save_catalog(store)
    print(f"{len(catalog.reports)} reports; catalog snapshot saved in {time.perf_counter() - start:.0f} s",
          flush=True)
    store.close()


def _copy_part(src: Path, url: str, part: int, parts: int) -> None:
    os.environ["PGOPTIONS"] = f"{os.environ.get('PGOPTIONS', '')} -c synchronous_commit=off".strip()
    lite, pg = Store(src / "db"), Store(url=url)
    have = dict(pg._rows("SELECT id, sha256 FROM reports"))
    todo = [r for n, r in enumerate(lite.reports()) if n % parts == part and have.get(r.id) != r.sha256]
    start = time.perf_counter()
    for n, r in enumerate(todo, 1):
        pg.replace_report(r, lite.paragraphs(r.id), lite.cells(r.id), lite.checks(r.id), lite.findings(r.id))
        if n % 500 == 0 or n == len(todo):
            print(f"part {part}: {n}/{len(todo)} in {time.perf_counter() - start:.0f} s", flush=True)
    lite.close()
    pg.close()


def copy_to_postgres(src: Path, url: str, into: Path | None, procs: int = 2) -> None:
    """The SQLite store at src/db written into the PostgreSQL database at `url` by `procs` processes."""
    Store(url=url).close()  # migrate once before the writers start
    if into is not None and not (into / "db" / "chroma").exists():
        shutil.copytree(src / "db" / "chroma", into / "db" / "chroma")
    workers = [Process(target=_copy_part, args=(src, url, k, procs)) for k in range(procs)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stores", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    lite = sub.add_parser("sqlite", help="ingest and clone into DIR/db")
    lite.add_argument("work", type=Path)
    lite.add_argument("--size", type=int, required=True)
    lite.add_argument("--parsed", type=int, default=PARSED)
    lite.add_argument("--start-from", type=Path, default=None, help="a smaller store's folder to copy first")
    pg = sub.add_parser("postgres", help="copy a SQLite bench store into PostgreSQL")
    pg.add_argument("source", type=Path, help="a folder made by `bench.stores sqlite`")
    pg.add_argument("url", help="postgresql://… of an existing (empty or partly copied) database")
    pg.add_argument("--into", type=Path, default=None, help="folder for a copy of the source's Chroma index")
    pg.add_argument("--procs", type=int, default=2)
    rows = sub.add_parser("rows", help="a copy of a store grown with report rows only")
    rows.add_argument("work", type=Path)
    rows.add_argument("--size", type=int, required=True)
    rows.add_argument("--start-from", type=Path, required=True, help="the store folder copied (its Chroma folder)")
    rows.add_argument("--url", default="", help="postgresql://… of a database already made from SRC's (TEMPLATE)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.command == "rows":
        build_rows(args.work, args.size, args.start_from, args.url)
    elif args.command == "sqlite":
        build_sqlite(args.work, args.size, args.parsed, args.start_from)
    else:
        copy_to_postgres(args.source, args.url, args.into, args.procs)
    print(f"done in {time.perf_counter() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
