"""Files → prepared reports in worker processes (read, clean, parse, check, embed); the parent alone writes them.

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

from .embed import describe, get_embedder
from .errors import ReportError
from .pipeline import Outcome, Prepared, guard, prepare
from .settings import setting
from .store import Store, open_store

_store: Store | None = None  # per worker process, opened once by _start
_embedder = None


def _start(folder: str | None, expected: tuple[str, int]) -> None:
    global _store, _embedder
    _store = open_store(folder)
    _embedder = get_embedder(setting("EMBEDDING_MODEL"))
    if describe(_embedder) != expected:
        raise ReportError(f"worker embedder {describe(_embedder)} differs from the index's {expected}",
                          "run workers with the same EMBEDDING_MODEL as the index")


def _prepare(job: tuple[Path, str, str]) -> Prepared | Outcome:
    path, by, url = job

    def step() -> Prepared | Outcome:
        prepared = prepare(path, _store, by, url)
        if isinstance(prepared, Outcome):
            return prepared
        vectors = _embedder.embed_documents([c.text for c in prepared.chunks]) if prepared.chunks else []
        return replace(prepared, vectors={c.id: list(v) for c, v in zip(prepared.chunks, vectors, strict=True)})

    return guard(path, step)


def prepare_all(files: list[Path], folder: str | Path | None, embedder: tuple[str, int], workers: int,
                by: str, url: str) -> Iterator[Prepared | Outcome]:
    """Each file prepared in one of `workers` spawned processes, yielded in the files' order as they finish."""
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                                 initargs=(str(folder) if folder else None, embedder)) as pool:
            yield from pool.map(_prepare, [(f, by, url) for f in files], chunksize=1)
    except BrokenProcessPool as e:  # a worker could not start (store or embedder) or was killed
        raise ReportError(f"ingest worker processes failed: {e}", "run again with --workers 1 to see the error") from e
