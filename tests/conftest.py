"""Shared fixtures: the samples ingested once per test session into a temp dir; no network but loopback."""

from __future__ import annotations

import glob
import ipaddress
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
POSTGRES = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
CHROMA = Path(sys.executable).parent / "chroma"  # the server the chromadb package ships


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
    from ingest.index.embed import get_embedder

    return get_embedder(None)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory, embedder) -> Path:
    """All bundled samples ingested through the real pipeline (SQLite + Chroma + USE embedder)."""
    from ingest.index.vectors import NarrativeIndex
    from ingest.pipeline import ingest_paths
    from store import Store

    folder = tmp_path_factory.mktemp("db")
    store = Store(folder)
    outcomes = ingest_paths([SAMPLES], store, NarrativeIndex(folder, embedder))
    assert [o for o in outcomes if o.status != "ingested"] == []
    store.close()
    return folder


def free_port() -> int:
    """A loopback port nobody listens on now (servers started by tests never collide with a parallel run)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(*cmd: str) -> list[str]:
    # the server refuses to run as root; Debian's package creates the `postgres` user
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else list(cmd)


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a free loopback port, removed after the module."""
    from store import Store

    if not POSTGRES:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed: `make test` installs Debian's postgresql package")
        pytest.skip("PostgreSQL server not installed (apt-get install postgresql)")
    # pytest's temp root is private to root; the server's own user needs a folder it can enter
    data = Path(tempfile.mkdtemp(prefix="pgtest-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    port, ctl = free_port(), f"{POSTGRES[-1]}/pg_ctl"
    subprocess.run(_as_postgres(f"{POSTGRES[-1]}/initdb", "-D", str(data / "cluster"), "-A", "trust", "-U",
                                "postgres"), check=True, capture_output=True)
    subprocess.run(_as_postgres(ctl, "-D", str(data / "cluster"), "-l", str(data / "log"), "-w",
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
    subprocess.run(_as_postgres(ctl, "-D", str(data / "cluster"), "-m", "immediate", "stop"), capture_output=True)
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="module")
def sample_pg(pg_url, sample_db) -> str:
    """The URL of a fresh database on the throwaway cluster holding the records of `sample_db` (written through the
    store, so with PostgreSQL's own lexical terms); the sample folder's Chroma index matches it."""
    import uuid

    import psycopg

    from store import Store

    name = f"samples_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = pg_url.rsplit("/", 1)[0] + f"/{name}"
    lite, pg = Store(sample_db), Store(url=url)
    for r in lite.reports():
        pg.replace_report(r, lite.paragraphs(r.id), lite.cells(r.id), lite.checks(r.id), lite.findings(r.id))
    lite.close()
    pg.close()
    return url


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory) -> Iterator[str]:
    """A Chroma server (`chroma run`) on a free loopback port, persisting into a temp dir, stopped after the module."""
    port = free_port()
    folder = tmp_path_factory.mktemp("chroma-server")
    server = subprocess.Popen([str(CHROMA), "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("the Chroma server did not answer within 30 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """What the app offers with st.download_button, by file name, as Streamlit stores it for the browser."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, data, mimetype, kind, filename=None):
        files[filename or ""] = data
        return original(self, data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return files
