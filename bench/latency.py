"""Answer latency per question kind at 1, 100 and 1,000 ingested reports (median and p95, CPU, one process).

`python -m bench.latency [--sizes 1,100,1000] [--work DIR] [--threads N] [--workers N]`. One database grows through
the sizes (SQLite and the embedded index; DATABASE_URL and CHROMA_URL select PostgreSQL and a Chroma server):
the first size holds liuyang_2023 alone, later ones all eight samples plus synthetic reports (bench.synth).
Ingest time is measured per step; the embedder is loaded once. Every question of tests/questions.jsonl is asked
(follow-ups with their earlier turns, untimed); questions about samples missing at a size are still timed.
`--work DIR` keeps the database and the synthetic files: a later run over that folder ingests only what it lacks
(the unchanged files are only hashed), so a store built once at 10,000 reports is measured again in minutes.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from ingest.index.vectors import NarrativeIndex
from ingest.pipeline import ingest_paths
from qa.answer import Answerer
from qa.evaluate import KINDS, load
from qa.retrieve import Retriever
from store import open_store

from .grow import grow
from .synth import SAMPLES, write

TARGETS_MS = {"figure": 30.0, "narrative": 150.0}  # medians at 1,000 reports


def embedder(threads: int):
    """The bundled USE model with `threads` BLAS threads (0: the project's default from ingest.index.embed)."""
    from ingest.index.embed import USEEmbeddings, get_embedder

    return get_embedder(None) if threads == 0 else USEEmbeddings(threads=threads)


def files_for(size: int, synth: list[Path]) -> list[Path]:
    samples = sorted(SAMPLES.glob("*.txt"))
    if size == 1:
        return [SAMPLES / "liuyang_2023.txt"]
    return samples + synth[: max(size - len(samples), 0)]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def time_questions(answerer: Answerer, repeat: int) -> dict[str, list[float]]:
    """Seconds per answer of each question (its last turn), by kind; each asked `repeat` times."""
    out: dict[str, list[float]] = {k: [] for k in KINDS}
    for q in load():
        for _ in range(repeat):
            state = None
            for turn in q.conversation[:-1]:
                _, state = answerer.ask(turn, state)
            start = time.perf_counter()
            answerer.ask(q.conversation[-1], state)
            out[q.kind].append(time.perf_counter() - start)
    return out


# Questions whose cost grows with the corpus by nature, timed apart (medians per kind above would hide them).
CORPUS_WIDE = {"rank over every agency": "哪个机关收到的政府信息公开申请最多？",
               "narrative, no agency named": "政府信息公开工作存在哪些问题？"}


def corpus_wide(answerer: Answerer, store, repeat: int = 3) -> list[str]:
    """Median ms of the CORPUS_WIDE questions, and of a figure question right after a write (the catalog and the
    agency names are rebuilt then: one report is rewritten as it is)."""
    out = []
    for label, question in CORPUS_WIDE.items():
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            answerer.ask(question)
            times.append((time.perf_counter() - start) * 1000)
        out.append(f"  {label:<30}{statistics.median(times):>10.0f} ms")
    times = []
    report = store.report("liuyang_2023")
    for _ in range(repeat):
        store.replace_report(report, store.paragraphs(report.id), store.cells(report.id), store.checks(report.id),
                             store.findings(report.id))
        start = time.perf_counter()
        answerer.ask("浏阳市2023年收到多少件政府信息公开申请？")
        times.append((time.perf_counter() - start) * 1000)
    out.append(f"  {'first figure after a write':<30}{statistics.median(times):>10.0f} ms")
    return out


def step(size: int, folder: Path, synth: list[Path], emb, repeat: int, workers: int = 1,
         parsed: int | None = None) -> list[str]:
    """Grow the database to `size` reports, then time every question; the lines of the table for this size.

    Beyond `parsed` reports (None: none), the rest are clones of ingested ones (bench.grow), not ingested."""
    start = time.perf_counter()
    store = open_store(folder)  # an older store is migrated here
    opened_s = time.perf_counter() - start
    index = NarrativeIndex(folder, emb)
    start = time.perf_counter()
    done = ingest_paths(files_for(min(size, parsed or size), synth), store, index, workers=workers, folder=folder)
    ingested = sum(o.status == "ingested" for o in done)
    ingest_s = time.perf_counter() - start
    start = time.perf_counter()
    cloned = grow(store, index, size) if parsed is not None else 0
    clone = f"; cloned {cloned} in {time.perf_counter() - start:.0f} s" if cloned else ""
    answerer = Answerer(store, Retriever(store, index))  # nothing is built: lexical search lives in the store
    start = time.perf_counter()
    answerer.ask("浏阳市2023年政务新媒体有多少个？")  # warm: jieba, the catalog of agency names
    first_ms = (time.perf_counter() - start) * 1000
    times = time_questions(answerer, repeat)
    n = len(store.reports())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    sqlite = sum(f.stat().st_size for f in folder.glob("reports.sqlite3*"))  # with the WAL not yet checkpointed
    size_kb = f"; SQLite {sqlite / 1024 / n:.0f} KB per report" if sqlite and n else ""
    lines = [f"reports={n}: store opened in {opened_s:.1f} s; ingested {ingested} in {ingest_s:.1f} s "
             f"({ingested / max(ingest_s, 1e-9):.1f} reports/s, {workers} worker(s)){clone}; "
             f"first answer {first_ms:.0f} ms; peak RSS {rss:.0f} MiB{size_kb}"]
    for kind in KINDS:
        ms = [t * 1000 for t in times[kind]]
        if ms:
            lines.append(f"  {kind:<13}{len(ms):>5}{statistics.median(ms):>10.1f}{p95(ms):>10.1f}")
    if store.report("liuyang_2023") is not None:
        lines += corpus_wide(answerer, store)
    store.close()
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.latency", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,1000", help="report counts, ascending (default 1,100,1000)")
    parser.add_argument("--work", default=None, help="folder for the database and synthetic reports (default: temp)")
    parser.add_argument("--threads", type=int, default=0, help="BLAS threads of the USE embedder (0: project default)")
    parser.add_argument("--repeat", type=int, default=1, help="times each question is asked")
    parser.add_argument("--workers", type=int, default=1, help="ingest worker processes (python -m ingest --workers)")
    parser.add_argument("--parsed", type=int, default=None,
                        help="ingest at most this many reports; clone ingested ones beyond (bench.grow)")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(args.work or tmp)
        synth = write(max(min(sizes[-1], args.parsed or sizes[-1]) - 8, 0), work / "synth")
        start = time.perf_counter()
        emb = embedder(args.threads)
        emb.embed_query("预热")
        print(f"embedder loaded in {time.perf_counter() - start:.1f} s (threads={args.threads or 'default'})")
        print(f"  {'kind':<13}{'n':>5}{'median ms':>10}{'p95 ms':>10}")
        for size in sizes:
            for line in step(size, work / "db", synth, emb, args.repeat, args.workers, args.parsed):
                print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
