"""Stateless replicas: one PostgreSQL + one Chroma server, a report added or removed through one process is
answered (or no longer cited) at once by a long-running answerer in another — nothing rebuilt, nothing restarted.

The commands are those of README "Scaling out"."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import date

import pytest

from ingest.index.vectors import NarrativeIndex
from qa.answer import Answerer
from qa.retrieve import Retriever
from store import Store
from tests.conftest import ROOT, SAMPLES

FIGURE = "2023年浏阳市新收了多少件政府信息公开申请？"
NARRATIVE = "浏阳市2023年有多少个政务微信公众号？"


@pytest.fixture
def database(pg_url) -> str:
    """A fresh database on the throwaway cluster, so that no other test's reports are in it."""
    import psycopg

    name = f"replicas_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return pg_url.rsplit("/", 1)[0] + f"/{name}"


def _replica_a(env: dict, *args: str) -> str:
    """Replica A: the operator's command line, a process of its own."""
    done = subprocess.run([sys.executable, "-m", "ingest", *args], env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_report_added_or_removed_through_one_replica_is_seen_by_another(database, chroma_url, tmp_path, embedder):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": database, "CHROMA_URL": chroma_url}
    # replica B: a long-running answerer, started before the report exists, with a local folder of its own
    store = Store(url=database)
    answerer = Answerer(store, Retriever(store, NarrativeIndex(tmp_path / "b", embedder, url=chroma_url)),
                        today=date(2024, 6, 1))
    assert not answerer.ask(FIGURE)[0].answered

    _replica_a(env, str(SAMPLES / "liuyang_2023.txt"), "--db", str(tmp_path / "a"))
    figure = answerer.ask(FIGURE)[0]
    assert figure.answered and "224" in figure.text
    assert any(c.type == "cell" and c.report == "liuyang_2023" and c.value == 224 for c in figure.citations)
    narrative = answerer.ask(NARRATIVE)[0]
    assert narrative.answered
    assert any(c.type == "paragraph" and c.report == "liuyang_2023" and "135" in c.quote for c in narrative.citations)

    _replica_a(env, "remove", "liuyang_2023", "--db", str(tmp_path / "a"))
    for question in (FIGURE, NARRATIVE):
        answer = answerer.ask(question)[0]
        assert not answer.answered and not answer.citations, question
    assert NarrativeIndex(tmp_path / "b", embedder, url=chroma_url).count() == 0  # no orphan vectors
    assert not (tmp_path / "b" / "chroma").exists() and not (tmp_path / "b" / "reports.sqlite3").exists()
