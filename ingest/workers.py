"""Files → prepared reports in worker processes (read, clean, parse, check, and embed unless the parent does);
the parent alone writes them.

Only one process writes: an embedded Chroma index is not safe with several writers, and one writer keeps a batch
idempotent however many workers parse it. Workers are spawned (not forked) so that no database connection or
model state of the parent is shared.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import ReportError

if TYPE_CHECKING:  # the pipeline and the embedder are imported by the workers, not by whoever starts them
    from ingest.pipeline import Outcome, Prepared
    from store import Store

_store: Store | None = None  # per worker process, opened once by _start
_embedder = None


def _start(folder: str | None, expected: tuple[str, int] | None) -> None:
    from core.settings import setting
    from ingest.index.embed import describe, get_embedder
    from store import open_store

    global _store, _embedder
    _store = open_store(folder)
    if expected is None:  # the parent embeds
        return
    _embedder = get_embedder(setting("EMBEDDING_MODEL"))
    if describe(_embedder) != expected:
        raise ReportError(f"worker embedder {describe(_embedder)} differs from the index's {expected}",
                          "run workers with the same EMBEDDING_MODEL as the index")


def _prepare(job: tuple[Path, str, str]) -> Prepared | Outcome:
    from ingest.pipeline import Outcome, guard, prepare

    path, by, url = job

    def step() -> Prepared | Outcome:
        prepared = prepare(path, _store, by, url)
        if isinstance(prepared, Outcome) or _embedder is None:
            return prepared
        vectors = _embedder.embed_documents([c.text for c in prepared.chunks]) if prepared.chunks else []
        return replace(prepared, vectors={c.id: list(v) for c, v in zip(prepared.chunks, vectors, strict=True)})

    return guard(path, step)


def _started() -> None:
    """A first task: it makes the pool start its processes (and their initializer) before any file is known."""


class Workers:
    """`workers` spawned processes that prepare files, started at once: they open the store (`folder`, or
    DATABASE_URL) and load the embedder while the caller goes on. `embedder` (name, size) must be the index's:
    workers then embed too; None leaves embedding to the writer."""

    def __init__(self, folder: str | Path | None, embedder: tuple[str, int] | None, workers: int) -> None:
        self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_start, initargs=(str(folder) if folder else None, embedder))
        self._pool.submit(_started)

    def prepare(self, files: list[Path], by: str, url: str) -> Batch:
        """Each file prepared in one of the processes, yielded in the files' order as they finish."""
        try:
            return Batch(self._pool, self._pool.map(_prepare, [(f, by, url) for f in files], chunksize=1))
        except BaseException:
            self._pool.shutdown(cancel_futures=True)
            raise


def prepare_all(files: list[Path], folder: str | Path | None, embedder: tuple[str, int] | None, workers: int,
                by: str, url: str) -> Batch:
    """Each file prepared in one of `workers` spawned processes (see Workers), yielded in the files' order."""
    return Workers(folder, embedder, workers).prepare(files, by, url)


class Batch:
    """Prepared reports (or Outcomes) in the files' order as the workers finish them; `close()` stops the workers
    (done by itself once every result has been read)."""

    def __init__(self, pool: ProcessPoolExecutor, results: Iterator[Prepared | Outcome]) -> None:
        self._pool = pool
        self._results = results

    def __iter__(self) -> Iterator[Prepared | Outcome]:
        try:
            yield from self._results
        except BrokenProcessPool as e:  # a worker could not start (store or embedder) or was killed
            raise ReportError(f"ingest worker processes failed: {e}",
                              "run again with --workers 1 to see the error") from e
        finally:
            self.close()

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)
