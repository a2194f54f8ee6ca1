"""Paragraphs ⇄ their rows, and their bigrams ⇄ the lexical index (FTS5, or PostgreSQL's GIN index over the paragraphs
themselves) with its term statistics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from core.records import Paragraph
from store.lexical import _report_token, citable, counted, terms
from store.schema import SchemaMixin


class ParagraphsMixin(SchemaMixin):
    """Reading paragraphs; their lexical terms written and removed in the report's transaction."""

    def paragraphs(self, report: str | None = None) -> list[Paragraph]:
        where, args = self._where(report=report)
        rows = self._rows(f"SELECT report, section, number, text, plain FROM paragraphs{where} "
                          "ORDER BY report, position", args)
        return [Paragraph(*r) for r in rows]

    def paragraph(self, report: str, section: str, number: int) -> Paragraph | None:
        rows = self._rows("SELECT report, section, number, text, plain FROM paragraphs "
                          "WHERE report = ? AND section = ? AND number = ?", (report, section, number))
        return Paragraph(*rows[0]) if rows else None

    def paragraphs_at(self, keys: Iterable[tuple[str, str, int]]) -> dict[tuple[str, str, int], Paragraph]:
        """The stored paragraphs of these (report, section, number) keys; keys no longer stored are left out."""
        keys = list(dict.fromkeys(keys))
        if not keys:
            return {}
        reports = sorted({k[0] for k in keys})  # the primary key's prefix: SQLite scans every row without it
        rows = self._rows("SELECT report, section, number, text, plain FROM paragraphs WHERE report IN "
                          f"({', '.join('?' * len(reports))}) AND (report, section, number) IN "
                          f"(VALUES {', '.join(['(?, ?, ?)'] * len(keys))})", [*reports, *(v for k in keys for v in k)])
        return {(r[0], r[1], r[2]): Paragraph(*r) for r in rows}

    def term_stats(self, words: Iterable[str]) -> tuple[int, dict[str, int]]:
        """(paragraphs searched, {bigram: paragraphs holding it}) for lexical search; unheld bigrams left out."""
        words = sorted(set(words))
        n = self._counter("lexical_rows")
        if not words:
            return n, {}
        rows = self._rows(f"SELECT term, df FROM lexical_df WHERE term IN ({', '.join('?' * len(words))}) AND df > 0",
                          words)
        return n, dict(rows)

    def _unindex(self, cur, report: str) -> Counter:
        """Remove a report's paragraphs from lexical search; what they counted (document frequencies under their
        terms, and the keys "" rows, " " bigrams) for `_index` to subtract."""
        if self.postgres:  # the index follows the rows; what they counted is computed by the index's own function
            return self._pg_counted(cur, [report])
        # FTS5 keeps no copy of the terms (contentless): a row is removed by giving back the values it was indexed
        # with, which are its paragraph's terms computed again (store.lexical.terms, unchanged since: see there)
        if not self.conn.in_transaction:  # the values read below stay the indexed ones until this commits
            cur.execute("BEGIN IMMEDIATE")
        rows = self._indexed([report])
        cur.executemany("INSERT INTO lexical (lexical, rowid, terms, report) VALUES ('delete', ?, ?, ?)",
                        [(row, " ".join(words), _report_token(report)) for row, _, words in rows])
        return counted(words for _, _, words in rows)

    def _indexed(self, reports: list[str]) -> list[tuple[int, Paragraph, list[str]]]:
        """SQLite: (rowid, paragraph, terms) of each paragraph of these reports the lexical index holds — its
        citable ones, under their rowid, with the terms `_index` gave it —, in rowid order (FTS5's)."""
        rows = self._rows("SELECT rowid, report, section, number, text, plain FROM paragraphs WHERE report IN "
                          f"({', '.join('?' * len(reports))})", reports)  # by the primary key's index
        return [(row, p, terms(p)) for row, *r in sorted(rows) for p in (Paragraph(*r),) if citable(p)]

    def _pg_counted(self, cur, reports: list[str]) -> Counter:
        """PostgreSQL: what these reports' stored paragraphs count in the term statistics (document frequencies under
        their terms, "" rows, " " terms), by the function the GIN index is built on (schema._lexical_expression)."""
        if not reports:
            return Counter()
        cur.execute("SELECT lexical_terms(section, plain) FROM paragraphs WHERE report = ANY(%s) "
                    "AND lexical_length IS NOT NULL", (reports,))
        return counted(words for (words,) in cur.fetchall())

    def _index(self, cur, paragraphs: list[Paragraph], gone: Counter, touched: tuple[str, ...] = ()) -> None:
        """Add the citable paragraphs' bigrams (after their rows are written: PostgreSQL's index has them then);
        update the term statistics and counters by what was added less what `_unindex` removed; bump the store's
        generation (logging `touched`)."""
        if self.postgres:
            delta = self._pg_counted(cur, sorted({p.report for p in paragraphs}))
        else:
            docs = [(p, terms(p)) for p in paragraphs if citable(p)]
            delta = counted(t for _, t in docs)
            cur.executemany("INSERT INTO lexical (rowid, terms, report) SELECT rowid, ?, ? FROM paragraphs "
                            "WHERE report = ? AND section = ? AND number = ?",
                            [(" ".join(t), _report_token(p.report), p.report, p.section, p.number) for p, t in docs])
        delta.subtract(gone)
        moved = sorted((t, n) for t, n in delta.items() if t.strip() and n)
        if self.postgres:  # one statement, in term order: two writers lock the same rows in the same order
            cur.execute("INSERT INTO lexical_df (term, df) SELECT t, n FROM unnest(%s::text[], %s::int[]) AS d (t, n) "
                        "ORDER BY t ON CONFLICT (term) DO UPDATE SET df = lexical_df.df + EXCLUDED.df",
                        ([t for t, _ in moved], [n for _, n in moved]))
        elif self.schema >= 6:
            cur.executemany("INSERT INTO lexical_df (term, df) VALUES (?, ?) ON CONFLICT (term) "
                            "DO UPDATE SET df = lexical_df.df + excluded.df", moved)
        self._count(cur, delta[""], delta[" "], touched)
