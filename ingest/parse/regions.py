"""Report text → the part that holds each standard table, in whatever order the report prints them."""

from __future__ import annotations

import re

from core.template import AFTER_TABLES, TABLE_ANCHORS, TABLE_HEADINGS

# A heading further than this (in characters without whitespace) before a table's first label is not
# taken as that table's heading: the table is printed without one.
HEADING_GAP = 400


def _squeeze(text: str) -> tuple[str, list[int]]:
    """Text without whitespace, and for each kept character its position in the original."""
    keep = [(i, ch) for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(ch for _, ch in keep), [i for i, _ in keep]


def _start(flat: str, name: str) -> tuple[int, int] | None:
    """Where table `name` starts (its heading, else its first label) and where that label ends.

    Of all places that print the table's first label (the narrative may quote it too), the one
    closest after a heading of the table is the table."""
    heads = list(re.finditer(TABLE_HEADINGS[name], flat))
    best: tuple[float, int, int] | None = None
    for m in re.finditer(TABLE_ANCHORS[name], flat):
        before = [h for h in heads if h.end() <= m.start()]
        gap = m.start() - before[-1].end() if before else float("inf")
        if best is None or gap < best[0]:
            best = (gap, before[-1].start() if gap <= HEADING_GAP else m.start(), m.end())
    return (best[1], best[2]) if best else None


def regions(text: str) -> dict[str, str]:
    """The part of the (folded) text that holds each table: from its heading to the next table or section."""
    flat, where = _squeeze(text)
    where.append(len(text))
    found = {name: s for name in ("二", "三", "四") if (s := _start(flat, name))}
    starts = sorted(start for start, _ in found.values())
    out = {}
    for name, (start, anchor_end) in found.items():
        end = next((s for s in starts if s > start), len(flat))
        closing = re.compile(AFTER_TABLES).search(flat, anchor_end, end)
        if closing:
            end = closing.start()
        out[name] = text[where[start] : where[end]]
    return out
