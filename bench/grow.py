"""Grow a bench database to N reports in minutes: clones of the synthetic reports ingested so far, under new names.

Ingesting one report through the real pipeline costs 0.2–0.9 s on this machine (reading, script conversion, table
parsing, the USE embedder), so 10,000 reports would take hours. A clone is a synthetic report already ingested with
the next bench.synth agency name put in place of its own in every record, written through the real
`Store.replace_report` (its paragraphs' lexical terms included) and `NarrativeIndex.add`, with the vectors of the
chunks it copies (their texts differ only by the agency's name). What an answer costs — the catalog, store lookups,
lexical and dense search over N reports — is then what it is for N ingested reports; ingest itself is not measured
beyond the reports that went through the pipeline.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import fields, replace

from core.records import Chunk, Report
from ingest.index.vectors import NarrativeIndex
from store import Store

from .synth import YEARS, agency

_SYNTH = re.compile(r"^(?:synth|clone)_(\d+)_(\d{4})$")


def _swap(value, changes: dict[str, str]):
    """A text, or a tuple of texts (a check's terms), with each old report id and agency name replaced."""
    if isinstance(value, tuple):
        return tuple(_swap(v, changes) for v in value)
    if isinstance(value, str):
        for old, to in changes.items():
            value = value.replace(old, to)
    return value


def _renamed(record, changes: dict[str, str], names: tuple[str, ...] | None = None):
    """The record with its report id and agency name replaced wherever its fields hold them (`names`: only those
    fields, found once per base report by `_holding`)."""
    names = tuple(f.name for f in fields(record)) if names is None else names
    out = {n: new for n in names if (new := _swap(getattr(record, n), changes)) != getattr(record, n)}
    return replace(record, **out) if out else record


def _holding(records: list, olds: tuple[str, ...]) -> list[tuple[object, tuple[str, ...]]]:
    """Each record with the names of its fields that hold one of `olds` (a base report's id and agency name):
    a clone rewrites only those (a cell holds the report id alone; scanning every field of every record each
    time was 40% of a clone's cost)."""
    def holds(value) -> bool:
        if isinstance(value, tuple):
            return any(holds(v) for v in value)
        return isinstance(value, str) and any(o in value for o in olds)

    return [(r, tuple(f.name for f in fields(r) if holds(getattr(r, f.name)))) for r in records]


def grow(store: Store, index: NarrativeIndex, size: int, batch: int = 200) -> int:
    """Clone ingested synthetic reports until the store holds `size` reports; how many clones were written.

    Vectors go to the index `batch` clones at a time (Chroma costs about 0.3 s a call, however many vectors)."""
    reports = store.reports()
    numbered = [(m, r) for r in reports if (m := _SYNTH.match(r.id))]
    bases: dict[int, list[Report]] = {}
    for m, r in numbered:
        if r.id.startswith("synth_"):
            bases.setdefault(int(m.group(2)), []).append(r)
    if len(reports) < size and not all(bases.get(y) for y in YEARS):
        raise ValueError("no ingested synthetic report of every year to clone: ingest some first")
    if not store.postgres:  # durable at every checkpoint rather than every commit: the bench only reads afterwards
        store.conn.execute("PRAGMA synchronous=NORMAL")
    i = max((int(m.group(1)) for m, _ in numbered), default=-1) + 1
    cloners: dict[str, Cloner] = {}
    pending: list = []
    for n in range(size - len(reports)):
        year = YEARS[i % len(YEARS)]
        base = bases[year][i % len(bases[year])]
        if base.id not in cloners:
            cloners[base.id] = Cloner(store, index, base.id)
        pending += cloners[base.id].write(store, None, f"clone_{i:05d}_{year}", agency(i))
        if (n + 1) % batch == 0 or n + 1 == size - len(reports):
            index.add([c for c, _ in pending], {c.id: v for c, v in pending}, batch_size=len(pending) or 1)
            pending = []
        i += 1
    return size - len(reports) if size > len(reports) else 0


class Cloner:
    """Copies of one ingested synthetic report under other ids and agency names, written as `grow` writes its
    clones (`Store.replace_report` and `NarrativeIndex.add` with the base's vectors): a steady writer's reports."""

    def __init__(self, store: Store, index: NarrativeIndex, base_id: str) -> None:
        match = _SYNTH.match(base_id)
        if match is None or store.report(base_id) is None:
            raise ValueError(f"{base_id!r} is not a stored synthetic report")
        self.base = store.report(base_id)
        olds, vectors = (base_id, agency(int(match.group(1)))), index.vectors(base_id)
        self.old_name = olds[1]
        self.parts = [_holding(part, olds) for part in (store.paragraphs(base_id), store.cells(base_id),
                                                        store.checks(base_id), store.findings(base_id))]
        self.chunks = list(zip(_holding([c for c, _ in vectors], olds), [v for _, v in vectors], strict=True))

    def write(self, store: Store, index: NarrativeIndex | None, new_id: str, place: str) -> list[tuple[Chunk, list]]:
        """Write the base report as `new_id` of the agency `place` (a bench.synth name, e.g. 青溪市): the store
        first, then its vectors (as ingest does); with no `index`, its chunks and vectors are returned unwritten
        (`grow` writes many reports' in one call)."""
        changes = {self.base.id: new_id, self.old_name: place}
        report = replace(_renamed(self.base, changes),
                         sha256=hashlib.sha256(f"{self.base.sha256}/{new_id}".encode()).hexdigest())
        store.replace_report(report, *([_renamed(x, changes, names) for x, names in part] for part in self.parts))
        pairs = [(_renamed(c, changes, names), v) for (c, names), v in self.chunks]
        if index is None:
            return pairs
        index.add([c for c, _ in pairs], {c.id: v for c, v in pairs}, batch_size=max(len(pairs), 1))
        return []
