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
"""

from __future__ import annotations

import argparse
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
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.command == "sqlite":
        build_sqlite(args.work, args.size, args.parsed, args.start_from)
    else:
        copy_to_postgres(args.source, args.url, args.into, args.procs)
    print(f"done in {time.perf_counter() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
