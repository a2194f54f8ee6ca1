"""`make run` on a fresh clone: ui.serve has a second process parse and embed the samples while the server starts,
and writes them itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from store import Store
from tests.conftest import free_port
from tests.test_browser import _wait_healthy

ROOT = Path(__file__).resolve().parent.parent


def test_first_start_ingests_the_samples_beside_the_starting_server(tmp_path: Path):
    samples, db = tmp_path / "samples", tmp_path / "db"
    samples.mkdir()
    shutil.copy(ROOT / "samples" / "hongze_2024.txt", samples)
    env = {**os.environ, "REPORTS_DB": str(db), "SAMPLES_DIR": str(samples), "LLM_PROVIDER": ""}
    env.pop("DATABASE_URL", None)
    port = free_port()
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "ui.serve", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(f"http://127.0.0.1:{port}", server, seconds=90)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not (reports := Store(db).reports()):
            time.sleep(0.3)
        assert [(r.id, r.ingested_by) for r in reports] == [("hongze_2024", "first-start")], \
            (tmp_path / "serve.log").read_text(encoding="utf-8")[-2000:]
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def test_a_failed_worker_leaves_the_first_start_ingest_to_the_app(tmp_path: Path, monkeypatch):
    """The worker process cannot open its store (a file where the folder should be): the app ingests itself."""
    from ingest.index.embed import get_embedder
    from ingest.index.vectors import NarrativeIndex
    from ingest.workers import Workers
    from store import audit
    from ui import resources

    samples = tmp_path / "samples"
    samples.mkdir()
    shutil.copy(ROOT / "samples" / "hongze_2024.txt", samples)
    (tmp_path / "not-a-folder").write_text("x", encoding="utf-8")
    broken = Workers(tmp_path / "not-a-folder", None, 1).prepare(sorted(samples.iterdir()), audit.FIRST_START, "")
    db = tmp_path / "db"
    res = resources.Resources(str(db), Store(db), NarrativeIndex(db, get_embedder()))
    monkeypatch.setenv("SAMPLES_DIR", str(samples))
    outcomes = resources.ingest_samples(res, broken)
    assert [o.status for o in outcomes] == ["ingested"] and res.ready.is_set()
    assert [(r.id, r.ingested_by) for r in res.store.reports()] == [("hongze_2024", "first-start")]
