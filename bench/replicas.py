"""What a write costs the replicas: the first figure after a write, a new process's first answer, answers under ingest.

```
python -m bench.replicas --db /work/benchdata/sqlite-10k/db                     # all three, SQLite 10,000
python -m bench.replicas --db /work/benchdata/sqlite-10k/db after-write --repeat 5
python -m bench.replicas --db /work/benchdata/sqlite-10k/db first-answer --runs 5
python -m bench.replicas --db /work/benchdata/sqlite-10k/db ingest --replicas 2 --interval 1 --seconds 120
DATABASE_URL=postgresql://postgres@127.0.0.1:55921/bench10k python -m bench.replicas --db /work/benchdata/pg-10k/db
```

`--db` is a store folder (the SQLite file and the Chroma folder; with DATABASE_URL only the Chroma folder), e.g.
one made by `bench.stores`. A benchmark, not a test: nothing fails when a figure is slow; what an answer
got wrong is counted and printed.

- `after-write`: one process holding a warmed `qa.answer.Answerer` (with the real `qa.retrieve.Retriever`) makes a
  write, then times its next figure question: a new report (a `bench.grow.Cloner` copy of a synthetic report under
  a new id and agency, `churn_…`, store then vectors), the same report written again, its agency renamed
  (`Store.rename_agency`), and the report removed (`ingest.remove.remove_report`). The question after an add,
  a replace or a rename asks for the written report's figure and must cite it; after a removal a sample's
  figure is asked, then (untimed) the removed report's, which must not cite it. Median of `--repeat` rounds,
  beside the same question on a quiet store.
  The catalog's snapshot saves the run met (`qa.scope.save_later`, one every `SNAPSHOT_EVERY` writes: run ≥ 150
  rounds, 600 writes, to meet one) are counted, and the slowest single answer of the run printed.
- `snapshot`: the catalog's snapshot of the store on its own: `Catalog.dumps` (wall, its longest chunk: what a
  save holds the GIL for at most), its size, `Catalog.loads`; then a save on its thread (`qa.scope.save_later`,
  written to the store) while the main thread ticks every millisecond: the longest gap between two ticks is what
  a save stalls the threads answering meanwhile (beside the same ticking with no save running).
- `first-answer`: a new process (`python -m bench.replicas once`: imports, opens the store as the app does, the
  index and embedder left to the first narrative question as there, answers one figure question); the wall time
  from starting it to its answer printed, and its CPU time, `--runs` times.
- `ingest`: a writer process adds, rewrites, renames and removes `churn_…` reports (one operation every
  `--interval` seconds, each logged with the moment it committed) while `--replicas` processes ask the questions
  of tests/questions.jsonl in a loop, with a figure question about a churn report (live or removed) every
  `--churn-every` questions. First `--seconds` on a quiet store (the churn reports of the set-up only), then as
  long with the writer running; median and p95 per kind in each window, and every answer citing a report whose
  removal had committed before the question was asked. A Chroma server over the store's Chroma folder is started
  for them unless CHROMA_URL is set (replicas share one index as in README "Scaling out"). The writer removes its
  churn reports when it stops: the store is left with the reports it had. `--lexical`: the replicas answer without
  the Chroma index (narrative from the store's lexical search alone), for a store whose reports are not all in it
  (`bench.stores rows`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURE = "浏阳市2023年收到多少件政府信息公开申请？"  # a sample's figure: in every bench store
CHURN = "churn_"  # ids of the reports these benches write and remove
CHURN_PLACES = 120_000  # bench.synth agency numbers of churn reports: past any clone of a 100,000-report store


def churn_question(place: str, year: int) -> str:
    return f"{place}{year}年本年新收政府信息公开申请数量是多少？"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _open(folder: Path, lazy: bool = False, lexical: bool = False):
    """The store (DATABASE_URL or the folder's SQLite), the index (CHROMA_URL or the folder's) and an answerer.

    `lazy`: as the app does (ui.resources), the index and its embedder are opened by the first narrative question,
    not before (None is returned for the index). `lexical`: no index at all (narrative answers from the store's
    lexical search alone: a store whose reports are not all in the index)."""
    from qa.answer import Answerer, LazyRetriever
    from store import open_store

    def index():
        from ingest.index.vectors import NarrativeIndex

        return NarrativeIndex(folder)

    def retriever(index_):
        from qa.retrieve import Retriever

        return Retriever(store, index_)

    store = open_store(folder)
    if lexical:
        return store, None, Answerer(store, retriever(None))
    if lazy:
        return store, None, Answerer(store, LazyRetriever(lambda: retriever(index())))
    index_ = index()
    return store, index_, Answerer(store, retriever(index_))


def _cited(answer) -> set[str]:
    return {c.report for c in answer.citations}


class Churn:
    """The churn reports a writer keeps: clones of one synthetic report of each year, new places numbered on."""

    def __init__(self, store, index) -> None:
        from bench.grow import Cloner
        from bench.synth import YEARS

        bases = {}
        for r in store.reports():
            if r.id.startswith("synth_") and r.year in YEARS and r.year not in bases:
                bases[r.year] = r.id
        if len(bases) < len(YEARS):
            raise SystemExit("the store holds no bench.synth report of every year to clone (see bench.stores)")
        self.cloners = {y: Cloner(store, index, i) for y, i in bases.items()}
        self.years = YEARS
        self.store, self.index = store, index
        self.next = CHURN_PLACES
        self.live: dict[str, tuple[str, int]] = {}  # report id → (place, year)

    def leftovers(self) -> list[str]:
        """Churn reports an earlier run left (stopped before its clean-up)."""
        return [r.id for r in self.store.reports() if r.id.startswith(CHURN)]

    def _place(self) -> str:
        from bench.synth import agency

        self.next += 1
        return agency(self.next)

    def add(self) -> tuple[str, str, int]:
        year = self.years[self.next % len(self.years)]
        place = self._place()
        rid = f"{CHURN}{self.next:06d}_{year}"
        self.cloners[year].write(self.store, self.index, rid, place)
        self.live[rid] = (place, year)
        return rid, place, year

    def replace(self, rid: str) -> None:
        place, year = self.live[rid]
        self.cloners[year].write(self.store, self.index, rid, place)

    def rename(self, rid: str) -> str:
        place, year = self.live[rid]
        new = self._place()
        self.store.rename_agency(f"{place}人民政府", f"{new}人民政府")
        self.live[rid] = (new, year)
        return new

    def remove(self, rid: str) -> None:
        from ingest.remove import remove_report

        remove_report(rid, self.store, self.index)
        self.live.pop(rid, None)


# ---- after-write ----
def after_write(folder: Path, repeat: int) -> list[str]:
    store, index, answerer = _open(folder)
    churn = Churn(store, index)
    for rid in churn.leftovers():
        churn.remove(rid)
    for _ in range(3):  # warm: jieba, the catalog, the cells' dictionaries
        answerer.ask(FIGURE)
    times: dict[str, list[float]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)  # the process's CPU time for the same answers (a shared machine)
    writes: dict[str, list[float]] = defaultdict(list)
    wrong: list[str] = []
    import qa.scope

    saves: list[int] = []  # the generations whose snapshot save this process started (on a thread of its own)
    save_later = qa.scope.save_later

    def counted(store_, catalog):
        thread = save_later(store_, catalog)
        if thread is not None:
            saves.append(catalog.generation)
        return thread

    qa.scope.save_later = counted
    saved_before = store.snapshot_generation(qa.scope.SNAPSHOT)

    def timed(label: str, question: str, must_cite: str | None) -> None:
        start, start_cpu = time.perf_counter(), time.process_time()
        answer, _ = answerer.ask(question)
        times[label].append((time.perf_counter() - start) * 1000)
        cpu[label].append((time.process_time() - start_cpu) * 1000)
        if must_cite is not None and must_cite not in _cited(answer):
            wrong.append(f"{label}: {question} → {answer.text[:60]!r}")

    def write(label: str, action):
        start = time.perf_counter()
        out = action()
        writes[label].append((time.perf_counter() - start) * 1000)
        return out

    for _ in range(repeat):
        timed("quiet store (no write)", FIGURE, "liuyang_2023")
        rid, place, year = write("add", churn.add)
        timed("add", churn_question(place, year), rid)
        write("replace", lambda: churn.replace(rid))  # noqa: B023 (called at once)
        timed("replace", churn_question(place, year), rid)
        place = write("rename", lambda: churn.rename(rid))  # noqa: B023
        timed("rename", churn_question(place, year), rid)
        write("remove", lambda: churn.remove(rid))  # noqa: B023
        timed("remove", FIGURE, "liuyang_2023")
        answer, _ = answerer.ask(churn_question(place, year))
        if rid in _cited(answer):
            wrong.append(f"removed {rid} still cited")
    qa.scope.wait_for_save(store)
    saved_after = store.snapshot_generation(qa.scope.SNAPSHOT)
    qa.scope.save_later = save_later
    n = len(store.reports())
    store.close()
    lines = [f"after-write: {n} reports, {repeat} rounds, backend {'PostgreSQL' if store.postgres else 'SQLite'} "
             f"(load {os.getloadavg()[0]:.1f})",
             f"  {'the next figure after':<24}{'median ms':>10}{'cpu ms':>8}{'max ms':>10}{'max cpu':>9}"
             f"{'write ms':>10}   all (ms)"]
    for label, ms in times.items():  # (max cpu: the most CPU one answer took, its wall time beside it is the load's)
        w = f"{statistics.median(writes[label]):>10.0f}" if label in writes else f"{'':>10}"
        lines.append(f"  {label:<24}{statistics.median(ms):>10.1f}{statistics.median(cpu[label]):>8.1f}"
                     f"{max(ms):>10.1f}{max(cpu[label]):>9.1f}{w}   "
                     + " ".join(f"{m:.0f}" for m in ms))
    slowest = max((m, label) for label, ms in times.items() for m in ms)
    lines.append(f"  slowest single answer: {slowest[0]:.1f} ms ({slowest[1]}); {sum(map(len, writes.values()))} "
                 f"writes; snapshot saves started {len(saves)} (at generations {saves}), the store's snapshot at "
                 f"generation {saved_before} before, {saved_after} after")
    lines.append(f"  wrong answers: {len(wrong)}" + "".join(f"\n    {w}" for w in wrong))
    return lines


# ---- the catalog's snapshot ----
def snapshot(folder: Path) -> list[str]:
    import qa.scope

    store, _, answerer = _open(folder, lazy=True)
    catalog = answerer.catalog()
    qa.scope.wait_for_save(store)  # (one the catalog's load started: not measured)
    marks: list[float] = []
    start = time.perf_counter()
    pieces = catalog.dump_pieces(lambda: marks.append(time.perf_counter()))
    dumped = time.perf_counter()
    data = b"".join(pieces)
    chunks = [b - a for a, b in zip([start, *marks], [*marks, dumped], strict=True)]
    joined = time.perf_counter()
    loaded = qa.scope.Catalog.loads(data)
    load_s = time.perf_counter() - joined
    assert loaded is not None and len(loaded.reports) == len(catalog.reports)
    ticks: list[float] = []
    before = store.snapshot_generation(qa.scope.SNAPSHOT)
    qa.scope._SAVED[store] = None  # (as if the stored one were unreadable: saved again at its generation)
    started = time.perf_counter()
    thread = qa.scope.save_later(store, catalog)
    while thread.is_alive():
        ticks.append(time.perf_counter())
        time.sleep(0.001)
    saved_s = time.perf_counter() - started
    gaps = [b - a for a, b in zip([started, *ticks], ticks, strict=False)]
    quiet = [time.perf_counter()]  # the same ticking with no save running: what the machine's load alone makes
    while quiet[-1] - quiet[0] < saved_s:
        time.sleep(0.001)
        quiet.append(time.perf_counter())
    quiet_gaps = [b - a for a, b in zip(quiet, quiet[1:], strict=False)]
    after = store.snapshot_generation(qa.scope.SNAPSHOT)
    store.close()
    return [f"snapshot: {len(catalog.reports)} reports, {len(data) / 1e6:.1f} MB, {len(chunks)} chunks of "
            f"{qa.scope.SNAPSHOT_CHUNK} entries (load {os.getloadavg()[0]:.1f})",
            f"  Catalog.dumps {1000 * (dumped - start):.0f} ms, its longest chunk {1000 * max(chunks):.1f} ms "
            f"(median {1000 * statistics.median(chunks):.2f}); Catalog.loads {1000 * load_s:.0f} ms",
            f"  a save on its thread (dump and write): {1000 * saved_s:.0f} ms; the main thread ticking every 1 ms "
            f"meanwhile: longest gap {1000 * max(gaps, default=0):.1f} ms, median "
            f"{1000 * statistics.median(gaps or [0]):.2f} ms over {len(gaps)} ticks (no save running: longest "
            f"{1000 * max(quiet_gaps):.1f} ms, median {1000 * statistics.median(quiet_gaps):.2f}); the snapshot at "
            f"generation {before} before, {after} after"]


# ---- first answer of a new process ----
def once(folder: Path, question: str) -> int:
    """The child of `first-answer`: everything a new replica does before its first answer, then that answer."""
    start = time.perf_counter()
    store, _, answerer = _open(folder, lazy=True)
    opened = time.perf_counter()
    answerer.catalog()  # what the first answer reads first: the agency catalog (built, or loaded)
    catalog = time.perf_counter()
    answer, _ = answerer.ask(question)
    done = time.perf_counter()
    print(json.dumps({"open_s": opened - start, "catalog_s": catalog - opened, "answer_s": done - catalog,
                      "cpu_s": time.process_time(),  # the whole process's, interpreter start included
                      "answered": answer.answered, "cites": sorted(_cited(answer))}), flush=True)
    store.close()
    return 0


def first_answer(folder: Path, runs: int, question: str = FIGURE) -> list[str]:
    walls, rows = [], []
    for _ in range(runs):
        start = time.monotonic()
        child = subprocess.Popen([sys.executable, "-m", "bench.replicas", "--db", str(folder), "once", question],
                                 cwd=ROOT, stdout=subprocess.PIPE, text=True)
        line = child.stdout.readline()
        walls.append(time.monotonic() - start)
        child.wait()
        rows.append(json.loads(line) if line.strip() else
                    {"answered": False, "cites": [], "open_s": 0, "catalog_s": 0, "answer_s": 0, "cpu_s": 0})
    ok = sum(r["answered"] and "liuyang_2023" in r["cites"] for r in rows)
    return [f"first-answer: new process to its first figure answer, {runs} runs (load {os.getloadavg()[0]:.1f})",
            f"  wall median {statistics.median(walls):.2f} s, min {min(walls):.2f}, max {max(walls):.2f}; runs "
            + " ".join(f"{w:.2f}" for w in walls),
            f"  CPU time of the child to its answer: median {statistics.median(r['cpu_s'] for r in rows):.2f} s",
            f"  inside the child (medians): imports and opening the store (the index opens with the first "
            f"narrative question) {statistics.median(r['open_s'] for r in rows):.2f} s, the catalog "
            f"{statistics.median(r['catalog_s'] for r in rows):.2f} s, the answer after it "
            f"{statistics.median(r['answer_s'] for r in rows):.2f} s (word lists, cells); "
            f"right answers {ok}/{runs}"]


# ---- continuous ingest ----
def writer(folder: Path, log: Path, interval: float, live: int, go: Path, stop: Path, seed: int) -> int:
    """Churn reports: `live` added first, then (once `go` exists) one operation every `interval` s until `stop`
    exists; every operation logged with the time it committed; the churn reports removed at the end."""
    rng = random.Random(seed)
    store, index, _ = _open(folder)
    churn = Churn(store, index)
    with open(log, "a", encoding="utf-8") as out:
        def record(op: str, rid: str, t0: float, **more) -> None:
            out.write(json.dumps({"op": op, "report": rid, "t0": t0, "t1": time.time(), **more}) + "\n")
            out.flush()

        for rid in churn.leftovers():
            t0 = time.time()
            churn.remove(rid)
            record("remove", rid, t0, setup=True)
        for _ in range(live):
            t0 = time.time()
            rid, place, year = churn.add()
            record("add", rid, t0, place=place, year=year, setup=True)
        print("ready", flush=True)
        while not go.exists():
            time.sleep(0.05)
        next_at = time.monotonic()
        while not stop.exists():
            t0 = time.time()
            ids = sorted(churn.live)
            op = rng.choices(("add", "replace", "rename", "remove"), (0.35, 0.3, 0.1, 0.25))[0]
            if len(ids) < live // 2 or not ids:
                op = "add"
            elif len(ids) > 2 * live and op == "add":
                op = "remove"
            if op == "add":
                rid, place, year = churn.add()
                record(op, rid, t0, place=place, year=year)
            else:
                rid = rng.choice(ids)
                if op == "replace":
                    churn.replace(rid)
                    record(op, rid, t0)
                elif op == "rename":
                    place = churn.rename(rid)
                    record(op, rid, t0, place=place, year=churn.live[rid][1])
                else:
                    churn.remove(rid)
                    record(op, rid, t0)
            next_at += interval
            time.sleep(max(0.0, next_at - time.monotonic()))
        for rid in sorted(churn.live):
            t0 = time.time()
            churn.remove(rid)
            record("remove", rid, t0, cleanup=True)
    store.close()
    return 0


def _churn_names(log: Path) -> dict[str, tuple[str, int]]:
    """Every churn report the writer has logged, with its latest name: removed ones too (a question about one
    must be refused)."""
    names: dict[str, tuple[str, int]] = {}
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if "place" in row:
                names[row["report"]] = (row["place"], row["year"])
    return names


def replica(folder: Path, log: Path, out: Path, stop: Path, churn_every: int, seed: int, lexical: bool = False
            ) -> int:
    """Answer the questions of tests/questions.jsonl in a loop (a churn question every `churn_every`), each answer
    a line of `out`: when asked and answered (time.time()), kind, ms and the reports cited."""
    from qa.evaluate import load

    rng = random.Random(seed)
    questions = load()
    store, _, answerer = _open(folder, lazy=True, lexical=lexical)
    for q in questions:  # warm: every question once, untimed
        state = None
        for turn in q.conversation:
            _, state = answerer.ask(turn, state)
    print("ready", flush=True)
    with open(out, "w", encoding="utf-8") as sink:
        n = 0
        while not stop.exists():
            rng.shuffle(questions)
            for q in questions:
                if stop.exists():
                    break
                n += 1
                if churn_every and n % churn_every == 0 and (names := _churn_names(log)):
                    rid = rng.choice(sorted(names))
                    turns, kind, qid = (churn_question(*names[rid]),), "churn figure", rid
                else:
                    turns, kind, qid = q.conversation, q.kind, q.id
                state = None
                for turn in turns[:-1]:
                    _, state = answerer.ask(turn, state)
                t0, start = time.time(), time.perf_counter()
                answer, _ = answerer.ask(turns[-1], state)
                ms = (time.perf_counter() - start) * 1000
                sink.write(json.dumps({"t0": t0, "t1": time.time(), "kind": kind, "id": qid, "ms": ms,
                                       "answered": answer.answered, "cites": sorted(_cited(answer))}) + "\n")
    store.close()
    return 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chroma_server(folder: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "chroma"), "run", "--path", str(folder / "chroma"),
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
            return server, url
        except OSError:
            time.sleep(0.25)
    server.terminate()
    raise SystemExit("the Chroma server did not answer within 150 s")


def _wait_ready(child: subprocess.Popen, what: str) -> None:
    line = child.stdout.readline()
    if line.strip() != "ready":
        raise SystemExit(f"{what} stopped before it was ready (exit {child.wait()})")


def ingest(folder: Path, replicas: int, interval: float, seconds: float, live: int, churn_every: int,
           keep: Path | None, lexical: bool = False) -> list[str]:
    work = Path(keep or tempfile.mkdtemp(prefix="bench-replicas-"))
    work.mkdir(parents=True, exist_ok=True)
    log, go, stop = work / "writer.jsonl", work / "go", work / "stop"
    for f in (log, go, stop):
        f.unlink(missing_ok=True)
    env, server = dict(os.environ), None
    if not env.get("CHROMA_URL"):
        server, env["CHROMA_URL"] = _chroma_server(folder)
    cmd = [sys.executable, "-m", "bench.replicas", "--db", str(folder)]
    procs = []
    try:
        w = subprocess.Popen([*cmd, "writer", "--log", str(log), "--interval", str(interval), "--live", str(live),
                              "--go", str(go), "--stop", str(stop)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             text=True)
        procs.append(w)
        _wait_ready(w, "the writer")
        reps = [subprocess.Popen([*cmd, "replica", "--log", str(log), "--out", str(work / f"replica{k}.jsonl"),
                                  "--stop", str(stop), "--churn-every", str(churn_every), "--seed", str(k),
                                  *(["--lexical"] if lexical else [])],
                                 cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) for k in range(replicas)]
        procs += reps
        for k, r in enumerate(reps):
            _wait_ready(r, f"replica {k}")
        quiet = (time.time(), time.time() + seconds)
        time.sleep(seconds)
        go.touch()
        busy = (time.time(), time.time() + seconds)
        time.sleep(seconds)
        stop.touch()
        for p in procs:
            p.wait()
    finally:
        stop.touch()
        for p in procs:
            if p.poll() is None:
                p.terminate()
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    return report_ingest(work, quiet, busy, replicas, interval, lexical)


def report_ingest(work: Path, quiet: tuple[float, float], busy: tuple[float, float], replicas: int,
                  interval: float, lexical: bool = False) -> list[str]:
    ops = [json.loads(x) for x in (work / "writer.jsonl").read_text(encoding="utf-8").splitlines()]
    removed = {o["report"]: o["t1"] for o in ops if o["op"] == "remove"}
    answers = [json.loads(x) for f in sorted(work.glob("replica*.jsonl"))
               for x in f.read_text(encoding="utf-8").splitlines()]
    window = {"quiet": quiet, "ingest": busy}
    by: dict[tuple[str, str], list[float]] = defaultdict(list)
    for a in answers:
        for name, (lo, hi) in window.items():
            if lo <= a["t0"] < hi:
                by[(name, a["kind"])].append(a["ms"])
    writes = [o for o in ops if busy[0] <= o["t0"] < busy[1]]
    stale = [a for a in answers for r in a["cites"] if r in removed and removed[r] < a["t0"]]
    # a churn question about a report live throughout (added before it was asked, untouched until answered)
    touched = defaultdict(list)
    for o in ops:
        touched[o["report"]].append((o["t0"], o["t1"], o["op"]))
    missed = [a for a in answers if a["kind"] == "churn figure" and a["id"] not in removed
              and all(t1 < a["t0"] or t0 > a["t1"] for t0, t1, _ in touched[a["id"]])
              and a["id"] not in a["cites"]]
    uncited = sum(1 for a in answers if a["kind"] == "churn figure" and a["id"] not in a["cites"])
    write_ms = [(o["t1"] - o["t0"]) * 1000 for o in writes]
    lines = [f"ingest: {replicas} replica(s){' (lexical only: no Chroma index)' if lexical else ''}, "
             f"load {os.getloadavg()[0]:.1f}, {busy[1] - busy[0]:.0f} s quiet then as long with the writer "
             f"(one operation every {interval:g} s: {len(writes)} done, "
             + ", ".join(f"{k} {sum(o['op'] == k for o in writes)}" for k in ("add", "replace", "rename", "remove"))
             + (f"; write median {statistics.median(write_ms):.0f} ms" if write_ms else "") + ")",
             f"  {'kind':<14}{'n quiet':>8}{'median':>9}{'p95':>9}{'n ingest':>10}{'median':>9}{'p95':>9}"]
    kinds = sorted({k for _, k in by}, key=lambda k: (k == "churn figure", k))
    for kind in kinds:
        q, b = by.get(("quiet", kind), []), by.get(("ingest", kind), [])
        cell = lambda ms: f"{len(ms):>8}{statistics.median(ms):>9.1f}{p95(ms):>9.1f}" if ms else f"{0:>8}{'':>18}"
        lines.append(f"  {kind:<14}{cell(q)}  {cell(b)}")
    every = lambda name: [a["ms"] for a in answers if window[name][0] <= a["t0"] < window[name][1]]
    q_all, b_all = every("quiet"), every("ingest")
    if q_all and b_all:
        lines.append(f"  {'all':<14}{len(q_all):>8}{statistics.median(q_all):>9.1f}{p95(q_all):>9.1f}  "
                     f"{len(b_all):>8}{statistics.median(b_all):>9.1f}{p95(b_all):>9.1f}")
    lines.append(f"  answers citing a report removed before they were asked: {len(stale)}"
                 + "".join(f"\n    {a['id']} asked {a['t0']:.3f} cites {a['cites']}" for a in stale[:10]))
    lines.append(f"  churn questions about a live, untouched report not answered from it: {len(missed)} "
                 f"(churn questions not citing the report asked about, removed ones included: {uncited})")
    lines.append(f"  logs: {work}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.replicas", description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="store folder (SQLite file and/or Chroma folder)")
    sub = parser.add_subparsers(dest="command")
    a = sub.add_parser("after-write")
    a.add_argument("--repeat", type=int, default=5)
    sub.add_parser("snapshot")
    f = sub.add_parser("first-answer")
    f.add_argument("--runs", type=int, default=5)
    g = sub.add_parser("ingest")
    g.add_argument("--replicas", type=int, default=2)
    g.add_argument("--interval", type=float, default=1.0, help="seconds between the writer's operations")
    g.add_argument("--seconds", type=float, default=120.0, help="length of the quiet window and of the ingest one")
    g.add_argument("--live", type=int, default=10, help="churn reports the writer keeps (about)")
    g.add_argument("--churn-every", type=int, default=5, help="a churn question every N questions (0: none)")
    g.add_argument("--keep", type=Path, default=None, help="folder for the logs (default: a new temp folder)")
    g.add_argument("--lexical", action="store_true", help="replicas answer without the Chroma index")
    o = sub.add_parser("once", help=argparse.SUPPRESS)
    o.add_argument("question")
    w = sub.add_parser("writer", help=argparse.SUPPRESS)
    for name in ("--log", "--go", "--stop"):
        w.add_argument(name, type=Path, required=True)
    w.add_argument("--interval", type=float, default=1.0)
    w.add_argument("--live", type=int, default=10)
    w.add_argument("--seed", type=int, default=7)
    r = sub.add_parser("replica", help=argparse.SUPPRESS)
    for name in ("--log", "--out", "--stop"):
        r.add_argument(name, type=Path, required=True)
    r.add_argument("--churn-every", type=int, default=5)
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--lexical", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "once":
        return once(args.db, args.question)
    if args.command == "writer":
        return writer(args.db, args.log, args.interval, args.live, args.go, args.stop, args.seed)
    if args.command == "replica":
        return replica(args.db, args.log, args.out, args.stop, args.churn_every, args.seed, args.lexical)
    if args.command in (None, "after-write"):
        print("\n".join(after_write(args.db, getattr(args, "repeat", 5))), flush=True)
    if args.command == "snapshot":
        print("\n".join(snapshot(args.db)), flush=True)
    if args.command in (None, "first-answer"):
        print("\n".join(first_answer(args.db, getattr(args, "runs", 5))), flush=True)
    if args.command in (None, "ingest"):
        print("\n".join(ingest(args.db, getattr(args, "replicas", 2), getattr(args, "interval", 1.0),
                               getattr(args, "seconds", 120.0), getattr(args, "live", 10),
                               getattr(args, "churn_every", 5), getattr(args, "keep", None),
                               getattr(args, "lexical", False))), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
