"""Changes to the store → audit entries (审计记录): who, what, when, the content hash before and after."""

from __future__ import annotations

from datetime import UTC, datetime

from core.records import AuditEntry, Report

CLI = "cli"  # who, for changes made with `python -m ingest` on the server
FIRST_START = "first-start"  # who, for the samples the app ingests when it starts over an empty store
ACTIONS = {"add": "导入", "replace": "替换", "remove": "移除", "signin": "登录", "signin_failed": "登录失败"}
# A report's provenance (来源) as one flat record: `ingest export --reports` and the staff list
PROVENANCE_FIELDS = ("report", "agency", "year", "title", "file", "sha256", "size", "format", "ingested_by",
                     "ingested_at", "source_url")


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
