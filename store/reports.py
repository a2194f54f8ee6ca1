"""Reports ⇄ the store: `Store` composes the parts, and writes or removes a report with everything parsed from it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from core.records import AuditEntry, Cell, Check, Finding, Paragraph, Place, Report
from store.audit import AuditMixin
from store.bm25 import SearchMixin
from store.cells import CellsMixin
from store.check_results import ChecksMixin
from store.originals import OriginalsMixin
from store.schema import AGENCY_TAIL, REPORT_COLUMNS, TAIL_CHARS

# SQLite's paragraphs also have `id` (their rowid, declared so that VACUUM keeps it: the lexical index's key)
PARAGRAPH_COLUMNS = ("report", "section", "number", "text", "plain", "position")
# a report's rows, whatever holds them
TABLES = ("findings", "check_results", "cell_tables", "paragraphs", "originals", "page_places", "reports")


class Store(CellsMixin, ChecksMixin, SearchMixin, AuditMixin, OriginalsMixin):
    """Reports, paragraphs, cells, checks and findings. Callers never write SQL."""

    def __init__(self, folder: Path | str | None = None, url: str = "") -> None:
        self._ids = {"cell_keys": {}, "check_identities": {}}  # dictionary ids known to this process (InternMixin)
        self._key_of = {}  # cell keys as read (CellsMixin)
        self._connect(folder, url)
        self._migrate()

    # ---- writing ----
    def replace_report(self, report: Report, paragraphs: list[Paragraph], cells: list[Cell],
                       checks: list[Check], findings: list[Finding], audit: AuditEntry | None = None,
                       original: bytes = b"", places: Mapping[str, Sequence[Place]] | None = None) -> None:
        """Write a report and everything parsed from it in one transaction, replacing any earlier version;
        `audit` is logged in the same transaction (no change without its record, no record without the change).
        A PDF report keeps its `original` bytes and the `places` of its rows and paragraphs on its pages."""
        with self._transaction() as cur:
            gone = self._unindex(cur, report.id)
            self._clear(cur, report.id)
            cur.execute(self._sql(f"INSERT INTO reports ({REPORT_COLUMNS}) VALUES "
                                  "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                        (report.id, report.agency, report.year, report.title, report.published, report.source,
                         report.sha256, report.layout, report.size, report.ingested_by, report.ingested_at,
                         report.source_url))
            self._insert(cur, "paragraphs", [(p.report, p.section, p.number, p.text, p.plain, i)
                                             for i, p in enumerate(paragraphs)], PARAGRAPH_COLUMNS)
            self._index(cur, paragraphs, gone, (report.id,))
            fresh = self._write_cells(cur, cells) | self._write_checks(cur, checks)
            self._insert(cur, "findings", [(f.report, f.where, f.message, i) for i, f in enumerate(findings)])
            self._write_original(cur, report.id, original, places or {})
            if audit is not None:
                self._log(cur, audit)
        self._remember(fresh)

    def delete_report(self, report_id: str, audit: AuditEntry | None = None) -> None:
        """Remove a report and everything parsed from it; `audit` is logged in the same transaction."""
        with self._transaction() as cur:
            gone = self._unindex(cur, report_id)
            self._clear(cur, report_id)
            self._index(cur, [], gone, (report_id,))
            if audit is not None:
                self._log(cur, audit)

    def _clear(self, cur, report_id: str) -> None:
        """Delete a report's rows from every table of TABLES."""
        for table in TABLES:
            cur.execute(self._sql(f"DELETE FROM {table} WHERE {'id' if table == 'reports' else 'report'} = ?"),
                        (report_id,))

    def rename_agency(self, old: str, new: str) -> None:
        """Give every report of an agency one name (a later report printed it in full)."""
        with self._transaction() as cur:
            cur.execute(self._sql("SELECT id FROM reports WHERE agency = ?"), (old,))
            renamed = [r[0] for r in cur.fetchall()]
            cur.execute(self._sql("UPDATE reports SET agency = ? WHERE agency = ?"), (new, old))
            self._count(cur, touched=renamed)

    # ---- reading ----
    def reports(self, agency: str | None = None) -> list[Report]:
        where, args = self._where(agency=agency)
        rows = self._rows(f"SELECT {REPORT_COLUMNS} FROM reports{where} ORDER BY agency, year, id", args)
        return [Report(*r) for r in rows]

    def reports_with(self, ids: Iterable[str]) -> dict[str, Report]:
        """The stored reports of these ids (an id not stored is left out: removed)."""
        ids = list(dict.fromkeys(ids))
        if not ids:
            return {}
        condition, arg = self._within("id", ids)
        return {r[0]: Report(*r) for r in self._rows(f"SELECT {REPORT_COLUMNS} FROM reports WHERE {condition}", (arg,))}

    def report(self, report_id: str) -> Report | None:
        rows = self._rows(f"SELECT {REPORT_COLUMNS} FROM reports WHERE id = ?", (report_id,))
        return Report(*rows[0]) if rows else None

    def has_reports(self) -> bool:
        """Whether any report is stored (one row read, however many there are)."""
        return bool(self._rows("SELECT 1 FROM reports LIMIT 1"))

    def agencies_named(self, names: Iterable[str]) -> set[str]:
        """Which of these agency names the store holds reports of (an indexed lookup)."""
        names = list(dict.fromkeys(names))
        if not names:
            return set()
        return {r[0] for r in self._rows(f"SELECT DISTINCT agency FROM reports WHERE agency IN "
                                         f"({', '.join('?' * len(names))})", names)}

    def agencies_ending(self, suffix: str) -> set[str]:
        """Agency names the store holds that end with `suffix` (indexed when it has at least TAIL_CHARS
        characters; a shorter one reads every agency name)."""
        if len(suffix) >= TAIL_CHARS:
            rows = self._rows(f"SELECT DISTINCT agency FROM reports WHERE {AGENCY_TAIL} = ?", (suffix[-TAIL_CHARS:],))
        else:
            rows = self._rows("SELECT DISTINCT agency FROM reports")
        return {r[0] for r in rows if r[0].endswith(suffix)}


def open_store(folder: Path | str | None = None) -> Store:
    """The configured store: DATABASE_URL when set, else SQLite in `folder` (default REPORTS_DB)."""
    from core.settings import setting

    url = setting("DATABASE_URL")
    return Store(None if url else (folder or setting("REPORTS_DB")), url=url)
