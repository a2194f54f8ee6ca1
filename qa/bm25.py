"""Stored paragraphs → a BM25 index over character bigrams (sparse matrix), rebuilt only for changed reports."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ingest.models import Paragraph, Report
from ingest.sections import PREAMBLE

from .sentences import bigrams

K1, B = 1.2, 0.75

Key = frozenset[tuple[str, str]]  # {(report id, sha256)}: the store content an index was built from


# The preface sentence that lists the report's six parts names every topic, so it answers none.
_OUTLINE = re.compile(r"[^。]*总体情况[^。]*其他需要报告的事项[^。]*。?")


def document(p: Paragraph) -> str:
    """What is matched for a paragraph: the headings of its section path ("五、存在的主要问题…") and its text."""
    if p.section == PREAMBLE:
        return _OUTLINE.sub("", p.plain)
    return "\n".join([*p.section.split("/"), p.plain])


def citable(p: Paragraph) -> bool:
    """Whether a paragraph can answer anything: the report's title line printed as a preface paragraph cannot."""
    return not (p.section == PREAMBLE and len(p.plain) <= 60 and not any(m in p.plain for m in "。；;"))


@dataclass(frozen=True)
class _Part:
    """One report's paragraphs and their postings: tokenised once per (report, sha256)."""

    paragraphs: tuple[Paragraph, ...]
    terms: tuple[str, ...]  # the distinct bigrams of the report
    doc: np.ndarray  # per posting: paragraph index within the report
    term: np.ndarray  # per posting: index into `terms`
    tf: np.ndarray  # per posting: count of the term in the paragraph
    lengths: np.ndarray  # bigrams per paragraph

    @classmethod
    def of(cls, paragraphs: tuple[Paragraph, ...]) -> _Part:
        local: dict[str, int] = {}
        doc, term, tf, lengths = [], [], [], []
        for i, p in enumerate(paragraphs):
            counts = Counter(bigrams(document(p), simplified=True))
            lengths.append(sum(counts.values()))
            for t, n in counts.items():
                doc.append(i)
                term.append(local.setdefault(t, len(local)))
                tf.append(n)
        return cls(paragraphs, tuple(local), np.array(doc, dtype=np.int64), np.array(term, dtype=np.int64),
                   np.array(tf, dtype=np.float64), np.array(lengths, dtype=np.float64))


def _weights(parts: list[_Part]) -> tuple[dict[str, int], np.ndarray, sparse.csc_matrix]:
    """Vocabulary, IDF per term, and the documents × terms matrix of BM25 weights (query-independent part)."""
    vocab: dict[str, int] = {}
    rows, cols, offset = [], [], 0
    for part in parts:
        ids = np.array([vocab.setdefault(t, len(vocab)) for t in part.terms], dtype=np.int64)
        rows.append(part.doc + offset)
        cols.append(ids[part.term] if len(ids) else part.term)
        offset += len(part.paragraphs)
    empty = np.zeros(0)
    row = np.concatenate(rows).astype(np.int64) if rows else empty.astype(np.int64)
    col = np.concatenate(cols).astype(np.int64) if cols else empty.astype(np.int64)
    tf = np.concatenate([p.tf for p in parts]) if parts else empty
    lengths = np.concatenate([p.lengths for p in parts]) if parts else empty
    df = np.bincount(col, minlength=len(vocab)).astype(np.float64)
    idf = np.log(1.0 + (offset - df + 0.5) / (df + 0.5))
    norm = K1 * (1 - B + B * lengths[row] / max(lengths.mean() if offset else 0.0, 1.0))
    w = idf[col] * tf * (K1 + 1) / (tf + norm)
    return vocab, idf, sparse.csc_matrix((w, (row, col)), shape=(offset, len(vocab)))


class Bm25:
    """BM25 over the stored paragraphs of some reports; rows are grouped by report, so a report is a row range.

    Immutable once built: `Bm25.build(reports, load, previous)` makes a new index for changed store content,
    tokenising only the reports `previous` did not hold, so a reader never sees one half-built.
    """

    def __init__(self, parts: dict[tuple[str, str], _Part] | None = None) -> None:
        self.parts = parts or {}
        self.key: Key = frozenset(self.parts)
        self.paragraphs: list[Paragraph] = []
        self.ranges: dict[str, tuple[int, int]] = {}  # report id → [start, stop) rows
        self.rows_of: dict[tuple[str, str, int], int] = {}  # (report, section, number) → row
        ordered = sorted(self.parts.items())
        for (rid, _), part in ordered:
            self.ranges[rid] = (len(self.paragraphs), len(self.paragraphs) + len(part.paragraphs))
            self.paragraphs.extend(part.paragraphs)
        self.rows_of = {(p.report, p.section, p.number): i for i, p in enumerate(self.paragraphs)}
        self.vocab, self.idf, self.weights = _weights([part for _, part in ordered])

    @classmethod
    def build(cls, reports: list[Report], load: Callable[[str], list[Paragraph]], previous: Bm25 | None = None) -> Bm25:
        """The index of `reports`; `load(report_id)` reads a report's stored paragraphs when not in `previous`."""
        old = previous.parts if previous else {}
        parts = {}
        for r in reports:
            part = old.get((r.id, r.sha256))
            if part is None:
                part = _Part.of(tuple(p for p in load(r.id) if citable(p)))
            parts[(r.id, r.sha256)] = part
        return cls(parts)

    def term_idf(self, term: str) -> float:
        """IDF of a bigram; a term no paragraph has gets the largest possible IDF."""
        j = self.vocab.get(term)
        if j is None:
            return math.log(1.0 + (len(self.paragraphs) + 0.5) / 0.5)
        return float(self.idf[j])

    def rows(self, reports: list[str] | None) -> np.ndarray | None:
        """Document rows of these reports (None = all)."""
        if reports is None:
            return None
        spans = [self.ranges[r] for r in reports if r in self.ranges]
        return np.concatenate([np.arange(a, b) for a, b in spans]) if spans else np.zeros(0, dtype=np.int64)

    def search(self, terms: list[str], k: int, reports: list[str] | None = None) -> list[tuple[int, float]]:
        """(document row, score) of the k best documents with a positive score, best first."""
        if not self.paragraphs:
            return []
        q = Counter(t for t in terms if t in self.vocab)
        if not q:
            return []
        cols = [self.vocab[t] for t in q]
        scores = self.weights[:, cols] @ np.array(list(q.values()), dtype=np.float64)
        rows = self.rows(reports)
        if rows is not None:
            scores = scores[rows]
        order = np.argsort(-scores, kind="stable")[:k] if len(scores) <= 4 * k else _top(scores, k)
        picked = rows[order] if rows is not None else order
        return [(int(i), float(scores[o])) for i, o in zip(picked, order, strict=True) if scores[o] > 0]


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k largest scores, largest first (ties by index), without sorting them all."""
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.lexsort((part, -scores[part]))]
