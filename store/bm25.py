"""Bigrams of a question → the best-matching paragraphs by BM25, with their scores (FTS5, PostgreSQL or here)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from core.records import Paragraph
from store.lexical import pg_count
from store.paragraphs import ParagraphsMixin

K1, B = 1.2, 0.75  # BM25 constants (SQLite's FTS5 bm25() uses the same)
FEW_REPORTS = 50  # a search within at most this many reports reads their rows by report (not the whole index)


def bm25_idf(n: int, df: int, plus: bool = True) -> float:
    """BM25's idf: FTS5's (a bigram in over half the paragraphs weighs ~0) or, `plus`, log(1 + …) (PostgreSQL)."""
    if plus:
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))
    return max(math.log((n - df + 0.5) / (df + 0.5)), 1e-6)


def _any(tokens: Iterable[str]) -> str:
    """An FTS5 query matching any of these tokens (each quoted: no token is read as an operator)."""
    return "(" + " OR ".join(f'"{t}"' for t in tokens) + ")"


class SearchMixin(ParagraphsMixin):
    """Lexical search over the stored paragraphs' bigrams."""

    def lexical_search(self, words: list[str], k: int, reports: list[str] | None = None
                       ) -> list[tuple[Paragraph, float]]:
        """The k paragraphs that best match these bigrams by BM25 (a repeated bigram counts again), best first,
        with their scores; `reports` limits the search to those report ids."""
        words = [w for w in words if w.strip() and '"' not in w and "'" not in w]
        if not words or reports == [] or k <= 0:
            return []
        if reports is not None and len(reports) <= FEW_REPORTS:
            return self._pg_search(words, k, reports) if self.postgres else self._search_within(words, k, reports)
        if reports is not None:  # many reports (a year of every agency): the whole index's best, kept if in scope
            wanted, limit = set(reports), 4 * k
            while True:
                found = self.lexical_search(words, limit)
                inside = [(p, score) for p, score in found if p.report in wanted]
                if len(inside) >= k or len(found) < limit:
                    return inside[:k]
                limit *= 4
        if self.postgres:
            return self._pg_search(words, k, None)
        query = f"terms : {_any(words)}"
        rows = self._rows("SELECT p.report, p.section, p.number, p.text, p.plain, -l.score FROM (SELECT rowid, "
                          "bm25(lexical, 1.0, 0.0) AS score FROM lexical WHERE lexical MATCH ? ORDER BY score "
                          "LIMIT ?) l JOIN paragraphs p ON p.rowid = l.rowid ORDER BY l.score, p.report, p.position",
                          (query, k))
        return [(Paragraph(*r[:5]), r[5]) for r in rows]

    def _search_within(self, words: list[str], k: int, reports: list[str]) -> list[tuple[Paragraph, float]]:
        """SQLite: BM25 over the paragraphs of a few reports, read by report (their bigrams computed again, as
        its index keeps no copy of them) and scored here with the store's term statistics: the same ranking as a
        search of the whole index, at a cost that does not grow with the corpus (FTS5's bm25() reads every posting
        of each bigram)."""
        n, tokens, weight = self._weights(words)
        if not weight:
            return []
        indexed = self._indexed(reports)
        found = {row: p for row, p, _ in indexed}
        # FTS5's bm25() measures a row in the tokens of all its columns: the bigrams and the report's one token
        rows = [(row, Counter(words), len(words) + 1) for row, _, words in indexed]
        avgdl = max((tokens + n) / max(n, 1), 1.0)
        scored = [(sum(w * tf[t] * (K1 + 1) / (tf[t] + K1 * (1 - B + B * length / avgdl))
                       for t, w in weight.items() if t in tf), key) for key, tf, length in rows]
        best = sorted(((score, key) for score, key in scored if score > 0), key=lambda x: -x[0])[:k]
        return [(found[key], score) for score, key in best if key in found]

    def _weights(self, words: list[str]) -> tuple[int, int, dict[str, float]]:
        """(paragraphs indexed, bigrams indexed, {asked bigram: idf × times asked}) for BM25; bigrams no paragraph
        holds are left out (this backend's idf: bm25_idf)."""
        n, df = self.term_stats(words)
        asked = Counter(w for w in words if w in df)
        return n, self._counter("lexical_tokens"), {w: bm25_idf(n, df[w], self.postgres) * c for w, c in asked.items()}

    def _pg_search(self, words: list[str], k: int, reports: list[str] | None) -> list[tuple[Paragraph, float]]:
        """BM25 in SQL over the paragraphs themselves: the GIN index over lexical_terms(section, plain) finds those
        holding a bigram (or, within a few reports, their rows are read by report: a cost that does not grow with
        the corpus), each bigram's idf comes from `lexical_df`, the length from `lexical_length`, and its frequency
        in a matched paragraph is counted in lexical_text (store.lexical.pg_count) — the terms are stored nowhere.
        The idf is log(1 + (N - n + 0.5) / (n + 0.5)) — FTS5's drops the 1 + and so weighs a bigram in over half
        the paragraphs at zero —, which measured best on the question sets (bench/README.md), ahead of ts_rank."""
        n, tokens, weight = self._weights(words)
        if not weight:
            return []
        asked = list(weight)
        # a column per bigram (not a row per bigram and paragraph: that grouped ~20 rows a paragraph, 2× slower)
        counts = ", ".join(f"regexp_count(doc, ?) AS c{i}" if pg_count(t) else
                           f"(char_length(doc) - char_length(replace(doc, ?, ''))) / 2 AS c{i}"
                           for i, t in enumerate(asked))
        score = " + ".join(f"? * c{i} * {K1 + 1} / (c{i} + kd)" for i in range(len(asked)))
        found = ("report = ANY(?) AND lexical_length IS NOT NULL" if reports is not None
                 else "lexical_terms(section, plain) && ?::text[]")
        rows = self._rows(  # (OFFSET 0: each subquery computed once a row, not inlined into every use of it)
            "SELECT p.report, p.section, p.number, p.text, p.plain, s.score FROM (SELECT report, section, number, "
            f"{score} AS score FROM (SELECT report, section, number, {K1} * ({1 - B} + {B} * lexical_length / ?) "
            f"AS kd, {counts} FROM (SELECT report, section, number, lexical_length, lexical_text(section, plain) "
            f"AS doc FROM paragraphs WHERE {found} OFFSET 0) m OFFSET 0) c WHERE {score} > 0 "
            "ORDER BY score DESC, report, section, number LIMIT ?) s "
            "JOIN paragraphs p ON p.report = s.report AND p.section = s.section AND p.number = s.number "
            "ORDER BY s.score DESC, p.report, p.position",
            (*weight.values(), max(tokens / max(n, 1), 1.0), *(pg_count(t) or t for t in asked),
             reports if reports is not None else asked, *weight.values(), k))
        return [(Paragraph(*r[:5]), float(r[5])) for r in rows]
