"""`python -m ui.serve [streamlit options]` (what `make run` runs): `streamlit run app.py`, with the reports loaded,
the samples ingested on first start and the answering path warmed while the server starts, not when the first
visitor arrives."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"
log = logging.getLogger(__name__)


def prepare() -> None:
    """What the first page and the first answer would otherwise wait for (the page shares it: same process)."""
    try:
        from ui import answering, resources  # the imports are a good part of the wait

        res = resources.current()
        resources.ingest_samples(res)
        answering.warm_up(res)
    except Exception:  # the first page then does the same work itself and shows the error where it occurs
        log.exception("preparing at start failed")


def main(argv: list[str] | None = None) -> None:
    threading.Thread(target=prepare, name="prepare", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
