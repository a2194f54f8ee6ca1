"""The same store on a real PostgreSQL server (a throwaway cluster started by the test) via DATABASE_URL."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pytest

from ingest.store import Store, open_store
from tests.conftest import SAMPLES

BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


def _as_postgres(*cmd: str) -> list[str]:
    # the server refuses to run as root; Debian's package creates the `postgres` user
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else list(cmd)


@pytest.fixture(scope="module")
def pg_url():
    if not BIN:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed: `make test` installs Debian's postgresql package")
        pytest.skip("PostgreSQL server not installed (apt-get install postgresql)")
    # pytest's temp root is private to root; the server's own user needs a folder it can enter
    data = Path(tempfile.mkdtemp(prefix="pgtest-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    port = "55432"
    subprocess.run(_as_postgres(f"{BIN[-1]}/initdb", "-D", str(data / "cluster"), "-A", "trust", "-U", "postgres"),
                   check=True, capture_output=True)
    subprocess.run(_as_postgres(f"{BIN[-1]}/pg_ctl", "-D", str(data / "cluster"), "-l", str(data / "log"), "-w",
                                "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1", "start"),
                   check=True, capture_output=True)
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    for _ in range(50):
        try:
            Store(url=url).close()
            break
        except Exception:
            time.sleep(0.2)
    yield url
    subprocess.run(_as_postgres(f"{BIN[-1]}/pg_ctl", "-D", str(data / "cluster"), "-m", "immediate", "stop"),
                   capture_output=True)
    shutil.rmtree(data, ignore_errors=True)


def test_pipeline_on_postgres_gives_the_same_records(pg_url, tmp_path, monkeypatch, embedder):
    from ingest.index import NarrativeIndex
    from ingest.pipeline import ingest_paths

    lite = Store(tmp_path / "lite")
    ingest_paths([SAMPLES / "liuyang_2023.txt"], lite, NarrativeIndex(tmp_path / "lite", embedder))
    monkeypatch.setenv("DATABASE_URL", pg_url)
    pg = open_store(tmp_path / "pg")  # the URL wins over the folder; callers change nothing
    assert pg.url == pg_url
    outcomes = ingest_paths([SAMPLES / "liuyang_2023.txt"], pg, NarrativeIndex(tmp_path / "pg", embedder))
    assert outcomes[0].status == "ingested"
    def same(r):  # ingested at another second
        return replace(r, ingested_at=r.ingested_at[:4])

    assert [same(r) for r in pg.reports()] == [same(r) for r in lite.reports()]
    audit = [(e.action, e.report, e.after_sha256) for e in pg.audit_log()]
    assert audit == [("add", "liuyang_2023", pg.reports()[0].sha256)]
    assert pg.cells() == lite.cells() and len(pg.cells()) == 200
    assert pg.checks() == lite.checks()
    assert pg.paragraphs() == lite.paragraphs()
    assert pg.cells(row="一、本年新收政府信息公开申请数量", column="总计")[0].value == 224
    again = ingest_paths([SAMPLES / "liuyang_2023.txt"], pg, NarrativeIndex(tmp_path / "pg", embedder))
    assert again[0].status == "unchanged"
    pg.delete_report("liuyang_2023")
    assert pg.reports() == [] and pg.cells() == []
