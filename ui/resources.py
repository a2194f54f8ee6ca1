"""Settings → the shared store and index, loaded once per database folder; the samples ingested on first start;
the answering path warmed in the background so that the first answer is as quick as the ones after it."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from core.errors import ReportError
from core.settings import setting
from ingest.pipeline import Outcome, commit_all, ingest_paths
from ingest.workers import Batch
from qa.answer import Answerer, Session
from store import Store, audit, open_store
from ui.serve import first_start

if TYPE_CHECKING:
    from ingest.index.vectors import NarrativeIndex

log = logging.getLogger(__name__)
FIRST_PAGE_WAIT = 10.0  # seconds the warm-up waits for a first page to be drawn before it starts anyway
DRAW_GRACE = 2.0  # seconds left to the browser to draw that page (measured: warming sooner delays it by seconds)


@dataclass
class Resources:
    """What every session shares: one store, one index (opened on first use: see `index`), and a lock for
    first-start ingest."""

    folder: str
    store: Store
    opened: NarrativeIndex | None = None  # the index, once `index` has opened it (or as given)
    embedding_model: str = ""  # the EMBEDDING_MODEL it is opened with
    lock: threading.Lock = field(default_factory=threading.Lock)
    opening: threading.Lock = field(default_factory=threading.Lock)  # one thread opens the index
    ready: threading.Event = field(default_factory=threading.Event)  # set once the first-start ingest is over
    shown: threading.Event = field(default_factory=threading.Event)  # set once a page has been drawn whole
    warming: threading.Thread | None = None  # the warm-up, started once per process

    @property
    def index(self) -> NarrativeIndex:
        """The Chroma index and its embedder, opened by the first thing that needs them (a narrative question, an
        upload, a staff page): a figure answer never waits for them (seconds at start)."""
        if self.opened is None:
            with self.opening:
                if self.opened is None:
                    from ingest.index.embed import get_embedder
                    from ingest.index.vectors import NarrativeIndex

                    self.opened = NarrativeIndex(Path(self.folder), get_embedder(self.embedding_model))
        return self.opened


@st.cache_resource(show_spinner="正在加载……")
def load(folder: str, embedding_model: str) -> Resources:
    """Open the database folder, and its index with the configured embedder when first used (cached per folder and
    model)."""
    return Resources(folder, open_store(folder), embedding_model=embedding_model)


def current() -> Resources:
    """The resources for the current settings (REPORTS_DB, EMBEDDING_MODEL)."""
    return load(setting("REPORTS_DB"), setting("EMBEDDING_MODEL"))


def ensure_samples(res: Resources) -> list[Outcome]:
    """The page waits (with a notice) until the first-start ingest is over, whoever started it."""
    if res.ready.is_set():
        return []
    with st.spinner("首次启动：正在导入示例报告，请稍候……"):
        return ingest_samples(res)


def ingest_samples(res: Resources, parsed: Batch | None = None) -> list[Outcome]:
    """On first start (no reports stored) ingest SAMPLES_DIR once, whichever thread gets here first; the others
    wait for it, so no page shows half the samples. `parsed`: the samples as ui.serve has a second process
    prepare them, written here."""
    with res.lock:
        if res.ready.is_set():
            return []
        try:
            samples = Path(setting("SAMPLES_DIR"))
            if not first_start(res.store, samples):
                return []
            outcomes = []
            if parsed is not None:
                try:
                    outcomes = commit_all(parsed, res.store, res.index, audit.FIRST_START)
                except ReportError:  # the worker process failed: this process ingests what is not stored yet
                    log.exception("first start: the worker process failed; ingesting here")
            if not outcomes:
                outcomes = ingest_paths([samples], res.store, res.index, by=audit.FIRST_START)
            for o in outcomes:
                (log.warning if o.status == "failed" else log.info)("first start: %s", o.line())
            return outcomes
        finally:
            if parsed is not None:
                parsed.close()  # unused (someone else ingested): its worker process stops
            res.ready.set()


def warm(res: Resources, answerer: Answerer, questions: Callable[[], Sequence[str]],
         loaders: Sequence[Callable[[], object]] = ()) -> None:
    """Start, once, a background warm-up: the loaders run, then the `questions()` are asked in a throwaway
    conversation (no LLM), which loads the word segmenter, reads the report catalog, and runs the
    embedder and Chroma once. Called on every page run: nothing is read unless it starts."""
    if res.warming is not None:
        return
    with res.lock:
        if res.warming is None:
            args = (res, answerer, questions, tuple(loaders))
            res.warming = threading.Thread(target=_warm, args=args, name="warm", daemon=True)
            res.warming.start()


def _warm(res: Resources, answerer: Answerer, questions: Callable[[], Sequence[str]],
          loaders: tuple[Callable[[], object], ...]) -> None:
    # the first visitor's page goes out first: warming holds the interpreter for seconds (word lists, indexes)
    if res.shown.wait(timeout=FIRST_PAGE_WAIT):
        time.sleep(DRAW_GRACE)
    try:
        for load_ in loaders:
            load_()
        answerer.catalog()
        session = Session(Answerer(answerer.store, answerer.retriever, today=answerer.today))
        asked = tuple(questions())
        for q in asked:
            session.ask(q)
        log.info("warm: answered %d questions", len(asked))
    except Exception:  # a warm-up failure only costs speed; the question that meets it reports it
        log.exception("warm-up failed")
