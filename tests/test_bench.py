"""Synthetic benchmark reports parse like real ones: every cell found, every identity and narrative check true."""

from __future__ import annotations

from bench.synth import agency, write
from core.template import TABLES
from ingest.check.rules import narrative_checks, narrative_figures, table_checks
from ingest.parse.clean import clean_text
from ingest.parse.metadata import metadata
from ingest.parse.sections import paragraphs
from ingest.parse.tables import parse_tables


def test_synthetic_reports_parse_with_all_checks_true(tmp_path):
    paths = write(4, tmp_path, seed=3)
    assert [p.name for p in paths] == ["synth_0000_2022.md", "synth_0001_2023.md", "synth_0002_2024.md",
                                       "synth_0003_2022.md"]
    for path in paths:
        text = clean_text(path.read_text(encoding="utf-8"))
        paras = paragraphs(path.stem, text)
        figures = narrative_figures(paras)
        cells, findings = parse_tables(text, path.stem, figures)
        checks = [c for t in TABLES.values() for c in table_checks(path.stem, t, cells)]
        checks += narrative_checks(path.stem, cells, figures)
        assert len(cells) == 200 and findings == [] and all(c.value is not None for c in cells)
        assert checks and [c.name for c in checks if c.status != "pass"] == []
        assert any(c.kind == "narrative" for c in checks)
        meta, number = metadata(text, path.name), int(path.stem.split("_")[1])
        assert meta["agency"] == f"{agency(number)}人民政府" and meta["year"] in (2022, 2023, 2024)


def test_same_seed_same_reports(tmp_path):
    a, b = write(2, tmp_path / "a", seed=5), write(2, tmp_path / "b", seed=5)
    assert [p.read_text(encoding="utf-8") for p in a] == [p.read_text(encoding="utf-8") for p in b]
    assert len({agency(i) for i in range(0, 3000, 3)}) == 1000  # 1,000 agencies, three years each
    names = {agency(i) for i in range(0, 100_000, 3)}  # the 100,000-report run never repeats an agency and year
    assert len(names) == 33_334 and not any(n[1:] in names for n in names)  # no name holds another


def test_grow_clones_ingested_reports_under_new_names_through_the_store_and_index(tmp_path, embedder):
    from bench.grow import grow
    from ingest.index.vectors import NarrativeIndex
    from ingest.pipeline import ingest_paths
    from store import Store
    from store.lexical import bigrams

    store, index = Store(tmp_path / "db"), NarrativeIndex(tmp_path / "db", embedder)
    ingest_paths(write(3, tmp_path / "synth"), store, index)
    assert grow(store, index, 5) == 2 and grow(store, index, 5) == 0
    clone = store.report("clone_00004_2023")
    assert clone.agency == f"{agency(4)}人民政府" and clone.year == 2023 and clone.sha256 != store.report(
        "synth_0001_2023").sha256
    paragraphs = store.paragraphs("clone_00004_2023")
    assert paragraphs and not any(agency(1) in p.text for p in paragraphs)
    assert any(agency(4) in p.text for p in paragraphs)
    assert store.lexical_search(bigrams(paragraphs[-1].plain), 1, ["clone_00004_2023"])[0][0] == paragraphs[-1]
    assert len(store.cells("clone_00004_2023")) == 200
    terms = [t for c in store.checks("clone_00004_2023") for t in c.left_terms + c.right_terms]
    assert terms and not any("synth_0001_2023" in t for t in terms)  # its checks cite its own cells
    assert {c.report for c, _ in index.vectors("clone_00004_2023")} == {"clone_00004_2023"}
    assert len(index.vectors("clone_00004_2023")) == len(index.vectors("synth_0001_2023"))


def test_replicas_bench_times_writes_and_catches_a_removed_report_cited(tmp_path, embedder):
    """bench.replicas at tiny size: the answers after an add, a rename and a removal are right, the churn reports
    are gone afterwards, and the ingest report flags an answer citing a report removed before it was asked."""
    import json

    from bench.replicas import after_write, first_answer, report_ingest, snapshot
    from ingest.index.vectors import NarrativeIndex
    from ingest.pipeline import ingest_paths
    from store import Store
    from tests.conftest import SAMPLES

    folder = tmp_path / "db"
    store = Store(folder)
    ingest_paths([SAMPLES / "liuyang_2023.txt", *write(3, tmp_path / "synth")], store,
                 NarrativeIndex(folder, embedder))
    before = {r.id for r in store.reports()}
    store.close()
    lines = after_write(folder, repeat=1)
    assert lines[-1] == "  wrong answers: 0", lines
    assert {r for r in lines if r.split()[0] in ("add", "replace", "rename", "remove")}
    store = Store(folder)
    assert {r.id for r in store.reports()} == before  # the churn report it wrote is removed again
    store.close()
    first = first_answer(folder, runs=1)
    assert first[-1].endswith("right answers 1/1"), first
    saved = snapshot(folder)  # runs (a save on its thread, timed), leaving the snapshot at the store's generation
    store = Store(folder)
    assert saved[-1].endswith(f", {store.generation()} after"), saved
    store.close()

    work = tmp_path / "ingest"
    work.mkdir()
    ops = [{"op": "add", "report": "churn_1", "t0": 1.0, "t1": 1.5, "place": "青溪市", "year": 2023},
           {"op": "remove", "report": "churn_1", "t0": 10.0, "t1": 10.2}]
    (work / "writer.jsonl").write_text("".join(json.dumps(o) + "\n" for o in ops), encoding="utf-8")
    answers = [{"t0": 5.0, "t1": 5.1, "kind": "churn figure", "id": "churn_1", "ms": 2.0, "answered": True,
                "cites": ["churn_1"]},  # asked while it was there
               {"t0": 10.1, "t1": 10.3, "kind": "churn figure", "id": "churn_1", "ms": 3.0, "answered": True,
                "cites": ["churn_1"]},  # asked while it was being removed: not flagged
               {"t0": 11.0, "t1": 11.1, "kind": "figure", "id": "f", "ms": 4.0, "answered": True,
                "cites": ["churn_1"]}]  # asked after its removal committed
    (work / "replica0.jsonl").write_text("".join(json.dumps(a) + "\n" for a in answers), encoding="utf-8")
    out = report_ingest(work, (0.0, 8.0), (8.0, 16.0), 1, 1.0)
    assert "answers citing a report removed before they were asked: 1" in "\n".join(out)
    assert any(line.split()[:2] == ["churn", "figure"] and line.split()[2:4] == ["1", "2.0"] for line in out)
