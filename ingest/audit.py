"""Changes to the store → audit entries (审计记录): who, what, when, the content hash before and after."""

from __future__ import annotations

from datetime import UTC, datetime

from .models import AuditEntry, Report

CLI = "cli"  # who, for changes made with `python -m ingest` on the server
ACTIONS = {"add": "导入", "replace": "替换", "remove": "移除", "signin_failed": "登录失败"}  # label table


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
