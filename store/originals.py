"""A PDF report's original bytes and the places of its rows and paragraphs on its pages (原件与位置)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from core.records import Place
from store.dialect import Database


class OriginalsMixin(Database):
    """Writing a report's original and places in its transaction; reading them for a citation."""

    def _write_original(self, cur, report: str, original: bytes, places: Mapping[str, Sequence[Place]]) -> None:
        if original:
            self._insert(cur, "originals", [(report, original)])
        if places:
            packed = {k: [[p.page, *p.box, p.start] for p in v] for k, v in places.items()}
            self._insert(cur, "page_places", [(report, json.dumps(packed, ensure_ascii=False,
                                                                  separators=(",", ":")))])

    def places(self, report: str) -> dict[str, tuple[Place, ...]]:
        """Place key (core.records.row_place / paragraph_place) → where it is printed on the original's pages."""
        rows = self._rows("SELECT places FROM page_places WHERE report = ?", (report,))
        if not rows:
            return {}
        return {k: tuple(Place(int(v[0]), tuple(v[1:5]), int(v[5])) for v in vs)
                for k, vs in json.loads(rows[0][0]).items()}

    def original(self, report: str) -> bytes | None:
        """The file a PDF report was ingested from, as it came; None for other formats."""
        rows = self._rows("SELECT data FROM originals WHERE report = ?", (report,))
        return bytes(rows[0][0]) if rows else None
