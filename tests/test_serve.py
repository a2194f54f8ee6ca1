"""`make run` on a fresh clone: ui.serve has a second process parse and embed the samples while the server starts,
and writes them itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ingest.store import Store
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
