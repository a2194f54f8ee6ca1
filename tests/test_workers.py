"""`python -m ingest --workers N`: worker processes prepare, one process writes; two ingesters at once stay correct."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ingest.index.embed import get_embedder
from ingest.index.vectors import NarrativeIndex
from ingest.parse.chunks import chunks
from store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
# two years of one agency (its name is unified across years by the writer), and a layout with unknown cells
FILES = [str(SAMPLES / f) for f in ("hongze_2023.txt", "hongze_2024.txt", "pingtan_2021.txt")]


def _ingest(folder: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": "", "CHROMA_URL": ""}
    return subprocess.Popen([sys.executable, "-m", "ingest", *FILES, "--db", str(folder), *extra], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")


def _cells(store: Store) -> list[tuple]:
    return sorted((c.report, c.table, c.row, c.column, c.value, c.note) for c in store.cells())


def test_parallel_ingesters_store_what_one_serial_ingest_stores(sample_db, tmp_path) -> None:
    """One ingester with two workers and a serial one, started together on one folder: each report once."""
    parallel, serial = _ingest(tmp_path, "--workers", "2"), _ingest(tmp_path)
    for process in (parallel, serial):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    store, reference = Store(tmp_path), Store(sample_db)
    ids = {Path(f).stem for f in FILES}
    assert {r.id for r in store.reports()} == ids
    assert _cells(store) == [c for c in _cells(reference) if c[0] in ids]
    agencies = {r.id: r.agency for r in store.reports()}
    assert agencies["hongze_2023"] == agencies["hongze_2024"] == "淮安市洪泽区人民政府"
    # whichever came second found the reports written: one "add" per report, nothing replaced
    assert sorted((e.action, e.report) for e in store.audit_log()) == sorted(("add", i) for i in ids)
    index = NarrativeIndex(tmp_path, get_embedder())
    assert index.count() == sum(len(chunks(store.paragraphs(report=i))) for i in ids)  # no vector twice
    assert index.reports() == sorted(ids)


def test_workers_must_be_positive(tmp_path) -> None:
    process = _ingest(tmp_path, "--workers", "0")
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2 and "--workers 0" in err


def test_a_failed_batch_write_to_the_index_leaves_each_report_to_write_its_own(tmp_path, monkeypatch) -> None:
    from ingest.pipeline import ingest_paths

    monkeypatch.setenv("DATABASE_URL", "")
    monkeypatch.setenv("CHROMA_URL", "")
    store, index = Store(tmp_path), NarrativeIndex(tmp_path, get_embedder())
    real, calls = index.add, []

    def flaky(batch, vectors=None, **options):
        calls.append(len(batch := list(batch)))
        if len(calls) == 1:
            raise RuntimeError("index unavailable")
        return real(batch, vectors, **options)

    monkeypatch.setattr(index, "add", flaky)
    outcomes = ingest_paths(FILES, store, index, workers=2, folder=tmp_path)
    assert [o.status for o in outcomes] == ["ingested"] * 3
    per_report = [len(chunks(store.paragraphs(report=Path(f).stem))) for f in FILES]
    assert calls == [sum(per_report), *per_report]  # one call for the batch; after its failure, one per report
    assert index.count() == sum(per_report) and index.reports() == sorted(Path(f).stem for f in FILES)
