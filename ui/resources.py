"""Settings → the shared store and index, loaded once per database folder; the samples ingested on first start."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from ingest.embed import get_embedder
from ingest.index import NarrativeIndex
from ingest.pipeline import Outcome, ingest_paths
from ingest.settings import setting
from ingest.store import Store, open_store

log = logging.getLogger(__name__)


@dataclass
class Resources:
    """What every session shares: one store, one index, and a lock for first-start ingest."""

    folder: str
    store: Store
    index: NarrativeIndex
    lock: threading.Lock = field(default_factory=threading.Lock)


@st.cache_resource(show_spinner="正在加载……")
def load(folder: str, embedding_model: str) -> Resources:
    """Open the database folder and its index with the configured embedder (cached per folder and model)."""
    store = open_store(folder)
    index = NarrativeIndex(Path(folder), get_embedder(embedding_model))
    return Resources(folder, store, index)


def current() -> Resources:
    """The resources for the current settings (REPORTS_DB, EMBEDDING_MODEL)."""
    return load(setting("REPORTS_DB"), setting("EMBEDDING_MODEL"))


def ensure_samples(res: Resources) -> list[Outcome]:
    """On first start (no reports stored) ingest SAMPLES_DIR once, whichever session gets here first."""
    if res.store.reports():
        return []
    with res.lock:
        if res.store.reports():
            return []
        samples = Path(setting("SAMPLES_DIR"))
        if not samples.is_dir():
            return []
        with st.spinner("首次启动：正在导入示例报告，请稍候……"):
            outcomes = ingest_paths([samples], res.store, res.index)
        for o in outcomes:
            (log.warning if o.status == "failed" else log.info)("first start: %s", o.line())
        return outcomes
