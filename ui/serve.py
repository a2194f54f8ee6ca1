"""`python -m ui.serve [streamlit options]` (what `make run` runs): `streamlit run app.py`, with the reports loaded,
the samples ingested on first start and the answering path warmed while the server starts, not when the first
visitor arrives."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"
log = logging.getLogger(__name__)


def ingest_first(db: str, samples: Path) -> subprocess.Popen | None:
    """On first start (nothing stored) the samples go in through `python -m ingest` in a second process, on the
    other core, while this one starts the server and imports the app; None when there is nothing to do."""
    from ingest.store import open_store

    store = open_store(db)
    try:
        if store.reports() or not samples.is_dir():
            return None
    finally:
        store.close()
    return subprocess.Popen([sys.executable, "-m", "ingest", str(samples), "--db", db])


def prepare(first: subprocess.Popen | None) -> None:
    """What the first page and the first answer would otherwise wait for (the page shares it: same process)."""
    try:
        from ui import answering, resources  # the imports are a good part of the wait

        if first is not None:
            first.wait()  # the index is opened after the second process wrote it, never while it writes
            resources.opened.set()
        res = resources.current()
        resources.ingest_samples(res)  # what the second process could not ingest (nothing, normally)
        answering.warm_up(res)
    except Exception:  # the first page then does the same work itself and shows the error where it occurs
        log.exception("preparing at start failed")


def main(argv: list[str] | None = None) -> None:
    from ingest.settings import setting

    try:
        first = ingest_first(setting("REPORTS_DB"), Path(setting("SAMPLES_DIR")))
    except Exception:  # e.g. DATABASE_URL unreachable: the page starts anyway and shows the error where it meets it
        log.exception("first-start ingest not started")
        first = None
    from ui import resources  # while the second process ingests

    if first is not None:
        resources.opened.clear()
    threading.Thread(target=prepare, args=(first,), name="prepare", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
