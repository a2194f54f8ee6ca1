"""Shared fixtures: the samples ingested once per test session into a temp dir; no network but loopback."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _loopback(address) -> bool:
    if not isinstance(address, tuple):
        return True  # unix sockets
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True, scope="session")
def no_network():
    """Tests reach only this machine: a remote call fails loudly instead of hanging or leaking."""
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guarded(self, address):
        if not _loopback(address):
            raise ConnectionRefusedError(f"tests may not reach {address!r}")
        return connect(self, address)

    def guarded_ex(self, address):
        if not _loopback(address):
            raise ConnectionRefusedError(f"tests may not reach {address!r}")
        return connect_ex(self, address)

    socket.socket.connect, socket.socket.connect_ex = guarded, guarded_ex
    yield
    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex


@pytest.fixture(scope="session")
def embedder():
    from ingest.embed import get_embedder

    return get_embedder(None)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory, embedder) -> Path:
    """All bundled samples ingested through the real pipeline (SQLite + Chroma + USE embedder)."""
    from ingest.index import NarrativeIndex
    from ingest.pipeline import ingest_paths
    from ingest.store import Store

    folder = tmp_path_factory.mktemp("db")
    store = Store(folder)
    outcomes = ingest_paths([SAMPLES], store, NarrativeIndex(folder, embedder))
    assert [o for o in outcomes if o.status != "ingested"] == []
    store.close()
    return folder
