"""`python -m ui.serve [streamlit options]` (what `make run` runs): `streamlit run app.py`, with the reports loaded,
the samples ingested on first start and the answering path warmed while the server starts, not when the first
visitor arrives."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.workers import Batch

APP = Path(__file__).resolve().parent.parent / "app.py"
log = logging.getLogger(__name__)


def first_start(store, samples: Path) -> bool:
    """Whether the samples are to be ingested: nothing is stored yet and the samples folder exists."""
    return samples.is_dir() and not store.has_reports()


def parse_first(db: str, samples: Path, model: str) -> Batch | None:
    """On first start, the samples are read, parsed, checked and embedded in a second process (the other core)
    from this moment on, while this one imports the app and opens the index; None when there is nothing to do.
    This process writes them (ui.resources.ingest_samples). With a sentence-transformers `model` (EMBEDDING_MODEL)
    this process embeds too: its vector size is known only once loaded, and loading it twice costs more."""
    from ingest.workers import Workers
    from store import audit, open_store

    store = open_store(db)
    try:
        if not first_start(store, samples):
            return None
    finally:
        store.close()
    from ingest.index.embed import USEEmbeddings  # its record only: the model loads in the worker

    record = None if model else (USEEmbeddings.name, USEEmbeddings.dimension)
    workers = Workers(db, record, 1)  # started before the imports below
    from ingest.pipeline import expand

    return workers.prepare(expand([samples]), audit.FIRST_START, "")


def prepare(parsed: Batch | None) -> None:
    """What the first page and the first answer would otherwise wait for (the page shares it: same process)."""
    try:
        from ui import answering, resources  # the imports are a good part of the wait

        res = resources.current()
        resources.ingest_samples(res, parsed)
        answering.warm_up(res)
    except Exception:  # the first page then does the same work itself and shows the error where it occurs
        log.exception("preparing at start failed")


def main(argv: list[str] | None = None) -> None:
    from core.settings import setting

    try:
        parsed = parse_first(setting("REPORTS_DB"), Path(setting("SAMPLES_DIR")), setting("EMBEDDING_MODEL"))
    except Exception:  # e.g. DATABASE_URL unreachable: the page starts anyway and shows the error where it meets it
        log.exception("first-start ingest not started")
        parsed = None
    threading.Thread(target=prepare, args=(parsed,), name="prepare", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
