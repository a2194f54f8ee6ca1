"""Changes to the store → audit entries (审计记录): who, what, when, the hash before and after; the log of them."""

from __future__ import annotations

from datetime import UTC, datetime

from core.records import AuditEntry, Report
from store.dialect import Database

CLI = "cli"  # who, for changes made with `python -m ingest` on the server
FIRST_START = "first-start"  # who, for the samples the app ingests when it starts over an empty store
ACTIONS = {"add": "导入", "replace": "替换", "remove": "移除", "signin": "登录", "signin_failed": "登录失败"}
# A report's provenance (来源) as one flat record: `ingest export --reports` and the staff list
PROVENANCE_FIELDS = ("report", "agency", "year", "title", "file", "sha256", "size", "format", "ingested_by",
                     "ingested_at", "source_url")
AUDIT_COLUMNS = "at, who, action, report, file, before_sha256, after_sha256, detail"


def now(timespec: str = "microseconds") -> str:
    """The current UTC time as ISO text (microseconds by default: entries sort in order), readable as it is."""
    return datetime.now(UTC).isoformat(timespec=timespec)


def change(who: str, before: Report | None, after: Report | None) -> AuditEntry:
    """The entry for a report added (no before), replaced (both) or removed (no after)."""
    action = "remove" if after is None else "replace" if before is not None else "add"
    shown = after if after is not None else before
    if shown is None:
        raise ValueError("an audit entry needs the report before or after the change")
    return AuditEntry(now(), who, action, shown.id, shown.source, before.sha256 if before else "",
                      after.sha256 if after else "", f"{shown.agency} {shown.year or '年份不详'}")


def provenance(r: Report) -> dict:
    """A report's provenance as the flat record of PROVENANCE_FIELDS."""
    return dict(zip(PROVENANCE_FIELDS, (r.id, r.agency, r.year, r.title, r.source, r.sha256, r.size, r.layout,
                                        r.ingested_by, r.ingested_at, r.source_url), strict=True))


class AuditMixin(Database):
    """The audit log: entries appended (in the change's own transaction, or alone) and read back."""

    def log(self, entry: AuditEntry) -> None:
        """Append one entry to the audit log on its own (a refused sign-in)."""
        with self._transaction() as cur:
            self._log(cur, entry)

    def audit_log(self, report: str | None = None, action: str | None = None) -> list[AuditEntry]:
        """The audit log, newest first; `report` limits it to one report id, `action` to one kind of entry."""
        where, args = self._where(report=report, action=action)
        return [AuditEntry(*r) for r in self._rows(f"SELECT {AUDIT_COLUMNS} FROM audit{where} ORDER BY at DESC",
                                                   args)]

    def _log(self, cur, e: AuditEntry) -> None:
        cur.execute(self._sql(f"INSERT INTO audit ({AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                    (e.at, e.who, e.action, e.report, e.file, e.before_sha256, e.after_sha256, e.detail))
