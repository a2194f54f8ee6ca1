"""Chunks → a persistent Chroma collection searched by meaning; results come back as (Chunk, score).

Chroma never embeds anything itself (its default embedding function would download a model): the
collection is created without one, vectors are always passed in, and the embedder's name and dimension
are recorded in the collection metadata so that an index is never queried with another embedder's vectors.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from core.errors import ReportError
from core.records import Chunk
from core.settings import setting

if TYPE_CHECKING:  # langchain_core and the embedders load with the first index opened (most of a second)
    from langchain_core.embeddings import Embeddings

COLLECTION = "paragraphs"
BATCH = 64  # chunks embedded and written per call
PAGE = 5000  # chunks read per call when listing what the index holds


class NarrativeIndex:
    """The narrative paragraphs of all reports, as embedded chunks in folder/chroma."""

    def __init__(self, folder: Path, embedder: Embeddings | None = None, reset: bool = False,
                 url: str | None = None) -> None:
        """Open or create the index; reset=True drops an index built with another embedder (then re-add).

        `url` (default: the CHROMA_URL setting) names a Chroma server shared by every replica; empty keeps the
        embedded index in folder/chroma."""
        from ingest.index.embed import describe, get_embedder

        self.folder = Path(folder)
        self.embedder = embedder if embedder is not None else get_embedder(setting("EMBEDDING_MODEL"))
        self.embedder_name, self.dimension = describe(self.embedder)
        self.url = setting("CHROMA_URL") if url is None else url
        self._client = _client(self.folder, self.url)
        exists = COLLECTION in {c.name for c in self._client.list_collections()}
        if exists and reset:
            self._client.delete_collection(COLLECTION)
            exists = False
        if exists:
            self._col = self._client.get_collection(COLLECTION, embedding_function=None)
            self._check_embedder()
        else:
            self._col = self._client.create_collection(
                COLLECTION,
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"embedder": self.embedder_name, "dimension": self.dimension},
            )

    def _check_embedder(self) -> None:
        meta = self._col.metadata or {}
        built = (meta.get("embedder"), meta.get("dimension"))
        if built != (self.embedder_name, self.dimension):
            raise ReportError(
                f"the index was built with embedder {built[0]} ({built[1]}-d), not {self.embedder_name} "
                f"({self.dimension}-d)",
                hint="re-index: set EMBEDDING_MODEL back, or delete the folder and ingest the reports again "
                "(NarrativeIndex(folder, embedder, reset=True) drops the old vectors)",
                where=self.url or str(self.folder / "chroma"),
            )

    def add(self, chunks: Iterable[Chunk], vectors: dict[str, list[float]] | None = None, batch_size: int = BATCH
            ) -> int:
        """Store chunks (replacing same ids); unchanged text is not embedded again. Returns how many were written.

        `vectors` (chunk id → embedding by this index's embedder) were computed elsewhere, e.g. in a worker process;
        with them, a larger `batch_size` saves Chroma's cost per call (about 0.3 s here, whatever the batch)."""
        todo = list({c.id: c for c in chunks}.values())
        embedded = 0
        for start in range(0, len(todo), batch_size):
            batch = todo[start : start + batch_size]
            by_id = {c.id: c for c in batch}
            stored = self._col.get(ids=list(by_id), include=["documents", "metadatas"])
            rows = zip(stored["ids"], stored["documents"], stored["metadatas"], strict=True)
            same = {i for i, d, m in rows if _chunk(i, d, m) == by_id[i]}
            batch = [c for c in batch if c.id not in same]
            if not batch:
                continue
            self._col.upsert(
                ids=[c.id for c in batch],
                embeddings=[vectors[c.id] for c in batch] if vectors is not None
                else self.embedder.embed_documents([c.text for c in batch]),
                documents=[c.text for c in batch],
                metadatas=[{"report": c.report, "section": c.section, "paragraph": c.paragraph} for c in batch],
            )
            embedded += len(batch)
        return embedded

    def replace_report(self, report_id: str, chunks: Iterable[Chunk],
                       vectors: dict[str, list[float]] | None = None, added: bool = False) -> int:
        """A report's chunks become exactly `chunks`: new ones added first, then stale ones removed.
        `added`: the chunks were written already (with other reports', in one call): only stale ones go."""
        new = list(chunks)
        if any(c.report != report_id for c in new):
            raise ValueError(f"replace_report({report_id!r}) was given chunks of another report")
        embedded = 0 if added else self.add(new, vectors)
        keep = {c.id for c in new}
        stale = [i for i in self._col.get(where={"report": report_id}, include=[])["ids"] if i not in keep]
        if stale:
            self._col.delete(ids=stale)
        return embedded

    def delete_report(self, report_id: str) -> None:
        """Remove every chunk of one report."""
        self._col.delete(where={"report": report_id})

    def search(self, query: str, k: int = 10, reports: list[str] | None = None) -> list[tuple[Chunk, float]]:
        """The k chunks nearest in meaning, best first, with cosine similarity; reports limits to those ids."""
        if reports is not None and not reports:
            return []
        if k <= 0:
            return []
        where = None if reports is None else {"report": {"$in": list(reports)}}
        # no count() first: Chroma returns fewer results when it holds fewer (a count costs ~7 ms at 1,000 reports)
        found = self._col.query(
            query_embeddings=[self.embedder.embed_query(query)],
            n_results=k,
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        rows = zip(found["ids"][0], found["documents"][0], found["metadatas"][0], found["distances"][0], strict=True)
        return [(_chunk(i, d, m), 1.0 - float(dist)) for i, d, m, dist in rows]

    def nearest(self, query: str, ids: list[str], k: int = 10) -> list[tuple[Chunk, float]]:
        """The k chunks among `ids` nearest in meaning, best first, with cosine similarity, computed here over their
        stored vectors: for a search within a few reports (Chroma's metadata filter reads the whole collection, about
        0.2 s at 10,000 reports); ids not in the index are left out."""
        import numpy as np

        got = self._col.get(ids=list(dict.fromkeys(ids)), include=["documents", "metadatas", "embeddings"]) \
            if ids and k > 0 else {"ids": []}
        if not got["ids"]:
            return []
        vectors = np.asarray(got["embeddings"], dtype=np.float64)
        q = np.asarray(self.embedder.embed_query(query), dtype=np.float64)
        similarity = vectors @ q / np.maximum(np.linalg.norm(vectors, axis=1) * np.linalg.norm(q), 1e-12)
        order = np.argsort(-similarity, kind="stable")[:k]
        return [(_chunk(got["ids"][i], got["documents"][i], got["metadatas"][i]), float(similarity[i])) for i in order]

    def count(self) -> int:
        return self._col.count()

    def vectors(self, report_id: str) -> list[tuple[Chunk, list[float]]]:
        """One report's chunks with their stored vectors (bench.grow copies them to the reports it clones)."""
        got = self._col.get(where={"report": report_id}, include=["documents", "metadatas", "embeddings"])
        rows = zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True)
        return [(_chunk(i, d, m), [float(x) for x in e]) for i, d, m, e in rows]

    def reports(self) -> list[str]:
        """Ids of the reports that have chunks in the index."""
        found: set[str] = set()
        for offset in range(0, self._col.count(), PAGE):  # in pages: one get of every chunk overflows SQLite's
            # variable limit inside Chroma at about 100,000 chunks
            metas = self._col.get(include=["metadatas"], limit=PAGE, offset=offset)["metadatas"] or []
            found |= {str(m["report"]) for m in metas}
        return sorted(found)


@contextmanager
def writer_lock(folder: Path | str, url: str | None = None,
                on_wait: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold while writing: an embedded Chroma index takes one writing process at a time (a second ingester waits,
    calling `on_wait` once). Open the index inside the lock, so that it loads what the other writer wrote.
    A Chroma server (CHROMA_URL) serialises writes itself: no lock then."""
    if setting("CHROMA_URL") if url is None else url:
        yield
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    with open(Path(folder) / "ingest.lock", "a", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _client(folder: Path, url: str):
    """An HTTP client of the Chroma server at `url`, or the embedded index in folder/chroma when url is empty."""
    import chromadb  # here, not at the top: a second of imports that processes which never open an index skip
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if not url:
        return chromadb.PersistentClient(path=str(folder / "chroma"), settings=settings)
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ReportError(f"CHROMA_URL {url!r} is not an http(s) address", hint="e.g. CHROMA_URL=http://127.0.0.1:8000")
    https = parts.scheme == "https"
    try:
        client = chromadb.HttpClient(host=parts.hostname, port=parts.port or (443 if https else 8000), ssl=https,
                                     settings=settings)
        client.heartbeat()
    except Exception as e:  # connection refused, DNS, TLS: say which server and how to start one
        raise ReportError(f"cannot reach the Chroma server at {url}: {type(e).__name__}",
                          hint="start one with `chroma run --path DIR --host 127.0.0.1 --port 8000`, "
                          "or unset CHROMA_URL to use the embedded index", where=url) from e
    return client


def _chunk(id_: str, document: str | None, meta: dict) -> Chunk:
    """A Chroma row as a Chunk: nothing outside this module sees Chroma results."""
    return Chunk(id_, str(meta["report"]), str(meta["section"]), int(meta["paragraph"]), document or "")
